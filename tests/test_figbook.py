"""The PDF figure book: one page per figure with its sources, byte-identical across runs, no metadata dates."""

from __future__ import annotations

import hashlib

import pytest

from conftest import load_fixture_documents_kpis

from dxanalysis import figbook, load_kpis
from dxanalysis import plot as p
from dxanalysis.present.manifest import figure_records

KPIS = load_fixture_documents_kpis()
"""KPI figures from the frozen fixture dataset (its rows from real documents): a new year in data/ cannot change them."""


@pytest.fixture(scope="module")
def figures(tmp_path_factory):
    """Two figures in each language, saved as the notebooks save them."""
    directory = tmp_path_factory.mktemp("figures")
    for lang in ("ja", "en"):
        for ind in ("rpa_hours_saved", "telework_count"):
            ax = p.plot_series(KPIS, indicator=ind, lang=lang)
            data = KPIS[KPIS["indicator"] == ind]
            p.save_figure(ax.figure, ind, data=data, sources=data["source_id"].unique(),
                          title={"ja": f"図 {ind}", "en": f"Figure {ind}"}, lang=lang, directory=directory)
    return directory


def _book(figures, out, lang="ja"):
    return figbook.write_figure_book(figure_records(lang, figures), out / f"figures_{lang}.pdf", lang=lang,
                                     figures_dir=figures)


def test_book_is_byte_identical_across_runs_and_carries_no_dates(figures, tmp_path):
    first = _book(figures, tmp_path / "a")
    second = _book(figures, tmp_path / "b")
    data = first.read_bytes()
    assert hashlib.sha256(data).digest() == hashlib.sha256(second.read_bytes()).digest()
    for key in (b"/CreationDate", b"/ModDate", b"/Producer", b"/Creator"):
        assert key not in data, key


def test_one_page_per_figure_after_the_contents_page(figures, tmp_path):
    data = _book(figures, tmp_path).read_bytes()
    assert data.count(b"/Type /Page") - data.count(b"/Type /Pages") == 3  # contents + two figures


def test_pages_name_each_source_with_date_and_where_it_is_found():
    lines = figbook.source_lines(["chigasaki_dx_policy_2023"], "en")
    assert lines[0] == ("• Chigasaki City, Planning Department, Digital Promotion Division, Chigasaki City digitalisation "
                        "policy (『茅ヶ崎市デジタル化推進方針』) (2023-03)")  # issue 22: English, the title in 『』
    assert figbook.source_lines(["chigasaki_dx_policy_2023"], "ja")[0] == "• 茅ヶ崎市 企画部デジタル推進課「茅ヶ崎市デジタル化推進方針」(2023-03)"
    assert lines[1].startswith("   Where to find it: Published by Chigasaki City, Planning Dept., Digital Promotion Division")


def test_books_are_written_for_each_language_with_figures(figures, tmp_path):
    written = figbook.write_figure_books(tmp_path, figures)
    assert [w.name for w in written] == ["figures_ja.pdf", "figures_en.pdf"]


def test_a_source_without_a_date_says_so_in_the_book_and_the_index(tmp_path):
    from dxanalysis.present.report import write_index

    lines = figbook.source_lines(["localgovjp"], "ja")
    assert "   日付: 資料から確定できない" in lines
    assert "   Date: not established" in figbook.source_lines(["localgovjp"], "en")
    records = [{"name": "n", "title": "t", "caption": "c", "lang": "en", "sources": ["localgovjp"], "png": "n.png",
                "svg": "n.svg", "data": "data/n.csv"}]
    index = write_index(records, [], tmp_path, lang="en", provenance="p").read_text("utf-8")
    assert "<td>not established</td>" in index
