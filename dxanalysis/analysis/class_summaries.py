"""Notebook 06, the ministry's way of comparing: 類似団体 (similar-municipality class) peers, class changes,
the official class averages of finance ratios as fiscal context, and the national figures' titles (issue 23)."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

import pandas as pd

from ..national.similar_groups import (
    FINANCE_RATIOS,
    OFFICIAL_OWN_RATIOS,
    similar_group_changes,
)
from .kpi_summaries import _ja, city_names
from .national_summaries import PEER_RULE_COLUMNS, PEER_RULE_WORDS, peer_rule_table
from .peers import PEER_POPULATION_BAND, peer_group

CLASS_WORDS_EN = {"政令指定都市": "designated city", "中核市": "core city", "施行時特例市": "former special-case city",
                  "特別区": "special ward", "一般市": "city ", "町村": "town/village "}
"""English for the words of a 類似団体区分; the 類型 code (Ⅳ－３) is written in ASCII (IV-3)."""


def similar_group_label(cls: str, lang: str = "ja") -> str:
    """A class as a reader sees it: as published in Japanese, in words and ASCII in English.

    >>> similar_group_label("一般市Ⅳ－３", "en"), similar_group_label("施行時特例市", "en"), similar_group_label("町村Ⅱ－１")
    ('city IV-3', 'former special-case city', '町村Ⅱ－１')
    """
    if _ja(lang):
        return cls
    for ja, en in CLASS_WORDS_EN.items():
        if cls.startswith(ja):
            return en + unicodedata.normalize("NFKC", cls[len(ja):])
    return unicodedata.normalize("NFKC", cls)


def class_peer_table(municipalities: pd.DataFrame, cities: pd.DataFrame, *,
                     band: tuple[float, float] = PEER_POPULATION_BAND, lang: str = "ja") -> pd.DataFrame:
    """Per city (:func:`city_rows`): its 類似団体区分 and year, how many municipalities the class has (the city
    included), the label ``茅ヶ崎市（施行時特例市、23団体）`` and, as the alternative, how many size peers
    (population within ``band``) and municipalities of its prefecture it has."""
    ja, names = _ja(lang), city_names(cities, lang)
    rows = []
    for code, name in names.items():
        peers = peer_group(municipalities, lg_code=code, rule="similar_group")
        home = peers[peers["is_self"]].iloc[0]
        cls = similar_group_label(home["similar_group"], lang)
        rows.append({"municipality": name, "lg_code": code, "similar_group": cls,
                     "similar_group_year": int(home["similar_group_year"]), "members": len(peers),
                     "label": f"{name}（{cls}、{len(peers)}団体）" if ja else f"{name} ({cls}, {len(peers)} municipalities)",
                     "size_peers": len(peer_group(municipalities, lg_code=code, rule="population", band=band)),
                     "in_prefecture": int((municipalities["prefecture"] == home["prefecture"]).sum())})
    return pd.DataFrame(rows)


def class_peer_texts(table: pd.DataFrame, lang: str = "ja") -> list[str]:
    """One sentence per row of :func:`class_peer_table`.

    >>> row = {"label": "X（施行時特例市、23団体）", "similar_group_year": 2023, "size_peers": 186, "in_prefecture": 33}
    >>> class_peer_texts(pd.DataFrame([row]))
    ['X（施行時特例市、23団体）: 2023年度の類似団体区分による類似団体（市自身を含む）。人口規模で選ぶ同規模団体なら 186 団体、同じ都道府県は 33 団体。']
    """
    if _ja(lang):
        return [f"{r.label}: {r.similar_group_year}年度の類似団体区分による類似団体（市自身を含む）。"
                f"人口規模で選ぶ同規模団体なら {r.size_peers:,} 団体、同じ都道府県は {r.in_prefecture} 団体。"
                for r in table.itertuples()]
    return [f"{r.label}: similar municipalities by the FY{r.similar_group_year} similar-municipality class (類似団体区分; the city included); "
            f"{r.size_peers:,} size peers by population; {r.in_prefecture} municipalities in its prefecture."
            for r in table.itertuples()]


def class_change_text(groups: pd.DataFrame, cities: pd.DataFrame, lang: str = "ja") -> str:
    """How many municipalities changed class between the fiscal years of ``groups``
    (:func:`dxanalysis.load_similar_groups`), between which years, and whether each city changed."""
    changes = similar_group_changes(groups)
    years = sorted(groups["fiscal_year"].unique().tolist())
    when = changes.groupby(["year_from", "year_to"]).size()
    mine = changes[changes["lg_code"].isin(list(city_names(cities, lang)))]
    ja, names = _ja(lang), city_names(cities, lang)
    steps = ("、" if ja else ", ").join(f"{a}→{b}: {n:,}" for (a, b), n in when.items())
    if ja:
        cities_part = ("三市の区分は" + f"{years[0]}〜{years[-1]}年度を通じて同じです。" if mine.empty else "、".join(
            f"{names[r.lg_code]}は{r.year_from}→{r.year_to}年度に{r.similar_group_from}から{r.similar_group_to}へ"
            for r in mine.itertuples()) + "変わりました。")
        return (f"{years[0]}〜{years[-1]}年度に類似団体区分が変わった団体は {changes['lg_code'].nunique():,}"
                f"（{steps}）。比較にはDXデータの時点に合う年度の区分を使います。{cities_part}")
    cities_part = (f"The three cities keep their class through FY{years[0]}–FY{years[-1]}." if mine.empty else " ".join(
        f"{names[r.lg_code]} changed from {similar_group_label(r.similar_group_from, lang)} to "
        f"{similar_group_label(r.similar_group_to, lang)} (FY{r.year_from}→FY{r.year_to})." for r in mine.itertuples()))
    return (f"{changes['lg_code'].nunique():,} municipalities changed class between FY{years[0]} and FY{years[-1]} "
            f"({steps}); the comparison uses the class of the year that matches the DX data. {cities_part}")


FISCAL_CONTEXT_RATIOS = ("fiscal_strength_index", "current_balance_ratio", "real_debt_service_ratio")
"""The ratios shown beside their official class averages. 将来負担比率 is left out: the derived file writes a
city's value as a whole number and 0 where the card may show 「－」 (no burden), which cannot be told apart."""


def fiscal_context_table(groups: pd.DataFrame, averages: pd.DataFrame, cities: pd.DataFrame, *, year: int,
                         lang: str = "ja") -> pd.DataFrame:
    """Per city and ratio (:data:`FISCAL_CONTEXT_RATIOS`) in fiscal year ``year``: the city's value, its class's
    official average and whether the city's value is official or rounded to whole percent by the derived file.
    Fiscal context, not DX."""
    ja, names = _ja(lang), city_names(cities, lang)
    mine = groups[(groups["fiscal_year"] == year) & groups["lg_code"].isin(list(names))].set_index("lg_code")
    avg = averages[averages["fiscal_year"] == year].set_index(["similar_group", "ratio"])
    ratio_names = {col: (ja_name if ja else en) for col, ja_name, en in FINANCE_RATIOS.values()}
    rows = [{"municipality": names[code], "similar_group": similar_group_label(mine.at[code, "similar_group"], lang),
             "fiscal_year": year, "ratio": ratio_names[ratio], "value": mine.at[code, ratio],
             "class_average": avg.at[(mine.at[code, "similar_group"], ratio), "value"],
             "city_value": ("公表値" if ja else "official") if ratio in OFFICIAL_OWN_RATIOS else
             ("整数に丸めた値（派生ファイル）" if ja else "rounded to whole % (derived file)")}
            for code in names for ratio in FISCAL_CONTEXT_RATIOS]
    return pd.DataFrame(rows)


def fiscal_context_texts(table: pd.DataFrame, lang: str = "ja") -> list[str]:
    """One sentence per city of :func:`fiscal_context_table`: its 財政力指数 beside its class's average."""
    ja = _ja(lang)
    first = FINANCE_RATIOS["f"][1 if ja else 2]
    rows = table[table["ratio"] == first]
    if ja:
        return [f"{r.municipality}（{r.similar_group}）: {r.fiscal_year}年度の財政力指数 {r.value:.2f}、類似団体平均 "
                f"{r.class_average:.2f}。財政の文脈であり、DXの指標ではありません。" for r in rows.itertuples()]
    return [f"{r.municipality} ({r.similar_group}): fiscal strength index {r.value:.2f} in FY{r.fiscal_year}, "
            f"class average {r.class_average:.2f} — fiscal context, not a DX measure." for r in rows.itertuples()]


def peer_robustness_table(standings: Mapping[str, pd.DataFrame], cities: pd.DataFrame, *, indicators, labels,
                          lang: str = "ja") -> pd.DataFrame:
    """:func:`peer_rule_table` as a reader sees it: each rule named in words (:data:`PEER_RULE_WORDS`), a class
    in the reader's language, the population band written out."""
    table = peer_rule_table(standings, cities, indicators=indicators, labels=labels, lang=lang)
    band = "人口 {0:g}〜{1:g}倍" if _ja(lang) else "population {0:g}–{1:g}×"
    scope = [band.format(*PEER_POPULATION_BAND) if rule == "population" else similar_group_label(name, lang)
             if rule == "similar_group" else name for rule, name in zip(table["rule"], table["scope_name"])]
    return table.assign(rule=table["rule"].map(lambda r: PEER_RULE_WORDS[r][lang]), scope_name=scope)[PEER_RULE_COLUMNS]


NATIONAL_FIGURE_TITLES = {
    "national_distribution_by_measure": {"ja": "全国の市区町村の分布と三市（保有・提供・利用）",
                                         "en": "All municipalities and the three cities (holding, supply, usage)"},
    "national_adoption_shares": {"ja": "取組を実施している団体の割合（全国・同じ都道府県・類似団体）",
                                 "en": "Share of municipalities adopting each measure (nation, prefecture, similar municipalities)"},
    "national_usage_heatmap": {"ja": "手続ごとのオンライン利用率（{fy}）：三市・類似団体・全国",
                               "en": "Online usage per procedure ({fy}): cities, similar municipalities, nation"},
    "national_supply_vs_usage": {"ja": "オンライン化（提供）と実際のオンライン利用（三市、利用は{fy}）",
                                 "en": "Supply (procedures online) and usage ({fy}), three cities"},
    "national_card_issuance_trend": {"ja": "マイナンバーカード交付率の推移（{first}〜{last}。交付であり保有ではない）",
                                     "en": "My Number cards issued ÷ population, {first} … {last} (issued, not held)"},
}
"""The titles of notebook 06's figures (``{…}`` filled in by :func:`figure_title`)."""


def figure_title(name: str, **values) -> dict[str, str]:
    """The ja/en title of one of notebook 06's figures, its placeholders filled.

    >>> figure_title("national_usage_heatmap", fy="FY2022")["en"]
    'Online usage per procedure (FY2022): cities, similar municipalities, nation'
    """
    return {lang: text.format(**values) for lang, text in NATIONAL_FIGURE_TITLES[name].items()}

