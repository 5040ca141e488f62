"""Every chart function and the shared style in one namespace (``from dxanalysis import plot as p``).

The functions live in the chart-family modules ``trends``, ``timelines`` and ``comparisons``, on the
shared base of ``style`` and ``layout``; this module only gathers them, as seaborn's top level does.
"""

from __future__ import annotations

from .comparisons import (
                          NATIONAL_WORDS,
                          national_indicator_label,
                          percent_axis_top,
                          plot_adoption_shares,
                          plot_issuance_trend,
                          plot_national_distribution,
                          plot_supply_usage,
                          plot_usage_heatmap,
                          usage_heatmap_parts,
                          usage_matrix,
)
from .layout import (
                          FigureLayoutError,
                          SavedFigure,
                          add_caption,
                          layout_problems,
                          save_figure,
)
from .style import (
                          CITY_COLORS,
                          FONT,
                          HEADROOM,
                          KIND_STYLE,
                          LEGEND_BELOW,
                          LEGEND_OUTSIDE,
                          PNG_DPI,
                          PURPOSE_COLORS,
                          SVG_HASHSALT,
                          WORDS,
                          add_headroom,
                          apply_style,
                          city_label,
                          draw_kind,
                          gapped,
                          indicator_label,
                          source_caption,
                          style_legend_handles,
                          with_unit_text,
)
from .timelines import plot_adoption_timeline, plot_telework_log
from .trends import plot_coverage, plot_index, plot_series

__all__ = ["CITY_COLORS", "FONT", "FigureLayoutError", "HEADROOM", "KIND_STYLE", "LEGEND_BELOW", "LEGEND_OUTSIDE", "NATIONAL_WORDS", "PNG_DPI",
           "PURPOSE_COLORS", "SVG_HASHSALT", "SavedFigure", "WORDS", "add_caption", "add_headroom", "apply_style",
           "city_label", "draw_kind", "gapped", "indicator_label", "layout_problems", "national_indicator_label", "percent_axis_top", "plot_adoption_shares",
           "plot_adoption_timeline", "plot_coverage", "plot_index", "plot_issuance_trend",
           "plot_national_distribution", "plot_series", "plot_supply_usage", "plot_telework_log",
           "plot_usage_heatmap", "save_figure", "source_caption", "style_legend_handles", "usage_heatmap_parts",
           "usage_matrix",
           "with_unit_text"]
