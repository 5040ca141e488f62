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
import io as _io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import config
from .errors import Problem
from .parse import CellError, ExcelError, Formula, cell_text, normalize_text, parse_date  # noqa: F401  (re-exported)
from .xlsx import ENTRY_SHEET_NAMES, check_zip, read_sheet_values, read_xlsx_rows  # noqa: F401

HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "municipality": ("municipality", "自治体", "自治体名", "市町村", "市町村名", "団体", "団体名", "市"),
    "indicator": ("indicator", "指標", "指標名", "指標id", "kpi"),
    "fiscal_year": ("fiscal_year", "年度", "fy", "fiscal year"),
    "as_of": ("as_of", "時点", "基準日", "as of", "調査時点"),
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


def decode_text(data: bytes) -> str:
    """Decode CSV bytes with the encoding :func:`csv_encoding` decides for the whole file.

    >>> decode_text("年度".encode("cp932")), decode_text("\\ufeff年度".encode("utf-8"))
    ('年度', '年度')
    """
    return _decode_whole(data, csv_encoding(data), "")


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


class FileProblem(Exception):
    """A file that cannot be read as a whole (raised inside this module, reported as a Problem)."""

    def __init__(self, code: str, detail: str = "", row: int | None = None):
        super().__init__(detail)
        self.code, self.detail, self.row = code, detail, row


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
        body = body_reader(h, columns)
    except FileProblem as exc:
        table.problems.append(Problem(name, exc.row, None, None, exc.code, exc.detail))
        table.refused = True
        return table
    except (OSError, UnicodeDecodeError, zipfile.BadZipFile, csv.Error, KeyError, ValueError, RuntimeError) as exc:
        table.problems.append(Problem(name, None, None, None, "unreadable_file", f"{type(exc).__name__}: {str(exc)[:200]}"))
        table.refused = True
        return table
    if isinstance(body, list):  # structure problems found while reading the body
        table.rows_read = body[0]
        table.problems += body[1]
        table.refused = True
        return table
    body.insert(0, "source_row", pd.Series(range(h + 2, h + 2 + len(body)), dtype="int64", index=body.index))
    blank = _blank_rows(body[list(columns)])
    table.blank_rows = int(blank.sum())
    table.rows_read = len(body)
    if table.blank_rows:
        body = body[~blank].reset_index(drop=True)
    body.insert(0, "source_file", name)
    table.frame = body
    return table


def _cells_present(row: list[object]) -> bool:
    return any(not _blank(c) for c in row)


HEAD_BYTES = 256 * 1024
"""How much of a CSV is decoded up front to find the header row."""
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "cp932")
"""The encodings a CSV may have; one is decided for the whole file (never mixed, never guessed per row)."""
csv.field_size_limit(1 << 30)  # a long quote is data, wherever it is in the file


def csv_encoding(data: bytes) -> str:
    """The one encoding of a whole CSV: a BOM decides (UTF-8, UTF-16), else UTF-8 if its start is UTF-8, else CP932.

    >>> csv_encoding("年度".encode("utf-8")), csv_encoding("年度".encode("cp932")), csv_encoding("年度".encode("utf-16"))
    ('utf-8', 'cp932', 'utf-16')
    """
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "utf-16"
    if data[:3] == b"\xef\xbb\xbf":
        return "utf-8-sig"
    head = data[:HEAD_BYTES]
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3 and len(data) > len(head):
            return "utf-8"  # a character cut by the prefix
        return "utf-8" if not head[:exc.start].isascii() else "cp932"
    return "utf-8"


def _row_of(data: bytes | str, pos: int) -> int:
    return data.count(b"\n" if isinstance(data, bytes) else "\n", 0, pos) + 1


def _decode_whole(data: bytes, encoding: str, name: str) -> str:
    """Decode a whole CSV in its one encoding; a file that mixes encodings is refused at its first bad row."""
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        if encoding in ("utf-8", "utf-8-sig") and data[:exc.start].isascii():
            return _decode_whole(data, "cp932", name)  # ASCII up to here: the file may be CP932 throughout
        kind = "mixed_encoding" if encoding != "utf-16" and not data[:exc.start].isascii() else "undecodable_text"
        raise FileProblem(kind, f"the file is {encoding}, but row {_row_of(data, exc.start)} is not "
                                f"(bytes {data[exc.start:exc.start + 4].hex(' ')})", _row_of(data, exc.start)) from None
    if encoding == "cp932":  # CP932 bytes are almost never valid UTF-8: a UTF-8 row in a CP932 file is mixed
        for i, line in enumerate(data.split(b"\n"), start=1):
            if not line.isascii():
                try:
                    line.decode("utf-8")
                except UnicodeDecodeError:
                    continue
                raise FileProblem("mixed_encoding", f"the file is CP932 (Shift_JIS), but row {i} is UTF-8", i)
    return text.lstrip("\ufeff")


def _csv_source(path: Path, delimiter: str = ","):
    """The first rows (for the header search) and a reader of the body.

    The body is read by pyarrow's CSV reader, which refuses rows whose cell count differs from the
    header's; its record count is compared with the physical line count, so a quote that swallows
    line breaks or a bare CR that splits a row is noticed. Anything irregular is read again, exactly,
    by the ``csv`` module, which names the rows at fault.
    """
    data = path.read_bytes()
    encoding = csv_encoding(data)
    if encoding in ("utf-8", "utf-8-sig"):
        utf8 = data[3:] if encoding == "utf-8-sig" else data
    else:
        utf8 = _decode_whole(data, encoding, path.name).encode("utf-8")
    if not utf8.strip():
        raise FileProblem("empty_file", "no cells")
    prefix = utf8[:HEAD_BYTES]
    if len(utf8) > HEAD_BYTES:
        prefix = prefix[: prefix.rfind(b"\n") + 1] or prefix
    try:
        head_text = prefix.decode("utf-8")
    except UnicodeDecodeError:
        head_text = _decode_whole(utf8, "utf-8", path.name)[:HEAD_BYTES]
    reader = csv.reader(_io.StringIO(head_text, newline=""), delimiter=delimiter)
    head = [row for _, row in zip(range(HEADER_SEARCH_ROWS), reader)]

    def body(h: int, columns: dict[str, int]) -> pd.DataFrame | list:
        width = len(head[h])
        simple_head = not any("\n" in c or "\r" in c for row in head[: h + 1] for c in row)
        if simple_head and columns:
            frame = _fast_body(utf8, h, width, columns, delimiter)
            if frame is not None:
                return frame
        return _exact_body(utf8, path.name, h, width, columns, delimiter)

    return head, body


def _fast_body(utf8: bytes, h: int, width: int, columns: dict[str, int], delimiter: str = ",") -> pd.DataFrame | None:
    """The body by pyarrow, or None when the file is irregular in any way (then it is read exactly)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    if _irregular_quotes(utf8, delimiter):
        return None
    names = [f"c{j}" for j in range(width)]
    wanted = [f"c{j}" for j in sorted(columns.values())]
    try:
        table = pacsv.read_csv(
            pa.BufferReader(utf8),
            read_options=pacsv.ReadOptions(skip_rows=h + 1, column_names=names),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=False, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in wanted}, include_columns=wanted,
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False))
    except (pa.ArrowInvalid, pa.ArrowException):
        return None
    lines = utf8.count(b"\n") + (0 if utf8.endswith(b"\n") else 1)
    if lines != h + 1 + table.num_rows:  # a cell spanning lines, or a bare CR: read exactly
        return None
    dtype = pd.StringDtype("pyarrow", na_value=float("nan"))
    frame = table.to_pandas(types_mapper={pa.string(): dtype, pa.large_string(): dtype}.get)
    return frame.rename(columns={f"c{j}": c for c, j in columns.items()})[list(columns)]


def _irregular_quotes(utf8: bytes, delimiter: str) -> bool:
    """True when a quotation mark is not where RFC 4180 puts one (an odd count, or ``"a"b`` / ``a"b``):
    such a file is read by the exact reader, which refuses what it cannot read unambiguously."""
    import numpy as np

    arr = np.frombuffer(utf8, dtype=np.uint8)
    quotes = np.flatnonzero(arr == ord('"'))
    if not len(quotes):
        return False
    if len(quotes) % 2:
        return True
    bound = np.zeros(256, dtype=bool)  # bytes a quotation mark may touch: delimiter, line ends, another quote
    bound[[ord(delimiter), ord("\n"), ord("\r"), ord('"')]] = True
    before = bound[arr[np.maximum(quotes - 1, 0)]]
    after = bound[arr[np.minimum(quotes + 1, len(arr) - 1)]]
    before[quotes == 0] = after[quotes == len(arr) - 1] = True
    return bool((~before & ~after).any())


def _exact_body(utf8: bytes, name: str, h: int, width: int, columns: dict[str, int],
                delimiter: str = ",") -> pd.DataFrame | list:
    """Read the body with the ``csv`` module and verify its structure, naming every row at fault.

    Returns the frame, or ``[records read, problems]`` when the structure is broken.
    """
    text = _decode_whole(utf8, "utf-8", name)
    if "\r" in text and "\n" not in text:
        text = text.replace("\r", "\n")  # classic Mac line ends: one convention for the whole file
    problems: list[Problem] = []
    quotes_before = 0
    for pos in _bare_cr_positions(text):
        quotes_before = text.count('"', 0, pos)
        if quotes_before % 2 == 0:  # outside a quoted cell
            problems.append(Problem(name, _row_of(text, pos), None, None, "bare_cr",
                                    "a carriage return (CR) without a line feed splits this row"))
    if problems:  # the rows a CR splits are not worth counting cells of
        return [text.count("\n") - h, problems]
    if '"' in text:  # a quote the csv module would read leniently: refused, naming its row
        strict = csv.reader(_io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        try:
            for _ in strict:
                pass
        except csv.Error as exc:
            line = strict.line_num
            unclosed = "end of data" in str(exc)
            row = _record_at(text, delimiter, line)
            return [text.count("\n") - h, [Problem(
                name, row, None, None, "unclosed_quote" if unclosed else "stray_quote",
                "a quoted cell is not closed before the end of the file" if unclosed else
                f"text after the closing quotation mark of a quoted cell ({exc})")]]
    reader = csv.reader(_io.StringIO(text, newline=""), delimiter=delimiter)
    records, spans, start = [], [], 0
    for rec in reader:
        records.append(rec)
        spans.append((start + 1, reader.line_num))
        start = reader.line_num
    body, body_spans = records[h + 1:], spans[h + 1:]
    odd_quotes = text.count('"') % 2 == 1
    for k, (rec, (first, last)) in enumerate(zip(body, body_spans)):
        row = h + 2 + k
        if not rec or (len(rec) == 1 and not rec[0].strip()):
            continue  # a blank line is a blank row
        if last > first:
            swallowed = [seg for c in rec if "\n" in c for seg in c.split("\n")[1:] if seg.count(delimiter) >= max(width - 1, 1)]
            if swallowed or (odd_quotes and k == len(body) - 1):
                problems.append(Problem(name, row, None, None, "unclosed_quote",
                                        f"a quoted cell opened in row {row} runs over {last - first + 1} lines"
                                        + (f" and takes in {len(swallowed)} row(s)" if swallowed else " to the end of the file")))
                continue
        if len(rec) != width:
            problems.append(Problem(name, row, None, None, "wrong_cell_count",
                                    f"{len(rec)} cells, the header row has {width}"
                                    + (" (an unquoted comma in a cell?)" if len(rec) > width else "")))
    if problems:
        problems.sort(key=lambda p: p.row or 0)
        return [len(body), problems]
    return _rows_frame(body, columns)


def _record_at(text: str, delimiter: str, line: int) -> int:
    """The record (row number, header = 1) that takes in physical ``line`` — read leniently."""
    reader = csv.reader(_io.StringIO(text, newline=""), delimiter=delimiter)
    row = 0
    for _ in reader:
        row += 1
        if reader.line_num >= line:
            return row
    return max(row, 1)


def _bare_cr_positions(text: str) -> list[int]:
    out, pos = [], text.find("\r")
    while pos >= 0 and len(out) < 100:
        if text[pos + 1: pos + 2] != "\n":
            out.append(pos)
        pos = text.find("\r", pos + 1)
    return out


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
    """Source records typed into the 出典一覧 sheet of an entry workbook (empty if none).

    Cells are read as displayed (a date Excel made of ``2026-12`` is ``2026-12-01``); a readable
    date is written as ``YYYY-MM[-DD]`` (era dates converted), anything else is kept for the check to
    refuse. ``source_row`` is the sheet row (header = row 1).
    """
    path = Path(path)
    empty = pd.DataFrame(columns=SOURCE_HEADERS + ["source_row"])
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return empty
    rows = read_sheet_values(path, SOURCES_SHEET)
    if not rows:
        return empty
    header = [normalize_text(cell_text(c)) for c in rows[0]]
    records = [[normalize_text(cell_text(v)) if isinstance(v, str) or v is None else cell_text(v) for v in r]
               for r in rows[1:]]
    width = len(header)
    df = pd.DataFrame([(r + [None] * width)[:width] for r in records], columns=header, dtype=object)
    df = df.loc[:, ~df.columns.duplicated()].reindex(columns=SOURCE_HEADERS).fillna("").astype(str)
    df["date"] = [_date_or_text(d) for d in df["date"]]
    df["source_row"] = range(2, 2 + len(df))
    return df[df["source_id"] != ""].reset_index(drop=True)


SOURCES_SHEET = "出典一覧"
"""The sheet of an entry workbook where new source records are typed."""


def _date_or_text(text: str) -> str:
    try:
        return parse_date(text)
    except CellError:
        return text


def bundled_extracts() -> list[Path]:
    """The bundled KPI extract files, in a fixed order."""
    return sorted(p for p in config.KPI_DIR.iterdir() if p.suffix.lower() == ".csv") if config.KPI_DIR.is_dir() else []
