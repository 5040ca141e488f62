"""Figures composed of several charts (dxanalysis.panels), on the fixture dataset and SYNTHETIC national frames."""

from __future__ import annotations

import pytest

from conftest import load_fixture_kpis
from dxanalysis import panels

KPIS = load_fixture_kpis()


@pytest.fixture(autouse=True)
def _fixture_catalogue(fixture_project):
    """Indicator and city labels come from the fixture catalogue."""
    yield


def test_series_grid_puts_one_indicator_per_panel_with_one_shared_legend():
    fig = panels.series_grid(KPIS, municipality="hadano", indicators=["rpa_hours_saved", "rpa_tasks"], lang="en")
    axes = fig.axes
    assert len(axes) == 2 and all(ax.get_visible() for ax in axes)
    assert [ax.get_legend() for ax in axes] == [None, None] and len(fig.legends) == 1
    assert tuple(fig.get_size_inches()) == pytest.approx((2 * 4.6, 4.2 + 0.8))
    assert "RPA" in axes[0].get_ylabel() or "RPA" in axes[0].get_title()


def test_series_grid_wraps_after_max_cols_and_hides_the_unused_panels():
    indicators = ["rpa_hours_saved", "rpa_tasks", "online_application_rate", "genai_hours_saved"]
    fig = panels.series_grid(KPIS, municipality="hadano", indicators=indicators, lang="ja")
    assert len(fig.axes) == 6 and [ax.get_visible() for ax in fig.axes] == [True] * 4 + [False] * 2
    assert tuple(fig.get_size_inches()) == pytest.approx((3 * 4.6, 2 * 4.2 + 0.8))
    narrow = panels.series_grid(KPIS, municipality="hadano", indicators=indicators, max_cols=2, panel_size=(3.0, 2.0))
    assert len(narrow.axes) == 4 and tuple(narrow.get_size_inches()) == pytest.approx((6.0, 4.8))
