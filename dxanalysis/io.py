"""Read extracts (CSV or XLSX) and the catalogue tables into DataFrames.

This module only *reads*: it finds the header row, maps Japanese and English
headers to the contract's column names, keeps the spreadsheet row number of
every record (``source_row``, header = row 1) and counts blank rows.  Turning
cells into values and checking them is :mod:`dxanalysis.validate`'s job.
"""

from __future__ import annotations

import csv
import io as _io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import config
from .errors import Problem
from .parse import normalize_text

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

SOURCE_HEADERS = ["source_id", "title", "publisher", "date", "url", "file", "note"]
"""Columns of data/sources.csv (and of the 出典一覧 sheet of an entry workbook)."""
REQUIRED_COLUMNS = ("municipality", "indicator", "fiscal_year", "value", "kind", "source_id")
_ALIAS_TO_COLUMN = {normalize_text(a).lower(): col for col, names in HEADER_ALIASES.items() for a in names}
HEADER_SEARCH_ROWS = 20
"""How many rows from the top are searched for the header row."""
ENTRY_SHEET_NAMES = ("入力", "kpis", "data", "データ")
"""Workbook sheets read in preference to the first sheet."""


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


class Formula(str):
    """The text of a formula cell (``=SUM(…)``): kept so validation can refuse it by name."""


# ---------------------------------------------------------------- files → rows

def read_rows(path: str | Path) -> tuple[list[list[object]], list[Problem]]:
    """All rows of a CSV or the entry sheet of an XLSX, as lists of cell values."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        from .xlsx import read_xlsx_rows  # openpyxl is imported only for workbooks

        return read_xlsx_rows(path)
    if suffix in (".csv", ".txt", ".tsv"):
        return _read_csv_rows(path), []
    return [], [Problem(path.name, None, None, path.suffix, "unreadable_file", "use .csv or .xlsx")]


def decode_text(data: bytes) -> str:
    """Decode CSV bytes: UTF-8 (with or without BOM), else Shift_JIS/CP932.

    >>> decode_text("年度".encode("cp932")), decode_text("\\ufeff年度".encode("utf-8"))
    ('年度', '年度')
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp932")


def _read_csv_rows(path: Path) -> list[list[object]]:
    text = decode_text(path.read_bytes())
    dialect = csv.excel_tab if path.suffix.lower() == ".tsv" else csv.excel
    return [list(r) for r in csv.reader(_io.StringIO(text, newline=""), dialect)]


# ---------------------------------------------------------------- rows → raw table

def find_header(rows: list[list[object]]) -> int | None:
    """Index of the first row (among the top ones) that holds at least three known headers."""
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        known = {_ALIAS_TO_COLUMN.get(normalize_text(c).lower()) for c in row if isinstance(c, str)}
        if len(known - {None}) >= 3:
            return i
    return None


def read_raw(path: str | Path) -> RawTable:
    """Read one extract into a :class:`RawTable` (contract column names, ``source_row`` kept)."""
    path = Path(path)
    name = path.name
    table = RawTable(name, pd.DataFrame())
    try:
        if path.suffix.lower() in (".csv", ".txt"):
            head, body_reader = _csv_source(path)
        else:
            rows, table.problems = read_rows(path)
            plain = type(rows).__name__ == "PlainRows"
            head, body_reader = rows[:HEADER_SEARCH_ROWS], (lambda h, cols: _rows_frame(rows[h + 1:], cols, plain))
    except (OSError, UnicodeDecodeError, zipfile.BadZipFile, csv.Error, KeyError, ValueError) as exc:
        table.problems = [Problem(name, None, None, None, "unreadable_file", str(exc)[:200])]
        return table
    if table.problems or not head:
        return table
    h = find_header(head)
    if h is None:
        table.problems.append(Problem(name, None, None, None, "no_header"))
        return table
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
    body = body_reader(h, columns)
    body.insert(0, "source_row", pd.Series(range(h + 2, h + 2 + len(body)), dtype="int64", index=body.index))
    blank = _blank_rows(body[list(columns)])
    table.blank_rows = int(blank.sum())
    table.rows_read = len(body)
    if table.blank_rows:
        body = body[~blank].reset_index(drop=True)
    body.insert(0, "source_file", name)
    table.frame = body
    return table


HEAD_BYTES = 256 * 1024
"""How much of a CSV is decoded up front to find the header row."""


def _csv_encoding(data: bytes) -> str:
    """``utf-8-sig`` if the bytes are UTF-8 (a character cut at the end is fine), else ``cp932``."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(data) - 3:
            return "cp932"
    return "utf-8-sig"


def _csv_source(path: Path):
    """The first rows (for the header search) and a reader of the body with pandas' C parser."""
    with open(path, "rb") as fh:
        prefix = fh.read(HEAD_BYTES)
    encoding = _csv_encoding(prefix)
    head_text = prefix.decode(encoding, errors="ignore")
    reader = csv.reader(_io.StringIO(head_text, newline=""))
    head = [row for _, row in zip(range(HEADER_SEARCH_ROWS), reader)]

    def body(h: int, columns: dict[str, int]) -> pd.DataFrame:
        simple_head = not any("\n" in c or "\r" in c for row in head[: h + 1] for c in row)
        if simple_head:
            width = max(len(head[h]), max(columns.values(), default=0) + 1)
            # the header line (with any BOM) is skipped, so UTF-8 bodies use the C parser's native decoder
            for enc in dict.fromkeys(("utf-8" if encoding == "utf-8-sig" else encoding, "cp932")):
                try:
                    df = pd.read_csv(path, encoding=enc, header=None, skiprows=h + 1, dtype=str,
                                     keep_default_na=False, na_filter=False, skip_blank_lines=False,
                                     names=list(range(width)), usecols=sorted(columns.values()), engine="c")
                    return df.rename(columns={j: c for c, j in columns.items()})[list(columns)]
                except UnicodeDecodeError:
                    continue
                except pd.errors.ParserError:
                    break  # ragged rows (more cells than headers): the csv module copes
        text = decode_text(path.read_bytes())
        rows = list(csv.reader(_io.StringIO(text, newline="")))
        return _rows_frame(rows[h + 1:], columns)

    return head, body


def _rows_frame(rows: list[list[object]], columns: dict[str, int], plain: bool = False) -> pd.DataFrame:
    """A frame of the wanted columns; with ``plain`` (no formulas possible) text-only columns become ``str``."""
    records = [[row[j] if j < len(row) else None for j in columns.values()] for row in rows]
    frame = pd.DataFrame(records, columns=list(columns), dtype=object)
    if plain:
        for col in frame.columns:
            if pd.api.types.infer_dtype(frame[col], skipna=True) in ("string", "empty"):
                frame[col] = frame[col].astype("str").fillna("")
    return frame


def _blank_rows(frame: pd.DataFrame) -> pd.Series:
    """Rows whose every read cell is empty (None, NaN or white space).

    Cheap first: only rows whose first column is empty are checked in the other columns.
    """
    if frame.empty or not len(frame.columns):
        return pd.Series(False, index=frame.index, dtype=bool)
    blank = _blank_cells(frame.iloc[:, 0])
    for col in frame.columns[1:]:
        if not blank.any():
            break
        blank[blank] = _blank_cells(frame.loc[blank, col]).to_numpy()
    return blank


def _blank_cells(s: pd.Series) -> pd.Series:
    if s.dtype == object:
        return s.map(_blank).astype(bool)
    return (s.isna() | s.str.strip().eq("")).astype(bool)


def _blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip()) or (isinstance(cell, float) and cell != cell)


# ---------------------------------------------------------------- catalogue tables

def _read_table(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def load_indicators(path: str | Path | None = None) -> pd.DataFrame:
    """The indicator catalogue (slug, names, unit, definition, comparability …), keyed by ``indicator``.

    >>> cat = load_indicators()
    >>> cat.loc["online_application_rate", "unit"]
    '%'
    """
    df = _read_table(Path(path or config.INDICATORS_CSV))
    df["higher_is_better"] = df["higher_is_better"].map({"true": True, "false": False, "": pd.NA})
    return _unique_index(df, "indicator", path or config.INDICATORS_CSV)


def load_municipalities(path: str | Path | None = None) -> pd.DataFrame:
    """The municipalities (slug, 名称, prefecture, 全国地方公共団体コード, aliases), keyed by slug.

    >>> load_municipalities().loc["hadano", "lg_code"]
    '142115'
    """
    return _unique_index(_read_table(Path(path or config.MUNICIPALITIES_CSV)), "municipality",
                         path or config.MUNICIPALITIES_CSV)


def load_sources(path: str | Path | None = None) -> pd.DataFrame:
    """The source records (title, publisher, date, url, …), keyed by ``source_id``.

    >>> load_sources().loc["hadano_dx_plan_draft_2025", "publisher"]
    '秦野市 政策部デジタル推進課'
    """
    return _unique_index(_read_table(Path(path or config.SOURCES_CSV)), "source_id",
                         path or config.SOURCES_CSV)


def load_milestone_categories() -> pd.DataFrame:
    """The adoption-milestone categories (``rpa``, ``telework`` …) with ``name_ja`` and ``name_en``, keyed by slug.

    >>> load_milestone_categories().loc["kakanai_madoguchi", "name_en"]
    'Form-free counter'
    """
    return _unique_index(_read_table(config.MILESTONE_CATEGORIES_CSV), "category", config.MILESTONE_CATEGORIES_CSV)


def _unique_index(df: pd.DataFrame, key: str, path: object) -> pd.DataFrame:
    dup = df[key][df[key].duplicated()]
    if len(dup):
        raise ValueError(f"{path}: duplicate {key}: {sorted(set(dup))}")
    return df.set_index(key, drop=False).rename_axis(None)


def workbook_sources(path: str | Path) -> pd.DataFrame:
    """Source records typed into the 出典一覧 sheet of an entry workbook (empty if none)."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        return pd.DataFrame(columns=SOURCE_HEADERS)
    from python_calamine import CalamineWorkbook

    from .xlsx import check_zip

    try:
        if check_zip(path):
            return pd.DataFrame(columns=SOURCE_HEADERS)  # read_raw reports the unsafe file
        wb = CalamineWorkbook.from_path(str(path))
        if "出典一覧" not in wb.sheet_names:
            return pd.DataFrame(columns=SOURCE_HEADERS)
        rows = [["" if v is None else str(v).strip() for v in r]
                for r in wb.get_sheet_by_name("出典一覧").to_python()]
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, RuntimeError):
        return pd.DataFrame(columns=SOURCE_HEADERS)
    if not rows:
        return pd.DataFrame(columns=SOURCE_HEADERS)
    df = pd.DataFrame(rows[1:], columns=rows[0]).reindex(columns=SOURCE_HEADERS).fillna("")
    return df[df["source_id"] != ""].reset_index(drop=True)



def bundled_extracts() -> list[Path]:
    """The bundled KPI extract files, in a fixed order."""
    return sorted(config.KPI_DIR.glob("*.csv"))
