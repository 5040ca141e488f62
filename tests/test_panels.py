"""Figures composed of several charts (dxanalysis.panels), on the fixture dataset and SYNTHETIC national frames."""

from __future__ import annotations

import pytest

from conftest import load_fixture_kpis
from dxanalysis import metrics as m
from dxanalysis import panels
from dxanalysis import plot as p
from test_summaries import CATALOGUE, CITIES, MUNICIPALITIES, NATIONAL

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


def test_distribution_grid_draws_each_indicator_in_its_own_panel_under_one_heading():
    standing = m.standing(NATIONAL, MUNICIPALITIES, lg_codes=CITIES["lg_code"])
    indicators = ["my_number_card_holding_rate", "online_supply_26_rate", "online_supply_32_rate", "online_usage_32_25"]
    fig = panels.distribution_grid(NATIONAL, standing, indicators=indicators, catalogue=CATALOGUE, lang="en")
    assert len(fig.axes) == 4 and tuple(fig.get_size_inches()) == pytest.approx((12, 8.5))
    assert fig.get_suptitle() == panels.DISTRIBUTION_TITLE["en"]
    titles = [ax.get_title() for ax in fig.axes]
    assert len(set(titles)) == 4  # one indicator each
    ja = panels.distribution_grid(NATIONAL, standing, indicators=indicators[:2], catalogue=CATALOGUE, lang="ja",
                                  shape=(1, 2), figsize=(8, 4))
    assert len(ja.axes) == 2 and ja.get_suptitle() == "全国の市区町村の分布と三市"


def test_series_grid_legend_explains_every_marker_a_panel_draws_and_no_other():
    """Half-filled (year not stated) and hollow (approximate) markers are explained when a panel draws them."""
    words = p.WORDS["en"]
    rows = KPIS[(KPIS["municipality"] == "hadano") & (KPIS["indicator"].isin(["rpa_hours_saved", "rpa_tasks"]))]
    plain = rows.assign(approximate=False, year_basis="stated")
    fig = panels.series_grid(plain, municipality="hadano", indicators=["rpa_hours_saved", "rpa_tasks"], lang="en")
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert words["approximate"] not in labels and words["year_inferred"] not in labels
    marked = plain.copy()
    first = marked.index[0]
    marked.loc[first, "year_basis"], marked.loc[first, "approximate"] = "heading", True
    fig = panels.series_grid(marked, municipality="hadano", indicators=["rpa_hours_saved", "rpa_tasks"], lang="en")
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert words["approximate"] in labels and words["year_inferred"] in labels
