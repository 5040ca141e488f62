"""The bad-input corpus: each file must produce exactly its expected (row, column, error code) list."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from dxanalysis import ERROR_CODES, ExtractError, check_kpis, load_kpis

BAD = Path(__file__).parent / "fixtures" / "bad"
EXPECTED = json.loads((BAD / "expected.json").read_text(encoding="utf-8"))


def test_corpus_is_large_and_mixed():
    assert sum(bool(e) for e in EXPECTED.values()) >= 50
    assert sum(n.endswith(".xlsx") for n in EXPECTED) >= 17
    assert sorted(p.name for p in BAD.iterdir() if p.suffix in (".csv", ".xlsx")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_exact_report(name):
    result = check_kpis(BAD / name)
    got = sorted(([p.row, p.column, p.code] for p in result.problems), key=str)
    assert got == sorted(EXPECTED[name], key=str)
    assert result.report.balanced


BAD_NAMES = sorted(n for n, e in EXPECTED.items() if e)


@pytest.mark.parametrize("name", BAD_NAMES)
def test_message_names_file_row_and_column(name):
    with pytest.raises(ExtractError) as exc:
        load_kpis(BAD / name)
    message = str(exc.value)
    assert name in message
    for row, column, code in EXPECTED[name]:
        assert code in message
        if row is not None:
            assert f"row {row}, column {column}" in message if column is not None else f"row {row} —" in message


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_problem_has_bilingual_message_and_hint(name):
    for p in check_kpis(BAD / name).problems:
        en, ja, hint_en, hint_ja = ERROR_CODES[p.code]
        assert en and ja and hint_en and hint_ja
        assert hint_en in str(p) and hint_ja in str(p)


def test_a_cp932_file_of_halfwidth_kana_is_not_read_as_utf8():
    """ﾏｲﾅｰ in CP932 is CF B2 C5 B0, which is also valid UTF-8 (ϲŰ): the file is CP932 (issue 19)."""
    raw = (BAD / "halfwidth_kana_cp932_ok.csv").read_bytes()
    raw.decode("utf-8")  # the trap: these bytes are valid UTF-8
    kpis = load_kpis(BAD / "halfwidth_kana_cp932_ok.csv")
    assert kpis[["location", "note"]].values.tolist() == [["ﾏｲﾅｰ", "ﾏｲﾅｰ"]]


@pytest.mark.parametrize("name, values", [
    ("number_formats_ok.csv", {2024: 5000.0, 2023: 5000.0, 2022: 10_000_000.0, 2021: 30_000.0}),
    ("fullwidth_municipality_ok.csv", {2024: 761.0, 2023: 761.0, 2022: 761.0}),
])
def test_good_files_in_the_corpus_load_exact_values(name, values):
    kpis = load_kpis(BAD / name)
    assert set(kpis["municipality"]) == {"chigasaki"}
    assert kpis.set_index("fiscal_year")["value"].to_dict() == values


def test_placeholders_are_kept_as_missing_never_zero():
    kpis = load_kpis(BAD / "placeholders_only_ok.csv")
    assert len(kpis) == 7 and kpis["value"].isna().all()
    assert kpis.attrs["load_report"].values_missing == 7


def test_closest_name_is_suggested():
    [p] = check_kpis(BAD / "japanese_headers_cp932.csv").problems
    assert p.value == "茅ヶ先市" and "茅ヶ崎市" in p.detail


def test_duplicate_names_both_rows():
    [p] = check_kpis(BAD / "conflicting_duplicate.csv").problems
    assert p.row == 3 and "row 2" in p.detail and "761" in p.detail


def test_unsafe_workbooks_are_refused_quickly():
    for name in ("zip_bomb.xlsx", "billion_laughs.xlsx"):
        start = time.perf_counter()
        [p] = check_kpis(BAD / name).problems
        assert p.code == "unsafe_file"
        assert time.perf_counter() - start < 2.0


def test_fixture_files_are_current(tmp_path, monkeypatch):
    """The committed CSVs and expectations are what make_bad_inputs.py writes."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("mk", BAD.parent / "make_bad_inputs.py")
    mk = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mk)
    monkeypatch.setattr(mk, "HERE", tmp_path)
    mk.main()
    assert (tmp_path / "expected.json").read_text(encoding="utf-8") == (BAD / "expected.json").read_text(encoding="utf-8")
    for csv_file in BAD.glob("*.csv"):
        assert (tmp_path / csv_file.name).read_bytes() == csv_file.read_bytes(), csv_file.name


# ---------------------------------------------------------------- issue 12: cells as the analyst sees them

def test_percent_formatted_cells_load_as_the_percentage_shown():
    kpis = load_kpis(BAD / "percent_format_ok.xlsx")
    assert kpis.set_index("fiscal_year")["value"].to_dict() == {2024: 15.0, 2023: 15.3}


def test_numbers_in_text_columns_keep_their_text_and_a_numeric_code_names_the_city():
    kpis = load_kpis(BAD / "numbers_in_text_columns_ok.xlsx")
    assert kpis["quote"].tolist() == ["761", "753"]
    assert kpis["municipality"].tolist() == ["chigasaki", "chigasaki"]


def test_error_cells_are_named():
    problems = check_kpis(BAD / "error_cells.xlsx").problems
    assert [(p.value, p.code) for p in problems] == [("#N/A", "error_cell"), ("#DIV/0!", "error_cell")]


def test_hidden_rows_are_loaded_and_counted():
    kpis = load_kpis(BAD / "hidden_rows_ok.xlsx")
    report = kpis.attrs["load_report"]
    assert len(kpis) == 2 and report.hidden_rows == 1 and "1 of them hidden" in str(report)


def test_sheet_choice_names_the_sheets_looked_at():
    [p] = check_kpis(BAD / "ambiguous_sheets.xlsx").problems
    assert "R6" in p.detail and "R5" in p.detail
    [p] = check_kpis(BAD / "no_header_any_sheet.xlsx").problems
    assert "Sheet1" in p.detail and "メモ2" in p.detail
    assert len(load_kpis(BAD / "empty_first_sheet_ok.xlsx")) == 1


def test_an_era_source_date_in_the_workbook_is_converted():
    from dxanalysis.contract.load import read_extracts

    raw = read_extracts(BAD / "workbook_source_era_date_ok.xlsx").raw[0].sources  # read as typed …
    assert raw["date"].tolist() != ["2025-05"]
    assert check_kpis(BAD / "workbook_source_era_date_ok.xlsx").problems == []  # … and read as a date by the check
    from dxanalysis.contract.rules import check_source_dates

    assert check_source_dates(raw, "x.xlsx")[0]["date"].tolist() == ["2025-05"]


# ---------------------------------------------------------------- issue 12: CSV structure and encodings

def test_csv_structure_problems_name_the_row():
    [p] = check_kpis(BAD / "unquoted_comma_shifts_cells.csv").problems
    assert "14 cells, the header row has 13" in p.detail
    [p] = check_kpis(BAD / "mixed_utf8_cp932.csv").problems
    assert "row 3" in p.detail and "utf-8" in p.detail


def test_utf16_large_and_multiline_cells_load():
    assert load_kpis(BAD / "utf16_bom_ok.csv")["value"].tolist() == [761.0]
    large = load_kpis(BAD / "large_cells_ok.csv")
    assert large["value"].tolist() == [761.0, 753.0, 961.0] and large["quote"].str.len().max() > 131_072
    assert load_kpis(BAD / "multiline_quote_ok.csv")["quote"].tolist() == ["テレワーク件数\nR6 761"]


# ---------------------------------------------------------------- no input gives a traceback (CLI)

DATA_PATHS = ("DATA_DIR", "KPI_DIR", "REFERENCE_DIR", "RECORDS_DIR", "INDICATORS_CSV", "MILESTONES_CSV",
              "MILESTONE_CATEGORIES_CSV", "MUNICIPALITIES_CSV", "SOURCES_CSV")


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A temporary copy of data/, with config pointing at it (so `add` never touches the real data)."""
    import shutil

    from dxanalysis import config

    copy = tmp_path / "data"
    shutil.copytree(config.DATA_DIR, copy)
    original = Path(config.DATA_DIR)
    for name in DATA_PATHS:
        monkeypatch.setattr(config, name, copy / Path(getattr(config, name)).relative_to(original))
    return copy


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_fixture_through_validate_and_add_exits_cleanly(name, data_copy, capsys):
    from dxanalysis.cli import main

    before = {p.name: p.read_bytes() for p in (data_copy / "kpis").iterdir()}
    codes = {}
    for command in ("validate", "add"):
        code = codes[command] = main([command, str(BAD / name)])  # an exception here is the traceback this test forbids
        out = capsys.readouterr()
        # a loadable file may still be refused by validate and add alike (e.g. it changes a figure of its own source)
        assert code == 1 if EXPECTED[name] else code in (0, 1), (command, out)
        assert (out.out + out.err).strip() and "Traceback" not in out.out + out.err
        if code == 1:
            assert "NG" in out.out + out.err
    assert codes["validate"] == codes["add"]  # validate = add without the write (issue 19)
    if EXPECTED[name]:  # a refused file changes nothing
        assert {p.name: p.read_bytes() for p in (data_copy / "kpis").iterdir()} == before


def test_export_after_adding_every_good_fixture_exits_cleanly(data_copy, capsys):
    from dxanalysis.cli import main

    good = [str(BAD / n) for n, e in sorted(EXPECTED.items()) if not e]
    assert main(["add", *good]) in (0, 1)
    for out in ("out.xlsx", "out.csv"):
        assert main(["export", str(data_copy.parent / out)]) == 0
    assert "Traceback" not in capsys.readouterr().out


def test_the_whole_corpus_in_one_cli_process_gives_no_traceback():
    import subprocess
    import sys

    from dxanalysis import config

    run = subprocess.run([sys.executable, "-m", "dxanalysis", "validate", "--no-compare", str(BAD)],
                         capture_output=True, text=True, timeout=300, cwd=config.PROJECT_DIR)
    assert run.returncode == 1
    assert "Traceback" not in run.stdout + run.stderr
    assert sum(1 for line in run.stdout.splitlines() if " — " in line) >= sum(len(e) for e in EXPECTED.values())
