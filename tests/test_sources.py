"""Source documents inside the project (issue 21): `source add` / `source list`, and validate checking every
quote against its source's text with pages — on a copy of the fixture dataset, with SYNTHETIC documents
(PDFs made here with an embedded Japanese font), and without ../shared (the seeds are hidden from code tests)."""

from __future__ import annotations

import hashlib

import pytest

from conftest import good_row, tree_bytes, write_csv
from dxanalysis import check_kpis
from dxanalysis.cli import main
from dxanalysis.contract.load import validate_warnings
from dxanalysis.io.documents import html_text
from dxanalysis.io.sources import source_text
from pdfdoc import encrypt_pdf, write_scanned_pdf, write_text_pdf

SID = "chigasaki_progress_fy2025"
PAGES = [["令和8年度 茅ヶ崎市デジタル化推進方針 進捗管理報告書（架空・synthetic）", "はじめに"],
         ["（2）行政内部のデジタル化", "年度 テレワーク件数 R5 753 R6 761 R7 812", "テレワークの推進を図るため"],
         ["RPA の運用により年間", "約 15,200 時間もの作業削減効果を達成しました。"]]


def _add(pdf, sid=SID, *extra):
    return main(["source", "add", str(pdf), "--id", sid, "--title", "令和8年度 進捗管理報告書（架空）",
                 "--publisher", "茅ヶ崎市", "--date", "2026-12", *extra])


@pytest.fixture
def registered(tmp_path, fixture_project):
    pdf = write_text_pdf(PAGES, tmp_path / "report.pdf")
    assert _add(pdf, SID, "--url", "https://example.invalid/r8.pdf") == 0
    return pdf


def test_source_add_keeps_the_original_its_text_with_pages_and_a_record(registered, fixture_project):
    docs = fixture_project / "sources"
    original = (docs / f"{SID}.pdf").read_bytes()
    assert original == registered.read_bytes()
    text = (docs / f"{SID}.txt").read_text(encoding="utf-8")
    assert text.count("\f") == 2 and text.split("\f")[1].splitlines()[1] == "年度 テレワーク件数 R5 753 R6 761 R7 812"
    record = check_kpis().report  # the catalogue still loads
    assert record.problems == 0
    from dxanalysis.io.catalogue import load_sources

    src = load_sources().loc[SID]
    assert (src["file"], src["pages"], src["date"], src["url"]) == (f"{SID}.pdf", "3", "2026-12",
                                                                    "https://example.invalid/r8.pdf")
    assert src["sha256"] == hashlib.sha256(original).hexdigest()
    st = source_text(SID)
    assert st.paged and st.locate("約 15,200 時間もの作業削減効果") == (3, 3)


def test_source_list_shows_date_pages_and_text(registered, fixture_project, capsys):
    assert main(["source", "list"]) == 0
    out = capsys.readouterr().out
    line = next(l for l in out.splitlines() if l.startswith(SID))
    assert "2026-12" in line and "pages    3" in line and f"text yes (data/sources/{SID}.txt)" in line.replace(
        str(fixture_project.parent) + "/", "")
    other = next(l for l in out.splitlines() if l.startswith("chigasaki_progress_fy2024"))
    assert "text NO" in other  # the seeds are not there (fresh clone): said, not hidden


@pytest.mark.parametrize("case, reason", [
    ("scanned", "OCR is not supported"), ("encrypted", "encrypted"), ("duplicate", "already registered"),
    ("unsafe", "not a safe name"), ("capital", "not a safe name"), ("same_bytes", "same document is already"),
    ("docx", "is not taken"), ("date", "cannot be read"),
])
def test_source_add_refuses_with_the_reason(case, reason, registered, tmp_path, fixture_project, capsys):
    before = tree_bytes(fixture_project)
    path, sid, date = registered, "other_2026", "2026-12"
    if case == "scanned":
        path = write_scanned_pdf(tmp_path / "scan.pdf")
    elif case == "encrypted":
        path = encrypt_pdf(write_text_pdf([["暗号化（架空）"]], tmp_path / "plain.pdf"), tmp_path / "locked.pdf")
    elif case == "duplicate":
        path, sid = write_text_pdf([["別の資料（架空）"]], tmp_path / "b.pdf"), SID
    elif case in ("unsafe", "capital"):
        sid = "../x" if case == "unsafe" else "Chigasaki2026"
    elif case == "docx":
        path = tmp_path / "r.docx"
        path.write_bytes(b"PK\x03\x04")
    args = ["source", "add", str(path), "--id", sid, "--title", "t", "--publisher", "茅ヶ崎市",
            "--date", "13月" if case == "date" else date]
    assert main(args) == 1
    assert reason in capsys.readouterr().err
    assert tree_bytes(fixture_project) == before  # nothing written


def test_html_is_read_with_a_parser_not_stripped():
    page = ("<html><head><script>var s = '<p>R6 999</p>';</script></head><body><h1>テレワーク</h1>"
            "<table><tr><th>年度</th><td>R7</td><td>812 &amp; 5</td></tr></table></body></html>")
    assert html_text(page) == "テレワーク\n年度\tR7\t812 & 5"


def test_validate_checks_every_quote_fills_pages_and_shows_the_closest_passage(registered, tmp_path, capsys):
    ok = write_csv(tmp_path / "ok.csv", [
        good_row(fiscal_year="2025", value="812", source_id=SID, location="", quote="R6 761 R7 812"),
        good_row(indicator="rpa_hours_saved", unit="時間", fiscal_year="2026", value="15200", source_id=SID,
                 location="", year_basis="document", note="undated (document of 2026-12, FY2026)",
                 quote="テレワークの推進を図るため RPA の運用により年間約 15,200 時間"),  # over the page break 2 → 3
    ])
    result = check_kpis(ok)
    locations = result.kpis.set_index("indicator")["location"]
    assert locations["telework_count"] == "p.2"
    assert locations["rpa_hours_saved"] == "p.2–3"
    bad = write_csv(tmp_path / "bad.csv", [good_row(fiscal_year="2025", value="821", source_id=SID,
                                                    quote="R7 821")])
    [p] = [p for p in check_kpis(bad).problems if p.code == "quote_not_in_source"]
    assert (p.row, p.column, p.value) == (2, "quote", "R7 821")
    assert "closest passage on p.2" in p.detail and "R7812" in p.detail
    assert main(["validate", "--no-compare", str(bad)]) == 1
    assert "quote_not_in_source" in capsys.readouterr().out


def test_a_source_without_text_is_a_warning_never_silent(fixture_project, tmp_path, capsys):
    path = write_csv(tmp_path / "x.csv", [good_row()])  # chigasaki_progress_fy2024: its seeds text is absent
    result = check_kpis(path)
    assert result.problems == []
    [w] = [w for w in validate_warnings(result.kpis, compare=False) if w.code == "quote_not_checked"]
    assert w.value == "chigasaki_progress_fy2024" and "1 quote(s) not checked" in w.detail
    assert main(["validate", "--no-compare", str(path)]) == 0
    assert "warning: x.csv: value 'chigasaki_progress_fy2024' — quote_not_checked" in capsys.readouterr().out


def test_a_row_still_marked_for_review_is_refused(registered, tmp_path):
    rows = [dict(good_row(fiscal_year="2025", value="812", source_id=SID, quote="R7 812"), 確認=mark)
            for mark in ("要確認", "", "確認済")]
    path = write_csv(tmp_path / "r.csv", rows, header=[*rows[0]])
    problems = check_kpis(path).problems
    assert [(p.row, p.column, p.code) for p in problems if p.code != "duplicate_key"] == [
        (2, "確認", "unconfirmed_suggestion")]


def test_source_remove_undoes_source_add_and_refuses_while_rows_cite_it(tmp_path, fixture_project, capsys):
    before = tree_bytes(fixture_project)
    assert _add(write_text_pdf(PAGES, tmp_path / "r.pdf")) == 0
    assert main(["source", "remove", SID]) == 0
    after = tree_bytes(fixture_project)
    assert after.pop("sources.csv").startswith(b"source_id,title,publisher,date,url,file,note,found_at_ja,found_at_en,"
                                               b"pages,sha256\n")  # the older file gained the new columns
    assert after == {k: v for k, v in before.items() if k != "sources.csv"}  # both files gone
    from dxanalysis.io.catalogue import load_sources

    assert SID not in load_sources().index and len(load_sources()) == 4
    assert main(["source", "remove", "chigasaki_progress_fy2024"]) == 1  # the fixture's rows cite it
    assert "remove --source chigasaki_progress_fy2024" in capsys.readouterr().err
