"""Read extracts (CSV or XLSX) and the catalogue tables into DataFrames.

This module only *reads*: it finds the header row, maps Japanese and English
headers to the contract's column names, keeps the spreadsheet row number of
every record (``source_row``, header = row 1) and counts blank and hidden rows.
A CSV's structure is verified, never guessed: one encoding for the whole file,
every record with as many cells as the header row, no quote or bare CR that
changes where rows end (:func:`_csv_source`). Workbooks are read by
:mod:`dxanalysis.xlsx`. Turning cells into values and checking them is
:mod:`dxanalysis.validate`'s job.
"""

from __future__ import annotations

import csv
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import Problem
from .catalogue import workbook_sources
from .cells import normalize_text
from .csv import _csv_source, _read_csv_rows
from .rows import (
    _blank_cells,
    HEADER_SEARCH_ROWS,
    FileProblem,
    _blank_rows,
    _cells_present,
    _rows_frame,
)
from .xlsx import read_xlsx_rows

HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "municipality": ("municipality", "自治体", "自治体名", "市町村", "市町村名", "団体", "団体名", "市"),
    "indicator": ("indicator", "指標", "指標名", "指標id", "kpi"),
    "fiscal_year": ("fiscal_year", "年度", "fy", "fiscal year"),
    "as_of": ("as_of", "時点", "基準日", "as of", "調査時点"),
    "year_basis": ("year_basis", "年の根拠", "年度の根拠", "year basis"),
    "value": ("value", "値", "数値", "実績・目標値", "値(実績・目標)"),
    "unit": ("unit", "単位"),
    "kind": ("kind", "区分", "種別", "実績/目標", "実績・目標"),
    "approximate": ("approximate", "概数", "概算", "概数フラグ"),
    "source_id": ("source_id", "出典", "出典id", "source"),
    "location": ("location", "掲載箇所", "出典箇所", "箇所"),
    "quote": ("quote", "引用", "原文", "引用文"),
    "derivation": ("derivation", "算出方法", "導出", "算出"),
    "note": ("note", "備考", "メモ", "注記"),
}
"""Accepted headers for each contract column (compared after NFKC and lower-casing)."""
WORKFLOW_ALIASES: dict[str, tuple[str, ...]] = {"confirmation": ("confirmation", "確認")}
"""Columns read but not stored: 確認 (要確認 on a row ``dxanalysis suggest`` filled and nobody confirmed yet)."""
REQUIRED_COLUMNS = ("municipality", "indicator", "fiscal_year", "value", "kind", "source_id")
_ALIAS_TO_COLUMN = {normalize_text(a).lower(): col for col, names in (HEADER_ALIASES | WORKFLOW_ALIASES).items()
                    for a in names}


@dataclass
class RawTable:
    """The records of one file, as text or spreadsheet values, before validation."""

    file: str
    frame: pd.DataFrame
    headers: dict[str, str] = field(default_factory=dict)
    """contract column → header as written in the file (for messages)"""
    problems: list[Problem] = field(default_factory=list)
    rows_read: int = 0
    blank_rows: int = 0
    hidden_rows: int = 0
    """rows hidden in the workbook (loaded like the others, counted in the load report)"""
    refused: bool = False
    """the file as a whole cannot be read (broken structure, encoding, no header …): no row is loaded"""
    sheet: str | None = None


# ---------------------------------------------------------------- files → rows

def read_rows(path: str | Path) -> tuple[list[list[object]], list[Problem]]:
    """All rows of a CSV or the entry sheet of an XLSX, as lists of cell values."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx_rows(path, find_header)
    if suffix in (".csv", ".txt", ".tsv"):
        return _read_csv_rows(path), []
    return [], [Problem(path.name, None, None, path.suffix, "unreadable_file", "use .csv, .xlsx or .xlsm")]


# ---------------------------------------------------------------- rows → raw table

def find_header(rows: list[list[object]]) -> int | None:
    """Index of the first row (among the top ones) that holds at least three known headers."""
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        known = {_ALIAS_TO_COLUMN.get(normalize_text(c).lower()) for c in row if isinstance(c, str)}
        if len(known - {None}) >= 3:
            return i
    return None


def rows_above_header(head: list[list[object]], h: int, columns: dict[str, int]) -> list[int]:
    """Rows (1-based) above the header row that hold cells in two or more of its columns: figures a sort or a
    moved header left above it (a title line fills one cell and is not counted).

    >>> rows_above_header([["茅ヶ崎市", "telework_count", 2024], ["KPI"], ["自治体", "指標", "年度"]], 2,
    ...                   {"municipality": 0, "indicator": 1, "fiscal_year": 2})
    [1]
    """
    wanted = sorted(columns.values())
    return [i + 1 for i, row in enumerate(head[:h])
            if sum(1 for j in wanted if j < len(row) and _cells_present([row[j]])) >= 2]


def read_raw(path: str | Path) -> RawTable:
    """Read one extract into a :class:`RawTable` (contract column names, ``source_row`` kept)."""
    path = Path(path)
    name = path.name
    table = RawTable(name, pd.DataFrame())
    suffix = path.suffix.lower()
    try:
        if not path.is_file():
            raise FileProblem("unreadable_file", "no such file" if not path.exists() else "not a file")
        if path.stat().st_size == 0:
            raise FileProblem("empty_file", "0 bytes")
        if suffix in (".csv", ".txt", ".tsv"):
            head, body_reader = _csv_source(path, "\t" if suffix == ".tsv" else ",")
        elif suffix in (".xlsx", ".xlsm"):
            rows, table.problems = read_xlsx_rows(path, find_header)
            if table.problems:
                table.refused = True
                return table
            table.sheet = getattr(rows, "sheet", None)
            plain = getattr(rows, "plain", False)
            hidden = getattr(rows, "hidden", set())
            head = rows[:HEADER_SEARCH_ROWS]

            def body_reader(h, cols, rows=rows, plain=plain, hidden=hidden):
                table.hidden_rows = sum(1 for i in hidden if i > h)
                return _rows_frame(rows[h + 1:], cols, plain)
        else:
            raise FileProblem("unreadable_file", f"{path.suffix or 'no suffix'}: use .csv, .xlsx or .xlsm")
        if not head or not any(_cells_present(r) for r in head):
            raise FileProblem("empty_file", "no cells" + (f" on sheet {table.sheet}" if table.sheet else ""))
        h = find_header(head)
        if h is None:
            raise FileProblem("no_header", f"searched the first {HEADER_SEARCH_ROWS} rows"
                              + (f" of sheet {table.sheet}" if table.sheet else ""))
        columns: dict[str, int] = {}
        for j, cell in enumerate(head[h]):
            col = _ALIAS_TO_COLUMN.get(normalize_text(cell).lower()) if isinstance(cell, str) else None
            if col is None:
                continue
            if col in columns:
                table.problems.append(Problem(name, h + 1, str(cell), None, "duplicate_header",
                                              f"same as column {table.headers[col]!r}"))
                continue
            columns[col] = j
            table.headers[col] = str(cell)
        for col in REQUIRED_COLUMNS:
            if col not in columns:
                table.problems.append(Problem(name, h + 1, col, None, "missing_column",
                                              "accepted headers: " + ", ".join(HEADER_ALIASES[col])))
        if any(p.code == "missing_column" for p in table.problems):
            table.refused = True
        unnamed = _unnamed_positions(head[h], table.sheet, rows if suffix in (".xlsx", ".xlsm") else None, h)
        above = rows_above_header(head, h, columns)
        if above:
            table.problems.append(Problem(name, above[0], None, None, "rows_above_header",
                                          f"row(s) {', '.join(map(str, above))} above the header row {h + 1} hold figures"
                                          + (f" (sheet {table.sheet})" if table.sheet else "")))
            table.refused = True
        body = body_reader(h, {**columns, **unnamed})
    except FileProblem as exc:
        table.problems.append(Problem(name, exc.row, None, None, exc.code, exc.detail))
        table.refused = True
        return table
    except (OSError, UnicodeDecodeError, zipfile.BadZipFile, csv.Error, KeyError, ValueError, RuntimeError) as exc:
        table.problems.append(Problem(name, None, None, None, "unreadable_file", f"{type(exc).__name__}: {str(exc)[:200]}"))
        table.refused = True
        return table
    if isinstance(body, list):  # structure problems found while reading the body
        table.rows_read = body[0] + len(above)
        table.problems += body[1]
        table.refused = True
        return table
    body.insert(0, "source_row", pd.Series(range(h + 2, h + 2 + len(body)), dtype="int64", index=body.index))
    body = _refuse_unnamed_values(table, body, unnamed)
    blank = _blank_rows(body[list(columns)])
    table.blank_rows = int(blank.sum())
    table.rows_read = len(body) + len(above)  # rows above the header are read too (and refused with the file)
    if table.blank_rows:
        body = body[~blank].reset_index(drop=True)
    body.insert(0, "source_file", name)
    table.frame = body
    return table
UNNAMED_PREFIX = "__unnamed_"
"""Working name of a column read only to check it is empty: a position with no header in the header row."""


def _unnamed_positions(header: list[object], sheet: str | None, rows: list[list[object]] | None,
                       h: int) -> dict[str, int]:
    """Positions without a header, up to the header's width (a CSV row has no more cells) or, in a workbook, to the
    widest row below it: values there would be dropped unseen, so they are read to be refused."""
    width = len(header) if rows is None else max([len(header), *(len(r) for r in rows[h + 1:])])
    return {f"{UNNAMED_PREFIX}{j}": j for j in range(width)
            if j >= len(header) or header[j] is None or (isinstance(header[j], str) and not header[j].strip())}


def _refuse_unnamed_values(table: RawTable, body: pd.DataFrame, unnamed: dict[str, int]) -> pd.DataFrame:
    """Drop the unnamed columns; a value in one refuses the file (named by row, column letter and value)."""
    for col, j in unnamed.items():
        filled = body.loc[~_blank_cells(body[col].astype(object)), ["source_row", col]]
        for row, value in filled.itertuples(index=False):
            table.problems.append(Problem(table.file, int(row), column_letter(j), value, "unnamed_column",
                                          f"column {column_letter(j)} has no header" +
                                          (f" (sheet {table.sheet})" if table.sheet else "")))
        table.refused = table.refused or not filled.empty
    return body.drop(columns=list(unnamed))


def column_letter(j: int) -> str:
    """The spreadsheet letter of the 0-based column ``j``: 0 → A, 25 → Z, 26 → AA."""
    letters = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        letters = chr(65 + r) + letters
    return letters


csv.field_size_limit(1 << 30)  # a long quote is data, wherever it is in the file


@dataclass
class RawExtract:
    """Everything read from one extract file, nothing judged yet: the first stage of the load path.

    ``table`` holds the rows of the entry sheet (or the CSV); ``sources`` the source records typed
    into a workbook's 出典一覧 sheet, as text (empty for a CSV). ``contract`` checks both.
    """

    path: Path
    table: RawTable
    sources: pd.DataFrame


def read_extract(path: str | Path) -> RawExtract:
    """Read every raw table of one extract file: its rows and, for a workbook, its source sheet."""
    path = Path(path)
    return RawExtract(path, read_raw(path), workbook_sources(path))


FILLED_COLUMNS = ("value", "quote", "source_id")
"""A row is filled when one of these holds something (the template pre-fills only the key cells)."""


def filled_rows_elsewhere(path: str | Path, sheet: str | None) -> dict[str, int]:
    """Per other sheet of a workbook with a header row: how many rows below it are filled (sheets with none left out).

    For the message when the entry sheet holds only the template but a copy (``入力 (2)``) holds the figures.
    """
    from python_calamine import CalamineWorkbook

    from .xlsx import check_zip, read_sheet_values

    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm") or check_zip(path):
        return {}
    try:
        names = list(CalamineWorkbook.from_path(str(path)).sheet_names)
    except Exception:  # noqa: BLE001 - the entry sheet's reader reports an unreadable workbook
        return {}
    out = {}
    for name in names:
        if name == sheet:
            continue
        rows = read_sheet_values(path, name)
        h = find_header(rows[:HEADER_SEARCH_ROWS])
        if h is None:
            continue
        cols = [j for j, cell in enumerate(rows[h]) if isinstance(cell, str)
                and _ALIAS_TO_COLUMN.get(normalize_text(cell).lower()) in FILLED_COLUMNS]
        n = sum(1 for row in rows[h + 1:] if _cells_present([row[j] for j in cols if j < len(row)]))
        if n:
            out[name] = n
    return out
