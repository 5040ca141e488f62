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
import re
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pandas as pd

from .. import config
from ..config import KEY_COLUMNS, KPI_COLUMNS
from ..errors import ExtractError
from ..contract.rules import check_source_dates
from ..io.catalogue import SOURCE_HEADERS, load_sources, workbook_sources
from .files import _replace_files

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
    from ..contract.load import check_kpis, load_kpis

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
    new_sources = check_source_dates(workbook_sources(path), Path(path).name)[0]  # dates as YYYY-MM[-DD]
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
    from ..contract.load import check_kpis, load_kpis
    from ..io.catalogue import bundled_extracts

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
