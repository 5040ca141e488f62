"""make report: notebooks executed headless, an index with every figure, byte-stable outputs, a build that
replaces figures/ and reports/ only when every notebook succeeded.

The full report runs once per session, inside the next-year rehearsal (tests/rehearsal.py: a copy of the
project with synthetic FY2025 figures, ja and en built by one ``report`` call); the tests here read its outputs instead of running the
notebooks again. The committed figures/ are checked against the bundled data through the manifest that
``build_report`` writes (figures/manifest/<lang>.json: data hash and the SHA-256 of every file).
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys

import pytest

from conftest import tree_bytes, write_csv
from dxanalysis import config
from dxanalysis.present.report import NotebookFailed, build_report, write_downloads
from dxanalysis.present.manifest import data_tree_hash, figure_records

EXPECTED_FIGURES = {
    "indicator_coverage_by_city_and_year", "online_application_rate_by_city", "online_procedures_hadano",
    "rpa_hours_saved_by_city", "genai_hours_saved_hadano", "telework_log_minamiboso_by_month",
    "telework_count_chigasaki", "hadano_targets_with_actuals", "my_number_card_holding_rate_by_city",
    "growth_index_by_city", "adoption_timeline_by_city",
    "national_distribution_by_measure", "national_adoption_shares", "national_usage_heatmap",  # notebook 06
    "national_supply_vs_usage", "national_card_issuance_trend",
}
NOTEBOOKS = sorted(p.stem for p in config.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def reports(rehearsal):
    done = rehearsal.runs.get("report")
    assert done is not None and done.returncode == 0, done and done.stderr[-3000:]
    return rehearsal.proj


def report_dir(proj, lang):
    return proj / "reports" / ("en" if lang == "en" else "")


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_report_runs_every_notebook_and_indexes_every_figure(reports, lang):
    out = report_dir(reports, lang)
    index = (out / "index.html").read_text(encoding="utf-8")
    suffix = "" if lang == "ja" else "_en"
    for name in EXPECTED_FIGURES:
        stem = name + suffix
        assert f"figures/{stem}.png" in index and f"data/{stem}.xlsx" in index and f"data/{stem}.csv" in index
        assert (out / "data" / f"{stem}.xlsx").exists() and (out / "figures" / f"{stem}.svg").exists()
    assert index.count("出典:" if lang == "ja" else "Source:") == len(EXPECTED_FIGURES)
    for nb in NOTEBOOKS:
        assert (out / f"{nb}_nocode.html").exists() and (out / f"{nb}.html").exists()


def test_executed_notebooks_record_version_and_data_hash(reports):
    text = (reports / "reports" / "notebooks" / "00_data_overview.ipynb").read_text(encoding="utf-8")
    assert "dxanalysis 0.1.0" in text and ("data sha256" in text or "データ SHA-256" in text)


def test_both_languages_share_figures_and_the_manifests_list_them(reports):
    figures = reports / "figures"
    assert {r["name"] for r in figure_records("ja", figures)} == EXPECTED_FIGURES
    assert {r["name"] for r in figure_records("en", figures)} == {f"{n}_en" for n in EXPECTED_FIGURES}
    for lang in ("ja", "en"):
        manifest = json.loads((figures / "manifest" / f"{lang}.json").read_text(encoding="utf-8"))
        assert manifest["fiscal_year"] == 2025 and manifest["data"] == "bundled"
        assert manifest["data_sha256"] == data_tree_hash(reports / "data")
        assert all(sha(figures / f) == h for f, h in manifest["files"].items())


def test_one_run_builds_both_languages_from_the_same_data_with_normal_permissions(reports):
    ja, en = (json.loads((reports / "figures" / "manifest" / f"{lang}.json").read_text(encoding="utf-8"))
              for lang in ("ja", "en"))
    assert ja["data_sha256"] == en["data_sha256"] and ja["fiscal_year"] == en["fiscal_year"] == 2025
    provenance = [re.search(r"(?:データ SHA-256|data sha256) ([0-9a-f]{16})",
                            (report_dir(reports, lang) / "index.html").read_text(encoding="utf-8")).group(1)
                  for lang in ("ja", "en")]
    assert provenance[0] == provenance[1]
    assert (reports / "reports" / "figures_ja.pdf").is_file() and (reports / "reports" / "en" / "figures_en.pdf").is_file()
    assert not (reports / "reports" / "figures_en.pdf").exists()  # each language's book beside its own index
    assert "href='en/index.html'" in (reports / "reports" / "index.html").read_text(encoding="utf-8")
    for root in (reports / "reports", reports / "figures"):
        modes = {oct(p.stat().st_mode & 0o777) for p in [root, *root.rglob("*")] if p.is_dir()}
        assert modes == {"0o755"}, root
        modes = {oct(p.stat().st_mode & 0o777) for p in root.rglob("*") if p.is_file()}
        assert modes == {"0o644"}, root


def test_two_renders_of_the_same_data_give_the_same_bytes(reports, rehearsal, tmp_path):
    """Rerun one notebook on the same (copied) data into a fresh folder: identical PNG, SVG, CSV and sidecar."""
    code = ("import sys; from pathlib import Path; from dxanalysis import config; from dxanalysis.present.report import run_notebooks;"
            "run_notebooks(fiscal_year=2025, lang='ja', data_paths=None, out_dir=Path(sys.argv[1]),"
            "notebooks=[config.NOTEBOOKS_DIR / '01_online_applications.ipynb'])")
    again = tmp_path / "figures"
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "out")], cwd=reports, capture_output=True,
                          text=True, env={**rehearsal.env, "DXANALYSIS_FIGURES": str(again)}, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    made = tree_bytes(again)
    assert {"online_application_rate_by_city.png", "online_procedures_hadano.svg"} <= set(made)
    first = tree_bytes(reports / "figures")
    assert {f: b for f, b in made.items()} == {f: first[f] for f in made}


def test_data_downloads_are_byte_identical_across_runs(reports, tmp_path):
    records = figure_records("ja", reports / "figures")
    write_downloads(records, tmp_path, reports / "figures")
    for r in records:
        for ext in ("csv", "xlsx"):
            assert sha(tmp_path / "data" / f"{r['name']}.{ext}") == sha(reports / "reports" / "data" / f"{r['name']}.{ext}")


def _notebook(path, cells):
    nb = {"cells": [{"cell_type": "code", "execution_count": None, "id": f"c{i}", "outputs": [],
                     "metadata": {"tags": ["parameters"]} if i == 0 else {}, "source": src}
                    for i, src in enumerate(cells)],
          "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
          "nbformat": 4, "nbformat_minor": 5}
    path.write_text(json.dumps(nb), encoding="utf-8")


def test_a_failing_notebook_leaves_previous_outputs_untouched(tmp_path, monkeypatch):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    params = "fiscal_year = None\nlang = 'ja'\ndata_paths = None"
    _notebook(notebooks / "00_fine.ipynb", [params, "import os; os.write(2, b'kernel noise\\n')"])
    bad = write_csv(tmp_path / "bad.csv", [{"municipality": "chigasaki", "indicator": "telework_count",
                                            "fiscal_year": "R7", "value": "812", "kind": "actual"}])
    _notebook(notebooks / "01_broken.ipynb", [params, "import dxanalysis as dx",
                                              f"kpis = dx.load_kpis({str(bad)!r})  # loads a bad extract"])
    monkeypatch.setattr(config, "NOTEBOOKS_DIR", notebooks)
    out, figures = tmp_path / "reports", tmp_path / "figures"
    for d in (out, figures):
        d.mkdir()
        (d / "index.html" if d == out else d / "old.png").write_bytes(b"previous output")
    before = tree_bytes(tmp_path)
    lines = []
    with pytest.raises(NotebookFailed) as err:
        build_report(out_dir=out, figures_dir=figures, progress=lines.append)
    msg = str(err.value)
    assert "notebook 01_broken failed in cell 3 (" in msg and "kpis = dx.load_kpis(" in msg and "ExtractError" in msg
    assert "data row: bad.csv, row 2" in msg
    assert len(lines) == 2 and any(" 00_fine: " in x and x.endswith(" s") for x in lines)
    assert any(x.endswith(" 01_broken: FAILED") for x in lines)
    assert "kernel noise" in err.value.kernel_output  # hidden while it ran, kept for the failure
    assert tree_bytes(tmp_path) == before  # nothing replaced, no staging folder left behind


@pytest.mark.data  # compares figures/ with the bundled data: stale after an add until `make report`
def test_committed_figures_were_made_from_the_bundled_data():
    """Data test: figures/manifest/<lang>.json records the data hash; the committed files match it."""
    committed = config.PROJECT_DIR / "figures"
    manifests = sorted((committed / "manifest").glob("*.json"))
    if not manifests:
        pytest.skip("figures/ carries no manifest yet (made before build_report wrote one): run `make report`, "
                    "then commit figures/")
    for path in manifests:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        assert manifest["data"] == "bundled"
        assert manifest["data_sha256"] == data_tree_hash(), f"{path.name}: figures/ are stale — rerun make report"
        for f, h in manifest["files"].items():
            assert sha(committed / f) == h, f


def test_the_first_real_failure_is_reported_never_a_cancellation_and_data_paths_are_absolute(tmp_path, monkeypatch):
    """One worker: 00 fails, the notebooks not yet started are cancelled. The failure names notebook, cell and
    cause (never CancelledError); a relative --data path reaches the kernel (cwd notebooks/) made absolute."""
    from dxanalysis.present.report import run_notebooks

    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    params = "fiscal_year = None\nlang = 'ja'\ndata_paths = None"
    _notebook(notebooks / "00_fails.ipynb", [params, "raise ValueError(repr(data_paths))"])
    for name in ("01_fine", "02_fine", "03_fine"):
        _notebook(notebooks / f"{name}.ipynb", [params, "x = 1"])
    monkeypatch.chdir(tmp_path)
    lines = []
    with pytest.raises(NotebookFailed) as err:
        run_notebooks(fiscal_year=None, lang="ja", data_paths=["fy2025.xlsx"], out_dir=tmp_path / "out",
                      progress=lines.append, notebooks=sorted(notebooks.glob("*.ipynb")), workers=1)
    assert (err.value.notebook, err.value.cell) == ("00_fails", 2)
    assert err.value.error == f"ValueError: {[str(tmp_path / 'fy2025.xlsx')]!r}"
    assert lines[0] == "[1/4] 00_fails: FAILED" and len(lines) == 4
    # 01 may already have started when 00's failure cancels the rest (a kernel takes a second or more to start)
    assert lines[-1] == "[4/4] 03_fine: not run (another notebook failed)"


def test_one_language_on_request_removes_the_other_languages_outputs(tmp_path, monkeypatch):
    """`report --lang ja` never leaves English figures, books or pages from older data beside the new ones."""
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    _notebook(notebooks / "00_fine.ipynb", ["fiscal_year = None\nlang = 'ja'\ndata_paths = None",
                                            "x = 1"])
    monkeypatch.setattr(config, "NOTEBOOKS_DIR", notebooks)
    out, figures = tmp_path / "reports", tmp_path / "figures"
    (out / "en").mkdir(parents=True)
    (figures / "manifest").mkdir(parents=True)
    for stale in (out / "index.html", out / "figures_en.pdf", out / "en" / "index.html", figures / "old_en.png",
                  figures / "old_en.json", figures / "manifest" / "en.json"):
        stale.write_text("older data", encoding="utf-8")
    result = build_report(out_dir=out, figures_dir=figures, langs=("ja",))
    assert result["langs"] == ["ja"] and result["index"] == out / "index.html"
    assert not (out / "en").exists() and not (out / "figures_en.pdf").exists()
    assert sorted(p.name for p in figures.rglob("*")) == ["ja.json", "manifest"]
    assert "en/index.html" not in (out / "index.html").read_text(encoding="utf-8")
    assert oct(out.stat().st_mode & 0o777) == oct(figures.stat().st_mode & 0o777) == "0o755"


CODE_COLUMNS = ("lg_code", "source_id")
"""Columns that hold codes: text in every download, a 全国地方公共団体コード always six digits."""


def _download_problems(folder):
    """Every code cell of the CSV/XLSX downloads in ``folder`` that is not text (or not six digits)."""
    import openpyxl
    import pandas as pd

    problems = []
    for csv in sorted(folder.glob("*.csv")):
        text = pd.read_csv(csv, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        codes = text["lg_code"][text["lg_code"] != ""] if "lg_code" in text else []
        problems += [f"{csv.name}: lg_code {c!r}" for c in codes if not re.fullmatch(r"\d{6}", c)]
        sheet = openpyxl.load_workbook(csv.with_suffix(".xlsx"), read_only=True)["data"]
        rows = list(sheet.iter_rows(values_only=True))
        header = list(rows[0])
        for col in (c for c in CODE_COLUMNS if c in header):
            cells = [r[header.index(col)] for r in rows[1:] if r[header.index(col)] is not None]
            problems += [f"{csv.with_suffix('.xlsx').name}: {col} {v!r}" for v in cells if not isinstance(v, str)]
    return problems


def test_downloads_keep_codes_as_text_and_numbers_as_numbers(tmp_path):
    import matplotlib.pyplot as plt
    import openpyxl
    import pandas as pd

    from dxanalysis.present.layout import save_figure

    data = pd.DataFrame({"lg_code": ["011002", "142077", None], "value": [72.0, None, 5.0],
                         "n": pd.array([1741, None, 3], dtype="Int64"), "stated": [True, False, True]})
    fig, ax = plt.subplots()
    ax.bar([0, 1, 2], [72, 0, 5])
    save_figure(fig, "codes", data=data, sources=["hadano_dx_plan_draft_2025"], title="t", directory=tmp_path / "f")
    write_downloads(figure_records("ja", tmp_path / "f"), tmp_path / "out", tmp_path / "f")
    csv = (tmp_path / "out" / "data" / "codes.csv").read_text(encoding="utf-8-sig").splitlines()
    assert csv == ["lg_code,value,n,stated", "011002,72.0,1741,True", "142077,,,False", ",5.0,3,True"]
    rows = list(openpyxl.load_workbook(tmp_path / "out" / "data" / "codes.xlsx")["data"].iter_rows(values_only=True))
    assert rows[1:] == [("011002", 72, 1741, True), ("142077", None, None, False), (None, 5, 3, True)]
    assert _download_problems(tmp_path / "out" / "data") == []


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_download_of_the_built_report_keeps_codes_as_text(reports, lang):
    folder = report_dir(reports, lang) / "data"
    assert len(list(folder.glob("*.csv"))) == len(EXPECTED_FIGURES)
    assert _download_problems(folder) == []
    trend = (folder / f"national_card_issuance_trend{'_en' if lang == 'en' else ''}.csv").read_text(encoding="utf-8-sig")
    assert ",142077," in trend and "142077.0" not in trend


def test_index_and_books_show_figures_in_the_order_of_the_analysis():
    from dxanalysis.present.manifest import in_analysis_order

    records = [{"name": f"{n}_en", "lang": "en"} for n in sorted(EXPECTED_FIGURES)]
    names = [r["name"].removesuffix("_en") for r in in_analysis_order(records)]
    assert names[:3] == ["indicator_coverage_by_city_and_year", "online_application_rate_by_city",
                         "online_procedures_hadano"]  # overview, then online applications
    assert names.index("rpa_hours_saved_by_city") < names.index("telework_count_chigasaki") < names.index(
        "hadano_targets_with_actuals") < names.index("growth_index_by_city") < names.index("national_usage_heatmap")
    assert names[-5:] == ["national_distribution_by_measure", "national_adoption_shares", "national_usage_heatmap",
                          "national_supply_vs_usage", "national_card_issuance_trend"]


def test_stated_only_is_gone_rather_than_a_label_without_a_filter(capsys):
    """`report --stated-only` used to change only a sentence; the option is removed (refused by the parser)."""
    from dxanalysis.cli import build_parser

    with pytest.raises(SystemExit) as exc:
        build_parser().parse_args(["report", "--stated-only"])
    assert exc.value.code == 2 and "unrecognized arguments: --stated-only" in capsys.readouterr().err
    for nb in NOTEBOOKS:
        assert "stated_only" not in (config.NOTEBOOKS_DIR / f"{nb}.ipynb").read_text(encoding="utf-8"), nb


def test_each_language_page_leaves_out_the_prose_tagged_for_the_other(tmp_path):
    from dxanalysis.present.notebook import keep_one_language

    executed = tmp_path / "n.ipynb"
    cells = [{"cell_type": "markdown", "id": i, "metadata": {"tags": tags}, "source": text}
             for i, tags, text in (("a", ["ja"], "日本語の説明"), ("b", ["en"], "English prose"), ("c", [], "# 03 見出し"))]
    cells.append({"cell_type": "code", "id": "d", "metadata": {"tags": ["en"]}, "source": "x = 1", "outputs": [],
                  "execution_count": 1})
    executed.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}), "utf-8")
    keep_one_language(executed, "ja")
    kept = json.loads(executed.read_text(encoding="utf-8"))["cells"]
    assert [c["id"] for c in kept] == ["a", "c", "d"]  # code cells always run and stay


def test_the_telework_pages_read_in_one_language(reports):
    ja = (reports / "reports" / "03_telework_nocode.html").read_text(encoding="utf-8")
    en = (reports / "reports" / "en" / "03_telework_nocode.html").read_text(encoding="utf-8")
    assert "共用のテレワークPC" in ja and "Each record is one use" not in ja and "03 Telework" not in ja
    assert "Each record is one use" in en and "共用のテレワークPC" not in en
