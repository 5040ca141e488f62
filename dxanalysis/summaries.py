"""What the analysis notebooks show, as functions: the tables they display and the sentences they say.

Each notebook keeps its parameters, the calls and the prose around them; the computing is here, so it
is tested and documented like the rest of the package. Functions take the frame first, return a new
frame or a list of paragraphs (one per sentence the notebook displays) and never change their inputs.
Sentences come in the notebook's language (``lang``: ``"ja"`` or ``"en"``).

Two kinds of input:

- the KPI table (``df``: ``kpis`` of :func:`dxanalysis.load_kpis`) with the indicator catalogue;
- the national tables of :mod:`dxanalysis.national` (``national``, ``municipalities``, ``catalogue``,
  ``cards``) and the :func:`dxanalysis.metrics.standing` of the three cities.

Names that charts also print (indicator labels of the national catalogue) are passed in as ``labels``
(indicator → label), so a table and a chart always say the same.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from . import narrate
from .config import KINDS
from .metrics import hours_per_fte, select_series


def _ja(lang: str) -> bool:
    if lang not in narrate.LANGS:
        raise ValueError(f"lang must be 'ja' or 'en', not {lang!r}")
    return lang == "ja"


def _known(series: pd.DataFrame) -> pd.DataFrame:
    """Rows with a value (a ``—`` in the source is NaN)."""
    return series.dropna(subset=["value"])


# ---------------------------------------------------------------- 02 RPA and AI hours

def per_task_texts(df: pd.DataFrame, *, municipality: str, hours_indicator: str, tasks_indicator: str,
                   lang: str = "ja") -> list[str]:
    """Hours saved ÷ tasks automated in the latest year that has both actuals, and the quote of the hours.

    >>> df = pd.DataFrame({"municipality": ["x"] * 2, "indicator": ["h", "t"], "kind": ["actual"] * 2,
    ...                    "fiscal_year": [2023, 2024], "value": [10.0, 2.0]})
    >>> per_task_texts(df, municipality="x", hours_indicator="h", tasks_indicator="t", lang="en")
    ['no year has both hours and tasks']
    """
    ja = _ja(lang)
    hours = _known(select_series(df, municipality=municipality, indicator=hours_indicator, kind="actual"))
    tasks = _known(select_series(df, municipality=municipality, indicator=tasks_indicator, kind="actual"))
    both = hours.merge(tasks, on="fiscal_year", suffixes=("", "_tasks"))
    if both.empty:
        return ["時間と業務数が同じ年度にそろう実績はありません" if ja else "no year has both hours and tasks"]
    last = both.iloc[-1]
    pick = lambda s: s[s["fiscal_year"] == last["fiscal_year"]].iloc[-1]  # noqa: E731
    return [narrate.ratio_text(pick(hours), pick(tasks), lang),
            ("資料の記載: " if ja else "the source says: ") + f"「{last['quote']}」"]


def _paired_rows(df: pd.DataFrame, *, municipality: str, hours_indicator: str, fte_indicator: str) -> list[tuple]:
    """(year, kind, hours row, 人分 row) for every kind and year that states both."""
    found = []
    for kind in KINDS:
        h = _known(select_series(df, municipality=municipality, indicator=hours_indicator, kind=kind))
        f = _known(select_series(df, municipality=municipality, indicator=fte_indicator, kind=kind))
        for y in sorted(set(h["fiscal_year"]) & set(f["fiscal_year"])):
            found.append((int(y), kind, h[h["fiscal_year"] == y].iloc[-1], f[f["fiscal_year"] == y].iloc[-1]))
    return found


def stated_conversion(df: pd.DataFrame, *, municipality: str, hours_indicator: str, fte_indicator: str) -> tuple:
    """The city's own hours ÷ 人分 in the latest year (any kind) that states both: ``(rate, hours row, 人分 row)``,
    or ``(None, None, None)`` when no year states both. The rate is :func:`dxanalysis.metrics.hours_per_fte`.

    >>> df = pd.DataFrame({"municipality": ["x"] * 2, "indicator": ["h", "p"], "kind": ["estimate"] * 2,
    ...                    "fiscal_year": [2025] * 2, "value": [11200.0, 3.6]})
    >>> rate, hours, fte = stated_conversion(df, municipality="x", hours_indicator="h", fte_indicator="p")
    >>> round(rate, 1), float(hours["value"]), float(fte["value"])
    (3111.1, 11200.0, 3.6)
    >>> stated_conversion(df, municipality="x", hours_indicator="h", fte_indicator="q")
    (None, None, None)
    """
    found = _paired_rows(df, municipality=municipality, hours_indicator=hours_indicator, fte_indicator=fte_indicator)
    if not found:
        return None, None, None
    year, kind, hours_row, fte_row = max(found, key=lambda t: t[0])
    rate = hours_per_fte(df, municipality=municipality, hours_indicator=hours_indicator, fte_indicator=fte_indicator,
                         fiscal_year=year, kind=kind)
    return rate, hours_row, fte_row


def conversion_texts(df: pd.DataFrame, *, municipality: str, pairs: Iterable[tuple[str, str]],
                     lang: str = "ja") -> list[str]:
    """One sentence per (hours indicator, 人分 indicator) pair the city converts (:func:`stated_conversion`),
    with the kind of the figures; one saying there is none otherwise."""
    ja = _ja(lang)
    lines = []
    for hours_indicator, fte_indicator in pairs:
        rate, hours_row, fte_row = stated_conversion(df, municipality=municipality, hours_indicator=hours_indicator,
                                                     fte_indicator=fte_indicator)
        if rate is not None:
            kind = narrate.kind_word(hours_row["kind"], lang)
            lines.append(narrate.ratio_text(hours_row, fte_row, lang) + (f"（{kind}）" if ja else f" ({kind})"))
    return lines or ["換算の記載はありません" if ja else "no conversion stated"]
