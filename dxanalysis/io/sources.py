"""The one lookup of a source document's text: :func:`source_text` (used by ``validate``, ``add``, ``suggest``
and the data tests).

A source registered with ``dxanalysis source add`` has its text copy in ``data/sources/<source_id>.txt``
(pages separated by a form feed, see :mod:`dxanalysis.io.documents`), beside its original. The five
bundled documents keep their plain-text copies where they were converted, in the seeds folder
(``config.SEEDS_DIR``: ``../shared/seeds`` or ``DXANALYSIS_SEEDS``), named by the ``file`` column of
``sources.csv``; their page numbers are not known. Quotes are compared in the form of
:func:`dxanalysis.io.cells.squash` (NFKC, white space removed), so a quote that runs over a page break
is found.
"""

from __future__ import annotations

import bisect
import difflib
import functools
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import config
from .cells import squash
from .documents import PAGE_BREAK
from .text import read_text_file

DOCUMENTS_FOLDER = "sources"
"""Folder beside ``sources.csv`` holding the registered originals and their text copies."""
CLOSEST_CONTEXT = 10
"""Characters shown on each side of the closest passage beyond the quote's own length."""
CLOSEST_QUOTE_CHARS = 120
"""The closest passage is searched for the quote's first this many characters (difflib costs grow with the
square of the length; a longer quote is not a sentence anyway)."""


def documents_dir(sources_csv: str | Path | None = None) -> Path:
    """Where the originals and text copies of the sources registered in ``sources_csv`` live (``data/sources``)."""
    return Path(sources_csv or config.SOURCES_CSV).parent / DOCUMENTS_FOLDER


@dataclass
class SourceText:
    """A document's text, page by page, with the places of its pages in the squashed whole."""

    source_id: str
    pages: list[str]
    path: Path
    paged: bool
    """page numbers are known (a registered PDF, or a text copy with page markers)"""
    squashed: str = field(init=False, repr=False)
    starts: list[int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        parts = [squash(p) for p in self.pages]
        self.starts = [0]
        for p in parts[:-1]:
            self.starts.append(self.starts[-1] + len(p))
        self.squashed = "".join(parts)

    def page_at(self, offset: int) -> int | None:
        """The page (1-based) holding the squashed text's ``offset``; None when pages are not known."""
        return bisect.bisect_right(self.starts, offset) if self.paged else None

    def locate(self, quote: object) -> tuple[int | None, int | None] | None:
        """Where ``quote`` is: (first page, last page), pages None when not known; None when it is not in the text.

        >>> t = SourceText("x", ["年度 テレワーク件数", "R6 761"], Path("x.txt"), paged=True)
        >>> t.locate("テレワーク 件数 R6"), t.locate("R7 812")
        ((1, 2), None)
        """
        q = squash(quote)
        at = self.squashed.find(q) if q else -1
        if at < 0:
            return None
        return self.page_at(at), self.page_at(at + len(q) - 1)

    def closest(self, quote: object) -> tuple[str, int | None]:
        """The passage of the text most like ``quote`` (difflib over windows of the quote's length) and its page.

        >>> t = SourceText("x", ["前置き", "年度 テレワーク件数 R4 961 R5 753 R6 761"], Path("x.txt"), paged=True)
        >>> t.closest("テレワーク件数 R6 716")
        ('前置き年度テレワーク件数R4961R5753R6761', 2)
        """
        q = squash(quote)[:CLOSEST_QUOTE_CHARS]
        if not q or not self.squashed:
            return "", None
        _, start = best_window(self.squashed, q)
        lo, hi = max(0, start - CLOSEST_CONTEXT), min(len(self.squashed), start + len(q) + CLOSEST_CONTEXT)
        return self.squashed[lo:hi], self.page_at(start)


def best_window(text: str, quote: str) -> tuple[float, int]:
    """(similarity, start) of the window of ``text`` most like ``quote`` (difflib ratio): coarse steps of a quarter
    of the quote's length, then every offset near the best.

    >>> best_window("abcdefghij R6 761 klmnop", "R6 716")
    (0.8333333333333334, 10)
    """
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(quote)
    width, step = len(quote), max(1, len(quote) // 4)

    def best_of(offsets) -> tuple[float, int]:
        best = (-1.0, 0)
        for i in offsets:
            matcher.set_seq1(text[i:i + width])
            if matcher.real_quick_ratio() > best[0] and matcher.quick_ratio() > best[0]:
                best = max(best, (matcher.ratio(), -i))
        return best

    _, at = best_of(range(0, max(1, len(text) - width + 1), step))
    ratio, at = best_of(range(max(0, -at - step), min(len(text), -at + step + 1)))
    return ratio, -at


@functools.lru_cache(maxsize=32)
def _read_source(source_id: str, path: str, paged_original: bool, mtime_ns: int, size: int) -> SourceText:
    pages = read_text_file(path).split(PAGE_BREAK)  # encoding decided as for extracts (UTF-8, BOM, CP932)
    return SourceText(source_id, pages, Path(path), paged_original or len(pages) > 1)


def text_copy(source_id: str, sources: pd.DataFrame | None = None, *, docs: Path | None = None,
              seeds: Path | None = None) -> tuple[Path | None, str]:
    """The file holding ``source_id``'s text, or None and why there is none."""
    copy = (docs or documents_dir()) / f"{source_id}.txt"
    if copy.is_file():
        return copy, ""
    name = _file_of(source_id, sources)
    seeds = seeds or config.SEEDS_DIR
    if not name:
        return None, f"no text copy in {copy.parent.name}/ and no `file` registered"
    if Path(name).suffix.lower() == ".txt" and (seeds / name).is_file():
        return seeds / name, ""
    return None, f"its text is neither {copy.parent.name}/{copy.name} nor {name} in the seeds folder {seeds}"


def source_text(source_id: str, sources: pd.DataFrame | None = None, *, docs: Path | None = None,
                seeds: Path | None = None) -> SourceText | None:
    """The text of source ``source_id`` (pages known for a registered document), or None if it is not available.

    ``sources`` is the source table (default: ``data/sources.csv``); ``docs`` the folder of registered
    documents (default: ``data/sources``); ``seeds`` the folder of the bundled documents' text copies.
    """
    path, _ = text_copy(source_id, sources, docs=docs, seeds=seeds)
    if path is None:
        return None
    pdf = Path(_file_of(source_id, sources)).suffix.lower() == ".pdf"
    st = path.stat()
    return _read_source(source_id, str(path), pdf, st.st_mtime_ns, st.st_size)  # read and squashed once


def _file_of(source_id: str, sources: pd.DataFrame | None) -> str:
    if sources is None:
        from .catalogue import load_sources

        sources = load_sources()
    if source_id not in sources.index or "file" not in sources:
        return ""
    value = sources.at[source_id, "file"]
    return "" if pd.isna(value) else str(value)


def page_label(first: int | None, last: int | None) -> str:
    """``p.3`` or ``p.3–4`` (a quote over a page break); empty when pages are not known.

    >>> page_label(3, 3), page_label(3, 4), page_label(None, None)
    ('p.3', 'p.3–4', '')
    """
    if first is None:
        return ""
    return f"p.{first}" if last in (None, first) else f"p.{first}–{last}"
