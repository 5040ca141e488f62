"""The national yardstick: peer groups, ranks, scope summaries (medians with n), supply beside usage."""

from __future__ import annotations

import numbers

import pandas as pd

from .releases import one_release
from .series import require_columns

# ---------------------------------------------------------------- national context (issue 13)
# Verbs on the national tables of :mod:`dxanalysis.national`: ``national`` is one row per
# municipality × indicator (``lg_code``, ``indicator``, ``value``, ``unit``, ``missing_reason`` …),
# ``municipalities`` one row per municipality (``lg_code``, ``prefecture``, ``population``,
# ``municipality_type`` …), ``catalogue`` the national indicator catalogue.

PEER_RULES = ("population", "municipality_type", "similar_group")
"""How peers are chosen: ``population`` — population within a band around the city's
(:data:`PEER_POPULATION_BAND`); ``municipality_type`` — the same 政令指定都市 / 特別区 / 市 / 町 / 村;
``similar_group`` — the same 類似団体区分 (the ministry's similar-municipality class, column ``similar_group``
of :func:`dxanalysis.load_all_municipalities`, for its ``similar_group_year``)."""
PEER_POPULATION_BAND = (0.5, 2.0)
"""Default peer band: from ½× to 2× the city's population (2020 census), both ends included."""
SCOPES = ("national", "prefecture", "peers")
"""The groups a municipality is placed in: all municipalities, its prefecture's, its size peers."""
SUPPLY_FOR_USAGE = {"usage_26": "online_supply_26_rate", "usage_32": "online_supply_32_rate"}
"""Which supply (procedures made available online) goes beside which usage group (applications made online)."""
_NATIONAL_KEY = ["lg_code", "indicator"]
MEDIAN_MIN_N = 5
"""A median (and quartiles, mean) is given only for a group of at least this many values; below it the
summary leaves it empty and says how many values there are (``n``), so a reader never sees the "median" of
one or two municipalities."""


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


def lg_code_text(lg_code: str | int) -> str:
    """A 全国地方公共団体コード as the municipality list holds it (text): an int is written with 6 digits
    (``142077``; ``11002`` = ``'011002'``, the leading zero an int loses), a str is taken as given.

    >>> lg_code_text(142077), lg_code_text("142077"), lg_code_text(11002)
    ('142077', '142077', '011002')
    """
    if isinstance(lg_code, bool) or not isinstance(lg_code, (numbers.Integral, str)):
        raise TypeError(f"lg_code must be an int or a str, not {type(lg_code).__name__}")
    return lg_code.strip() if isinstance(lg_code, str) else f"{int(lg_code):06d}"


def peer_group(municipalities: pd.DataFrame, *, lg_code: str | int, rule: str = "population",
               band: tuple[float, float] = PEER_POPULATION_BAND) -> pd.DataFrame:
    """The municipalities comparable with ``lg_code`` under ``rule`` (the municipality itself included:
    column ``is_self`` marks it, and ``attrs`` holds ``includes_self``, ``peer_rule`` and ``peer_name``).

    ``lg_code`` may be an int or a str (``142077`` or ``'142077'``).

    Args:
        rule: ``"population"`` (default) — population between ``band[0]`` × and ``band[1]`` × the
            city's, both ends included; a municipality without a population is nobody's peer.
            ``"municipality_type"`` — the same ``municipality_type`` (市, 町 …).
            ``"similar_group"`` — the same 類似団体区分 (``similar_group``, e.g. 施行時特例市).
        band: the population band for ``rule="population"``; default ½× to 2×.

    >>> mun = pd.DataFrame({"lg_code": ["a", "b", "c", "d"], "population": [100.0, 50.0, 201.0, float("nan")],
    ...                     "municipality_type": ["市", "町", "市", "市"]})
    >>> peer_group(mun, lg_code="a")["lg_code"].tolist()
    ['a', 'b']
    >>> peer_group(mun, lg_code="a", rule="municipality_type")["lg_code"].tolist()
    ['a', 'c', 'd']
    >>> mun = mun.assign(lg_code=["142077", "142115", "122343", "999999"],
    ...                  similar_group=["施行時特例市", "一般市Ⅳ－３", "施行時特例市", None])
    >>> g = peer_group(mun, lg_code=142077, rule="similar_group")
    >>> g[["lg_code", "is_self"]].values.tolist(), g.attrs["peer_name"]
    ([['142077', True], ['122343', False]], '施行時特例市')
    """
    require_columns(municipalities, "lg_code")
    lg_code = lg_code_text(lg_code)
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
    elif rule == "similar_group":
        mask = _same_similar_group(municipalities, home, lg_code)
    else:
        require_columns(municipalities, "municipality_type")
        mask = municipalities["municipality_type"] == home["municipality_type"].iloc[0]
    peers = municipalities[mask.fillna(False)].reset_index(drop=True)
    peers["is_self"] = peers["lg_code"] == lg_code
    peers.attrs.update(includes_self=True, peer_rule=rule, peer_name=_peer_name(home.iloc[0], rule, band))
    return peers


def _same_similar_group(municipalities: pd.DataFrame, home: pd.DataFrame, lg_code: str) -> pd.Series:
    require_columns(municipalities, "similar_group")
    cls = home["similar_group"].iloc[0]
    if pd.isna(cls) or not str(cls):
        raise ValueError(f"lg_code {lg_code!r} has no similar_group: no 類似団体")
    return municipalities["similar_group"] == cls


def _peer_name(home: pd.Series, rule: str, band: tuple[float, float]) -> str:
    """What a peer group is called: the population band, or the class / type it shares."""
    if rule == "population":
        return f"population ×{band[0]:g}–{band[1]:g}"
    return str(home["similar_group" if rule == "similar_group" else "municipality_type"])


def rank_within(national: pd.DataFrame, *, by=("indicator",)) -> pd.DataFrame:
    """Add ``rank``, ``ties``, ``n`` and ``percentile`` of every value within its ``by`` group.

    - ``rank``: 1 = the highest value; ties share the best rank (1 + how many are strictly higher).
    - ``ties``: how many others in the group have the same value (a rank is never shown without it).
    - ``n``: how many in the group have a value — missing values (調査無し, no procedures, empty)
      are out of the count, as the dashboard leaves them out of its own national figures.
    - ``percentile``: the share (%) of the group's values that are at or below this one.

    A row without a value gets no rank. 実施/未実施 flags (``unit == "flag"``) get no rank at all: a yes/no
    answer is shown as a share (:func:`scope_summary`), never ranked.

    >>> df = pd.DataFrame({"lg_code": list("abcde"), "indicator": ["r"] * 5,
    ...                    "value": [70.0, 80.0, 80.0, 60.0, float("nan")]})
    >>> rank_within(df)[["lg_code", "rank", "ties", "n", "percentile"]].values.tolist()
    [['a', 3.0, 0.0, 4, 50.0], ['b', 1.0, 1.0, 4, 100.0], ['c', 1.0, 1.0, 4, 100.0], ['d', 4.0, 0.0, 4, 25.0], ['e', nan, nan, 4, nan]]
    """
    one_release(national, "rank_within")
    by = [by] if isinstance(by, str) else list(by)
    require_columns(national, *by, "value")
    g = national.groupby(by, sort=False)["value"]
    n = g.transform("count").astype("int64")
    same = national.groupby([*by, "value"], sort=False)["value"].transform("size") - 1
    ranked = national.assign(rank=g.rank(method="min", ascending=False), ties=same.astype("float64"), n=n,
                             percentile=g.rank(method="max", ascending=True) / n * 100)
    if "unit" in national:
        flag = national["unit"].eq("flag")
        ranked[["rank", "ties", "percentile"]] = ranked[["rank", "ties", "percentile"]].mask(flag)
    return ranked


def scope_summary(national: pd.DataFrame, *, by=("indicator",)) -> pd.DataFrame:
    """Per ``by`` group (default: per indicator): how many values, the median and quartiles, the adoption share.

    Computed the way the dashboard computes its national figures: a cell without a value
    (``調査無し`` — not surveyed, a bare ``%`` — no procedures, an empty cell) is left out of the
    denominator, and counted in ``missing`` (by reason where ``missing_reason`` is given).
    Each municipality counts once (not weighted by population).

    - ``n`` values, ``missing`` cells without one; ``median``, ``q1``, ``q3``, ``mean`` of the values — empty
      when ``n`` < :data:`MEDIAN_MIN_N` and for flags (a yes/no answer has a share, not a median);
    - ``adopted`` and ``share`` (%, = adopted ÷ n × 100) for 実施/未実施 flags (``unit == "flag"``),
      NaN for other units.

    >>> df = pd.DataFrame({"lg_code": list("abcd"), "indicator": ["ai_adopted"] * 4, "unit": ["flag"] * 4,
    ...                    "value": [1.0, 0.0, 1.0, float("nan")],
    ...                    "missing_reason": [None, None, None, "not_surveyed"]})
    >>> s = scope_summary(df)
    >>> s[["indicator", "n", "missing", "not_surveyed", "adopted", "median"]].values.tolist()
    [['ai_adopted', 3, 1, 1, 2, nan]]
    >>> round(float(s["share"].iloc[0]), 1)  # 2 of the 3 surveyed: the not-surveyed one is out of the denominator
    66.7
    """
    one_release(national, "scope_summary")
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
    stats = ["median", "q1", "q3", "mean"]
    out[stats] = out[stats].mask(out["_flag"] | (out["n"] < MEDIAN_MIN_N))
    out["adopted"] = out["adopted"].where(out["_flag"]).astype("Int64")
    return out.drop(columns="_flag").reset_index()


def standing(national: pd.DataFrame, municipalities: pd.DataFrame, *, lg_codes, rule: str = "population",
             band: tuple[float, float] = PEER_POPULATION_BAND) -> pd.DataFrame:
    """Where each of ``lg_codes`` stands, per indicator, among all municipalities, its prefecture and its peers.

    One row per (``lg_code``, ``indicator``, ``scope``) with the municipality's ``value``, its
    ``rank``, ``n`` and ``percentile`` in the scope (:func:`rank_within`) and the scope's
    ``median``, ``q1``, ``q3``, ``share`` and ``missing`` (:func:`scope_summary`: missing values
    out of the denominator). ``members`` is how many municipalities the scope has, ``scope_name``
    the prefecture, or the peer rule (``population ×0.5–2`` / the municipality type / the 類似団体区分).
    Peers follow ``rule`` and ``band`` (:func:`peer_group`); ``lg_codes`` is one code or several, int or str.

    >>> mun = pd.DataFrame({"lg_code": list("abc"), "prefecture": ["X", "X", "Y"],
    ...                     "population": [100.0, 150.0, 400.0], "municipality_type": ["市"] * 3})
    >>> nat = pd.DataFrame({"lg_code": list("abc"), "indicator": ["r"] * 3, "value": [70.0, 80.0, 90.0]})
    >>> s = standing(nat, mun, lg_codes=["a"])
    >>> s[["scope", "value", "rank", "ties", "n", "percentile", "members"]].values.tolist()
    [['national', 70.0, 3.0, 0.0, 3, 33.33333333333333, 3], ['prefecture', 70.0, 2.0, 0.0, 2, 50.0, 2], ['peers', 70.0, 2.0, 0.0, 2, 50.0, 2]]
    >>> s["median"].isna().all()  # fewer than MEDIAN_MIN_N values: no median
    np.True_
    """
    one_release(national, "standing")
    _unique_national(national)
    require_columns(municipalities, "lg_code", "prefecture")
    unknown = sorted(set(national["lg_code"]) - set(municipalities["lg_code"]))
    if unknown:
        raise LookupError(f"{len(unknown)} lg_code(s) of the national table not in the municipality list, e.g. {unknown[:3]}")
    parts = []
    everyone = _ranked_summary(national)  # the national scope is the same for every city
    for code in ([lg_codes] if isinstance(lg_codes, (str, numbers.Integral)) else list(lg_codes)):
        code = lg_code_text(code)
        peers = peer_group(municipalities, lg_code=code, rule=rule, band=band)
        home = municipalities[municipalities["lg_code"] == code].iloc[0]
        pref = municipalities.loc[municipalities["prefecture"] == home["prefecture"], "lg_code"]
        peer_name = peers.attrs["peer_name"]
        scopes = {"national": (municipalities["lg_code"], ""), "prefecture": (pref, home["prefecture"]),
                  "peers": (peers["lg_code"], peer_name)}
        for scope, (members, name) in scopes.items():
            ranked, summary = everyone if scope == "national" else _ranked_summary(
                national[national["lg_code"].isin(set(members))])
            mine = ranked.loc[ranked["lg_code"] == code,
                              ["lg_code", "indicator", "value", "rank", "ties", "n", "percentile"]]
            parts.append(mine.merge(summary, on="indicator", how="left", validate="one_to_one")
                         .assign(scope=scope, scope_name=name, members=len(members)))
    cols = ["lg_code", "indicator", "scope", "scope_name", "members", "value", "rank", "ties", "n", "percentile",
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
    one_release(national, "supply_usage")
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
