"""National inputs (dxanalysis.national): values pinned by hand, hashes, and damaged copies refused.

Every pinned value below was read from the bundled file itself (awk/grep on the raw bytes, not
through the loader); the comment gives the cell text as published and where it is:
``file:row:column`` with 1-based lines and 1-based column positions.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import dxanalysis
from dxanalysis import config, national
from dxanalysis.errors import ERROR_CODES, ExtractError

DX = "dx_dashboard_20240712/municipal_dx_status.csv"
USAGE = "dx_dashboard_20240712/municipal_online_application_rates.csv"
LOCALGOV = "localgovjp/localgovjp-utf8.csv"
SSDSE = "ssdse/SSDSE-A-2025.csv"
CARDS = "mynumber_card_issuance.zip"
COL = {"chigasaki": 700, "hadano": 703, "minamiboso": 607}
"""Column positions of the three cities in both dashboard tables (header row, read with awk)."""
CODE = {"chigasaki": "142077", "hadano": "142115", "minamiboso": "122343"}
SIMILAR_JSON = "similar_groups_fiscal_2020_2024/official-data.json"
R2_CSV = "opendata_survey_r2_2020/r2_survey_answers.csv"
R6_CSV = "opendata_survey_r6_2024/20250210_resources_data_questionnaire_outline_04.csv"


@pytest.fixture(scope="module")
def nat() -> pd.DataFrame:
    return dxanalysis.load_national()


@pytest.fixture(scope="module")
def munis() -> pd.DataFrame:
    return dxanalysis.load_all_municipalities()


@pytest.fixture(scope="module")
def cards() -> pd.DataFrame:
    return dxanalysis.load_card_issuance()


def cell(nat: pd.DataFrame, lg_code: str, indicator: str) -> pd.Series:
    hit = nat[(nat["lg_code"] == lg_code) & (nat["indicator"] == indicator)]
    assert len(hit) == 1, (lg_code, indicator, len(hit))
    return hit.iloc[0]


# ---------------------------------------------------------------- the three cities' 15 indicators

# municipal_dx_status.csv, rows 2–16, columns 700 (茅ヶ崎市), 703 (秦野市), 607 (南房総市), cell text as published:
DX_STATUS = {
    #                              茅ヶ崎市   秦野市    南房総市
    "cio_appointed":                ("実施",   "実施",   "実施"),    # row 2  CIOの任命
    "cio_deputy_appointed":         ("実施",   "未実施", "実施"),    # row 3  CIO補佐官等の任命
    "dx_policy_adopted":            ("実施",   "実施",   "実施"),    # row 4  全体方針策定
    "dx_organisation":              ("実施",   "実施",   "実施"),    # row 5  全庁的な体制構築
    "external_talent":              ("未実施", "未実施", "未実施"),  # row 6  外部人材活用
    "staff_development":            ("実施",   "実施",   "実施"),    # row 7  職員育成の取組
    "all_staff_training":           ("未実施", "実施",   "実施"),    # row 8  全職員対象研修の実施
    "ai_adopted":                   ("実施",   "実施",   "未実施"),  # row 9  AIの導入状況
    "rpa_adopted":                  ("実施",   "実施",   "実施"),    # row 10 RPAの導入状況
    "telework_adopted":             ("実施",   "実施",   "実施"),    # row 11 テレワークの導入状況
    "my_number_card_holding_rate":  ("76%",    "73%",    "76%"),     # row 12 マイナンバーカードの保有状況
    "online_supply_26_rate":        ("100%",   "23%",    "100%"),    # row 13 子育て・介護26手続のオンライン化状況␣
    "online_supply_32_rate":        ("43%",    "61%",    "30%"),     # row 14 よく使う32手続のオンライン化状況
    "online_supply_32_denominator": ("23",     "23",     "23"),      # row 15 …（分母）
    "online_supply_32_numerator":   ("10",     "14",     "7"),       # row 16 …（分子）
}
EXPECTED_VALUE = {"実施": 1.0, "未実施": 0.0}


@pytest.mark.parametrize("indicator", list(DX_STATUS))
def test_three_cities_dashboard_indicators_by_value(nat, indicator):
    for k, city in enumerate(("chigasaki", "hadano", "minamiboso")):
        raw = DX_STATUS[indicator][k]
        c = cell(nat, CODE[city], indicator)
        expected = EXPECTED_VALUE[raw] if raw in EXPECTED_VALUE else float(raw.rstrip("%"))
        assert c["raw"] == raw and c["value"] == expected, (city, indicator, c["raw"], c["value"])
        assert c["file"] == DX and c["column"] == COL[city] and pd.isna(c["missing_reason"])
        assert c["row"] == list(DX_STATUS).index(indicator) + 2


def test_chigasaki_32_procedures_are_10_of_23(nat):
    # municipal_dx_status.csv:14:700 "43%", :15:700 "23", :16:700 "10" → 10 ÷ 23 = 43.5% shown as 43%
    rate, den, num = (cell(nat, "142077", i)["value"] for i in
                      ("online_supply_32_rate", "online_supply_32_denominator", "online_supply_32_numerator"))
    assert (rate, den, num) == (43.0, 23.0, 10.0)
    assert cell(nat, "142077", "online_supply_32_rate")["measure"] == "supply"


# municipal_online_application_rates.csv (FY2022 usage), row: (茅ヶ崎市 col 700, 秦野市 col 703, 南房総市 col 607)
USAGE_RATES = {
    ("online_usage_32_01", 2): ("84%", "78.3%", "68%"),        # 図書館の図書貸出予約等
    ("online_usage_32_04", 5): ("82.8%", "80.4%", "62.7%"),    # 地方税申告手続（eLTAX）
    ("online_usage_32_05", 6): ("", "4.6%", ""),               # 水道使用開始届等
    ("online_usage_32_11", 12): ("25%", "1.7%", ""),           # 犬の登録申請、死亡届
    ("online_usage_32_25", 26): ("4.2%", "2.5%", "2.7%"),      # 転出届
    ("online_usage_26_01", 28): ("5.3%", "0.6%", ""),          # 児童手当等の受給資格及び児童手当の額についての認定請求
    ("online_usage_26_10", 37): ("42.5%", "12.1%", ""),        # 児童手当等の現況届
    ("online_usage_26_16", 43): ("0%", "", ""),                # 要介護・要支援認定の申請
}


@pytest.mark.parametrize("key", list(USAGE_RATES))
def test_usage_rates_by_value(nat, key):
    indicator, row = key
    for k, city in enumerate(("chigasaki", "hadano", "minamiboso")):
        raw = USAGE_RATES[key][k]
        c = cell(nat, CODE[city], indicator)
        assert (c["raw"], c["row"], c["column"], c["file"]) == (raw, row, COL[city], USAGE)
        assert c["measure"] == "usage" and c["unit"] == "%"
        if raw:
            assert c["value"] == float(raw[:-1]) and pd.isna(c["missing_reason"])
        else:
            assert np.isnan(c["value"]) and c["missing_reason"] == "no_value"


def test_a_real_zero_is_zero_not_missing(nat):
    # municipal_online_application_rates.csv:43:700 "0%" (茅ヶ崎市 要介護・要支援認定の申請)
    c = cell(nat, "142077", "online_usage_26_16")
    assert c["value"] == 0.0 and pd.isna(c["missing_reason"]) and c["row_label"] == "要介護・要支援認定の申請"


def test_same_name_municipalities_are_told_apart_by_position(nat):
    # 伊達市 北海道 (012335) is column 34, 伊達市 福島県 (072133) column 361 of both tables:
    #   municipal_dx_status.csv:4 全体方針策定 "未実施" / "実施"; :9 AIの導入状況 "未実施" / "実施";
    #   :13 26手続 "100%" / "85%"; :14 32手続 "22%" / "35%"; rates.csv:26 転出届 "" / "2.4%"
    hok, fuk = "012335", "072133"
    assert cell(nat, hok, "dx_policy_adopted")["value"] == 0.0 and cell(nat, fuk, "dx_policy_adopted")["value"] == 1.0
    assert cell(nat, hok, "ai_adopted")["value"] == 0.0 and cell(nat, fuk, "ai_adopted")["value"] == 1.0
    assert cell(nat, hok, "online_supply_26_rate")["value"] == 100.0
    assert cell(nat, fuk, "online_supply_26_rate")["value"] == 85.0
    assert (cell(nat, hok, "online_supply_32_rate")["column"], cell(nat, fuk, "online_supply_32_rate")["column"]) == (34, 361)
    assert cell(nat, hok, "online_usage_32_25")["missing_reason"] == "no_value"
    assert cell(nat, fuk, "online_usage_32_25")["value"] == 2.4
    both = nat[(nat["municipality_ja"] == "伊達市") & (nat["indicator"] == "ai_adopted")]
    assert dict(zip(both["prefecture"], both["value"])) == {"北海道": 0.0, "福島県": 1.0}
    # 府中市 東京都 (132063, column 658) vs 広島県 (342084, column 1339): 32手続 "48%" vs "33%"
    assert cell(nat, "132063", "online_supply_32_rate")["value"] == 48.0
    assert cell(nat, "342084", "online_supply_32_rate")["value"] == 33.0


def test_placeholders_keep_their_reason(nat):
    # municipal_dx_status.csv:2:770 "調査無し" (金沢市 172014, CIOの任命; one of 8 石川県 municipalities)
    c = cell(nat, "172014", "cio_appointed")
    assert c["raw"] == "調査無し" and np.isnan(c["value"]) and c["missing_reason"] == "not_surveyed"
    # …but 金沢市 was surveyed for AI: :9:770 "実施"
    assert cell(nat, "172014", "ai_adopted")["value"] == 1.0
    # :14:500 "%" (草津町 104264) and :14:1231 "%" (天川村 294462): denominator :15 "0"
    for code in ("104264", "294462"):
        c = cell(nat, code, "online_supply_32_rate")
        assert c["raw"] == "%" and np.isnan(c["value"]) and c["missing_reason"] == "no_procedures"
        assert cell(nat, code, "online_supply_32_denominator")["value"] == 0.0
    # an empty usage cell: rates.csv:6:700 "" (茅ヶ崎市 水道使用開始届等)
    c = cell(nat, "142077", "online_usage_32_05")
    assert c["raw"] == "" and c["missing_reason"] == "no_value"


def test_placeholder_counts_and_load_report_balance(nat):
    rep = nat.attrs["load_report"]
    # 56 調査無し = 8 municipalities × 7 推進体制 rows; 2 bare % (草津町, 天川村); 66,580 empty usage cells
    assert rep.missing == {"no_value": 66580, "not_surveyed": 56, "no_procedures": 2}
    assert rep.cells_read == len(nat) == 1741 * 67
    assert rep.values_loaded == int(nat["value"].notna().sum()) == 50009
    assert rep.balanced and rep.cells_read == rep.values_loaded + sum(rep.missing.values())
    assert (nat["value"].isna() == nat["missing_reason"].notna()).all()
    surveyed_out = nat[nat["missing_reason"] == "not_surveyed"]
    assert set(surveyed_out["prefecture"]) == {"石川県"} and surveyed_out["lg_code"].nunique() == 8


def test_national_adoption_counts_equal_the_ministries(nat):
    # shared README: CIO appointed 1,270, AI 879, RPA 720 (the ministries' releases)
    counts = nat[nat["unit"] == "flag"].groupby("indicator")["value"].sum()
    assert counts["cio_appointed"] == 1270 and counts["ai_adopted"] == 879 and counts["rpa_adopted"] == 720


def test_national_table_shape_and_contract(nat):
    assert list(nat.columns[:15]) == ["lg_code", "municipality_ja", "prefecture", "indicator", "value", "unit",
                                      "measure", "reference_period", "period_basis", "missing_reason", "source_id",
                                      "raw", "row_label", "row", "column"]
    assert not nat.duplicated(["lg_code", "indicator"]).any()
    assert nat["indicator"].nunique() == 67 and nat["lg_code"].nunique() == 1741
    for col in ("lg_code", "indicator", "raw", "row_label", "missing_reason"):
        assert nat[col].dtype == "str", col
    assert set(nat["measure"]) == {"adoption", "holding", "supply", "usage", "count"}
    assert set(nat["period_basis"]) == {"stated", "inferred", "unknown"}
    assert set(nat["source_id"]) == {"digital_agency_dx_dashboard_20240712"}


def test_the_loader_returns_copies(nat):
    again = dxanalysis.load_national()
    again.loc[0, "value"] = -1.0
    assert dxanalysis.load_national().loc[0, "value"] == nat.loc[0, "value"] == 1.0  # 札幌市 CIO "実施"


# ---------------------------------------------------------------- municipalities and covariates

def test_all_municipalities(munis):
    assert len(munis) == 1741 and munis["lg_code"].is_unique and munis["lg_code"].is_monotonic_increasing
    assert munis["lg_code"].str.fullmatch(r"\d{6}").all()
    assert all(national.check_digit(c[:5]) == c[5] for c in munis["lg_code"])
    assert munis["municipality_type"].value_counts().to_dict() == {
        "市": 772, "町": 743, "村": 183, "特別区": 23, "政令指定都市": 20}
    typ = munis.set_index("lg_code")["municipality_type"]
    # localgovjp: 011002 札幌市 has wards (札幌市 中央区 …); 131024 中央区 東京都; 142077 茅ヶ崎市
    assert (typ["011002"], typ["131024"], typ["142077"], typ["104264"], typ["294462"]) == (
        "政令指定都市", "特別区", "市", "町", "村")
    assert munis["slug"].dropna().tolist() == ["minamiboso", "chigasaki", "hadano"]  # code order


# SSDSE-A-2025.csv (CP932): line: 地域コード, 都道府県, 市区町村, A1101 総人口, B1101 総面積 (ha), D1202 一般行政部門職員数
#   701: R14207,神奈川県,茅ヶ崎市,242389,…,3570,…,1080
#   704: R14211,神奈川県,秦野市,162439,…,10376,…,668
#   608: R12234,千葉県,南房総市,35831,…,22955,…,343
#   row 2 (年度): A1101 2020, B1101 2023, D1202 2023
COVARIATES = {"chigasaki": (242389, 3570, 1080, 701), "hadano": (162439, 10376, 668, 704),
              "minamiboso": (35831, 22955, 343, 608)}


@pytest.mark.parametrize("city", list(COVARIATES))
def test_three_cities_covariates_by_value(munis, city):
    pop, area_ha, staff, line = COVARIATES[city]
    r = munis.set_index("slug").loc[city]
    assert r["lg_code"] == CODE[city]
    assert (r["population"], r["area_ha"], r["staff_general_admin"], r["ssdse_row"]) == (pop, area_ha, staff, line)
    assert r["area_km2"] == pytest.approx(area_ha / 100)
    assert (r["population_year"], r["area_year"], r["staff_year"]) == (2020, 2023, 2023)
    assert munis.attrs["covariate_years"] == {"population": 2020, "staff_general_admin": 2023, "area_km2": 2023}


def test_same_name_municipalities_get_their_own_covariates(munis):
    # SSDSE-A-2025.csv:35 R01233,北海道,伊達市,32826 … and :362 R07213,福島県,伊達市,58240
    m = munis.set_index("lg_code")
    assert (m.loc["012335", "population"], m.loc["072133", "population"]) == (32826, 58240)
    # SSDSE-A-2025.csv:4 R01100,北海道,札幌市,1973395 (the 2020 census, shared README)
    assert m.loc["011002", "population"] == 1973395


# ---------------------------------------------------------------- card issuance

# mynumber_card_issuance/20221231.csv line 699: "2022/12/31","神奈川県","茅ヶ崎市",245852,144671,58.8,"2022/01/01","2022/12/31",142077
#                                          702: "2022/12/31","神奈川県","秦野市",159985,89444,55.9,…,142115
#                                          606: "2022/12/31","千葉県","南房総市",36268,21794,60.1,…,122343
# mynumber_card_issuance/20170308.csv line 699: "2017/03/08","神奈川県","茅ヶ崎市",241264,26218,10.9,"2016/01/01","2017/03/08",142077
CARD_VALUES = {("chigasaki", "2022-12-31"): (245852, 144671, "58.8", 699),
               ("hadano", "2022-12-31"): (159985, 89444, "55.9", 702),
               ("minamiboso", "2022-12-31"): (36268, 21794, "60.1", 606),
               ("chigasaki", "2017-03-08"): (241264, 26218, "10.9", 699)}


@pytest.mark.parametrize("key", list(CARD_VALUES))
def test_card_issuance_by_value(cards, key):
    city, date = key
    pop, issued, rate, line = CARD_VALUES[key]
    r = cards[(cards["lg_code"] == CODE[city]) & (cards["date"] == date)]
    assert len(r) == 1
    r = r.iloc[0]
    assert (r["population"], r["cards_issued"], r["raw_rate"], r["issued_rate"], r["row"]) == (
        pop, issued, rate, float(rate), line)
    assert r["file"] == f"mynumber_card_issuance/{date.replace('-', '')}.csv"


def test_card_issuance_series(cards):
    assert cards["date"].nunique() == 46 and cards["date"].min() == "2017-03-08" and cards["date"].max() == "2022-12-31"
    assert (cards.groupby("date")["lg_code"].nunique() == 1741).all()
    assert not cards.duplicated(["lg_code", "date"]).any()
    assert set(cards["source_id"]) == {"mynumber_card_issuance"}
    assert "holding" not in " ".join(cards.columns)  # issued (交付) only: never the dashboard's 保有 rate
    # 団体コード written as an integer: 20170308.csv:2 … ,11002 → 011002 札幌市
    first = cards[(cards["date"] == "2017-03-08") & (cards["row"] == 2)].iloc[0]
    assert (first["raw_code"], first["lg_code"], first["municipality_ja"]) == ("11002", "011002", "札幌市")


def test_card_issuance_na_codes_resolved_by_name_and_reported(cards):
    # 20210801.csv:686 "2021/08/01","東京都","三宅村",2383,976,41.0,…,"<NA>";  :688 八丈町 … "<NA>"
    # the snapshot before, 20210701.csv:686 "東京都","三宅島三宅村",…,133817; :688 "八丈島八丈町",…,134015
    res = cards.attrs["resolved_codes"]
    assert len(res) == 34 and cards.attrs["load_report"].codes_resolved == 34  # 17 snapshots × 2
    assert set(zip(res["name_as_published"], res["lg_code"])) == {("三宅村", "133817"), ("八丈町", "134015")}
    r = cards[(cards["date"] == "2021-08-01") & (cards["row"] == 686)].iloc[0]
    assert (r["lg_code"], r["raw_code"], r["code_resolved_by_name"], r["cards_issued"]) == ("133817", "<NA>", True, 976)
    before = cards[(cards["date"] == "2021-07-01") & (cards["lg_code"] == "133817")].iloc[0]
    assert before["name_as_published"] == "三宅島三宅村" and not before["code_resolved_by_name"]


# ---------------------------------------------------------------- catalogue, sources, hashes

def test_catalogue_labels_are_the_files_row_labels_verbatim():
    cat = dxanalysis.load_national_indicators()
    assert len(cat) == 67
    assert list(cat.index[:15]) == list(DX_STATUS)
    assert list(cat.index[15:41]) == [f"online_usage_32_{i:02d}" for i in range(1, 27)]
    assert list(cat.index[41:]) == [f"online_usage_26_{i:02d}" for i in range(1, 27)]
    raw = {"dx_status": config.NATIONAL_RAW_DIR / DX, "online_usage": config.NATIONAL_RAW_DIR / USAGE}
    for key, path in raw.items():
        lines = path.read_text(encoding="utf-8-sig").splitlines()
        for rec in cat[cat["file"] == key].itertuples():
            assert lines[rec.row - 1].split(",")[1] == rec.label_ja, rec.indicator
    assert cat.loc["online_supply_26_rate", "label_ja"] == "子育て・介護26手続のオンライン化状況 "  # trailing space kept
    assert "マイナポータル" in cat.loc["online_supply_26_rate", "comparability"]
    assert "ISSUED" in cat.loc["my_number_card_holding_rate", "comparability"]
    assert set(cat["unit"]) == {"%", "flag", "procedures"}
    assert set(cat["group"]) == {"governance", "operations", "services", "usage_32", "usage_26"}
    assert (cat[["name_en", "definition", "reference_period", "comparability"]] != "").all().all()


def test_sources_records():
    src = dxanalysis.load_national_sources()
    assert list(src.index) == ["digital_agency_dx_dashboard_20240712", "localgovjp", "ssdse_a_2025", "mynumber_card_issuance",
                               "similar_groups_fiscal_2020_2024", "opendata_survey_r2_2020", "opendata_survey_r6_2024"]
    for col in ("source_id", "title", "publisher", "release_date", "reference_period", "url", "repository", "commit",
                "path", "licence", "attribution", "sha256", "file"):
        assert col in src.columns
    assert src.loc["digital_agency_dx_dashboard_20240712", "attribution"] == \
        "デジタル庁『自治体DXの取組に関するダッシュボード』（2024年7月12日公開）を加工して作成"
    assert src.loc["localgovjp", "licence"].startswith("CC0")
    assert src.loc["opendata_survey_r6_2024", "attribution"] == \
        "デジタル庁『令和6年度 地方公共団体におけるオープンデータの取組に関するアンケート』（2025年2月10日公開）を加工して作成"
    assert src.loc["opendata_survey_r2_2020", "release_date"] == "not established"
    assert src.loc["similar_groups_fiscal_2020_2024", "commit"] == "f6640f22d175cb6090ec7ef0392e484e24fb4cad"
    assert all(a.endswith("を加工して作成") for a in src["attribution"] if "CC0" not in a)
    assert (src[["title", "publisher", "url", "repository", "commit", "licence", "attribution"]] != "").all().all()
    for rec in src.itertuples():
        files, hashes = rec.file.split("|"), rec.sha256.split("|")
        assert len(files) == len(hashes)
        for f, h in zip(files, hashes):
            assert hashlib.sha256((config.NATIONAL_RAW_DIR / f).read_bytes()).hexdigest() == h, f


def test_bundled_copies_are_the_original_bytes():
    assert national.verify_national_raw() == []
    man = national.load_national_manifest()
    assert len(man) == 56 and man["sha256"].is_unique
    assert set(man["source_id"]) == set(dxanalysis.load_national_sources().index)
    # the original hashes (SHA256SUMS of ../shared/national), written here by hand for the tables read most
    h = dict(zip(man["original_path"], man["sha256"]))
    assert h[DX] == "d01d9d44c92d9e58e888a136c947d177da4bfb5da3223b149c8251e609082b3d"
    assert h[USAGE] == "66da490ee688e4338757be102310855a6a6d85198c77d9eae170fe2dde1901ef"
    assert h[LOCALGOV] == "95d38f18f6b550a0c01f724cd55408966f2b0f433c1dd66666b4711f58984867"
    assert h["mynumber_card_issuance/20170308.csv"] == "c7d3b081364921cae0c69a026b745918a4a2212884a16d7e4700af3783033328"
    assert h[SIMILAR_JSON] == "9e15d2f8ea330102cd40fca1642c919f8957a00f34edadb2a343076022643164"
    assert h[R2_CSV] == "1a043194e044a140a93b12da190901d3385c50df50a69185bfddc3e8c4bacb0a"
    assert h[R6_CSV] == "86bc6ba85c3a2f79da9f61c99ed667d3cb862c7ca7d218799bb3d1d49921ae48"
    for zname in (CARDS, "similar_groups_fiscal_2020_2024.zip", "opendata_survey_r2_2020.zip", "opendata_survey_r6_2024.zip"):
        with zipfile.ZipFile(config.NATIONAL_RAW_DIR / zname) as z:
            assert sorted(z.namelist()) == sorted(man.loc[man["file"] == zname, "member"]), zname
            assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_manifest_agrees_with_the_shared_originals():
    sums = config.NATIONAL_SHARED_DIR / "SHA256SUMS"
    if not sums.is_file():
        pytest.skip(f"../shared/national not present at {config.NATIONAL_SHARED_DIR}")
    listed = {line.split()[1].removeprefix("./"): line.split()[0]
              for line in sums.read_text(encoding="utf-8").splitlines() if line.strip()}
    man = national.load_national_manifest()
    for path, digest in zip(man["original_path"], man["sha256"]):
        assert listed[path] == digest, path


def test_verify_reports_an_edited_copy(raw_copy):
    p = raw_copy / LOCALGOV
    p.write_bytes(p.read_bytes().replace("茅ヶ崎市".encode(), "茅ケ崎市".encode(), 1))
    problems = national.verify_national_raw(raw_copy)
    assert [(x.file, x.code) for x in problems] == [(LOCALGOV, "national_hash_mismatch")]


def test_verify_reports_an_unlisted_zip_member(raw_copy):
    with zipfile.ZipFile(raw_copy / "opendata_survey_r2_2020.zip", "a") as z:
        z.writestr("opendata_survey_r2_2020/extra.csv", "x\n")
    problems = national.verify_national_raw(raw_copy)
    assert [(x.file, x.column, x.code) for x in problems] == [
        ("opendata_survey_r2_2020.zip", "opendata_survey_r2_2020/extra.csv", "national_hash_mismatch")]


def test_error_codes_are_bilingual():
    for code in [c for c in ERROR_CODES if c.startswith("national_")]:
        assert all(ERROR_CODES[code]), code


# ---------------------------------------------------------------- damaged copies are refused

@pytest.fixture
def raw_copy(tmp_path) -> Path:
    """A private copy of data/national/raw that a test may damage."""
    return Path(shutil.copytree(config.NATIONAL_RAW_DIR, tmp_path / "raw"))


def edit_text(path: Path, fn, encoding: str = "utf-8") -> None:
    """Rewrite a CSV's lines with ``fn(lines) -> lines``, keeping its encoding, BOM and line ends."""
    data = path.read_bytes()
    bom = data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig" if encoding == "utf-8" else encoding)
    ending = "\r\n" if "\r\n" in text else "\n"
    lines = fn(text.split(ending))
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + ending.join(lines).encode(encoding))


def edit_cells(path: Path, edits: dict[tuple[int, int], str], encoding: str = "utf-8") -> None:
    """Set cells by (1-based line, 1-based column) in an unquoted CSV."""
    def fn(lines):
        for (r, c), v in edits.items():
            cells = lines[r - 1].split(",")
            cells[c - 1] = v
            lines[r - 1] = ",".join(cells)
        return lines
    edit_text(path, fn, encoding)


def swap_columns(path: Path, a: int, b: int) -> None:
    def fn(lines):
        out = []
        for line in lines:
            cells = line.split(",")
            if len(cells) >= max(a, b):
                cells[a - 1], cells[b - 1] = cells[b - 1], cells[a - 1]
            out.append(",".join(cells))
        return out
    edit_text(path, fn)


def refused(fn, raw: Path) -> list:
    with pytest.raises(ExtractError) as info:
        fn(raw_dir=raw)
    return info.value.problems


def has(problems, **want) -> bool:
    return any(all(getattr(p, k) == v for k, v in want.items()) for p in problems)


@pytest.mark.parametrize("table", [DX, USAGE])
def test_dashboard_swapped_columns_refused(raw_copy, table):
    swap_columns(raw_copy / table, COL["chigasaki"], COL["hadano"])
    problems = refused(dxanalysis.load_national, raw_copy)
    assert has(problems, file=table, row=1, column="700 (秦野市)", code="national_name_mismatch")
    assert has(problems, file=table, row=1, column="703 (茅ヶ崎市)", code="national_name_mismatch")
    assert f"{table}, row 1, column 700 (秦野市)" in str(ExtractError(problems))


def test_dashboard_missing_indicator_row_refused(raw_copy):
    edit_text(raw_copy / DX, lambda lines: lines[:9] + lines[10:])  # drop line 10 (RPAの導入状況)
    problems = refused(dxanalysis.load_national, raw_copy)
    assert has(problems, file=DX, code="national_count", value=14)
    assert has(problems, file=DX, row=10, column="2", value="テレワークの導入状況", code="national_header_mismatch")


def test_dashboard_wrong_count_refused(raw_copy):
    edit_text(raw_copy / USAGE, lambda lines: [",".join(l.split(",")[:-1]) if l else l for l in lines])
    problems = refused(dxanalysis.load_national, raw_copy)
    assert has(problems, file=USAGE, row=1, code="national_count", value=1740)


def test_dashboard_bad_cell_refused(raw_copy):
    edit_cells(raw_copy / DX, {(2, 700): "済", (12, 703): "73"})
    edit_cells(raw_copy / USAGE, {(26, 700): "4.2"})
    problems = refused(dxanalysis.load_national, raw_copy)
    assert has(problems, file=DX, row=2, column="700 (茅ヶ崎市)", value="済", code="national_bad_cell")
    assert has(problems, file=DX, row=12, column="703 (秦野市)", value="73", code="national_bad_cell")
    assert has(problems, file=USAGE, row=26, column="700 (茅ヶ崎市)", value="4.2", code="national_bad_cell")


def test_dashboard_rate_contradicting_its_counts_refused(raw_copy):
    edit_cells(raw_copy / DX, {(14, 700): "50%", (14, 500): "0%"})  # 10 of 23 is 43%; 草津町 performs none
    problems = refused(dxanalysis.load_national, raw_copy)
    assert has(problems, file=DX, row=14, column="700 (茅ヶ崎市)", value="50%", code="national_inconsistent")
    assert has(problems, file=DX, row=14, column="500 (草津町)", value="0%", code="national_inconsistent")


def test_dashboard_row_label_renamed_refused(raw_copy):
    edit_cells(raw_copy / DX, {(9, 2): "AI導入"})
    problems = refused(dxanalysis.load_national, raw_copy)
    assert has(problems, file=DX, row=9, column="2", value="AI導入", code="national_header_mismatch")


def test_code_list_damage_refused(raw_copy):
    # localgovjp-utf8.csv:758 …,14207,茅ヶ崎市,…,142077 — a wrong check digit, and a dropped line
    edit_text(raw_copy / LOCALGOV, lambda lines: [l.replace(",142077", ",142078") if i == 757 else l
                                                  for i, l in enumerate(lines)])
    problems = refused(dxanalysis.load_all_municipalities, raw_copy)
    assert has(problems, file=LOCALGOV, row=758, column="lgcode", value="142078", code="national_code_mismatch")
    shutil.copy(config.NATIONAL_RAW_DIR / LOCALGOV, raw_copy / LOCALGOV)
    edit_text(raw_copy / LOCALGOV, lambda lines: lines[:757] + lines[758:])
    problems = refused(dxanalysis.load_all_municipalities, raw_copy)
    assert has(problems, file=LOCALGOV, code="national_count", value=1740)


def test_code_list_swapped_columns_refused(raw_copy):
    # localgovjp-utf8.csv: city (column 4) and citykana (column 5) swapped in the data lines only
    def fn(lines):
        out = [lines[0]]
        for line in lines[1:]:
            c = line.split(",")
            if len(c) > 5:
                c[3], c[4] = c[4], c[3]
            out.append(",".join(c))
        return out
    edit_text(raw_copy / LOCALGOV, fn)
    problems = refused(dxanalysis.load_all_municipalities, raw_copy)
    # line 13: 1,北海道,1202,はこだてし,函館市,… — a name that is not 市/町/村/区 is refused
    assert has(problems, file=LOCALGOV, row=13, column="city", value="はこだてし", code="national_bad_cell")


def test_ssdse_damage_refused(raw_copy):
    path = raw_copy / SSDSE
    # swap the 茅ヶ崎市 and 秦野市 keys (lines 701 and 704, column 1); a bad cell; a renamed item
    edit_cells(path, {(701, 1): "R14211", (704, 1): "R14207", (608, 4): "3万5831", (3, 79): "職員数"}, encoding="cp932")
    problems = refused(dxanalysis.load_all_municipalities, raw_copy)
    assert has(problems, file=SSDSE, row=3, column="79 (D1202)", value="職員数", code="national_header_mismatch")
    shutil.copy(config.NATIONAL_RAW_DIR / SSDSE, path)
    edit_cells(path, {(701, 1): "R14211", (704, 1): "R14207", (608, 4): "3万5831"}, encoding="cp932")
    problems = refused(dxanalysis.load_all_municipalities, raw_copy)
    assert has(problems, file=SSDSE, row=701, column="3 (市区町村)", value="茅ヶ崎市", code="national_name_mismatch")
    assert has(problems, file=SSDSE, row=608, column="4 (A1101 総人口)", value="3万5831", code="national_bad_cell")


def test_ssdse_wrong_count_refused(raw_copy):
    edit_text(raw_copy / SSDSE, lambda lines: lines[:700] + lines[701:], encoding="cp932")  # drop 茅ヶ崎市
    problems = refused(dxanalysis.load_all_municipalities, raw_copy)
    assert has(problems, file=SSDSE, code="national_count", value=1740)
    assert has(problems, file=SSDSE, value="R14207", code="national_code_mismatch")


def rewrite_member(raw: Path, member: str, fn) -> None:
    """Replace the card zip by one holding only ``member``, damaged by ``fn(lines) -> lines`` (fast to load)."""
    src = raw / CARDS
    with zipfile.ZipFile(src) as z:
        info, data = z.getinfo(member), z.read(member)
    text = data.decode("utf-8-sig")
    data = b"\xef\xbb\xbf" + "\n".join(fn(text.split("\n"))).encode("utf-8")
    with zipfile.ZipFile(src, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(info, data)


def test_cards_single_intact_snapshot_loads(raw_copy):
    rewrite_member(raw_copy, "mynumber_card_issuance/20221231.csv", lambda lines: lines)
    cards = dxanalysis.load_card_issuance(raw_dir=raw_copy)
    assert len(cards) == 1741 and cards.attrs["load_report"].codes_resolved == 2


def test_cards_wrong_count_refused(raw_copy):
    member = "mynumber_card_issuance/20221231.csv"
    rewrite_member(raw_copy, member, lambda lines: lines[:698] + lines[699:])  # drop 茅ヶ崎市 (line 699)
    problems = refused(dxanalysis.load_card_issuance, raw_copy)
    assert has(problems, file=member, code="national_count", value=1740)


def test_cards_bad_cell_and_swapped_columns_refused(raw_copy):
    member = "mynumber_card_issuance/20221231.csv"

    def damage(lines):
        c = lines[698].split(",")  # line 699: 茅ヶ崎市 …,245852,144671,58.8,…
        c[3], c[4] = c[4], c[3]  # 総数 ⇄ 交付枚数
        lines[698] = ",".join(c)
        c = lines[701].split(",")  # line 702: 秦野市 …,159985,…
        c[3] = "15万9985"
        lines[701] = ",".join(c)
        lines[605] = lines[605].replace(",122343", ",122344")  # line 606: 南房総市, code not in the list
        return lines

    rewrite_member(raw_copy, member, damage)
    problems = refused(dxanalysis.load_card_issuance, raw_copy)
    assert has(problems, file=member, row=699, column="人口に対する交付枚数率", code="national_inconsistent")
    assert has(problems, file=member, row=702, column="総数（人口）", value="15万9985", code="national_bad_cell")
    assert has(problems, file=member, row=606, column="団体コード", code="national_code_mismatch")


def test_cards_header_swap_refused(raw_copy):
    member = "mynumber_card_issuance/20170308.csv"
    rewrite_member(raw_copy, member, lambda lines: [lines[0].replace('"総数（人口）","交付枚数"', '"交付枚数","総数（人口）"')]
                   + lines[1:])
    problems = refused(dxanalysis.load_card_issuance, raw_copy)
    assert has(problems, file=member, row=1, code="national_header_mismatch")


def test_cards_unresolvable_na_code_refused(raw_copy):
    member = "mynumber_card_issuance/20221231.csv"
    rewrite_member(raw_copy, member, lambda lines: [l.replace('"三宅村"', '"新島三宅村村"') for l in lines])
    problems = refused(dxanalysis.load_card_issuance, raw_copy)
    assert has(problems, file=member, row=686, column="団体コード", value="<NA>", code="national_unresolved_code")


def test_unreadable_or_missing_inputs_are_named(raw_copy):
    (raw_copy / SSDSE).write_bytes("地域コード,都道府県\n".encode("utf-8") + b"\xff\xfe\x00bad")
    problems = refused(dxanalysis.load_all_municipalities, raw_copy)
    assert has(problems, file=SSDSE, code="unreadable_file")  # UTF-8 bytes are not CP932
    (raw_copy / DX).unlink()
    problems = refused(dxanalysis.load_national, raw_copy)
    assert has(problems, file=DX, code="unreadable_file")
    (raw_copy / CARDS).write_bytes(b"not a zip")
    problems = refused(dxanalysis.load_card_issuance, raw_copy)
    assert has(problems, file=CARDS, code="unreadable_file")


def test_catalogue_vocabulary_is_closed(tmp_path):
    text = config.NATIONAL_INDICATORS_CSV.read_text(encoding="utf-8").replace(",adoption,governance,", ",adopted,governance,", 1)
    (tmp_path / "indicators.csv").write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match="adopted"):
        dxanalysis.load_national_indicators(tmp_path / "indicators.csv")


def test_dashboard_row_one_cell_short_refused(raw_copy):
    """municipal_dx_status.csv ends every row with an empty cell: a row one cell short used to load with every
    later value shifted onto the next municipality to the left (issue 19)."""
    def drop_cell(lines):
        cells = lines[11].split(",")
        lines[11] = ",".join(cells[:599] + cells[600:])  # line 12, column 600 removed
        return lines
    edit_text(raw_copy / DX, drop_cell)
    problems = refused(dxanalysis.load_national, raw_copy)
    assert [(p.file, p.row, p.value, p.code) for p in problems] == [(DX, 12, 1743, "national_row_width")]
    assert "the header row has 1744" in problems[0].detail


@pytest.fixture
def bundled_copy(raw_copy, monkeypatch) -> Path:
    """The damaged copy stands in for the bundled raw folder (its bytes are checked against manifest.csv)."""
    monkeypatch.setattr(config, "NATIONAL_RAW_DIR", raw_copy)
    return raw_copy


def test_a_changed_bundled_file_is_refused_at_load(bundled_copy):
    edit_cells(bundled_copy / USAGE, {(26, COL["chigasaki"]): "4.3%"})  # still a readable value
    with pytest.raises(ExtractError) as info:
        dxanalysis.load_national()
    [p] = info.value.problems
    assert (p.file, p.code) == (USAGE, "national_hash_mismatch")
    assert p.detail == "expected 66da490ee688e4338757be102310855a6a6d85198c77d9eae170fe2dde1901ef"


def test_a_missing_card_snapshot_is_reported(bundled_copy):
    src = bundled_copy / CARDS
    with zipfile.ZipFile(src) as z:
        kept = [(i, z.read(i)) for i in z.infolist() if i.filename != "mynumber_card_issuance/20200401.csv"]
    with zipfile.ZipFile(src, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in kept:
            z.writestr(info, data)
    with pytest.raises(ExtractError) as info:
        dxanalysis.load_card_issuance()
    [p] = [p for p in info.value.problems if p.code == "national_missing_member"]
    assert (p.file, p.column) == (CARDS, "mynumber_card_issuance/20200401.csv")
    assert [q.column for q in national.verify_national_raw(bundled_copy)] == ["mynumber_card_issuance/20200401.csv"]
