"""Loading good extracts: normalisation of what analysts type, the report, and the bundled data."""

from __future__ import annotations

import math

import openpyxl
import pandas as pd
import pytest

from conftest import HEADER, good_row, write_csv
from dxanalysis import check_kpis, load_kpis
from dxanalysis.io import HEADER_ALIASES

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


def test_input_frame_is_not_mutated_by_reload():
    a = load_kpis()
    b = load_kpis()
    pd.testing.assert_frame_equal(a, b)
