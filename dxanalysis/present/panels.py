"""Figures the notebooks compose from several charts of :mod:`dxanalysis.plot` (one axes per indicator).

Each function draws a new figure and returns it; saving it (:func:`dxanalysis.plot.save_figure`, with its
title, data and sources) stays with the notebook that shows it.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import pandas as pd

from ..analysis.releases import one_release
from . import plot


def series_grid(df: pd.DataFrame, *, municipality: str, indicators: Sequence[str], lang: str = "ja",
                max_cols: int = 3, panel_size: tuple[float, float] = (4.6, 4.2), legend_space: float = 0.8,
                legend_cols: int = 3):
    """One :func:`dxanalysis.plot.plot_series` per indicator of one municipality, ``max_cols`` to a row, with one
    legend of the line and marker styles above them (each panel's own legend removed; unused axes hidden).

    ``panel_size`` is the width and height of one panel (inches); ``legend_space`` the height added for the legend.
    """
    ncols = min(max_cols, len(indicators))
    nrows = -(-len(indicators) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(panel_size[0] * ncols, panel_size[1] * nrows + legend_space),
                             squeeze=False)
    gids = set()
    for ax, ind in zip(axes.flat, indicators):
        plot.plot_series(df, indicator=ind, municipalities=[municipality], lang=lang, ax=ax)
        ax.get_legend().remove()
        gids |= {line.get_gid() or "" for line in ax.lines}
    for ax in list(axes.flat)[len(indicators):]:
        ax.set_visible(False)
    drawn = {kind for kind in ("actual", "target") if any(g.endswith(f":{kind}") for g in gids)}
    handles = plot.style_legend_handles(lang, kinds=drawn, approximate=any(g.endswith(":approximate") for g in gids),
                                        year_inferred=any(g.endswith(":year_inferred") for g in gids))
    fig.legend(handles=handles, loc="upper center", ncols=legend_cols)  # explains every marker any panel draws
    return fig


DISTRIBUTION_TITLE = {"ja": "全国の市区町村の分布と三市", "en": "All municipalities and the three cities"}
"""The heading of :func:`distribution_grid` (``save_figure`` replaces it with the figure's title)."""


def distribution_grid(national: pd.DataFrame, standing: pd.DataFrame, *, indicators: Sequence[str],
                      catalogue: pd.DataFrame, lang: str = "ja", shape: tuple[int, int] = (2, 2),
                      figsize: tuple[float, float] = (12, 8.5)):
    """One :func:`dxanalysis.plot.plot_national_distribution` per indicator (all municipalities, the cities of
    ``standing`` marked), in a grid of ``shape`` (rows, columns) filled row by row."""
    one_release(national, "distribution_grid")
    fig, axes = plt.subplots(*shape, figsize=figsize, squeeze=False)
    for ind, ax in zip(indicators, axes.flat):
        plot.plot_national_distribution(national, indicator=ind, standing=standing, lang=lang, catalogue=catalogue, ax=ax)
    for ax in list(axes.flat)[len(indicators):]:
        ax.set_visible(False)
    fig.suptitle(DISTRIBUTION_TITLE["ja" if lang == "ja" else "en"])
    return fig


def distribution_parts(national: pd.DataFrame, standing: pd.DataFrame, *, indicators: Sequence[str],
                       catalogue: pd.DataFrame, lang: str = "ja", per_part: int = 2,
                       figsize: tuple[float, float] = (12, 4.6)) -> list:
    """:func:`distribution_grid` as pages of the PDF book: ``per_part`` panels side by side on each, at the size
    they have in the grid (the whole 2 × 2 grid would print its legends below 6 pt on an A4 page)."""
    one_release(national, "distribution_parts")
    chunks = [list(indicators[k:k + per_part]) for k in range(0, len(indicators), per_part)]
    return [distribution_grid(national, standing, indicators=chunk, catalogue=catalogue, lang=lang,
                              shape=(1, per_part), figsize=figsize) for chunk in chunks]
