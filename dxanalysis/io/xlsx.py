"""Read the entry sheet of an XLSX workbook safely, as the analyst sees it.

Before any reader sees the file, the zip is checked (entry count, total uncompressed size,
compression ratio, DTDs) so a zip bomb is refused in milliseconds; openpyxl parses XML through
``defusedxml`` (checked before first use), which refuses entity expansion ("billion laughs").

Which sheet: one named 入力/kpis/data/データ; else the one sheet whose top rows hold a header row
(none, or several, is refused naming the sheets looked at).

Which reader: python-calamine (fast) for plain sheets; openpyxl when the workbook has what only
openpyxl reports — formulas (returned as :class:`~dxanalysis.io.cells.Formula`), merged cells (filled
with their top-left value), error cells (:class:`~dxanalysis.io.cells.ExcelError`), hidden rows (counted)
and percent number formats (a cell holding 0.15 shown as ``15%`` is returned as the text ``15%``).

This module imports nothing else of the loader but :mod:`dxanalysis.parse` and
:mod:`dxanalysis.errors` (``io`` imports it, never the reverse).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from ..errors import Problem
from .cells import ExcelError, Formula, percent_text

MAX_ENTRIES = 1_000
"""Zip entries a data workbook may have."""
MAX_UNCOMPRESSED_BYTES = 512 * 1024 * 1024
"""Total unpacked size allowed (a 700,000-row national extract unpacks to about 150 MB)."""
MAX_COMPRESSION_RATIO = 200
"""Uncompressed ÷ compressed size of the whole archive; spreadsheets stay far below, zip bombs far above."""
ENTRY_SHEET_NAMES = ("入力", "kpis", "data", "データ")
"""Workbook sheets read in preference to any other (compared stripped and lower-cased)."""
PERCENT_BUILTIN_FORMATS = {9, 10}
"""Excel's built-in number formats ``0%`` and ``0.00%``."""
OPENPYXL_MARKERS = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:mergeCell|f)[\s>/]|\st=[\"']e[\"']|\shidden=[\"'](?:1|true)[\"']")
"""Sheet XML that only openpyxl reports: merged cells, formulas (``<f>``, or ``<x:f>`` with any namespace prefix),
error cells, hidden rows."""
MARKER_OVERLAP = 64
"""Bytes kept between chunks so that a marker cut by a chunk boundary is still found."""


class PlainRows(list):
    """Rows of the chosen sheet; ``sheet`` its name, ``plain`` True when read by calamine (no formulas
    or merged cells, columns may be typed), ``hidden`` the 0-based indices of hidden rows."""

    sheet: str | None = None
    plain: bool = False
    hidden: frozenset = frozenset()


def _openpyxl():
    import openpyxl

    if not openpyxl.DEFUSEDXML:  # pragma: no cover - defusedxml is a declared dependency
        raise ImportError("defusedxml is not installed: openpyxl would parse untrusted XML unsafely")
    return openpyxl


def check_zip(path: Path) -> list[Problem]:
    """Refuse a workbook whose zip looks like a bomb; returns problems (empty when safe)."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            total = sum(i.file_size for i in infos)
            packed = sum(i.compress_size for i in infos) or 1
            dtd = [i.filename for i in infos if i.filename.endswith((".xml", ".rels"))
                   and i.file_size < MAX_UNCOMPRESSED_BYTES and b"<!DOCTYPE" in zf.open(i).read(4096).upper()]
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        return [Problem(path.name, None, None, None, "unreadable_file", f"not a valid .xlsx (zip) file: {exc}")]
    detail = None
    if dtd:  # OOXML parts never declare a DTD; entity expansion ("billion laughs") needs one
        detail = f"XML with a DTD/entity declarations in {dtd[0]}"
    elif len(infos) > MAX_ENTRIES:
        detail = f"{len(infos)} zip entries (limit {MAX_ENTRIES})"
    elif total > MAX_UNCOMPRESSED_BYTES:
        detail = f"{total:,} bytes unpacked (limit {MAX_UNCOMPRESSED_BYTES:,})"
    elif total > 1_000_000 and total / packed > MAX_COMPRESSION_RATIO:
        detail = f"compression ratio {total / packed:.0f}:1 (limit {MAX_COMPRESSION_RATIO}:1)"
    return [Problem(path.name, None, None, None, "unsafe_file", detail)] if detail else []


def _percent_styles(zf: zipfile.ZipFile) -> bool:
    """True when some cell style of the workbook has a percent number format."""
    try:
        styles = zf.read("xl/styles.xml").decode("utf-8", errors="replace")
    except KeyError:
        return False
    custom = {int(m.group(1)) for m in re.finditer(r'<numFmt\b[^>]*numFmtId="(\d+)"[^>]*formatCode="([^"]*)"', styles)
              if "%" in re.sub(r'&quot;.*?&quot;|\\\\.', "", m.group(2))}
    xfs = re.search(r"<cellXfs\b.*?</cellXfs>", styles, re.S)
    ids = {int(i) for i in re.findall(r'<xf\b[^>]*numFmtId="(\d+)"', xfs.group(0))} if xfs else set()
    return bool(ids & (PERCENT_BUILTIN_FORMATS | custom))


def needs_openpyxl(path: Path) -> bool:
    """True when the workbook has formulas, merged cells, error cells, hidden rows or percent formats."""
    with zipfile.ZipFile(path) as zf:
        if _percent_styles(zf):
            return True
        for info in zf.infolist():
            if not info.filename.startswith("xl/worksheets/"):
                continue
            tail = b""
            with zf.open(info) as fh:
                while chunk := fh.read(1 << 20):
                    block = tail + chunk
                    if OPENPYXL_MARKERS.search(block):
                        return True
                    tail = block[-MARKER_OVERLAP:]
    return False


def choose_sheet(names: list[str], top_rows: Callable[[str], list[list[object]]],
                 find_header: Callable[[list[list[object]]], int | None]) -> tuple[str | None, Problem | None]:
    """The entry sheet: one named 入力/kpis/data/データ, else the only sheet with a header row.

    Returns (sheet name, None) or (None, a problem naming the sheets looked at).
    """
    for wanted in ENTRY_SHEET_NAMES:
        for name in names:
            if name.strip().lower() == wanted:
                return name, None
    with_header = [n for n in names if find_header(top_rows(n)) is not None]
    if len(with_header) == 1:
        return with_header[0], None
    looked = ", ".join(names) or "(no sheets)"
    if not with_header:
        return None, Problem("", None, None, None, "no_header", f"no header row on any sheet (looked at: {looked})")
    return None, Problem("", None, None, None, "ambiguous_sheets",
                         f"sheets {', '.join(with_header)} all hold a header row and none is named 入力 "
                         f"(looked at: {looked})")


def read_sheet_values(path: Path, sheet: str) -> list[list[object]]:
    """The values of one named sheet (calamine), or [] if the workbook is unsafe, unreadable or has no such sheet."""
    from python_calamine import CalamineWorkbook

    try:
        if check_zip(path):
            return []
        wb = CalamineWorkbook.from_path(str(path))
        if sheet not in wb.sheet_names:
            return []
        return wb.get_sheet_by_name(sheet).to_python()
    except Exception:  # noqa: BLE001 - calamine raises its own error types; the entry sheet's reader reports them
        return []


def read_xlsx_rows(path: Path, find_header: Callable[[list[list[object]]], int | None]
                   ) -> tuple[list[list[object]], list[Problem]]:
    """Rows of the entry sheet as Python values (dates as ``datetime``, formulas as ``Formula``, …).

    ``find_header`` says which row of a sheet's top rows is the header (None if none): it decides
    the sheet when none is named 入力.
    """
    problems = check_zip(path)
    if problems:
        return [], problems
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(path))
        names = list(wb.sheet_names)
        sheet, problem = choose_sheet(names, lambda n: wb.get_sheet_by_name(n).to_python(nrows=20), find_header)
        if problem is not None:
            return [], [Problem(path.name, None, None, None, problem.code, problem.detail)]
        if needs_openpyxl(path):
            rows = _read_openpyxl(path, sheet)
        else:
            rows = PlainRows(wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False))
            rows.plain = True
    except Exception as exc:  # noqa: BLE001 - calamine/openpyxl raise many types for a damaged workbook
        return [], [Problem(path.name, None, None, None, "unreadable_file", f"{type(exc).__name__}: {str(exc)[:200]}")]
    rows.sheet = sheet
    return rows, []


def _read_openpyxl(path: Path, sheet: str) -> PlainRows:
    wb = _openpyxl().load_workbook(path, data_only=False)
    ws = wb[sheet]
    last_row, last_col = used_extent(ws)
    rows = PlainRows()
    for row in ws.iter_rows(min_row=1, max_row=last_row, min_col=1, max_col=last_col) if last_row else ():
        rows.append([_cell_value(c) for c in row])
    for rng in ws.merged_cells.ranges:
        if rng.min_row > len(rows):
            continue
        top = rows[rng.min_row - 1][rng.min_col - 1]
        for r in range(rng.min_row - 1, min(rng.max_row, len(rows))):
            for c in range(rng.min_col - 1, rng.max_col):
                rows[r][c] = top
    rows.hidden = frozenset(r - 1 for r, dim in ws.row_dimensions.items() if dim.hidden and r <= len(rows))
    wb.close()
    return rows


def used_extent(ws) -> tuple[int, int]:
    """The last row and column that hold a value (or a merged range's anchor): Excel's used range also counts
    cells that are only styled (a whole column formatted reaches row 1,048,576), which would cost gigabytes."""
    filled = [key for key, cell in ws._cells.items() if cell.value is not None]  # openpyxl keeps only written cells
    filled += [(rng.max_row, rng.max_col) for rng in ws.merged_cells.ranges]
    if not filled:
        return 0, 0
    return max(r for r, _ in filled), max(c for _, c in filled)


def _cell_value(cell) -> object:
    """A cell as shown: formula text, error text, a percent-formatted number as ``15%``, else its value."""
    if cell.data_type == "f":
        return Formula(getattr(cell.value, "text", cell.value))
    if cell.data_type == "e":
        return ExcelError(cell.value)
    value = cell.value
    if (isinstance(value, (int, float)) and not isinstance(value, bool)
            and "%" in re.sub(r'"[^"]*"|\\.', "", cell.number_format or "")):
        return percent_text(value)
    return value
