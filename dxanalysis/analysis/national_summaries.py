"""Notebook 06 as functions: peers, national adoption, ranks, online usage and supply, card issuance."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from .releases import one_release
from . import narrate
from .kpi_summaries import _by_indicator, _ja, city_names
from .metrics import (
    SCOPES,
    SUPPLY_FOR_USAGE,
)
from .peers import MEDIAN_MIN_N, peer_group, quantile_band, scope_summary, supply_usage_summary

# ---------------------------------------------------------------- honest statistics in words (issue 22)


def rank_phrase(rank: float, n: int, ties: float, lang: str = "ja") -> str:
    """A rank always with its n and its ties.

    >>> rank_phrase(1, 1741, 1132), rank_phrase(514, 1741, 155, "en"), rank_phrase(3, 9, 0)
    ('1,741 団体中 1 位（1,133 団体が同率で 1 位）', 'rank 514 of 1,741, tied with 155', '9 団体中 3 位')
    """
    if pd.isna(rank):
        return "順位なし（値なし）" if _ja(lang) else "no rank (no value)"
    rank, ties = int(rank), int(ties) if pd.notna(ties) else 0
    if _ja(lang):
        return f"{n:,} 団体中 {rank:,} 位" + (f"（{ties + 1:,} 団体が同率で {rank:,} 位）" if ties else "")
    return f"rank {rank:,} of {n:,}" + (f", tied with {ties:,}" if ties else "")


def median_phrase(median: float, n: int, lang: str = "ja", unit: str = "%") -> str:
    """A median with its n; below :data:`MEDIAN_MIN_N` values no median, and why.

    >>> median_phrase(73.0, 1741), median_phrase(float("nan"), 1, "en")
    ('中央値 73%（1,741 団体）', 'no median: 1 value, fewer than 5')
    """
    if pd.isna(median) or n < MEDIAN_MIN_N:
        return (f"中央値なし（値のある団体が {n:,} で {MEDIAN_MIN_N} 未満）" if _ja(lang) else
                f"no median: {n:,} value{'s' if n != 1 else ''}, fewer than {MEDIAN_MIN_N}")
    return f"中央値 {median:g}{unit}（{n:,} 団体）" if _ja(lang) else f"median {median:g}{unit} (n = {n:,})"


def period_label(period: str, lang: str = "ja") -> str:
    """A catalogue reference period in the reader's language.

    >>> period_label("FY2022 (令和4年度)"), period_label("FY2022 (令和4年度)", "en")
    ('令和4年度（2022年度）', 'FY2022')
    >>> period_label("2023-04-01 (令和5年度 行政情報化推進状況調査)"), period_label("not established")
    ('2023年4月1日時点（令和5年度 行政情報化推進状況調査）', '時点は資料から確定できない')
    >>> period_label("2023-12-31 (令和5年度 AI・RPA survey)", "en")
    'as of 2023-12-31'
    >>> period_label("not established (release 2025-01-01)"), period_label("not established (release 2025-01-01)", "en")
    ('時点は資料から確定できない（2025-01-01 版）', 'date not established (release 2025-01-01)')
    """
    import re

    ja = _ja(lang)
    if period == "not established":
        return "時点は資料から確定できない" if ja else "date not established"
    if m := re.fullmatch(r"not established \(release (\d{4}-\d{2}-\d{2})\)", period):  # a release added later
        return f"時点は資料から確定できない（{m[1]} 版）" if ja else f"date not established (release {m[1]})"
    if m := re.fullmatch(r"FY(\d{4}) \((.+)\)", period):
        return f"{m[2]}（{m[1]}年度）" if ja else f"FY{m[1]}"
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2}) \((.+)\)", period):
        note = m[4].replace(" survey", "調査")
        return f"{m[1]}年{int(m[2])}月{int(m[3])}日時点（{note}）" if ja else f"as of {m[1]}-{m[2]}-{m[3]}"
    if m := re.match(r"(\d{4}), a month", period):
        return f"{m[1]}年（月は確定できない、2024年7月12日公表以前）" if ja else period
    return period


def period_on_page(period: str, lang: str = "ja") -> str:
    """A period as a table or text shows it: the catalogue's wording, except a later release's "not established",
    which is said in the reader's language (:func:`period_label`).

    >>> period_on_page("FY2022 (令和4年度)"), period_on_page("not established (release 2025-01-01)")
    ('FY2022 (令和4年度)', '時点は資料から確定できない（2025-01-01 版）')
    """
    return period_label(period, lang) if period.startswith("not established (release ") else period

# ---------------------------------------------------------------- 06 national context

def national_source_ids(national: pd.DataFrame, municipalities: pd.DataFrame, cards: pd.DataFrame) -> dict[str, list[str]]:
    """The source ids a national figure names: ``dashboard`` (the DX dashboard), ``covariates`` (code list and
    SSDSE-A, which give the peers), ``code_list`` (the code list alone) and ``cards`` (card issuance)."""
    one_release(national, "national_source_ids")
    sources = municipalities.attrs["sources"]
    return {"dashboard": sorted(national["source_id"].unique()), "covariates": sorted(set(sources.values())),
            "code_list": [sources["code list"]], "cards": sorted(cards["source_id"].unique())}

SUPPLY_32, SUPPLY_32_PARTS = "online_supply_32_rate", ("online_supply_32_numerator", "online_supply_32_denominator")
"""The supply rate of the 32 procedures, and the counts it is computed from."""


MISSING_REASONS_JA = {"not_surveyed": "調査無し", "no_procedures": "「%」のみ（該当手続なし）", "no_value": "空欄（値なし）"}
"""How a dashboard cell without a value is named in Japanese (``missing_reason``)."""
MISSING_REASONS_EN = {"not_surveyed": "not surveyed (調査無し)", "no_procedures": "'%' only (no procedure concerned)",
                      "no_value": "empty"}
"""The same in English (the published word in brackets)."""


def dashboard_load_text(national: pd.DataFrame, municipalities: pd.DataFrame, lang: str = "ja") -> str:
    """What loading the dashboard did (``national.attrs["load_report"]``): cells read, values, cells without one."""
    one_release(national, "dashboard_load_text")
    load = national.attrs["load_report"]
    if _ja(lang):
        return (f"ダッシュボードの表から {load.cells_read:,} セルを読み、{load.values_loaded:,} 個の値と、値のないセル "
                + "、".join(f"{MISSING_REASONS_JA.get(k, k)} {v:,}" for k, v in load.missing.items())
                + f" に分けました（{len(municipalities):,} 市区町村）。")
    return (f"Read {load.cells_read:,} dashboard cells: {load.values_loaded:,} values and cells without a value ("
            + ", ".join(f"{MISSING_REASONS_EN.get(k, k)} {v:,}" for k, v in load.missing.items())
            + f"), for {len(municipalities):,} municipalities.")


def peer_table(municipalities: pd.DataFrame, cities: pd.DataFrame, *, rule: str, band: tuple[float, float],
               lang: str = "ja") -> pd.DataFrame:
    """Per city (:func:`city_rows`): its population and year, the population band, how many size peers
    (:func:`dxanalysis.metrics.peer_group` under ``rule``) and how many municipalities its prefecture has."""
    rows = []
    for slug, row in cities.iterrows():
        peers = peer_group(municipalities, lg_code=row["lg_code"], rule=rule, band=band)
        rows.append({"municipality": narrate.city(slug, lang), "lg_code": row["lg_code"], "prefecture": row["prefecture"],
                     "population": int(row["population"]),
                     "population_year": municipalities.attrs["covariate_years"]["population"],
                     "peer_low": int(row["population"] * band[0]), "peer_high": int(row["population"] * band[1]),
                     "peers": len(peers),
                     "in_prefecture": int((municipalities["prefecture"] == row["prefecture"]).sum())})
    return pd.DataFrame(rows)


def peer_texts(peers: pd.DataFrame, lang: str = "ja") -> list[str]:
    """One sentence per row of :func:`peer_table`.

    >>> row = {"municipality": "X", "population": 1000, "population_year": 2020, "peer_low": 500, "peer_high": 2000,
    ...        "peers": 7, "prefecture": "Y県", "in_prefecture": 30}
    >>> peer_texts(pd.DataFrame([row]), "en")
    ['X: population 1,000 (2020) → 7 size peers of 500–2,000; 30 municipalities in Y県.']
    """
    ja = _ja(lang)
    return [(f"{r.municipality}: 人口 {r.population:,}人（{r.population_year}年）→ 同規模団体は人口 {r.peer_low:,}〜{r.peer_high:,}人の"
             f" {r.peers:,} 団体、{r.prefecture}内は {r.in_prefecture} 団体。" if ja else
             f"{r.municipality}: population {r.population:,} ({r.population_year}) → {r.peers:,} size peers of "
             f"{r.peer_low:,}–{r.peer_high:,}; {r.in_prefecture} municipalities in {r.prefecture}.")
            for r in peers.itertuples()]


def indicator_labelled(catalogue: pd.DataFrame, label: str) -> str:
    """The national indicator whose dashboard label (``label_ja``, spaces trimmed) is ``label``.

    >>> indicator_labelled(pd.DataFrame({"indicator": ["u1"], "label_ja": [" 転出届 "]}), "転出届")
    'u1'
    """
    return dict(zip(catalogue["label_ja"].str.strip(), catalogue["indicator"]))[label]


NATIONAL_CELL_COLUMNS = ["lg_code", "municipality_ja", "prefecture", "indicator", "value", "missing_reason", "raw",
                         "row", "column"]
"""The columns of a dashboard cell a figure's data file keeps (where each value was read)."""


def national_cells(national: pd.DataFrame, indicators: Iterable[str]) -> pd.DataFrame:
    """The dashboard cells of ``indicators`` (:data:`NATIONAL_CELL_COLUMNS`)."""
    one_release(national, "national_cells")
    return national[national["indicator"].isin(list(indicators))][NATIONAL_CELL_COLUMNS]


def adoption_texts(national: pd.DataFrame, catalogue: pd.DataFrame, *, indicators: Iterable[str],
                   lang: str = "ja") -> list[str]:
    """Per 実施/未実施 indicator: how many municipalities adopt it nationally, of how many surveyed, and when."""
    one_release(national, "adoption_texts")
    ja = _ja(lang)
    indicators = list(indicators)
    flags = scope_summary(national[national["indicator"].isin(indicators)]).set_index("indicator")
    cat = _by_indicator(catalogue)
    lines = []
    for ind in indicators:
        s, period = flags.loc[ind], cat.at[ind, "reference_period"]
        n, adopted = int(s["n"]), int(s["adopted"])
        lines.append(f"{cat.at[ind, 'name_ja']}: 全国 {n:,} 団体中 {adopted:,} 団体（{s['share']:.1f}%）が実施（時点: "
                     f"{period_label(period, lang)}）。" if ja else
                     f"{cat.at[ind, 'name_en']}: {adopted:,} of {n:,} municipalities ({s['share']:.1f}%) "
                     f"({period_label(period, lang)}).")
    return lines


def _one_row_per_city(table: pd.DataFrame, names: Mapping[str, str], labels: Mapping[str, str]) -> pd.DataFrame:
    table = table.reset_index()
    table.insert(0, "municipality", table["lg_code"].map(names))
    table["indicator"] = table["indicator"].map(labels)
    return table


def rank_table(standing: pd.DataFrame, cities: pd.DataFrame, *, indicators: Iterable[str], labels: Mapping[str, str],
               lang: str = "ja") -> pd.DataFrame:
    """Per city and indicator: its value, and in every scope its rank (``rank / n``), percentile and the median.

    ``standing`` is :func:`dxanalysis.metrics.standing`, ``cities`` :func:`city_rows`.
    """
    wide = (standing[standing["indicator"].isin(list(indicators))]
            .assign(rank_of=lambda d: [rank_phrase(r, n, t, lang) for r, n, t in zip(d["rank"], d["n"], d["ties"])])
            .pivot_table(index=["lg_code", "indicator"], columns="scope",
                         values=["value", "rank_of", "percentile", "median"], aggfunc="first", sort=False,
                         dropna=False))
    wide = wide[[("value", "national")] + [(c, s) for s in SCOPES for c in ("rank_of", "percentile", "median")]]
    wide.columns = ["value"] + [f"{s}_{c}" for s in SCOPES for c in ("rank", "percentile", "median")]
    return _one_row_per_city(wide, city_names(cities, lang), labels)


ADOPTED_WORDS = {"ja": {1.0: "実施", 0.0: "未実施"}, "en": {1.0: "yes", 0.0: "no"}}
"""How a 実施/未実施 flag (1/0) is written in :func:`flag_table`."""


def flag_table(standing: pd.DataFrame, cities: pd.DataFrame, *, indicators: Iterable[str], labels: Mapping[str, str],
               lang: str = "ja") -> pd.DataFrame:
    """Per city and 実施/未実施 indicator: whether it adopts it, and the share adopting in every scope."""
    flags = (standing[standing["indicator"].isin(list(indicators))]
             .pivot_table(index=["lg_code", "indicator"], columns="scope", values=["value", "share"], aggfunc="first",
                          sort=False))
    flags = flags[[("value", "national")] + [("share", s) for s in SCOPES]]
    flags.columns = ["adopted"] + [f"{s}_share" for s in SCOPES]
    table = _one_row_per_city(flags, city_names(cities, lang), labels)
    table["adopted"] = table["adopted"].map(ADOPTED_WORDS["ja" if _ja(lang) else "en"])
    return table


PEER_RULE_WORDS = {
    "similar_group": {"ja": "類似団体", "en": "similar municipalities"},
    "population": {"ja": "同規模団体", "en": "size peers"},
    "municipality_type": {"ja": "同じ団体区分の団体", "en": "municipalities of the same type"},
}
"""How each peer rule (:data:`dxanalysis.metrics.PEER_RULES`) is named to a reader."""


def _rank_part(catalogue: pd.DataFrame, ind: str, nat: pd.Series, peer: pd.Series, ja: bool, word: str) -> str:
    lang = "ja" if ja else "en"
    national, peers = (rank_phrase(nat["rank"], nat["n"], nat["ties"], lang),
                       rank_phrase(peer["rank"], peer["n"], peer["ties"], lang))
    if ja:
        return (f"{catalogue.at[ind, 'name_ja']} {nat['value']:g}%（全国 {national}、{word} {peers}、"
                f"{word}の{median_phrase(peer['median'], peer['n'], lang)}）")
    return (f"{catalogue.at[ind, 'name_en']} {nat['value']:g}% (nationally {national}; among {word} {peers}; "
            f"{word}: {median_phrase(peer['median'], peer['n'], lang)})")


def rank_texts(standing: pd.DataFrame, catalogue: pd.DataFrame, cities: pd.DataFrame, *, indicators: Sequence[str],
               lang: str = "ja", rule: str = "population") -> list[str]:
    """One paragraph per city (:func:`city_rows`, in its order): its value, national rank and rank among its
    peers (with their median; named by ``rule``, :data:`PEER_RULE_WORDS`) for every indicator of ``indicators``."""
    ja = _ja(lang)
    word = PEER_RULE_WORDS[rule][lang]
    cat = _by_indicator(catalogue)
    lines = []
    for code, name in city_names(cities, lang).items():
        s = standing[(standing["lg_code"] == code) & standing["indicator"].isin(indicators)].set_index(["indicator", "scope"])
        parts = [_rank_part(cat, ind, s.loc[(ind, "national")], s.loc[(ind, "peers")], ja, word) for ind in indicators]
        lines.append(f"**{name}**: " + ("；".join(parts) + "。" if ja else "; ".join(parts) + "."))
    return lines


PEER_RULE_COLUMNS = ["municipality", "indicator", "rule", "scope_name", "members", "value", "rank", "ties", "n",
                     "percentile", "median"]
"""The columns of :func:`peer_rule_table`."""


def peer_rule_table(standings: Mapping[str, pd.DataFrame], cities: pd.DataFrame, *, indicators: Iterable[str],
                    labels: Mapping[str, str], lang: str = "ja") -> pd.DataFrame:
    """The peer scope of the same indicators under several peer rules (``rule`` → its
    :func:`dxanalysis.metrics.standing`), side by side per city and indicator."""
    indicators = list(indicators)
    peers = pd.concat([s[(s["scope"] == "peers") & s["indicator"].isin(indicators)].assign(rule=rule)
                       for rule, s in standings.items()], ignore_index=True)
    peers = peers.assign(municipality=peers["lg_code"].map(city_names(cities, lang)), indicator=peers["indicator"].map(labels),
                         rank=peers["rank"].astype("Int64"))
    return peers[PEER_RULE_COLUMNS].sort_values(["municipality", "indicator", "rule"], kind="stable")


def usage_years(usage: pd.DataFrame, catalogue: pd.DataFrame) -> str:
    """The fiscal years of the usage rates of ``usage`` (procedures as index), as their reference periods name them.

    >>> cat = pd.DataFrame({"indicator": ["u1", "u2"], "reference_period": ["FY2022 (令和4年度)", "FY2022 (令和4年度)"]})
    >>> usage_years(pd.DataFrame(index=["u1", "u2"]), cat)
    'FY2022'
    """
    periods = _by_indicator(catalogue).loc[usage.index, "reference_period"]
    return "/".join(dict.fromkeys(period.split(" ")[0] for period in periods))


def usage_data(usage: pd.DataFrame, catalogue: pd.DataFrame) -> pd.DataFrame:
    """The usage table (:func:`dxanalysis.plot.usage_matrix`) with each procedure's name and reference period."""
    cat = _by_indicator(catalogue)
    return usage.reset_index(names="indicator").assign(
        procedure=lambda d: d["indicator"].map(cat["label_ja"]),
        reference_period=lambda d: d["indicator"].map(cat["reference_period"]))


def usage_coverage_text(usage: pd.DataFrame, catalogue: pd.DataFrame, cities: pd.DataFrame, lang: str = "ja") -> str:
    """The reference periods of the usage rates and, per city (:func:`city_rows`), how many procedures have a value."""
    ja = _ja(lang)
    names = city_names(cities, lang)
    period = [period_on_page(p, lang) for p in _by_indicator(catalogue).loc[usage.index, "reference_period"].unique()]
    with_value = usage[list(names)].notna().sum()
    if ja:
        return ("利用率の時点: " + "、".join(period) + "。値のある手続数: "
                + "、".join(f"{name} {with_value[c]} / {len(usage)}" for c, name in names.items()) + "。")
    return ("Reference period of the usage rates: " + ", ".join(period) + ". Procedures with a value: "
            + ", ".join(f"{name} {with_value[c]} of {len(usage)}" for c, name in names.items()) + ".")


MOVING_OUT = "転出届"
"""The dashboard label (``label_ja``) of the moving-out notification (:func:`moving_out_text`)."""


def moving_out_text(usage: pd.DataFrame, catalogue: pd.DataFrame, cities: pd.DataFrame, lang: str = "ja", *,
                    national: pd.DataFrame | None = None) -> str:
    """The online share of the moving-out notification (:data:`MOVING_OUT`) per city, and the national median —
    with its n (:func:`median_phrase`, none below :data:`MEDIAN_MIN_N` values) when the dashboard's cells
    (``national``) are given."""
    if national is not None:
        one_release(national, "moving_out_text")
    indicator = indicator_labelled(catalogue, MOVING_OUT)
    shares = [f"{name} {percent_text(usage.at[indicator, c], lang)}" for c, name in city_names(cities, lang).items()]
    median = usage.at[indicator, "national"]
    if national is not None:
        n = int(national.loc[national["indicator"] == indicator, "value"].notna().sum())
        whole = median_phrase(median, n, lang)
        return ("転出届のオンライン利用率: " + "、".join(shares) + f"（全国の{whole}）。" if _ja(lang) else
                "Moving-out notification (転出届), online share: " + ", ".join(shares) + f" (national {whole}).")
    if _ja(lang):
        return "転出届のオンライン利用率: " + "、".join(shares) + f"（全国中央値 {percent_text(median, lang)}）。"
    return ("Moving-out notification (転出届), online share: " + ", ".join(shares)
            + f" (national median {percent_text(median, lang)}).")


def percent_text(value: float, lang: str = "ja") -> str:
    """A percentage for a reader; a missing one is 値なし / no value, never ``nan%``.

    >>> percent_text(4.2), percent_text(float("nan")), percent_text(float("nan"), "en")
    ('4.2%', '値なし', 'no value')
    """
    if pd.isna(value):
        return "値なし" if _ja(lang) else "no value"
    return f"{value:g}%"


def _supply_parts(counts: pd.DataFrame, r, ja: bool) -> str:
    if SUPPLY_FOR_USAGE[r.group] != SUPPLY_32:
        return ""
    num, den = (counts.at[r.lg_code, i] for i in SUPPLY_32_PARTS)
    return f"（実施する {den:g} 手続のうち {num:g} 手続）" if ja else f" ({num:g} of the {den:g} procedures it performs)"


def _usage_part(r, ja: bool) -> str:
    if 0 < r.with_value < MEDIAN_MIN_N:
        return (f"利用率は値のある手続が {r.with_value} / {r.procedures} で {MEDIAN_MIN_N} 未満のため中央値は示さない（最大 {r.usage_max:.1f}%）"
                if ja else f"only {r.with_value} of the {r.procedures} procedures have a usage value, fewer than {MEDIAN_MIN_N}, "
                           f"so no median (max {r.usage_max:.1f}%)")
    if r.with_value and ja:
        return f"利用率は値のある {r.with_value} / {r.procedures} 手続の中央値 {r.usage_median:.1f}%（最大 {r.usage_max:.1f}%）"
    if r.with_value:
        return f"usage median {r.usage_median:.1f}% (max {r.usage_max:.1f}%) over the {r.with_value} of {r.procedures} procedures with a value"
    return (f"利用率は {r.procedures} 手続すべてで値なし（空欄: 申請なし又は未報告）" if ja else
            f"no usage value for any of the {r.procedures} procedures (empty: no applications or not reported)")


def supply_usage_texts(detail: pd.DataFrame, national: pd.DataFrame, cities: pd.DataFrame, *,
                       groups: Mapping[str, str], lang: str = "ja") -> list[str]:
    """One sentence per city and usage group of :func:`dxanalysis.metrics.supply_usage` (``detail``; in the order
    of :func:`dxanalysis.metrics.supply_usage_summary`): the supply rate (for the 32 procedures with the counts
    behind it) and the median and maximum usage over the procedures with a value. ``groups`` names the usage
    groups (line breaks become spaces)."""
    one_release(national, "supply_usage_texts")
    ja = _ja(lang)
    summary, names = supply_usage_summary(detail), city_names(cities, lang)
    counts = national[national["lg_code"].isin(set(summary["lg_code"]))].pivot(index="lg_code", columns="indicator",
                                                                                values="value")
    lines = []
    for r in summary.itertuples():
        group, extra, used = groups[r.group].replace("\n", " "), _supply_parts(counts, r, ja), _usage_part(r, ja)
        lines.append(f"{names[r.lg_code]}・{group}: 提供 {r.supply:g}%{extra}、{used}。" if ja else
                     f"{names[r.lg_code]}, {group}: supply {r.supply:g}%{extra}; {used}.")
    return lines


def supply_usage_table(detail: pd.DataFrame, cities: pd.DataFrame, lang: str = "ja") -> pd.DataFrame:
    """:func:`dxanalysis.metrics.supply_usage_summary` with the city's name (``municipality``)."""
    return supply_usage_summary(detail).assign(municipality=lambda d: d["lg_code"].map(city_names(cities, lang)))


CARD_COLUMNS = ["lg_code", "date", "population", "cards_issued", "issued_rate", "raw_rate", "file", "row"]
"""The columns of a city's card-issuance rows :func:`issuance_data` keeps."""


def issuance_band(cards: pd.DataFrame) -> pd.DataFrame:
    """The national median and quartiles of the issued rate at each snapshot (each municipality counts once)."""
    return quantile_band(cards, value="issued_rate", by="date")


def issuance_data(cards: pd.DataFrame, cities: pd.DataFrame) -> pd.DataFrame:
    """The data behind the issuance chart: the national band (:func:`issuance_band`, ``series == "national"``)
    and the rows of the cities (:func:`city_rows`; ``series == "city"``)."""
    mine = cards[cards["lg_code"].isin(cities["lg_code"])][CARD_COLUMNS]
    return pd.concat([issuance_band(cards).assign(series="national"), mine.assign(series="city")], ignore_index=True)


def issuance_text(cards: pd.DataFrame, cities: pd.DataFrame, lang: str = "ja") -> str:
    """How many snapshots, and at the last one each city's issued rate against the national median and quartiles."""
    names = city_names(cities, lang)
    first, last = cards["date"].min(), cards["date"].max()
    at_last = cards[(cards["date"] == last) & cards["lg_code"].isin(list(names))].set_index("lg_code")["issued_rate"]
    b = issuance_band(cards).set_index("date").loc[last]
    if _ja(lang):
        return (f"{cards['date'].nunique()} 時点（{first} 〜 {last}）。最後の時点の交付率: "
                + "、".join(f"{name} {at_last[c]:g}%" for c, name in names.items())
                + f"（全国中央値 {b['median']:g}%、四分位範囲 {b['q1']:g}〜{b['q3']:g}%）。")
    return (f"{cards['date'].nunique()} snapshots ({first} … {last}). At the last one: "
            + ", ".join(f"{name} {at_last[c]:g}%" for c, name in names.items())
            + f" (national median {b['median']:g}%, IQR {b['q1']:g}–{b['q3']:g}%).")
