"""The annual update: an Excel entry template, a comparison with the bundled data, and ``add``.

An analyst makes a template for the new fiscal year, types the figures (with the
source, location and verbatim quote), validates it, and adds it: the validated rows
become ``data/kpis/<source_id>.csv``. A changed figure is never overwritten — it is
kept as a revision from its own (newer) source, and the analysis uses the latest.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pandas as pd

from . import config
from .config import KEY_COLUMNS, KPI_COLUMNS, YEAR_BASES
from .errors import ExtractError
from .io import SOURCE_HEADERS, load_indicators, load_municipalities, load_sources, workbook_sources

ENTRY_HEADERS = ["自治体", "指標", "年度", "時点", "値", "単位", "区分", "概数", "出典", "掲載箇所", "引用", "算出方法", "備考",
                 "年の根拠"]
"""The entry sheet's headers (the loader's Japanese aliases; 年の根拠 = year_basis last, since it is optional)."""
KIND_CHOICES = ["実績", "目標", "概算"]
"""区分 drop-down: actual, target, estimate (costs, budgets, 見込 figures — never a goal)."""
HELPER_HEADERS = ["参考：指標名", "参考：目標値", "参考：前年度の値"]
"""Columns shown to help the analyst; the loader ignores them."""
MAX_TEMPLATE_ROWS = 2000
"""Rows of the entry sheet covered by the drop-down lists."""

INSTRUCTIONS = [
    "DX指標 入力テンプレート（{fy}年度 / 令和{reiwa}年度）",
    "",
    "1. 新しい資料（報告書など）を「出典一覧」シートの空いている行に登録してください（source_id は半角英数字と _、date は 2026-12 の形）。",
    "2. 「入力」シートに、数値1つにつき1行を入力します。あらかじめ入っている行は、今年度に値が見込まれる指標です（秦野市の目標値は右端に参考表示）。",
    "3. 値は資料に書かれているとおりに（例：15%、3,108時間、約1.1万件）。資料に数値がないものは空欄のままにしてください（0 は入力しない）。",
    "4. 「引用」には数値を含む文・表の行をそのまま貼り付け、「掲載箇所」に章・表の名前を書きます。",
    "   「年の根拠」：空欄なら引用に年度が書かれている（stated）とみなします。引用に年度がないときは heading（見出しに年度。掲載箇所に見出しを書く）・layout（表の列位置だけ。備考に列見出し）・document（年度の記載なし。資料の日付の年度、備考に根拠）を選びます。",
    "   「区分」：実績・目標・概算（費用・予算・見込の数値。目標ではありません）。",
    "5. 保存したら `dxanalysis validate このファイル.xlsx` で確認し、問題がなければ `dxanalysis add このファイル.xlsx` で取り込みます。",
    "6. 取り消すときは `dxanalysis remove このファイル.xlsx`（このファイルの行を削除。内容を表示して確認します）または `dxanalysis remove --source source_id`。",
    "",
    "「出典一覧」シートの列 / the columns of the 出典一覧 (sources) sheet:",
    "  source_id: 資料の識別子（半角英数字と _。例 chigasaki_progress_fy2025）。「入力」シートの「出典」にこの値を書きます。 / the id you type in 出典.",
    "  title: 資料の題名（表紙のとおり） / the document's title as printed.",
    "  publisher: 発行者（市・部課） / who published it.",
    "  date: 公表年月（2026-12 の形）。同じ数値を2つの資料が示すときは日付の新しい資料を採用します。 / publication month; of two sources giving one figure, the newer date wins.",
    "  url: 資料の URL（分かれば。空欄可） / where the document can be found (may be empty).",
    "  file: 引用の確認に使う資料のテキスト版のファイル名（../shared/seeds/ の中）。空欄なら引用は確認されず、テストは理由を示して飛ばします。 / the plain-text copy used to check quotes; empty: its quotes are not checked (the test says so).",
    "  note: 備考（資料の範囲、注意点） / scope and caveats.",
    "",
    "English: one row per number; register the new document in 出典一覧; values as written; leave unknown values empty (never 0);",
    "paste the verbatim sentence or table row into 引用 (quote). Then run `dxanalysis validate FILE` and `dxanalysis add FILE`;",
    "`dxanalysis remove FILE` takes the rows of FILE back out (it shows them and asks first).",
    "Columns headed 参考： are for reference only and are not read. Rows you leave without a value, quote and source are skipped.",
]


# ---------------------------------------------------------------- template

def expected_rows(kpis: pd.DataFrame, fiscal_year: int) -> pd.DataFrame:
    """Rows an analyst should fill for ``fiscal_year``: every target set for that year, and every
    series that had an actual the year before (its next figure is due).

    >>> kpis = pd.DataFrame({"municipality": ["h", "h", "c"], "indicator": ["rpa", "rpa", "tw"],
    ...                      "kind": ["target", "actual", "actual"], "fiscal_year": [2026, 2024, 2025],
    ...                      "as_of": ["", "", ""], "value": [3700.0, 3108.0, 812.0]})
    >>> expected_rows(kpis, 2026).values.tolist()
    [['c', 'tw', nan, 812.0], ['h', 'rpa', 3700.0, nan]]
    """
    keys = ["municipality", "indicator"]
    targets = kpis[(kpis["kind"] == "target") & (kpis["fiscal_year"] == fiscal_year)]
    targets = targets.drop_duplicates(keys, keep="last")[keys + ["value"]].rename(columns={"value": "target"})
    prev = kpis[(kpis["kind"] == "actual") & (kpis["fiscal_year"] == fiscal_year - 1) & kpis["value"].notna()]
    prev = prev.sort_values("as_of", na_position="first").drop_duplicates(keys, keep="last")
    prev = prev[keys + ["value"]].rename(columns={"value": "previous"})
    rows = targets.merge(prev, on=keys, how="outer")
    return rows.sort_values(keys).reset_index(drop=True)


def write_template(path: str | Path, fiscal_year: int, kpis: pd.DataFrame | None = None) -> Path:
    """Write the entry workbook for ``fiscal_year`` (instructions, entry sheet with drop-downs, catalogue, sources)."""
    import openpyxl
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    from .export import _stable_zip
    from .load import load_kpis

    kpis = load_kpis() if kpis is None else kpis
    cat, mun, src = load_indicators(), load_municipalities(), load_sources()
    wb = openpyxl.Workbook()
    info = wb.active
    info.title = "説明"
    for line in INSTRUCTIONS:
        info.append([line.format(fy=fiscal_year, reiwa=fiscal_year - 2018)])
    info["A1"].font = Font(bold=True, size=14)
    info.column_dimensions["A"].width = 140

    ws = wb.create_sheet("入力")
    ws.append(ENTRY_HEADERS + HELPER_HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    grey = PatternFill("solid", fgColor="EEEEEE")
    for r in expected_rows(kpis, fiscal_year).itertuples(index=False):
        target = None if pd.isna(r.target) else float(r.target)
        previous = None if pd.isna(r.previous) else float(r.previous)
        ws.append([mun.at[r.municipality, "name_ja"], r.indicator, f"{fiscal_year}年度", None, None,
                   cat.at[r.indicator, "unit"], "実績", None, None, None, None, None, None, None,
                   cat.at[r.indicator, "name_ja"], target, previous])
    for row in ws.iter_rows(min_row=2, min_col=len(ENTRY_HEADERS) + 1, max_col=len(ENTRY_HEADERS) + len(HELPER_HEADERS)):
        for cell in row:
            cell.fill = grey
    ws.freeze_panes = "C2"
    for col, width in zip("ABCDEFGHIJKLMNOPQ", (10, 34, 10, 10, 12, 8, 8, 8, 28, 30, 50, 16, 20, 12, 36, 12, 12)):
        ws.column_dimensions[col].width = width

    lists = wb.create_sheet("選択肢")
    municipalities = [mun.at[m, "name_ja"] for m in ("chigasaki", "hadano", "minamiboso")]
    units = sorted(u for u in cat["unit"].unique() if u)
    for j, values in enumerate((municipalities, KIND_CHOICES, units, ["はい", "いいえ"], list(YEAR_BASES)), start=1):
        for i, v in enumerate(values, start=1):
            lists.cell(row=i, column=j, value=v)
    lists.sheet_state = "hidden"

    catalogue = wb.create_sheet("指標一覧")
    cat_cols = ["indicator", "name_ja", "name_en", "unit", "definition", "comparability"]
    catalogue.append(cat_cols)
    for r in cat[cat_cols].itertuples(index=False):
        catalogue.append(list(r))
    sources = wb.create_sheet("出典一覧")
    sources.append(SOURCE_HEADERS)
    for r in src[SOURCE_HEADERS].itertuples(index=False):
        sources.append(list(r))

    last = MAX_TEMPLATE_ROWS + 1
    for col, formula, title in (
        ("A", f"=選択肢!$A$1:$A${len(municipalities)}", "自治体"),
        ("B", f"=指標一覧!$A$2:$A${len(cat) + 1}", "指標"),
        ("F", f"=選択肢!$C$1:$C${len(units)}", "単位"),
        ("G", f"=選択肢!$B$1:$B${len(KIND_CHOICES)}", "区分"),
        ("H", "=選択肢!$D$1:$D$2", "概数"),
        ("N", f"=選択肢!$E$1:$E${len(YEAR_BASES)}", "年の根拠"),
    ):
        dv = DataValidation(type="list", formula1=formula, allow_blank=True, showDropDown=False,
                            showErrorMessage=True, errorTitle=title, error=f"{title}は一覧から選んでください")
        ws.add_data_validation(dv)
        dv.add(f"{col}2:{col}{last}")
    wb.properties.creator = "dxanalysis"
    buf = io.BytesIO()
    wb.save(buf)
    path = Path(path)
    path.write_bytes(_stable_zip(buf.getvalue()))
    return path


# ---------------------------------------------------------------- compare and add

@dataclass
class Changes:
    """How new figures relate to the bundled data."""

    new: pd.DataFrame
    revised: pd.DataFrame = field(default_factory=pd.DataFrame)
    unchanged: pd.DataFrame = field(default_factory=pd.DataFrame)

    def __str__(self) -> str:
        lines = [f"{len(self.new)} new row(s), {len(self.revised)} revised value(s), {len(self.unchanged)} unchanged"]
        for r in self.revised.itertuples(index=False):
            lines.append(f"  revision: {r.municipality} {r.indicator} FY{r.fiscal_year} {r.kind}: "
                         f"{r.value_old:g} ({r.source_id_old}) → {r.value:g} ({r.source_id})")
        return "\n".join(lines)


def compare(new: pd.DataFrame, bundled: pd.DataFrame) -> Changes:
    """Split new rows into new keys, revised values and unchanged values against the bundled table."""
    keys = list(KEY_COLUMNS)
    old = bundled[keys + ["value", "source_id"]]
    merged = new.merge(old, on=keys, how="left", suffixes=("", "_old"), indicator=True)
    known = merged["_merge"] == "both"
    same = known & ((merged["value"] == merged["value_old"]) | (merged["value"].isna() & merged["value_old"].isna()))
    drop = ["_merge"]
    return Changes(new=merged[~known].drop(columns=drop + ["value_old", "source_id_old"]),
                   revised=merged[known & ~same].drop(columns=drop), unchanged=merged[same].drop(columns=drop))


def _format_value(v: float) -> str:
    """A value as written to the CSV: the shortest decimal that reads back as the same float, never in
    exponent notation (``1234567890123456800``, not ``1.2345678901234568e+18``); missing is empty.

    >>> [_format_value(v) for v in (3108.0, 80.3, 1.2345678901234568e+18, 1e-07, float("nan"))]
    ['3108', '80.3', '1234567890123456800', '0.0000001', '']
    """
    if v is None or pd.isna(v):
        return ""
    f = float(v)
    if not math.isfinite(f):
        raise ValueError(f"value {v!r} is not a finite number")
    text = format(Decimal(repr(f)), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
"""Line breaks, tabs and other control characters: refused in text cells (they would not survive a CSV
edit in Excel, and quotes are compared ignoring whitespace, so a space does the same job)."""


def _check_text(rows: pd.DataFrame, columns) -> None:
    bad = []
    for r in rows.to_dict("records"):
        for c in columns:
            v = r.get(c)
            if isinstance(v, str) and (m := _CONTROL.search(v)):
                where = f"{r.get('source_file', '?')}, row {r.get('source_row', '?')}, column {c}"
                bad.append(f"{where}: contains a line break or control character (U+{ord(m.group()):04X}); "
                           "replace it with a space (quotes are compared ignoring whitespace) / 改行や制御文字は空白に置き換えてください")
    if bad:
        raise ValueError("text that cannot be written safely:\n  " + "\n  ".join(bad))


def _cell(rec: dict, col: str) -> str:
    v = rec.get(col)
    if col == "value":
        return _format_value(v)
    if col == "approximate":
        return "true" if (v is True or (v is not None and not pd.isna(v) and bool(v))) else "false"
    if col == "fiscal_year":
        return "" if v is None or pd.isna(v) else str(int(v))
    return "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)


def _csv_lines(records: list[dict], header: list[str]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    for rec in records:
        w.writerow([_cell(rec, c) for c in header])
    return buf.getvalue()


def _header_of(path: Path, default) -> list[str]:
    if not path.exists():
        return list(default)
    with open(path, encoding="utf-8-sig", newline="") as f:
        return next(csv.reader(f), list(default))


def _appended(path: Path, records: list[dict], default_header) -> bytes:
    """The file's bytes with ``records`` appended (a new file gets a header); existing bytes are kept as they are."""
    header = _header_of(path, default_header)
    if path.exists():
        old = path.read_bytes()
    else:
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerow(header)
        old = buf.getvalue().encode("utf-8")
    if old and not old.endswith(b"\n"):
        old += b"\n"
    return old + _csv_lines(records, header).encode("utf-8")


def add_extract(path: str | Path) -> Changes:
    """Validate ``path`` and put its rows into ``data/kpis/<source_id>.csv`` (one file per source).

    Raises :class:`ExtractError` if the file does not validate, and ``ValueError`` if it would
    change a value of the same source (a correction needs its own, newer source record) or holds
    text that cannot be written safely. New source records from the 出典一覧 sheet are appended to
    ``data/sources.csv``. Revised values are kept from both sources (see ``load_kpis``).

    The write is atomic: the new contents of every file are built first, loaded and compared with
    what was meant (values read back exactly), written to temporary files and only then put in
    place; on any failure ``data/`` is left byte-identical.
    """
    from .load import check_kpis, load_kpis

    result = check_kpis(path)  # knows the sources typed into the workbook's 出典一覧 sheet
    if result.problems:
        raise ExtractError(result.problems)
    bundled = load_kpis()
    changes = compare(result.kpis, bundled)
    rows = pd.concat([changes.new, changes.revised.drop(columns=["value_old", "source_id_old"])])
    clash = rows.merge(bundled[list(KEY_COLUMNS) + ["source_id"]], on=list(KEY_COLUMNS) + ["source_id"])
    if len(clash):
        raise ValueError(f"{len(clash)} row(s) change a value already given by the same source "
                         f"({', '.join(sorted(set(clash['source_id'])))}): a correction needs its own, newer source record")
    _check_text(rows, [c for c in KPI_COLUMNS if c not in ("value", "fiscal_year", "approximate")])
    new_sources = workbook_sources(path)
    new_sources = new_sources[~new_sources["source_id"].isin(load_sources().index)]
    _check_text(new_sources.assign(source_file=str(path), source_row="(出典一覧)"), SOURCE_HEADERS)
    files: dict[Path, bytes | None] = {}
    if len(new_sources):
        files[config.SOURCES_CSV] = _appended(config.SOURCES_CSV, new_sources.to_dict("records"), SOURCE_HEADERS)
    written = {}
    for sid, group in rows.groupby("source_id"):
        target = config.KPI_DIR / f"{sid}.csv"
        if target.resolve().parent != config.KPI_DIR.resolve():  # the loader refuses such ids; never write outside
            raise ValueError(f"source id {sid!r} is not a file name inside data/kpis")
        files[target] = _appended(target, group.to_dict("records"), KPI_COLUMNS)
        written[target] = group
    if files:
        _check_staged(files, written)
        _replace_files(files)
    return changes


# ---------------------------------------------------------------- atomic writes

def _check_staged(files: dict[Path, bytes | None], written: dict[Path, pd.DataFrame]) -> None:
    """Load ``data/`` as it would be after writing ``files`` (raising what the loader raises), and check
    that every row in ``written`` reads back exactly: values equal, text cells identical."""
    from .io import bundled_extracts
    from .load import check_kpis, load_kpis

    with tempfile.TemporaryDirectory(prefix="dxanalysis-stage-") as tmp:
        stage = Path(tmp)
        (stage / "kpis").mkdir()
        for src, name in ((config.INDICATORS_CSV, "indicators.csv"), (config.MUNICIPALITIES_CSV, "municipalities.csv"),
                          (config.SOURCES_CSV, "sources.csv")):
            data = files.get(src, src.read_bytes() if src.exists() else None)
            if data is not None:
                (stage / name).write_bytes(data)
        extracts = {p.name: p for p in bundled_extracts()}
        for p, data in files.items():
            if p.parent.resolve() != config.KPI_DIR.resolve():
                continue
            if data is None:
                extracts.pop(p.name, None)
            else:
                (stage / "kpis" / p.name).write_bytes(data)
                extracts[p.name] = stage / "kpis" / p.name
        load_kpis([extracts[n] for n in sorted(extracts)], catalogue_dir=stage)
        for target, rows in written.items():
            back = check_kpis(stage / "kpis" / target.name, catalogue_dir=stage)
            reread = pd.concat([back.kpis, back.report.superseded]) if back.report.superseded is not None else back.kpis
            _same_rows(rows, reread.sort_values("source_row").tail(len(rows)), target)


def _same_rows(meant: pd.DataFrame, back: pd.DataFrame, target: Path) -> None:
    header = _header_of(target, KPI_COLUMNS)
    for (_, a), (_, b) in zip(meant.iterrows(), back.iterrows()):
        for c in header:
            if c not in a or c not in b or c in ("approximate", "fiscal_year"):
                continue
            x, y = a[c], b[c]
            same = (pd.isna(x) and pd.isna(y)) or (c == "value" and not pd.isna(x) and not pd.isna(y) and float(x) == float(y)) \
                or (c != "value" and _cell(a.to_dict(), c) == _cell(b.to_dict(), c))
            if not same:
                raise ValueError(f"{target.name}: {c} {x!r} would read back as {y!r}; nothing was written")


def _replace_files(files: dict[Path, bytes | None]) -> None:
    """Put every file in place (``None``: delete it) via temporary files; on any failure restore every file."""
    backups = {p: (p.read_bytes() if p.exists() else None) for p in files}
    temps: dict[Path, Path] = {}
    try:
        for p, data in files.items():
            if data is None:
                continue
            p.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=p.parent)
            temps[p] = Path(name)
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
        for p, data in files.items():
            if data is None:
                p.unlink(missing_ok=True)
            else:
                os.replace(temps[p], p)
                del temps[p]
    except BaseException:
        for p, old in backups.items():
            if old is None:
                p.unlink(missing_ok=True)
            elif not p.exists() or p.read_bytes() != old:
                p.write_bytes(old)
        raise
    finally:
        for t in temps.values():
            t.unlink(missing_ok=True)


# ---------------------------------------------------------------- remove (undo an add)

def _csv_records(path: Path) -> tuple[list[str], str, list[tuple[int, dict, str]]]:
    """Header, the header's raw text, and (row, record, raw text) per record (header = row 1), so kept rows
    can be written back byte for byte."""
    text = path.read_bytes().decode("utf-8")
    lines = re.findall(r"[^\n]*\n|[^\n]+$", text)
    reader = csv.reader(lines)
    header = next(reader, [])
    head_end = reader.line_num
    out, prev = [], head_end
    for i, rec in enumerate(reader):
        out.append((i + 2, dict(zip(header, rec)), "".join(lines[prev:reader.line_num])))
        prev = reader.line_num
    return header, "".join(lines[:head_end]), out


def _source_references(skip: set[Path]) -> dict[str, set[str]]:
    """source_id → the files under data/ (other than sources.csv and ``skip``) that still cite it."""
    refs: dict[str, set[str]] = {}
    for p in sorted(config.DATA_DIR.rglob("*.csv")):
        if p.resolve() == config.SOURCES_CSV.resolve() or p in skip or "raw" in p.relative_to(config.DATA_DIR).parts:
            continue  # raw copies (national files, some not UTF-8) cite no source_id
        with open(p, encoding="utf-8-sig", errors="replace", newline="") as f:
            reader = csv.reader(f)
            header = next(reader, [])
            if "source_id" not in header:
                continue
            j = header.index("source_id")
            for rec in reader:
                if len(rec) > j:
                    refs.setdefault(rec[j], set()).add(str(p.relative_to(config.DATA_DIR)))
    return refs


@dataclass
class Removal:
    """What ``remove`` would take out of data/: rows per file, and source records no longer cited."""

    rows: list[tuple[str, int, dict]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    kept_sources: dict[str, list[str]] = field(default_factory=dict)
    files: dict[Path, bytes | None] = field(default_factory=dict)

    def __str__(self) -> str:
        if not self.rows and not self.sources:
            return "nothing to remove / 削除する行はありません"
        lines = [f"{len(self.rows)} row(s) to remove / 削除する行:"]
        for file, row, r in self.rows:
            lines.append(f"  {file}, row {row}: {r.get('municipality')} {r.get('indicator')} FY{r.get('fiscal_year')} "
                         f"{r.get('kind')} {r.get('value') or '—'} ({r.get('source_id')})")
        for f, data in self.files.items():
            if data is None and f.parent.name == "kpis":
                lines.append(f"  {f.name} is deleted (no rows left)")
        for s in self.sources:
            lines.append(f"  source record {s} is removed from sources.csv")
        for s, where in self.kept_sources.items():
            lines.append(f"  source record {s} is kept (still cited by {', '.join(sorted(where))})")
        return "\n".join(lines)


def plan_removal(*, source_id: str | None = None, workbook: str | Path | None = None) -> Removal:
    """The rows an ``add`` wrote, found by source id or by the rows of a workbook (nothing is changed yet).

    By ``workbook``: every row of ``data/kpis/*.csv`` with the key and source of a row of that
    workbook. A source record is removed from ``sources.csv`` only when nothing under data/ cites it
    any more.
    """
    if (source_id is None) == (workbook is None):
        raise ValueError("give either a source id or a workbook")
    if workbook is not None:
        from .load import check_kpis

        result = check_kpis(workbook)
        if result.problems:
            raise ExtractError(result.problems)
        k = result.kpis
        wanted = {(r.municipality, r.indicator, str(int(r.fiscal_year)), r.kind, "" if pd.isna(r.as_of) else str(r.as_of),
                   r.source_id) for r in k.itertuples(index=False)}
        match = lambda rec: (rec.get("municipality"), rec.get("indicator"), rec.get("fiscal_year"), rec.get("kind"),  # noqa: E731
                             rec.get("as_of", ""), rec.get("source_id")) in wanted
    else:
        match = lambda rec: rec.get("source_id") == source_id  # noqa: E731
    plan = Removal()
    candidates: set[str] = set() if source_id is None else {source_id}
    for p in sorted(config.KPI_DIR.glob("*.csv")):
        header, head, records = _csv_records(p)
        gone = [(row, rec) for row, rec, _ in records if match(rec)]
        if not gone:
            continue
        plan.rows += [(f"data/kpis/{p.name}", row, rec) for row, rec in gone]
        candidates |= {rec.get("source_id") for _, rec in gone}
        kept = [raw for row, rec, raw in records if not match(rec)]
        if any(raw.strip() for raw in kept):
            plan.files[p] = (head + "".join(kept)).encode("utf-8")
        else:
            plan.files[p] = None
    refs = _source_references(skip=set(plan.files))  # the changed files count as they will be
    for p, data in plan.files.items():
        if data is not None:
            for rec in csv.DictReader(io.StringIO(data.decode("utf-8"))):
                refs.setdefault(rec.get("source_id", ""), set()).add(f"kpis/{p.name}")
    registered = load_sources().index
    header, head, records = _csv_records(config.SOURCES_CSV)
    drop = {s for s in candidates if s in registered and not refs.get(s)}
    plan.sources = sorted(drop)
    plan.kept_sources = {s: sorted(refs[s]) for s in sorted(candidates)
                         if s in registered and refs.get(s)}
    if drop:
        plan.files[config.SOURCES_CSV] = (head + "".join(raw for _, rec, raw in records
                                                          if rec.get("source_id") not in drop)).encode("utf-8")
    return plan


def apply_removal(plan: Removal) -> None:
    """Write a :func:`plan_removal` (atomically: checked by loading first; on failure data/ is unchanged)."""
    if plan.files:
        _check_staged(plan.files, {})
        _replace_files(plan.files)
