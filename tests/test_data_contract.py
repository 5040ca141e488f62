"""The data contract of issue 15: how each year is known, kinds that mean what they say, notes kept true.

Two kinds of test, as everywhere in this project:
- data tests of the bundled extracts (``data/kpis``, ``data/reference``, ``data/records``): every row has a
  year basis with its evidence, no target is a cost or a budget, milestones are dated by words of their quote;
- code tests of the loader checks on tiny extracts written here (they do not change when figures are added).
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from conftest import good_row, write_csv
from dxanalysis import config, load_kpis
from dxanalysis.contract.load import check_kpis
from dxanalysis.io.dates import dates_in, fiscal_year_of_date
from dxanalysis.io.cells import normalize_text, CellError
from dxanalysis.io.numbers import numbers_in, parse_number
from dxanalysis.contract.records import date_text_problems, load_milestones, load_reference
from dxanalysis.io.catalogue import load_sources
from dxanalysis.io.text import read_text_file
from dxanalysis.contract.years import fiscal_year_readable

KPIS = load_kpis()
REFERENCE = load_reference()
ALL = pd.concat([KPIS, REFERENCE], ignore_index=True)
SOURCES = load_sources()
MILESTONES = load_milestones()


def where(df: pd.DataFrame) -> list[tuple]:
    return [(r.source_file, r.source_row, r.indicator, r.fiscal_year) for r in df.itertuples()]


# ---------------------------------------------------------------- year_basis: data


def test_year_basis_is_a_column_of_the_contract_right_after_as_of():
    cols = list(config.KPI_COLUMNS)
    assert cols[cols.index("as_of") + 1] == "year_basis"
    assert list(KPIS.columns[: len(cols)]) == cols
    assert set(config.YEAR_BASES) == {"stated", "heading", "layout", "document"}


CONTRACT_SOURCES = ("chigasaki_progress_fy2024", "chigasaki_dx_policy_2023", "hadano_dx_plan_draft_2025",
                    "chigasaki_info_plan_2016", "minamiboso_dx_status_2025")
"""The five documents whose rows issue 15 classified: their counts are pinned per document, so a later
source (next year's figures, a revision) cannot change them."""


def test_rows_per_year_basis():
    """Pinned per basis and kind: a change to any of them is a decision to review, not an accident."""
    own = load_kpis([config.KPI_DIR / f"{sid}.csv" for sid in CONTRACT_SOURCES])  # as written, before revisions
    counts = own.groupby(["year_basis", "kind"]).size().to_dict()
    assert counts == {
        ("stated", "actual"): 39, ("stated", "target"): 8,
        ("heading", "actual"): 36, ("heading", "target"): 3, ("heading", "estimate"): 3,
        ("layout", "actual"): 7, ("layout", "target"): 539,
        ("document", "actual"): 53, ("document", "estimate"): 10,
    }
    assert KPIS["year_basis"].notna().all() and len(own) == 698
    assert REFERENCE["year_basis"].eq("stated").all()


def test_every_stated_year_is_readable_in_its_quote():
    stated = ALL[ALL["year_basis"] == "stated"]
    bad = stated[[not fiscal_year_readable(int(y), q) for y, q in zip(stated["fiscal_year"], stated["quote"])]]
    assert where(bad) == []


def test_every_heading_year_is_readable_in_its_location():
    rows = ALL[ALL["year_basis"] == "heading"]
    bad = rows[[not fiscal_year_readable(int(y), t) for y, t in zip(rows["fiscal_year"], rows["location"])]]
    assert where(bad) == []


def test_every_layout_row_names_its_column_in_note():
    rows = ALL[ALL["year_basis"] == "layout"]
    bad = rows[[not (n.startswith("year from the") and "column" in n and fiscal_year_readable(int(y), n))
                for y, n in zip(rows["fiscal_year"], rows["note"].fillna(""))]]
    assert where(bad) == []


def test_every_document_row_says_undated_and_takes_the_fiscal_year_of_its_document():
    rows = ALL[ALL["year_basis"] == "document"]
    doc_fy = rows["source_id"].map(SOURCES["date"]).map(fiscal_year_of_date)
    assert (doc_fy == rows["fiscal_year"]).all(), where(rows[doc_fy != rows["fiscal_year"]])
    bad = rows[[not ("undated (" in n and f"(FY{y})" in n) for y, n in zip(rows["fiscal_year"], rows["note"].fillna(""))]]
    assert where(bad) == []
    assert not (rows["kind"] == "target").any()  # an undated goal has no deadline: not a row


_CELL = re.compile(r"the cell '(?P<cell>.*?)' sits in the (?:roadmap )?column headed '(?P<head>.*?)' "
                   r"\(header row l\.(?P<h>\d+): .*?; cell row l\.(?P<n>\d+)\)")


def _column_year(label: str) -> int | None:
    m = re.match(r"(令和|R)(元|\d+)", normalize_text(label).replace(" ", ""))
    return None if not m else 2018 + (1 if m.group(2) == "元" else int(m.group(2)))


def test_layout_cells_are_where_the_notes_say(seeds_dir):
    """Each table-layout year is re-read from the converted text: the cell under the named header holds the value."""
    texts = {sid: read_text_file(seeds_dir / f).split("\n") for sid, f in SOURCES["file"].items()
             if isinstance(f, str) and f and (seeds_dir / f).is_file()}  # a source without its text is not checked
    checked, bad = 0, []
    for r in ALL[(ALL["year_basis"] == "layout") & ALL["source_id"].isin(list(texts))].itertuples():
        m = _CELL.search(r.note)
        if not m:
            continue
        lines = texts[r.source_id]
        header, row = lines[int(m["h"]) - 1].split("\t"), lines[int(m["n"]) - 1].split("\t")
        j = [k for k, c in enumerate(header) if c.strip() == m["head"]]
        cell = row[j[0]].strip() if j and j[0] < len(row) else None
        value_ok = (pd.isna(r.value) and cell is not None and parse_number(cell).placeholder) or (
            cell is not None and (r.value in numbers_in(cell) or (isinstance(r.derivation, str) and cell in r.derivation)))
        if not (j and cell == m["cell"] and _column_year(m["head"]) == r.fiscal_year and value_ok):
            bad.append((r.source_file, r.source_row, r.indicator, r.fiscal_year, m["head"], cell))
        checked += 1
    assert bad == []
    assert checked >= 540  # all but the three 将来像 columns, which are matched by text order (said in note)


# ---------------------------------------------------------------- kinds


def test_kinds_are_actual_target_estimate():
    assert set(KPIS["kind"]) == set(config.KINDS) == {"actual", "target", "estimate"}


COST_WORDS = re.compile(r"概算|予算|事業費|見込|cost estimate|budget")


def test_no_target_is_a_cost_estimate_or_budget():
    targets = KPIS[KPIS["kind"] == "target"]
    text = targets["location"].fillna("") + " " + targets["note"].fillna("") + " " + targets["indicator"]
    assert where(targets[text.str.contains(COST_WORDS) | targets["indicator"].str.contains("cost_estimate|project_cost|fee_estimate|budget")]) == []


def test_costs_budgets_and_projections_are_estimates():
    under = KPIS[KPIS["location"].str.contains("概算|事業費|見込") | KPIS["quote"].str.contains("事業費|見込")
                 | KPIS["indicator"].str.contains("_estimate|project_cost_")]
    assert set(under["kind"]) == {"estimate"} and len(under) == 13


def test_plan_structure_counts_are_actuals_dated_by_their_document():
    plan = KPIS[KPIS["note"].fillna("").str.startswith("plan structure:")]
    assert sorted(plan["indicator"]) == sorted(["info_plan_projects", "info_plan_pillars", "info_plan_policies",
                                                "dx_plan_projects", "dx_plan_projects_continued", "dx_plan_projects_new"])
    assert set(plan["kind"]) == {"actual"} and set(plan["year_basis"]) == {"document"}


# ---------------------------------------------------------------- the undated-figure rule


def test_undated_figures_follow_one_rule():
    """Survey percentages, project counts and 現状 figures alike: rows with year_basis document."""
    doc = KPIS[KPIS["year_basis"] == "document"]
    h = doc[doc["municipality"] == "hadano"].set_index("indicator")["value"]
    assert h["citizen_survey_used_e_application_pct"] == 30.8
    assert h["ict_plan_projects_reviewed"] == 59 and h["ict_plan_individual_projects"] == 61
    assert (h["cashless_payment_share_city_hall"], h["ems_support_system_usage_rate"],
            h["e_contract_share_general_tender"]) == (2, 98, 8)
    assert "ems_annual_dispatches" not in h  # an annual count of a year not yet ended: a documented gap (issue 20)
    surveys = KPIS[KPIS["indicator"].str.startswith("citizen_survey_") & (KPIS["municipality"] == "hadano")]
    assert set(surveys["year_basis"]) == {"document"}


# ---------------------------------------------------------------- as_of and notes


def test_as_of_is_a_printed_point_in_time():
    """One convention: as_of only for a date the source prints (in the quote, or a caption quoted in note)."""
    dated = ALL[ALL["as_of"].notna()]
    bad = [(r.source_file, r.source_row, r.as_of) for r in dated.itertuples()
           if not any(d == r.as_of or d.startswith(r.as_of) or r.as_of.startswith(d) and len(d) == 7
                      for d in dates_in(r.quote) | dates_in(r.note or ""))]
    assert bad == []
    survey = KPIS.query("indicator == 'citizen_survey_respondents'")
    assert survey["as_of"].isna().all()  # a count over a survey period is not a point in time


def test_no_note_contradicts_a_value_in_its_row():
    notes = ALL["note"].fillna("")
    for r, n in zip(ALL.itertuples(), notes):  # a sum written in a note adds up to the row's value
        for expr in re.findall(r"(?<![\d×])\d[\d,]*(?:\s*\+\s*\d[\d,]*)+(?![\d×])", n):
            total = sum(float(x.replace(",", "")) for x in re.split(r"\s*\+\s*", expr))
            assert total == r.value, (r.source_file, r.source_row, expr)
    # counts a note states about the row's own list
    assert not notes.str.contains("stops at 項番 43|two of them 【再掲】|two 【再掲】").any()
    proj = KPIS.query("indicator == 'info_plan_projects'").iloc[0]
    assert "項番 1–44" in proj["note"] and proj["value"] == 44
    for ind in ("ict_plan_individual_projects", "ict_plan_projects_reviewed"):
        n = KPIS.query(f"indicator == '{ind}' and fiscal_year == 2025").iloc[0]["note"]
        assert "three of them 【再掲】 (2-3-(2) and 2-4-(2) among the 終了, 3-2-(1) among the 継続)" in n
        assert "29 + 終了 30 = 59" in n


def test_review_list_has_three_saikei_lines_as_the_notes_say(seeds_dir):
    text = read_text_file(seeds_dir / SOURCES.loc["hadano_dx_plan_draft_2025", "file"]).split("\n")
    listing = [line for line in text[344:406] if re.search(r"\t(継続|終了)", line)]
    saikei = [re.search(r"\d-\d-\(\d+\)", line).group(0) for line in listing if "【再掲】" in line]
    assert (len(listing), saikei) == (61, ["2-3-(2)", "2-4-(2)", "3-2-(1)"])


def test_double_numbering_of_3_11_and_3_12_is_in_location():
    for page, lists in (("3-11 防災DX", "3-12 / 12"), ("3-12 防災DX", "3-11 / 11")):
        rows = KPIS[KPIS["location"].str.contains(page, regex=False)]
        assert len(rows) and rows["location"].str.contains(f"number this project {lists}", regex=False).all()


# ---------------------------------------------------------------- milestones: data


def test_every_milestone_is_dated_by_words_of_its_quote():
    assert set(MILESTONES["date_basis"]) <= set(config.DATE_BASES)
    assert MILESTONES["date_basis"].value_counts().to_dict() == {"stated": 198, "heading": 16}
    for r in MILESTONES.itertuples():
        expected = r.date or f"FY{r.fiscal_year}"
        assert r.date_text in r.quote and expected in dates_in(r.date_text), (r.source_row, r.date_text)
        assert date_text_problems(r.quote, r.date_text, r.date_basis, expected) == []


def test_milestones_dated_only_by_a_column_header_are_gone():
    mb = MILESTONES[MILESTONES["municipality"] == "minamiboso"]
    assert not mb["quote"].str.startswith("令和 4 年度(2022年度) 令和5年度").any()
    assert not mb["event_ja"].isin(["標準化に向けた全庁的な推進体制を確立", "テレワーク for LGWAN テスト(5ライセンス)"]).any()
    winactor = mb[mb["quote"].str.contains("WinActor")].iloc[0]
    assert (winactor["date"], winactor["date_text"]) == ("2021-08", "令和3年8月")
    assert "令和4年度(2022年度)" in winactor["note"] and "conflicts" in winactor["note"]


# ---------------------------------------------------------------- code tests on tiny extracts


def _check(tmp_path, *rows, header=None):
    return check_kpis(write_csv(tmp_path / "x.csv", list(rows), header))


def _codes(result):
    return sorted((p.row, p.column, p.code) for p in result.problems)


def test_blank_year_basis_is_stated_when_the_quote_names_the_year(tmp_path):
    result = _check(tmp_path, good_row(), good_row(fiscal_year="2023", value="753", quote="R5 753"))
    assert result.problems == [] and list(result.kpis["year_basis"]) == ["stated", "stated"]


def test_blank_year_basis_is_refused_when_the_quote_does_not_name_the_year(tmp_path):
    result = _check(tmp_path, good_row(fiscal_year="2023", quote="R6 761"), good_row(quote="テレワーク 761件"))
    # row 2's quote names FY2024 (R6): the 年度 cell is wrong, reported on 年度 (issue 19); row 3 names no year
    assert _codes(result) == [(2, "fiscal_year", "year_not_in_quote"), (3, "year_basis", "year_basis_missing")]
    assert len(result.kpis) == 0


def test_a_given_basis_needs_its_evidence(tmp_path):
    result = _check(tmp_path,
                    good_row(quote="テレワーク 761件", year_basis="stated"),
                    good_row(fiscal_year="2023", value="753", quote="753", year_basis="heading", location="令和5年度の取り組み"),
                    good_row(fiscal_year="2022", value="961", quote="961", year_basis="heading", location="テレワーク件数"),
                    good_row(fiscal_year="2021", value="900", quote="900", year_basis="layout"),
                    good_row(fiscal_year="2020", value="800", quote="800", year_basis="layout", note="column R2 of the table"),
                    good_row(fiscal_year="2025", value="700", quote="700", year_basis="document", note="undated"),
                    good_row(fiscal_year="2019", value="600", quote="600", year_basis="document", note="undated"),
                    good_row(fiscal_year="2018", value="500", quote="500", year_basis="guessed"))
    assert _codes(result) == [(2, "year_basis", "year_not_in_quote"), (4, "location", "year_not_in_heading"),
                              (5, "note", "year_basis_without_evidence"),
                              (8, "fiscal_year", "document_year_mismatch"), (9, "year_basis", "unknown_year_basis")]
    assert sorted(result.kpis["year_basis"]) == ["document", "heading", "layout"]


def test_japanese_header_and_values(tmp_path):
    header = [{"year_basis": "年の根拠"}.get(c, c) for c in config.KPI_COLUMNS]
    rows = [{("年の根拠" if k == "year_basis" else k): v for k, v in r.items()} for r in (
        good_row(fiscal_year="2023", value="753", quote="753", year_basis="見出し", location="令和5年度の取り組み"),
        good_row(fiscal_year="2025", value="700", quote="700", year_basis="資料の日付", note="undated: document date"))]
    result = check_kpis(write_csv(tmp_path / "x.csv", rows, header))
    assert result.problems == [] and list(result.kpis["year_basis"]) == ["heading", "document"]


@pytest.mark.parametrize("cell", ["estimate", "概算", "見込額", "予算", "事業費"])
def test_estimate_kind_spellings(tmp_path, cell):
    result = _check(tmp_path, good_row(kind=cell))
    assert result.problems == [] and list(result.kpis["kind"]) == ["estimate"]


@pytest.mark.parametrize("fy, text, expected", [
    (2024, "令和6年度の実績で約20%", True), (2024, "R7.1月時点:18%", True), (2025, "R7.1月時点:18%", False),
    (2022, "年度 テレワーク件数 R4 961", True), (2023, "R 9の評価を基に検討", False), (2027, "R 9の評価", True),
    (2019, "令和元年度", True), (2019, "平成31年度", True), (2024, "2024年4月に開始", True), (2023, "2024年1月", True),
    (2024, "12,024件", False), (2024, "", False), (2030, "2026～2030 本計画期間", True),
])
def test_fiscal_year_readable(fy, text, expected):
    assert fiscal_year_readable(fy, text) is expected


def test_placeholder_rows_without_quote_are_not_judged(tmp_path):
    result = _check(tmp_path, good_row(value="—", quote="", fiscal_year="2023"))
    assert result.problems == [] and result.kpis["year_basis"].isna().all()


def test_date_text_checks():
    q = "令和 4 年度(2022年度)\t令和5年度(2023年度)\t令和6年度(2024年度) テレワーク for LGWAN テスト5ライセンス"
    assert date_text_problems(q, "令和 4 年度", "stated", "FY2022") != []   # a header row cannot date an event
    assert date_text_problems("令和3年8月に導入", "令和3年8月", "stated", "2021-08") == []
    assert date_text_problems("令和3年8月に導入", "令和3年9月", "stated", "2021-09")[0].endswith("is not in the quote")
    assert "reads" in date_text_problems("令和3年8月に導入", "令和3年8月", "stated", "2021-09")[0]
    assert "more than one date" in date_text_problems("令和2年4月から令和3年8月まで", "令和2年4月から令和3年8月",
                                                       "stated", "2021-08")[0]
    assert date_text_problems("令和5年2月から転入届、同年4月にLoGoフォーム", "令和5年2月から転入届、同年4月",
                              "stated", "2023-04") == []
    assert "date_basis 'layout'" in date_text_problems("令和3年8月に導入", "令和3年8月", "layout", "2021-08")[0]
    assert date_text_problems("令和3年8月に導入", "", "stated", "2021-08")[0].startswith("date_text is empty")


def test_load_milestones_refuses_a_header_row_date(tmp_path, monkeypatch):
    bad = tmp_path / "adoption_milestones.csv"
    head = ",".join(config_columns := __import__("dxanalysis.contract.records", fromlist=["x"]).MILESTONE_COLUMNS)
    good = ("minamiboso,rpa,導入,adopted,2021-08,2021,done,minamiboso_dx_status_2025,x,"
            "令和3年8月にRPAツール「WinActor」を導入,,令和3年8月,stated")
    header_row = ("minamiboso,telework,テスト,test,,2022,done,minamiboso_dx_status_2025,x,"
                  "令和 4 年度(2022年度) 令和5年度(2023年度) テレワーク for LGWAN テスト5ライセンス,,令和 4 年度,stated")
    bad.write_text("\n".join([head, good, header_row]) + "\n", encoding="utf-8")
    monkeypatch.setattr(config, "MILESTONES_CSV", bad)
    with pytest.raises(ValueError) as err:
        load_milestones()
    assert "row 3: date_text 令和 4 年度 is one of a row of 年度 column headers" in str(err.value)
    assert "row 2" not in str(err.value)
    assert len(config_columns) == 13
