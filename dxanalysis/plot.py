"""Charts in one consistent, reviewer-ready style (Japanese by default, English with ``lang="en"``).

- each city keeps one colour everywhere (Okabe–Ito, colour-blind safe);
- actuals are solid lines, targets dashed; approximate figures (約, 程度) are hollow markers,
  and the legend says so;
- labels come from the indicator catalogue (``name_ja`` / ``name_en`` and ``unit``);
- :func:`save_figure` writes PNG (300 dpi) and SVG that are byte-identical when
  regenerated from the same data, plus a JSON sidecar (caption, sources) and the data
  behind the figure, which the report turns into its index page.

Every ``plot_*`` function has the form ``plot_x(df, *, ..., ax=None) -> Axes``.
"""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.ticker import StrMethodFormatter

from . import config
from .io import load_indicators, load_milestone_categories, load_municipalities, load_sources
from .metrics import first_adoptions, require_columns, select_series

CITY_COLORS = {
    "chigasaki": "#0072B2",  # blue
    "hadano": "#D55E00",  # vermillion
    "minamiboso": "#009E73",  # bluish green
    "national": "#7F7F7F",
    "chiba": "#CC79A7",
}
"""One colour per municipality (Okabe & Ito 2008 palette, safe for colour-blind readers)."""

PURPOSE_COLORS = ["#56B4E9", "#E69F00", "#CC79A7", "#999999"]
"""Colours for the telework purpose groups (Okabe–Ito, distinct from the city colours)."""

FONT = "IPAexGothic"
"""Bundled with matplotlib-fontja, so Japanese renders without system fonts."""
PNG_DPI = 300
SVG_HASHSALT = "dxanalysis"
"""Fixed salt for SVG element ids, so regenerated SVGs are byte-identical."""

WORDS = {
    "ja": {"actual": "実績", "target": "目標", "estimate": "概算", "approximate": "概数（約・程度など）", "source": "出典", "fiscal_year": "年度",
           "month": "月", "records": "件数", "days": "利用日数", "purpose": "目的", "count": "指標数",
           "index": "指数（基準年度 = 100）", "done": "実施済み", "planned": "予定",
           "calendar_year": "暦年のみ記載（年度は前年度の場合あり）"},
    "en": {"actual": "actual", "target": "target", "estimate": "estimate", "approximate": "approximate (約, 程度 …)", "source": "Source",
           "fiscal_year": "Fiscal year", "month": "Month", "records": "records", "days": "days used",
           "purpose": "purpose", "count": "indicators", "index": "index (base year = 100)",
           "done": "done", "planned": "planned",
           "calendar_year": "calendar year only (fiscal year may be the one before)"},
}


def apply_style() -> None:
    """Seaborn's white-grid theme with the bundled Japanese font and deterministic output settings."""
    import matplotlib_fontja  # noqa: F401  (registers IPAexGothic)
    import seaborn as sns

    sns.set_theme(style="whitegrid", font=FONT)  # set_theme resets the font: pass it here
    plt.rcParams.update({
        "font.family": FONT,
        "axes.unicode_minus": False,  # IPAexGothic has no U+2212 glyph
        "svg.hashsalt": SVG_HASHSALT,
        "figure.dpi": 100,
        "savefig.dpi": PNG_DPI,
    })


def _check_lang(lang: str) -> dict[str, str]:
    if lang not in WORDS:
        raise ValueError(f"lang must be 'ja' or 'en', not {lang!r}")
    return WORDS[lang]


def indicator_label(indicator: str, lang: str = "ja", *, with_unit: bool = True) -> str:
    """The catalogue name of an indicator, with its unit.

    >>> indicator_label("telework_count"), indicator_label("telework_count", "en")
    ('テレワーク件数（件）', 'Telework cases per year (件)')
    """
    _check_lang(lang)
    row = load_indicators().loc[indicator]
    name = row["name_ja"] if lang == "ja" else row["name_en"]
    if not with_unit:
        return name
    return f"{name}（{row['unit']}）" if lang == "ja" else f"{name} ({row['unit']})"


def city_label(municipality: str, lang: str = "ja") -> str:
    """茅ヶ崎市 / Chigasaki …"""
    row = load_municipalities().loc[municipality]
    return row["name_ja"] if lang == "ja" else row["name_en"]


def source_caption(source_ids, lang: str = "ja") -> str:
    """One caption line naming the documents (title, publisher, date) a figure is drawn from."""
    words = _check_lang(lang)
    src = load_sources()
    parts = [f"{src.at[s, 'publisher']}「{src.at[s, 'title']}」({src.at[s, 'date']})" for s in sorted(set(source_ids))]
    return f"{words['source']}: " + "; ".join(parts)


def _new_ax(ax, figsize=(8, 4.5)):
    if ax is None:
        apply_style()
        _, ax = plt.subplots(figsize=figsize)
    return ax


def style_legend_handles(lang: str, *, approximate: bool = True) -> list[Line2D]:
    """Legend entries that explain line styles and markers (not cities)."""
    w = _check_lang(lang)
    handles = [Line2D([], [], color="0.3", ls="-", marker="o", label=w["actual"]),
               Line2D([], [], color="0.3", ls="--", marker="s", label=w["target"])]
    if approximate:
        handles.append(Line2D([], [], color="0.3", ls="none", marker="o", markerfacecolor="white", label=w["approximate"]))
    return handles


def plot_series(df: pd.DataFrame, *, indicator: str, municipalities=None, lang: str = "ja", ax=None):
    """Actuals (solid) and targets (dashed) of one indicator, one colour per city.

    Approximate figures are drawn as hollow markers on top of the line.
    """
    require_columns(df, "municipality", "indicator", "kind", "fiscal_year", "value", "approximate")
    w = _check_lang(lang)
    ax = _new_ax(ax)
    data = select_series(df, indicator=indicator)
    cities = [c for c in (municipalities or CITY_COLORS) if c in set(data["municipality"])]
    if not cities:
        raise LookupError(f"no data for {indicator!r}")
    any_approx = False
    for city in cities:
        for kind, ls, marker in (("actual", "-", "o"), ("target", "--", "s")):
            s = data[(data["municipality"] == city) & (data["kind"] == kind)].dropna(subset=["value"])
            if s.empty:
                continue
            color = CITY_COLORS[city]
            ax.plot(s["fiscal_year"], s["value"], ls=ls, marker=marker, color=color, lw=2, ms=6,
                    label=f"{city_label(city, lang)} {w[kind]}", gid=f"{city}:{kind}")
            approx = s[s["approximate"]]
            if len(approx):
                any_approx = True
                ax.plot(approx["fiscal_year"], approx["value"], ls="none", marker=marker, ms=9, color=color,
                        markerfacecolor="white", markeredgewidth=2, gid=f"{city}:{kind}:approximate")
    ax.set_xlabel(w["fiscal_year"])
    ax.set_ylabel(indicator_label(indicator, lang))
    ax.set_title(indicator_label(indicator, lang, with_unit=False))
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_ylim(bottom=0)
    if data["value"].max() >= 1000:  # 14,000 not 14000
        ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    city_handles = [Line2D([], [], color=CITY_COLORS[c], lw=3, label=city_label(c, lang)) for c in cities]
    ax.legend(handles=city_handles + style_legend_handles(lang, approximate=any_approx), loc="best", fontsize=9)
    return ax


def plot_coverage(df: pd.DataFrame, *, lang: str = "ja", ax=None):
    """How many indicators each city publishes per fiscal year, actuals and targets separately."""
    require_columns(df, "municipality", "indicator", "kind", "fiscal_year")
    w = _check_lang(lang)
    ax = _new_ax(ax, figsize=(10, 3.8))
    counts = (df.groupby(["municipality", "kind", "fiscal_year"])["indicator"].nunique()
              .unstack("fiscal_year").fillna(0).astype(int))
    counts.index = [f"{city_label(m, lang)} {w[k]}" for m, k in counts.index]
    import seaborn as sns

    sns.heatmap(counts, annot=True, fmt="d", cmap="Blues", cbar=False, linewidths=0.5, ax=ax,
                mask=counts.eq(0), annot_kws={"fontsize": 8})
    ax.grid(False)
    ax.set_xlabel(w["fiscal_year"])
    ax.set_ylabel("")
    ax.set_title("公表されている指標数（年度別）" if lang == "ja" else "Indicators published per fiscal year")
    return ax


def plot_telework_log(log: pd.DataFrame, *, lang: str = "ja", ax=None):
    """南房総市 telework-PC usage records per month of FY2024, stacked by purpose."""
    from .records import PURPOSE_GROUP_EN

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
    ax.set_xticklabels([m[2:].replace("-", "/") for m in table.index], rotation=0)
    ax.legend(title=w["purpose"], fontsize=8)
    ax.set_title("南房総市 テレワークPC利用記録（令和6年度・月別）" if lang == "ja"
                 else "Minamiboso: telework-PC usage records by month (FY2024)")
    return ax


def plot_index(df: pd.DataFrame, *, lang: str = "ja", ax=None):
    """Growth indices (base year = 100) of several series: one line per (city, indicator)."""
    require_columns(df, "municipality", "indicator", "fiscal_year", "index")
    w = _check_lang(lang)
    ax = _new_ax(ax)
    styles = ["-", "-.", ":", (0, (5, 1))]
    for i, ((city, ind), s) in enumerate(df.dropna(subset=["index"]).groupby(["municipality", "indicator"])):
        ax.plot(s["fiscal_year"], s["index"], color=CITY_COLORS[city], marker="o", ls=styles[i % len(styles)], lw=2,
                label=f"{city_label(city, lang)}: {indicator_label(ind, lang, with_unit=False)}")
    ax.axhline(100, color="0.5", lw=1)
    ax.set_xlabel(w["fiscal_year"])
    ax.set_ylabel(w["index"])
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(fontsize=8)
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
    for j, city in enumerate(cities):
        offset = (j - (len(cities) - 1) / 2) * 0.22
        for (status, basis), s in points[points["municipality"] == city].groupby(["status", "year_basis"]):
            ax.plot(s["year"].to_numpy(float), [rows[c] + offset for c in s["category"]], ls="none",
                    marker="o" if basis == "fiscal" else "s", ms=8, color=CITY_COLORS[city], markeredgewidth=2,
                    markerfacecolor=CITY_COLORS[city] if status == "done" else "white", gid=f"{city}:{status}:{basis}")
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
    ax.legend(handles=handles, fontsize=8, loc="lower left")
    return ax


def add_caption(fig, text: str) -> None:
    """Put a caption line (sources) under the figure."""
    fig.text(0.01, 0.005, text, fontsize=7, color="0.3", ha="left", va="bottom", wrap=True)
    fig.tight_layout(rect=(0, 0.05, 1, 0.93 if fig.legends else 1))


def save_figure(fig, name: str, *, data: pd.DataFrame, sources, title: str | dict[str, str], lang: str = "ja",
                directory: Path | None = None) -> list[Path]:
    """Save ``fig`` as PNG (300 dpi) and SVG, with its data (CSV) and a JSON sidecar.

    The sources caption is added here, so no figure leaves without it. Files are named
    ``<name>.png`` in Japanese and ``<name>_en.png`` in English; writing is byte-stable.
    """
    title = title.get(lang, title.get("en")) if isinstance(title, dict) else title
    directory = Path(directory or config.FIGURES_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    stem = name if lang == "ja" else f"{name}_en"
    caption = source_caption(sources, lang)
    add_caption(fig, caption)
    png, svg = directory / f"{stem}.png", directory / f"{stem}.svg"
    with plt.rc_context({"svg.hashsalt": SVG_HASHSALT}):
        fig.savefig(png, dpi=PNG_DPI, metadata={"Software": None})
        fig.savefig(svg, metadata={"Date": None})
    data_path = directory / "data" / f"{stem}.csv"
    data_path.parent.mkdir(exist_ok=True)
    data.to_csv(data_path, index=False, encoding="utf-8", lineterminator="\n")
    side = directory / f"{stem}.json"
    side.write_text(json.dumps({"name": stem, "title": title, "caption": caption, "lang": lang,
                                "sources": sorted(set(sources)), "png": png.name, "svg": svg.name,
                                "data": f"data/{data_path.name}"}, ensure_ascii=False, indent=1, sort_keys=True)
                    + "\n", encoding="utf-8")
    return [png, svg, data_path, side]
