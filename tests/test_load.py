"""Loading good extracts: normalisation of what analysts type, the report, and the bundled data."""

from __future__ import annotations

import math

import openpyxl
import pandas as pd
import pytest

from conftest import HEADER, good_row, write_csv
from dxanalysis import ExtractError, check_kpis, load_kpis
from dxanalysis.io.tables import HEADER_ALIASES

JA_HEADER = ["自治体", "指標", "年度", "時点", "年の根拠", "値", "単位", "区分", "概数", "出典", "掲載箇所", "引用", "算出方法", "備考"]


def test_japanese_headers_and_cell_normalisation(tmp_path):
    rows = [
        good_row(municipality="茅ケ崎市", fiscal_year="令和4年度", value="９６１", unit=""),
        good_row(municipality="ﾁｶﾞｻｷ", fiscal_year="R5", value="753件", unit=""),
        good_row(municipality="茅ヶ崎市", fiscal_year="FY2024", value="761", kind="実績"),
        good_row(indicator="online_application_rate", fiscal_year="令和5年度", value="約13%", unit="", quote="令和5年度実績で約13%"),
        good_row(indicator="online_application_rate", fiscal_year="2025年度", value="100", unit="%", kind="目標"),
        good_row(indicator="online_application_rate", fiscal_year="H30", value="—", unit="%", quote=""),
    ]
    path = write_csv(tmp_path / "entry.csv", [dict(zip(JA_HEADER, (r[h] for h in HEADER))) for r in rows], JA_HEADER)
    kpis = load_kpis(path)
    assert kpis["source_row"].tolist() == [2, 3, 4, 5, 6, 7]  # the spreadsheet's order is kept
    kpis = kpis.sort_values(["indicator", "fiscal_year"])
    got = kpis[["indicator", "fiscal_year", "kind", "value", "approximate", "unit"]].to_records(index=False).tolist()
    assert got[:3] == [
        ("online_application_rate", 2018, "actual", pytest.approx(math.nan, nan_ok=True), False, "%"),
        ("online_application_rate", 2023, "actual", 13.0, True, "%"),
        ("online_application_rate", 2025, "target", 100.0, False, "%"),
    ]
    assert got[3:] == [("telework_count", 2022, "actual", 961.0, False, "件"),
                       ("telework_count", 2023, "actual", 753.0, False, "件"),
                       ("telework_count", 2024, "actual", 761.0, False, "件")]
    assert set(kpis["municipality"]) == {"chigasaki"}
    report = kpis.attrs["load_report"]
    assert (report.rows_read, report.rows_loaded, report.values_missing, report.blank_rows) == (6, 6, 1, 0)


def test_rows_keep_their_spreadsheet_row_numbers(tmp_path):
    path = write_csv(tmp_path / "x.csv", [good_row(fiscal_year=str(y)) for y in (2022, 2023, 2024)])
    kpis = load_kpis(path)
    assert kpis.set_index("fiscal_year")["source_row"].to_dict() == {2022: 2, 2023: 3, 2024: 4}
    assert set(kpis["source_file"]) == {"x.csv"}


def test_as_of_point_in_time(tmp_path):
    path = write_csv(tmp_path / "x.csv", [good_row(as_of="R7.1月時点"), good_row(as_of="令和6年12月末時点")])
    assert sorted(load_kpis(path)["as_of"]) == ["2024-12", "2025-01"]


def test_xlsx_with_merged_cells_title_and_blank_rows(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "入力シート（茅ヶ崎市）"
    for j, h in enumerate(JA_HEADER, start=1):
        ws.cell(row=3, column=j, value=h)
    for i, (fy, v) in enumerate([("R4", 961), ("R5", 753), ("R6", "761件")], start=4):
        r = good_row(fiscal_year=fy, value=v, municipality="茅ヶ崎市" if i == 4 else None)
        for j, h in enumerate(HEADER, start=1):
            ws.cell(row=i, column=j, value=r[h])
    ws.merge_cells("A4:A6")
    ws.cell(row=20, column=1).number_format = "0"  # a formatted but empty row far below
    wb.save(tmp_path / "entry.xlsx")
    kpis = load_kpis(tmp_path / "entry.xlsx")
    assert kpis.set_index("fiscal_year")["value"].to_dict() == {2022: 961.0, 2023: 753.0, 2024: 761.0}
    assert kpis["source_row"].tolist() == [4, 5, 6]
    assert kpis.attrs["load_report"].rows_loaded == 3


def test_identical_rows_across_files_are_reported(tmp_path):
    a = write_csv(tmp_path / "a.csv", [good_row()])
    b = write_csv(tmp_path / "b.csv", [good_row(value="760")])
    result = check_kpis([a, b])
    [p] = result.problems
    assert (p.file, p.row, p.code) == ("b.csv", 2, "duplicate_key") and "a.csv row 2" in p.detail
    assert result.report.rows_loaded == 1 and result.report.rows_rejected == 1


def test_every_alias_maps_to_a_contract_column():
    assert set(HEADER_ALIASES) == set(HEADER)


@pytest.mark.data
def test_bundled_data_loads_cleanly():
    result = check_kpis()
    assert result.problems == []
    kpis = result.kpis
    assert len(kpis) > 400
    assert kpis["fiscal_year"].dtype == "int64" and kpis["value"].dtype == "float64"
    assert kpis["approximate"].dtype == bool
    assert set(kpis["municipality"]) == {"chigasaki", "hadano", "minamiboso"}
    assert set(kpis["kind"]) == {"actual", "target", "estimate"}
    assert not kpis.duplicated(["municipality", "indicator", "fiscal_year", "kind", "as_of"]).any()


def test_input_frame_is_not_mutated_by_reload(fixture_project):
    a = load_kpis()
    b = load_kpis()
    pd.testing.assert_frame_equal(a, b)


# ---------------------------------------------------------------- issue 12: paths and files

def test_folders_are_searched_case_insensitively_and_lock_files_skipped(tmp_path):
    write_csv(tmp_path / "FY2024.CSV", [good_row()])
    write_csv(tmp_path / "fy2023.csv", [good_row(fiscal_year="2023", value="753")])
    (tmp_path / "~$fy.xlsx").write_bytes(b"locked by Excel")  # not a zip: reading it would fail
    (tmp_path / "notes.txt").write_text("not an extract", encoding="utf-8")
    result = check_kpis(tmp_path)
    assert result.problems == []
    assert sorted(result.report.files) == ["FY2024.CSV", "fy2023.csv"]
    assert result.report.skipped == ["~$fy.xlsx"] and "~$fy.xlsx" in str(result.report)


def test_xlsm_is_read(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "入力"
    ws.append(JA_HEADER)
    r = good_row()
    ws.append([r[h] for h in HEADER])
    wb.save(tmp_path / "entry.XLSM")
    assert load_kpis(tmp_path)["value"].tolist() == [761.0]


@pytest.mark.parametrize("make, code", [
    (lambda d: None, "no_extract_files"),
    (lambda d: (d / "~$only.xlsx").write_bytes(b""), "no_extract_files"),
    (lambda d: (d / "empty.csv").write_bytes(b""), "empty_file"),
    (lambda d: (d / "bom_only.csv").write_bytes(b"\xef\xbb\xbf\n"), "empty_file"),
    (lambda d: (d / "broken.xlsx").write_bytes(b"PK\x03\x04 not really"), "unreadable_file"),
])
def test_empty_and_broken_inputs_give_one_clear_problem(tmp_path, make, code):
    make(tmp_path)
    with pytest.raises(ExtractError) as exc:
        load_kpis(tmp_path)
    [p] = exc.value.problems
    assert p.code == code and p.file in str(exc.value)


def test_problems_are_in_row_order_then_column_order(tmp_path):
    path = write_csv(tmp_path / "x.csv", [good_row(fiscal_year="2030年", value="abc"), good_row(municipality="横浜市"),
                                          good_row(fiscal_year="2023", value="1.5件", kind="予定")])
    got = [(p.row, p.column, p.code) for p in check_kpis(path).problems]
    assert got == sorted(got, key=lambda t: (t[0], HEADER.index(t[1])))
    assert [r for r, _, _ in got] == [2, 2, 3, 4, 4]  # row 2: the value, and an actual for FY2030 from a 2025-12 source


def test_reference_entities_are_refused_in_a_city_extract_and_kept_in_reference(tmp_path):
    from dxanalysis import load_reference

    path = write_csv(tmp_path / "x.csv", [good_row(municipality="national"), good_row(municipality="千葉県", fiscal_year="2023")])
    assert [p.code for p in check_kpis(path).problems] == ["reference_entity", "reference_entity"]
    assert set(load_reference()["municipality"]) <= {"national", "chiba"}
    assert [p.code for p in check_kpis(write_csv(tmp_path / "y.csv", [good_row()]), reference=True).problems] == [
        "city_in_reference"]


def test_large_changes_are_warnings_not_errors(tmp_path, fixture_project):
    from dxanalysis.contract.rules import LARGE_CHANGE, change_warnings

    path = write_csv(tmp_path / "x.csv", [good_row(fiscal_year="2025", value="100", quote="R7 100"),
                                          good_row(fiscal_year="2026", value="120", quote="R8 120")])
    result = check_kpis(path)
    assert result.problems == []
    [w] = change_warnings(result.kpis, load_kpis())
    assert (w.row, w.code) == (2, "large_change") and "-87%" in w.detail and "761" in w.detail
    assert change_warnings(result.kpis, load_kpis(), threshold=0.9) == [] and LARGE_CHANGE == 0.5


def test_validate_prints_warnings_on_stdout(tmp_path, capsys, fixture_project):
    from dxanalysis.cli import main

    path = write_csv(tmp_path / "x.csv", [good_row(fiscal_year="2025", value="100", quote="R7 100")])
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert "warning: x.csv, row 2, column value: value 100.0 — large_change" in out


def test_source_dates_are_checked_and_order_revisions(tmp_path, fixture_project):
    from dxanalysis import config

    with open(config.SOURCES_CSV, "a", encoding="utf-8") as f:  # the fixture's 4 sources, then these (rows 6, 7)
        f.write("chigasaki_flash_r7,速報（テスト用・架空）,茅ヶ崎市,令和7年5月,,,synthetic test source\n")
        f.write("chigasaki_undated,日付なし（テスト用・架空）,茅ヶ崎市,来月,,,synthetic test source\n")
    # 令和7年5月 (2025-05) is older than chigasaki_progress_fy2024 (2025-12): the flash figure is the one revised
    flash = write_csv(tmp_path / "flash.csv", [good_row(value="700", source_id="chigasaki_flash_r7")])
    result = check_kpis([flash, config.KPI_DIR / "chigasaki_progress_fy2024.csv"])
    [p] = result.problems
    assert (p.file, p.row, p.column, p.code) == ("sources.csv", 7, "date", "bad_source_date")
    row = result.kpis.query("indicator == 'telework_count' and fiscal_year == 2024")
    assert row["value"].tolist() == [761.0] and result.report.superseded["value"].tolist() == [700.0]


def test_entry_template_keeps_loading(tmp_path, fixture_project):
    from dxanalysis.cycle.template import write_template

    path = write_template(tmp_path / "t.xlsx", 2025)
    result = check_kpis(path)
    assert result.problems == [] and result.report.unfilled_rows > 0


def test_a_workbook_source_id_that_is_no_safe_file_name_is_refused(tmp_path):
    """`add` writes data/kpis/<source_id>.csv: an id such as ../../x must never reach it."""
    import openpyxl

    from dxanalysis.io.catalogue import SOURCE_HEADERS
    from dxanalysis.cycle.template import ENTRY_HEADERS

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "入力"
    ws.append(ENTRY_HEADERS)
    ws.append(["茅ヶ崎市", "telework_count", "2025年度", None, "800", "件", "実績", None, "../../escape", "p",
               "令和7年度 800件", None, None])
    src = wb.create_sheet("出典一覧")
    src.append(SOURCE_HEADERS)
    src.append(["../../escape", "t", "p", "2026-05", "", "", ""])
    wb.save(tmp_path / "x.xlsx")
    result = check_kpis(tmp_path / "x.xlsx")
    assert [(p.row, p.column, p.code) for p in result.problems] == [(2, "出典一覧: source_id", "bad_source_id")]


def test_control_characters_in_text_cells_are_refused(tmp_path):
    """A vertical tab or an escape sequence pasted into a quote is no part of the document (XLSX cannot hold it)."""
    path = write_csv(tmp_path / "c.csv", [good_row(quote="R6\x0b761"), good_row(fiscal_year="2023", value="753",
                                                                                 note="\x1b[31mred")])
    result = check_kpis(path)
    assert [(p.row, p.column, p.code) for p in result.problems] == [(2, "quote", "control_character"),
                                                                    (3, "note", "control_character")]


def test_era_dates_with_a_day_after_a_dot():
    from dxanalysis.io.dates import parse_date

    assert parse_date("R6.9.30") == "2024-09-30" and parse_date("H30.4.1") == "2018-04-01"
