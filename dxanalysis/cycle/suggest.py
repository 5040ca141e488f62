"""Candidate figures from a new document: ``dxanalysis suggest --source ID --fiscal-year YEAR OUT.xlsx``.

Next year's report repeats this year's sentences with new numbers (「… R6 761」 → 「… R7 …」). For each row
expected in the fiscal year (``template.expected_rows``) of the document's city, the previous year's quote
of the same indicator is looked for in the new text with every number masked (``#``): the passage most
like it (difflib) gives the quote, and the number standing where last year's value stood gives the value,
read by the project's number grammar. A candidate is **confident** only when

- the passage resembles last year's quote (similarity ≥ ``MIN_SIMILARITY``) and the value's place aligns;
- the number parses and is one of ``numbers_in(quote)``, and the quote is in the document (with its page);
- its fiscal year is known as last year's was: written in the new quote (``stated``), or in the heading
  of last year's location with its years moved on, found verbatim in the new text (``heading``).

Confident candidates are written with ``要確認`` in the 確認 column (validate and add refuse them until a
person clears it); every other expected row stays empty.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..contract.validate import fold
from ..contract.years import fiscal_year_readable
from ..io.catalogue import load_municipalities, load_sources
from ..io.cells import normalize_text
from ..io.numbers import APPROX_MARKERS, PREFIX_MARKERS, numbers_in, parse_number
from ..io.sources import SourceText, best_window, page_label, source_text

NUMBER_TOKEN = re.compile(r"\d[\d,]*(?:\.\d+)?(?:[億万千百十]+(?:\d[\d,]*(?:\.\d+)?[億万千百十]*)*)?")
"""A number as ``io.numbers.numbers_in`` finds it (digits, separators, kanji multipliers)."""
MASK = "#"
MIN_SIMILARITY = 0.8
"""Least difflib ratio between last year's masked quote and the new passage for a confident candidate."""
REVIEW_COLUMN, REASON_COLUMN = "確認", "参考：候補の根拠"
UNCONFIRMED = "要確認"


@dataclass
class Candidate:
    """A figure found in the new document for one expected row."""

    municipality: str
    indicator: str
    value: float
    approximate: bool
    quote: str
    page: str
    location: str
    year_basis: str
    reason: str
    similarity: float


@dataclass
class Masked:
    """A text with every number replaced by ``#``: the masked text, and per masked character its span in the text."""

    text: str
    masked: str
    spans: list[tuple[int, int]]

    @classmethod
    def of(cls, text: str) -> "Masked":
        parts, spans, at = [], [], 0
        for m in NUMBER_TOKEN.finditer(text):
            parts.append(text[at:m.start()])
            spans += [(i, i + 1) for i in range(at, m.start())]
            parts.append(MASK)
            spans.append((m.start(), m.end()))
            at = m.end()
        parts.append(text[at:])
        spans += [(i, i + 1) for i in range(at, len(text))]
        return cls(text, "".join(parts), spans)

    def token_positions(self) -> list[int]:
        return [i for i, ch in enumerate(self.masked) if ch == MASK and self.spans[i][1] - self.spans[i][0] >= 1
                and NUMBER_TOKEN.fullmatch(self.text[slice(*self.spans[i])])]


_WRAPPED = re.compile(r"(?<=[^\x00-\x7f])[ \t]*\n[ \t]*(?=[^\x00-\x7f])")
"""A line break between two Japanese characters: where a PDF wrapped a line (joined without a space)."""


def document_text(text: SourceText) -> tuple[str, list[int]]:
    r"""The document as one normalised line (pages joined by a space; a line wrapped between two Japanese
    characters joined without one) and where each page starts in it.

    >>> document_text(SourceText("x", ["保育コンシェル\nジュ事業 約 1,050 件", "R7 812"], Path("x"), paged=True))[0]
    '保育コンシェルジュ事業 約 1,050 件 R7 812'
    >>> document_text(SourceText("x", ["「児童", "手当」"], Path("x"), paged=True))
    ('「児童手当」', [0, 3])
    """
    pages = [normalize_text(_WRAPPED.sub("", p)) for p in text.pages]
    joined, starts = "", []
    for p in pages:
        wrapped = joined and p and not joined[-1].isascii() and not p[0].isascii()  # a sentence over the page break
        joined += "" if not joined or wrapped else " "
        starts.append(len(joined))
        joined += p
    return joined, starts


def value_position(quote: Masked, value: float) -> int | None:
    """The masked position of the number of ``quote`` that reads as ``value`` (a year-like one last)."""
    hits = []
    for pos in quote.token_positions():
        start, end = quote.spans[pos]
        try:
            if parse_number(quote.text[start:end]).value == value:
                year_like = quote.text[max(0, start - 2):start].endswith(("R", "令和", "平成")) or \
                    quote.text[end:end + 1] == "年"
                hits.append((year_like, pos))
        except ValueError:
            continue
    return min(hits)[1] if hits else None


def find_candidate(doc: Masked, text: SourceText, page_starts: list[int], previous: pd.Series,
                   fiscal_year: int) -> Candidate | None:
    """The confident candidate for ``previous``'s indicator in ``fiscal_year``, or None."""
    old = Masked.of(normalize_text(previous["quote"]))
    pos = value_position(old, float(previous["value"]))
    if pos is None:
        return None
    ratio, start = best_window(doc.masked, old.masked)
    if ratio < MIN_SIMILARITY:
        return None
    window = doc.masked[start:start + len(old.masked)]
    blocks = difflib.SequenceMatcher(None, old.masked, window, autojunk=False).get_matching_blocks()
    at = next((b + pos - a for a, b, size in blocks if a <= pos < a + size), None)
    if at is None or window[at] != MASK:
        return None
    tok_start, tok_end = doc.spans[start + at]
    quote = doc.text[doc.spans[start][0]:doc.spans[start + len(window) - 1][1]].strip()
    value = parse_number(doc.text[tok_start:tok_end]).value
    where = text.locate(quote)
    if where is None or not any(v == value for v in numbers_in(quote)):
        return None
    basis, location = _year_evidence(previous, quote, text, fiscal_year)
    if basis is None:
        return None
    page = page_label(*where)
    approx = doc.text[max(0, tok_start - 3):tok_start].rstrip().endswith(PREFIX_MARKERS) or \
        any(m in doc.text[tok_end:tok_end + 6] for m in APPROX_MARKERS)
    reason = (f"resembles the FY{int(previous['fiscal_year'])} quote 「{previous['quote']}」 of {previous['source_id']} "
              f"({ratio:.0%} alike with numbers masked); the value stands where {previous['value']:g} stood")
    return Candidate(previous["municipality"], previous["indicator"], value, approx, quote, page,
                     " / ".join(x for x in (location, page) if x), "" if basis == "stated" else basis, reason, ratio)


def _year_evidence(previous: pd.Series, quote: str, text: SourceText, fiscal_year: int) -> tuple[str | None, str]:
    """How the candidate's fiscal year is known, as last year's was: (year_basis or None, heading for location)."""
    shift = fiscal_year - int(previous["fiscal_year"])
    old = "" if pd.isna(previous["location"]) else str(previous["location"])
    segments = [shift_years(s.strip(), shift) for s in old.split("/") if s.strip()]
    found = [s for s in segments if text.locate(s) is not None]  # last year's headings that the new text repeats
    if fiscal_year_readable(fiscal_year, quote):
        return "stated", " / ".join(found)
    heading = [s for s in segments if fiscal_year_readable(fiscal_year, s)]
    if previous["year_basis"] == "heading" and heading and all(s in found for s in heading):
        return "heading", " / ".join(found)
    return None, ""


_ERA_YEAR = re.compile(r"(令和|平成|R|FY)(\s*)(\d{1,4})")


def shift_years(text: str, years: int) -> str:
    """``text`` with every era or FY year moved on by ``years`` (令和6年度 → 令和7年度, R6 → R7, FY2024 → FY2025).

    >>> shift_years("(1) 地域社会のデジタル化 / 令和6年度の取り組み内容", 1)
    '(1) 地域社会のデジタル化 / 令和7年度の取り組み内容'
    """
    return _ERA_YEAR.sub(lambda m: f"{m.group(1)}{m.group(2)}{int(m.group(3)) + years}", text)


def suggest(kpis: pd.DataFrame, source_id: str, fiscal_year: int, text: SourceText | None = None) -> tuple[list, list]:
    """(confident candidates, expected rows left empty with why) for the city of ``source_id`` in ``fiscal_year``."""
    from .template import expected_rows

    text = text or source_text(source_id)
    if text is None:
        raise ValueError(f"the text of source {source_id!r} is not available: register the document with "
                         "`dxanalysis source add` first / 資料を source add で登録してください")
    cities = municipalities_of(source_id)
    expected = expected_rows(kpis, fiscal_year)
    expected = expected[expected["municipality"].isin(cities)]
    joined, starts = document_text(text)
    doc = Masked.of(joined)
    found, empty = [], []
    for row in expected.itertuples(index=False):
        previous = _previous_quotes(kpis, row.municipality, row.indicator, fiscal_year)
        best = max((c for _, p in previous.iterrows() if (c := find_candidate(doc, text, starts, p, fiscal_year))),
                   key=lambda c: c.similarity, default=None)
        (found.append(best) if best else empty.append((row.municipality, row.indicator,
                                                       "no earlier quote" if previous.empty else "no confident match")))
    return found, empty


def _previous_quotes(kpis: pd.DataFrame, municipality: str, indicator: str, fiscal_year: int) -> pd.DataFrame:
    """Last fiscal year's direct actuals of the indicator, with their quotes (latest as_of first)."""
    k = kpis[(kpis["municipality"] == municipality) & (kpis["indicator"] == indicator) & (kpis["kind"] == "actual")
             & (kpis["fiscal_year"] == fiscal_year - 1) & kpis["quote"].notna() & kpis["derivation"].isna()
             & kpis["value"].notna()]
    return k.sort_values("as_of", ascending=False, na_position="last")


def municipalities_of(source_id: str) -> list[str]:
    """The cities a source belongs to: those named in its publisher (or title); all when none is."""
    src, mun = load_sources().loc[source_id], load_municipalities()
    who = fold(f"{src['publisher']} {src['title']}")
    cities = [m for m, name in mun["name_ja"].items() if mun.at[m, "lg_code"] and fold(name) in who]
    return cities or [m for m in mun.index if mun.at[m, "lg_code"]]


def write_suggestions(out: str | Path, *, source_id: str, fiscal_year: int, kpis: pd.DataFrame | None = None) -> str:
    """Write the entry workbook for ``fiscal_year`` with the confident candidates of ``source_id`` marked 要確認."""
    import io

    import openpyxl

    from ..contract.load import load_kpis
    from ..io.write import _stable_zip
    from .template import ENTRY_HEADERS, HELPER_HEADERS, write_template

    if source_id not in load_sources().index:
        raise ValueError(f"unknown source {source_id!r}: register it with `dxanalysis source add` first")
    kpis = load_kpis() if kpis is None else kpis
    found, empty = suggest(kpis, source_id, fiscal_year)
    path = write_template(out, fiscal_year, kpis)
    wb = openpyxl.load_workbook(path)
    ws = wb["入力"]
    review, reason = len(ENTRY_HEADERS) + len(HELPER_HEADERS) + 1, len(ENTRY_HEADERS) + len(HELPER_HEADERS) + 2
    ws.cell(row=1, column=review, value=REVIEW_COLUMN)
    ws.cell(row=1, column=reason, value=REASON_COLUMN)
    names = load_municipalities()["name_ja"]
    by_key = {(names[c.municipality], c.indicator): c for c in found}
    col = {h: i for i, h in enumerate(ENTRY_HEADERS)}
    for cells in ws.iter_rows(min_row=2):
        c = by_key.get((cells[0].value, cells[1].value))
        if c is None:
            continue
        for header, value in (("値", c.value), ("概数", "はい" if c.approximate else None), ("出典", source_id),
                              ("掲載箇所", c.location), ("引用", c.quote), ("年の根拠", c.year_basis or None)):
            cells[col[header]].value = value
        ws.cell(row=cells[0].row, column=review, value=UNCONFIRMED)
        ws.cell(row=cells[0].row, column=reason, value=c.reason)
    buf = io.BytesIO()
    wb.save(buf)
    Path(out).write_bytes(_stable_zip(buf.getvalue()))
    lines = [f"wrote {out}: {len(found)} candidate(s) marked {UNCONFIRMED} from {source_id} for FY{fiscal_year}; "
             f"{len(empty)} expected row(s) left empty"]
    lines += [f"  {UNCONFIRMED}: {c.municipality} {c.indicator} = {c.value:g} ({c.page or 'page unknown'}) 「{c.quote}」"
              for c in found]
    lines += [f"  empty: {m} {i} ({why})" for m, i, why in empty]
    return "\n".join(lines)
