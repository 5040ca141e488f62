"""Targets against actuals: status in the target year, growth still required, trajectory, FTE conversion."""

from __future__ import annotations

import math

import pandas as pd

from .series import require_columns, select_series, stated_years


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


TARGET_STATUSES = ("open", "attained", "missed", "no_actual", "no_target", "awaiting_actual")
"""open: the target year is still ahead; attained / missed: the target year has an actual;
awaiting_actual: the target year is the report year (or before it) and its actual is not published yet — no
growth is "required" any more;
no_actual: the target year has passed (a later actual exists) but has no figure of its own;
no_target: the target's value is missing (``—`` in the source)."""


def target_status(actuals: pd.DataFrame, target: float, target_year: int, *,
                  higher_is_better: bool = True, report_year: int | None = None) -> dict:
    """Where one target stands against the actuals of its series (any number of years, NaN allowed).

    Returns ``status`` (one of :data:`TARGET_STATUSES`), ``latest_actual`` and ``latest_actual_year``
    (the latest non-missing actual; NaN / None if there is none), ``actual_at_target`` (the actual of the
    target year), ``gap`` (actual − target in the target year) and ``required_growth`` (annual rate from
    the latest actual, only while the target year is ahead of ``report_year``). A target whose year is the
    report year (or earlier) without an actual yet is ``awaiting_actual``. Never raises on valid data.

    >>> a = pd.DataFrame({"fiscal_year": [2023, 2024], "value": [13.0, 15.0]})
    >>> target_status(a, 100.0, 2025)["status"], round(target_status(a, 100.0, 2025)["required_growth"], 2)
    ('open', 5.67)
    >>> done = pd.concat([a, pd.DataFrame({"fiscal_year": [2025], "value": [100.0]})])
    >>> {k: target_status(done, 100.0, 2025)[k] for k in ("status", "gap")}
    {'status': 'attained', 'gap': 0.0}
    >>> target_status(done.assign(value=[13.0, 15.0, 60.0]), 100.0, 2025)["status"]
    'missed'
    >>> {k: target_status(a, 100.0, 2025, report_year=2025)[k] for k in ("status", "required_growth")}
    {'status': 'awaiting_actual', 'required_growth': nan}
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
        if report_year is not None and target_year <= report_year:
            out["status"] = "awaiting_actual"
            return out
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
               stated_only: bool = False, report_year: int | None = None) -> pd.DataFrame:
    """A plan's targets against the actuals of the same series.

    Returns the target rows with the columns of :func:`target_status`: ``latest_actual``,
    ``latest_actual_year``, ``required_growth`` (annual rate from the latest actual to each target
    still ahead), and for a target year that has passed ``actual_at_target``, ``gap`` and
    ``status`` (attained / missed / no_actual). A series with no actual (or all values missing)
    gives ``status == "open"`` and NaN growth. ``stated_only`` leaves out actuals whose fiscal year
    is not stated in their quote. ``report_year``: a target of that year (or earlier) with no actual yet is
    ``awaiting_actual``, not a growth still required.
    """
    targets = select_series(df, municipality=municipality, indicator=indicator, kind="target")
    actuals = stated_years(select_series(df, municipality=municipality, indicator=indicator, kind="actual"),
                           stated_only)
    rows = [target_status(actuals, t, int(y), higher_is_better=higher_is_better, report_year=report_year)
            for t, y in zip(targets["value"], targets["fiscal_year"])]
    cols = ["latest_actual", "latest_actual_year", "actual_at_target", "gap", "required_growth", "status"]
    extra = pd.DataFrame(rows, columns=cols, index=targets.index)
    extra["latest_actual_year"] = extra["latest_actual_year"].astype("Int64")
    return pd.concat([targets, extra.astype({c: "float64" for c in ("latest_actual", "actual_at_target", "gap",
                                                                   "required_growth")})], axis=1)


def hours_per_fte(df: pd.DataFrame, *, municipality: str, hours_indicator: str, fte_indicator: str,
                  fiscal_year: int, kind: str = "target") -> float:
    """Hours per full-time equivalent implied by a city's own conversion (hours ÷ 人分).

    Both figures must be rows of ``df`` for the same year and kind; the ratio is read from the data, never
    assumed. (秦野市's 5-2 成果指標 "(例)" table pairs 11,200時間 with 約3.6人分 but states no year, so since issue 20
    those figures are a documented gap, not rows.)
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
