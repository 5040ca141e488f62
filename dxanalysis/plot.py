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
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.ticker import StrMethodFormatter

from . import config
from .export import write_csv
from .io import load_indicators, load_milestone_categories, load_municipalities
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
           "calendar_year": "暦年のみ記載（年度は前年度の場合あり）",
           "year_inferred": "年度は見出し・配置等から判断（本文に年度の明記なし）"},
    "en": {"actual": "actual", "target": "target", "estimate": "estimate", "approximate": "approximate (約, 程度 …)", "source": "Source",
           "fiscal_year": "Fiscal year", "month": "Month", "records": "records", "days": "days used",
           "purpose": "purpose", "count": "indicators", "index": "index (base year = 100)",
           "done": "done", "planned": "planned",
           "calendar_year": "calendar year only (fiscal year may be the one before)",
           "year_inferred": "fiscal year read from heading or layout (not stated with the figure)"},
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
    """The catalogue name of an indicator, with its unit (``unit`` in Japanese, ``unit_en`` in English).

    A name that already ends in brackets takes the unit inside them, so no label reads ``…（年間）（時間）``.

    >>> indicator_label("telework_count"), indicator_label("telework_count", "en")
    ('テレワーク件数（件）', 'Telework cases per year (count)')
    >>> indicator_label("rpa_hours_saved")
    'RPAによる業務削減時間（年間、単位：時間）'
    """
    _check_lang(lang)
    row = load_indicators().loc[indicator]
    name = row["name_ja"] if lang == "ja" else row["name_en"]
    if not with_unit:
        return name
    unit = row["unit"] if lang == "ja" else (row.get("unit_en") or row["unit"])
    return with_unit_text(name, unit if isinstance(unit, str) else "", lang)


def with_unit_text(name: str, unit: str, lang: str = "ja") -> str:
    """``name（unit）``; inside a closing bracket the name already has: ``name（…、単位：unit）``.

    >>> with_unit_text("講座参加者数（生涯学習課）", "人"), with_unit_text("Courses (single year)", "count", "en")
    ('講座参加者数（生涯学習課、単位：人）', 'Courses (single year; count)')
    >>> with_unit_text("判定", "")
    '判定'
    """
    if not unit:
        return name
    if lang == "ja":
        return f"{name[:-1]}、単位：{unit}{name[-1]}" if name.endswith(("）", ")")) else f"{name}（{unit}）"
    return f"{name[:-1]}; {unit})" if name.endswith(")") else f"{name} ({unit})"


def city_label(municipality: str, lang: str = "ja") -> str:
    """茅ヶ崎市 / Chigasaki …"""
    row = load_municipalities().loc[municipality]
    return row["name_ja"] if lang == "ja" else row["name_en"]


def source_caption(source_ids, lang: str = "ja") -> str:
    """One caption line naming the documents (title, publisher, date) a figure is drawn from.

    Sources of ``data/sources.csv`` and ``data/national/sources.csv`` alike; a source that
    requires an attribution text is named by that text.
    """
    from .citations import all_sources, caption_part

    words = _check_lang(lang)
    src = all_sources()
    return f"{words['source']}: " + "; ".join(caption_part(s, src) for s in sorted(set(source_ids)))


def _new_ax(ax, figsize=(8, 4.5)):
    if ax is None:
        apply_style()
        _, ax = plt.subplots(figsize=figsize)
    return ax


def style_legend_handles(lang: str, *, approximate: bool = True, year_inferred: bool = False,
                         kinds=("actual", "target")) -> list[Line2D]:
    """Legend entries that explain line styles and markers (not cities), for the ``kinds`` drawn."""
    w = _check_lang(lang)
    styles = {"actual": ("-", "o"), "target": ("--", "s")}
    handles = [Line2D([], [], color="0.3", ls=styles[k][0], marker=styles[k][1], label=w[k]) for k in styles if k in kinds]
    if approximate:
        handles.append(Line2D([], [], color="0.3", ls="none", marker="o", markerfacecolor="white", label=w["approximate"]))
    if year_inferred:
        handles.append(Line2D([], [], color="0.3", ls="none", marker="o", fillstyle="bottom", markerfacecoloralt="white",
                              label=w["year_inferred"]))
    return handles


LEGEND_OUTSIDE = {"loc": "upper left", "bbox_to_anchor": (1.01, 1.0), "borderaxespad": 0.0}
"""Legends go to the right of the axes, where they cannot cover a point."""
HEADROOM = 0.12
"""Space above the highest point, as a share of the drawn value range."""


def _is_bar(patch, ax) -> bool:
    """A bar drawn in data coordinates (not a span or band that is meant to reach the frame)."""
    return isinstance(patch, Rectangle) and patch.get_data_transform() is ax.transData


def add_headroom(ax, share: float = HEADROOM) -> None:
    """Raise the top of the y axis so the highest marker or bar sits clear of the frame."""
    tops = [y for line in ax.lines for y in np.asarray(line.get_ydata(), dtype=float) if np.isfinite(y)]
    tops += [patch.get_y() + patch.get_height() for patch in ax.patches if _is_bar(patch, ax)]
    if not tops:
        return
    low, high = ax.get_ylim()
    if ax.yaxis_inverted():
        return
    top = max(tops)
    ax.set_ylim(low, max(high, top + share * (top - low)))


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
        for kind, ls, marker in (("actual", "-", "o"), ("target", "--", "s")):
            s = data[(data["municipality"] == city) & (data["kind"] == kind)].dropna(subset=["value"])
            if s.empty:
                continue
            color = CITY_COLORS[city]
            drawn.add(kind)
            ax.plot(s["fiscal_year"], s["value"], ls=ls, marker=marker, color=color, lw=2, ms=6,
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
              fontsize=9, **LEGEND_OUTSIDE)
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
    """南房総市 telework-PC usage records per month of the log's fiscal year, stacked by purpose."""
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
    ax.set_xticklabels([m[2:].replace("-", "/") for m in table.index], rotation=0, fontsize=8)
    add_headroom(ax)
    ax.legend(title=w["purpose"], fontsize=8, **LEGEND_OUTSIDE)
    ax.set_title(f"南房総市 テレワークPC利用記録（令和{fy - 2018}年度・月別）" if lang == "ja"
                 else f"Minamiboso: telework-PC usage records by month (FY{fy})")  # the log's own fiscal year
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
    add_headroom(ax)
    ax.legend(fontsize=8, **LEGEND_OUTSIDE)
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
    ax.legend(handles=handles, fontsize=8, **LEGEND_OUTSIDE)
    return ax


def add_caption(fig, text: str) -> None:
    """Put the caption (one source per line) under the figure and lay the figure out around it.

    A figure-level title (``suptitle``) goes on top, figure-level legends right under it,
    the axes in the space left between them and the caption.
    """
    lines = text.replace("; ", ";\n")
    _wrap_long_ylabels(fig)
    _wrap_long_titles(fig)
    cap = fig.text(0.01, 0.008, lines, fontsize=7, color="0.3", ha="left", va="bottom", gid="caption")
    renderer = fig.canvas.get_renderer()
    height = fig.bbox.height
    bottom = (cap.get_window_extent(renderer).height + 8) / height
    top = 1.0
    if fig._suptitle is not None:
        fig._suptitle.set(y=0.995, va="top")
        top -= (fig._suptitle.get_window_extent(renderer).height + 6) / height
    for legend in fig.legends:
        legend.set_loc("upper center")
        legend.set_bbox_to_anchor((0.5, top), transform=fig.transFigure)
        top -= (legend.get_window_extent(renderer).height + 6) / height
    fig.tight_layout(rect=(0, bottom, 1, top))


def _wrap_long_ylabels(fig) -> None:
    """Break a y label that is taller than its axes into as many lines as it needs."""
    import math

    from .figbook import wrap

    renderer = fig.canvas.get_renderer()
    for ax in fig.axes:
        label = ax.yaxis.label
        text = label.get_text()
        if not text or "\n" in text or not ax.get_visible():
            continue
        need, room = label.get_window_extent(renderer).height, ax.get_window_extent(renderer).height * 0.95
        if need > room:
            n_lines = math.ceil(need / room)
            cuts = [i for i, c in enumerate(text) if c in "（(" and i > 0]
            best = min(cuts, key=lambda i: abs(i - len(text) / 2), default=None)
            if n_lines == 2 and best is not None and max(best, len(text) - best) <= 0.6 * len(text):
                label.set_text(f"{text[:best].rstrip()}\n{text[best:]}")  # break before the bracket
            else:
                columns = sum(2 if ord(c) > 0x2E80 else 1 for c in text)
                label.set_text("\n".join(wrap(text, math.ceil(columns / n_lines) + 1)))


def _wrap_long_titles(fig, share: float = 0.92) -> None:
    """Break an axes title or figure title wider than the room around its centre into lines."""
    import math

    from .figbook import wrap

    renderer = fig.canvas.get_renderer()
    page = fig.bbox
    titles = [ax.title for ax in fig.axes if ax.get_visible()] + ([fig._suptitle] if fig._suptitle else [])
    for title in titles:
        text = title.get_text()
        if not text or "\n" in text:
            continue
        box = title.get_window_extent(renderer)
        centre = (box.x0 + box.x1) / 2
        room = share * 2 * min(centre - page.x0, page.x1 - centre)
        if box.width > room > 0:
            columns = sum(2 if ord(c) > 0x2E80 else 1 for c in text)
            title.set_text("\n".join(wrap(text, math.ceil(columns / math.ceil(box.width / room)) + 1)))


def _texts(fig):
    for ax in fig.axes:
        if ax.get_visible():
            yield from (ax.title, ax.xaxis.label, ax.yaxis.label)
            if ax.get_legend() is not None:
                yield ax.get_legend()
    yield from fig.legends
    yield from fig.texts
    if fig._suptitle is not None:
        yield fig._suptitle


class FigureLayoutError(ValueError):
    """A figure a reviewer would find wrong: a legend over a point, a marker on the frame."""


def _marker_radius_px(line, dpi: float) -> float:
    if line.get_marker() in (None, "None", "none", "", " "):
        return 0.0
    return line.get_markersize() * dpi / 72 / 2 + line.get_markeredgewidth() * dpi / 72 / 2


def layout_problems(fig) -> list[str]:
    """Legend boxes that cover a plotted point or bar, markers or bars without headroom, and
    titles, labels, legends or captions that run off the figure.

    Positions are compared in display coordinates after the figure is laid out; a marker
    counts with its radius, and needs at least that much space below the top of its axes.
    """
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    legends = [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None] + list(fig.legends)
    boxes = [leg.get_window_extent(renderer) for leg in legends if leg.get_visible()]
    problems = []
    page = fig.bbox
    for artist in _texts(fig):
        text = artist.get_text() if hasattr(artist, "get_text") else "legend"
        if not text or not artist.get_visible():
            continue
        b = artist.get_window_extent(renderer)
        if b.x0 < page.x0 - 1 or b.y0 < page.y0 - 1 or b.x1 > page.x1 + 1 or b.y1 > page.y1 + 1:
            problems.append(f"text {text[:40]!r} runs off the figure")
    for n, ax in enumerate(fig.axes):
        if not ax.get_visible():
            continue
        frame = ax.get_window_extent(renderer)
        where = f"axes {n} ({ax.get_title() or ax.get_ylabel()})"
        for line in ax.lines:
            r = _marker_radius_px(line, fig.dpi)
            if not line.get_visible() or r == 0:
                continue
            for px, py in line.get_transform().transform(np.asarray(line.get_xydata(), dtype=float)):
                if not (np.isfinite(px) and np.isfinite(py)):
                    continue
                label = f"{where}: point of {line.get_gid() or line.get_label()} at ({px:.0f}, {py:.0f}) px"
                if any(b.x0 - r < px < b.x1 + r and b.y0 - r < py < b.y1 + r for b in boxes):
                    problems.append(f"{label} is under a legend")
                if py + 2 * r > frame.y1:
                    problems.append(f"{label} has no headroom below the top of the axes")
        for patch in ax.patches:  # bars; other patches (spans, filled areas) are not data points
            if not _is_bar(patch, ax) or not patch.get_visible() or patch.get_height() == 0:
                continue
            pb = patch.get_window_extent(renderer)
            if any(pb.overlaps(b) for b in boxes):
                problems.append(f"{where}: bar at x={pb.x0:.0f} px is under a legend")
            if pb.y1 > frame.y1 - 4:
                problems.append(f"{where}: bar at x={pb.x0:.0f} px has no headroom")
    return problems


class SavedFigure(list):
    """The files :func:`save_figure` wrote (a list of paths).

    A notebook that ends a cell with ``save_figure(...)`` shows nothing for it, and its
    ``repr`` names the files relative to their folder: no local absolute path is printed.
    """

    def __repr__(self) -> str:
        return f"SavedFigure({', '.join(p.name if p.parent.name != 'data' else f'data/{p.name}' for p in self)})"

    def _ipython_display_(self) -> None:  # the figure itself is already shown; nothing else to display
        return None


def save_figure(fig, name: str, *, data: pd.DataFrame, sources, title: str | dict[str, str], lang: str = "ja",
                directory: Path | None = None) -> SavedFigure:
    """Save ``fig`` as PNG (300 dpi) and SVG, with its data (CSV) and a JSON sidecar.

    The figure gets ``title`` (the words the report index uses for it) and the sources
    caption here, so no figure leaves without them; it is then checked by
    :func:`layout_problems` and refused (:class:`FigureLayoutError`) if a legend covers a
    point or a marker touches the frame. Files are named ``<name>.png`` in Japanese and
    ``<name>_en.png`` in English; writing is byte-stable.
    """
    title = title.get(lang, title.get("en")) if isinstance(title, dict) else title
    directory = Path(directory or config.FIGURES_DIR)
    stem = name if lang == "ja" else f"{name}_en"
    axes = [ax for ax in fig.axes if ax.get_visible()]
    if len(axes) == 1:
        axes[0].set_title(title)
    else:
        fig.suptitle(title)
    caption = source_caption(sources, lang)
    add_caption(fig, caption)
    problems = layout_problems(fig)
    if problems:
        raise FigureLayoutError(f"figure {stem!r}: " + "; ".join(problems))
    directory.mkdir(parents=True, exist_ok=True)
    png, svg = directory / f"{stem}.png", directory / f"{stem}.svg"
    with plt.rc_context({"svg.hashsalt": SVG_HASHSALT}):
        fig.savefig(png, dpi=PNG_DPI, metadata={"Software": None})
        fig.savefig(svg, metadata={"Date": None})
    data_path = directory / "data" / f"{stem}.csv"
    data_path.parent.mkdir(exist_ok=True)
    write_csv(data, data_path, bom=False)  # the one writer: formula starts neutralised
    side = directory / f"{stem}.json"
    side.write_text(json.dumps({"name": stem, "title": title, "caption": caption, "lang": lang,
                                "sources": sorted(set(sources)), "png": png.name, "svg": svg.name,
                                "data": f"data/{data_path.name}"}, ensure_ascii=False, indent=1, sort_keys=True)
                    + "\n", encoding="utf-8")
    return SavedFigure([png, svg, data_path, side])


# ---------------------------------------------------------------- national context (issue 13)
# Charts of the three cities among all municipalities (data: dxanalysis.national; verbs: metrics).
# Municipalities are keyed by ``lg_code``; the three cities get their colours and names from
# data/municipalities.csv, every other municipality is grey. Labels come from the national
# indicator catalogue (``name_ja`` / ``name_en``, ``unit``).

NATIONAL_WORDS = {
    "ja": {"municipalities": "市区町村数", "national_median": "全国中央値", "value": "各市の値",
           "prefecture_median": "同じ都道府県の中央値", "peers_median": "同規模団体の中央値", "peers_short": "同規模団体\nの中央値",
           "prefecture_share": "同じ都道府県で実施している割合", "peers_share": "同規模団体で実施している割合",
           "national_share": "全国で実施している割合", "share": "実施している団体の割合（%、調査無しは分母から除く）",
           "adopted": "塗りつぶし: その市は実施", "not_adopted": "白抜き: その市は未実施",
           "supply": "提供: オンライン化済みの手続の割合", "usage": "利用: 手続ごとのオンライン利用率",
           "usage_median": "利用率の中央値（値のある手続）", "usage_26": "子育て・介護26手続",
           "usage_32": "よく使う32手続", "percent": "%", "iqr": "全国の四分位範囲（25〜75%）",
           "issued_rate": "交付枚数 ÷ 人口（%）", "date": "時点", "no_usage": "利用率の値なし",
           "issuance_title": "マイナンバーカード交付率の推移（交付枚数。保有率とは別の指標）",
           "usage_title": "手続ごとのオンライン利用率（%）",
           "supply_usage_title": "オンライン化（提供）と実際のオンライン利用",
           "adoption_title": "取組を実施している団体の割合", "n": "団体"},
    "en": {"municipalities": "municipalities", "national_median": "national median", "value": "the city's value",
           "prefecture_median": "median of its prefecture", "peers_median": "median of its size peers",
           "peers_short": "size peers'\nmedian",
           "prefecture_share": "share adopting in its prefecture", "peers_share": "share adopting among its size peers",
           "national_share": "share adopting nationally", "share": "municipalities adopting (%; not surveyed excluded)",
           "adopted": "filled: the city has adopted it", "not_adopted": "hollow: the city has not",
           "supply": "supply: procedures available online",
           "usage": "usage: online share, per procedure",
           "usage_median": "median usage", "usage_26": "26 child-care and\ncare procedures",
           "usage_32": "32 frequent\nprocedures", "percent": "%", "iqr": "national interquartile range (25–75%)",
           "issued_rate": "cards issued ÷ population (%)", "date": "date", "no_usage": "no usage values",
           "issuance_title": "My Number cards issued per population (issued, not held)",
           "usage_title": "Online usage rate per procedure (%)",
           "supply_usage_title": "Procedures available online (supply) and online usage",
           "adoption_title": "Share of municipalities adopting each measure", "n": "municipalities"},
}


def _national_words(lang: str) -> dict[str, str]:
    _check_lang(lang)
    return NATIONAL_WORDS[lang]


def _national_catalogue(catalogue: pd.DataFrame | None) -> pd.DataFrame:
    if catalogue is None:
        from .national import load_national_indicators

        catalogue = load_national_indicators()
    require_columns(catalogue, "indicator", "name_ja", "name_en", "unit")
    return catalogue.set_index("indicator", drop=False)


def national_indicator_label(indicator: str, lang: str = "ja", *, catalogue: pd.DataFrame | None = None,
                             with_unit: bool = True) -> str:
    """The national catalogue's name of an indicator (``name_ja`` / ``name_en``), with ``%`` where it is one.

    >>> cat = pd.DataFrame({"indicator": ["h"], "name_ja": ["保有率"], "name_en": ["holding"], "unit": ["%"]})
    >>> national_indicator_label("h", catalogue=cat), national_indicator_label("h", "en", catalogue=cat)
    ('保有率（%）', 'holding (%)')
    """
    _check_lang(lang)
    row = _national_catalogue(catalogue).loc[indicator]
    name = row["name_ja"] if lang == "ja" else row["name_en"]
    if not with_unit or row["unit"] != "%":
        return name
    return f"{name}（%）" if lang == "ja" else f"{name} (%)"


def _city_of(lg_code: str) -> str | None:
    """The slug of one of the three cities (data/municipalities.csv), else None."""
    mun = load_municipalities()
    hit = mun.index[mun["lg_code"].astype("str") == str(lg_code)]
    return hit[0] if len(hit) else None


def _municipality_label(lg_code: str, lang: str, names: dict | None = None) -> str:
    slug = _city_of(lg_code)
    if slug is not None:
        return city_label(slug, lang)
    return (names or {}).get(lg_code, lg_code)


def _codes_in_order(df: pd.DataFrame) -> list[str]:
    return list(dict.fromkeys(df["lg_code"]))


def plot_national_distribution(national: pd.DataFrame, *, indicator: str, standing: pd.DataFrame, lang: str = "ja",
                               catalogue: pd.DataFrame | None = None, bins=None, ax=None):
    """All municipalities' values of one indicator as a histogram, with the cities of ``standing`` marked.

    Solid line: the city's value; dashed: the median of its prefecture; dotted: the median of its
    size peers (all in the city's colour); grey: the national median. ``standing`` is the output of
    :func:`dxanalysis.metrics.standing`. Municipalities without a value are not drawn (and not counted).
    """
    import numpy as np

    require_columns(national, "lg_code", "indicator", "value")
    require_columns(standing, "lg_code", "indicator", "scope", "value", "median")
    w = _national_words(lang)
    cat = _national_catalogue(catalogue)
    values = national.loc[national["indicator"] == indicator, "value"].dropna()
    if values.empty:
        raise LookupError(f"no values for {indicator!r}")
    unit = cat.at[indicator, "unit"]
    if bins is None:
        bins = np.arange(0, 102.5, 2.5) if unit == "%" else 30
    ax = _new_ax(ax)
    ax.hist(values.to_numpy(), bins=bins, color="0.78", edgecolor="white", gid="all")
    median = float(values.median())
    ax.axvline(median, color=CITY_COLORS["national"], lw=1.5, gid="national:median")
    mine = standing[standing["indicator"] == indicator]
    suffix = "%" if unit == "%" else ""
    handles = []
    for code in _codes_in_order(mine):
        rows = mine[mine["lg_code"] == code].set_index("scope")
        slug = _city_of(code) or code
        color = CITY_COLORS.get(slug, "0.2")
        value = rows["value"].iloc[0]
        if pd.notna(value):
            ax.axvline(value, color=color, lw=2.5, gid=f"{slug}:value")
        for scope, ls in (("prefecture", "--"), ("peers", ":")):
            if scope in rows.index and pd.notna(rows.at[scope, "median"]):
                ax.axvline(rows.at[scope, "median"], color=color, lw=1.5, ls=ls, gid=f"{slug}:{scope}_median")
        shown = f"{value:g}{suffix}" if pd.notna(value) else "—"
        handles.append(Line2D([], [], color=color, lw=2.5, label=f"{_municipality_label(code, lang)} {shown}"))
    handles += [Line2D([], [], color="0.3", lw=2.5, label=w["value"]),
                Line2D([], [], color="0.3", lw=1.5, ls="--", label=w["prefecture_median"]),
                Line2D([], [], color="0.3", lw=1.5, ls=":", label=w["peers_median"]),
                Line2D([], [], color=CITY_COLORS["national"], lw=1.5, label=f"{w['national_median']} {median:g}{suffix}")]
    ax.legend(handles=handles, fontsize=7, loc="best")
    ax.set_xlabel(national_indicator_label(indicator, lang, catalogue=cat))
    ax.set_ylabel(w["municipalities"])
    name = national_indicator_label(indicator, lang, catalogue=cat, with_unit=False)
    ax.set_title(f"{name}（{len(values):,}{w['n']}）" if lang == "ja" else f"{name} (n = {len(values):,})", fontsize=10)
    return ax


def plot_adoption_shares(standing: pd.DataFrame, *, lang: str = "ja", catalogue: pd.DataFrame | None = None,
                         indicators=None, ax=None):
    """実施/未実施 measures: the share adopting nationally (grey bars) and, per city, in its prefecture
    (triangles) and among its size peers (circles); filled where the city itself has adopted, hollow where not.

    Shares leave municipalities without an answer (調査無し) out of the denominator
    (:func:`dxanalysis.metrics.scope_summary`).
    """
    require_columns(standing, "lg_code", "indicator", "scope", "value", "share")
    w = _national_words(lang)
    cat = _national_catalogue(catalogue)
    flags = [i for i in cat.index if cat.at[i, "unit"] == "flag"] if indicators is None else list(indicators)
    data = standing[standing["indicator"].isin(flags)]
    order = [i for i in flags if i in set(data["indicator"])]
    if not order:
        raise LookupError("no 実施/未実施 indicators in the data")
    rows = {ind: k for k, ind in enumerate(order)}
    codes = _codes_in_order(data)
    ax = _new_ax(ax, figsize=(8, 0.5 * len(order) + 1.8))
    nat = data[data["scope"] == "national"].drop_duplicates("indicator").set_index("indicator")["share"]
    ax.barh([rows[i] for i in order], [nat.get(i) for i in order], height=0.7, color="0.85", gid="national:share")
    for j, code in enumerate(codes):
        slug = _city_of(code) or code
        color = CITY_COLORS.get(slug, "0.2")
        offset = (j - (len(codes) - 1) / 2) * 0.22
        mine = data[data["lg_code"] == code]
        for scope, marker in (("prefecture", "^"), ("peers", "o")):
            s = mine[mine["scope"] == scope]
            for status, face in (("adopted", color), ("not_adopted", "white")):
                pick = s[s["value"].eq(1.0)] if status == "adopted" else s[s["value"].eq(0.0)]
                if pick.empty:
                    continue
                ax.plot(pick["share"].to_numpy(float), [rows[i] + offset for i in pick["indicator"]], ls="none",
                        marker=marker, ms=7, color=color, markerfacecolor=face, markeredgewidth=1.5,
                        gid=f"{slug}:{scope}:{status}")
    ax.set_yticks(range(len(order)), [national_indicator_label(i, lang, catalogue=cat) for i in order], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel(w["share"])
    ax.set_title(w["adoption_title"], fontsize=10)
    key = lambda **kw: Line2D([], [], lw=0, ms=7, markeredgewidth=1.5, **kw)  # noqa: E731
    handles = [key(color=CITY_COLORS.get(_city_of(c) or c, "0.2"), marker="o", label=_municipality_label(c, lang))
               for c in codes]
    from matplotlib.patches import Patch

    handles += [Patch(color="0.85", label=w["national_share"]),
                key(color="0.3", marker="^", label=w["prefecture_share"]),
                key(color="0.3", marker="o", label=w["peers_share"]),
                key(color="0.3", marker="o", label=w["adopted"]),
                key(color="0.3", marker="o", markerfacecolor="white", label=w["not_adopted"])]
    ax.legend(handles=handles, fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1), borderaxespad=0)
    return ax


def usage_matrix(standing: pd.DataFrame, *, catalogue: pd.DataFrame | None = None) -> pd.DataFrame:
    """Usage rates as a table: procedures (catalogue order) × [each city, its peers' median …, the national median].

    Columns are ``<lg_code>`` (the city's rate), ``<lg_code>:peers`` (its size peers' median) and ``national``.
    Empty (NaN) where the dashboard has no value.
    """
    require_columns(standing, "lg_code", "indicator", "scope", "value", "median")
    cat = _national_catalogue(catalogue)
    usage = [i for i in cat.index if cat.at[i, "measure"] == "usage"] if "measure" in cat else list(cat.index)
    data = standing[standing["indicator"].isin(usage)]
    order = [i for i in usage if i in set(data["indicator"])]
    cols = {}
    for code in _codes_in_order(data):
        mine = data[data["lg_code"] == code]
        cols[code] = mine[mine["scope"] == "national"].set_index("indicator")["value"]
        cols[f"{code}:peers"] = mine[mine["scope"] == "peers"].set_index("indicator")["median"]
    cols["national"] = data[data["scope"] == "national"].drop_duplicates("indicator").set_index("indicator")["median"]
    return pd.DataFrame(cols).reindex(order)


def plot_usage_heatmap(standing: pd.DataFrame, *, lang: str = "ja", catalogue: pd.DataFrame | None = None, ax=None):
    """Per-procedure online-usage rates of the cities beside their size peers' and the national medians.

    Cells are annotated with the rate (%); an empty cell means the dashboard has no value
    (no applications that year, or not reported) — it is not a zero.
    """
    import seaborn as sns

    w = _national_words(lang)
    cat = _national_catalogue(catalogue)
    matrix = usage_matrix(standing, catalogue=cat)
    if matrix.empty:
        raise LookupError("no usage indicators in the data")
    names = []
    for col in matrix.columns:
        if col == "national":
            names.append(w["national_median"].replace(" ", "\n", 1) if lang == "en" else w["national_median"])
        elif col.endswith(":peers"):
            names.append(f"{_municipality_label(col[:-6], lang)}\n{w['peers_short']}")
        else:
            names.append(_municipality_label(col, lang))
    shown = matrix.set_axis(names, axis=1).set_axis(
        [national_indicator_label(i, lang, catalogue=cat, with_unit=False) for i in matrix.index], axis=0)
    ax = _new_ax(ax, figsize=(9, 0.26 * len(matrix) + 2.2))
    sns.heatmap(shown, annot=True, fmt=".1f", cmap="Blues", vmin=0, vmax=100, linewidths=0.5, linecolor="white",
                cbar_kws={"label": w["percent"], "shrink": 0.5}, annot_kws={"fontsize": 6}, ax=ax)
    ax.grid(False)
    ax.tick_params(axis="y", labelsize=7)
    ax.tick_params(axis="x", labelsize=7, rotation=0)
    if "group" in cat:
        groups = cat.loc[matrix.index, "group"].to_numpy()
        for k in range(1, len(groups)):
            if groups[k] != groups[k - 1]:
                ax.axhline(k, color="0.2", lw=1.5, gid="group_boundary")
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_title(_with_period(w["usage_title"], cat, matrix.index, lang), fontsize=10)
    return ax


def _with_period(title: str, cat: pd.DataFrame, indicators, lang: str) -> str:
    """A title with the reference period(s) the catalogue gives for ``indicators``."""
    if "reference_period" not in cat:
        return title
    periods = list(dict.fromkeys(cat.loc[list(indicators), "reference_period"]))
    return f"{title}\n{'; '.join(periods)}"


def plot_supply_usage(detail: pd.DataFrame, *, lang: str = "ja", catalogue: pd.DataFrame | None = None, ax=None):
    """Supply beside usage, per city and procedure group: a bar for the share of procedures made
    available online, dots for each procedure's online-usage rate, a black dash for their median.

    ``detail`` is :func:`dxanalysis.metrics.supply_usage`. Procedures without a usage value are not drawn.
    """
    import numpy as np

    require_columns(detail, "lg_code", "group", "indicator", "supply", "usage")
    w = _national_words(lang)
    ax = _new_ax(ax, figsize=(9, 4.8))
    groups = list(dict.fromkeys(detail["group"]))
    ticks, labels = [], []
    for i, code in enumerate(_codes_in_order(detail)):
        slug = _city_of(code) or code
        color = CITY_COLORS.get(slug, "0.2")
        for j, group in enumerate(groups):
            s = detail[(detail["lg_code"] == code) & (detail["group"] == group)]
            if s.empty:
                continue
            x = i * (len(groups) + 0.7) + j
            ax.bar([x - 0.18], [s["supply"].iloc[0]], width=0.32, color=color, alpha=0.35, edgecolor=color,
                   gid=f"{slug}:{group}:supply")
            used = s["usage"].dropna().to_numpy(float)
            ax.plot(np.full(len(used), x + 0.18), used, ls="none", marker="o", ms=4, alpha=0.75, color=color,
                    gid=f"{slug}:{group}:usage")
            if len(used):
                ax.plot([x + 0.18], [float(np.median(used))], ls="none", marker="_", ms=16, mew=2.5, color="black",
                        gid=f"{slug}:{group}:usage_median")
            else:
                ax.text(x + 0.18, 2, w["no_usage"], rotation=90, ha="center", va="bottom", fontsize=7, color="0.3")
            ticks.append(x)
            labels.append(f"{_municipality_label(code, lang)}\n{w.get(group, group)}")
    ax.set_xticks(ticks, labels, fontsize=7)
    ax.set_ylim(0, 125)  # head room for the legend above the 100 % bars
    ax.set_yticks(range(0, 101, 20))
    ax.set_ylabel(w["percent"])
    title = w["supply_usage_title"]
    if catalogue is not None:
        from .metrics import SUPPLY_FOR_USAGE

        cat = _national_catalogue(catalogue)
        period = lambda inds: "; ".join(dict.fromkeys(cat.loc[inds, "reference_period"]))  # noqa: E731
        used, supplied = period(list(dict.fromkeys(detail["indicator"]))), period([SUPPLY_FOR_USAGE[g] for g in groups])
        title += (f"\n（利用: {used}／提供: {supplied}）" if lang == "ja" else f"\n(usage: {used}; supply: {supplied})")
    ax.set_title(title, fontsize=9)
    from matplotlib.patches import Patch

    ax.legend(handles=[Patch(facecolor="0.6", alpha=0.5, label=w["supply"]),
                       Line2D([], [], ls="none", marker="o", ms=4, color="0.3", label=w["usage"]),
                       Line2D([], [], ls="none", marker="_", ms=16, mew=2.5, color="black", label=w["usage_median"])],
              fontsize=7, loc="upper center", ncol=3)
    return ax


def plot_issuance_trend(cards: pd.DataFrame, *, lg_codes, lang: str = "ja", ax=None):
    """My Number cards ISSUED per population, snapshot by snapshot: the national median (grey line)
    and interquartile band, with the cities as lines in their colours.

    Only the issuance series (交付) is drawn: a frame that carries the 2024 holding (保有) rate is
    refused, so the two are never joined into one line.
    """
    import matplotlib.dates as mdates

    from .metrics import quantile_band

    require_columns(cards, "lg_code", "date", "issued_rate")
    if "indicator" in cards or ("measure" in cards and cards["measure"].ne("issued").any()):
        raise ValueError("plot_issuance_trend draws cards issued (交付) only; holding rates (保有) are another measure")
    w = _national_words(lang)
    ax = _new_ax(ax)
    band = quantile_band(cards, value="issued_rate", by="date")
    x = pd.to_datetime(band["date"])
    ax.fill_between(x, band["q1"], band["q3"], color=CITY_COLORS["national"], alpha=0.25, lw=0, gid="national:iqr")
    ax.plot(x, band["median"], color=CITY_COLORS["national"], lw=2, gid="national:median")
    handles = []
    for code in ([lg_codes] if isinstance(lg_codes, str) else list(lg_codes)):
        s = cards[cards["lg_code"] == code].sort_values("date")
        if s.empty:
            continue
        slug = _city_of(code) or code
        color = CITY_COLORS.get(slug, "0.2")
        ax.plot(pd.to_datetime(s["date"]), s["issued_rate"], color=color, lw=2, marker="o", ms=2.5, gid=f"{slug}:issued")
        handles.append(Line2D([], [], color=color, lw=2, label=_municipality_label(code, lang)))
    from matplotlib.patches import Patch

    handles += [Line2D([], [], color=CITY_COLORS["national"], lw=2, label=w["national_median"]),
                Patch(color=CITY_COLORS["national"], alpha=0.25, label=w["iqr"])]
    ax.legend(handles=handles, fontsize=8, loc="upper left")
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.set_ylim(bottom=0)
    ax.set_xlabel(w["date"])
    ax.set_ylabel(w["issued_rate"])
    ax.set_title(w["issuance_title"], fontsize=10)
    return ax
