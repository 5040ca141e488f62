"""Charts in one consistent, reviewer-ready style (Japanese by default, English with ``lang="en"``).

- each city keeps one colour everywhere (Okabe–Ito, colour-blind safe);
- the visual grammar of a series (:data:`KIND_STYLE`, drawn by :func:`draw_kind`): actual = solid line with
  filled circles; target = dashed line with open squares; estimate = markers only, never a line; a fiscal
  year without a value is a gap, never bridged by a straight line; approximate figures (約, 程度) are
  larger hollow markers and figures whose year is not stated half-filled ones, and the legend says so;
- legends go below the plot (:data:`LEGEND_BELOW`), so the plot keeps at least 60 % of the figure width;
- labels come from the indicator catalogue (``name_ja`` / ``name_en`` and ``unit``);
- :func:`save_figure` writes PNG (300 dpi) and SVG that are byte-identical when
  regenerated from the same data, plus a JSON sidecar (caption, sources) and the data
  behind the figure, which the report turns into its index page.

Every ``plot_*`` function has the form ``plot_x(df, *, ..., ax=None) -> Axes``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from ..io.catalogue import load_indicators, load_municipalities

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
    from ..contract.citations import all_sources, caption_part

    words = _check_lang(lang)
    src = all_sources()
    return f"{words['source']}: " + "; ".join(caption_part(s, src, lang) for s in sorted(set(source_ids)))


def _new_ax(ax, figsize=(8, 4.5)):
    if ax is None:
        apply_style()
        _, ax = plt.subplots(figsize=figsize)
    return ax


KIND_STYLE = {
    "actual": {"ls": "-", "marker": "o"},
    "target": {"ls": "--", "marker": "s", "markerfacecolor": "white"},
    "estimate": {"ls": "none", "marker": "D"},
}
"""The visual grammar, one entry per kind of figure: every chart of a series over the years draws with it."""


def gapped(years, values) -> tuple[np.ndarray, np.ndarray]:
    """``years`` and ``values`` with a NaN value at every missing year between two present ones, so a line
    drawn through them stops at the gap instead of bridging it.

    >>> x, y = gapped([2021, 2024, 2025], [1.0, 2.0, 3.0])
    >>> x.tolist(), [None if v != v else v for v in y.tolist()]
    ([2021.0, 2022.0, 2024.0, 2025.0], [1.0, None, 2.0, 3.0])
    """
    x, y = np.asarray(years, dtype=float), np.asarray(values, dtype=float)
    order = np.argsort(x, kind="stable")
    x, y = x[order], y[order]
    breaks = np.flatnonzero(np.diff(x) > 1) + 1
    return np.insert(x, breaks, x[breaks - 1] + 1), np.insert(y, breaks, np.nan)


def draw_kind(ax, years, values, *, kind: str, color, **kwargs) -> Line2D:
    """One series in the grammar of its ``kind`` (:data:`KIND_STYLE`), with a gap at every missing year."""
    x, y = gapped(years, values)
    style = {"lw": 2, "ms": 6, "color": color, "markeredgecolor": color, **KIND_STYLE[kind], **kwargs}
    return ax.plot(x, y, **style)[0]


def style_legend_handles(lang: str, *, approximate: bool = True, year_inferred: bool = False,
                         kinds=("actual", "target")) -> list[Line2D]:
    """Legend entries that explain line styles and markers (not cities), for the ``kinds`` drawn."""
    w = _check_lang(lang)
    handles = [Line2D([], [], color="0.3", **KIND_STYLE[k], label=w[k]) for k in KIND_STYLE if k in kinds]
    if approximate:
        handles.append(Line2D([], [], color="0.3", ls="none", marker="o", markerfacecolor="white", label=w["approximate"]))
    if year_inferred:
        handles.append(Line2D([], [], color="0.3", ls="none", marker="o", fillstyle="bottom", markerfacecoloralt="white",
                              label=w["year_inferred"]))
    return handles


LEGEND_OUTSIDE = {"loc": "upper left", "bbox_to_anchor": (1.01, 1.0), "borderaxespad": 0.0}
"""A legend to the right of the axes (only for short legends: it takes width from the plot)."""
LEGEND_BELOW = {"loc": "upper center", "bbox_to_anchor": (0.5, -0.14), "borderaxespad": 0.0, "ncols": 3}
"""Legends of series charts go below the axes, where they cannot cover a point and leave the plot its width."""
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
