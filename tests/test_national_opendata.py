"""The FY2020 and FY2024 open-data surveys (dxanalysis.national.opendata; issue 23).

Pinned values were read from the bundled files with grep/csv on the zip members (not through the loader):
``file:line`` 1-based physical lines (R2's header row holds line breaks, so its records start at line 41+).
Counts equal those in ../shared/national/opendata_survey_*/PROVENANCE.md.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

import dxanalysis
from dxanalysis import config
from dxanalysis.errors import ExtractError
from dxanalysis.national.opendata import OPENDATA_COLUMNS

R2 = "opendata_survey_r2_2020/r2_survey_answers.csv"
R6 = "opendata_survey_r6_2024/20250210_resources_data_questionnaire_outline_04.csv"
CODE = {"chigasaki": "142077", "hadano": "142115", "minamiboso": "122343"}


@pytest.fixture(scope="module")
def od():
    return dxanalysis.load_opendata_surveys()


def key_answers(od):
    """R2 [No.2] (公開開始予定時期) and R6 Q3 (取り組んでいるか): the two self-reported statuses."""
    return od[((od["survey_year"] == 2020) & (od["question_id"] == "No.2")) |
              ((od["survey_year"] == 2024) & (od["question_id"] == "Q3"))]


def test_all_municipalities_at_both_surveys(od):
    assert list(od.columns) == OPENDATA_COLUMNS
    assert od.groupby("survey_year")["lg_code"].nunique().to_dict() == {2020: 1741, 2024: 1741}
    assert od.groupby("survey_year")["question_id"].nunique().to_dict() == {2020: 35, 2024: 58}
    assert len(od) == 1741 * 35 + 1741 * 58 and not od.duplicated(["lg_code", "survey_year", "question_id"]).any()
    assert od.attrs["prefectures_excluded"] == {2020: 47, 2024: 47}
    assert set(od["lg_code"]) == set(dxanalysis.load_all_municipalities()["lg_code"])


def test_status_and_answer_counts(od):
    k = key_answers(od)
    r2, r6 = (k[k["survey_year"] == y] for y in (2020, 2024))
    assert r2["status"].value_counts().to_dict() == {"提出済": 1668, "未提出": 51, "未確認": 22}
    assert r2["answer"].value_counts().to_dict() == {"オープンデータをすでに公開している": 924, "未計画": 284,
                                                     "2020年度中": 266, "2021年下期": 136, "2021年上期": 58}
    assert r6["status"].value_counts().to_dict() == {"提出済": 1402, "未提出": 183, "未確認": 156}
    assert r6["answer"].value_counts().to_dict() == {"取組んでいる": 1185, "取組んでいない": 217}


def test_non_submitters_are_missing_not_no(od):
    k = key_answers(od)
    r6 = k[k["survey_year"] == 2024]
    missing = r6[r6["answer"].isna()]
    assert len(missing) == 339 and set(missing["status"]) == {"未提出", "未確認"}
    assert missing["missing_reason"].value_counts().to_dict() == {"not_submitted": 183, "not_confirmed": 156}
    assert (r6.loc[r6["answer"].notna(), "missing_reason"].isna()).all()
    # a submitter who left a question blank is no_answer, not a non-submitter
    q4 = od[(od["survey_year"] == 2024) & (od["question_id"] == "Q4") & (od["status"] == "提出済")]
    # R6 col 10 (Q4, asked of those not yet working on it) is blank for 1,175 of the 1,402 submitting municipalities
    assert q4["missing_reason"].value_counts().to_dict() == {"no_answer": 1175}


def test_three_cities_with_their_cells(od):
    k = key_answers(od).set_index(["lg_code", "survey_year"])
    # R2 line 1199: 142077,神奈川県 茅ヶ崎市,提出済,… cols 8-12 = ,,,,○ ; line 1024 南房総市 ,,,○, (未計画)
    assert k.loc[(CODE["chigasaki"], 2020), ["answer", "raw", "row", "column"]].tolist() == [
        "オープンデータをすでに公開している", "||||○", 1199, "8-12"]
    assert k.loc[(CODE["minamiboso"], 2020), ["answer", "row"]].tolist() == ["未計画", 1024]
    assert k.loc[(CODE["hadano"], 2020), "answer"] == "オープンデータをすでに公開している"
    # R6 line 713: 14207,142077,神奈川県 茅ヶ崎市,…,提出済,…, col 9 取組んでいる
    assert k.loc[(CODE["chigasaki"], 2024), ["answer", "row", "column", "file"]].tolist() == ["取組んでいる", 713, "9", R6]
    assert {k.loc[(c, 2024), "answer"] for c in CODE.values()} == {"取組んでいる"}


def test_kanda_carrying_higashiyamatos_code_is_repaired_by_name_and_recorded(od):
    r2 = od[(od["survey_year"] == 2020) & (od["question_id"] == "No.2")].set_index("lg_code")
    # R2 line 2369: 132209,福岡県 苅田町,提出済 — 東大和市's code; line of 東大和市 itself keeps 132209
    assert r2.loc["406210", ["municipality_ja", "row"]].tolist() == ["苅田町", 2369]
    assert r2.loc["406210", "repaired"] == (
        "code 132209 in the file is 東京都 東大和市's; re-keyed to 406210 by the name 福岡県 苅田町")
    assert r2.loc["132209", ["municipality_ja", "repaired"]].tolist() == ["東大和市", ""]
    assert (od["repaired"] != "").sum() == 35  # the 35 R2 answers of 苅田町, nothing else
    assert od.loc[(od["survey_year"] == 2020) & (od["lg_code"] == "394050"), "municipality_ja"].iloc[0] == "檮原町"


def test_multi_select_answers_are_trimmed_and_raw_kept(od):
    r6 = od[(od["survey_year"] == 2024) & od["raw"].str.contains("\t", regex=False)]
    assert len(r6) > 0
    assert not r6["answer"].dropna().str.contains(r"^\s|\s;|;\s|\s$").any()


# ---------------------------------------------------------------- damaged copies are refused

@pytest.fixture
def raw_copy(tmp_path) -> Path:
    return Path(shutil.copytree(config.NATIONAL_RAW_DIR, tmp_path / "raw"))


def edit_member(raw: Path, zname: str, member: str, fn) -> None:
    path = raw / zname
    with zipfile.ZipFile(path) as z:
        members = {n: z.read(n) for n in z.namelist()}
    members[member] = fn(members[member].decode("utf-8")).encode("utf-8")
    with zipfile.ZipFile(path, "w") as z:
        for n, b in members.items():
            z.writestr(n, b)


def problems(raw: Path) -> list[tuple]:
    with pytest.raises(ExtractError) as info:
        dxanalysis.load_opendata_surveys(raw_dir=raw)
    return [(p.file, p.row, p.column, p.value, p.code) for p in info.value.problems]


def test_a_missing_municipality_is_refused(raw_copy):
    edit_member(raw_copy, "opendata_survey_r6_2024.zip", R6,
                lambda t: "\n".join(line for line in t.split("\n") if not line.startswith("14207,142077,")))
    assert problems(raw_copy) == [(R6, None, "1", "142077", "national_code_mismatch")]


def test_a_wrong_name_and_a_bad_status_are_refused(raw_copy):
    edit_member(raw_copy, "opendata_survey_r2_2020.zip", R2,
                lambda t: t.replace("142077,神奈川県 茅ヶ崎市,提出済", "142077,神奈川県 茅ケ崎市,提出済")
                .replace("142115,神奈川県 秦野市,提出済", "142115,神奈川県 秦野市,回答済"))
    assert problems(raw_copy) == [
        (R2, 1199, "2", "神奈川県 茅ケ崎市", "national_name_mismatch"),
        (R2, 1211, "提出状況", "回答済", "national_bad_cell"),
        (R2, None, "1", "142077", "national_code_mismatch")]
