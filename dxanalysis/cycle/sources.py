"""Source documents inside the project: ``dxanalysis source add`` and ``dxanalysis source list``.

``register_source`` keeps the original byte for byte as ``data/sources/<id>.<ext>``, its text page by page
as ``data/sources/<id>.txt`` (pages separated by a form feed) and a record in ``data/sources.csv``
(``file`` = the original's name, ``pages``, ``sha256`` of the original). The three files are written as one
change: if anything fails, ``data/`` is left as it was.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import config
from ..contract.rules import SOURCE_ID, check_source_dates
from ..io.catalogue import load_sources
from ..io.documents import DOCUMENT_SUFFIXES, PAGE_BREAK, DocumentError, document_pages
from ..io.sources import documents_dir, text_copy
from .journal import commit_files, transaction

RECORD_HEADERS = ["source_id", "title", "publisher", "date", "url", "file", "note", "found_at_ja", "found_at_en",
                  "pages", "sha256"]
"""Columns of ``data/sources.csv`` (a file with other columns keeps its own header; missing cells stay empty)."""


class SourceRefused(ValueError):
    """A document that is not registered, with the reason (English / Japanese)."""


@dataclass
class Registered:
    """What ``source add`` wrote."""

    source_id: str
    original: Path
    text: Path
    pages: int
    characters: int
    sha256: str

    def __str__(self) -> str:
        return (f"registered {self.source_id}: {self.pages} page(s), {self.characters:,} characters of text, "
                f"SHA-256 {self.sha256[:16]}…\n  original → {self.original}\n  text     → {self.text}")


def register_source(path: str | Path, *, source_id: str, title: str, publisher: str, date: str,
                    url: str = "", note: str = "") -> Registered:
    """Keep the document at ``path`` in ``data/sources/`` with its text, and record it in ``data/sources.csv``."""
    path = Path(path)
    _check_new_id(source_id)
    date = _checked_date(date)
    if not path.is_file():
        raise SourceRefused(f"{path}: no such file / ファイルがありません")
    suffix = path.suffix.lower()
    if suffix not in DOCUMENT_SUFFIXES:
        raise SourceRefused(f"{path.name}: a {suffix or 'suffix-less'} file is not taken; give a PDF, a saved HTML "
                            f"page or a text file ({', '.join(DOCUMENT_SUFFIXES)}) / PDF・HTML・テキストを指定してください")
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    same = load_sources()
    if "sha256" in same and (same["sha256"] == digest).any():
        raise SourceRefused(f"{path.name}: the same document is already registered as "
                            f"{same.index[same['sha256'] == digest][0]} / 同じ資料が登録済みです")
    try:
        pages = document_pages(path)
    except DocumentError as exc:
        raise SourceRefused(f"{path.name}: {exc}") from None
    record = {"source_id": source_id, "title": title.strip(), "publisher": publisher.strip(),
              "date": date, "url": url.strip(), "file": f"{source_id}{suffix}", "note": note.strip(),
              "pages": str(len(pages)), "sha256": digest}
    folder = documents_dir()
    original, text = folder / record["file"], folder / f"{source_id}.txt"
    body = PAGE_BREAK.join(pages)
    with transaction("source add"):  # the update lock; the three files replaced as one journaled change
        commit_files(config.DATA_DIR, {original: data, text: body.encode("utf-8"),
                                       config.SOURCES_CSV: _with_record(record)})
    return Registered(source_id, original, text, len(pages), len(body.replace(PAGE_BREAK, "")), digest)


def _check_new_id(source_id: str) -> None:
    if not SOURCE_ID.fullmatch(source_id or ""):
        raise SourceRefused(f"source id {source_id!r} is not a safe name: use a-z, 0-9 and _ only "
                            "(e.g. chigasaki_progress_fy2025) / source_id は半角英小文字・数字・_ のみです")
    if source_id in load_sources().index:
        raise SourceRefused(f"source id {source_id!r} is already registered in data/sources.csv "
                            "/ この source_id は登録済みです")


def _checked_date(date: str) -> str:
    checked, problems = check_source_dates(pd.DataFrame({"source_id": ["new"], "date": [date]}), "--date")
    if problems:
        raise SourceRefused(f"--date {date!r} cannot be read: write YYYY-MM (e.g. 2026-12) / 日付は 2026-12 の形で")
    return str(checked["date"].iloc[0])


def _with_record(record: dict) -> bytes:
    """``data/sources.csv`` with ``record`` appended. The existing bytes are kept as they are, unless the file
    lacks a column of ``RECORD_HEADERS`` (an older sources.csv): then the column is added, empty for old rows."""
    path = config.SOURCES_CSV
    old = path.read_bytes() if path.exists() else b""
    rows = list(csv.reader(io.StringIO(old.decode("utf-8-sig")))) if old else [list(RECORD_HEADERS)]
    missing = [c for c in RECORD_HEADERS if c not in rows[0]]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    if missing or not old:
        old = b""
        w.writerows([rows[0] + missing] + [r + [""] * len(missing) for r in rows[1:]])
    elif not old.endswith(b"\n"):
        old += b"\n"
    w.writerow([record.get(c, "") for c in rows[0] + missing])
    return old + buf.getvalue().encode("utf-8")


def unregister_source(source_id: str) -> list[Path]:
    """Undo ``source add``: remove the record and the files of ``source_id`` (refused while rows cite it)."""
    from ..contract.load import check_kpis

    if source_id not in load_sources().index:
        raise SourceRefused(f"source id {source_id!r} is not registered / 登録されていません")
    citing = check_kpis().kpis
    citing = citing[citing["source_id"] == source_id]
    if len(citing):
        raise SourceRefused(f"{len(citing)} row(s) of data/kpis cite {source_id}: take them out first with "
                            f"`dxanalysis remove --source {source_id}` / この出典を引用する行があります")
    folder = documents_dir()
    files = sorted(p for p in folder.glob(f"{source_id}.*") if p.stem == source_id) if folder.is_dir() else []
    with transaction("source remove"):
        commit_files(config.DATA_DIR, {config.SOURCES_CSV: _without_record(source_id), **{p: None for p in files}})
    return files


def _without_record(source_id: str) -> bytes:
    """``data/sources.csv`` without the record of ``source_id`` (other lines kept byte for byte)."""
    lines = config.SOURCES_CSV.read_bytes().decode("utf-8").splitlines(keepends=True)
    kept = [line for line in lines if next(csv.reader([line]), [""])[0] != source_id]
    return "".join(kept).encode("utf-8")


def list_sources() -> pd.DataFrame:
    """Every registered source: id, date, pages, whether its text is available (and where), title."""
    src = load_sources()
    rows = []
    for sid, rec in src.iterrows():
        path, why = text_copy(sid, src)
        rows.append({"source_id": sid, "date": rec["date"], "pages": rec.get("pages", "") or "?",
                     "text": f"yes ({_shown(path)})" if path else f"NO — {why}", "title": rec["title"]})
    return pd.DataFrame(rows)


def _shown(path: Path) -> str:
    for base in (config.SOURCES_CSV.parent.parent, config.PROJECT_DIR, config.SEEDS_DIR.parent):
        try:
            return path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
    return str(path)
