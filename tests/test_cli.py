"""Command line: validate exits non-zero on problems and says where; export neutralises formulas
(validate's comparison runs against the fixture dataset, so new real figures never change it)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from conftest import good_row, write_csv
from dxanalysis import load_kpis, load_milestones
from dxanalysis.cli import build_parser, main
from dxanalysis.io.write import neutralise, write_csv as export_csv, write_xlsx

BAD = Path(__file__).parent / "fixtures" / "bad"


def test_validate_reports_row_and_column_and_fails(capsys):
    assert main(["validate", str(BAD / "many_problems_at_once.csv")]) == 1
    out = capsys.readouterr().out
    assert "many_problems_at_once.csv, row 3, column fiscal_year" in out
    assert "era_year_out_of_range" in out and "元号の年が存在しません" in out


def test_validate_summary_when_all_is_well(tmp_path, capsys, fixture_project):
    path = write_csv(tmp_path / "ok.csv", [good_row(), good_row(fiscal_year="2023", value="753")])
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert "OK: 2 rows, 1 indicators, fiscal years 2023–2024, 0 values missing" in out
    assert "0 new row(s), 0 revised value(s), 2 unchanged" in out


@pytest.mark.parametrize("command", ["report", "validate", "export", "template", "add", "remove"])
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exc:
        build_parser().parse_args([command, "--help"])
    assert exc.value.code == 0
    assert len(capsys.readouterr().out) > 200


@pytest.mark.parametrize("cell, safe", [
    ("=1+1", "'=1+1"), ("+81 3", "'+81 3"), ("-5件", "'-5件"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
    ("約5", "約5"), (5.0, 5.0), (-5, -5),
])
def test_neutralise(cell, safe):
    assert neutralise(cell) == safe


def test_export_xlsx_keeps_numbers_and_never_writes_formulas(tmp_path):
    df = pd.DataFrame({"quote": ["=HYPERLINK(\"http://x\")", "R6 761"], "value": [-5.0, 761.0]})
    path = write_xlsx({"kpis": df}, tmp_path / "x.xlsx")
    ws = openpyxl.load_workbook(path).active
    assert [c.data_type for c in ws["A"]][1:] == ["s", "s"]
    assert ws["A2"].value == "=HYPERLINK(\"http://x\")" and ws["A2"].quotePrefix
    assert [ws["B2"].value, ws["B3"].value] == [-5, 761]
    again = write_xlsx({"kpis": df}, tmp_path / "y.xlsx")
    assert path.read_bytes() == again.read_bytes()


def test_export_csv_neutralises_text_only(tmp_path):
    df = pd.DataFrame({"note": ["=cmd", "ok"], "value": [-1.5, 2.0]})
    text = export_csv(df, tmp_path / "x.csv").read_text(encoding="utf-8-sig")
    assert text == "note,value\n'=cmd,-1.5\nok,2.0\n"


def test_export_command_writes_table_and_catalogue(tmp_path):
    out = tmp_path / "kpis.xlsx"
    assert main(["export", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["kpis", "indicators", "milestones"]
    assert wb["kpis"].max_row - 1 == len(load_kpis())
    assert wb["milestones"].max_row - 1 == len(load_milestones())


def test_validate_names_the_cell_of_a_mistake_in_a_filled_template(tmp_path, capsys, fixture_project):
    from dxanalysis.cycle.template import write_template

    book = write_template(tmp_path / "fy2025.xlsx", 2025)
    wb = openpyxl.load_workbook(book)
    row = next(r for r in wb["入力"].iter_rows(min_row=2) if r[0].value == "茅ヶ崎市" and r[1].value == "telework_count")
    row[4].value = "八百十二"  # a number in kanji numerals
    row[8].value, row[9].value, row[10].value = "chigasaki_progress_fy2024", "テレワーク件数の推移", "R7 812"
    wb.save(book)
    assert main(["validate", str(book)]) == 1
    assert f"fy2025.xlsx, row {row[4].row}, column 値: value '八百十二' — bad_number" in capsys.readouterr().out
