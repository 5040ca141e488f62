"""Notebook 06 as functions: each city's own documents beside the national survey, and the national shares
南房総市's document cites, recomputed from the dashboard."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from ..contract.citations import document_name
from .releases import one_release
from . import narrate
from .kpi_summaries import _by_indicator, _ja
from .metrics import (
    first_adoptions,
)
from .national_summaries import percent_text, period_label, period_on_page
from .peers import scope_summary

# ---------------------------------------------------------------- 06 city document vs national survey

SURVEY_TOPICS = {
    "my_number": ("my_number_card_holding_rate", [], "my_number_card_holding_rate$"),
    "ai": ("ai_adopted", ["generative_ai", "ai_ocr", "ai_minutes", "ai_chatbot"], r"(?:gen)?ai_"),
    "rpa": ("rpa_adopted", ["rpa"], "rpa_"),
    "telework": ("telework_adopted", ["telework"], "telework_"),
}
"""Topic → (dashboard indicator, milestone categories, pattern of the cities' own KPI indicators): what a city's
documents and the national survey both speak of (:func:`city_vs_survey`)."""

DOCUMENT_KINDS = {"ja": {"dated": "最初の日付のある記述", "figure": "最初の年度の実績値"},
                  "en": {"dated": "first dated statement", "figure": "earliest actual figure"}}
"""The two kinds of document statement in :func:`city_vs_survey` (``document_kind``)."""

SURVEY_ANSWERS_EN = {"実施": "adopted (実施)", "未実施": "not adopted (未実施)", "調査無し": "not surveyed (調査無し)"}
"""A dashboard yes/no answer in English, the published word in brackets."""

PERIOD_BASIS_JA = {"stated": "公表元が明記", "inferred": "推定", "unknown": "不明"}
"""How the dashboard's reference period is known (``period_basis``), in Japanese."""


def as_of_text(as_of, lang: str = "ja") -> str:
    """The date a city's figure is as of, for a reader; none stated reads 時点の記載なし / date not stated, never nan.

    >>> as_of_text("2024-12"), as_of_text(float("nan")), as_of_text(None, "en")
    ('2024-12', '時点の記載なし', 'date not stated')
    """
    if as_of is None or (isinstance(as_of, float) and as_of != as_of) or as_of is pd.NA or str(as_of).strip() == "":
        return "時点の記載なし" if _ja(lang) else "date not stated"
    return str(as_of)


def period_basis_word(basis: str, lang: str = "ja") -> str:
    """``period_basis`` as the notebook writes it.

    >>> period_basis_word("inferred"), period_basis_word("inferred", "en"), period_basis_word("other")
    ('推定', 'inferred', 'other')
    """
    return PERIOD_BASIS_JA.get(basis, basis) if _ja(lang) else basis


def _survey_columns(cell: pd.Series, lang: str) -> dict:
    return {"survey_value": cell["raw"], "survey_period": period_on_page(cell["reference_period"], lang),
            "survey_period_basis": period_basis_word(cell["period_basis"], lang), "survey_source": cell["source_id"]}


def _dated_statements(first_done: pd.DataFrame, slug: str, categories: Sequence[str], lang: str) -> list[dict]:
    ja = _ja(lang)
    mine = first_done[(first_done["municipality"] == slug) & first_done["category"].isin(categories)]
    return [{"document_kind": DOCUMENT_KINDS[lang]["dated"], "document": r.event_ja if ja else r.event_en,
             "document_date": r.date or f"FY{r.year}", "document_quote": r.quote, "document_source": r.source_id}
            for r in mine.itertuples()]


def _first_figure(df: pd.DataFrame, slug: str, pattern: str, kpi_labels: Mapping[str, str], lang: str) -> list[dict]:
    own = df[(df["municipality"] == slug) & (df["kind"] == "actual") & df["indicator"].str.match(pattern)]
    if own.empty:
        return []
    year = int(own["fiscal_year"].min())
    first = own[own["fiscal_year"] == year]
    as_of = set(first["as_of"].dropna())
    return [{"document_kind": DOCUMENT_KINDS[lang]["figure"],
             "document": "; ".join(f"{kpi_labels[i]}: {v:g}" for i, v in zip(first["indicator"], first["value"])),
             "document_date": as_of.pop() if len(as_of) == 1 and len(first) == 1 else f"FY{year}",
             "document_quote": " / ".join(dict.fromkeys(first["quote"])),
             "document_source": ",".join(dict.fromkeys(first["source_id"]))}]


def _nothing_stated(lang: str) -> list[dict]:
    return [{"document_kind": "", "document": "（実績・日付の記述なし）" if _ja(lang) else "(no actual figure or date stated)",
             "document_date": "", "document_quote": "", "document_source": ""}]


def city_vs_survey(df: pd.DataFrame, national: pd.DataFrame, catalogue: pd.DataFrame, milestones: pd.DataFrame, *,
                   cities: pd.DataFrame, topics: Mapping[str, tuple], kpi_labels: Mapping[str, str],
                   lang: str = "ja") -> pd.DataFrame:
    """Per topic and city: what the city's documents say (its first dated statement per milestone category —
    :func:`dxanalysis.metrics.first_adoptions` — and its earliest actual figure of the topic's KPI indicators)
    beside the national survey's cell, each with its date and source; never merged into one number.

    ``topics`` is like :data:`SURVEY_TOPICS`; ``cities`` is :func:`city_rows`; ``kpi_labels`` names the cities'
    own indicators. A city whose documents say nothing of a topic gets one row saying so.
    """
    one_release(national, "city_vs_survey")
    first_done = first_adoptions(milestones)
    dash = national.set_index(["lg_code", "indicator"])
    cat = _by_indicator(catalogue)
    rows = []
    for ind, categories, pattern in topics.values():
        topic = cat.at[ind, "name_ja" if _ja(lang) else "name_en"]
        for slug, code in cities["lg_code"].items():
            base = {"municipality": narrate.city(slug, lang), "topic": topic}
            survey = _survey_columns(dash.loc[(code, ind)], lang)
            found = (_dated_statements(first_done, slug, categories, lang)
                     + _first_figure(df, slug, pattern, kpi_labels, lang)) or _nothing_stated(lang)
            rows += [{**base, **f, **survey} for f in found]
    return pd.DataFrame(rows)


def _survey_day(period: str) -> pd.Timestamp | None:
    hit = re.match(r"(\d{4}-\d{2}-\d{2})", period)
    return pd.Timestamp(hit.group(1)) if hit else None


def survey_timing_texts(table: pd.DataFrame, lang: str = "ja") -> list[str]:
    """For each first dated statement of :func:`city_vs_survey` dated to a month, whether it comes before or after
    the day of the survey (where the survey's period gives a day)."""
    ja = _ja(lang)
    dated = table[(table["document_kind"] == DOCUMENT_KINDS[lang]["dated"])
                  & table["document_date"].str.fullmatch(r"\d{4}-\d{2}")]
    lines = []
    for r in dated.itertuples():
        day = _survey_day(r.survey_period)
        if day is None:
            continue
        after = pd.Timestamp(r.document_date + "-01") > day
        lines.append(f"{r.municipality}・{r.topic}: 調査（{day.date()}時点、{r.survey_period_basis}）は「{r.survey_value}」；"
                     f"資料の「{r.document}」は {r.document_date}（調査時点より{'後' if after else '前'}）。" if ja else
                     f"{r.municipality}, {r.topic}: the survey (as of {day.date()}, {r.survey_period_basis}) says "
                     f"{SURVEY_ANSWERS_EN.get(r.survey_value, r.survey_value)}; the document's \"{r.document}\" is dated {r.document_date}, "
                     f"{'after' if after else 'before'} the survey date.")
    return lines


CARD_HOLDING = "my_number_card_holding_rate"
"""The indicator of My Number card holding, in the cities' data and in the dashboard alike."""


def card_holding_texts(df: pd.DataFrame, national: pd.DataFrame, cities: pd.DataFrame, lang: str = "ja") -> list[str]:
    """Each card-holding rate a city's document states (actuals) beside the dashboard's, with dates and sources."""
    one_release(national, "card_holding_texts")
    ja = _ja(lang)
    dash = national.set_index(["lg_code", "indicator"])
    held = df[(df["indicator"] == CARD_HOLDING) & (df["kind"] == "actual")]
    lines = []
    for r in held.itertuples():
        cell, name = dash.loc[(cities.at[r.municipality, "lg_code"], CARD_HOLDING)], narrate.city(r.municipality, lang)
        doc = document_name(r.source_id, lang)
        lines.append(f"{name}・マイナンバーカード保有率: 市の資料 {percent_text(r.value, lang)}（{as_of_text(r.as_of, lang)}、{doc}）、ダッシュボード {cell['raw']}"
                     f"（{period_label(cell['reference_period'], lang)}）。時点の違う二つの数値で、一つにはまとめません。" if ja else
                     f"{name}, My Number card holding rate: the city's document {percent_text(r.value, lang)} ({as_of_text(r.as_of, lang)}, {doc}); "
                     f"the dashboard {cell['raw']} ({period_label(cell['reference_period'], lang)}). "
                     "Two figures of different dates, not merged.")
    return lines


DESIGNATED_CITY = "政令指定都市"
"""The municipality type the national shares cited in 南房総市's document leave out."""


def cited_shares(reference: pd.DataFrame, national: pd.DataFrame, municipalities: pd.DataFrame) -> pd.DataFrame:
    """The national adoption shares of municipalities a city's document cites (``reference`` rows of ``national``
    whose indicator ends in ``_municipalities``), each with the same share computed from the dashboard over the
    municipalities other than designated cities: ``n``, ``adopted``, ``share``.

    A cited indicator naming ``_ai_`` is compared with ``ai_adopted``, any other with ``rpa_adopted``.
    """
    one_release(national, "cited_shares")
    cited = reference[(reference["municipality"] == "national") & reference["indicator"].str.endswith("_municipalities")]
    others = municipalities.loc[municipalities["municipality_type"] != DESIGNATED_CITY, "lg_code"]
    rows = []
    for r in cited.itertuples():
        ind = "ai_adopted" if "_ai_" in r.indicator else "rpa_adopted"
        s = scope_summary(national[(national["indicator"] == ind) & national["lg_code"].isin(others)]).iloc[0]
        rows.append({"indicator": ind, "value": r.value, "as_of": r.as_of, "quote": r.quote, "source_id": r.source_id,
                     "n": int(s["n"]), "adopted": int(s["adopted"]), "share": s["share"]})
    return pd.DataFrame(rows, columns=["indicator", "value", "as_of", "quote", "source_id", "n", "adopted", "share"])


def cited_share_table(cited: pd.DataFrame, catalogue: pd.DataFrame, *, dashboard_sources: Sequence[str],
                      lang: str = "ja") -> pd.DataFrame:
    """:func:`cited_shares` in the columns of :func:`city_vs_survey`: the document's figure beside the survey's."""
    cat = _by_indicator(catalogue)
    return pd.DataFrame([{"topic": cat.at[r.indicator, "name_ja" if _ja(lang) else "name_en"],
                          "document": f"{percent_text(r.value, lang)}", "document_date": as_of_text(r.as_of, lang), "document_quote": r.quote,
                          "document_source": r.source_id, "survey_value": f"{r.share:.1f}% ({r.adopted:,} / {r.n:,})",
                          "survey_period": period_on_page(cat.at[r.indicator, "reference_period"], lang),
                          "survey_period_basis": period_basis_word(cat.at[r.indicator, "period_basis"], lang),
                          "survey_source": ",".join(dashboard_sources)} for r in cited.itertuples()])


def cited_share_texts(cited: pd.DataFrame, catalogue: pd.DataFrame, lang: str = "ja") -> list[str]:
    """One sentence per row of :func:`cited_shares`: the share the document cites and the one computed."""
    ja = _ja(lang)
    cat = _by_indicator(catalogue)
    lines = []
    for r in cited.itertuples():
        period, how = period_label(cat.at[r.indicator, "reference_period"], lang), period_basis_word(cat.at[r.indicator, "period_basis"], lang)
        lines.append(f"{cat.at[r.indicator, 'name_ja']}（政令指定都市を除く市区町村）: 南房総市の資料が引用する全国値 {percent_text(r.value, lang)}"
                     f"（{as_of_text(r.as_of, lang)}）、ダッシュボードからの計算 {r.share:.1f}%（{r.adopted:,} / {r.n:,} 団体、{period}、"
                     f"時点の根拠: {how}）。" if ja else
                     f"{cat.at[r.indicator, 'name_en']} (municipalities other than designated cities): the national share "
                     f"{narrate.city('minamiboso', lang)}'s document cites is {percent_text(r.value, lang)} ({as_of_text(r.as_of, lang)}); computed from the dashboard {r.share:.1f}% "
                     f"({r.adopted:,} of {r.n:,}, {period}, {how}).")
    return lines


NATIONAL_SOURCE_COLUMNS = ["publisher", "title", "release_date", "reference_period", "licence", "attribution", "url"]
"""What :func:`national_source_table` shows of each national source."""


def national_source_table(national_sources: pd.DataFrame, source_ids: Iterable[str]) -> pd.DataFrame:
    """The national sources ``source_ids`` names (each once, sorted) with their publisher, dates and licence.

    >>> src = pd.DataFrame({c: ["x", "y"] for c in NATIONAL_SOURCE_COLUMNS}, index=["b", "a"])
    >>> national_source_table(src, ["b", "a", "b"]).index.tolist()
    ['a', 'b']
    """
    return national_sources.loc[sorted(set(source_ids)), NATIONAL_SOURCE_COLUMNS]
