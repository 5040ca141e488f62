"""The one writer (dxanalysis.io.write): formula starts neutralised (full-width too), characters XLSX cannot
hold removed, cells Excel cannot hold refused, figure data written through it."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from dxanalysis.io.write import WriteError, clean_text, neutralise, write_csv, write_xlsx


@pytest.mark.parametrize("cell, safe", [
    ("＝HYPERLINK(\"x\")", "'＝HYPERLINK(\"x\")"), ("＋81", "'＋81"), ("－5件", "'－5件"), ("＠SUM(A1)", "'＠SUM(A1)"),
    (" =1+1", "' =1+1"), ("\u3000=1", "'\u3000=1"), ("R6 761", "R6 761"), ("約＝", "約＝"),
])
def test_fullwidth_and_padded_formula_starts_are_neutralised(cell, safe):
    assert neutralise(cell) == safe


def test_control_characters_are_removed_from_csv_and_xlsx_alike(tmp_path):
    df = pd.DataFrame({"quote": ["R6\x00 761\x1b", "ok\tline\nbreak"], "value": [761.0, 1.0]})
    ws = openpyxl.load_workbook(write_xlsx({"kpis": df}, tmp_path / "x.xlsx")).active
    assert [ws["A2"].value, ws["A3"].value] == ["R6 761", "ok\tline\nbreak"]
    text = write_csv(df, tmp_path / "x.csv").read_text(encoding="utf-8-sig")
    assert "\x00" not in text and "\x1b" not in text and "R6 761" in text


def test_a_cell_excel_cannot_hold_is_refused_not_cut():
    assert clean_text("x" * 32_767) == "x" * 32_767
    with pytest.raises(WriteError):
        clean_text("x" * 32_768)


def test_sheet_names_excel_refuses_are_made_safe(tmp_path):
    path = write_xlsx({"a/b:c?": pd.DataFrame({"v": [1]})}, tmp_path / "x.xlsx")
    assert openpyxl.load_workbook(path).sheetnames == ["a_b_c_"]


def test_figure_data_goes_through_the_writer(tmp_path):
    import matplotlib.pyplot as plt

    from dxanalysis.present.style import apply_style
    from dxanalysis.present.layout import save_figure

    apply_style()
    fig, ax = plt.subplots()
    data = pd.DataFrame({"label": ["=HYPERLINK(\"http://x\")", "＠SUM(A1)", "R6"], "value": [-1.0, 2.0, 3.0]})
    paths = save_figure(fig, "t", data=data, sources=["chigasaki_progress_fy2024"], title="t", directory=tmp_path)
    text = paths[2].read_text(encoding="utf-8")
    assert text.splitlines()[1:] == ['"\'=HYPERLINK(""http://x"")",-1.0', "'＠SUM(A1),2.0", "R6,3.0"]
