"""Charts: what was drawn (not pixels), labels from the catalogue, byte-stable files."""

from __future__ import annotations

import hashlib
import warnings

import numpy as np
import pytest

from dxanalysis import load_kpis, load_telework_log
from dxanalysis import plot as p

KPIS = load_kpis()


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
    assert labels == ["茅ヶ崎市", "秦野市", "実績", "目標", "概数（約・程度など）"]


@pytest.mark.parametrize("lang, ylabel, xlabel", [
    ("ja", "テレワーク件数（件）", "年度"),
    ("en", "Telework cases per year (件)", "Fiscal year"),
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
    ("en", "rate", "Source: 茅ヶ崎市「令和7年度"),
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
