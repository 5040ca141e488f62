"""The CSV reader: the encoding decided once per file (UTF-8, BOM, UTF-16, CP932), structure verified, never guessed.

A fast path reads regular files with pandas; any irregular quoting, bare CR or cell-count mismatch
is read by the exact path, which names the row of the problem.
"""

from __future__ import annotations

import csv
import io as _io
from pathlib import Path

import pandas as pd

from ..errors import Problem
from .rows import HEADER_SEARCH_ROWS, FileProblem, _rows_frame


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


HEAD_BYTES = 256 * 1024
"""How much of a CSV is decoded up front to find the header row."""
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "cp932")
"""The encodings a CSV may have; one is decided for the whole file (never mixed, never guessed per row)."""


def csv_encoding(data: bytes) -> str:
    """The one encoding of a whole CSV: a BOM decides (UTF-8, UTF-16), else UTF-8 if its start is UTF-8 (unless those
    bytes are CP932 half-width katakana: :func:`halfwidth_kana_cp932`), else CP932.

    >>> csv_encoding("年度".encode("utf-8")), csv_encoding("年度".encode("cp932")), csv_encoding("年度".encode("utf-16"))
    ('utf-8', 'cp932', 'utf-16')
    >>> csv_encoding("指標,ﾏｲﾅｰ".encode("cp932")), csv_encoding("name,ﾏｲﾅｰ".encode("cp932"))
    ('cp932', 'cp932')
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
        if not head[:exc.start].isascii():
            return "cp932" if halfwidth_kana_cp932(head[:exc.start]) else "utf-8"
        return "cp932"
    return "cp932" if halfwidth_kana_cp932(head) else "utf-8"


HALFWIDTH_KANA = (0xFF61, 0xFF9F)
"""Half-width katakana (ｱ, ﾏｲﾅｰ …): one byte each in CP932 (0xA1–0xDF), so two of them can also be valid UTF-8."""


def halfwidth_kana_cp932(data: bytes) -> bool:
    """True when non-ASCII bytes that are valid UTF-8 are really CP932 half-width katakana: read as CP932 every
    non-ASCII character is half-width katakana, and read as UTF-8 none is Japanese (all below U+0800).

    Excel's UTF-8 CSV starts with a BOM, so a file without one whose bytes read as Latin/Greek/Cyrillic letters in
    UTF-8 and as katakana in CP932 is a CP932 file (``ﾏｲﾅｰ`` is CF B2 C5 B0 = ``ϲŰ`` in UTF-8).

    >>> halfwidth_kana_cp932("ﾏｲﾅｰ".encode("cp932")), halfwidth_kana_cp932("マイナー".encode("utf-8"))
    (True, False)
    """
    if data.isascii():
        return False
    try:
        as_cp932 = data.decode("cp932")
    except UnicodeDecodeError:
        return False
    as_utf8 = data.decode("utf-8", errors="replace")
    kana = all(HALFWIDTH_KANA[0] <= ord(ch) <= HALFWIDTH_KANA[1] for ch in as_cp932 if not ch.isascii())
    return kana and all(ord(ch) < 0x800 for ch in as_utf8)


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
            if not line.isascii() and not halfwidth_kana_cp932(line):
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
