"""Read the entry sheet of an XLSX workbook safely with openpyxl.

Before openpyxl sees the file, the zip is checked (entry count, total
uncompressed size, compression ratio) so a zip bomb is refused in
milliseconds; openpyxl parses XML through ``defusedxml`` (checked at import),
which refuses entity expansion ("billion laughs").  Merged cells are filled
with their top-left value (a municipality merged over several rows belongs to
each of them) and formula cells are returned as :class:`~dxanalysis.io.Formula`
so that validation can refuse them by name.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl

from .errors import Problem

if not openpyxl.DEFUSEDXML:  # pragma: no cover - defusedxml is a declared dependency
    raise ImportError("defusedxml is not installed: openpyxl would parse untrusted XML unsafely")

MAX_ENTRIES = 1_000
"""Zip entries a data workbook may have."""
MAX_UNCOMPRESSED_BYTES = 512 * 1024 * 1024
"""Total unpacked size allowed (a 700,000-row national extract unpacks to about 150 MB)."""
MAX_COMPRESSION_RATIO = 200
"""Uncompressed ÷ compressed size of the whole archive; spreadsheets stay far below, zip bombs far above."""


def check_zip(path: Path) -> list[Problem]:
    """Refuse a workbook whose zip looks like a bomb; returns problems (empty when safe)."""
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
        total = sum(i.file_size for i in infos)
        packed = sum(i.compress_size for i in infos) or 1
        dtd = [i.filename for i in infos if i.filename.endswith((".xml", ".rels")) and i.file_size < MAX_UNCOMPRESSED_BYTES
               and b"<!DOCTYPE" in zf.open(i).read(4096).upper()]
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


def entry_sheet(workbook):
    """The sheet analysts type into: one named 入力/kpis/data/データ, else the first."""
    from .io import ENTRY_SHEET_NAMES

    for name in workbook.sheetnames:
        if name.strip().lower() in ENTRY_SHEET_NAMES:
            return workbook[name]
    return workbook.worksheets[0]


def needs_openpyxl(path: Path) -> bool:
    """True when a sheet has merged cells or formulas, which only openpyxl reports faithfully."""
    markers = (b"<mergeCell ", b"<f>", b"<f ")
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            if not info.filename.startswith("xl/worksheets/"):
                continue
            tail = b""
            with zf.open(info) as fh:
                while chunk := fh.read(1 << 20):
                    block = tail + chunk
                    if any(m in block for m in markers):
                        return True
                    tail = block[-8:]
    return False


def read_xlsx_rows(path: Path) -> tuple[list[list[object]], list[Problem]]:
    """Rows of the entry sheet as Python values (dates as ``datetime``, formulas as ``Formula``).

    Plain sheets are read with python-calamine (Rust, many times faster); sheets with merged
    cells or formulas with openpyxl, which reports both.
    """
    problems = check_zip(path)
    if problems:
        return [], problems
    if needs_openpyxl(path):
        return _read_openpyxl(path), []
    return _read_calamine(path), []


class PlainRows(list):
    """Rows read by calamine from a sheet without formulas or merged cells (columns may be typed)."""


def _read_calamine(path: Path) -> list[list[object]]:
    from python_calamine import CalamineWorkbook

    from .io import ENTRY_SHEET_NAMES

    wb = CalamineWorkbook.from_path(str(path))
    names = [n for n in wb.sheet_names if n.strip().lower() in ENTRY_SHEET_NAMES] or wb.sheet_names[:1]
    ws = wb.get_sheet_by_name(names[0])
    return PlainRows(ws.to_python(skip_empty_area=False))


def _read_openpyxl(path: Path) -> list[list[object]]:
    from .io import Formula

    wb = openpyxl.load_workbook(path, data_only=False)
    ws = entry_sheet(wb)
    rows = [[Formula(getattr(c.value, "text", c.value)) if c.data_type == "f" else c.value for c in row]
            for row in ws.iter_rows()]
    for rng in ws.merged_cells.ranges:
        top = rows[rng.min_row - 1][rng.min_col - 1]
        for r in range(rng.min_row - 1, min(rng.max_row, len(rows))):
            for c in range(rng.min_col - 1, rng.max_col):
                rows[r][c] = top
    wb.close()
    return rows
