"""Notebook 06's tables and source lists as a reader sees them: one language each, no slugs, ids or reprs (issue 22).

Built from small synthetic frames of the summaries' shapes (and the bundled source records); nothing is executed.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from dxanalysis.contract.citations import reader_source
from dxanalysis.present import national_tables as nt

QUOTED_OR_RENDERED = re.compile(r"「[^「」]*」|『[^『』]*』|“[^”]*”|\"[^\"]*\"|（[^（）]*）|\([^()]*\)")
ENGLISH_WORD = re.compile(r"\b[A-Za-z][a-z]{3,}\b")
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]+")
REPR = re.compile(r"\[\s*'|\bTrue\b|\bFalse\b|\bNaN\b|\bnan\b|\bNone\b|<NA>|\b2,0\d\d\b")
SLUG = re.compile(r"\b[a-z]+_[a-z0-9_]+\b")


def other_language(text: str, lang: str) -> list[str]:
    """Words of the other language outside quotes and bracketed renderings, reprs and slugs (URLs left out)."""
    text = re.sub(r"https?://\S+", " ", text)
    found = REPR.findall(text) + SLUG.findall(QUOTED_OR_RENDERED.sub(" ", text))
    outside = QUOTED_OR_RENDERED.sub(" ", text)
    return found + (ENGLISH_WORD.findall(outside) if lang == "ja" else JAPANESE.findall(outside))


def table_text(styled) -> list[str]:
    data = styled.data
    return [str(c) for c in data.columns] + [str(v) for v in data.to_numpy().ravel()]


CITY = {"ja": "茅ヶ崎市", "en": "Chigasaki"}

FRAMES = {  # SYNTHETIC rows in the shapes the summaries return (names already in the reader's language)
    "supply": lambda lang: pd.DataFrame({
        "lg_code": ["142077", "142077"], "group": ["usage_26", "usage_32"], "supply": [100.0, 43.0],
        "usage_median": [0.45, float("nan")], "usage_max": [42.5, float("nan")], "with_value": [10, 0],
        "procedures": [26, 26], "municipality": [CITY[lang]] * 2}),
    "robustness": lambda lang: pd.DataFrame({
        "municipality": [CITY[lang]] * 2, "indicator": ["x (%)"] * 2, "rule": ["類似団体" if lang == "ja" else "similar"] * 2,
        "scope_name": ["施行時特例市" if lang == "ja" else "special-case city"] * 2, "members": [23, 4],
        "value": [76.0, 76.0], "rank": pd.array([4, 1], dtype="Int64"), "ties": [2.0, 0.0], "n": [23, 4],
        "percentile": [86.95, 100.0], "median": [73.0, 70.0]}, index=[7, 3]),
    "fiscal": lambda lang: pd.DataFrame({
        "municipality": [CITY[lang]], "similar_group": ["施行時特例市" if lang == "ja" else "special-case city"],
        "fiscal_year": [2023], "ratio": ["財政力指数" if lang == "ja" else "fiscal strength index"], "value": [0.79],
        "class_average": [0.87], "city_value": ["公表値" if lang == "ja" else "official"]}),
    "city_vs_survey": lambda lang: pd.DataFrame({
        "municipality": [CITY[lang]], "topic": ["AIの導入状況" if lang == "ja" else "AI adopted"], "document_kind": [""],
        "document": ["導入" if lang == "ja" else "introduced"], "document_date": ["2024-04"],
        "document_quote": ['令和2年 <ul style="list-style-type: none"> ・RPA運用開始「書かない窓口」'],
        "document_source": ["chigasaki_dx_policy_2023"], "survey_value": ["実施"],
        "survey_period": ["2023-12-31 (令和5年度 AI・RPA survey)"],
        "survey_period_basis": ["推定" if lang == "ja" else "inferred"],
        "survey_source": ["digital_agency_dx_dashboard_20240712"]}),
}


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("kind", sorted(FRAMES))
def test_each_table_is_in_one_language_without_slugs_ids_or_reprs(kind, lang):
    styled = nt.show(FRAMES[kind](lang), kind, lang)
    texts = table_text(styled)
    assert [w for t in texts for w in other_language(t, lang)] == []
    assert "digital_agency_dx_dashboard_20240712" not in " ".join(texts)
    assert len(re.findall(r"<th[ >]", styled.to_html())) == len(styled.data.columns)  # no row numbers


def test_a_median_of_fewer_than_five_values_is_not_shown_and_says_why():
    table = nt.show(FRAMES["robustness"]("ja"), "robustness", "ja").data
    assert table["中央値（%）"].tolist() == ["73", "—"]
    assert table["順位（同率・団体数）"].tolist() == ["23 団体中 4 位（3 団体が同率で 4 位）", "4 団体中 1 位"]
    few = FRAMES["supply"]("en").assign(with_value=[3, 0])
    assert nt.show(few, "supply", "en").data["Median usage rate (%)"].tolist() == ["not shown: fewer than 5 values", "—"]


def test_years_plain_decimals_kept_quotes_without_markup_documents_by_title():
    assert nt.show(FRAMES["fiscal"]("ja"), "fiscal", "ja").data.iloc[0].tolist()[2:6] == ["2023", "財政力指数", "0.79", "0.87"]
    row = nt.show(FRAMES["city_vs_survey"]("en"), "city_vs_survey", "en").data.iloc[0]
    assert row["Quote from the document"] == "「令和2年 ・RPA運用開始『書かない窓口』」"
    assert row["Document"] == "Chigasaki City digitalisation policy (『茅ヶ崎市デジタル化推進方針』)"
    assert row["National survey's value"] == "adopted (実施)" and row["Survey date"] == "as of 2023-12-31"


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_national_source_table_and_source_lists_speak_the_reports_language(lang):
    from dxanalysis.national.catalogue import load_national_sources
    from dxanalysis.analysis.survey_summaries import national_source_table

    sources = load_national_sources()
    table = nt.source_table(national_source_table(sources, sources.index), lang)
    texts = table_text(table)
    assert [w for t in texts for w in other_language(t, lang)] == []
    assert not any(sid in " ".join(texts) for sid in sources.index if "_" in sid)  # ("localgovjp" is also its name)
    for sid in sources.index:
        rec = reader_source(sid, lang)
        words = [w for k in ("name", "attribution", "licence") for w in other_language(rec[k], lang)]
        assert words == [], (sid, words)
        assert not rec["url"] or rec["url"] not in rec["where"]  # a URL once
