"""The files of a dashboard release: a table as CSV (UTF-8 or CP932) or XLSX, read into rows of cell texts; and
what a municipality count that differs from the code list means (a merger or split), named by code.

An XLSX table is read by the project's workbook reader (:func:`dxanalysis.io.xlsx.read_xlsx_rows`: the zip checked
first, openpyxl through defusedxml whenever the workbook has formulas, error cells, merged cells or percent
formats) and each cell becomes the text the analyst sees: ``0.72`` formatted as a percentage → ``72%``, ``26`` →
``26``, an empty cell → ``""``. A formula or an error cell (``#REF!``) is a damaged cell: refused naming the file,
the sheet, the row and the column (letter and position). From there on an XLSX table is verified exactly as the CSV
one (columns by position against the code list, row labels, placeholders, rates against their numerators).
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pandas as pd

from ..errors import ExtractError, Problem
from ..io.cells import ExcelError, Formula
from ..io.xlsx import read_xlsx_rows
from .common import _csv_rows, _raise

TABLE_SUFFIXES = (".csv", ".xlsx")
"""The forms a table of a release may be stored in; where both are stored the CSV is read (the XLSX was verified
to show the same cells when the release was added)."""
DASHBOARD_ENCODINGS = ("utf-8-sig", "cp932")
"""The encodings a CSV table may come in: UTF-8 (with BOM, as bundled) or CP932 (Shift_JIS, as Japanese
publishers often write CSV). The file is decoded as a whole in one of them, never mixed."""


def table_path(folder: Path, csv_name: str) -> Path | None:
    """The stored file of one table in a release folder: ``<name>.csv``, else ``<name>.xlsx``, else None."""
    for suffix in TABLE_SUFFIXES:
        p = folder / Path(csv_name).with_suffix(suffix).name
        if p.is_file():
            return p
    return None


def excel_column(position: int) -> str:
    """1 → A, 27 → AA, 700 → ZX: the letters Excel shows above a column.

    >>> excel_column(1), excel_column(26), excel_column(27), excel_column(700)
    ('A', 'Z', 'AA', 'ZX')
    """
    out = ""
    while position:
        position, rem = divmod(position - 1, 26)
        out = chr(65 + rem) + out
    return out


class SheetRows(list):
    """Rows of cell texts; ``sheet`` the worksheet they came from (None for a CSV)."""

    sheet: str | None = None


def table_rows(path: Path, name: str) -> SheetRows:
    """All rows of a dashboard table as cell texts: a CSV in the first encoding of :data:`DASHBOARD_ENCODINGS`
    that decodes it whole, or an XLSX as displayed. An unreadable file or a damaged cell is an ExtractError."""
    if path.suffix.lower() == ".xlsx":
        return _xlsx_rows(path, name)
    for encoding in DASHBOARD_ENCODINGS:
        try:
            return SheetRows(_csv_rows(path, encoding))
        except ExtractError:
            continue
    _raise([Problem(name, None, None, None, "unreadable_file", f"neither {' nor '.join(DASHBOARD_ENCODINGS)} CSV")])
    return SheetRows()


def _is_table_header(top: list[list[object]]) -> int | None:
    """Row 1 is the header of a dashboard sheet: two label columns, then (many) municipality names."""
    return 0 if top and sum(c not in (None, "") for c in top[0][2:]) > 1 else None


def _xlsx_rows(path: Path, name: str) -> SheetRows:
    rows, problems = read_xlsx_rows(path, _is_table_header)
    if problems:
        _raise([Problem(name, p.row, p.column, p.value, p.code, p.detail) for p in problems])
    sheet = rows.sheet
    out, damaged = SheetRows(), []
    for r, row in enumerate(rows, start=1):
        texts = []
        for c, value in enumerate(row, start=1):
            if isinstance(value, (Formula, ExcelError)):
                kind = "a formula" if isinstance(value, Formula) else "an error cell"
                header = cell_text(rows[0][c - 1]) if rows and c <= len(rows[0]) else ""
                damaged.append(Problem(sheet_file(name, sheet), r, f"{excel_column(c)} / {c} ({header})", str(value),
                                       "national_bad_cell", f"{kind}, not a value the publisher wrote"))
            texts.append(cell_text(value))
        out.append(texts)
    _raise(damaged)
    out.sheet = sheet
    return out


def cell_text(value: object) -> str:
    """A workbook value as the dashboard's CSV writes it: None → "", whole numbers without ``.0``.

    >>> cell_text(None), cell_text(26.0), cell_text(26), cell_text("72%"), cell_text(4.5)
    ('', '26', '26', '72%', '4.5')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def sheet_file(name: str, sheet: str | None) -> str:
    """How a Problem names a table: the file, and for a workbook its sheet (``x.xlsx, sheet 市区町村比較``)."""
    return f"{name}, sheet {sheet}" if sheet else name


def locate(problems: list[Problem], name: str, sheet: str | None) -> list[Problem]:
    """Problems of a workbook table named by file and sheet, their columns also by Excel letter (``ZX (700 …)``)."""
    if sheet is None:
        return problems
    out = []
    for p in problems:
        if p.file != name:
            out.append(p)
            continue
        column = p.column
        head = str(column).split(" ", 1)[0] if column is not None else ""
        if head.isdigit():
            column = f"{excel_column(int(head))} / {column}"
        out.append(Problem(sheet_file(name, sheet), p.row, column, p.value, p.code, p.detail))
    return out


# ---------------------------------------------------------------- merger or split

def count_problem(name: str, names: list[str], codes: pd.DataFrame, first: int) -> Problem:
    """A header with another number of municipalities than the code list: the codes the release lacks and the
    columns it has in their place, found by aligning the names in code order (names repeat; the order does not) —
    refused, never shifted: a merger or split needs the code list of the release's date."""
    expected = codes["name_ja"].tolist()
    gone, new = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, expected, names, autojunk=False).get_opcodes():
        if op in ("delete", "replace"):
            gone += [f"{codes['lg_code'].iloc[i]} {expected[i]} ({codes['prefecture'].iloc[i]})" for i in range(i1, i2)]
        if op in ("insert", "replace"):
            new += [f"column {first + j + 1} {names[j]}" for j in range(j1, j2)]
    n = len(expected)
    parts = [f"{len(names):,} municipality columns, the code list has {n:,}: a merger or split (refused, never "
             f"shifted onto other municipalities)"]
    if gone:
        parts.append("not in the release: " + ", ".join(gone[:10]) + (" …" if len(gone) > 10 else ""))
    if new:
        parts.append("not in the code list: " + ", ".join(new[:10]) + (" …" if len(new) > 10 else ""))
    parts.append("add the release once data/national/raw/localgovjp holds the code list of its date")
    return Problem(name, 1, None, len(names), "national_count", "; ".join(parts))
