"""validate = add without the write: every file of the bad-input corpus (good ones too) gets the same verdict
and the same problem list from both, on a copy of the fixture project; every refusal names the workbook's
file, row and column, never a staging folder."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest

from conftest import tree_bytes
from dxanalysis import check_kpis
from dxanalysis.cli import main
from dxanalysis.cycle.add import add_extract
from dxanalysis.cycle.template import write_template
from dxanalysis.errors import ExtractError

BAD = Path(__file__).parent / "fixtures" / "bad"
CORPUS = sorted(json.loads((BAD / "expected.json").read_text(encoding="utf-8")))


def _validate(path: Path, capsys) -> tuple[int, list[str]]:
    rc = main(["validate", str(path)])
    out = capsys.readouterr().out
    return rc, [line for line in out.splitlines() if line.startswith(path.name)]


def _add(path: Path) -> tuple[int, list[str]]:
    try:
        add_extract(path)
    except ExtractError as exc:
        return 1, [str(p) for p in exc.problems]
    return 0, []


@pytest.mark.parametrize("name", CORPUS)
def test_validate_and_add_give_the_same_verdict(name, fixture_project, capsys):
    path = BAD / name
    rc_v, problems_v = _validate(path, capsys)
    before = tree_bytes(fixture_project)
    rc_a, problems_a = _add(path)
    assert (rc_v, problems_v) == (rc_a, problems_a)
    assert all(p.startswith(name) and "dxanalysis-stage" not in p and "/tmp" not in p for p in problems_a)
    if rc_a:
        assert tree_bytes(fixture_project) == before


def test_the_corpus_has_both_verdicts(fixture_project, capsys):
    """Guard against a corpus where the comparison above could only ever see one verdict."""
    assert _validate(BAD / "empty_first_sheet_ok.xlsx", capsys)[0] == 0
    assert _validate(BAD / "many_problems_at_once.csv", capsys)[0] == 1
    # loads, but add would refuse it (it changes figures of their own source): so does validate
    assert check_kpis(BAD / "number_formats_ok.csv").problems == []
    rc, problems = _validate(BAD / "number_formats_ok.csv", capsys)
    assert rc == 1 and [p.split(" — ")[1].split(":")[0] for p in problems] == ["same_source_changed"] * 3


def _book(tmp_path, rows, sources):
    """A FY2025 workbook: ``rows`` are (indicator, value, source, quote) for 茅ヶ崎市, ``sources`` 出典一覧 rows."""
    book = write_template(tmp_path / "fy2025.xlsx", 2025)
    wb = openpyxl.load_workbook(book)
    for s in sources:
        wb["出典一覧"].append(list(s))
    ws = wb["入力"]
    for indicator, value, source, quote, *year in rows:
        row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "茅ヶ崎市" and r[1].value == indicator)
        row[4].value = value
        row[8].value, row[9].value, row[10].value = source, "架空の表", quote
        if year:
            row[2].value = year[0]
    wb.save(book)
    return book


SYNTHETIC = ("chigasaki_fy2025_synthetic", "令和8年度 進捗（架空）", "茅ヶ崎市", "2026-12", "", "", "synthetic test source")


def _both(book, capsys):
    v = _validate(book, capsys)
    a = _add(book)
    assert v == a
    return v


def test_a_line_break_in_a_quote_is_refused_by_validate_as_by_add(tmp_path, fixture_project, capsys):
    book = _book(tmp_path, [("telework_count", 812, SYNTHETIC[0], "令和7年度\n812件（架空）")], [SYNTHETIC])
    rc, [problem] = _both(book, capsys)
    assert rc == 1 and problem.startswith("fy2025.xlsx, row ") and ", column 引用: " in problem
    assert "line_break" in problem and "Replace line breaks with a space" in problem


def test_validates_summary_counts_a_row_the_updates_checks_refuse_as_rejected(tmp_path, fixture_project, capsys):
    book = _book(tmp_path, [("telework_count", 812, SYNTHETIC[0], "令和7年度\n812件（架空）"),
                            ("rpa_hours_saved", 5000, SYNTHETIC[0], "令和7年度 約5,000時間（架空）")], [SYNTHETIC])
    assert main(["validate", str(book)]) == 1
    [summary] = [line for line in capsys.readouterr().out.splitlines() if " rows read" in line]
    assert ", 1 loaded, 1 rejected," in summary  # the row with the line break is not counted as loaded


def test_a_source_id_typed_twice_is_refused_at_both_rows(tmp_path, fixture_project, capsys):
    twice = (SYNTHETIC[0], "別の題名（架空）", *SYNTHETIC[2:])
    book = _book(tmp_path, [("telework_count", 812, SYNTHETIC[0], "令和7年度 812件（架空）")], [SYNTHETIC, twice])
    rc, problems = _both(book, capsys)
    assert rc == 1 and len(problems) == 2
    first, second = (int(re.match(r"fy2025.xlsx, row (\d+), column 出典一覧: source_id: ", p).group(1)) for p in problems)
    assert second == first + 1  # appended after the bundled sources the template lists
    assert "duplicate_source_id" in problems[0] and "duplicate_source_id" in problems[1]  # the contract check (both rows)
    assert f"row(s) {second})" in problems[0] and f"row(s) {first})" in problems[1]


def test_a_revision_dated_like_the_bundled_source_names_the_workbook_row(tmp_path, fixture_project, capsys):
    same_date = ("chigasaki_correction_synthetic", "訂正（架空）", "茅ヶ崎市", "2025-12", "", "", "synthetic test source")
    book = _book(tmp_path, [("telework_count", 762, same_date[0], "令和6年度 762件（架空）", "2024年度")], [same_date])
    rc, [problem] = _both(book, capsys)
    assert rc == 1 and re.match(r"fy2025.xlsx, row \d+, column 年度: value 2024 — duplicate_key", problem)
    assert "(value 762 there)" in problem  # the workbook row's own value, named once, in the detail
    assert "(data/kpis/chigasaki_progress_fy2024.csv row 8 has value 761; same key as fy2025.xlsx row " in problem
    assert "dxanalysis-stage" not in problem and "np." not in problem
