"""The annual update: an Excel entry template, a comparison with the bundled data, and ``add``.

An analyst makes a template for the new fiscal year, types the figures (with the
source, location and verbatim quote), validates it, and adds it: the validated rows
become ``data/kpis/<source_id>.csv``. A changed figure is never overwritten — it is
kept as a revision from its own (newer) source, and the analysis uses the latest.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import config
from .config import KEY_COLUMNS, KPI_COLUMNS
from .errors import ExtractError
from .io import SOURCE_HEADERS, load_indicators, load_municipalities, load_sources, workbook_sources

ENTRY_HEADERS = ["自治体", "指標", "年度", "時点", "値", "単位", "区分", "概数", "出典", "掲載箇所", "引用", "算出方法", "備考"]
"""The entry sheet's headers (the loader's Japanese aliases, in contract order)."""
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
    "5. 保存したら `dxanalysis validate このファイル.xlsx` で確認し、問題がなければ `dxanalysis add このファイル.xlsx` で取り込みます。",
    "",
    "English: one row per number; register the new document in 出典一覧; values as written; leave unknown values empty (never 0);",
    "paste the verbatim sentence or table row into 引用 (quote). Then run `dxanalysis validate FILE` and `dxanalysis add FILE`.",
    "Columns headed 参考： are for reference only and are not read. Rows you leave without a value, quote and source are skipped.",
]


# ---------------------------------------------------------------- template

def expected_rows(kpis: pd.DataFrame, fiscal_year: int) -> pd.DataFrame:
    """Rows an analyst should fill for ``fiscal_year``: every target set for that year, and every
    series that had an actual the year before (its next figure is due).

    >>> from dxanalysis import load_kpis
    >>> rows = expected_rows(load_kpis(), 2026)
    >>> row = rows.set_index(["municipality", "indicator"]).loc[("hadano", "rpa_hours_saved")]
    >>> float(row["target"]), float(row["previous"]) if row["previous"] == row["previous"] else None
    (3700.0, None)
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
                   cat.at[r.indicator, "unit"], "実績", None, None, None, None, None, None,
                   cat.at[r.indicator, "name_ja"], target, previous])
    for row in ws.iter_rows(min_row=2, min_col=len(ENTRY_HEADERS) + 1, max_col=len(ENTRY_HEADERS) + len(HELPER_HEADERS)):
        for cell in row:
            cell.fill = grey
    ws.freeze_panes = "C2"
    for col, width in zip("ABCDEFGHIJKLMNOP", (10, 34, 10, 10, 12, 8, 8, 8, 28, 30, 50, 16, 20, 36, 12, 12)):
        ws.column_dimensions[col].width = width

    lists = wb.create_sheet("選択肢")
    municipalities = [mun.at[m, "name_ja"] for m in ("chigasaki", "hadano", "minamiboso")]
    units = sorted(u for u in cat["unit"].unique() if u)
    for j, values in enumerate((municipalities, ["実績", "目標"], units, ["はい", "いいえ"]), start=1):
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
        ("G", "=選択肢!$B$1:$B$2", "区分"),
        ("H", "=選択肢!$D$1:$D$2", "概数"),
    ):
        dv = DataValidation(type="list", formula1=formula, allow_blank=True, showDropDown=False,
                            showErrorMessage=True, errorTitle=title, error=f"{title}は一覧から選んでください")
        ws.add_data_validation(dv)
        dv.add(f"{col}2:{col}{last}")
    wb.properties.creator = "dxanalysis"
    import io

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
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    return str(int(v)) if float(v).is_integer() and abs(v) < 1e15 else repr(float(v))


def add_extract(path: str | Path) -> Changes:
    """Validate ``path`` and put its rows into ``data/kpis/<source_id>.csv`` (one file per source).

    Raises :class:`ExtractError` if the file does not validate, and ``ValueError`` if it would
    change a value of the same source (a correction needs its own, newer source record). New source records from the 出典一覧 sheet are appended to
    ``data/sources.csv``. Revised values are kept from both sources (see ``load_kpis``).
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
    new_sources = workbook_sources(path)
    _append_sources(new_sources[~new_sources["source_id"].isin(load_sources().index)])
    for sid, group in rows.groupby("source_id"):
        _append_rows(config.KPI_DIR / f"{sid}.csv", group)
    load_kpis()  # the bundled data must still load
    return changes


def _append_rows(path: Path, rows: pd.DataFrame) -> None:
    exists = path.exists()
    with open(path, "a", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        if not exists:
            w.writerow(KPI_COLUMNS)
        for r in rows.itertuples(index=False):
            rec = r._asdict()
            w.writerow([_format_value(rec["value"]) if c == "value" else
                        ("true" if rec[c] else "false") if c == "approximate" else
                        "" if pd.isna(rec[c]) else str(rec[c]) for c in KPI_COLUMNS])


def _append_sources(rows: pd.DataFrame) -> None:
    if rows.empty:
        return
    with open(config.SOURCES_CSV, "a", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows[SOURCE_HEADERS].astype(str).values.tolist())
