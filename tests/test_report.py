"""make report: notebooks executed headless, index with every figure, byte-identical outputs."""

from __future__ import annotations

import hashlib
import json

import pytest

from dxanalysis import config
from dxanalysis.report import build_report, figure_records, write_downloads

EXPECTED_FIGURES = {
    "indicator_coverage_by_city_and_year", "online_application_rate_by_city", "online_procedures_hadano",
    "rpa_hours_saved_by_city", "genai_hours_saved_hadano", "telework_log_minamiboso_by_month",
    "telework_count_chigasaki", "hadano_targets_with_actuals", "my_number_card_holding_rate_by_city",
    "growth_index_by_city", "adoption_timeline_by_city",
    "national_distribution_by_measure", "national_adoption_shares", "national_usage_heatmap",  # notebook 06
    "national_supply_vs_usage", "national_card_issuance_trend",
}


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    assert str(config.FIGURES_DIR) != str(config.PROJECT_DIR / "figures")  # tests never overwrite figures/
    out = tmp_path_factory.mktemp("reports")
    return out, build_report(out_dir=out)


def test_report_runs_every_notebook_and_indexes_every_figure(report):
    out, result = report
    assert sorted(result["timings"]) == ["00_data_overview", "01_online_applications", "02_rpa_ai_hours",
                                         "03_telework", "04_targets_vs_actuals", "05_three_city_comparison",
                                         "06_national_context"]
    index = (out / "index.html").read_text(encoding="utf-8")
    for name in EXPECTED_FIGURES:
        assert f"figures/{name}.png" in index and f"data/{name}.xlsx" in index and f"data/{name}.csv" in index
        assert (out / "data" / f"{name}.xlsx").exists() and (out / "figures" / f"{name}.svg").exists()
    assert index.count("出典:") == len(EXPECTED_FIGURES)
    for nb in result["timings"]:
        assert (out / f"{nb}_nocode.html").exists() and (out / f"{nb}.html").exists()


def test_executed_notebooks_record_version_and_data_hash(report):
    out, _ = report
    text = (out / "notebooks" / "00_data_overview.ipynb").read_text(encoding="utf-8")
    assert "dxanalysis 0.1.0" in text and "data sha256" in text


def test_figures_are_byte_identical_to_the_committed_ones(report):
    """The committed figures/ were made by an earlier `make report`: a second run gives the same bytes."""
    records = figure_records("ja")
    assert {r["name"] for r in records} == EXPECTED_FIGURES
    committed = config.PROJECT_DIR / "figures"
    for r in records:
        for key in ("png", "svg", "data"):
            assert sha(config.FIGURES_DIR / r[key]) == sha(committed / r[key]), r[key]
        assert json.loads((committed / f"{r['name']}.json").read_text(encoding="utf-8")) == r


def test_data_downloads_are_byte_identical_across_runs(report, tmp_path):
    out, _ = report
    records = figure_records("ja")
    write_downloads(records, tmp_path)
    for r in records:
        for ext in ("csv", "xlsx"):
            assert sha(tmp_path / "data" / f"{r['name']}.{ext}") == sha(out / "data" / f"{r['name']}.{ext}")
