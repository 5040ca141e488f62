"""Events in time: the telework-PC log and the adoption timeline of digital tools."""

from __future__ import annotations

import pandas as pd
from matplotlib.lines import Line2D

from ..analysis.adoption import first_adoptions
from ..analysis.series import require_columns
from ..io.catalogue import load_milestone_categories
from .style import (
    CITY_COLORS,
    LEGEND_BELOW,
    LEGEND_OUTSIDE,
    PURPOSE_COLORS,
    _check_lang,
    _new_ax,
    add_headroom,
    city_label,
)


def plot_telework_log(log: pd.DataFrame, *, lang: str = "ja", ax=None):
    """南房総市 telework-PC usage records per month of the log's fiscal year, stacked by purpose."""
    from ..contract.records import PURPOSE_GROUP_EN

    require_columns(log, "month", "purpose_group", "start_date")
    w = _check_lang(lang)
    ax = _new_ax(ax)
    group = log["purpose_group"] if lang == "ja" else log["purpose_group"].map(PURPOSE_GROUP_EN)
    table = log.assign(group=group).groupby(["month", "group"]).size().unstack("group").fillna(0)
    first = log["start_date"].min()
    fy = first.year if first.month >= 4 else first.year - 1  # the fiscal year runs April–March
    months = pd.period_range(f"{fy}-04", periods=12, freq="M").strftime("%Y-%m")
    table = table.reindex(months).fillna(0)
    order = table.sum().sort_values(ascending=False).index
    table[order].plot.bar(stacked=True, ax=ax, width=0.8, color=PURPOSE_COLORS[: len(order)], edgecolor="white")
    ax.set_xlabel(w["month"])
    ax.set_ylabel(w["records"])
    ax.set_xticklabels([m[2:].replace("-", "/") for m in table.index], rotation=0, fontsize=8)
    add_headroom(ax)
    ax.legend(title=w["purpose"], fontsize=8, **LEGEND_OUTSIDE)
    ax.set_title(f"南房総市 テレワークPC利用記録（令和{fy - 2018}年度・月別）" if lang == "ja"
                 else f"Minamiboso: telework-PC usage records by month (FY{fy})")  # the log's own fiscal year
    return ax


def plot_adoption_timeline(milestones: pd.DataFrame, *, lang: str = "ja", ax=None):
    """First year each city dates in each category: filled = done, hollow = planned.

    Circles are fiscal years; squares are statements that give only a calendar year (令和2年),
    whose fiscal year may be the one before. One row per category (earliest first), cities
    side by side within a row; a planned point is drawn only where nothing is done yet.
    """
    w = _check_lang(lang)
    done = first_adoptions(milestones).assign(status="done")
    planned = first_adoptions(milestones, status="planned").merge(
        done[["municipality", "category"]], how="left", indicator=True).query("_merge == 'left_only'")
    points = pd.concat([done, planned.drop(columns="_merge").assign(status="planned")], ignore_index=True)
    if points.empty:
        raise LookupError("no dated milestones to draw")
    order = points.groupby("category")["year"].min().sort_values(kind="stable").index
    rows = {cat: i for i, cat in enumerate(order)}
    cities = [c for c in CITY_COLORS if c in set(points["municipality"])]
    ax = _new_ax(ax, figsize=(8, 0.42 * len(rows) + 1.6))
    left = timeline_start(points["year"])
    for j, city in enumerate(cities):
        offset = (j - (len(cities) - 1) / 2) * 0.22
        for (status, basis), s in points[points["municipality"] == city].groupby(["status", "year_basis"]):
            ys = [rows[c] + offset for c in s["category"]]
            ax.plot(s["year"].clip(lower=left).to_numpy(float), ys, ls="none",
                    marker="o" if basis == "fiscal" else "s", ms=8, color=CITY_COLORS[city], markeredgewidth=2,
                    markerfacecolor=CITY_COLORS[city] if status == "done" else "white", gid=f"{city}:{status}:{basis}")
            for year, y in zip(s["year"], ys):  # an early start sits at the axis' left end, labelled with its year
                if year < left:
                    ax.annotate(f"← {int(year)}", (left, y), xytext=(8, 0), textcoords="offset points", va="center",
                                fontsize=7, color=CITY_COLORS[city], gid=f"{city}:{status}:before_axis")
    ax.set_xlim(left - 0.6, max(points["year"].max(), left + 1) + 0.6)
    cats = load_milestone_categories()
    ax.set_yticks(range(len(rows)), [cats.at[c, "name_ja" if lang == "ja" else "name_en"] for c in rows])
    ax.invert_yaxis()
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_xlabel(w["fiscal_year"])
    ax.set_title("取組の開始年（各市の資料に記載のあるもの）" if lang == "ja"
                 else "First year each city dates, by tool (as stated in its documents)")
    key = lambda **kw: Line2D([], [], lw=0, ms=8, markeredgewidth=2, **kw)  # noqa: E731
    handles = [key(color=CITY_COLORS[c], marker="o", label=city_label(c, lang)) for c in cities]
    handles += [key(color="0.3", marker="o", label=w["done"]),
                key(color="0.3", marker="o", markerfacecolor="white", label=w["planned"])]
    if (points["year_basis"] == "calendar").any():
        handles.append(key(color="0.3", marker="s", label=w["calendar_year"]))
    ax.legend(handles=handles, fontsize=8, **{**LEGEND_BELOW, "ncols": 3})
    return ax


TIMELINE_SPAN = 10
"""Years the adoption timeline shows before its latest point; an earlier start is drawn at the left end with its
year written beside it, so one early date does not squeeze the 2020s into a sliver."""


def timeline_start(years: pd.Series) -> float:
    """The first year on the timeline's axis: the earliest point, or :data:`TIMELINE_SPAN` years before the latest.

    >>> timeline_start(pd.Series([1985, 2019, 2021, 2026])), timeline_start(pd.Series([2020, 2023]))
    (2016.0, 2020.0)
    """
    return float(max(years.min(), years.max() - TIMELINE_SPAN))
