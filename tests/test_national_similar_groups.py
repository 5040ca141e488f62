"""類似団体区分 (dxanalysis.national.similar_groups) and the similar_group peer rule (issue 23).

Pinned values were read from the bundled JSON with ``json.load`` on the zip member (not through the
loader): ``municipalities[i]`` gives ``c``, ``n``, ``p``, ``g`` (one class per ``years`` 2020…2024) and
``v.f``; ``groupAverages[class][ratio]`` the class averages. Damaged copies are built from the bundled one.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pytest

import dxanalysis
from dxanalysis import config
from dxanalysis import metrics as m
from dxanalysis.errors import ExtractError
from dxanalysis.national.similar_groups import SIMILAR_GROUP_YEAR, SIMILAR_GROUPS_MEMBER

ZIP = "similar_groups_fiscal_2020_2024.zip"
CODE = {"chigasaki": "142077", "hadano": "142115", "minamiboso": "122343"}
# official-data.json: 茅ヶ崎市 c 14207 g 施行時特例市 ×5, v.f [0.96, 0.94, 0.92, 0.9, 0.9];
# 秦野市 14211 一般市Ⅳ－３ ×5; 南房総市 12234 一般市Ⅰ－１ ×5
CLASS = {"chigasaki": "施行時特例市", "hadano": "一般市Ⅳ－３", "minamiboso": "一般市Ⅰ－１"}
# how many municipalities have each class in FY2023 (g[3]), counted on the JSON
CLASS_SIZE_2023 = {"施行時特例市": 23, "一般市Ⅳ－３": 36, "一般市Ⅰ－１": 132}


@pytest.fixture(scope="module")
def munis():
    return dxanalysis.load_all_municipalities()


@pytest.fixture(scope="module")
def groups():
    return dxanalysis.load_similar_groups()


def test_every_municipality_has_a_class_each_year(groups):
    assert len(groups) == 1741 * 5 and not groups.duplicated(["lg_code", "fiscal_year"]).any()
    assert sorted(groups["fiscal_year"].unique().tolist()) == [2020, 2021, 2022, 2023, 2024]
    assert groups["similar_group"].notna().all() and (groups["similar_group"] != "").all()
    counts_2024 = groups[groups["fiscal_year"] == 2024]["similar_group"].value_counts()
    # PROVENANCE.md: 2024 政令指定都市 20, 中核市 62, 施行時特例市 23, 特別区 23
    assert [counts_2024[c] for c in ("政令指定都市", "中核市", "施行時特例市", "特別区")] == [20, 62, 23, 23]
    assert counts_2024.filter(like="一般市").sum() == 687 and counts_2024.filter(like="町村").sum() == 926


def test_three_cities_and_their_official_fiscal_strength(groups):
    g = groups.set_index(["lg_code", "fiscal_year"])
    for city, code in CODE.items():
        assert g.loc[code, "similar_group"].tolist() == [CLASS[city]] * 5, city
    assert g.loc["142077", "fiscal_strength_index"].tolist() == [0.96, 0.94, 0.92, 0.9, 0.9]
    assert g.loc["122343", "fiscal_strength_index"].tolist() == [0.32, 0.31, 0.31, 0.31, 0.31]
    assert g.loc[("142077", 2023), "entry"] == 698  # 1-based position of c 14207 in municipalities[]


def test_load_all_municipalities_takes_the_class_of_the_dashboard_year(munis):
    assert SIMILAR_GROUP_YEAR == 2023
    assert (munis["similar_group_year"] == 2023).all() and munis["similar_group"].notna().all()
    by_slug = munis.set_index("slug")
    for city, cls in CLASS.items():
        assert by_slug.loc[city, "similar_group"] == cls
    assert munis["similar_group"].value_counts()[list(CLASS_SIZE_2023)].tolist() == list(CLASS_SIZE_2023.values())
    assert munis.attrs["sources"]["similar groups"] == "similar_groups_fiscal_2020_2024"


def test_another_year_is_a_parameter_and_an_unknown_one_refused(munis):
    in_2020 = dxanalysis.load_all_municipalities(similar_group_year=2020).set_index("lg_code")
    # official-data.json: c 01236 g = ['一般市Ⅰ－１', '一般市Ⅰ－３', '一般市Ⅰ－３', '一般市Ⅰ－３', '一般市Ⅰ－３']
    assert in_2020.loc["012360", "similar_group"] == "一般市Ⅰ－１"
    assert munis.set_index("lg_code").loc["012360", "similar_group"] == "一般市Ⅰ－３"
    assert int((in_2020["similar_group"] != munis.set_index("lg_code")["similar_group"]).sum()) == 219
    with pytest.raises(ValueError, match="2019"):
        dxanalysis.load_all_municipalities(similar_group_year=2019)


def test_class_changes_are_reported(groups):
    changes = dxanalysis.similar_group_changes(groups)
    assert changes["lg_code"].nunique() == 219 and len(changes) == 219  # PROVENANCE.md: 219 change 2020→2024
    assert changes.iloc[0].tolist() == ["012360", 2020, "一般市Ⅰ－１", 2021, "一般市Ⅰ－３"]
    assert not set(CODE.values()) & set(changes["lg_code"])


def test_official_class_averages():
    avg = dxanalysis.load_similar_group_averages().set_index(["similar_group", "fiscal_year", "ratio"])["value"]
    assert len(avg) == 34 * 5 * 4  # 34 classes in groupAverages
    # groupAverages['施行時特例市'] f [0.9, 0.9, 0.88, 0.87, 0.87], o [92, 88.8, 92.2, 92.9, 94.6]
    assert avg[("施行時特例市", 2023, "fiscal_strength_index")] == 0.87
    assert avg[("施行時特例市", 2023, "current_balance_ratio")] == 92.9
    assert avg[("一般市Ⅳ－３", 2023, "fiscal_strength_index")] == 0.9
    assert avg[("一般市Ⅰ－１", 2023, "real_debt_service_ratio")] == 9.0
    # 一般市Ⅲ－０ has no members after 2020: null in the JSON, missing here (never 0)
    assert np.isnan(avg[("一般市Ⅲ－０", 2023, "fiscal_strength_index")])
    assert avg[("一般市Ⅲ－０", 2020, "future_burden_ratio")] == 64.6


# ---------------------------------------------------------------- peers


@pytest.mark.parametrize("city", list(CODE))
def test_similar_group_peers(munis, city):
    peers = m.peer_group(munis, lg_code=CODE[city], rule="similar_group")
    assert len(peers) == CLASS_SIZE_2023[CLASS[city]]
    assert set(peers["similar_group"]) == {CLASS[city]}
    assert peers.loc[peers["is_self"], "lg_code"].tolist() == [CODE[city]]
    assert peers.attrs["includes_self"] is True and peers.attrs["peer_name"] == CLASS[city]


def test_lg_code_as_int_or_str(munis):
    as_int = m.peer_group(munis, lg_code=142077, rule="similar_group")
    as_str = m.peer_group(munis, lg_code="142077", rule="similar_group")
    assert as_int["lg_code"].tolist() == as_str["lg_code"].tolist()
    # 総務省 決算カード FY2024 (PROVENANCE.md): 平塚市・小田原市・厚木市・大和市 are 施行時特例市 too
    assert {"平塚市", "小田原市", "厚木市", "大和市", "茅ヶ崎市"} <= set(as_int["name_ja"])
    assert m.peer_group(munis, lg_code=11002, rule="similar_group")["similar_group"].iloc[0] == "政令指定都市"


def test_standing_within_the_class(munis):
    nat = dxanalysis.load_national()
    s = m.standing(nat, munis, lg_codes=[142077], rule="similar_group").set_index(["indicator", "scope"])
    card = s.loc[("my_number_card_holding_rate", "peers")]
    # issue 23: 茅ヶ崎市's card-holding rank is 4 of 23 among 施行時特例市; its class's CIO share 60.9 %
    assert (card["scope_name"], card["members"], card["rank"], card["n"]) == ("施行時特例市", 23, 4.0, 23)
    assert round(float(s.loc[("cio_appointed", "peers"), "share"]), 1) == 60.9
    size = m.standing(nat, munis, lg_codes=["142077"], rule="population").set_index(["indicator", "scope"])
    assert (size.loc[("my_number_card_holding_rate", "peers"), "rank"], size.loc[("my_number_card_holding_rate", "peers"), "n"]) == (32.0, 186)


# ---------------------------------------------------------------- damaged copies are refused

@pytest.fixture
def raw_copy(tmp_path) -> Path:
    return Path(shutil.copytree(config.NATIONAL_RAW_DIR, tmp_path / "raw"))


def edit_json(raw: Path, fn) -> None:
    """Rewrite the JSON member of the zip with ``fn(data)`` (the other member kept as it is)."""
    path = raw / ZIP
    with zipfile.ZipFile(path) as z:
        members = {n: z.read(n) for n in z.namelist()}
    data = json.loads(members[SIMILAR_GROUPS_MEMBER])
    fn(data)
    members[SIMILAR_GROUPS_MEMBER] = json.dumps(data, ensure_ascii=False).encode("utf-8")
    with zipfile.ZipFile(path, "w") as z:
        for n, b in members.items():
            z.writestr(n, b)


def entry(data: dict, c: str) -> dict:
    return next(e for e in data["municipalities"] if e["c"] == c)


def refused(raw: Path) -> list:
    with pytest.raises(ExtractError) as info:
        dxanalysis.load_similar_groups(raw_dir=raw)
    return [(p.file, p.row, p.column, p.value, p.code) for p in info.value.problems]


def test_a_missing_municipality_is_refused(raw_copy):
    edit_json(raw_copy, lambda d: d["municipalities"].remove(entry(d, "14207")))
    assert refused(raw_copy) == [(SIMILAR_GROUPS_MEMBER, None, "c", "14207", "national_code_mismatch")]
    with pytest.raises(ExtractError):
        dxanalysis.load_all_municipalities(raw_dir=raw_copy)


def test_a_code_with_a_wrong_check_digit_is_refused(raw_copy):
    edit_json(raw_copy, lambda d: entry(d, "14207").update(c="142070"))
    problems = refused(raw_copy)
    assert problems[0] == (SIMILAR_GROUPS_MEMBER, 698, "c", "142070", "national_code_mismatch")
    assert problems[1] == (SIMILAR_GROUPS_MEMBER, None, "c", "14207", "national_code_mismatch")  # then missing
    with pytest.raises(ExtractError, match="check digit should be 7"):
        dxanalysis.load_similar_groups(raw_dir=raw_copy)


def test_an_unknown_code_a_renamed_entry_and_a_short_class_list_are_refused(raw_copy):
    def damage(d):
        entry(d, "14211")["n"] = "秦野町"
        entry(d, "12234")["g"] = entry(d, "12234")["g"][:4]
        d["municipalities"].append(dict(entry(d, "14207"), c="99999"))
    edit_json(raw_copy, damage)
    assert refused(raw_copy) == [
        (SIMILAR_GROUPS_MEMBER, 605, "g", "12234", "national_bad_cell"),
        (SIMILAR_GROUPS_MEMBER, 701, "n", "秦野町", "national_name_mismatch"),
        (SIMILAR_GROUPS_MEMBER, 1742, "c", "99999", "national_code_mismatch"),
    ]


def test_a_duplicated_entry_is_refused(raw_copy):
    edit_json(raw_copy, lambda d: d["municipalities"].append(dict(entry(d, "14207"))))
    assert refused(raw_copy) == [(SIMILAR_GROUPS_MEMBER, 1742, "c", "14207", "national_duplicate_code")]
