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

import pandas as pd

from ..config import KINDS

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
