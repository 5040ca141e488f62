"""KPI series over the fiscal years (actual solid, target dashed): series, index, data coverage."""

from __future__ import annotations

import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.ticker import StrMethodFormatter

from ..analysis.series import require_columns, select_series
from .style import (
    CITY_COLORS,
    KIND_STYLE,
    LEGEND_BELOW,
    _check_lang,
    _new_ax,
    add_headroom,
    city_label,
    draw_kind,
    indicator_label,
    style_legend_handles,
)


def _stated(frame: pd.DataFrame) -> pd.Series:
    """True where the fiscal year is stated in the source (no ``year_basis`` column: all stated)."""
    if "year_basis" not in frame.columns:
        return pd.Series(True, index=frame.index)
    basis = frame["year_basis"].astype("string").fillna("stated").str.strip()
    return basis.isin(["stated", ""])


def plot_series(df: pd.DataFrame, *, indicator: str, municipalities=None, lang: str = "ja", ax=None):
    """Actuals (solid) and targets (dashed) of one indicator, one colour per city.

    Approximate figures are drawn as hollow markers on top of the line; figures whose fiscal
    year is not stated in the source (``year_basis`` heading, layout or document) as
    half-filled markers. Rows of any other kind (e.g. ``estimate``) are not drawn.
    """
    require_columns(df, "municipality", "indicator", "kind", "fiscal_year", "value", "approximate")
    w = _check_lang(lang)
    ax = _new_ax(ax)
    data = select_series(df, indicator=indicator)
    data = data[data["kind"].isin(["actual", "target"])]
    cities = [c for c in (municipalities or CITY_COLORS) if c in set(data["municipality"])]
    if not cities:
        raise LookupError(f"no data for {indicator!r}")
    any_approx = any_inferred = False
    drawn = set()
    for city in cities:
        for kind in ("actual", "target"):
            s = data[(data["municipality"] == city) & (data["kind"] == kind)].dropna(subset=["value"])
            if s.empty:
                continue
            color, marker = CITY_COLORS[city], KIND_STYLE[kind]["marker"]
            drawn.add(kind)
            draw_kind(ax, s["fiscal_year"], s["value"], kind=kind, color=color,
                      label=f"{city_label(city, lang)} {w[kind]}", gid=f"{city}:{kind}")
            approx = s[s["approximate"].fillna(False).astype(bool)]
            if len(approx):
                any_approx = True
                ax.plot(approx["fiscal_year"], approx["value"], ls="none", marker=marker, ms=9, color=color,
                        markerfacecolor="white", markeredgewidth=2, gid=f"{city}:{kind}:approximate")
            inferred = s[~_stated(s)]
            if len(inferred):
                any_inferred = True
                ax.plot(inferred["fiscal_year"], inferred["value"], ls="none", marker=marker, ms=9, color=color,
                        fillstyle="bottom", markerfacecoloralt="white", markeredgewidth=2,
                        gid=f"{city}:{kind}:year_inferred")
    ax.set_xlabel(w["fiscal_year"])
    ax.set_ylabel(indicator_label(indicator, lang))
    ax.set_title(indicator_label(indicator, lang, with_unit=False))
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_ylim(bottom=0)
    add_headroom(ax)
    if data["value"].max() >= 1000:  # 14,000 not 14000
        ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    city_handles = [Line2D([], [], color=CITY_COLORS[c], lw=3, label=city_label(c, lang)) for c in cities]
    ax.legend(handles=city_handles + style_legend_handles(lang, approximate=any_approx, year_inferred=any_inferred,
                                                      kinds=drawn),
              fontsize=9, **LEGEND_BELOW)
    return ax


def plot_coverage(df: pd.DataFrame, *, lang: str = "ja", ax=None):
    """How many indicators each city publishes per fiscal year, actuals and targets separately."""
    require_columns(df, "municipality", "indicator", "kind", "fiscal_year")
    w = _check_lang(lang)
    ax = _new_ax(ax, figsize=(10, 3.8))
    counts = (df.groupby(["municipality", "kind", "fiscal_year"])["indicator"].nunique()
              .unstack("fiscal_year").fillna(0).astype(int))
    years = [int(y) for y in counts.columns]
    counts = counts.reindex(columns=range(min(years), max(years) + 1), fill_value=0)  # a year with nothing: an empty column
    counts.index = [f"{city_label(m, lang)} {w[k]}" for m, k in counts.index]
    import seaborn as sns

    sns.heatmap(counts, annot=True, fmt="d", cmap="Blues", cbar=False, linewidths=0.5, ax=ax,
                mask=counts.eq(0), annot_kws={"fontsize": 8})
    ax.grid(False)
    ax.set_xlabel(w["fiscal_year"])
    ax.set_ylabel("")
    ax.set_title("公表されている指標数（年度別）" if lang == "ja" else "Indicators published per fiscal year")
    return ax


def plot_index(df: pd.DataFrame, *, lang: str = "ja", ax=None):
    """Growth indices (base year = 100) of several actual series: one line per (city, indicator), solid with
    filled markers as every actual (:data:`KIND_STYLE`); a city's several indicators differ by marker, and a
    year without a value is a gap."""
    require_columns(df, "municipality", "indicator", "fiscal_year", "index")
    w = _check_lang(lang)
    ax = _new_ax(ax)
    markers = ["o", "^", "v", "D", "P"]
    any_approx = any_inferred = False
    for (city, ind), s in df.dropna(subset=["index"]).groupby(["municipality", "indicator"]):
        nth = sorted(set(df.loc[df["municipality"] == city, "indicator"])).index(ind)
        marker, color = markers[nth % len(markers)], CITY_COLORS[city]
        draw_kind(ax, s["fiscal_year"], s["index"], kind="actual", color=color, marker=marker,
                  gid=f"{city}:{ind}:actual", label=f"{city_label(city, lang)}: {indicator_label(ind, lang, with_unit=False)}")
        approx = s[s["approximate"].fillna(False).astype(bool)] if "approximate" in s else s.iloc[:0]
        inferred = s[~_stated(s)]
        for part, gid, style in ((approx, "approximate", {"markerfacecolor": "white"}),
                                 (inferred, "year_inferred", {"fillstyle": "bottom", "markerfacecoloralt": "white"})):
            if len(part):  # as in plot_series: hollow = approximate, half-filled = year not stated
                ax.plot(part["fiscal_year"], part["index"], ls="none", marker=marker, ms=9, color=color,
                        markeredgewidth=2, gid=f"{city}:{ind}:{gid}", **style)
        any_approx, any_inferred = any_approx or len(approx) > 0, any_inferred or len(inferred) > 0
    ax.axhline(100, color="0.5", lw=1)
    ax.set_xlabel(w["fiscal_year"])
    ax.set_ylabel(w["index"])
    ax.xaxis.get_major_locator().set_params(integer=True)
    add_headroom(ax)
    handles = ax.get_legend_handles_labels()[0]
    handles += style_legend_handles(lang, approximate=any_approx, year_inferred=any_inferred, kinds=())
    ax.legend(handles=handles, fontsize=8, **{**LEGEND_BELOW, "ncols": 2})
    return ax
