"""Analysis verbs on the tidy ``kpis`` table: small, pure, chainable with ``.pipe()``.

Each function takes the frame first, returns a new frame (the input is never
changed) and checks its inputs with :func:`require_columns`.

>>> import pandas as pd
>>> df = pd.DataFrame({"municipality": ["x"] * 3, "indicator": ["n"] * 3, "kind": ["actual"] * 3,
...                    "fiscal_year": [2022, 2023, 2024], "value": [961.0, 753.0, 761.0]})
>>> df.pipe(yoy_change)["change"].tolist()
[nan, -208.0, 8.0]
>>> round(cagr(df, 2022, 2024), 4)
-0.1101
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .config import KINDS
from .records import MILESTONE_STATUSES

SERIES_KEYS = ["municipality", "indicator", "kind"]


def require_columns(df: pd.DataFrame, *columns: str) -> None:
    """Raise ``KeyError`` naming every column ``df`` lacks (the shared input check).

    >>> require_columns(pd.DataFrame({"a": [1]}), "a", "b")
    Traceback (most recent call last):
    ...
    KeyError: "missing column(s): ['b']; have ['a']"
    """
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise KeyError(f"missing column(s): {missing}; have {list(df.columns)}")


def select_series(df: pd.DataFrame, *, municipality: str | None = None, indicator: str | None = None,
                  kind: str | None = None) -> pd.DataFrame:
    """Rows of one (or several) series, one row per fiscal year, sorted by year.

    Where a year has several point-in-time figures (``as_of``), the latest one is kept:
    the figure a reader would quote for that year.

    >>> df = pd.DataFrame({"municipality": ["h"] * 3, "indicator": ["wifi"] * 3, "kind": ["actual"] * 3,
    ...                    "fiscal_year": [2024, 2021, 2024], "as_of": ["2024-10", "", "2025-01"],
    ...                    "value": [30.0, 20.0, 33.0]})
    >>> select_series(df, municipality="h", indicator="wifi")[["fiscal_year", "value"]].values.tolist()
    [[2021.0, 20.0], [2024.0, 33.0]]
    """
    require_columns(df, *SERIES_KEYS, "fiscal_year", "value")
    if kind is not None and kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    mask = pd.Series(True, index=df.index)
    for col, val in (("municipality", municipality), ("indicator", indicator), ("kind", kind)):
        if val is not None:
            mask &= df[col].isin([val] if isinstance(val, str) else list(val))
    out = df[mask]
    if "as_of" in out:
        out = out.sort_values("as_of", na_position="first", kind="stable")
    out = out.drop_duplicates([*SERIES_KEYS, "fiscal_year"], keep="last")
    return out.sort_values([*SERIES_KEYS, "fiscal_year"], kind="stable").reset_index(drop=True)


YEAR_BASIS_STATED = "stated"
"""``year_basis`` of a figure whose fiscal year is written in its own quote (see ``data/README.md``)."""


def stated_years(df: pd.DataFrame, stated_only: bool = True) -> pd.DataFrame:
    """Rows whose fiscal year is stated in their quote (``year_basis == "stated"``); all rows if
    ``stated_only`` is false or the table has no ``year_basis`` column.

    >>> df = pd.DataFrame({"value": [1.0, 2.0, 3.0], "year_basis": ["stated", "heading", "stated"]})
    >>> stated_years(df)["value"].tolist(), len(stated_years(df, False)), len(stated_years(df[["value"]]))
    ([1.0, 3.0], 3, 3)
    """
    if not stated_only or "year_basis" not in df.columns:
        return df
    return df[df["year_basis"].eq(YEAR_BASIS_STATED).fillna(False).astype(bool)]


def yoy_change(df: pd.DataFrame, *, stated_only: bool = False) -> pd.DataFrame:
    """Add ``change`` and ``pct_change`` against the *previous fiscal year* of the same series.

    A year whose previous year is missing gets NaN (no change across a gap is invented).
    ``stated_only`` drops rows whose fiscal year is not stated in their quote first.
    """
    require_columns(df, *SERIES_KEYS, "fiscal_year", "value")
    df = stated_years(df, stated_only)
    out = df.sort_values([*SERIES_KEYS, "fiscal_year"], kind="stable")
    prev = out.groupby(SERIES_KEYS)[["fiscal_year", "value"]].shift()
    consecutive = prev["fiscal_year"] == out["fiscal_year"] - 1
    change = (out["value"] - prev["value"]).where(consecutive)
    return out.assign(change=change, pct_change=(change / prev["value"] * 100).where(consecutive))


def cagr(df: pd.DataFrame, start: int, end: int, *, stated_only: bool = False) -> float:
    """Compound annual growth rate of one series between two fiscal years (as a fraction).

    NaN when either year is missing (or, with ``stated_only``, not stated in its quote) or
    the start value is not positive.
    """
    require_columns(df, "fiscal_year", "value")
    if end <= start:
        raise ValueError(f"end ({end}) must be after start ({start})")
    df = stated_years(df, stated_only)
    values = df.drop_duplicates("fiscal_year", keep="last").set_index("fiscal_year")["value"]
    if start not in values or end not in values or not values[start] > 0:
        return math.nan
    return float((values[end] / values[start]) ** (1 / (end - start)) - 1)


def index_to_base(df: pd.DataFrame, base_year: int) -> pd.DataFrame:
    """Add ``index``: each series' value as a percentage of its value in ``base_year`` (= 100).

    >>> df = pd.DataFrame({"municipality": ["x", "x"], "indicator": ["n", "n"], "kind": ["actual"] * 2,
    ...                    "fiscal_year": [2021, 2024], "value": [85.0, 408.0]})
    >>> index_to_base(df, 2021)["index"].round(1).tolist()
    [100.0, 480.0]
    """
    require_columns(df, *SERIES_KEYS, "fiscal_year", "value")
    base = df[df["fiscal_year"] == base_year].drop_duplicates(SERIES_KEYS, keep="last")
    base = base.set_index(SERIES_KEYS)["value"]
    keys = pd.MultiIndex.from_frame(df[SERIES_KEYS])
    base_values = base.reindex(keys).to_numpy()
    return df.assign(index=df["value"].to_numpy() / base_values * 100)


def attainment(df: pd.DataFrame, *, stated_only: bool = False) -> pd.DataFrame:
    """Actuals beside targets of the same municipality, indicator and fiscal year.

    Returns one row per (municipality, indicator, fiscal_year) that has both, with
    ``actual``, ``target``, ``attainment`` (actual ÷ target) and ``gap`` (actual − target).
    ``stated_only`` leaves out actuals whose fiscal year is not stated in their quote.
    """
    require_columns(df, *SERIES_KEYS, "fiscal_year", "value")
    df = pd.concat([stated_years(df[df["kind"] == "actual"], stated_only), df[df["kind"] != "actual"]])
    keys = ["municipality", "indicator", "fiscal_year"]
    act = select_series(df, kind="actual")[keys + ["value"]].rename(columns={"value": "actual"})
    tgt = select_series(df, kind="target")[keys + ["value"]].rename(columns={"value": "target"})
    both = act.merge(tgt, on=keys, how="inner", validate="one_to_one")
    return both.assign(attainment=both["actual"] / both["target"], gap=both["actual"] - both["target"])


def required_growth(current: float, current_year: int, target: float, target_year: int) -> float:
    """Annual growth rate (fraction) needed to go from ``current`` to ``target``.

    Only defined for a target year after the current one: callers with an actual in or after
    the target year use :func:`target_status` (attained / missed), never this.

    >>> round(required_growth(3108, 2024, 8800, 2030), 4)
    0.1894
    """
    if target_year <= current_year:
        raise ValueError("target_year must be after current_year")
    if not current > 0:
        return math.nan
    return float((target / current) ** (1 / (target_year - current_year)) - 1)


TARGET_STATUSES = ("open", "attained", "missed", "no_actual", "no_target")
"""open: the target year is still ahead; attained / missed: the target year has an actual;
no_actual: the target year has passed (a later actual exists) but has no figure of its own;
no_target: the target's value is missing (``—`` in the source)."""


def target_status(actuals: pd.DataFrame, target: float, target_year: int, *,
                  higher_is_better: bool = True) -> dict:
    """Where one target stands against the actuals of its series (any number of years, NaN allowed).

    Returns ``status`` (one of :data:`TARGET_STATUSES`), ``latest_actual`` and ``latest_actual_year``
    (the latest non-missing actual; NaN / None if there is none), ``actual_at_target`` (the actual of the
    target year), ``gap`` (actual − target in the target year) and ``required_growth`` (annual rate from
    the latest actual, only while the target year is ahead). Never raises on valid data.

    >>> a = pd.DataFrame({"fiscal_year": [2023, 2024], "value": [13.0, 15.0]})
    >>> target_status(a, 100.0, 2025)["status"], round(target_status(a, 100.0, 2025)["required_growth"], 2)
    ('open', 5.67)
    >>> done = pd.concat([a, pd.DataFrame({"fiscal_year": [2025], "value": [100.0]})])
    >>> {k: target_status(done, 100.0, 2025)[k] for k in ("status", "gap")}
    {'status': 'attained', 'gap': 0.0}
    >>> target_status(done.assign(value=[13.0, 15.0, 60.0]), 100.0, 2025)["status"]
    'missed'
    """
    require_columns(actuals, "fiscal_year", "value")
    known = actuals.dropna(subset=["value"]).sort_values("fiscal_year", kind="stable")
    out = {"status": "open", "latest_actual": math.nan, "latest_actual_year": None,
           "actual_at_target": math.nan, "gap": math.nan, "required_growth": math.nan}
    if pd.isna(target):
        out["status"] = "no_target"
    if known.empty:
        return out
    last = known.iloc[-1]
    out["latest_actual"], out["latest_actual_year"] = float(last["value"]), int(last["fiscal_year"])
    if out["status"] == "no_target":
        at = known.loc[known["fiscal_year"] == target_year, "value"]
        out["actual_at_target"] = float(at.iloc[-1]) if len(at) else math.nan
        return out
    if target_year > out["latest_actual_year"]:
        if pd.notna(target):
            out["required_growth"] = required_growth(out["latest_actual"], out["latest_actual_year"],
                                                     float(target), int(target_year))
        return out
    at = known[known["fiscal_year"] == target_year]
    if at.empty:
        out["status"] = "no_actual"
        return out
    value = float(at["value"].iloc[-1])
    out["actual_at_target"] = value
    out["gap"] = value - float(target)
    ok = value >= target if higher_is_better else value <= target
    out["status"] = "attained" if ok else "missed"
    return out


def trajectory(df: pd.DataFrame, *, municipality: str, indicator: str, higher_is_better: bool = True,
               stated_only: bool = False) -> pd.DataFrame:
    """A plan's targets against the actuals of the same series.

    Returns the target rows with the columns of :func:`target_status`: ``latest_actual``,
    ``latest_actual_year``, ``required_growth`` (annual rate from the latest actual to each target
    still ahead), and for a target year that has passed ``actual_at_target``, ``gap`` and
    ``status`` (attained / missed / no_actual). A series with no actual (or all values missing)
    gives ``status == "open"`` and NaN growth. ``stated_only`` leaves out actuals whose fiscal year
    is not stated in their quote.
    """
    targets = select_series(df, municipality=municipality, indicator=indicator, kind="target")
    actuals = stated_years(select_series(df, municipality=municipality, indicator=indicator, kind="actual"),
                           stated_only)
    rows = [target_status(actuals, t, int(y), higher_is_better=higher_is_better)
            for t, y in zip(targets["value"], targets["fiscal_year"])]
    cols = ["latest_actual", "latest_actual_year", "actual_at_target", "gap", "required_growth", "status"]
    extra = pd.DataFrame(rows, columns=cols, index=targets.index)
    extra["latest_actual_year"] = extra["latest_actual_year"].astype("Int64")
    return pd.concat([targets, extra.astype({c: "float64" for c in ("latest_actual", "actual_at_target", "gap",
                                                                   "required_growth")})], axis=1)


def hours_per_fte(df: pd.DataFrame, *, municipality: str, hours_indicator: str, fte_indicator: str,
                  fiscal_year: int, kind: str = "target") -> float:
    """Hours per full-time equivalent implied by a city's own conversion (hours ÷ 人分).

    秦野市 states 11,200時間 ≈ 約3.6人分 for generative AI (5-2 成果指標 "(例)" table: kind estimate, FY2025): about 3,111
    hours per person-year. The figure is read from the data, never assumed.
    """
    pick = lambda ind: select_series(df, municipality=municipality, indicator=ind, kind=kind)  # noqa: E731
    hours, fte = pick(hours_indicator), pick(fte_indicator)
    h = hours.loc[hours["fiscal_year"] == fiscal_year, "value"]
    f = fte.loc[fte["fiscal_year"] == fiscal_year, "value"]
    if h.empty or f.empty or not f.iloc[0] > 0:
        raise LookupError(f"no {hours_indicator}/{fte_indicator} pair for {municipality} {fiscal_year} ({kind})")
    return float(h.iloc[0] / f.iloc[0])


def to_fte(df: pd.DataFrame, *, hours_per_person_year: float) -> pd.DataFrame:
    """Add ``fte``: hours converted to full-time equivalents with a stated conversion.

    Args:
        hours_per_person_year: the conversion, e.g. from :func:`hours_per_fte`; there is no default.

    >>> to_fte(pd.DataFrame({"value": [3108.0]}), hours_per_person_year=3100.0)["fte"].round(2).tolist()
    [1.0]
    """
    require_columns(df, "value")
    if not hours_per_person_year > 0:
        raise ValueError("hours_per_person_year must be positive")
    return df.assign(fte=df["value"] / hours_per_person_year)


def coverage(df: pd.DataFrame) -> pd.DataFrame:
    """Which municipality has which indicator in which fiscal year: ``A`` actual, ``T`` target, ``A+T`` both (``E`` estimate).

    Rows are (municipality, indicator), columns fiscal years; empty where nothing is published.
    """
    require_columns(df, *SERIES_KEYS, "fiscal_year")
    marks = df.assign(mark=df["kind"].map({"actual": "A", "target": "T", "estimate": "E"}))
    cell = marks.groupby(["municipality", "indicator", "fiscal_year"])["mark"].agg(
        lambda m: "+".join(sorted(set(m))))
    return cell.unstack("fiscal_year").fillna("").sort_index(axis=1)


def coverage_summary(df: pd.DataFrame) -> pd.DataFrame:
    """Counts per municipality: indicators, rows, actual/target rows, years with actuals, values missing."""
    require_columns(df, *SERIES_KEYS, "fiscal_year", "value")
    g = df.groupby("municipality")
    return pd.DataFrame({
        "indicators": g["indicator"].nunique(),
        "rows": g.size(),
        "actual_rows": g["kind"].apply(lambda k: int((k == "actual").sum())),
        "target_rows": g["kind"].apply(lambda k: int((k == "target").sum())),
        "first_year": g["fiscal_year"].min(),
        "last_year": g["fiscal_year"].max(),
        "values_missing": g["value"].apply(lambda v: int(v.isna().sum())),
    })


def first_adoptions(milestones: pd.DataFrame, *, status: str = "done") -> pd.DataFrame:
    """The first dated statement per city and category, with the quote that dates it.

    ``year`` is the statement's fiscal year, or — for a bare calendar year such as 令和2年, whose
    fiscal year may be that year or the one before — the calendar year, with ``year_basis``
    saying which (``fiscal`` / ``calendar``). Ties go to the fiscal-year statement.

    >>> ms = pd.DataFrame({"municipality": ["a", "a", "a"], "category": ["rpa"] * 3, "status": ["done"] * 3,
    ...                    "fiscal_year": pd.array([2021, pd.NA, 2023], dtype="Int64"), "date": ["", "2020", ""]})
    >>> first_adoptions(ms)[["municipality", "category", "year", "year_basis"]].values.tolist()
    [['a', 'rpa', 2020, 'calendar']]
    """
    require_columns(milestones, "municipality", "category", "fiscal_year", "date", "status")
    if status not in MILESTONE_STATUSES:
        raise ValueError(f"status must be one of {MILESTONE_STATUSES}, not {status!r}")
    rows = milestones[milestones["status"] == status]
    bare = rows["fiscal_year"].isna() & rows["date"].str.fullmatch(r"\d{4}")
    year = rows["fiscal_year"].astype("float64").where(~bare, pd.to_numeric(rows["date"].where(bare), errors="coerce"))
    rows = rows.assign(year=year, year_basis=np.where(bare, "calendar", "fiscal")).dropna(subset=["year"])
    first = (rows.sort_values(["year", "year_basis"], ascending=[True, False], kind="stable")
             .drop_duplicates(["municipality", "category"]))
    return first.assign(year=first["year"].astype("int64")).sort_values(["category", "municipality"]).reset_index(drop=True)


def adoption_years(milestones: pd.DataFrame, *, status: str = "done") -> pd.DataFrame:
    """:func:`first_adoptions` as a table: categories × cities, the first year (empty: nothing dated).

    >>> ms = pd.DataFrame({"municipality": ["a", "a", "b"], "category": ["rpa", "rpa", "rpa"], "date": ["", "", ""],
    ...                    "fiscal_year": pd.array([2021, 2020, pd.NA], dtype="Int64"), "status": ["done"] * 3})
    >>> adoption_years(ms).to_dict()
    {'a': {'rpa': 2020}}
    """
    first = first_adoptions(milestones, status=status)
    table = first.pivot(index="category", columns="municipality", values="year")
    return table.astype("Int64").rename_axis(index=None, columns=None)


def up_to_fiscal_year(df: pd.DataFrame, fiscal_year: int | None) -> pd.DataFrame:
    """The data as a report for ``fiscal_year`` sees it: actuals up to that year, every target.

    ``None`` keeps everything.

    >>> df = pd.DataFrame({"kind": ["actual", "actual", "target"], "fiscal_year": [2024, 2025, 2030]})
    >>> up_to_fiscal_year(df, 2024)["fiscal_year"].tolist()
    [2024, 2030]
    """
    require_columns(df, "kind", "fiscal_year")
    if fiscal_year is None:
        return df.copy()
    return df[(df["kind"] != "actual") | (df["fiscal_year"] <= fiscal_year)].reset_index(drop=True)


def latest_actual_year(df: pd.DataFrame) -> int:
    """The latest fiscal year with any actual figure (the default year of a report)."""
    require_columns(df, "kind", "fiscal_year")
    return int(df.loc[df["kind"] == "actual", "fiscal_year"].max())


# ---------------------------------------------------------------- national context (issue 13)
# Verbs on the national tables of :mod:`dxanalysis.national`: ``national`` is one row per
# municipality × indicator (``lg_code``, ``indicator``, ``value``, ``unit``, ``missing_reason`` …),
# ``municipalities`` one row per municipality (``lg_code``, ``prefecture``, ``population``,
# ``municipality_type`` …), ``catalogue`` the national indicator catalogue.

PEER_RULES = ("population", "municipality_type")
"""How size peers are chosen: ``population`` — population within a band around the city's
(:data:`PEER_POPULATION_BAND`); ``municipality_type`` — the same 政令指定都市 / 特別区 / 市 / 町 / 村."""
PEER_POPULATION_BAND = (0.5, 2.0)
"""Default peer band: from ½× to 2× the city's population (2020 census), both ends included."""
SCOPES = ("national", "prefecture", "peers")
"""The groups a municipality is placed in: all municipalities, its prefecture's, its size peers."""
SUPPLY_FOR_USAGE = {"usage_26": "online_supply_26_rate", "usage_32": "online_supply_32_rate"}
"""Which supply (procedures made available online) goes beside which usage group (applications made online)."""
_NATIONAL_KEY = ["lg_code", "indicator"]


def _unique_national(national: pd.DataFrame) -> None:
    require_columns(national, *_NATIONAL_KEY, "value")
    dup = national.duplicated(_NATIONAL_KEY)
    if dup.any():
        first = national.loc[dup, _NATIONAL_KEY].iloc[0].tolist()
        raise ValueError(f"{int(dup.sum())} duplicate (lg_code, indicator) rows, first {first}")


def comparable_indicators(catalogue: pd.DataFrame, *, measure=None, group=None) -> pd.DataFrame:
    """Catalogue rows of the given measure(s) and/or group(s), in catalogue order.

    ``measure`` and ``group`` take one name or a list; ``None`` keeps all. An unknown name is
    an error (a typo would otherwise select nothing, silently).

    >>> cat = pd.DataFrame({"indicator": ["ai_adopted", "online_usage_26_01", "online_supply_26_rate"],
    ...                     "measure": ["adoption", "usage", "supply"], "group": ["operations", "usage_26", "services"]})
    >>> comparable_indicators(cat, measure=["supply", "usage"])["indicator"].tolist()
    ['online_usage_26_01', 'online_supply_26_rate']
    >>> comparable_indicators(cat, group="usage_26")["indicator"].tolist()
    ['online_usage_26_01']
    """
    require_columns(catalogue, "indicator", "measure", "group")
    mask = pd.Series(True, index=catalogue.index)
    for col, val in (("measure", measure), ("group", group)):
        if val is None:
            continue
        wanted = [val] if isinstance(val, str) else list(val)
        unknown = sorted(set(wanted) - set(catalogue[col]))
        if unknown:
            raise ValueError(f"unknown {col} {unknown}; the catalogue has {sorted(set(catalogue[col]))}")
        mask &= catalogue[col].isin(wanted)
    return catalogue[mask].reset_index(drop=True)


def peer_group(municipalities: pd.DataFrame, *, lg_code: str, rule: str = "population",
               band: tuple[float, float] = PEER_POPULATION_BAND) -> pd.DataFrame:
    """The municipalities comparable with ``lg_code`` under ``rule`` (the municipality itself included).

    Args:
        rule: ``"population"`` (default) — population between ``band[0]`` × and ``band[1]`` × the
            city's, both ends included; a municipality without a population is nobody's peer.
            ``"municipality_type"`` — the same ``municipality_type`` (市, 町 …).
        band: the population band for ``rule="population"``; default ½× to 2×.

    >>> mun = pd.DataFrame({"lg_code": ["a", "b", "c", "d"], "population": [100.0, 50.0, 201.0, float("nan")],
    ...                     "municipality_type": ["市", "町", "市", "市"]})
    >>> peer_group(mun, lg_code="a")["lg_code"].tolist()
    ['a', 'b']
    >>> peer_group(mun, lg_code="a", rule="municipality_type")["lg_code"].tolist()
    ['a', 'c', 'd']
    """
    require_columns(municipalities, "lg_code")
    if rule not in PEER_RULES:
        raise ValueError(f"rule must be one of {PEER_RULES}, not {rule!r}")
    home = municipalities[municipalities["lg_code"] == lg_code]
    if len(home) != 1:
        raise LookupError(f"lg_code {lg_code!r}: {len(home)} rows in the municipality list (expected 1)")
    if rule == "population":
        require_columns(municipalities, "population")
        low, high = band
        if not 0 < low <= 1 <= high:
            raise ValueError(f"band must satisfy 0 < low <= 1 <= high, not {band}")
        pop = float(home["population"].iloc[0])
        if not pop > 0:
            raise ValueError(f"lg_code {lg_code!r} has no population: no population peers")
        mask = municipalities["population"].between(low * pop, high * pop)
    else:
        require_columns(municipalities, "municipality_type")
        mask = municipalities["municipality_type"] == home["municipality_type"].iloc[0]
    return municipalities[mask.fillna(False)].reset_index(drop=True)


def rank_within(national: pd.DataFrame, *, by=("indicator",)) -> pd.DataFrame:
    """Add ``rank``, ``n`` and ``percentile`` of every value within its ``by`` group.

    - ``rank``: 1 = the highest value; ties share the best rank (1 + how many are strictly higher).
    - ``n``: how many in the group have a value — missing values (調査無し, no procedures, empty)
      are out of the count, as the dashboard leaves them out of its own national figures.
    - ``percentile``: the share (%) of the group's values that are at or below this one.

    A row without a value gets no rank. For 実施/未実施 flags (1/0) every adopter ranks 1.

    >>> df = pd.DataFrame({"lg_code": list("abcde"), "indicator": ["r"] * 5,
    ...                    "value": [70.0, 80.0, 80.0, 60.0, float("nan")]})
    >>> rank_within(df)[["lg_code", "rank", "n", "percentile"]].values.tolist()
    [['a', 3.0, 4, 50.0], ['b', 1.0, 4, 100.0], ['c', 1.0, 4, 100.0], ['d', 4.0, 4, 25.0], ['e', nan, 4, nan]]
    """
    by = [by] if isinstance(by, str) else list(by)
    require_columns(national, *by, "value")
    g = national.groupby(by, sort=False)["value"]
    n = g.transform("count").astype("int64")
    return national.assign(rank=g.rank(method="min", ascending=False), n=n,
                           percentile=g.rank(method="max", ascending=True) / n * 100)


def scope_summary(national: pd.DataFrame, *, by=("indicator",)) -> pd.DataFrame:
    """Per ``by`` group (default: per indicator): how many values, the median and quartiles, the adoption share.

    Computed the way the dashboard computes its national figures: a cell without a value
    (``調査無し`` — not surveyed, a bare ``%`` — no procedures, an empty cell) is left out of the
    denominator, and counted in ``missing`` (by reason where ``missing_reason`` is given).
    Each municipality counts once (not weighted by population).

    - ``n`` values, ``missing`` cells without one; ``median``, ``q1``, ``q3``, ``mean`` of the values;
    - ``adopted`` and ``share`` (%, = adopted ÷ n × 100) for 実施/未実施 flags (``unit == "flag"``),
      NaN for other units.

    >>> df = pd.DataFrame({"lg_code": list("abcd"), "indicator": ["ai_adopted"] * 4, "unit": ["flag"] * 4,
    ...                    "value": [1.0, 0.0, 1.0, float("nan")],
    ...                    "missing_reason": [None, None, None, "not_surveyed"]})
    >>> s = scope_summary(df)
    >>> s[["indicator", "n", "missing", "not_surveyed", "adopted", "median"]].values.tolist()
    [['ai_adopted', 3, 1, 1, 2, 1.0]]
    >>> round(float(s["share"].iloc[0]), 1)  # 2 of the 3 surveyed: the not-surveyed one is out of the denominator
    66.7
    """
    by = [by] if isinstance(by, str) else list(by)
    require_columns(national, *by, "value")
    flag = national["unit"].eq("flag") if "unit" in national else pd.Series(False, index=national.index)
    work = national.assign(_flag=flag, _adopted=national["value"].eq(1.0) & flag, _missing=national["value"].isna())
    g = work.groupby(by, sort=False)
    out = pd.DataFrame({
        "n": g["value"].count(),
        "missing": g["_missing"].sum(),
        "median": g["value"].median(),
        "q1": g["value"].quantile(0.25),
        "q3": g["value"].quantile(0.75),
        "mean": g["value"].mean(),
        "adopted": g["_adopted"].sum(),
        "_flag": g["_flag"].any(),
    })
    if "missing_reason" in national:
        reasons = (work[work["_missing"]].groupby([*by, "missing_reason"], sort=False).size()
                   .unstack("missing_reason"))
        for reason in ("not_surveyed", "no_procedures", "no_value"):
            col = reasons[reason] if reason in reasons else pd.Series(dtype="float64")
            out[reason] = col.reindex(out.index).fillna(0).astype("int64")
    out["adopted"] = out["adopted"].astype("int64")
    out["missing"] = out["missing"].astype("int64")
    out["share"] = (out["adopted"] / out["n"] * 100).where(out["_flag"])
    out["adopted"] = out["adopted"].where(out["_flag"]).astype("Int64")
    return out.drop(columns="_flag").reset_index()


def standing(national: pd.DataFrame, municipalities: pd.DataFrame, *, lg_codes, rule: str = "population",
             band: tuple[float, float] = PEER_POPULATION_BAND) -> pd.DataFrame:
    """Where each of ``lg_codes`` stands, per indicator, among all municipalities, its prefecture and its peers.

    One row per (``lg_code``, ``indicator``, ``scope``) with the municipality's ``value``, its
    ``rank``, ``n`` and ``percentile`` in the scope (:func:`rank_within`) and the scope's
    ``median``, ``q1``, ``q3``, ``share`` and ``missing`` (:func:`scope_summary`: missing values
    out of the denominator). ``members`` is how many municipalities the scope has, ``scope_name``
    the prefecture, or the peer rule (``population ×0.5–2`` / the municipality type).
    Peers follow ``rule`` and ``band`` (:func:`peer_group`).

    >>> mun = pd.DataFrame({"lg_code": list("abc"), "prefecture": ["X", "X", "Y"],
    ...                     "population": [100.0, 150.0, 400.0], "municipality_type": ["市"] * 3})
    >>> nat = pd.DataFrame({"lg_code": list("abc"), "indicator": ["r"] * 3, "value": [70.0, 80.0, 90.0]})
    >>> s = standing(nat, mun, lg_codes=["a"])
    >>> s[["scope", "value", "rank", "n", "percentile", "median", "members"]].values.tolist()
    [['national', 70.0, 3.0, 3, 33.33333333333333, 80.0, 3], ['prefecture', 70.0, 2.0, 2, 50.0, 75.0, 2], ['peers', 70.0, 2.0, 2, 50.0, 75.0, 2]]
    """
    _unique_national(national)
    require_columns(municipalities, "lg_code", "prefecture")
    unknown = sorted(set(national["lg_code"]) - set(municipalities["lg_code"]))
    if unknown:
        raise LookupError(f"{len(unknown)} lg_code(s) of the national table not in the municipality list, e.g. {unknown[:3]}")
    parts = []
    everyone = _ranked_summary(national)  # the national scope is the same for every city
    for code in ([lg_codes] if isinstance(lg_codes, str) else list(lg_codes)):
        peers = peer_group(municipalities, lg_code=code, rule=rule, band=band)
        home = municipalities[municipalities["lg_code"] == code].iloc[0]
        pref = municipalities.loc[municipalities["prefecture"] == home["prefecture"], "lg_code"]
        peer_name = (f"population ×{band[0]:g}–{band[1]:g}" if rule == "population"
                     else str(home["municipality_type"]))
        scopes = {"national": (municipalities["lg_code"], ""), "prefecture": (pref, home["prefecture"]),
                  "peers": (peers["lg_code"], peer_name)}
        for scope, (members, name) in scopes.items():
            ranked, summary = everyone if scope == "national" else _ranked_summary(
                national[national["lg_code"].isin(set(members))])
            mine = ranked.loc[ranked["lg_code"] == code, ["lg_code", "indicator", "value", "rank", "n", "percentile"]]
            parts.append(mine.merge(summary, on="indicator", how="left", validate="one_to_one")
                         .assign(scope=scope, scope_name=name, members=len(members)))
    cols = ["lg_code", "indicator", "scope", "scope_name", "members", "value", "rank", "n", "percentile",
            "median", "q1", "q3", "share", "missing"]
    return pd.concat(parts, ignore_index=True)[cols]


def _ranked_summary(sub: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    return rank_within(sub), scope_summary(sub)[["indicator", "median", "q1", "q3", "share", "missing"]]


def supply_usage(national: pd.DataFrame, *, lg_codes, catalogue: pd.DataFrame) -> pd.DataFrame:
    """Supply beside usage: per municipality and usage group, the share of procedures made available
    online (``supply``, e.g. 26手続 via マイナポータル) next to each procedure's FY2022 online-usage rate.

    One row per (``lg_code``, ``group``, usage ``indicator``) with ``supply`` (the group's supply
    rate, :data:`SUPPLY_FOR_USAGE`) and ``usage`` (NaN where the dashboard has no value — no
    applications or not reported; never 0). The two are different quantities: a procedure can be
    available online and still be used online by few.

    >>> cat = pd.DataFrame({"indicator": ["online_supply_26_rate", "u1", "u2"],
    ...                     "measure": ["supply", "usage", "usage"], "group": ["services", "usage_26", "usage_26"]})
    >>> nat = pd.DataFrame({"lg_code": ["a"] * 3, "indicator": ["online_supply_26_rate", "u1", "u2"],
    ...                     "value": [100.0, 4.2, float("nan")]})
    >>> supply_usage(nat, lg_codes=["a"], catalogue=cat)[["group", "indicator", "supply", "usage"]].values.tolist()
    [['usage_26', 'u1', 100.0, 4.2], ['usage_26', 'u2', 100.0, nan]]
    """
    _unique_national(national)
    codes = [lg_codes] if isinstance(lg_codes, str) else list(lg_codes)
    groups = [g for g in SUPPLY_FOR_USAGE if g in set(catalogue["group"])]
    usage_cat = comparable_indicators(catalogue, measure="usage", group=groups)[["indicator", "group"]]
    mine = national[national["lg_code"].isin(codes)]
    usage = usage_cat.merge(mine[["lg_code", "indicator", "value"]], on="indicator", how="inner",
                            validate="one_to_many").rename(columns={"value": "usage"})
    supply = (mine[mine["indicator"].isin(SUPPLY_FOR_USAGE.values())]
              .assign(group=lambda d: d["indicator"].map({v: k for k, v in SUPPLY_FOR_USAGE.items()}))
              [["lg_code", "group", "value"]].rename(columns={"value": "supply"}))
    out = usage.merge(supply, on=["lg_code", "group"], how="left", validate="many_to_one")
    order = {c: i for i, c in enumerate(codes)}
    out = out.assign(_o=out["lg_code"].map(order)).sort_values(["_o", "group"], kind="stable")
    return out[["lg_code", "group", "indicator", "supply", "usage"]].reset_index(drop=True)


def supply_usage_summary(detail: pd.DataFrame) -> pd.DataFrame:
    """:func:`supply_usage` per municipality and group: ``supply``, the ``usage_median`` and ``usage_max``
    over the procedures with a value, how many have one (``with_value``) of ``procedures``.

    >>> d = pd.DataFrame({"lg_code": ["a"] * 3, "group": ["usage_26"] * 3, "indicator": ["u1", "u2", "u3"],
    ...                   "supply": [100.0] * 3, "usage": [4.0, 1.0, float("nan")]})
    >>> supply_usage_summary(d).values.tolist()
    [['a', 'usage_26', 100.0, 2.5, 4.0, 2, 3]]
    """
    require_columns(detail, "lg_code", "group", "indicator", "supply", "usage")
    g = detail.groupby(["lg_code", "group"], sort=False)
    return pd.DataFrame({"supply": g["supply"].first(), "usage_median": g["usage"].median(),
                         "usage_max": g["usage"].max(), "with_value": g["usage"].count(),
                         "procedures": g["indicator"].size()}).reset_index()


def quantile_band(df: pd.DataFrame, *, value: str, by: str = "date",
                  quantiles: tuple[float, float, float] = (0.25, 0.5, 0.75)) -> pd.DataFrame:
    """Per ``by`` (e.g. each card-issuance snapshot): ``n`` values, ``q1``, ``median``, ``q3`` of ``value``.

    Missing values are left out (each municipality counts once, not weighted by population).

    >>> df = pd.DataFrame({"date": ["2022-12-31"] * 4, "issued_rate": [50.0, 60.0, 70.0, float("nan")]})
    >>> quantile_band(df, value="issued_rate").values.tolist()
    [['2022-12-31', 3, 55.0, 60.0, 65.0]]
    """
    require_columns(df, by, value)
    low, mid, high = quantiles
    g = df.groupby(by, sort=True)[value]
    return pd.DataFrame({"n": g.count(), "q1": g.quantile(low), "median": g.quantile(mid),
                         "q3": g.quantile(high)}).reset_index()
