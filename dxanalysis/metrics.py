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

    秦野市 states 11,200時間 ≈ 約3.6人分 for generative AI (FY2030 targets): about 3,111
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
    """Which municipality has which indicator in which fiscal year: ``A`` actual, ``T`` target, ``A+T`` both.

    Rows are (municipality, indicator), columns fiscal years; empty where nothing is published.
    """
    require_columns(df, *SERIES_KEYS, "fiscal_year")
    marks = df.assign(mark=df["kind"].map({"actual": "A", "target": "T"}))
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
