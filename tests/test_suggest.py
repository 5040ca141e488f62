"""Candidate figures from a new document (issue 21, point 3) and the small suggest rehearsal (point 4) — on a copy
of the fixture dataset, with a SYNTHETIC next-year PDF made from the fixture's own quotes (no ../shared needed)."""

from __future__ import annotations

import openpyxl
import pytest

from conftest import load_fixture_kpis
from dxanalysis import load_kpis
from dxanalysis.cycle.suggest import REVIEW_COLUMN, Masked, suggest, value_position
from dxanalysis.io.numbers import numbers_in
from dxanalysis.io.sources import source_text
from suggest_rehearsal import next_year_text, rehearse

KPIS = load_fixture_kpis()
SOURCE = "chigasaki_progress_fy2024"


def this_years_text() -> str:
    """A small document standing for this year's report: the headings and quotes of the fixture's 茅ヶ崎市 rows."""
    rows = KPIS[KPIS["source_id"] == SOURCE]
    lines = ["令和7年度 茅ヶ崎市デジタル化推進方針 進捗管理報告書（令和6年度実績分）（架空の抜粋・synthetic）"]
    for r in rows.drop_duplicates("quote").itertuples():
        lines += [seg.strip() for seg in r.location.split("/")] + [r.quote, "このほか、各課で取組を進めました。"]
    return "\n".join(lines)


def test_next_year_text_moves_years_and_changes_every_other_number():
    new = next_year_text("年度 テレワーク件数 R4 961 R5 753 R6 761\n令和7年12月 約 1,050 件、2~3日", seed=1)
    assert new.startswith("年度 テレワーク件数 R5 ") and " R6 " in new and " R7 " in new
    assert "令和8年12月" in new and "3日" in new  # months and days stay dates
    old_numbers = {"961", "753", "761", "1,050"}
    assert not old_numbers & set(new.replace("、", " ").split())
    assert Masked.of(new.splitlines()[1]).masked == "令和#年#月 約 # 件、#~#日"


def test_value_position_prefers_the_figure_to_a_year():
    q = Masked.of("令和6年度の実績で6件")
    start, end = q.spans[value_position(q, 6.0)]
    assert q.text[start:end] == "6" and start == 9


def test_small_rehearsal_suggests_right_values_and_the_cycle_completes(tmp_path, fixture_project, capsys):
    out = rehearse(this_years_text(), load_kpis(), source_id=SOURCE, new_id="chigasaki_progress_fy2025_synthetic",
                   fiscal_year=2025, work=tmp_path)
    assert out.rows == 3  # online_application_rate (stated), rpa_hours_saved (heading), telework_count (table)
    assert (out.right, out.wrong, out.missed) == (3, [], [])
    assert out.steps == {"source add": 0, "suggest": 0, "validate before confirming": 1, "validate": 0, "add": 0}
    added = (fixture_project / "kpis" / "chigasaki_progress_fy2025_synthetic.csv").read_text(encoding="utf-8")
    assert added.count("\n") == 1 + 3 and ",p.1," in added.replace(" / p.1,", ",p.1,")
    text = source_text("chigasaki_progress_fy2025_synthetic")
    found, empty = suggest(load_kpis(), "chigasaki_progress_fy2025_synthetic", 2025, text)
    for c in found:  # a suggestion's number is in its quote, and its quote in the document
        assert c.value in numbers_in(c.quote)
        assert text.locate(c.quote) is not None


def test_suggest_marks_every_row_and_leaves_the_rest_empty(tmp_path, fixture_project):
    from dxanalysis.cli import main

    rehearse(this_years_text(), load_kpis(), source_id=SOURCE, new_id="next_synthetic", fiscal_year=2025,
             work=tmp_path)  # registers the document (and adds the confirmed rows)
    book = tmp_path / "again.xlsx"
    assert main(["suggest", "--source", "next_synthetic", "--fiscal-year", "2026", str(book)]) == 0
    assert main(["suggest", "--source", "next_synthetic", "--fiscal-year", "2025", str(book)]) == 0
    ws = openpyxl.load_workbook(book)["入力"]
    header = [c.value for c in ws[1]]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    marked = [r for r in rows if r[header.index(REVIEW_COLUMN)] == "要確認"]
    assert len(marked) == 3 and all(r[header.index("出典")] == "next_synthetic" for r in marked)
    others = [r for r in rows if r not in marked]
    assert others and all(r[header.index("値")] is None and r[header.index("引用")] is None for r in others)
    assert all(r[0] == "茅ヶ崎市" for r in marked)  # only the document's own city


def test_suggest_needs_a_registered_text(fixture_project, capsys, tmp_path):
    from dxanalysis.cli import main

    assert main(["suggest", "--source", SOURCE, "--fiscal-year", "2025", str(tmp_path / "x.xlsx")]) == 1
    assert "source add" in capsys.readouterr().err
