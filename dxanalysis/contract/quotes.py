"""Every quote against the text of its source document, and suggested rows nobody confirmed (issue 21).

Run by :func:`dxanalysis.contract.load.validate_extracts`, so ``validate``, ``add`` and every load apply it:

- a quote found in its source's text is fine; its page becomes the row's location (``p.N``) when the
  location was left empty;
- a quote not found is ``quote_not_in_source``, with the closest passage of the text and its page;
- a source whose text is not available cannot have its quotes checked: :func:`unchecked_quote_warnings`
  says so (``dxanalysis validate`` prints it), never silently;
- a row still marked 要確認 in the 確認 column (a suggestion of ``dxanalysis suggest``) is
  ``unconfirmed_suggestion``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import Problem
from ..io.cells import normalize_text
from ..io.sources import page_label, source_text, text_copy
from ..io.tables import RawTable

UNCONFIRMED_MARK = "要確認"
"""What ``dxanalysis suggest`` writes into the 確認 column of every row it fills; a person clears it."""
CLOSEST_PER_FILE = 20
"""Quotes not found per file that are shown their closest passage (each search reads the whole text); the
others are refused all the same, saying the search was not made."""
CONFIRMATION_COLUMN = "confirmation"
"""The contract name of the 確認 column (``io.tables.HEADER_ALIASES``)."""


def check_against_sources(tidy: pd.DataFrame, raw: RawTable, sources: pd.DataFrame, *,
                          docs: Path | None = None) -> tuple[pd.DataFrame, list[Problem], set]:
    """(rows with pages filled into empty locations, problems, indices of refused rows) for one file's rows."""
    problems, bad = unconfirmed_rows(raw)
    located, searched = tidy.copy(), 0
    for sid, rows in tidy[tidy["quote"].notna() & tidy["source_id"].notna()].groupby("source_id"):
        text = source_text(sid, sources, docs=docs)
        if text is None:
            continue
        for i, quote in rows["quote"].items():
            where = text.locate(quote)
            if where is None:
                problems.append(Problem(raw.file, int(tidy.at[i, "source_row"]), raw.headers.get("quote", "quote"),
                                        quote, "quote_not_in_source", _closest(text, quote, searched)))
                searched += 1
                bad.add(i)
            elif pd.isna(located.at[i, "location"]) and page_label(*where):
                located.at[i, "location"] = page_label(*where)
    return located, problems, bad


def _closest(text, quote: str, searched: int) -> str:
    if searched >= CLOSEST_PER_FILE:
        return f"not in {text.source_id}; closest passage not searched (more than {CLOSEST_PER_FILE} in this file)"
    passage, page = text.closest(quote)
    on = f" on p.{page}" if page else ""
    return f"not in {text.source_id}; closest passage{on}: 「{passage}」"


def unconfirmed_rows(raw: RawTable) -> tuple[list[Problem], set]:
    """Rows whose 確認 cell still says 要確認: (problems, their indices)."""
    if CONFIRMATION_COLUMN not in raw.frame:
        return [], set()
    marks = raw.frame[CONFIRMATION_COLUMN].map(normalize_text)
    flagged = marks[marks.str.contains(UNCONFIRMED_MARK, regex=False)]
    header = raw.headers.get(CONFIRMATION_COLUMN, "確認")
    problems = [Problem(raw.file, int(raw.frame.at[i, "source_row"]), header, v, "unconfirmed_suggestion")
                for i, v in flagged.items()]
    return problems, set(flagged.index)


def unchecked_quote_warnings(kpis: pd.DataFrame, sources: pd.DataFrame | None = None, *,
                             docs: Path | None = None) -> list[Problem]:
    """One warning per source cited with quotes whose text is not available (its quotes were not checked)."""
    out = []
    quoted = kpis[kpis["quote"].notna()]
    for sid, rows in quoted.groupby("source_id"):
        path, why = text_copy(sid, sources, docs=docs)
        if path is None:
            files = ", ".join(sorted(set(rows["source_file"].astype(str))))
            out.append(Problem(files, None, None, sid, "quote_not_checked", f"{len(rows)} quote(s) not checked: {why}"))
    return out
