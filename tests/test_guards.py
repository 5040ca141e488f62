"""Guards on what analysts really do to an entry workbook or extract (issue 19, point 4 and 8)."""

from __future__ import annotations

import openpyxl
import pytest

from conftest import good_row, write_csv
from dxanalysis import check_kpis
from dxanalysis.cycle.template import ENTRY_HEADERS


def codes_at(result) -> list[tuple]:
    return [(p.file, p.row, p.column, p.code) for p in result.problems]


# ---------------------------------------------------------------- years against the source's date

def test_an_actual_long_after_the_source_date_is_refused_on_the_year(tmp_path, fixture_project):
    # chigasaki_progress_fy2024 is dated 2025-12 (FY2025): FY2025 and FY2026 may be in it, FY2027 cannot
    path = write_csv(tmp_path / "x.csv", [good_row(fiscal_year="2027", value="800", quote="R9 800"),
                                          good_row(fiscal_year="2026", value="790", quote="R8 790"),
                                          good_row(fiscal_year="2030", kind="target", value="900", quote="R12 900")])
    result = check_kpis(path)
    [p] = result.problems
    assert (p.row, p.column, p.code) == (2, "fiscal_year", "actual_after_source_date")
    assert p.detail == ("fiscal year 2027 begins 2027-04; the source chigasaki_progress_fy2024 is dated 2025-12 "
                        "(fiscal year 2025)")
    assert sorted(result.kpis["fiscal_year"]) == [2026, 2030]


# ---------------------------------------------------------------- 出典一覧 of a workbook

def _book(path, rows, sources):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "入力"
    ws.append(ENTRY_HEADERS)
    for r in rows:
        ws.append(r)
    src = wb.create_sheet("出典一覧")
    src.append(["source_id", "title", "publisher", "date", "url", "file", "note"])
    for s in sources:
        src.append(s)
    wb.save(path)
    return path


ROW = ["茅ヶ崎市", "telework_count", "2024年度", None, 770, "件", "実績", None, "{sid}", "表", "R6 770", None, None]


def _row(sid):
    return [c.format(sid=sid) if isinstance(c, str) else c for c in ROW]


def test_a_bundled_source_id_reused_for_another_document_is_refused(tmp_path, fixture_project):
    book = _book(tmp_path / "fy.xlsx", [_row("chigasaki_progress_fy2024")],
                 [["chigasaki_progress_fy2024", "茅ヶ崎市 DX推進計画 令和7年度進捗", "茅ヶ崎市", "2026-06", "", "", ""]])
    [p] = check_kpis(book).problems
    assert (p.file, p.row, p.column, p.value, p.code) == ("fy.xlsx", 2, "出典一覧: source_id",
                                                          "chigasaki_progress_fy2024", "source_id_reused")
    assert "(2025-12)" in p.detail and "(2026-06)" in p.detail


def test_the_bundled_record_repeated_as_the_template_lists_it_is_fine(tmp_path, fixture_project):
    from dxanalysis import load_sources

    rec = load_sources().loc["chigasaki_progress_fy2024"]
    book = _book(tmp_path / "fy.xlsx", [_row("chigasaki_progress_fy2024")],
                 [["chigasaki_progress_fy2024", rec["title"], rec["publisher"], rec["date"] + "-01", "", "", ""]])
    assert check_kpis(book).problems == []


def test_a_source_id_listed_twice_is_reported_at_both_rows(tmp_path, fixture_project):
    new = ["x_2026", "新しい資料（架空）", "茅ヶ崎市", "2026-06", "", "", "synthetic"]
    book = _book(tmp_path / "fy.xlsx", [], [new, ["y_2026", "別（架空）", "茅ヶ崎市", "2026-06", "", "", ""], new])
    assert [(p.row, p.code, p.detail) for p in check_kpis(book).problems] == [
        (2, "duplicate_source_id", "also at row(s) 4"), (4, "duplicate_source_id", "also at row(s) 2")]
