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


# ---------------------------------------------------------------- sheet XML as other programs write it

def _rewrite_sheet(book, fn):
    """Rewrite the first worksheet's XML of a saved workbook with ``fn(xml) -> xml``."""
    import zipfile

    with zipfile.ZipFile(book) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    parts["xl/worksheets/sheet1.xml"] = fn(parts["xl/worksheets/sheet1.xml"].decode("utf-8")).encode("utf-8")
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def _prefixed(xml: str) -> str:
    """The same sheet with the main namespace bound to the prefix ``x`` (as some generators write it)."""
    import re

    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    xml = xml.replace(f'xmlns="{main}"', f'xmlns:x="{main}"')
    return re.sub(r"<(/?)(?![?!])([A-Za-z]+)([\s>/])", r"<\1x:\2\3", xml)


def test_a_formula_under_a_namespace_prefix_is_refused(tmp_path, fixture_project):
    row = _row("chigasaki_progress_fy2024")
    row[4] = "=700+61"  # no cached value: calamine would read an empty cell
    book = _book(tmp_path / "fy.xlsx", [row], [])
    _rewrite_sheet(book, _prefixed)
    import zipfile

    assert b"<x:f>" in zipfile.ZipFile(book).read("xl/worksheets/sheet1.xml")
    [p] = check_kpis(book).problems
    assert (p.row, p.column, p.value, p.code) == (2, "値", "=700+61", "formula_cell")


def test_a_sheet_styled_to_its_last_row_loads_in_seconds(tmp_path, fixture_project):
    """A column formatted down to row 1,048,576 (Excel's used range) with a percent format, so openpyxl reads it."""
    import time

    from openpyxl.styles import Font

    book = tmp_path / "fy.xlsx"
    _book(book, [_row("chigasaki_progress_fy2024")], [])
    wb = openpyxl.load_workbook(book)
    for col in range(1, 14):
        wb["入力"].cell(row=1_048_576, column=col).number_format = "0%"
    wb["入力"].cell(row=1_048_576, column=1).font = Font(bold=True)
    wb.save(book)
    assert book.stat().st_size < 20_000
    start = time.perf_counter()
    result = check_kpis(book)
    assert time.perf_counter() - start < 5
    assert result.problems == [] and result.report.rows_read == 1 and result.kpis["value"].tolist() == [770.0]


# ---------------------------------------------------------------- where the rows are

def test_figures_above_a_moved_header_are_refused_and_counted_as_read(tmp_path, fixture_project):
    """A sort that moved the header row down: the rows above it are named, read and rejected (the report balances)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "入力"
    ws.append(["KPI 入力シート"])  # a title line: one cell, not a row of figures
    ws.append(_row("chigasaki_progress_fy2024"))
    ws.append(_row("chigasaki_progress_fy2024"))
    ws.append(ENTRY_HEADERS)
    ws.append(_row("chigasaki_progress_fy2024"))
    wb.save(tmp_path / "fy.xlsx")
    result = check_kpis(tmp_path / "fy.xlsx")
    [p] = result.problems
    assert (p.row, p.code, p.detail) == (2, "rows_above_header",
                                         "row(s) 2, 3 above the header row 4 hold figures (sheet 入力)")
    report = result.report
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (3, 0, 3) and report.balanced


def test_a_csv_sorted_with_its_header_moved_down_is_refused(tmp_path, fixture_project):
    path = tmp_path / "x.csv"
    write_csv(path, [good_row()])
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([lines[1], lines[0], lines[1]]) + "\n", encoding="utf-8")
    result = check_kpis(path)
    assert [(p.row, p.code) for p in result.problems] == [(1, "rows_above_header")]
    assert result.report.rows_read == 2 and result.report.rows_rejected == 2


def test_figures_typed_into_a_copy_of_the_entry_sheet_are_named(tmp_path, fixture_project):
    from dxanalysis.cycle.template import write_template

    book = write_template(tmp_path / "fy.xlsx", 2025)
    wb = openpyxl.load_workbook(book)
    copy = wb.copy_worksheet(wb["入力"])
    copy.title = "入力 (2)"
    copy["E2"], copy["I2"], copy["K2"] = 790, "chigasaki_progress_fy2024", "R7 790"
    wb.save(book)
    [p] = check_kpis(book).problems
    assert (p.file, p.row, p.value, p.code) == ("fy.xlsx", None, "入力 (2)", "entry_sheet_empty")
    assert p.detail == "sheet 入力 has no filled row; sheet 入力 (2) has 1 filled row(s)"


# ---------------------------------------------------------------- encodings, once (point 6)

def test_source_texts_are_read_with_the_extract_encoding_rule(tmp_path):
    from dxanalysis.errors import ExtractError
    from dxanalysis.io.text import read_text_file

    (tmp_path / "cp932.txt").write_bytes("令和6年度 テレワーク件数 761件\r\nﾏｲﾅｰ".encode("cp932"))
    (tmp_path / "kana.txt").write_bytes("ﾏｲﾅﾝﾊﾞｰｶｰﾄﾞ 761".encode("cp932"))
    (tmp_path / "bom.txt").write_bytes("\ufeff令和6年度 761件".encode("utf-8"))
    (tmp_path / "bad.txt").write_bytes("令和6年度\n".encode("utf-8") + "761件".encode("cp932"))
    assert read_text_file(tmp_path / "cp932.txt") == "令和6年度 テレワーク件数 761件\nﾏｲﾅｰ"
    assert read_text_file(tmp_path / "kana.txt") == "ﾏｲﾅﾝﾊﾞｰｶｰﾄﾞ 761"
    assert read_text_file(tmp_path / "bom.txt") == "令和6年度 761件"
    with pytest.raises(ExtractError) as info:
        read_text_file(tmp_path / "bad.txt")
    [p] = info.value.problems
    assert (p.file, p.row, p.code) == ("bad.txt", 2, "mixed_encoding")


# ---------------------------------------------------------------- smaller things (point 8)

def test_people_are_whole_numbers_unless_the_indicator_is_a_rate(tmp_path):
    row = dict(municipality="hadano", fiscal_year="2026", kind="target", source_id="hadano_dx_plan_draft_2025", unit="人",
               year_basis="stated")
    path = write_csv(tmp_path / "x.csv", [
        good_row(**row, indicator="line_friends", value="1.5", quote="R8 1.5人"),
        good_row(**row, indicator="school_absenteeism_rate_per_100", value="1.15", quote="R8 1.15人")])
    assert [(p.row, p.code) for p in check_kpis(path).problems] == [(2, "count_not_whole")]


def test_a_percent_typed_as_a_fraction_gets_the_hint(tmp_path):
    from dxanalysis.contract.load import validate_warnings

    ok = write_csv(tmp_path / "ok.csv", [good_row(indicator="online_application_rate", value="0.21", unit="%",
                                                  quote="R6 オンライン化率 0.21")])
    result = check_kpis(ok)
    assert result.problems == []
    [w] = [w for w in validate_warnings(result.kpis, compare=False) if w.code != "quote_not_checked"]  # no seeds here
    assert (w.row, w.code, w.detail) == (2, "percent_as_fraction", "0.21 — 21 %?")
    bad = write_csv(tmp_path / "bad.csv", [good_row(indicator="online_application_rate", value="0.21", unit="%",
                                                    quote="R6 オンライン化率 21%")])
    [p] = check_kpis(bad).problems
    assert (p.code, p.detail) == ("value_not_in_quote", "numbers in the quote: 6, 21 — 21 %?")


def test_a_wrong_year_is_reported_on_the_year_column(tmp_path):
    """The quote says R6 (FY2024) and the 年度 cell 2023: the 年度 is what is wrong, not 年の根拠."""
    path = write_csv(tmp_path / "x.csv", [good_row(fiscal_year="2023", quote="R6 761")])
    [p] = check_kpis(path).problems
    assert (p.row, p.column, p.code) == (2, "fiscal_year", "year_not_in_quote")
    assert p.detail == "fiscal year 2023 is not readable in the quote, which names FY2024"
    unnamed = write_csv(tmp_path / "y.csv", [good_row(fiscal_year="2023", quote="テレワーク件数 761")])
    assert [(p.column, p.code) for p in check_kpis(unnamed).problems] == [("year_basis", "year_basis_missing")]
