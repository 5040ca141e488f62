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

from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from ..config import KINDS
from ..io.catalogue import load_sources
from .releases import one_release
from . import narrate
from .metrics import (
    adoption_years,
    comparable_indicators,
)
from .peers import scope_summary
from .series import index_to_base, select_series
from .targets import hours_per_fte, trajectory


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
                 stated_only: bool, report_year: int | None) -> dict | None:
    better = catalogue.at[indicator, "higher_is_better"]
    t = trajectory(df, municipality=municipality, indicator=indicator, stated_only=stated_only, report_year=report_year,
                   higher_is_better=True if pd.isna(better) else bool(better)).dropna(subset=["value"])
    if t.empty:
        return None
    last = t.iloc[-1]
    return {"indicator": indicator, "latest_actual": last["latest_actual"], "year": last["latest_actual_year"],
            "target": last["value"], "target_year": last["fiscal_year"], "status": last["status"],
            "required_growth": last["required_growth"]}


def last_targets(df: pd.DataFrame, catalogue: pd.DataFrame, *, municipality: str, stated_only: bool = False,
                 report_year: int | None = None) -> pd.DataFrame:
    """For each target series that has an actual: its last target against the latest actual
    (:func:`dxanalysis.metrics.trajectory`: the annual growth still required, or attained / missed),
    with the catalogue's ``name_ja`` and ``unit``; ``higher_is_better`` comes from the catalogue (empty: higher).
    """
    wide = targets_with_latest_actual(df, municipality=municipality)
    rows = [_last_target(df, catalogue, municipality=municipality, indicator=ind, stated_only=stated_only,
                         report_year=report_year)
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
    one_release(national, "yardstick_table")
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
    titles = load_sources()["title"]
    title = f"「{titles[source]}」" if source in titles.index else source  # the document, never its id
    return f"{value:g}%（{year}年度、{title}）" if ja else f"{value:g}% (FY{year}, {title})"


def online_rate_texts(df: pd.DataFrame, national: pd.DataFrame, cities: pd.DataFrame, *, indicator: str,
                      lang: str = "ja") -> list[str]:
    """Per city: its own latest online rate (actual ``indicator``) beside the dashboard's supply of the 26 and
    32 procedures — two separate figures with different definitions, never merged."""
    one_release(national, "online_rate_texts")
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


