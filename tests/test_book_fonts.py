"""No text below 6 pt on any page of a PDF figure book (issue 22), read from the PDF pages themselves
(``tests/bookfonts.py``: the page's own text, and the figure image's text scaled by its printed size).

The code tests build books from the fixture dataset and a SYNTHETIC tall usage table; the data test reads the books
of the built report (``reports/``), when there is one."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from bookfonts import book_min_fonts, sidecar_fonts
from conftest import load_fixture_documents_kpis

from dxanalysis import config, figbook
from dxanalysis import plot as p
from dxanalysis.present.comparisons import HEATMAP_ROWS_PER_PART
from dxanalysis.present.manifest import figure_records

KPIS = load_fixture_documents_kpis()
CITIES = ["142077", "142115", "122343"]  # the three cities' real codes (for their names and colours)
N_PROCEDURES = 50  # about as many usage procedures as the dashboard has: the table the book used to print at 2–3 pt


def tall_usage(n: int = N_PROCEDURES) -> tuple[pd.DataFrame, pd.DataFrame]:
    """SYNTHETIC standing and catalogue with ``n`` usage procedures (made-up names and rates)."""
    inds = [f"online_usage_26_{k:02d}" for k in range(1, n + 1)]
    catalogue = pd.DataFrame({"indicator": inds, "name_ja": [f"合成手続{k}" for k in range(1, n + 1)],
                              "name_en": [f"Synthetic procedure {k}" for k in range(1, n + 1)], "unit": "%",
                              "measure": "usage", "group": ["usage_26" if k <= n // 2 else "usage_32"
                                                            for k in range(1, n + 1)]})
    rows = [{"lg_code": code, "indicator": ind, "scope": scope, "value": (k * 7 + j * 13) % 100,
             "median": (k * 3 + j * 5) % 100}
            for j, code in enumerate(CITIES) for k, ind in enumerate(inds) for scope in ("national", "peers")]
    return pd.DataFrame(rows), catalogue


def _save_figures(directory, *, parts: bool = True) -> None:
    """A series chart and the tall usage table in both languages, saved as the notebooks save them."""
    standing, catalogue = tall_usage()
    for lang in ("ja", "en"):
        data = KPIS[KPIS["indicator"] == "telework_count"]
        ax = p.plot_series(KPIS, indicator="telework_count", lang=lang)
        p.save_figure(ax.figure, "telework_count", data=data, sources=data["source_id"].unique(),
                      title={"ja": "テレワーク件数", "en": "Telework"}, lang=lang, directory=directory)
        ax = p.plot_usage_heatmap(standing, lang=lang, catalogue=catalogue)
        book_parts = p.usage_heatmap_parts(standing, lang=lang, catalogue=catalogue) if parts else ()
        p.save_figure(ax.figure, "national_usage_heatmap", data=p.usage_matrix(standing, catalogue=catalogue),
                      sources=["digital_agency_dx_dashboard_20240712"], title={"ja": "利用率", "en": "Usage"}, lang=lang,
                      directory=directory, book_parts=book_parts)


@pytest.fixture(scope="module")
def figures(tmp_path_factory):
    directory = tmp_path_factory.mktemp("figures")
    _save_figures(directory)
    return directory


def _book(figures, out, lang):
    return figbook.write_figure_book(figure_records(lang, figures), out / f"figures_{lang}.pdf", lang=lang,
                                     figures_dir=figures)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_page_of_the_book_prints_text_at_6_pt_or_more(figures, tmp_path, lang):
    pages = book_min_fonts(_book(figures, tmp_path, lang), sidecar_fonts(figures))
    images = [page for page in pages if page["image"]]
    assert len(images) == 1 + -(-N_PROCEDURES // HEATMAP_ROWS_PER_PART)  # the series chart, the table's parts
    assert all(page["image_pt"] is not None for page in images), pages  # every figure page's image is measured
    assert min(page["min"] for page in pages) >= figbook.MIN_FONT_PT, pages


def test_the_tall_table_is_printed_in_parts_each_with_column_labels_above_and_below(figures):
    rec = next(r for r in figure_records("ja", figures) if r["name"] == "national_usage_heatmap")
    assert len(rec["book_pages"]) == 5 and all(page["min_font_pt"] >= 6 for page in rec["book_pages"])
    standing, catalogue = tall_usage()
    parts = p.usage_heatmap_parts(standing, catalogue=catalogue)
    rows = [label.get_text() for fig in parts for label in fig.axes[0].get_yticklabels()]
    assert rows == [f"合成手続{k}" for k in range(1, N_PROCEDURES + 1)]  # every procedure once, in order
    for fig in parts:
        ax = fig.axes[0]
        assert len(ax.get_yticklabels()) <= HEATMAP_ROWS_PER_PART
        assert ax.xaxis.get_tick_params(which="major")["labeltop"]  # the column names on top of each part too
        assert ax.get_xticklabels()[0].get_text() == "茅ヶ崎市"


def test_the_checks_fail_on_a_3_pt_page(tmp_path):
    """A test that cannot fail proves nothing: the book refuses a tall table printed whole, and the page reader
    finds its 2–3 pt text when the book is forced to print it; page text at 3 pt is found too."""
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    whole = tmp_path / "figures"
    _save_figures(whole, parts=False)
    records = figure_records("ja", whole)
    with pytest.raises(figbook.IllegiblePage, match="national_usage_heatmap"):
        figbook.write_figure_book(records, tmp_path / "refused.pdf", lang="ja", figures_dir=whole)
    unchecked = [{k: v for k, v in r.items() if k != "min_font_pt"} for r in records]  # a book without the guard
    book = figbook.write_figure_book(unchecked, tmp_path / "forced.pdf", lang="ja", figures_dir=whole)
    pages = {page["image"]: page for page in book_min_fonts(book, sidecar_fonts(whole))}
    assert pages["national_usage_heatmap.png"]["min"] < 3.5
    assert pages["telework_count.png"]["min"] >= 6

    with PdfPages(tmp_path / "small.pdf") as pdf:
        fig = plt.figure(figsize=figbook.PAGE_SIZE)
        fig.text(0.1, 0.5, "3 pt", fontsize=3)
        pdf.savefig(fig)
        plt.close(fig)
    assert book_min_fonts(tmp_path / "small.pdf", {})[0]["min"] == 3


@pytest.mark.data
@pytest.mark.parametrize("book", ["figures_ja.pdf", "en/figures_en.pdf"])
def test_the_built_reports_books_print_text_at_6_pt_or_more(book):
    """Data test: the books of the last `make report` (skipped where no report was built)."""
    path, figures = config.PROJECT_DIR / "reports" / book, config.PROJECT_DIR / "figures"
    if not path.is_file() or not any(figures.glob("*.json")):
        pytest.skip("no built report: run `make report`")
    fonts = sidecar_fonts(figures)
    if not fonts or not any("min_font_pt" in json.loads(f.read_text("utf-8")) for f in figures.glob("*.json")):
        pytest.skip("figures/ were saved before sidecars recorded their fonts: run `make report`")
    pages = book_min_fonts(path, fonts)
    assert all(pg["image_pt"] is not None for pg in pages if pg["image"]), [pg for pg in pages if pg["image_pt"] is None]
    assert min(page["min"] for page in pages) >= figbook.MIN_FONT_PT, [pg for pg in pages if pg["min"] < 6]


@pytest.mark.parametrize("book", ["figures_ja.pdf", "en/figures_en.pdf"])
def test_the_rehearsals_books_print_text_at_6_pt_or_more(rehearsal, book):
    """Every page of both books of a full report (the rehearsal's, built by one `report` call) at 6 pt or more."""
    done = rehearsal.runs.get("report")
    assert done is not None and done.returncode == 0
    pages = book_min_fonts(rehearsal.proj / "reports" / book, sidecar_fonts(rehearsal.proj / "figures"))
    assert len(pages) > 16 and all(pg["image_pt"] is not None for pg in pages if pg["image"])
    assert min(page["min"] for page in pages) >= figbook.MIN_FONT_PT, [pg for pg in pages if pg["min"] < 6]
