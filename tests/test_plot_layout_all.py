"""The layout budget for every kind of figure the notebooks save (issue 22), on the drawn artists:
the plot area takes at least 60 % of the figure's width, and no label is broken inside a word — neither a label
the code writes with a line break nor one the layout wraps (``layout._wrap_long_ylabels`` / ``_wrap_long_titles``).

Data: the frozen fixture dataset and the SYNTHETIC national frames of ``tests/test_national_analysis.py``."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.text import Text

from conftest import load_fixture_documents_kpis
from test_national_analysis import CATALOGUE as NATIONAL_CATALOGUE
from test_national_analysis import CITIES, NATIONAL, STANDING, synthetic_cards
from test_plot import GROWTH

from dxanalysis import metrics as m
from dxanalysis import plot as p
from dxanalysis.present import panels
from dxanalysis.present.layout import label_breaks, set_figure_title

p.apply_style()  # the Japanese font, whichever test runs first
KPIS = load_fixture_documents_kpis()
MIN_PLOT_SHARE = 0.6
PERIOD = "FY2022 (令和4年度)"
CATALOGUE = NATIONAL_CATALOGUE.assign(reference_period=PERIOD)  # SYNTHETIC: one period for every measure

SYNTHETIC_LOG = pd.DataFrame({  # SYNTHETIC telework-PC log: made-up records over one fiscal year
    "start_date": pd.to_datetime(["2024-04-08", "2024-07-01", "2024-09-02", "2024-09-10", "2025-01-15", "2025-03-03"]),
    "purpose_group": ["在宅勤務", "出張", "在宅勤務", "研修", "在宅勤務", "出張"],
})
SYNTHETIC_LOG["month"] = SYNTHETIC_LOG["start_date"].dt.strftime("%Y-%m")
MILESTONES = pd.DataFrame({"municipality": ["hadano", "chigasaki", "minamiboso"], "category": ["rpa", "rpa", "telework"],
                           "date": ["", "", ""], "fiscal_year": pd.array([2019, 2022, 2024], dtype="Int64"),
                           "status": ["done", "done", "planned"]})


def _fig(ax_or_fig):
    return ax_or_fig if isinstance(ax_or_fig, plt.Figure) else ax_or_fig.figure


FIGURES = {  # one builder per figure kind the notebooks save: (lang) -> Axes or Figure
    "series": lambda lang: p.plot_series(KPIS, indicator="online_application_rate", lang=lang),
    "growth_index": lambda lang: p.plot_index(GROWTH, lang=lang),
    "coverage": lambda lang: p.plot_coverage(KPIS, lang=lang),
    "adoption_timeline": lambda lang: p.plot_adoption_timeline(MILESTONES, lang=lang),
    "telework_log": lambda lang: p.plot_telework_log(SYNTHETIC_LOG, lang=lang),
    "series_grid": lambda lang: panels.series_grid(KPIS, municipality="hadano", lang=lang,
                                                   indicators=["rpa_hours_saved", "rpa_tasks", "online_application_rate"]),
    "distribution_grid": lambda lang: panels.distribution_grid(
        NATIONAL, STANDING, catalogue=CATALOGUE, lang=lang,
        indicators=["my_number_card_holding_rate", "online_supply_26_rate", "online_supply_32_rate", "online_usage_32_01"]),
    "adoption_shares": lambda lang: p.plot_adoption_shares(STANDING, catalogue=CATALOGUE, lang=lang),
    "supply_usage": lambda lang: p.plot_supply_usage(m.supply_usage(NATIONAL, lg_codes=CITIES, catalogue=CATALOGUE),
                                                     lang=lang, catalogue=CATALOGUE),
    "issuance_trend": lambda lang: p.plot_issuance_trend(synthetic_cards(), lg_codes=CITIES, lang=lang),
    "usage_heatmap": lambda lang: p.plot_usage_heatmap(STANDING, catalogue=CATALOGUE, lang=lang),
}


def plot_share(fig) -> float:
    """From the left edge of the leftmost plot area to the right edge of the rightmost, as a share of the figure's
    width (visible axes; a colour bar is a key, not a plot area)."""
    boxes = [ax.get_position() for ax in fig.axes if ax.get_visible() and not hasattr(ax, "_colorbar")]
    return max(b.x1 for b in boxes) - min(b.x0 for b in boxes)


def _texts(fig) -> list[Text]:
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def wrapped_inside_a_word(before: str, after: str) -> list[str]:
    """Breaks the layout inserted into ``before`` that are not between words (:func:`layout.label_breaks`: before
    an opening bracket, after ／・、 or a space)."""
    allowed = set(label_breaks(before)) | {i for i, c in enumerate(before) if c == " "}
    bad, pos = [], 0
    for line in after.split("\n")[:-1]:
        pos = before.index(line, pos) + len(line) if line else pos
        while pos < len(before) and before[pos] == " ":
            pos += 1
        if pos not in allowed:
            bad.append(f"{before[max(0, pos - 6):pos]}|{before[pos:pos + 6]}")
    return bad


def _laid_out(kind: str, lang: str):
    fig = _fig(FIGURES[kind](lang))
    before = {id(t): t.get_text() for t in _texts(fig)}
    if len([ax for ax in fig.axes if ax.get_visible()]) > 1 and not fig.get_suptitle():
        fig.suptitle("図のタイトル" if lang == "ja" else "Figure title")
    p.add_caption(fig, p.source_caption(["hadano_dx_plan_draft_2025"], lang))
    return fig, before


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("kind", sorted(FIGURES))
def test_every_figure_kind_keeps_60_percent_of_the_width_for_its_plot(kind, lang):
    fig, _ = _laid_out(kind, lang)
    assert plot_share(fig) >= MIN_PLOT_SHARE, f"{kind}: plot area {plot_share(fig):.0%} of the width"
    plt.close(fig)


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("kind", sorted(FIGURES))
def test_no_label_of_any_figure_kind_is_broken_inside_a_word(kind, lang):
    fig, before = _laid_out(kind, lang)
    for t in _texts(fig):
        text = t.get_text()
        if id(t) in before and before[id(t)] != text:
            assert wrapped_inside_a_word(before[id(t)], text) == [], (kind, before[id(t)], text)
    plt.close(fig)


def test_the_word_checks_can_fail():
    assert wrapped_inside_a_word("Online application rate", "Online appli\ncation rate")
    assert wrapped_inside_a_word("Online application rate", "Online\napplication rate") == []
    assert wrapped_inside_a_word("オンライン化率／オンライン申請利用率（%）", "オンライン化率／オン\nライン申請利用率（%）")
    assert wrapped_inside_a_word("オンライン化率／オンライン申請利用率（%）", "オンライン化率／\nオンライン申請利用率（%）") == []
    wide = plt.figure(figsize=(10, 4))
    narrow = wide.add_axes((0.45, 0.1, 0.3, 0.8))
    assert plot_share(narrow.figure) < MIN_PLOT_SHARE


NATIONAL_PANELS = ["adoption_shares", "distribution_grid", "supply_usage", "usage_heatmap"]


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("kind", NATIONAL_PANELS)
def test_every_national_panel_states_its_reference_period(kind, lang):
    """A reader of one panel knows which year (or date) it shows: the catalogue's reference period is in its title."""
    from dxanalysis.analysis.national_summaries import period_label

    fig = _fig(FIGURES[kind](lang))
    panels_drawn = [ax for ax in fig.axes if ax.get_visible() and not hasattr(ax, "_colorbar")]
    assert panels_drawn and all(period_label(PERIOD, lang) in ax.get_title() for ax in panels_drawn), \
        [ax.get_title() for ax in panels_drawn]
    set_figure_title(fig, "図のタイトル" if lang == "ja" else "Figure title")  # as save_figure titles it
    assert all(period_label(PERIOD, lang) in ax.get_title() for ax in panels_drawn), "the figure's title replaced it"
    plt.close(fig)
