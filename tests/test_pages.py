"""present.pages and present.tables: the tables and sentences notebooks 00–05 show read in one language (issue 22)."""

from __future__ import annotations

import pandas as pd
import pytest

import dxanalysis as dx
from dxanalysis import metrics as m, summaries
from dxanalysis.present import pages, tables
from dxanalysis.present.notebook import localise_provenance, start
from test_report_output import other_language


def page_of(tmp_path, lang, *outputs):
    """The outputs as a notebook page renders them (tables as HTML, sentences as Markdown)."""
    html = "".join(f'<div class="jp-RenderedHTML">{o.to_html()}</div>' if hasattr(o, "to_html") else
                   f'<div class="jp-RenderedMarkdown"><p>{o}</p></div>' for o in outputs)
    page = tmp_path / f"{lang}.html"
    page.write_text(f'<div class="jp-Cell">{html}</div>', encoding="utf-8")
    return page


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_table_and_sentence_of_notebooks_00_to_05_is_in_one_language(tmp_path, lang):
    ctx = start(lang=lang)
    kpis, cat = ctx.kpis, dx.load_indicators()
    rpa = m.select_series(kpis, indicator="rpa_hours_saved", kind="actual")
    traj = m.trajectory(kpis, municipality="hadano", indicator="rpa_hours_saved", report_year=ctx.fiscal_year)
    genai = m.select_series(kpis, municipality="hadano", indicator="genai_hours_saved", kind="target")
    ms = summaries.dated_by_several(dx.load_milestones(), min_cities=2, exclude=["other"])
    outputs = [ctx.provenance_text, pages.sources_table(dx.load_sources(), lang), pages.coverage_table(kpis, lang),
               pages.shared_text(kpis, lang), pages.shared_coverage_table(kpis, lang),
               *pages.missing_texts(kpis, cat, lang), pages.undecided_table(kpis, cat, lang),
               pages.comparability_text("online_application_rate", lang),
               pages.series_table(rpa, ["municipality", "fiscal_year", "value", "approximate", "quote"], lang),
               pages.series_table(traj, ["fiscal_year", "value", "latest_actual", "latest_actual_year", "status",
                                         "required_growth"], lang, indicator="rpa_hours_saved"),
               pages.combined_targets_table(traj, genai, lang), pages.purposes_table(dx.load_telework_log(), lang),
               pages.targets_wide_table(summaries.targets_with_latest_actual(kpis, municipality="hadano"), lang),
               pages.last_targets_table(summaries.last_targets(kpis, cat, municipality="hadano",
                                                               report_year=ctx.fiscal_year), lang),
               pages.shared_table(kpis, cat, lang), pages.milestones_table(m.first_adoptions(ms), lang),
               pages.population_sentence(kpis, lang)]
    assert other_language(page_of(tmp_path, lang, *outputs), lang, context=True) == []


def test_reader_table_refuses_a_column_or_code_it_has_no_words_for():
    with pytest.raises(KeyError, match="no reader heading for column 'lg_code'"):
        tables.reader_frame(pd.DataFrame({"lg_code": ["142077"]}), lang="ja")
    with pytest.raises(KeyError, match="no reader word for status='late'"):
        tables.reader_frame(pd.DataFrame({"status": ["late"]}), lang="en")


def test_reader_table_puts_units_and_years_into_headings_and_words_into_cells():
    wide = pd.DataFrame({2026: [20.0], 2030: [None], "latest_actual_year": [2024.0], "coverage": ["A+T"]},
                        index=pd.Index(["online_application_rate"], name="indicator"))
    frame = tables.reader_frame(wide, lang="ja", words={"coverage": "coverage"}, headings={"coverage": ("公表", "Published")})
    assert list(frame.columns) == ["指標", "2026年度", "2030年度", "最新実績の年度", "公表"]
    assert frame.iloc[0].tolist() == ["オンライン化率／オンライン申請利用率", "20", "—", "2024", "実績・目標"]
    en = tables.reader_frame(pd.DataFrame({"value": [3108.0], "required_growth": [0.1894]}), lang="en", unit="hours")
    assert list(en.columns) == ["Value (hours)", "Required annual growth"] and en.iloc[0].tolist() == ["3,108", "18.9%"]


def test_the_provenance_line_reads_in_the_reports_language():
    line = "dxanalysis 0.1.0 · pandas 3.1.1 · Python 3.11.7 · data sha256 ab12 · fiscal year 2025 · lang ja"
    assert localise_provenance(line, "ja") == ("使用ソフトウェア（dxanalysis 0.1.0、pandas 3.1.1、Python 3.11.7） · "
                                               "データ SHA-256 ab12 · 2025年度（令和7年度） · 言語 日本語")
