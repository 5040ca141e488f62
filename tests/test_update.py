"""The annual update — template, compare, revisions, atomic add, remove — on a copy of the fixture dataset.

The whole cycle on a copy of the project is tests/test_rehearsal.py."""

from __future__ import annotations

import os
import shutil

import openpyxl
import pandas as pd
import pytest

from conftest import good_row, load_fixture_kpis, tree_bytes, write_csv
from dxanalysis import check_kpis, config, load_kpis
from dxanalysis.cli import main
from dxanalysis.errors import ExtractError
from dxanalysis.cycle.add import add_extract, compare
from dxanalysis.cycle import ledger
from dxanalysis.cycle.remove import RemovalRefused, apply_removal, plan_removal
from dxanalysis.cycle.template import expected_rows, write_template

KPIS = load_fixture_kpis()
NEW_SOURCE = "chigasaki_progress_fy2025_test"


def test_expected_rows_for_fy2025():
    rows = expected_rows(KPIS, 2025).set_index(["municipality", "indicator"])
    assert rows.loc[("chigasaki", "online_application_rate"), "target"] == 100.0  # 令和7年度までに100%
    assert rows.loc[("chigasaki", "online_application_rate"), "previous"] == 15.0
    assert rows.loc[("chigasaki", "telework_count"), "previous"] == 761.0
    assert pd.isna(rows.loc[("chigasaki", "telework_count"), "target"])


def test_template_has_entry_sheet_dropdowns_catalogue_and_sources(tmp_path, fixture_project):
    path = write_template(tmp_path / "t.xlsx", 2026)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["説明", "入力", "選択肢", "指標一覧", "出典一覧"]
    ws = wb["入力"]
    assert [c.value for c in ws[1]][:7] == ["自治体", "指標", "年度", "時点", "値", "単位", "区分"]
    validations = {str(dv.sqref).split(":")[0][0]: dv for dv in ws.data_validations.dataValidation}
    assert set(validations) == {"A", "B", "F", "G", "H", "N"}  # N: 年の根拠
    assert ws["N1"].value == "年の根拠"
    assert all(dv.type == "list" and not dv.showDropDown for dv in validations.values())  # arrow visible
    rows = {(r[0], r[1]): r for r in ws.iter_rows(min_row=2, values_only=True)}
    rpa = rows[("秦野市", "rpa_hours_saved")]
    assert rpa[2] == "2026年度" and rpa[4] is None and rpa[6] == "実績" and rpa[15] == 3700  # target beside
    assert len(rows) == len(expected_rows(KPIS, 2026))
    # an untouched template is no data: every pre-filled row is skipped, none is invented
    result = check_kpis(path)
    assert result.problems == [] and len(result.kpis) == 0 and result.report.unfilled_rows == len(rows)
    assert write_template(tmp_path / "u.xlsx", 2026).read_bytes() == path.read_bytes()  # byte-stable


def test_template_explains_every_source_column(tmp_path, fixture_project):
    from dxanalysis.io.catalogue import SOURCE_HEADERS

    wb = openpyxl.load_workbook(write_template(tmp_path / "t.xlsx", 2025))
    text = "\n".join(str(c.value) for c in wb["説明"]["A"] if c.value)
    for col in SOURCE_HEADERS:
        assert f"  {col}: " in text, col
    assert "dxanalysis remove" in text


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


# ---------------------------------------------------------------- add and remove

def _workbook(tmp_path, rows, *, source=NEW_SOURCE):
    """A filled FY2025 template: the given (indicator, value, quote) rows for 茅ヶ崎市, and a new source."""
    book = write_template(tmp_path / "fy2025.xlsx", 2025)
    wb = openpyxl.load_workbook(book)
    wb["出典一覧"].append([source, "令和8年度 進捗管理報告書（テスト用の架空の資料 / synthetic）", "茅ヶ崎市", "2026-12",
                        "", "", "synthetic test source: not a real document"])
    ws = wb["入力"]
    for indicator, value, quote in rows:
        row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "茅ヶ崎市" and r[1].value == indicator)
        row[4].value = value
        row[8].value, row[9].value, row[10].value = source, "架空の表", quote
    wb.save(book)
    return book


def test_add_then_remove_gives_back_the_same_bytes(tmp_path, fixture_project):
    before = tree_bytes(fixture_project)
    folders = sorted(p.relative_to(fixture_project) for p in fixture_project.rglob("*") if p.is_dir())
    book = _workbook(tmp_path, [("telework_count", 812, "令和7年度 812件（架空）"),
                                ("rpa_hours_saved", 14000.5, "令和7年度 14000.5時間（架空）")])
    changes = add_extract(book)
    assert len(changes.new) == 2
    assert NEW_SOURCE in (fixture_project / "sources.csv").read_text(encoding="utf-8")

    plan = plan_removal(workbook=book)
    assert len(plan.rows) == 2 and plan.sources == [NEW_SOURCE]
    assert "telework_count FY2025 actual 812" in str(plan)
    apply_removal(plan)
    assert tree_bytes(fixture_project) == before  # byte-identical: the undo is complete
    assert sorted(p.relative_to(fixture_project) for p in fixture_project.rglob("*") if p.is_dir()) == folders  # no empty ledger/


@pytest.mark.parametrize("typed", ["1234567890123456800", "0.0000001", "80.3", "14000"])
def test_added_values_round_trip_exactly_without_exponents(tmp_path, fixture_project, typed):
    path = write_csv(tmp_path / "x.csv", [good_row(indicator="rpa_hours_saved", fiscal_year="2025", value=typed,
                                                   unit="時間", quote=f"令和7年度 {typed}時間")])
    loaded = load_kpis(path)["value"].iloc[0]
    add_extract(path)
    text = (fixture_project / "kpis" / "chigasaki_progress_fy2024.csv").read_text(encoding="utf-8")
    assert f",{typed}," in text.splitlines()[-1] and "e+" not in text and "e-" not in text
    assert load_kpis().query("fiscal_year == 2025 and indicator == 'rpa_hours_saved'")["value"].tolist() == [loaded]


def test_remove_by_source_keeps_a_source_that_is_still_cited(tmp_path, fixture_project):
    raw = fixture_project / "national" / "raw"
    raw.mkdir(parents=True)
    (raw / "ssdse.csv").write_bytes("団体コード,人口\n142077,244000\n".encode("cp932"))  # raw copies need not be UTF-8
    plan = plan_removal(source_id="fixture_synthetic_revision", bundled=True)
    assert [r[1] for r in plan.rows] == [2] and plan.sources == ["fixture_synthetic_revision"]
    assert plan.files[fixture_project / "kpis" / "fixture_synthetic_revision.csv"] is None  # emptied → deleted
    apply_removal(plan)
    assert not (fixture_project / "kpis" / "fixture_synthetic_revision.csv").exists()
    assert load_kpis().query("indicator == 'open_data_datasets' and fiscal_year == 2024")["value"].tolist() == [365.0]
    # a bundled source also cited elsewhere under data/ keeps its record
    (fixture_project / "records").mkdir()
    write_csv(fixture_project / "records" / "log.csv", [{"source_id": "minamiboso_dx_status_2025"}], header=["source_id"])
    plan = plan_removal(source_id="minamiboso_dx_status_2025", bundled=True)
    assert plan.sources == [] and "records/log.csv" in plan.kept_sources["minamiboso_dx_status_2025"][0]


def test_a_failed_add_leaves_data_byte_identical(tmp_path, fixture_project, monkeypatch):
    """Failure injected while the files are being replaced: every file is restored."""
    before = tree_bytes(fixture_project)
    book = _workbook(tmp_path, [("telework_count", 812, "令和7年度 812件（架空）")])
    calls = []
    real = os.replace

    def flaky(src, dst):
        calls.append(dst)
        if len(calls) == 3:
            raise OSError("disk full (injected)")
        return real(src, dst)

    monkeypatch.setattr(os, "replace", flaky)
    with pytest.raises(OSError, match="injected"):
        add_extract(book)
    # the journal, sources.csv replaced, the KPI file failed, then sources.csv rolled back
    assert [p.name for p in calls] == [".update-journal.json", "sources.csv", f"{NEW_SOURCE}.csv", "sources.csv"]
    assert tree_bytes(fixture_project) == before


def test_add_refuses_line_breaks_and_control_characters(tmp_path, fixture_project):
    before = tree_bytes(fixture_project)
    book = _workbook(tmp_path, [("telework_count", 812, "令和7年度\n812件（架空）")])
    with pytest.raises(ExtractError) as exc:
        add_extract(book)
    [p] = exc.value.problems
    assert (p.file, p.column, p.code, p.detail) == ("fy2025.xlsx", "引用", "line_break", "U+000A")
    assert tree_bytes(fixture_project) == before


def test_add_refuses_what_does_not_load(tmp_path, fixture_project):
    before = tree_bytes(fixture_project)
    book = _workbook(tmp_path, [("telework_count", "八百十二", "令和7年度 812件")])
    with pytest.raises(ExtractError):
        add_extract(book)
    assert tree_bytes(fixture_project) == before


def test_remove_command_asks_and_refuses_without_a_terminal(tmp_path, fixture_project, monkeypatch, capsys):
    before = tree_bytes(fixture_project)
    monkeypatch.setattr("sys.stdin", open(os.devnull))
    assert main(["remove", "--source", "fixture_synthetic_revision", "--yes"]) == 1  # bundled: needs --bundled
    assert "needs --bundled" in capsys.readouterr().err
    assert main(["remove", "--source", "fixture_synthetic_revision", "--bundled"]) == 1
    out = capsys.readouterr()
    assert "1 row(s) to remove" in out.out and "--yes" in out.err
    assert tree_bytes(fixture_project) == before
    assert main(["remove", "--source", "fixture_synthetic_revision", "--bundled", "--yes"]) == 0
    out = capsys.readouterr().out
    assert not (fixture_project / "kpis" / "fixture_synthetic_revision.csv").exists()
    assert "make report" in out
    assert main(["remove", "--source", "nothing_like_this", "--yes"]) == 1
    assert "unknown source 'nothing_like_this'" in capsys.readouterr().err


# ---------------------------------------------------------------- the ledger: remove takes back exactly what add wrote

def _fy2025_csv(tmp_path, value="812", name="fy2025.csv"):
    """A CSV with one new FY2025 figure of a bundled source (appended to its existing file) and one repeated bundled row."""
    return write_csv(tmp_path / name, [good_row(fiscal_year="2025", value=value, quote=f"令和7年度 {value}件"),
                                       good_row()])


def test_remove_after_a_no_op_or_refused_add_removes_nothing_and_says_so(tmp_path, fixture_project, capsys):
    before = tree_bytes(fixture_project)
    same = write_csv(tmp_path / "same.csv", [good_row()])  # repeats a bundled figure: nothing to write
    assert main(["add", str(same)]) == 0
    assert "nothing written" in capsys.readouterr().out
    bad = _workbook(tmp_path, [("telework_count", "八百十二", "令和7年度 812件")])
    assert main(["add", str(bad)]) == 1
    for book in (same, bad):
        assert main(["remove", str(book), "--yes"]) == 1
        assert f"{book.name} was never added" in capsys.readouterr().err
    assert tree_bytes(fixture_project) == before  # the bundled row the no-op add repeated is still there


def test_remove_takes_back_only_the_rows_the_add_appended(tmp_path, fixture_project, capsys):
    before = tree_bytes(fixture_project)
    path = _fy2025_csv(tmp_path)
    changes = add_extract(path)
    assert (len(changes.new), len(changes.unchanged)) == (1, 1) and changes.add_id.endswith(ledger.file_sha256(path)[:8])
    [entry] = ledger.entries()
    [item] = entry["files"]
    assert item["path"] == "kpis/chigasaki_progress_fy2024.csv" and not item["created"]
    assert [r["row"] for r in item["rows"]] == [9] and item["rows"][0]["line"].startswith("chigasaki,telework_count,2025,")
    assert main(["remove", "--add", changes.add_id, "--yes"]) == 0
    out = capsys.readouterr().out
    assert "1 row(s) to remove" in out and "data/kpis/chigasaki_progress_fy2024.csv, row 9" in out and "make report" in out
    assert tree_bytes(fixture_project) == before
    assert main(["remove", "--add", changes.add_id, "--yes"]) == 1
    assert "no add with id" in capsys.readouterr().err


@pytest.mark.parametrize("encoding, newline", [("utf-8-sig", "\r\n"), ("cp932", "\r\n"), ("cp932", "\n")])
def test_remove_reads_a_file_excel_re_saved_and_writes_it_back_in_its_own_encoding(
        tmp_path, fixture_project, encoding, newline):
    target = fixture_project / "kpis" / "chigasaki_progress_fy2024.csv"
    original = target.read_bytes().decode("utf-8")
    path = _fy2025_csv(tmp_path)
    add_extract(path)
    resaved = target.read_bytes().decode("utf-8").replace("\n", newline)
    target.write_bytes(resaved.encode(encoding))  # Excel re-saves with a BOM, or in CP932, with CRLF
    plan = plan_removal(workbook=path)
    assert [(f, row) for f, row, _ in plan.rows] == [("data/kpis/chigasaki_progress_fy2024.csv", 9)]
    apply_removal(plan)
    assert target.read_bytes() == original.replace("\n", newline).encode(encoding)
    assert len(load_kpis()) == len(KPIS)


def test_remove_refuses_when_an_added_row_was_edited_by_hand(tmp_path, fixture_project):
    path = _fy2025_csv(tmp_path)
    add_extract(path)
    target = fixture_project / "kpis" / "chigasaki_progress_fy2024.csv"
    target.write_bytes(target.read_bytes().replace(b",812,", b",813,"))
    with pytest.raises(RemovalRefused, match=r"no longer holds row 9 as add .* wrote it"):
        plan_removal(workbook=path)


def test_add_keeps_the_full_width_characters_of_a_typed_title(tmp_path, fixture_project):
    book = _workbook(tmp_path, [("telework_count", 812, "令和7年度 812件（架空）")])
    add_extract(book)
    [record] = [line for line in (fixture_project / "sources.csv").read_text(encoding="utf-8").splitlines()
                if line.startswith(NEW_SOURCE)]
    assert "令和8年度 進捗管理報告書（テスト用の架空の資料 / synthetic）" in record  # not (…) after NFKC


def test_remove_of_a_bundled_source_needs_the_flag_and_names_its_data_tests(fixture_project, capsys):
    assert main(["remove", "--source", "chigasaki_progress_fy2024", "--yes"]) == 1
    err = capsys.readouterr().err
    assert "needs --bundled" in err and "tests/test_data.py::test_approximate_flags_of_headline_figures" in err


def test_remove_source_of_an_added_source_needs_no_flag_and_forgets_its_ledger_rows(tmp_path, fixture_project, capsys):
    before = tree_bytes(fixture_project)
    book = _workbook(tmp_path, [("telework_count", 812, "令和7年度 812件（架空）")])
    add_extract(book)
    assert len(ledger.entries()) == 1
    assert main(["remove", "--source", NEW_SOURCE, "--yes"]) == 0
    out = capsys.readouterr().out
    assert "1 row(s) to remove" in out and f"source record {NEW_SOURCE} is removed" in out and "ledger entry" in out
    assert ledger.entries() == [] and tree_bytes(fixture_project) == before
    assert main(["remove", str(book), "--yes"]) == 1  # its add was taken back with the source


def test_add_to_a_cp932_file_refuses_a_character_it_cannot_hold(tmp_path, fixture_project, capsys):
    target = fixture_project / "kpis" / "chigasaki_progress_fy2024.csv"
    target.write_bytes(target.read_bytes().decode("utf-8").encode("cp932"))  # Excel re-saved it in CP932
    before = tree_bytes(fixture_project)
    path = write_csv(tmp_path / "x.csv", [good_row(fiscal_year="2025", value="812", quote="令和7年度 812件 🙂")])
    assert main(["validate", str(path)]) == 1
    assert main(["add", str(path)]) == 1
    out = capsys.readouterr().out
    assert out.count("x.csv — update_refused") == 2 and "'🙂' cannot be written in the file's encoding (cp932)" in out
    assert tree_bytes(fixture_project) == before
    ok = write_csv(tmp_path / "ok.csv", [good_row(fiscal_year="2025", value="812", quote="令和7年度 812件")])
    add_extract(ok)  # one it can hold is appended in CP932, and the file still loads
    assert target.read_bytes().endswith("令和7年度 812件,,\n".encode("cp932"))
    assert load_kpis().query("fiscal_year == 2025 and indicator == 'telework_count'")["value"].tolist() == [812.0]


def test_add_then_remove_on_a_file_without_a_final_line_end_gives_back_the_same_bytes(tmp_path, fixture_project):
    target = fixture_project / "kpis" / "chigasaki_progress_fy2024.csv"
    target.write_bytes(target.read_bytes().rstrip(b"\n"))  # saved by an editor that writes no final line end
    before = tree_bytes(fixture_project)
    path = _fy2025_csv(tmp_path)
    add_extract(path)
    [entry] = ledger.entries()
    assert entry["files"][0]["line_end_added"] is True
    apply_removal(plan_removal(workbook=path))
    assert tree_bytes(fixture_project) == before
