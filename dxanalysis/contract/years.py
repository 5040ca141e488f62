"""How each fiscal year is known (``year_basis``: stated, heading, layout, document) and its evidence."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..io.cells import Formula, normalize_text
from .columns import _Collector, _column, _spread, distinct

# ---------------------------------------------------------------- how each year is known (issue 15)

YEAR_BASIS_ALIASES = {"stated": "stated", "記載": "stated", "明記": "stated", "本文": "stated",
                      "heading": "heading", "見出し": "heading",
                      "layout": "layout", "表の位置": "layout", "列位置": "layout", "レイアウト": "layout",
                      "document": "document", "資料の日付": "document", "文書の日付": "document", "作成日": "document"}
"""Accepted spellings of ``year_basis`` (年の根拠); see ``config.YEAR_BASES``."""


def fiscal_year_readable(fiscal_year: int, text: object) -> bool:
    """Whether ``text`` names ``fiscal_year``: as a 年度, a month inside it, its calendar year, or ``R6`` / ``FY2024``.

    >>> fiscal_year_readable(2024, "令和6年度の実績で約20%"), fiscal_year_readable(2024, "R7.1月時点: 18%")
    (True, True)
    >>> fiscal_year_readable(2022, "年度 テレワーク件数 R4 961"), fiscal_year_readable(2023, "R6 761")
    (True, False)
    """
    from ..io.dates import ERAS, dates_in, era_spellings, fiscal_year_of_date

    flat = normalize_text(text)
    if not flat:
        return False
    for d in dates_in(flat):
        if d == f"FY{fiscal_year}" or d == str(fiscal_year) or fiscal_year_of_date(d) == fiscal_year:
            return True
    bare = [s for s in era_spellings(fiscal_year) if not s.endswith("年度")]  # 2024, FY2024, R6, H30
    spaced = [rf"{s[0]}\s*{s[1:]}" for s in bare if s[0] in "RH" and s[1:].isdigit()]
    n = fiscal_year - ERAS["令和"]
    eras = [rf"令和\s*{'元' if n == 1 else n}"] if n >= 1 else []
    pattern = "|".join([re.escape(s) for s in bare if not s[0] in "RH"] + spaced + eras)
    return bool(re.search(rf"(?<![A-Za-z0-9])(?:{pattern})(?![0-9.])", flat))


def check_year_basis(c: _Collector, out: pd.DataFrame, sources: pd.DataFrame) -> pd.Series:
    """The ``year_basis`` column, checked against what each row can show.

    Blank: ``stated`` when the fiscal year is readable in the quote, else refused (``year_basis_missing``).
    ``stated`` needs the year in the quote, ``heading`` in ``location``; ``layout`` and ``document`` need
    their evidence in ``note``, and a ``document`` year must be the fiscal year of the source's date.
    Rows without a fiscal year or without a quote (placeholders; a missing quote is its own error) are not judged.
    """
    from ..io.dates import fiscal_year_of_date

    f = c.raw.frame
    codes, cells = distinct(_column(f, "year_basis"))
    texts = [normalize_text(v).lower() if not isinstance(v, Formula) else "" for v in cells]
    given = _spread(f.get("year_basis"), cells, [YEAR_BASIS_ALIASES.get(t, t or None) for t in texts], codes, f.index)
    unknown = given.notna() & ~given.isin(list(YEAR_BASIS_ALIASES.values()))
    c.add(unknown, "year_basis", "unknown_year_basis", "use stated, heading, layout or document")
    fy, quote, loc, note = out["fiscal_year"], out["quote"], out["location"], out["note"]
    judged = fy.notna() & quote.notna() & ~unknown
    in_quote = _readable(fy, quote, judged)
    in_loc = _readable(fy, loc, judged & given.eq("heading"))
    basis = given.where(given.notna() | ~in_quote, "stated")
    blank = judged & given.isna() & ~in_quote
    named = _other_years_named(fy, quote, judged & ~in_quote & given.isin(["stated"]).where(given.notna(), True))
    wrong_year = named.ne("")  # the quote names another fiscal year: the 年度 cell is what is wrong
    c.add(wrong_year, "fiscal_year", "year_not_in_quote",
          "fiscal year " + fy.astype("string") + " is not readable in the quote, which names " + named)
    c.add(blank & ~wrong_year, "year_basis", "year_basis_missing",
          "fiscal year " + fy[blank].astype("string") + " is not readable in the quote", value=quote)
    c.add(judged & given.eq("stated") & ~in_quote & ~wrong_year, "year_basis", "year_not_in_quote",
          "fiscal year " + fy.astype("string") + " is not readable in the quote")
    c.add(judged & given.eq("heading") & ~in_loc, "location", "year_not_in_heading",
          "fiscal year " + fy.astype("string") + " is not readable in the location (heading)")
    c.add(judged & given.isin(["layout", "document"]) & note.isna(), "note", "year_basis_without_evidence",
          "year_basis " + given.fillna("").astype("str"))
    doc_fy = out["source_id"].map(sources["date"]).map(lambda d: fiscal_year_of_date(d) if isinstance(d, str) else None)
    wrong = judged & given.eq("document") & doc_fy.notna() & (doc_fy.astype("Int64") != fy)
    c.add(wrong, "fiscal_year", "document_year_mismatch",
          "the source is dated " + out["source_id"].map(sources["date"]).astype("string")
          + " (fiscal year " + doc_fy.astype("Int64").astype("string") + ")")
    return basis.astype("str")


YEARS_AROUND = 10
"""How far from the typed 年度 a quote's own fiscal year is looked for (a typo, or last year's row copied)."""


def _other_years_named(fy: pd.Series, quote: pd.Series, mask: pd.Series) -> pd.Series:
    """For the masked rows, the other fiscal years their quote names (``FY2024``, joined by ``/``), else ``""``."""
    out = pd.Series("", index=fy.index, dtype="str")
    for i in mask[mask.fillna(False).astype(bool)].index:
        year = int(fy.at[i])
        found = [y for y in range(year - YEARS_AROUND, year + YEARS_AROUND + 1)
                 if y != year and fiscal_year_readable(y, quote.at[i])]
        out.at[i] = "/".join(f"FY{y}" for y in found)
    return out


def _quick_year_pattern(fiscal_year: int) -> str:
    """A regex (no look-arounds, so pyarrow can run it) for the common spellings of a fiscal year: a subset of
    what :func:`fiscal_year_readable` accepts, used to skip the full check on most rows."""
    era = []
    for long, short, first, last in (("令和", "R", 2019, 2100), ("平成", "H", 1989, 2019)):
        n = fiscal_year - first + 1
        if first <= fiscal_year <= last:
            era += [rf"{long}\s*{'(?:元|1)' if n == 1 else n}\s*年度", rf"(?:^|[^0-9A-Za-z]){short}\s*{n}(?:[^0-9.]|$)"]
    return "|".join([rf"(?:^|[^0-9]){fiscal_year}年度", rf"FY{fiscal_year}(?:[^0-9]|$)",
                     rf"(?:^|[^0-9A-Za-z]){fiscal_year}(?:[^0-9.]|$)", *era])


def _readable(fy: pd.Series, text: pd.Series, mask: pd.Series) -> pd.Series:
    """:func:`fiscal_year_readable` for the masked rows: vectorised per fiscal year first, then once per
    distinct (year, text) pair for the rest."""
    found = np.zeros(len(fy), dtype=bool)
    where = np.flatnonzero(mask.fillna(False).to_numpy(dtype=bool))
    if len(where):
        import pyarrow as pa
        import pyarrow.compute as pc

        years = fy.to_numpy()[where].astype("int64")
        col = text if isinstance(text.dtype, pd.StringDtype) else text.astype("str")
        texts = pa.array(col.array).take(pa.array(where))  # Arrow strings, no Python objects
        for year in np.unique(years):
            sel = np.flatnonzero(years == year)
            hit = pc.match_substring_regex(texts.take(pa.array(sel)), _quick_year_pattern(int(year))).fill_null(False)
            found[where[sel[hit.to_numpy(zero_copy_only=False)]]] = True
        rest = where[~found[where]]
        if len(rest):
            codes, uniques = pd.factorize(pd.MultiIndex.from_arrays([fy.to_numpy()[rest].astype("int64"),
                                                                     col.iloc[rest].to_numpy(dtype=object)]))
            ok = np.array([fiscal_year_readable(int(y), t) for y, t in uniques], dtype=bool)
            found[rest] = ok[codes]
    return pd.Series(found, index=fy.index)


def check_actual_dates(c: _Collector, out: pd.DataFrame, sources: pd.DataFrame) -> None:
    """An actual for a fiscal year that began more than a year after its source's date is refused on 年度.

    FY N runs 1 April N – 31 March N+1. A source dated in FY S may report FY S (a year in progress: counts so
    far, the state at publication) and FY S+1 (source dates are the stated publication or revision month, and
    documents are updated after it: 南房総市's 2025-03 document reports a service started 2025-04-01); an actual
    for FY S+2 or later cannot be in it (FY2030 from a source dated 2026-06). data/README.md states the rule.
    """
    from ..io.dates import fiscal_year_of_date

    date = out["source_id"].map(sources["date"]) if "date" in sources else pd.Series(np.nan, index=out.index)
    source_fy = date.map(lambda d: fiscal_year_of_date(d) if isinstance(d, str) and d else None).astype("Int64")
    fy = out["fiscal_year"].astype("Int64")
    late = (out["kind"].eq("actual") & fy.notna() & source_fy.notna() & (fy > source_fy + 1)).fillna(False)
    c.add(late.astype(bool), "fiscal_year", "actual_after_source_date",
          "fiscal year " + fy.astype("string") + " begins " + fy.astype("string") + "-04; the source "
          + out["source_id"].astype("string") + " is dated " + date.astype("string")
          + " (fiscal year " + source_fy.astype("string") + ")")
