"""Charts: what was drawn (not pixels), labels from the catalogue, byte-stable files."""

from __future__ import annotations

import hashlib
import warnings

import numpy as np
import pandas as pd
import pytest

import dxanalysis
from dxanalysis import config, load_kpis, load_sources, load_telework_log
from dxanalysis import plot as p
from conftest import load_fixture_documents_kpis, use_national_sources

KPIS = load_fixture_documents_kpis()
"""KPI figures from the frozen fixture dataset (its rows from real documents): a new year in data/ cannot change them."""


def test_series_draws_actuals_solid_and_targets_dashed_in_city_colours():
    ax = p.plot_series(KPIS, indicator="online_application_rate")
    lines = {line.get_gid(): line for line in ax.lines}
    np.testing.assert_array_equal(lines["chigasaki:actual"].get_xydata(), [[2023, 13], [2024, 15]])
    np.testing.assert_array_equal(lines["chigasaki:target"].get_xydata(), [[2025, 100]])
    np.testing.assert_array_equal(lines["hadano:target"].get_xydata()[:, 1], [20, 25, 30, 35, 40])
    assert lines["chigasaki:actual"].get_linestyle() == "-" and lines["hadano:target"].get_linestyle() == "--"
    assert lines["chigasaki:actual"].get_color() == p.CITY_COLORS["chigasaki"]
    assert lines["hadano:target"].get_color() == p.CITY_COLORS["hadano"]


def test_approximate_values_are_hollow_and_explained_in_the_legend():
    ax = p.plot_series(KPIS, indicator="online_application_rate")
    approx = next(line for line in ax.lines if line.get_gid() == "chigasaki:actual:approximate")
    np.testing.assert_array_equal(approx.get_xydata(), [[2023, 13], [2024, 15]])  # 約13%, 15%程度
    assert approx.get_markerfacecolor() == "white"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["茅ヶ崎市", "秦野市", "実績", "目標", "概数（約・程度など）",
                      "年度は見出し・配置等から判断（本文に年度の明記なし）"]  # 秦野市 targets: year from the table layout


@pytest.mark.parametrize("lang, ylabel, xlabel", [
    ("ja", "テレワーク件数（件）", "年度"),
    ("en", "Telework cases per year (count)", "Fiscal year"),
])
def test_labels_come_from_the_catalogue(lang, ylabel, xlabel):
    ax = p.plot_series(KPIS, indicator="telework_count", lang=lang)
    assert (ax.get_ylabel(), ax.get_xlabel()) == (ylabel, xlabel)


def test_unknown_language_is_refused():
    with pytest.raises(ValueError):
        p.plot_series(KPIS, indicator="telework_count", lang="fr")


def test_telework_log_bars_count_records_per_month():
    log = load_telework_log()
    ax = p.plot_telework_log(log)
    heights = {}
    for patch in ax.patches:
        x = round(patch.get_x() + patch.get_width() / 2)
        heights[x] = heights.get(x, 0) + patch.get_height()
    # April 2024 … March 2025: 1 0 0 1 3 9 1 6 8 2 1 2 records (34 in all)
    assert [heights.get(i, 0) for i in range(12)] == [1, 0, 0, 1, 3, 9, 1, 6, 8, 2, 1, 2]
    assert sum(heights.values()) == len(log) == 34


def test_coverage_heatmap_counts_indicators():
    ax = p.plot_coverage(KPIS)
    texts = {t.get_text() for t in ax.texts}
    n = KPIS.query("municipality == 'chigasaki' and kind == 'actual' and fiscal_year == 2024")["indicator"].nunique()
    assert str(n) in texts


def test_no_missing_glyphs_when_rendering_japanese(tmp_path):
    ax = p.plot_series(KPIS, indicator="rpa_hours_saved")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p.save_figure(ax.figure, "glyphs", data=KPIS.head(2), sources=["hadano_dx_plan_draft_2025"],
                      title="t", directory=tmp_path)


def _render(directory, lang):
    ax = p.plot_series(KPIS, indicator="online_application_rate", lang=lang)
    return p.save_figure(ax.figure, "online_application_rate_by_city", data=KPIS.head(3),
                         sources=["chigasaki_progress_fy2024"], title={"ja": "率", "en": "rate"}, lang=lang,
                         directory=directory)


@pytest.mark.parametrize("lang, title, caption", [
    ("ja", "率", "出典: 茅ヶ崎市「令和7年度"),
    ("en", "rate", "Source: Chigasaki City: FY2025 progress report"),  # the publisher and title rendered in English
])
def test_sidecar_carries_the_title_and_caption_in_the_figures_language(tmp_path, lang, title, caption):
    import json

    side = json.loads(_render(tmp_path, lang)[3].read_text(encoding="utf-8"))
    assert side["title"] == title and side["caption"].startswith(caption) and side["lang"] == lang


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_saved_files_are_byte_identical_when_regenerated(tmp_path, lang):
    first = _render(tmp_path / "a", lang)
    second = _render(tmp_path / "b", lang)
    assert [f.name for f in first] == [f.name for f in second]
    for a, b in zip(first, second):
        assert hashlib.sha256(a.read_bytes()).digest() == hashlib.sha256(b.read_bytes()).digest(), a.name
    assert first[0].name == ("online_application_rate_by_city.png" if lang == "ja" else
                             "online_application_rate_by_city_en.png")


def test_png_is_300_dpi_and_svg_has_no_date(tmp_path):
    from PIL import Image

    png, svg, *_ = _render(tmp_path, "ja")
    assert round(Image.open(png).info["dpi"][0]) == 300
    assert b"<dc:date>" not in svg.read_bytes()


def test_caption_names_the_sources():
    caption = p.source_caption(["minamiboso_dx_status_2025"])
    assert caption == "出典: 南房総市「南房総市DX推進方針の取り組み状況等について」(2025-03)"


def test_adoption_timeline_draws_each_citys_first_year_per_category():
    import pandas as pd

    ms = pd.DataFrame({
        "municipality": ["hadano", "hadano", "minamiboso", "minamiboso", "chigasaki", "chigasaki"],
        "category": ["rpa", "rpa", "rpa", "telework", "telework", "rpa"],
        "date": ["2020", "", "2021-08", "", "", ""],
        "fiscal_year": pd.array([pd.NA, 2021, 2021, 2026, 2023, 2030], dtype="Int64"),
        "status": ["done", "done", "done", "planned", "done", "planned"],
    })
    ax = p.plot_adoption_timeline(ms, lang="en")
    pts = {line.get_gid(): line.get_xydata() for line in ax.lines}
    # rows: rpa (first year 2020) above telework (2023); cities offset within a row, chigasaki first
    assert set(pts) == {"hadano:done:calendar", "minamiboso:done:fiscal", "minamiboso:planned:fiscal",
                        "chigasaki:done:fiscal", "chigasaki:planned:fiscal"}
    np.testing.assert_allclose(pts["hadano:done:calendar"], [[2020, 0.0]])  # 令和2年: a square
    np.testing.assert_allclose(pts["minamiboso:done:fiscal"], [[2021, 0.22]])
    np.testing.assert_allclose(pts["minamiboso:planned:fiscal"], [[2026, 1.22]])
    np.testing.assert_allclose(pts["chigasaki:done:fiscal"], [[2023, 0.78]])
    np.testing.assert_allclose(pts["chigasaki:planned:fiscal"], [[2030, -0.22]])  # nothing done in rpa yet
    assert [t.get_text() for t in ax.get_yticklabels()] == ["RPA", "Telework"]
    lines = {line.get_gid(): line for line in ax.lines}
    assert lines["minamiboso:planned:fiscal"].get_markerfacecolor() == "white"
    assert lines["hadano:done:calendar"].get_marker() == "s"
    assert [t.get_text() for t in ax.get_legend().get_texts()][-1].startswith("calendar year only")


# --- labels: English units, no doubled brackets -------------------------------------------------------------

def test_every_unit_has_an_english_unit_and_english_labels_use_it():
    import re

    cat = dxanalysis.load_indicators()
    has_unit = cat[cat["unit"] != ""]
    assert (has_unit["unit_en"] != "").all(), list(has_unit.index[has_unit["unit_en"] == ""])
    assert has_unit["unit_en"].str.contains(r"[A-Za-z%]").all()
    for ind, row in has_unit.iterrows():
        label = p.indicator_label(ind, "en")
        assert label.endswith(f"{row['unit_en']})"), label
        assert not re.search(r"[\u3040-\u30ff\u4e00-\u9fff]\)$", label.replace(row["unit_en"], "")) or \
            row["name_en"].endswith(")"), label


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_no_label_closes_a_bracket_and_opens_another_for_its_unit(lang):
    import re

    cat = dxanalysis.load_indicators()
    for ind in cat.index[cat["unit"] != ""]:
        label, unit = p.indicator_label(ind, lang), cat.at[ind, "unit" if lang == "ja" else "unit_en"]
        assert not re.search(r"[）)]\s*[（(]" + re.escape(unit) + r"[）)]$", label), label
        assert label.endswith((f"（{unit}）", f"、単位：{unit}）", f"、単位：{unit})", f"({unit})", f"; {unit})")), label


def test_rpa_label_reads_as_one_bracket():
    assert p.indicator_label("rpa_hours_saved") == "RPAによる業務削減時間（年間、単位：時間）"
    assert p.indicator_label("rpa_hours_saved", "en") == "Work hours saved by RPA per year (hours)"


# --- layout: headroom, legends clear of the data, titles -------------------------------------------------

def _points_px(ax):
    ax.figure.canvas.draw()
    return np.vstack([line.get_transform().transform(line.get_xydata()) for line in ax.lines if len(line.get_xydata())])


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("indicator", ["rpa_hours_saved", "my_number_card_holding_rate", "online_application_rate",
                                       "telework_count", "online_procedures", "genai_hours_saved"])
def test_series_figures_have_headroom_and_legends_clear_of_every_point(indicator, lang):
    ax = p.plot_series(KPIS, indicator=indicator, lang=lang)
    p.add_caption(ax.figure, p.source_caption(KPIS["source_id"].unique()[:2], lang))
    assert p.layout_problems(ax.figure) == []
    top = np.nanmax(np.concatenate([np.asarray(line.get_ydata(), dtype=float) for line in ax.lines]))
    assert ax.get_ylim()[1] >= top * (1 + p.HEADROOM) - 1e-9
    legend = ax.get_legend().get_window_extent()
    pts = _points_px(ax)
    assert not ((pts[:, 0] >= legend.x0) & (pts[:, 0] <= legend.x1) & (pts[:, 1] >= legend.y0)
                & (pts[:, 1] <= legend.y1)).any()


def test_layout_check_reports_a_legend_over_a_point_and_a_marker_on_the_frame():
    import matplotlib.pyplot as plt

    p.apply_style()
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot([0, 1, 2], [0, 5, 10], marker="o", gid="city:actual", label="x")
    ax.set_ylim(0, 10)  # the last point sits on the frame
    ax.legend(loc="center")  # over the middle point
    problems = p.layout_problems(fig)
    assert any("under a legend" in m for m in problems)
    assert any("no headroom" in m for m in problems)


def test_save_figure_refuses_a_figure_whose_legend_covers_data(tmp_path):
    import matplotlib.pyplot as plt

    p.apply_style()
    fig, ax = plt.subplots()
    ax.plot([2024, 2025, 2026], [1, 1, 1], marker="o", label="a")
    ax.legend(loc="center")
    with pytest.raises(p.FigureLayoutError, match="under a legend"):
        p.save_figure(fig, "bad", data=KPIS.head(1), sources=["chigasaki_progress_fy2024"], title="t",
                      directory=tmp_path)
    assert not (tmp_path / "bad.png").exists()


def test_telework_log_bars_have_headroom_and_an_outside_legend():
    ax = p.plot_telework_log(load_telework_log())
    p.add_caption(ax.figure, p.source_caption(["minamiboso_dx_status_2025"]))
    assert p.layout_problems(ax.figure) == []
    assert ax.get_ylim()[1] > 9


def test_figure_title_is_the_title_the_index_shows(tmp_path):
    import json

    ax = p.plot_series(KPIS, indicator="my_number_card_holding_rate")
    saved = p.save_figure(ax.figure, "card", data=KPIS.head(1), sources=["hadano_dx_plan_draft_2025"],
                          title={"ja": "マイナンバーカード保有率（市別）", "en": "x"}, directory=tmp_path)
    side = json.loads(saved[3].read_text(encoding="utf-8"))
    assert ax.get_title() == side["title"] == "マイナンバーカード保有率（市別）"


def test_a_figure_with_several_axes_gets_the_title_above_its_legend(tmp_path):
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(9, 4))
    for ax, ind in zip(axes, ["rpa_hours_saved", "rpa_tasks"]):
        p.plot_series(KPIS, indicator=ind, municipalities=["hadano"], ax=ax)
        ax.get_legend().remove()
    fig.legend(handles=p.style_legend_handles("ja"), loc="upper center", ncols=3)
    p.save_figure(fig, "grid", data=KPIS.head(1), sources=["hadano_dx_plan_draft_2025"], title="秦野市：二つの系列",
                  directory=tmp_path)
    assert fig._suptitle.get_text() == "秦野市：二つの系列"
    title, legend = fig._suptitle.get_window_extent(), fig.legends[0].get_window_extent()
    assert legend.y1 <= title.y0 + 1 and all(legend.y0 >= ax.get_window_extent().y1 for ax in axes)


def test_save_figure_prints_no_paths():
    saved = p.SavedFigure([config.FIGURES_DIR / "x.png", config.FIGURES_DIR / "data" / "x.csv"])
    assert repr(saved) == "SavedFigure(x.png, data/x.csv)"
    assert "PosixPath" not in repr(saved) and str(config.FIGURES_DIR) not in repr(saved)
    assert saved._ipython_display_() is None  # IPython shows nothing for it


# --- year_basis and estimates (columns of the data contract) ---------------------------------------------

def _frame(**extra):
    import pandas as pd

    base = {"municipality": ["hadano"] * 5, "indicator": ["rpa_hours_saved"] * 5,
            "kind": ["actual", "actual", "target", "target", "estimate"],
            "fiscal_year": [2023, 2024, 2026, 2027, 2025], "value": [100.0, 200.0, 300.0, 400.0, 9000.0],
            "approximate": [False] * 5}
    base.update(extra)
    return pd.DataFrame(base)


def test_points_whose_year_is_not_stated_are_half_filled_and_explained():
    ax = p.plot_series(_frame(year_basis=["stated", "heading", "stated", "layout", "stated"]),
                       indicator="rpa_hours_saved")
    lines = {line.get_gid(): line for line in ax.lines}
    np.testing.assert_array_equal(lines["hadano:actual:year_inferred"].get_xydata(), [[2024, 200]])
    np.testing.assert_array_equal(lines["hadano:target:year_inferred"].get_xydata(), [[2027, 400]])
    assert lines["hadano:actual:year_inferred"].get_fillstyle() == "bottom"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[-1] == p.WORDS["ja"]["year_inferred"]


def test_without_year_basis_nothing_changes_and_estimates_are_not_drawn():
    ax = p.plot_series(_frame(), indicator="rpa_hours_saved")
    lines = {line.get_gid(): line for line in ax.lines}
    assert set(lines) == {"hadano:actual", "hadano:target"}
    np.testing.assert_array_equal(lines["hadano:target"].get_xydata(), [[2026, 300], [2027, 400]])
    assert ax.get_ylim()[1] < 9000  # the estimate does not stretch the axis
    assert p.WORDS["ja"]["year_inferred"] not in [t.get_text() for t in ax.get_legend().get_texts()]


# --- captions from both source tables -----------------------------------------------------------------

def test_caption_reads_the_national_source_records_with_their_attribution(tmp_path, monkeypatch):
    from dxanalysis import citations

    use_national_sources(tmp_path, monkeypatch,
                         "dx_dashboard,自治体DXの取組に関するダッシュボード,デジタル庁,2024-07-12,https://www.digital.go.jp/,"
                         "PDL1.0,出典：デジタル庁「自治体DXの取組に関するダッシュボード」を加工して作成")
    caption = p.source_caption(["dx_dashboard", "minamiboso_dx_status_2025"])
    assert caption == ("出典: 出典：デジタル庁「自治体DXの取組に関するダッシュボード」を加工して作成 (2024-07-12); "
                       "南房総市「南房総市DX推進方針の取り組み状況等について」(2025-03)")
    src = citations.all_sources()
    assert src.at["dx_dashboard", "date"] == "2024-07-12" and src.at["dx_dashboard", "licence"] == "PDL1.0"
    assert citations.where_found("dx_dashboard").startswith("https://www.digital.go.jp/")


@pytest.mark.data  # an invariant of the bundled data/sources.csv
def test_every_source_says_where_it_is_found_and_invents_no_url():
    src = load_sources()
    assert (src["found_at_ja"] != "").all() and (src["found_at_en"] != "").all()
    assert (src["url"] == "").all()  # no document URL is stated in the seed texts
    assert src["found_at_en"].str.contains("URL").all()


def test_legend_explains_only_the_kinds_drawn():
    ax = p.plot_series(KPIS, indicator="telework_count", municipalities=["chigasaki"], lang="en")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Chigasaki", "actual"]


def test_spans_reaching_the_frame_are_not_bars_without_headroom():
    ax = p.plot_series(KPIS, indicator="online_application_rate")
    ax.axvspan(2025.5, 2030.5, color="0.9", zorder=0)  # e.g. a plan period
    p.add_caption(ax.figure, "出典: x")
    assert p.layout_problems(ax.figure) == []


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_label_longer_than_its_axes_is_wrapped_inside_the_figure(lang):
    ax = p.plot_series(KPIS, indicator="online_procedures", lang=lang)
    p.add_caption(ax.figure, p.source_caption(["hadano_dx_plan_draft_2025"], lang))
    assert p.layout_problems(ax.figure) == []
    label = ax.yaxis.label.get_window_extent()
    assert ax.figure.bbox.y0 <= label.y0 and label.y1 <= ax.figure.bbox.y1


def test_layout_check_reports_text_off_the_figure():
    import matplotlib.pyplot as plt

    p.apply_style()
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot([0, 1], [0, 1])
    ax.set_title("a title far too long for a figure three inches wide, running off both sides")
    assert any("runs off the figure" in m for m in p.layout_problems(fig))


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_title_wider_than_the_figure_is_wrapped(tmp_path, lang):
    ax = p.plot_series(KPIS, indicator="telework_count", lang=lang)
    long = ("Share of municipalities adopting each measure (national, prefecture, size peers; "
            "municipalities not surveyed are left out of the denominator)")
    p.save_figure(ax.figure, "long", data=KPIS.head(1), sources=["chigasaki_progress_fy2024"],
                  title={"ja": "取組を実施している団体の割合（全国・同じ都道府県・同規模団体。調査無しは分母から除く）" * 2,
                         "en": long}, lang=lang, directory=tmp_path)
    assert "\n" in ax.get_title() and ax.get_title().replace("\n", "").replace(" ", "") != ""


# --- the visual grammar (style.KIND_STYLE): kinds, gaps, plot-area share --------------------------------------


def bridged_years(line) -> list[tuple[float, float]]:
    """Segments of a drawn line that join two points more than one fiscal year apart (a bridged gap)."""
    xy = np.asarray(line.get_xydata(), dtype=float)
    drawn = np.isfinite(xy).all(axis=1)
    if line.get_linestyle() in ("None", "none", " ", ""):
        return []
    return [(xy[i, 0], xy[i + 1, 0]) for i in range(len(xy) - 1)
            if drawn[i] and drawn[i + 1] and xy[i + 1, 0] - xy[i, 0] != 1]


def plot_share(ax) -> float:
    """The width of the plot area as a share of the figure's width (after the caption laid it out)."""
    p.add_caption(ax.figure, p.source_caption(["hadano_dx_plan_draft_2025"]))
    return ax.get_position().width


GROWTH = pd.DataFrame({  # 秦野市 two actual series with FY2022-2023 missing; 茅ヶ崎市 one without gaps
    "municipality": ["hadano"] * 5 + ["chigasaki"] * 2,
    "indicator": ["rpa_hours_saved"] * 3 + ["online_procedures"] * 2 + ["telework_count"] * 2,
    "fiscal_year": [2021, 2024, 2025, 2021, 2024, 2023, 2024],
    "index": [100.0, 180.0, 210.0, 100.0, 140.0, 100.0, 120.0],
})


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_growth_index_draws_every_actual_solid_with_a_gap_at_missing_years(lang):
    ax = p.plot_index(GROWTH, lang=lang)
    lines = {line.get_gid(): line for line in ax.lines if line.get_gid()}
    assert set(lines) == {"hadano:rpa_hours_saved:actual", "hadano:online_procedures:actual",
                          "chigasaki:telework_count:actual"}
    assert {line.get_linestyle() for line in lines.values()} == {"-"}  # never the dashes that mean target
    assert {line.get_markerfacecolor() for line in lines.values()} == set(p.CITY_COLORS[c] for c in ("hadano", "chigasaki"))
    assert lines["hadano:rpa_hours_saved:actual"].get_marker() != lines["hadano:online_procedures:actual"].get_marker()
    np.testing.assert_array_equal(lines["hadano:rpa_hours_saved:actual"].get_xdata(), [2021, 2022, 2024, 2025])
    assert np.isnan(lines["hadano:rpa_hours_saved:actual"].get_ydata()[1])  # 2021 → 2024 is a gap, not a line
    assert [bridged_years(line) for line in ax.lines] == [[] for _ in ax.lines]
    assert plot_share(ax) >= 0.6


def test_series_targets_are_dashed_open_squares_and_actuals_solid_filled_circles():
    ax = p.plot_series(KPIS, indicator="online_application_rate")
    lines = {line.get_gid(): line for line in ax.lines}
    actual, target = lines["chigasaki:actual"], lines["hadano:target"]
    assert (actual.get_linestyle(), actual.get_marker(), actual.get_markerfacecolor()) == ("-", "o",
                                                                                        p.CITY_COLORS["chigasaki"])
    assert (target.get_linestyle(), target.get_marker(), target.get_markerfacecolor()) == ("--", "s", "white")
    handles = {h.get_label(): h for h in ax.get_legend().legend_handles}
    assert (handles["目標"].get_linestyle(), handles["目標"].get_marker()) == ("--", "s")


def test_estimates_are_never_a_line():
    import matplotlib.pyplot as plt

    _, ax = plt.subplots()
    line = p.draw_kind(ax, [2021, 2022, 2023], [1, 2, 3], kind="estimate", color="k")
    assert line.get_linestyle() == "None" and line.get_marker() == "D"


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("indicator", ["rpa_hours_saved", "my_number_card_holding_rate", "online_application_rate",
                                       "telework_count", "online_procedures", "genai_hours_saved"])
def test_series_charts_bridge_no_missing_year_and_keep_60_percent_of_the_width(indicator, lang):
    ax = p.plot_series(KPIS, indicator=indicator, lang=lang)
    assert [bridged_years(line) for line in ax.lines] == [[] for _ in ax.lines]
    assert plot_share(ax) >= 0.6
    assert p.layout_problems(ax.figure) == []


def test_a_gap_in_a_series_is_drawn_as_a_gap():
    rows = KPIS[(KPIS["indicator"] == "online_application_rate") & (KPIS["municipality"] == "chigasaki")
                & (KPIS["kind"] == "actual")]
    earlier = rows.head(1).assign(fiscal_year=2020, value=9.0)  # FY2020, then nothing until FY2023
    ax = p.plot_series(pd.concat([rows, earlier]), indicator="online_application_rate")
    line = next(line for line in ax.lines if line.get_gid() == "chigasaki:actual")
    np.testing.assert_array_equal(line.get_xdata(), [2020, 2021, 2023, 2024])
    np.testing.assert_array_equal(line.get_ydata(), [9, np.nan, 13, 15])
    assert bridged_years(line) == []


def test_adoption_timeline_keeps_the_2020s_readable_when_one_start_is_early():
    ms = pd.DataFrame({"municipality": ["hadano", "chigasaki", "minamiboso"], "category": ["rpa", "rpa", "telework"],
                       "date": ["", "", ""], "fiscal_year": pd.array([1985, 2022, 2024], dtype="Int64"),
                       "status": ["done", "done", "planned"]})
    ax = p.plot_adoption_timeline(ms, lang="ja")
    assert ax.get_xlim() == (2013.4, 2024.6)  # ten years before the latest point, not from 1985
    early = [t for t in ax.texts if t.get_gid() == "hadano:done:before_axis"]
    assert [t.get_text() for t in early] == ["← 1985"]
    assert ax.lines[0].get_xdata()[0] >= 2014
    assert plot_share(ax) >= 0.6


def test_coverage_shows_every_year_between_the_first_and_the_last_so_gaps_are_visible():
    gap = KPIS.head(1).assign(fiscal_year=2015)
    ax = p.plot_coverage(pd.concat([KPIS, gap]))
    years = [int(t.get_text()) for t in ax.get_xticklabels()]
    assert years == list(range(2015, max(years) + 1))  # 2016 … sit between 2015 and the next year with data


def test_growth_index_marks_and_explains_approximate_and_year_not_stated_points():
    words = p.WORDS["en"]
    plain = p.plot_index(GROWTH, lang="en")
    labels = [t.get_text() for t in plain.get_legend().get_texts()]
    assert words["approximate"] not in labels and words["year_inferred"] not in labels
    marked = GROWTH.assign(approximate=[True] + [False] * 6, year_basis=["stated"] * 6 + ["heading"])
    ax = p.plot_index(marked, lang="en")
    lines = {line.get_gid(): line for line in ax.lines if line.get_gid()}
    approx = lines["hadano:rpa_hours_saved:approximate"]
    assert approx.get_markerfacecolor() == "white" and list(approx.get_xdata()) == [2021]
    assert "hadano:online_procedures:approximate" not in lines
    assert lines["chigasaki:telework_count:year_inferred"].get_fillstyle() == "bottom"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert words["approximate"] in labels and words["year_inferred"] in labels
