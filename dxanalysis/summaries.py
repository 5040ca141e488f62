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

import re
from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from . import narrate
from .config import KINDS
from .metrics import (SCOPES, SUPPLY_FOR_USAGE, adoption_years, comparable_indicators, first_adoptions,
                      hours_per_fte, index_to_base, peer_group, quantile_band, scope_summary, select_series,
                      supply_usage_summary, trajectory)


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


# ---------------------------------------------------------------- 04 targets against actuals

def targets_with_latest_actual(df: pd.DataFrame, *, municipality: str) -> pd.DataFrame:
    """The city's targets as indicators × fiscal years, with the latest actual of each indicator beside them
    (``latest_actual_year``, ``latest_actual``; empty where the indicator has no actual).

    >>> df = pd.DataFrame({"municipality": ["x"] * 3, "indicator": ["n"] * 3, "kind": ["actual", "target", "target"],
    ...                    "fiscal_year": [2024, 2026, 2030], "value": [10.0, 20.0, 40.0]})
    >>> targets_with_latest_actual(df, municipality="x").values.tolist()
    [[20.0, 40.0, 2024.0, 10.0]]
    """
    targets = select_series(df, municipality=municipality, kind="target")
    actuals = _known(select_series(df, municipality=municipality, kind="actual"))
    latest = actuals.groupby("indicator").tail(1).set_index("indicator")[["fiscal_year", "value"]]
    wide = targets.pivot_table(index="indicator", columns="fiscal_year", values="value", aggfunc="first", dropna=False)
    return wide.join(latest.rename(columns={"fiscal_year": "latest_actual_year", "value": "latest_actual"}))


def target_overview_text(df: pd.DataFrame, *, municipality: str, lang: str = "ja") -> str:
    """How many target series the city has (and for which years), how many have an actual to compare,
    and how many actuals fall within the plan period.

    >>> df = pd.DataFrame({"municipality": ["x"] * 3, "indicator": ["n"] * 3, "kind": ["actual", "target", "target"],
    ...                    "fiscal_year": [2024, 2026, 2030], "value": [10.0, 20.0, 40.0]})
    >>> target_overview_text(df, municipality="x", lang="en")
    '1 target series (FY2026–FY2030); 1 with an actual to compare; 0 actual(s) within the plan period'
    """
    ja = _ja(lang)
    targets = select_series(df, municipality=municipality, kind="target")
    actuals = _known(select_series(df, municipality=municipality, kind="actual"))
    wide = targets_with_latest_actual(df, municipality=municipality)
    in_plan = actuals[actuals["fiscal_year"] >= targets["fiscal_year"].min()] if len(targets) else actuals.iloc[0:0]
    n, with_actual, span = wide.shape[0], wide["latest_actual"].notna().sum(), narrate.year_span(targets["fiscal_year"], lang)
    return (f"目標系列 {n}（{span}）、うち実績のあるもの {with_actual}、計画期間内の実績 {len(in_plan)}件" if ja else
            f"{n} target series ({span}); {with_actual} with an actual to compare; {len(in_plan)} actual(s) within the plan period")


LAST_TARGET_COLUMNS = ["indicator", "latest_actual", "year", "target", "target_year", "status", "required_growth"]
"""The columns :func:`last_targets` adds to the catalogue's name and unit."""


def _last_target(df: pd.DataFrame, catalogue: pd.DataFrame, *, municipality: str, indicator: str,
                 stated_only: bool) -> dict | None:
    better = catalogue.at[indicator, "higher_is_better"]
    t = trajectory(df, municipality=municipality, indicator=indicator, stated_only=stated_only,
                   higher_is_better=True if pd.isna(better) else bool(better)).dropna(subset=["value"])
    if t.empty:
        return None
    last = t.iloc[-1]
    return {"indicator": indicator, "latest_actual": last["latest_actual"], "year": last["latest_actual_year"],
            "target": last["value"], "target_year": last["fiscal_year"], "status": last["status"],
            "required_growth": last["required_growth"]}


def last_targets(df: pd.DataFrame, catalogue: pd.DataFrame, *, municipality: str, stated_only: bool = False) -> pd.DataFrame:
    """For each target series that has an actual: its last target against the latest actual
    (:func:`dxanalysis.metrics.trajectory`: the annual growth still required, or attained / missed),
    with the catalogue's ``name_ja`` and ``unit``; ``higher_is_better`` comes from the catalogue (empty: higher).
    """
    wide = targets_with_latest_actual(df, municipality=municipality)
    rows = [_last_target(df, catalogue, municipality=municipality, indicator=ind, stated_only=stated_only)
            for ind in wide.index[wide["latest_actual"].notna()]]
    table = pd.DataFrame([r for r in rows if r is not None], columns=LAST_TARGET_COLUMNS).set_index("indicator")
    return catalogue[["name_ja", "unit"]].join(table, how="inner")


def attainment_text(att: pd.DataFrame, targets: pd.DataFrame, lang: str = "ja") -> str:
    """How many (indicator, year) pairs of :func:`dxanalysis.metrics.attainment` have both an actual and a
    target; when none does, the first target year (of ``targets``) says when the first can come.

    >>> targets = pd.DataFrame({"fiscal_year": [2027, 2026]})
    >>> attainment_text(pd.DataFrame(), targets), attainment_text(pd.DataFrame({"gap": [0.0]}), targets, "en")
    ('実績と目標の両方がある（指標・年度）: 0組。最初の目標年度は2026年度です', '1 (indicator, fiscal year) pair(s) with both an actual and a target')
    """
    ja = _ja(lang)
    text = (f"実績と目標の両方がある（指標・年度）: {len(att)}組" if ja else
            f"{len(att)} (indicator, fiscal year) pair(s) with both an actual and a target")
    if len(att) or not len(targets):
        return text
    first = narrate.fy(int(targets["fiscal_year"].min()), lang)
    return text + (f"。最初の目標年度は{first}です" if ja else f"; the first target year is {first}")


# ---------------------------------------------------------------- 05 three-city comparison

def shared_indicators(df: pd.DataFrame, catalogue: pd.DataFrame, *, columns: Sequence[str]) -> pd.DataFrame:
    """The catalogue rows (``columns``) of the indicators more than one municipality publishes.

    >>> kpis = pd.DataFrame({"municipality": ["a", "b", "b"], "indicator": ["n", "n", "m"]})
    >>> catalogue = pd.DataFrame({"name_ja": ["件数", "時間"], "unit": ["件", "時間"]}, index=["n", "m"])
    >>> shared_indicators(kpis, catalogue, columns=["unit"]).to_dict()
    {'unit': {'n': '件'}}
    """
    cities = df.groupby("indicator")["municipality"].unique()
    return catalogue.loc[cities[cities.map(len) > 1].index, list(columns)]


def growth_indices(df: pd.DataFrame, *, series: Iterable[tuple[str, str]]) -> pd.DataFrame:
    """The actuals of each (municipality, indicator) of ``series`` with ``index``: the value as a percentage of
    the series' first year with a value (= 100). Series without a value are left out.

    >>> df = pd.DataFrame({"municipality": ["x"] * 2, "indicator": ["n"] * 2, "kind": ["actual"] * 2,
    ...                    "fiscal_year": [2021, 2024], "value": [85.0, 408.0]})
    >>> growth_indices(df, series=[("x", "n"), ("y", "n")])["index"].round(1).tolist()
    [100.0, 480.0]
    """
    picked = [_known(select_series(df, municipality=c, indicator=i, kind="actual")) for c, i in series]
    return pd.concat([index_to_base(s, int(s["fiscal_year"].min())) for s in picked if len(s)], ignore_index=True)


def dated_by_several(milestones: pd.DataFrame, *, min_cities: int, exclude: Iterable[str] = ()) -> pd.DataFrame:
    """The milestones of the categories that at least ``min_cities`` cities date (done or planned),
    leaving out the categories of ``exclude``.

    >>> ms = pd.DataFrame({"municipality": ["a", "b", "a"], "category": ["rpa", "rpa", "ocr"], "status": ["done"] * 3,
    ...                    "fiscal_year": pd.array([2021, 2022, 2023], dtype="Int64"), "date": [""] * 3})
    >>> dated_by_several(ms, min_cities=2)["category"].tolist()
    ['rpa', 'rpa']
    """
    ms = milestones[~milestones["category"].isin(list(exclude))]
    first = pd.concat([adoption_years(ms), adoption_years(ms, status="planned")])
    cities_dating = first.notna().groupby(level=0).any().sum(axis=1)
    return ms[ms["category"].isin(cities_dating[cities_dating >= min_cities].index)]


RPA_HOURS, RPA_CATEGORY = "rpa_hours_saved", "rpa"
"""The indicator of RPA hours and the milestone category of RPA (see :func:`rpa_undated_texts`)."""


def rpa_undated_texts(df: pd.DataFrame, milestones: pd.DataFrame, lang: str = "ja") -> list[str]:
    """One sentence per city that reports RPA hours (actuals) but whose documents never date RPA's start."""
    ja = _ja(lang)
    reporting = set(df.loc[(df["indicator"] == RPA_HOURS) & (df["kind"] == "actual"), "municipality"])
    undated = sorted(reporting - set(milestones.loc[milestones["category"] == RPA_CATEGORY, "municipality"]))
    return [(f"{narrate.city(c, lang)}の資料はRPAの削減時間を報告していますが、開始時期は書いていません" if ja else
             f"{narrate.city(c, lang)} reports RPA hours but its documents never say when RPA started") for c in undated]


def latest_texts(df: pd.DataFrame, *, series: Iterable[tuple[str, str]], lang: str = "ja") -> list[str]:
    """The latest actual of each (municipality, indicator) of ``series``, one sentence each
    (:func:`dxanalysis.narrate.series_text`)."""
    return [narrate.series_text(_known(select_series(df, municipality=c, indicator=i, kind="actual")).tail(1), lang)
            for c, i in series]


def city_rows(municipalities: pd.DataFrame, slugs: Sequence[str]) -> pd.DataFrame:
    """The rows of the national municipality list for the cities ``slugs``, indexed by slug, in that order.

    >>> mun = pd.DataFrame({"lg_code": ["1", "2", "3"], "slug": ["b", None, "a"]})
    >>> city_rows(mun, ["a", "b"])["lg_code"].to_dict()
    {'a': '3', 'b': '1'}
    """
    return municipalities.dropna(subset=["slug"]).set_index("slug").loc[list(slugs)]


def city_names(cities: pd.DataFrame, lang: str = "ja") -> dict[str, str]:
    """``lg_code`` → the city's name, for the rows of :func:`city_rows` (in their order)."""
    return {code: narrate.city(slug, lang) for slug, code in cities["lg_code"].items()}


def _by_indicator(catalogue: pd.DataFrame) -> pd.DataFrame:
    return catalogue.set_index("indicator", drop=False)


def _share_or_median(summary: pd.DataFrame, indicator: str, unit: str) -> str:
    return f"{summary.at[indicator, 'share']:.1f}%" if unit == "flag" else f"{summary.at[indicator, 'median']:g}"


YARDSTICK_WORDS = {"ja": "全国（実施の割合・中央値）", "en": "national (share adopting / median)"}
"""The heading of the national column of :func:`yardstick_table`."""


def yardstick_table(national: pd.DataFrame, catalogue: pd.DataFrame, cities: pd.DataFrame, *, measures: Sequence[str],
                    labels: Mapping[str, str], lang: str = "ja") -> pd.DataFrame:
    """The dashboard's own cells (``raw``) of the cities for every indicator of ``measures``, beside the
    national share adopting (flags) or median (missing cells out of the denominator) and the reference period.

    Rows are the indicators' ``labels``, columns the cities' names (``cities``: :func:`city_rows`).
    """
    ids = comparable_indicators(catalogue, measure=list(measures))["indicator"].tolist()
    yard = national[national["indicator"].isin(ids)]
    summary = scope_summary(yard).set_index("indicator")
    cat = _by_indicator(catalogue)
    table = yard[yard["lg_code"].isin(cities["lg_code"])].pivot(index="indicator", columns="lg_code", values="raw")
    table = table.loc[ids, cities["lg_code"]].set_axis([narrate.city(s, lang) for s in cities.index], axis=1)
    table[YARDSTICK_WORDS["ja" if _ja(lang) else "en"]] = [_share_or_median(summary, i, cat.at[i, "unit"]) for i in ids]
    table["reference_period"] = cat.loc[ids, "reference_period"].to_numpy()
    table.index = [labels[i] for i in ids]
    return table


ONLINE_SUPPLY = ("online_supply_26_rate", "online_supply_32_rate", "online_supply_32_numerator",
                 "online_supply_32_denominator")
"""The dashboard cells :func:`online_rate_texts` sets beside a city's own online rate."""


def _own_rate(mine: pd.DataFrame, ja: bool) -> str:
    if mine.empty:
        return "（実績の記述なし）" if ja else "(no actual stated)"
    value, year, source = mine["value"].iloc[-1], int(mine["fiscal_year"].iloc[-1]), mine["source_id"].iloc[-1]
    return f"{value:g}%（{year}年度、{source}）" if ja else f"{value:g}% (FY{year}, {source})"


def online_rate_texts(df: pd.DataFrame, national: pd.DataFrame, cities: pd.DataFrame, *, indicator: str,
                      lang: str = "ja") -> list[str]:
    """Per city: its own latest online rate (actual ``indicator``) beside the dashboard's supply of the 26 and
    32 procedures — two separate figures with different definitions, never merged."""
    ja = _ja(lang)
    own = _known(select_series(df, indicator=indicator, kind="actual"))
    dash = national.set_index(["lg_code", "indicator"])["raw"]
    lines = []
    for slug, code in cities["lg_code"].items():
        stated = _own_rate(own[own["municipality"] == slug], ja)
        s26, s32, num, den = (dash[(code, i)] for i in ONLINE_SUPPLY)
        lines.append(f"{narrate.city(slug, lang)}: " + (
            f"市の資料のオンライン化率 {stated}；ダッシュボード: 子育て・介護26手続 {s26}、"
            f"よく使う32手続 {s32}（{num} / {den} 手続）— 定義の違う別々の数値" if ja else
            f"city's own online rate {stated}; dashboard: 26 child-care/care procedures {s26}, "
            f"32 frequent procedures {s32} ({num} of {den}) — separate figures with different definitions"))
    return lines


def population_text(municipalities: pd.DataFrame, *, slugs: Sequence[str], lang: str = "ja") -> str:
    """The cities' population (SSDSE-A) and its year (``municipalities.attrs["covariate_years"]``)."""
    ja = _ja(lang)
    cities = city_rows(municipalities, slugs)
    year = municipalities.attrs["covariate_years"]["population"]
    return (("人口（SSDSE-A、" if ja else "Population (SSDSE-A, ") + f"{year}): "
            + ", ".join(f"{narrate.city(s, lang)} {int(cities.at[s, 'population']):,}" for s in cities.index))


# ---------------------------------------------------------------- 06 national context

def national_source_ids(national: pd.DataFrame, municipalities: pd.DataFrame, cards: pd.DataFrame) -> dict[str, list[str]]:
    """The source ids a national figure names: ``dashboard`` (the DX dashboard), ``covariates`` (code list and
    SSDSE-A, which give the peers), ``code_list`` (the code list alone) and ``cards`` (card issuance)."""
    sources = municipalities.attrs["sources"]
    return {"dashboard": sorted(national["source_id"].unique()), "covariates": sorted(set(sources.values())),
            "code_list": [sources["code list"]], "cards": sorted(cards["source_id"].unique())}


MISSING_REASONS_JA = {"not_surveyed": "調査無し", "no_procedures": "「%」のみ（該当手続なし）", "no_value": "空欄（値なし）"}
"""How a dashboard cell without a value is named in Japanese (``missing_reason``)."""


def dashboard_load_text(national: pd.DataFrame, municipalities: pd.DataFrame, lang: str = "ja") -> str:
    """What loading the dashboard did (``national.attrs["load_report"]``): cells read, values, cells without one."""
    load = national.attrs["load_report"]
    if _ja(lang):
        return (f"ダッシュボードの表から {load.cells_read:,} セルを読み、{load.values_loaded:,} 個の値と、値のないセル "
                + "、".join(f"{MISSING_REASONS_JA.get(k, k)} {v:,}" for k, v in load.missing.items())
                + f" に分けました（{len(municipalities):,} 市区町村）。")
    return (f"Read {load.cells_read:,} dashboard cells: {load.values_loaded:,} values and cells without a value ("
            + ", ".join(f"{k} {v:,}" for k, v in load.missing.items()) + f"), for {len(municipalities):,} municipalities.")


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
    return national[national["indicator"].isin(list(indicators))][NATIONAL_CELL_COLUMNS]


def adoption_texts(national: pd.DataFrame, catalogue: pd.DataFrame, *, indicators: Iterable[str],
                   lang: str = "ja") -> list[str]:
    """Per 実施/未実施 indicator: how many municipalities adopt it nationally, of how many surveyed, and when."""
    ja = _ja(lang)
    indicators = list(indicators)
    flags = scope_summary(national[national["indicator"].isin(indicators)]).set_index("indicator")
    cat = _by_indicator(catalogue)
    lines = []
    for ind in indicators:
        s, period = flags.loc[ind], cat.at[ind, "reference_period"]
        n, adopted = int(s["n"]), int(s["adopted"])
        lines.append(f"{cat.at[ind, 'name_ja']}: 全国 {n:,} 団体中 {adopted:,} 団体（{s['share']:.1f}%）が実施（時点: {period}）。"
                     if ja else
                     f"{cat.at[ind, 'name_en']}: {adopted:,} of {n:,} municipalities ({s['share']:.1f}%) (as of: {period}).")
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
            .assign(rank_of=lambda d: d["rank"].astype("Int64").astype("str") + " / " + d["n"].astype("str"))
            .pivot_table(index=["lg_code", "indicator"], columns="scope",
                         values=["value", "rank_of", "percentile", "median"], aggfunc="first", sort=False))
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


def _rank_part(catalogue: pd.DataFrame, ind: str, nat: pd.Series, peer: pd.Series, ja: bool) -> str:
    if ja:
        return (f"{catalogue.at[ind, 'name_ja']} {nat['value']:g}%（全国 {nat['n']:,} 団体中 {int(nat['rank']):,} 位、"
                f"同規模団体 {peer['n']:,} 団体中 {int(peer['rank']):,} 位、同規模団体の中央値 {peer['median']:g}%）")
    return (f"{catalogue.at[ind, 'name_en']} {nat['value']:g}% (rank {int(nat['rank']):,} of {nat['n']:,} nationally, "
            f"{int(peer['rank']):,} of {peer['n']:,} size peers, whose median is {peer['median']:g}%)")


def rank_texts(standing: pd.DataFrame, catalogue: pd.DataFrame, cities: pd.DataFrame, *, indicators: Sequence[str],
               lang: str = "ja") -> list[str]:
    """One paragraph per city (:func:`city_rows`, in its order): its value, national rank and rank among its size
    peers (with their median) for every indicator of ``indicators``."""
    ja = _ja(lang)
    cat = _by_indicator(catalogue)
    lines = []
    for code, name in city_names(cities, lang).items():
        s = standing[(standing["lg_code"] == code) & standing["indicator"].isin(indicators)].set_index(["indicator", "scope"])
        parts = [_rank_part(cat, ind, s.loc[(ind, "national")], s.loc[(ind, "peers")], ja) for ind in indicators]
        lines.append(f"**{name}**: " + ("；".join(parts) + "。" if ja else "; ".join(parts) + "."))
    return lines


PEER_RULE_COLUMNS = ["municipality", "indicator", "rule", "scope_name", "members", "value", "rank", "n", "percentile",
                     "median"]
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
    period = _by_indicator(catalogue).loc[usage.index, "reference_period"].unique()
    with_value = usage[list(names)].notna().sum()
    if ja:
        return ("利用率の時点: " + "、".join(period) + "。値のある手続数: "
                + "、".join(f"{name} {with_value[c]} / {len(usage)}" for c, name in names.items()) + "。")
    return ("Reference period of the usage rates: " + ", ".join(period) + ". Procedures with a value: "
            + ", ".join(f"{name} {with_value[c]} of {len(usage)}" for c, name in names.items()) + ".")


MOVING_OUT = "転出届"
"""The dashboard label (``label_ja``) of the moving-out notification (:func:`moving_out_text`)."""


def moving_out_text(usage: pd.DataFrame, catalogue: pd.DataFrame, cities: pd.DataFrame, lang: str = "ja") -> str:
    """The online share of the moving-out notification (:data:`MOVING_OUT`) per city, and the national median."""
    indicator = indicator_labelled(catalogue, MOVING_OUT)
    shares = [f"{name} {usage.at[indicator, c]:g}%" for c, name in city_names(cities, lang).items()]
    national = usage.at[indicator, "national"]
    if _ja(lang):
        return "転出届のオンライン利用率: " + "、".join(shares) + f"（全国中央値 {national:g}%）。"
    return "Moving-out notification (転出届), online share: " + ", ".join(shares) + f" (national median {national:g}%)."


SUPPLY_32, SUPPLY_32_PARTS = "online_supply_32_rate", ("online_supply_32_numerator", "online_supply_32_denominator")
"""The supply rate of the 32 procedures, and the counts it is computed from."""


def _supply_parts(counts: pd.DataFrame, r, ja: bool) -> str:
    if SUPPLY_FOR_USAGE[r.group] != SUPPLY_32:
        return ""
    num, den = (counts.at[r.lg_code, i] for i in SUPPLY_32_PARTS)
    return f"（実施する {den:g} 手続のうち {num:g} 手続）" if ja else f" ({num:g} of the {den:g} procedures it performs)"


def _usage_part(r, ja: bool) -> str:
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

PERIOD_BASIS_JA = {"stated": "公表元が明記", "inferred": "推定", "unknown": "不明"}
"""How the dashboard's reference period is known (``period_basis``), in Japanese."""


def period_basis_word(basis: str, lang: str = "ja") -> str:
    """``period_basis`` as the notebook writes it.

    >>> period_basis_word("inferred"), period_basis_word("inferred", "en"), period_basis_word("other")
    ('推定', 'inferred', 'other')
    """
    return PERIOD_BASIS_JA.get(basis, basis) if _ja(lang) else basis


def _survey_columns(cell: pd.Series, lang: str) -> dict:
    return {"survey_value": cell["raw"], "survey_period": cell["reference_period"],
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
                     f"{r.survey_value}; the document's \"{r.document}\" is dated {r.document_date}, "
                     f"{'after' if after else 'before'} the survey date.")
    return lines


CARD_HOLDING = "my_number_card_holding_rate"
"""The indicator of My Number card holding, in the cities' data and in the dashboard alike."""


def card_holding_texts(df: pd.DataFrame, national: pd.DataFrame, cities: pd.DataFrame, lang: str = "ja") -> list[str]:
    """Each card-holding rate a city's document states (actuals) beside the dashboard's, with dates and sources."""
    ja = _ja(lang)
    dash = national.set_index(["lg_code", "indicator"])
    held = df[(df["indicator"] == CARD_HOLDING) & (df["kind"] == "actual")]
    lines = []
    for r in held.itertuples():
        cell, name = dash.loc[(cities.at[r.municipality, "lg_code"], CARD_HOLDING)], narrate.city(r.municipality, lang)
        lines.append(f"{name}・マイナンバーカード保有率: 市の資料 {r.value:g}%（{r.as_of}、{r.source_id}）、ダッシュボード {cell['raw']}"
                     f"（{cell['reference_period']}、{cell['source_id']}）。時点の違う二つの数値で、一つにはまとめません。" if ja else
                     f"{name}, My Number card holding rate: the city's document {r.value:g}% ({r.as_of}, {r.source_id}); "
                     f"the dashboard {cell['raw']} ({cell['reference_period']}, {cell['source_id']}). "
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
                          "document": f"{r.value:g}%", "document_date": r.as_of, "document_quote": r.quote,
                          "document_source": r.source_id, "survey_value": f"{r.share:.1f}% ({r.adopted:,} / {r.n:,})",
                          "survey_period": cat.at[r.indicator, "reference_period"],
                          "survey_period_basis": period_basis_word(cat.at[r.indicator, "period_basis"], lang),
                          "survey_source": ",".join(dashboard_sources)} for r in cited.itertuples()])


def cited_share_texts(cited: pd.DataFrame, catalogue: pd.DataFrame, lang: str = "ja") -> list[str]:
    """One sentence per row of :func:`cited_shares`: the share the document cites and the one computed."""
    ja = _ja(lang)
    cat = _by_indicator(catalogue)
    lines = []
    for r in cited.itertuples():
        period, how = cat.at[r.indicator, "reference_period"], period_basis_word(cat.at[r.indicator, "period_basis"], lang)
        lines.append(f"{cat.at[r.indicator, 'name_ja']}（政令指定都市を除く市区町村）: 南房総市の資料が引用する全国値 {r.value:g}%"
                     f"（{r.as_of}）、ダッシュボードからの計算 {r.share:.1f}%（{r.adopted:,} / {r.n:,} 団体、時点 {period}、"
                     f"時点の根拠: {how}）。" if ja else
                     f"{cat.at[r.indicator, 'name_en']} (municipalities other than designated cities): the national share "
                     f"南房総市's document cites is {r.value:g}% ({r.as_of}); computed from the dashboard {r.share:.1f}% "
                     f"({r.adopted:,} of {r.n:,}, as of {period}, {how}).")
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
