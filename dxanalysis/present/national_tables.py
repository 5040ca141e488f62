"""Notebook 06's tables as a reader sees them (issue 22): one language, headings with units, no slugs or source ids.

The analysis layer (``summaries``) computes the tables with city and indicator names already in the reader's
language; :func:`show` keeps the columns a reader needs, gives each its heading in ``lang`` (:data:`VIEWS`) and
hands the rest to :func:`dxanalysis.present.tables.reader_table` (— for a missing value, はい/いいえ for a boolean,
plain years, no row numbers). A column the view does not name is left out, never shown under its slug.

>>> t = pd.DataFrame({"lg_code": ["142077"], "group": ["usage_32"], "supply": [43.0], "usage_median": [91.7],
...                   "usage_max": [100.0], "with_value": [3], "procedures": [26], "municipality": ["茅ヶ崎市"]})
>>> show(t, "supply", "ja").data.iloc[0].tolist()
['茅ヶ崎市', 'よく使う32手続', '43', '26', '3', '値が5未満のため示さない', '100']
>>> list(show(t, "supply", "en").data.columns)[:3]
['City', 'Procedures', 'Supply: share available online (%)']
"""

from __future__ import annotations

import re

import pandas as pd

from ..analysis.national_summaries import period_label, rank_phrase
from ..analysis.peers import MEDIAN_MIN_N
from ..contract.citations import all_sources, document_name, source_text, title_text
from . import tables

CITY = ("市", "City")
LABEL = ("指標", "Indicator")

VIEWS: dict[str, dict[str, tuple[str, str]]] = {
    "class_peers": {
        "municipality": CITY, "similar_group": ("類似団体区分", "Similar-municipality class"),
        "similar_group_year": ("区分の年度", "Fiscal year of the class"),
        "members": ("同じ区分の団体数", "Municipalities in the class"),
        "size_peers": ("同規模団体の数（人口0.5〜2倍）", "Size peers (population 0.5–2×)"),
        "in_prefecture": ("同じ都道府県の団体数", "Municipalities in the prefecture")},
    "rank": {
        "municipality": CITY, "indicator": LABEL, "value": ("値（%）", "Value (%)"),
        "national_rank": ("全国の順位", "National rank"),
        "national_percentile": ("全国パーセンタイル", "National percentile"),
        "national_median": ("全国中央値（%）", "National median (%)"),
        "prefecture_rank": ("都道府県内の順位", "Rank in the prefecture"),
        "prefecture_percentile": ("都道府県内パーセンタイル", "Percentile in the prefecture"),
        "prefecture_median": ("都道府県の中央値（%）", "Prefecture median (%)"),
        "peers_rank": ("類似団体内の順位", "Rank among similar municipalities"),
        "peers_percentile": ("類似団体内パーセンタイル", "Percentile among similar municipalities"),
        "peers_median": ("類似団体の中央値（%）", "Median of similar municipalities (%)")},
    "flag": {
        "municipality": CITY, "indicator": LABEL, "adopted": ("市の回答", "The city's answer"),
        "national_share": ("全国で実施している割合（%）", "Share adopting nationally (%)"),
        "prefecture_share": ("同じ都道府県で実施している割合（%）", "Share adopting in the prefecture (%)"),
        "peers_share": ("類似団体で実施している割合（%）", "Share adopting among similar municipalities (%)")},
    "robustness": {
        "municipality": CITY, "indicator": LABEL, "rule": ("比較の仲間", "Peers"), "scope_name": ("範囲", "Scope"),
        "value": ("値（%）", "Value (%)"), "rank_text": ("順位（同率・団体数）", "Rank (ties, n)"),
        "percentile": ("パーセンタイル", "Percentile"), "median": ("中央値（%）", "Median (%)")},
    "fiscal": {
        "municipality": CITY, "similar_group": ("類似団体区分", "Similar-municipality class"),
        "fiscal_year": ("年度", "Fiscal year"), "ratio": ("指標", "Measure"),
        "value": ("市の値（財政力指数のほかは%）", "City's value (% except the fiscal strength index)"),
        "class_average": ("類似団体平均", "Class average"), "city_value": ("市の値の種類", "Kind of the city's value")},
    "supply": {
        "municipality": CITY, "group": ("手続", "Procedures"),
        "supply": ("提供：オンライン化済みの割合（%）", "Supply: share available online (%)"),
        "procedures": ("手続数", "Procedures (count)"), "with_value": ("利用率のある手続数", "Procedures with a usage rate"),
        "usage_median": ("利用率の中央値（%）", "Median usage rate (%)"),
        "usage_max": ("利用率の最大（%）", "Highest usage rate (%)")},
    "opendata": {
        "municipality": CITY, "scope": ("範囲", "Scope"), "members": ("団体数", "Municipalities"),
        "r2_answer": ("令和2年度調査：市の回答", "FY2020 survey: the city's answer"),
        "r2_answered": ("令和2年度：回答した団体数", "FY2020: bodies answering"),
        "r2_published": ("令和2年度：すでに公開", "FY2020: already publishing"),
        "r2_share": ("令和2年度：公開の割合（%）", "FY2020: share publishing (%)"),
        "r2_not_submitted": ("令和2年度：未提出", "FY2020: did not submit"),
        "r6_answer": ("令和6年度調査：市の回答", "FY2024 survey: the city's answer"),
        "r6_answered": ("令和6年度：回答した団体数", "FY2024: bodies answering"),
        "r6_working": ("令和6年度：取り組んでいる", "FY2024: working on open data"),
        "r6_share": ("令和6年度：取り組んでいる割合（%）", "FY2024: share working on it (%)"),
        "r6_not_submitted": ("令和6年度：未提出", "FY2024: did not submit")},
    "city_vs_survey": {
        "municipality": CITY, "topic": ("項目", "Topic"), "document_kind": ("資料の記述の種類", "Kind of statement"),
        "document": ("資料の記述", "What the document states"), "document_date": ("資料の時点", "Date in the document"),
        "document_quote": ("資料の記載", "Quote from the document"), "document_source": ("資料", "Document"),
        "survey_value": ("全国調査の値", "National survey's value"), "survey_period": ("調査の時点", "Survey date"),
        "survey_period_basis": ("時点の根拠", "Basis of the date")},
    "sources": {
        "publisher": ("発行者", "Publisher"), "title": ("資料名", "Title"), "release_date": ("公表日", "Released"),
        "reference_period": ("対象時点", "Reference period"), "licence": ("利用条件", "Licence"),
        "attribution": ("求められる表示", "Attribution"), "url": ("URL", "URL")},
}
"""Per table of notebook 06: the columns a reader sees, in order, with their (Japanese, English) headings."""
VIEWS["cited_shares"] = {k: v for k, v in VIEWS["city_vs_survey"].items() if k not in ("municipality", "document_kind")}

USAGE_GROUPS = {"usage_26": ("子育て・介護26手続", "26 childcare and long-term-care procedures"),
                "usage_32": ("よく使う32手続", "32 frequently used procedures")}
"""The usage groups of :func:`dxanalysis.metrics.supply_usage` named for a reader."""
FEW_VALUES = {"ja": f"値が{MEDIAN_MIN_N}未満のため示さない", "en": f"not shown: fewer than {MEDIAN_MIN_N} values"}
"""What a median cell of fewer than :data:`MEDIAN_MIN_N` values says instead."""
FLAG_WORDS_EN = {"実施": "adopted (実施)", "未実施": "not adopted (未実施)", "調査無し": "not surveyed (調査無し)"}
"""A survey's yes/no answer in English, the published word in brackets."""
DIGITS = {"fiscal": 2}
"""Decimals shown, where a table needs other than one (the fiscal strength index is published to two)."""
YEARS = {"similar_group_year", "fiscal_year"}
"""Columns holding a year: written without a thousands separator."""
def _strip_markup(text) -> str:
    """A quote for display: markup the converted text carries (``<ul …>``) out, a quote inside it in 『』 (it is
    shown in 「」), the words unchanged.

    >>> _strip_markup('令和2年 <ul style="x"> ・RPA運用開始「窓口」')
    '令和2年 ・RPA運用開始『窓口』'
    """
    if not isinstance(text, str):
        return text
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text)).strip()
    return text.translate(str.maketrans("「」", "『』"))


def _prepare(df: pd.DataFrame, kind: str, lang: str) -> pd.DataFrame:
    """The table's columns turned into what a reader reads (names for codes; rules a reader must see applied)."""
    df = df.reset_index(drop=True).copy()
    if kind == "supply":
        df["group"] = df["group"].map(lambda g: USAGE_GROUPS[g][0 if lang == "ja" else 1])
        df["usage_median"] = df["usage_median"].astype(object).where(df["with_value"] >= MEDIAN_MIN_N,
                                                                     df["with_value"].map(lambda n: FEW_VALUES[lang] if n else None))
    if kind == "robustness":
        df["rank_text"] = [rank_phrase(r, n, t, lang) for r, n, t in zip(df["rank"], df["n"], df["ties"])]
        df["median"] = df["median"].where(df["n"] >= MEDIAN_MIN_N)
    if kind in ("city_vs_survey", "cited_shares"):
        df["survey_period"] = df["survey_period"].map(lambda period: period_label(period, lang))
        if lang != "ja":
            df["survey_value"] = df["survey_value"].map(lambda v: FLAG_WORDS_EN.get(v, v))
        df["document_quote"] = df["document_quote"].map(_strip_markup).replace("", None)
        df["document_source"] = df["document_source"].map(lambda s: document_name(s, lang) or None)
    if kind == "sources":
        src = all_sources()
        for col in ("publisher", "reference_period", "licence", "attribution"):
            df[col] = [source_text(src.loc[s], col, lang, fallback=v) for s, v in zip(df["source_id"], df[col])]
        df["title"] = [title_text(src.loc[s], lang) for s in df["source_id"]]
        df["release_date"] = df["release_date"].replace("not established", "")
    for col in YEARS & set(df.columns):
        df[col] = df[col].map(lambda y: str(int(y)) if pd.notna(y) else None)
    return df.mask(df.astype(str).eq(""))


def show(df: pd.DataFrame, kind: str, lang: str, *, caption: str | None = None):
    """Table ``kind`` of :data:`VIEWS` for a reader in ``lang`` (a pandas Styler without row numbers)."""
    view = VIEWS[kind]
    frame = _prepare(df, kind, lang)
    frame = frame[[c for c in view if c in frame.columns]].rename(columns=lambda c: f"n06_{c}")
    headings = {f"n06_{c}": h for c, h in view.items()}
    quotes = ("n06_document_quote",)
    styled = tables.reader_table(frame, lang=lang, digits=DIGITS.get(kind, 1), quotes=quotes, headings=headings)
    return styled.set_caption(caption) if caption else styled


def source_table(table: pd.DataFrame, lang: str):
    """:func:`dxanalysis.summaries.national_source_table` (indexed by source id) as a reader table: the texts in
    ``lang`` (``data/national/source_texts.csv``), each URL once, no source ids."""
    return show(table.rename_axis("source_id").reset_index(), "sources", lang)
