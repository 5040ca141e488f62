"""What the numbered notebooks 00–05 show a reader, built for reading in the report's language (issue 22).

A notebook computes with tidy frames; every table it shows goes through :func:`dxanalysis.present.tables.reader_table`
(headings, city and indicator names, words, units) and every line it prints is a sentence in the report's language.
The functions here turn the notebooks' working frames into those tables and sentences, so the notebooks stay thin.

>>> shared_text(pd.DataFrame({"municipality": ["hadano", "chigasaki"], "indicator": ["rpa_hours_saved"] * 2}), "en")
'Indicators published by more than one city (1): Work hours saved by RPA per year'
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

from ..analysis import narrate
from ..analysis.metrics import coverage, coverage_summary
from ..contract.citations import all_sources, publisher_text
from ..io.catalogue import load_indicators, load_milestone_categories
from .style import indicator_label
from .tables import reader_table


def _ja(lang: str) -> bool:
    if lang not in ("ja", "en"):
        raise ValueError(f"lang must be 'ja' or 'en', not {lang!r}")
    return lang == "ja"


def _list(items: Sequence[str], lang: str) -> str:
    return ("、" if _ja(lang) else "; ").join(items)


def with_labels(df: pd.DataFrame, lang: str, *, column: str = "indicator", unit: bool = True) -> pd.DataFrame:
    """``df`` with the indicator slugs (``column`` or, when absent, the index) replaced by a ``label`` column
    (the catalogue name, with its unit), placed first."""
    flat = df.reset_index() if column not in df.columns else df
    if column not in flat.columns:
        flat = flat.rename(columns={"index": column})
    labels = [indicator_label(i, lang, with_unit=unit) for i in flat[column]]
    return flat.drop(columns=[column]).assign(label=labels)[["label", *[c for c in flat.columns if c != column]]]


# ---------------------------------------------------------------- 00 data overview

def sources_table(sources: pd.DataFrame, lang: str):
    """The documents the figures come from: title (『』, as published), publisher, date."""
    frame = sources[["title", "publisher", "date"]].reset_index(drop=True)
    publishers = [publisher_text(rec, lang) for _, rec in all_sources().loc[sources.index].iterrows()]
    return reader_table(frame.assign(publisher=publishers), lang=lang)


def coverage_table(kpis: pd.DataFrame, lang: str):
    """Per city: indicators, rows, actual and target rows, first and last fiscal year, rows without a number."""
    return reader_table(coverage_summary(kpis), lang=lang)


def shared_indicator_slugs(kpis: pd.DataFrame) -> list[str]:
    """The indicators more than one city publishes, sorted."""
    cities = kpis.groupby("indicator")["municipality"].nunique()
    return sorted(cities[cities > 1].index)


def shared_text(kpis: pd.DataFrame, lang: str) -> str:
    """One sentence naming the indicators published by more than one city."""
    names = [narrate.name_of(i, lang) for i in shared_indicator_slugs(kpis)]
    head = "複数の市が公表している指標" if _ja(lang) else "Indicators published by more than one city"
    return f"{head}（{len(names)}）: {_list(names, lang)}" if _ja(lang) else f"{head} ({len(names)}): {_list(names, lang)}"


def shared_coverage_table(kpis: pd.DataFrame, lang: str):
    """Which city publishes what kind of figure for which year, for the shared indicators."""
    cov = coverage(kpis)
    shared = cov[cov.index.get_level_values("indicator").isin(shared_indicator_slugs(kpis))]
    return reader_table(shared, lang=lang, words={y: "coverage" for y in shared.columns})


def missing_texts(kpis: pd.DataFrame, catalogue: pd.DataFrame, lang: str) -> list[str]:
    """How many rows state a KPI without a number, and how many catalogued indicators wait for their targets."""
    missing, undecided = int(kpis["value"].isna().sum()), len(undecided_indicators(kpis, catalogue))
    if _ja(lang):
        return [f"数値のない行（資料では「—」）: {missing}行", f"目標値が未定の指標（カタログ上）: {undecided}指標"]
    return [f"Rows that state a KPI without a number (「—」 in the source): {missing}",
            f"Catalogued indicators whose targets are still to be decided: {undecided}"]


DECIDED_LATER = re.compile(r"「([^「」]*決定[^「」]*)」|([^\s:;()（）「」]*決定[^\s;()「」]*)")
"""The source's own words that a target or an indicator is decided later (quoted in the catalogue's note)."""


def undecided_indicators(kpis: pd.DataFrame, catalogue: pd.DataFrame) -> pd.DataFrame:
    """Catalogued indicators without figures whose note says their targets are decided later (決定)."""
    return catalogue[~catalogue.index.isin(kpis["indicator"]) & catalogue["note"].str.contains("決定", na=False)]


def undecided_table(kpis: pd.DataFrame, catalogue: pd.DataFrame, lang: str, *, rows: int = 10):
    """The first ``rows`` undecided indicators: name and the source's words (in 「」)."""
    picked = undecided_indicators(kpis, catalogue).head(rows)
    quotes = [next((g for g in DECIDED_LATER.search(n).groups() if g), n) for n in picked["note"]]
    return reader_table(pd.DataFrame({"indicator": picked.index, "quote": quotes}), lang=lang)


# ---------------------------------------------------------------- 01–03 one city's series

def comparability_text(indicator: str, lang: str) -> str:
    """The catalogue's note on comparing this indicator across cities, in the reader's language."""
    row = load_indicators().loc[indicator]
    text = row.get("comparability_ja", "") if _ja(lang) else row["comparability"]
    if not text:
        return "（比較可能性の注記なし）" if _ja(lang) else "(no comparability note)"
    return ("比較可能性: " if _ja(lang) else "Comparability: ") + text


def series_table(series: pd.DataFrame, columns: Sequence[str], lang: str, *, indicator: str | None = None):
    """Columns of one indicator's rows, the indicator's unit in the value headings."""
    ind = indicator or series["indicator"].iloc[0]
    return reader_table(series[list(columns)].reset_index(drop=True), lang=lang, unit=narrate.unit_of(ind, lang))


def fte_table(hours: pd.DataFrame, fte: pd.DataFrame | None, lang: str):
    """Hours and their full-time equivalents (``None``: the city states no conversion, said in a sentence)."""
    if fte is None:
        from IPython.display import Markdown

        return Markdown("人年換算の比率を資料は示していません" if _ja(lang) else "The documents state no hours-per-person ratio.")
    return series_table(fte[["municipality", "fiscal_year", "value", "fte"]], ["municipality", "fiscal_year", "value",
                                                                               "fte"], lang, indicator="rpa_hours_saved")


def combined_targets_table(rpa: pd.DataFrame, genai: pd.DataFrame, lang: str):
    """RPA and generative-AI hour targets side by side, with their total."""
    both = rpa[["fiscal_year", "value"]].merge(genai[["fiscal_year", "value"]], on="fiscal_year", suffixes=("_r", "_g"))
    frame = both.rename(columns={"value_r": "rpa", "value_g": "genai"})
    return series_table(frame.assign(total=frame["rpa"] + frame["genai"]), ["fiscal_year", "rpa", "genai", "total"],
                        lang, indicator="rpa_hours_saved")


def purposes_table(log: pd.DataFrame, lang: str):
    """Records and days of the telework-PC log per purpose."""
    table = log.groupby("purpose_group").agg(records=("record_no", "size"), days=("days", "sum"))
    return reader_table(table, lang=lang)


# ---------------------------------------------------------------- 04 targets

def targets_wide_table(wide: pd.DataFrame, lang: str):
    """The city's targets, one row per indicator (name and unit), one column per fiscal year, the latest actual."""
    return reader_table(with_labels(wide, lang), lang=lang)


def last_targets_table(steep: pd.DataFrame, lang: str):
    """Each target series with an actual: its last target against the latest actual and the growth still needed."""
    return reader_table(with_labels(steep.drop(columns=["name_ja", "unit"]), lang), lang=lang)


def attainment_table(att: pd.DataFrame, lang: str):
    """Actual against target for the years that have both."""
    return reader_table(with_labels(att, lang), lang=lang)


# ---------------------------------------------------------------- 05 three cities

def shared_table(kpis: pd.DataFrame, catalogue: pd.DataFrame, lang: str):
    """The indicators more than one city publishes: name, unit and the catalogue's comparability note."""
    slugs = shared_indicator_slugs(kpis)
    notes = [comparability_text(i, lang).split(": ", 1)[-1] for i in slugs]
    frame = pd.DataFrame({"indicator": slugs, "unit": [narrate.unit_of(i, lang) for i in slugs], "comparability": notes})
    return reader_table(frame, lang=lang)


def growth_table(idx: pd.DataFrame, lang: str):
    """The actual series behind the growth indices: city, indicator (with unit), year, value and index."""
    frame = with_labels(idx[["municipality", "indicator", "fiscal_year", "value", "index"]], lang)
    return reader_table(frame, lang=lang)


def milestones_table(first: pd.DataFrame, lang: str):
    """The first dated statement per city and tool: category, city, year (and its basis), event, the quote."""
    names = load_milestone_categories()["name_ja" if _ja(lang) else "name_en"]
    frame = first.assign(category=first["category"].map(names).fillna(first["category"]),
                         event=first["event_ja" if _ja(lang) else "event_en"])
    return reader_table(frame[["category", "municipality", "year", "year_basis", "event", "quote"]], lang=lang,
                        headings={"category": ("取組", "Tool"), "event": ("記載された出来事", "Event stated")})


def population_sentence(kpis: pd.DataFrame, lang: str) -> str:
    """Whether the data hold population rows (no per-capita figures without them)."""
    if (kpis["indicator"] == "population").any():
        return "人口の行があります" if _ja(lang) else "The data hold population rows."
    return ("データに人口の行がないため、人口当たりの数値は示しません" if _ja(lang)
            else "The data hold no population rows, so no per-capita figures are shown.")


def yardstick_table(table: pd.DataFrame, lang: str):
    """:func:`dxanalysis.summaries.yardstick_table` for reading: the dashboard's cells in the reader's words."""
    cities = [c for c in table.columns if c != "reference_period"]
    frame = table.rename_axis("label").reset_index()
    return reader_table(frame, lang=lang, ready=cities, words={c: "dashboard" for c in cities})
