"""The annual update: template, compare, revisions, add — and the whole cycle on a copy of the project."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from conftest import good_row, write_csv
from dxanalysis import check_kpis, config, load_kpis
from dxanalysis.update import compare, expected_rows, write_template

KPIS = load_kpis()


def test_expected_rows_for_fy2025():
    rows = expected_rows(KPIS, 2025).set_index(["municipality", "indicator"])
    assert rows.loc[("chigasaki", "online_application_rate"), "target"] == 100.0  # 令和7年度までに100%
    assert rows.loc[("chigasaki", "online_application_rate"), "previous"] == 15.0
    assert rows.loc[("chigasaki", "telework_count"), "previous"] == 761.0
    assert pd.isna(rows.loc[("chigasaki", "telework_count"), "target"])


def test_template_has_entry_sheet_dropdowns_catalogue_and_sources(tmp_path):
    path = write_template(tmp_path / "t.xlsx", 2026)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["説明", "入力", "選択肢", "指標一覧", "出典一覧"]
    ws = wb["入力"]
    assert [c.value for c in ws[1]][:7] == ["自治体", "指標", "年度", "時点", "値", "単位", "区分"]
    validations = {str(dv.sqref).split(":")[0][0]: dv for dv in ws.data_validations.dataValidation}
    assert set(validations) == {"A", "B", "F", "G", "H"}
    assert all(dv.type == "list" and not dv.showDropDown for dv in validations.values())  # arrow visible
    rows = {(r[0], r[1]): r for r in ws.iter_rows(min_row=2, values_only=True)}
    rpa = rows[("秦野市", "rpa_hours_saved")]
    assert rpa[2] == "2026年度" and rpa[4] is None and rpa[6] == "実績" and rpa[14] == 3700  # target beside
    assert len(rows) == len(expected_rows(KPIS, 2026))
    # an untouched template is no data: every pre-filled row is skipped, none is invented
    result = check_kpis(path)
    assert result.problems == [] and len(result.kpis) == 0 and result.report.unfilled_rows == len(rows)
    assert write_template(tmp_path / "u.xlsx", 2026).read_bytes() == path.read_bytes()  # byte-stable


def test_compare_splits_new_revised_unchanged(tmp_path):
    path = write_csv(tmp_path / "x.csv", [good_row(), good_row(fiscal_year="2023", value="750"),
                                          good_row(fiscal_year="2025", value="800")])
    changes = compare(load_kpis(path), KPIS)
    assert changes.new["fiscal_year"].tolist() == [2025]
    assert changes.revised[["fiscal_year", "value_old", "value"]].values.tolist() == [[2023, 753.0, 750.0]]
    assert changes.unchanged["fiscal_year"].tolist() == [2024]


def test_revision_from_a_newer_source_wins_and_both_are_kept(tmp_path, monkeypatch):
    sources = tmp_path / "sources.csv"
    shutil.copy(config.SOURCES_CSV, sources)
    with open(sources, "a", encoding="utf-8") as f:
        f.write("chigasaki_correction_2026,訂正（テスト用・架空）,茅ヶ崎市,2026-06,,,synthetic test source\n")
    monkeypatch.setattr(config, "SOURCES_CSV", sources)
    old = write_csv(tmp_path / "old.csv", [good_row()])
    new = write_csv(tmp_path / "new.csv", [good_row(value="762", source_id="chigasaki_correction_2026",
                                                    quote="R6 762")])
    result = check_kpis([old, new])
    assert result.problems == []
    [row] = result.kpis.to_dict("records")
    assert (row["value"], row["source_id"], row["revised"]) == (762.0, "chigasaki_correction_2026", True)
    superseded = result.report.superseded
    assert superseded[["value", "source_id"]].values.tolist() == [[761.0, "chigasaki_progress_fy2024"]]
    assert result.report.balanced


def _run(cmd, cwd, env):
    return subprocess.run([sys.executable, "-m", "dxanalysis", *cmd], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=600)


def test_annual_cycle_on_a_copy_of_the_project(tmp_path):
    """template → fill (with a mistake) → validate → fix → add → report FY2025 → the new year is in the figures."""
    proj = tmp_path / "project"
    for d in ("dxanalysis", "data", "notebooks"):
        shutil.copytree(config.PROJECT_DIR / d, proj / d, ignore=shutil.ignore_patterns("__pycache__"))
    env = {**os.environ, "PYTHONPATH": str(proj), "DXANALYSIS_FIGURES": str(proj / "figures"),
           "DXANALYSIS_REPORTS": str(proj / "reports")}
    book = proj / "fy2025.xlsx"
    assert _run(["template", "--fiscal-year", "2025", str(book)], proj, env).returncode == 0

    wb = openpyxl.load_workbook(book)
    src = wb["出典一覧"]
    src.append(["chigasaki_progress_fy2025_test", "令和8年度 進捗管理報告書（テスト用の架空の資料 / synthetic)",
                "茅ヶ崎市", "2026-12", "", "", "synthetic test source: not a real document"])
    ws = wb["入力"]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "茅ヶ崎市" and r[1].value == "telework_count")
    row[4].value = "八百十二"  # the mistake: a number in kanji numerals
    row[8].value, row[9].value, row[10].value = "chigasaki_progress_fy2025_test", "テレワーク件数の推移", "R7 812（架空）"
    wb.save(book)

    bad = _run(["validate", str(book)], proj, env)
    assert bad.returncode == 1
    assert f"fy2025.xlsx, row {row[4].row}, column 値: value '八百十二' — bad_number" in bad.stdout

    row[4].value = 812
    wb.save(book)
    ok = _run(["validate", str(book)], proj, env)
    assert ok.returncode == 0, ok.stdout
    assert "1 new row(s), 0 revised value(s), 0 unchanged" in ok.stdout
    added = _run(["add", str(book)], proj, env)
    assert added.returncode == 0, added.stdout + added.stderr
    extract = pd.read_csv(proj / "data" / "kpis" / "chigasaki_progress_fy2025_test.csv", dtype=str)
    assert extract[["indicator", "fiscal_year", "value"]].values.tolist() == [["telework_count", "2025", "812"]]
    assert "chigasaki_progress_fy2025_test" in (proj / "data" / "sources.csv").read_text(encoding="utf-8")
    assert _run(["add", str(book)], proj, env).returncode == 0  # adding again changes nothing
    assert len(pd.read_csv(proj / "data" / "kpis" / "chigasaki_progress_fy2025_test.csv")) == 1

    report = _run(["report", "--fiscal-year", "2025"], proj, env)
    assert report.returncode == 0, report.stderr[-2000:]
    data = pd.read_csv(proj / "figures" / "data" / "telework_count_chigasaki.csv")
    assert data.set_index("fiscal_year")["value"].to_dict() == {2022: 961.0, 2023: 753.0, 2024: 761.0, 2025: 812.0}
    assert (proj / "reports" / "index.html").exists()
