"""Files of ``data/`` as the cycle reads and writes them: decoded as the loader decodes them (UTF-8 with or
without BOM, UTF-16, CP932; LF or CRLF), split into CSV records with their raw text, and written back in
their own encoding and line ends."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import config
from ..io.csv import csv_encoding


@dataclass
class CsvText:
    """A CSV file of data/ as text: its encoding, line end, header and records with their raw text."""

    encoding: str
    newline: str
    header: list[str]
    head: str
    records: list[tuple[int, list[str], str]] = field(default_factory=list)
    """(row as the analyst sees it, header = row 1; the cells; the raw text with its line end)"""

    def encode(self, text: str) -> bytes:
        """``text`` in this file's encoding; raises ``ValueError`` naming a character it cannot hold."""
        try:
            return text.encode(self.encoding)
        except UnicodeEncodeError as exc:
            raise ValueError(f"{text[exc.start:exc.end]!r} cannot be written in the file's encoding "
                             f"({self.encoding}); re-save it as UTF-8") from None


def split_records(text: str) -> tuple[list[str], str, list[tuple[int, list[str], str]]]:
    """Header, the header's raw text, and (row, cells, raw text) per record, kept byte for byte."""
    lines = re.findall(r"[^\n]*\n|[^\n]+$", text)
    reader = csv.reader(lines)
    header = next(reader, [])
    head_end = reader.line_num
    out, prev = [], head_end
    for i, rec in enumerate(reader):
        out.append((i + 2, rec, "".join(lines[prev:reader.line_num])))
        prev = reader.line_num
    return header, "".join(lines[:head_end]), out


def read_csv_text(path: Path, default_header=()) -> CsvText:
    """A data/ CSV as the loader decodes it (a file that does not exist: UTF-8, LF, ``default_header``)."""
    if not path.exists():
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerow(list(default_header))
        return CsvText("utf-8", "\n", list(default_header), buf.getvalue())
    data = path.read_bytes()
    encoding = csv_encoding(data)
    text = data.decode(encoding)
    if encoding == "utf-8-sig":
        text = text.lstrip("\ufeff")
    header, head, records = split_records(text)
    return CsvText(encoding, "\r\n" if "\r\n" in head else "\n", header, head, records)


def csv_line(cells: list[str], newline: str) -> str:
    """One CSV record as the cycle writes it (quoted only where needed)."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator=newline).writerow(cells)
    return buf.getvalue()


def source_references(skip: set[Path]) -> dict[str, set[str]]:
    """source_id → the files under data/ (other than sources.csv and ``skip``) that still cite it."""
    refs: dict[str, set[str]] = {}
    for p in sorted(config.DATA_DIR.rglob("*.csv")):
        if p.resolve() in (config.SOURCES_CSV.resolve(), (config.DATA_DIR / "source_texts.csv").resolve()) or p in skip \
                or "raw" in p.relative_to(config.DATA_DIR).parts:
            continue  # raw copies (national files, some not UTF-8) cite no source_id; source_texts.csv only words a record
        try:
            table = read_csv_text(p)
        except (UnicodeDecodeError, ValueError):
            continue
        if "source_id" not in table.header:
            continue
        j = table.header.index("source_id")
        for _, rec, _ in table.records:
            if len(rec) > j:
                refs.setdefault(rec[j], set()).add(str(p.relative_to(config.DATA_DIR)))
    return refs
