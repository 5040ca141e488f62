"""The tables and sentences the notebooks show (dxanalysis.summaries), on the fixture dataset and SYNTHETIC frames.

KPI figures come from the fixture dataset (tests/fixtures/dataset), never from data/kpis; its catalogue stands in
for the bundled one (``fixture_project``), so city and indicator names are the fixture's. The national tables below
are SYNTHETIC (made-up values in the shape of dxanalysis.national's tables, the three cities under their real
codes), small enough that every expected number can be worked out by hand.
"""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from conftest import DATASET, load_fixture_kpis
from dxanalysis.io import catalogue as io
from dxanalysis import metrics as m
from dxanalysis import summaries as s

KPIS = load_fixture_kpis()
CATALOGUE_KPI = io.load_indicators(DATASET / "indicators.csv")
FTE_PAIRS = [("genai_hours_saved", "genai_hours_saved_fte"), ("rpa_hours_saved", "rpa_hours_saved_fte")]


@pytest.fixture(autouse=True)
def _fixture_catalogue(fixture_project):
    """City and indicator names (narrate) come from the fixture catalogue."""
    yield


# ---------------------------------------------------------------- 02 RPA and AI hours

def test_per_task_divides_the_hours_by_the_tasks_of_the_same_year_and_quotes_the_hours():
    hours_quote = KPIS.loc[(KPIS["municipality"] == "hadano") & (KPIS["indicator"] == "rpa_hours_saved")
                           & (KPIS["kind"] == "actual"), "quote"].iloc[0]
    assert s.per_task_texts(KPIS, municipality="hadano", hours_indicator="rpa_hours_saved",
                            tasks_indicator="rpa_tasks", lang="ja") == [
        "秦野市 2024年度: 3,108時間 ÷ 18業務 = 172.7時間／業務", f"資料の記載: 「{hours_quote}」"]


def test_per_task_says_so_when_no_year_has_both():
    assert s.per_task_texts(KPIS, municipality="chigasaki", hours_indicator="rpa_hours_saved",
                            tasks_indicator="rpa_tasks", lang="ja") == ["時間と業務数が同じ年度にそろう実績はありません"]


def test_stated_conversion_is_the_citys_own_hours_per_person_in_the_latest_year_stating_both():
    rate, hours, fte = s.stated_conversion(KPIS, municipality="hadano", hours_indicator="rpa_hours_saved",
                                           fte_indicator="rpa_hours_saved_fte")
    assert rate == pytest.approx(8800 / 2.8)
    assert (hours["fiscal_year"], hours["kind"], hours["value"], fte["value"]) == (2030, "target", 8800.0, 2.8)
    assert s.stated_conversion(KPIS, municipality="chigasaki", hours_indicator="rpa_hours_saved",
                               fte_indicator="rpa_hours_saved_fte") == (None, None, None)


def test_conversion_texts_one_per_pair_with_the_kind_or_none_stated():
    assert s.conversion_texts(KPIS, municipality="hadano", pairs=FTE_PAIRS, lang="en") == [
        "Hadano FY2030: 11,200 時間 ÷ ~3.6 人分 = ~3,100 時間 per 人分 (target)",  # 約3.6: 2 significant digits, not 3,111.1
        "Hadano FY2030: 8,800 時間 ÷ ~2.8 人分 = ~3,100 時間 per 人分 (target)"]  # not 3,142.9
    assert s.conversion_texts(KPIS, municipality="chigasaki", pairs=FTE_PAIRS, lang="ja") == ["換算の記載はありません"]


# ---------------------------------------------------------------- 04 targets against actuals

def test_targets_table_has_every_target_series_and_the_latest_actual_beside_it():
    wide = s.targets_with_latest_actual(KPIS, municipality="hadano")
    assert len(wide) == 8 and list(wide.columns[:5]) == [2026, 2027, 2028, 2029, 2030]
    assert wide.loc["rpa_hours_saved", [2026, 2030, "latest_actual_year", "latest_actual"]].tolist() == [
        3700.0, 8800.0, 2024, 3108.0]
    assert wide["latest_actual"].dropna().to_dict() == {"rpa_hours_saved": 3108.0, "rpa_tasks": 18.0}


def test_target_overview_counts_series_actuals_and_actuals_in_the_plan_period():
    assert s.target_overview_text(KPIS, municipality="hadano", lang="ja") == (
        "目標系列 8（2026〜2030年度）、うち実績のあるもの 2、計画期間内の実績 0件")
    assert s.target_overview_text(KPIS, municipality="hadano", lang="en") == (
        "8 target series (FY2026–FY2030); 2 with an actual to compare; 0 actual(s) within the plan period")


def test_last_targets_gives_the_growth_still_required_to_each_series_last_target():
    steep = s.last_targets(KPIS, CATALOGUE_KPI, municipality="hadano")
    assert list(steep.index) == ["rpa_hours_saved", "rpa_tasks"]
    assert list(steep.columns) == ["name_ja", "unit", *s.LAST_TARGET_COLUMNS[1:]]
    assert steep.loc["rpa_tasks", ["latest_actual", "year", "target", "target_year", "status"]].tolist() == [
        18.0, 2024, 52.0, 2030, "open"]
    assert steep.loc["rpa_hours_saved", "required_growth"] == pytest.approx((8800 / 3108) ** (1 / 6) - 1)


def test_attainment_text_names_the_first_target_year_only_while_no_pair_exists():
    targets = m.select_series(KPIS, municipality="hadano", kind="target")
    att = m.attainment(KPIS[KPIS["municipality"] == "hadano"])
    assert att.empty
    assert s.attainment_text(att, targets, "en") == (
        "0 (indicator, fiscal year) pair(s) with both an actual and a target; the first target year is FY2026")
    assert s.attainment_text(att, targets.iloc[0:0], "ja") == "実績と目標の両方がある（指標・年度）: 0組"


# ---------------------------------------------------------------- 05 three-city comparison

def test_shared_indicators_are_those_more_than_one_city_publishes():
    shared = s.shared_indicators(KPIS, CATALOGUE_KPI, columns=["unit"])
    assert shared.to_dict()["unit"] == {"my_number_card_holding_rate": "%", "online_application_rate": "%",
                                        "rpa_hours_saved": "時間", "telework_count": "件"}


def test_growth_indices_start_each_series_at_100_in_its_first_year():
    idx = s.growth_indices(KPIS, series=[("chigasaki", "telework_count"), ("hadano", "online_procedures"),
                                         ("minamiboso", "rpa_tasks")])
    assert idx[["municipality", "fiscal_year"]].values.tolist() == [
        ["chigasaki", 2022], ["chigasaki", 2023], ["chigasaki", 2024], ["hadano", 2021], ["hadano", 2024]]
    assert idx["index"].round(2).tolist() == [100.0, 78.36, 79.19, 100.0, 480.0]


MILESTONES = pd.DataFrame({  # SYNTHETIC milestones (shape of records.load_milestones)
    "municipality": ["hadano", "minamiboso", "chigasaki", "hadano", "minamiboso", "hadano"],
    "category": ["rpa", "rpa", "telework", "telework", "other", "ai_ocr"],
    "event_ja": ["RPA導入", "RPA導入（WinActor）", "テレワーク開始", "テレワーク予定", "その他", "AI-OCR導入"],
    "event_en": ["Introduced RPA", "Introduced WinActor", "Telework started", "Telework planned", "Other",
                 "Introduced AI-OCR"],
    "date": ["", "2021-08", "2020", "", "", "2024-04"],
    "fiscal_year": pd.array([2020, 2021, pd.NA, 2027, 2022, 2024], dtype="Int64"),
    "status": ["done", "done", "done", "planned", "done", "done"],
    "source_id": ["hadano_dx_plan_draft_2025", "minamiboso_dx_status_2025", "chigasaki_progress_fy2024",
                  "hadano_dx_plan_draft_2025", "minamiboso_dx_status_2025", "hadano_dx_plan_draft_2025"],
    "quote": ["q1", "q2", "q3", "q4", "q5", "q6"],
})


def test_dated_by_several_keeps_categories_two_cities_date_done_or_planned():
    kept = s.dated_by_several(MILESTONES, min_cities=2, exclude=["other"])
    assert kept["category"].tolist() == ["rpa", "rpa", "telework", "telework"]
    assert s.dated_by_several(MILESTONES, min_cities=3, exclude=["other"]).empty
    assert "other" not in set(s.dated_by_several(MILESTONES, min_cities=1, exclude=["other"])["category"])


def test_rpa_undated_names_the_cities_reporting_rpa_hours_without_a_dated_start():
    assert s.rpa_undated_texts(KPIS, MILESTONES, "en") == [
        "Chigasaki reports RPA hours but its documents never say when RPA started"]
    assert s.rpa_undated_texts(KPIS, MILESTONES[MILESTONES["category"] != "rpa"], "ja") == [
        "茅ヶ崎市の資料はRPAの削減時間を報告していますが、開始時期は書いていません",
        "秦野市の資料はRPAの削減時間を報告していますが、開始時期は書いていません"]


def test_latest_texts_name_each_series_latest_actual():
    assert s.latest_texts(KPIS, series=[("chigasaki", "telework_count"), ("hadano", "rpa_tasks")], lang="ja") == [
        "茅ヶ崎市のテレワーク件数（実績）: 2024年度 761件", "秦野市のRPA導入業務数（実績）: 2024年度（2025-01時点） 18業務"]


# ---------------------------------------------------------------- SYNTHETIC national tables

CHIGASAKI, HADANO, MINAMIBOSO = "142077", "142115", "122343"
MUNICIPALITIES = pd.DataFrame({
    "lg_code": [CHIGASAKI, HADANO, MINAMIBOSO, "900001", "900002", "900003"],
    "name_ja": ["茅ヶ崎市", "秦野市", "南房総市", "合成市A", "合成町B", "合成市C"],
    "slug": ["chigasaki", "hadano", "minamiboso", None, None, None],
    "prefecture": ["神奈川県", "神奈川県", "千葉県", "神奈川県", "千葉県", "千葉県"],
    "municipality_type": ["市", "市", "市", "政令指定都市", "町", "市"],
    "population": [240000.0, 160000.0, 38000.0, 400000.0, 20000.0, 60000.0],
})
MUNICIPALITIES.attrs = {"covariate_years": {"population": 2020},
                        "sources": {"code list": "localgovjp", "covariates": "ssdse_a_2025"}}
AI_PERIOD, HOLDING_PERIOD, USAGE_PERIOD = "2023-12-31 (令和5年度 AI・RPA survey)", "2024 (early 2024)", "FY2022 (令和4年度)"
CATALOGUE = pd.DataFrame({
    "indicator": ["ai_adopted", "rpa_adopted", "my_number_card_holding_rate", "online_supply_26_rate",
                  "online_supply_32_rate", "online_supply_32_numerator", "online_supply_32_denominator",
                  "online_usage_32_25", "online_usage_26_01"],
    "label_ja": ["AIの導入状況", "RPAの導入状況", "マイナンバーカードの保有状況", "26手続", "32手続", "分子", "分母",
                 " 転出届", "妊娠の届出"],
    "name_ja": ["AIの導入", "RPAの導入", "マイナンバーカード保有率", "26手続のオンライン化", "32手続のオンライン化", "分子", "分母",
                "転出届", "妊娠の届出"],
    "name_en": ["AI adopted", "RPA adopted", "My Number card holding rate", "26 procedures online",
                "32 procedures online", "numerator", "denominator", "Moving-out notification", "Pregnancy notification"],
    "unit": ["flag", "flag", "%", "%", "%", "procedures", "procedures", "%", "%"],
    "measure": ["adoption", "adoption", "holding", "supply", "supply", "count", "count", "usage", "usage"],
    "group": ["operations", "operations", "services", "services", "services", "services", "services", "usage_32",
              "usage_26"],
    "reference_period": [AI_PERIOD, AI_PERIOD, HOLDING_PERIOD, "2024", "2024", "2024", "2024", USAGE_PERIOD,
                         USAGE_PERIOD],
    "period_basis": ["inferred", "inferred", "unknown", "unknown", "unknown", "unknown", "unknown", "stated", "stated"],
})
CATALOGUE.index = CATALOGUE["indicator"].tolist()  # as load_national_indicators: indicator as index and column
NAN = float("nan")
VALUES = {  # SYNTHETIC, in MUNICIPALITIES order; NaN with its missing reason
    "ai_adopted": [1, 1, 0, 1, 0, 1],
    "rpa_adopted": [1, 0, 1, 1, 0, (NAN, "not_surveyed")],
    "my_number_card_holding_rate": [76, 73, 76, 70, 80, 65],
    "online_supply_26_rate": [100, 23, 100, 50, 0, 100],
    "online_supply_32_rate": [43, 61, 30, 50, 20, (NAN, "no_procedures")],
    "online_supply_32_numerator": [10, 14, 7, 8, 3, (NAN, "no_procedures")],
    "online_supply_32_denominator": [23, 23, 23, 16, 15, (NAN, "no_procedures")],
    "online_usage_32_25": [4.2, 2.5, 2.7, 3.0, (NAN, "no_value"), 1.0],
    "online_usage_26_01": [0.5, (NAN, "no_value"), 2.0, 1.0, 0.0, 3.0],
}
RAW_MISSING = {"not_surveyed": "調査無し", "no_procedures": "%", "no_value": ""}


def _raw(value: float, unit: str, reason) -> str:
    if reason:
        return RAW_MISSING[reason]
    if unit == "flag":
        return "実施" if value == 1 else "未実施"
    return f"{value:g}%" if unit == "%" else f"{value:g}"


def synthetic_national() -> pd.DataFrame:
    rows = []
    for col, (ind, cells) in enumerate(VALUES.items(), start=3):
        for i, cell in enumerate(cells):
            value, reason = cell if isinstance(cell, tuple) else (float(cell), None)
            mun, cat = MUNICIPALITIES.iloc[i], CATALOGUE.loc[ind]
            rows.append({"lg_code": mun["lg_code"], "municipality_ja": mun["name_ja"], "prefecture": mun["prefecture"],
                         "indicator": ind, "value": value, "unit": cat["unit"], "measure": cat["measure"],
                         "reference_period": cat["reference_period"], "period_basis": cat["period_basis"],
                         "missing_reason": reason, "source_id": "synthetic_dashboard",
                         "raw": _raw(value, cat["unit"], reason), "row": i + 2, "column": col})
    national = pd.DataFrame(rows)
    national.attrs = {"load_report": SimpleNamespace(cells_read=54, values_loaded=50,
                                                     missing={"no_value": 2, "not_surveyed": 1, "no_procedures": 3})}
    return national


NATIONAL = synthetic_national()
CITIES = s.city_rows(MUNICIPALITIES, ["chigasaki", "hadano", "minamiboso"])
STANDING = m.standing(NATIONAL, MUNICIPALITIES, lg_codes=CITIES["lg_code"])
LABELS = {i: f"<{i}>" for i in CATALOGUE["indicator"]}
HOLDING = "my_number_card_holding_rate"


def test_city_rows_and_names_follow_the_slugs_given():
    assert CITIES.index.tolist() == ["chigasaki", "hadano", "minamiboso"]
    assert s.city_names(CITIES.iloc[::-1], "en") == {MINAMIBOSO: "Minamiboso", HADANO: "Hadano", CHIGASAKI: "Chigasaki"}


def test_yardstick_sets_the_dashboard_cells_beside_the_national_share_or_median():
    table = s.yardstick_table(NATIONAL, CATALOGUE, CITIES, measures=["adoption", "holding"], labels=LABELS, lang="en")
    assert list(table.columns) == ["Chigasaki", "Hadano", "Minamiboso", "national (share adopting / median)",
                                   "reference_period"]
    assert table.index.tolist() == ["<ai_adopted>", "<rpa_adopted>", f"<{HOLDING}>"]
    assert table.loc["<ai_adopted>"].tolist() == ["実施", "実施", "未実施", "66.7%", AI_PERIOD]  # 4 of 6
    assert table.loc["<rpa_adopted>", "national (share adopting / median)"] == "60.0%"  # 3 of 5 surveyed
    assert table.loc[f"<{HOLDING}>"].tolist() == ["76%", "73%", "76%", "74.5", HOLDING_PERIOD]
    assert s.YARDSTICK_WORDS["ja"] in s.yardstick_table(NATIONAL, CATALOGUE, CITIES, measures=["holding"],
                                                        labels=LABELS, lang="ja").columns


def test_online_rate_sets_the_citys_own_rate_beside_the_dashboards_supply():
    lines = s.online_rate_texts(KPIS, NATIONAL, CITIES, indicator="online_application_rate", lang="en")
    assert lines[0] == ("Chigasaki: city's own online rate 15% (FY2024, 「令和7年度 茅ヶ崎市デジタル化推進方針 進捗管理報告書"
                        "（令和6年度実績分）」); dashboard: "
                        "26 child-care/care procedures 100%, 32 frequent procedures 43% (10 of 23) — separate figures "
                        "with different definitions")
    assert lines[1].startswith("Hadano: city's own online rate (no actual stated); dashboard: 26 child-care/care "
                               "procedures 23%")
    assert s.online_rate_texts(KPIS, NATIONAL, CITIES, indicator="online_application_rate", lang="ja")[2] == (
        "南房総市: 市の資料のオンライン化率 （実績の記述なし）；ダッシュボード: 子育て・介護26手続 100%、よく使う32手続 30%（7 / 23 手続）"
        "— 定義の違う別々の数値")


def test_population_text_names_the_year_of_the_population():
    assert s.population_text(MUNICIPALITIES, slugs=["hadano", "minamiboso"], lang="en") == (
        "Population (SSDSE-A, 2020): Hadano 160,000, Minamiboso 38,000")


# ---------------------------------------------------------------- 06 national context

def test_national_source_ids_name_each_kind_of_source():
    cards = pd.DataFrame({"source_id": ["cards_b", "cards_a", "cards_b"]})
    assert s.national_source_ids(NATIONAL, MUNICIPALITIES, cards) == {
        "dashboard": ["synthetic_dashboard"], "covariates": ["localgovjp", "ssdse_a_2025"], "code_list": ["localgovjp"],
        "cards": ["cards_a", "cards_b"]}


def test_dashboard_load_text_counts_cells_values_and_missing_by_reason():
    assert s.dashboard_load_text(NATIONAL, MUNICIPALITIES, "ja") == (
        "ダッシュボードの表から 54 セルを読み、50 個の値と、値のないセル 空欄（値なし） 2、調査無し 1、「%」のみ（該当手続なし） 3"
        " に分けました（6 市区町村）。")
    assert s.dashboard_load_text(NATIONAL, MUNICIPALITIES, "en") == (
        "Read 54 dashboard cells: 50 values and cells without a value (empty 2, not surveyed (調査無し) 1, "
        "'%' only (no procedure concerned) 3), "
        "for 6 municipalities.")


def test_peer_table_counts_population_peers_and_prefecture_members():
    peers = s.peer_table(MUNICIPALITIES, CITIES, rule="population", band=(0.5, 2.0), lang="en")
    assert peers[["municipality", "population", "peer_low", "peer_high", "peers", "in_prefecture"]].values.tolist() == [
        ["Chigasaki", 240000, 120000, 480000, 3, 3],  # itself, Hadano, 合成市A
        ["Hadano", 160000, 80000, 320000, 2, 3],  # itself, Chigasaki
        ["Minamiboso", 38000, 19000, 76000, 3, 3]]  # itself, 合成町B, 合成市C
    assert set(peers["population_year"]) == {2020}
    peers_ja = s.peer_table(MUNICIPALITIES, CITIES, rule="population", band=(0.5, 2.0), lang="ja")
    assert s.peer_texts(peers_ja, "ja")[1] == "秦野市: 人口 160,000人（2020年）→ 同規模団体は人口 80,000〜320,000人の 2 団体、神奈川県内は 3 団体。"


def test_indicator_labelled_and_national_cells():
    moving = s.indicator_labelled(CATALOGUE, s.MOVING_OUT)
    assert moving == "online_usage_32_25"
    cells = s.national_cells(NATIONAL, [moving])
    assert list(cells.columns) == s.NATIONAL_CELL_COLUMNS and cells["raw"].tolist() == ["4.2%", "2.5%", "2.7%", "3%", "",
                                                                                       "1%"]


def test_adoption_texts_leave_not_surveyed_out_of_the_share():
    assert s.adoption_texts(NATIONAL, CATALOGUE, indicators=["rpa_adopted", "ai_adopted"], lang="en") == [
        "RPA adopted: 3 of 5 municipalities (60.0%) (as of 2023-12-31).",
        "AI adopted: 4 of 6 municipalities (66.7%) (as of 2023-12-31)."]  # the period in English
    assert s.adoption_texts(NATIONAL, CATALOGUE, indicators=["ai_adopted"], lang="ja") == [
        "AIの導入: 全国 6 団体中 4 団体（66.7%）が実施（時点: 2023年12月31日時点（令和5年度 AI・RPA調査））。"]


def test_rank_table_has_value_rank_percentile_and_median_per_scope():
    table = s.rank_table(STANDING, CITIES, indicators=[HOLDING], labels=LABELS, lang="en")
    assert list(table.columns) == ["municipality", "lg_code", "indicator", "value", "national_rank", "national_percentile",
                                   "national_median", "prefecture_rank", "prefecture_percentile", "prefecture_median",
                                   "peers_rank", "peers_percentile", "peers_median"]
    chigasaki = table.iloc[0]
    assert chigasaki[["municipality", "indicator", "value", "national_rank", "national_median", "prefecture_rank",
                      "peers_rank"]].tolist() == ["Chigasaki", f"<{HOLDING}>", 76.0, "rank 2 of 6, tied with 1",
                                                  74.5, "rank 1 of 3", "rank 1 of 3"]
    assert pd.isna(chigasaki["peers_median"])  # 3 values: fewer than MEDIAN_MIN_N, no median
    assert chigasaki["national_percentile"] == pytest.approx(5 / 6 * 100)


def test_flag_table_writes_adoption_as_words_beside_the_shares():
    table = s.flag_table(STANDING, CITIES, indicators=["ai_adopted"], labels=LABELS, lang="ja")
    assert table["adopted"].tolist() == ["実施", "実施", "未実施"]
    assert table.loc[0, ["national_share", "prefecture_share", "peers_share"]].tolist() == pytest.approx(
        [4 / 6 * 100, 100.0, 100.0])
    assert s.flag_table(STANDING, CITIES, indicators=["ai_adopted"], labels=LABELS, lang="en")["adopted"].tolist() == [
        "yes", "yes", "no"]


def test_rank_texts_one_paragraph_per_city_with_national_and_peer_ranks():
    assert s.rank_texts(STANDING, CATALOGUE, CITIES, indicators=[HOLDING], lang="en")[0] == (
        "**Chigasaki**: My Number card holding rate 76% (nationally rank 2 of 6, tied with 1; among size peers rank 1 "
        "of 3; size peers: no median: 3 values, fewer than 5).")
    assert s.rank_texts(STANDING, CATALOGUE, CITIES, indicators=[HOLDING], lang="ja")[1] == (
        "**秦野市**: マイナンバーカード保有率 73%（全国 6 団体中 4 位、同規模団体 2 団体中 2 位、"
        "同規模団体の中央値なし（値のある団体が 2 で 5 未満））。")


def test_peer_rule_table_sets_both_rules_side_by_side():
    alt = m.standing(NATIONAL[NATIONAL["indicator"] == HOLDING], MUNICIPALITIES, lg_codes=CITIES["lg_code"],
                     rule="municipality_type")
    table = s.peer_rule_table({"population": STANDING, "municipality_type": alt}, CITIES, indicators=[HOLDING],
                              labels=LABELS, lang="en")
    assert list(table.columns) == s.PEER_RULE_COLUMNS
    assert table[["municipality", "rule", "members", "rank"]].values.tolist() == [
        ["Chigasaki", "municipality_type", 4, 1], ["Chigasaki", "population", 3, 1],  # 市: the three and 合成市C
        ["Hadano", "municipality_type", 4, 3], ["Hadano", "population", 2, 2],
        ["Minamiboso", "municipality_type", 4, 1], ["Minamiboso", "population", 3, 2]]
    assert str(table["rank"].dtype) == "Int64"


USAGE = pd.DataFrame({CHIGASAKI: [4.2, 0.5], f"{CHIGASAKI}:peers": [3.0, 1.0], HADANO: [2.5, NAN],
                      MINAMIBOSO: [2.7, 2.0], "national": [2.6, 1.0]}, index=["online_usage_32_25", "online_usage_26_01"])


def test_usage_years_data_and_coverage():
    assert s.usage_years(USAGE, CATALOGUE) == "FY2022"
    data = s.usage_data(USAGE, CATALOGUE)
    assert data[["indicator", "procedure", "reference_period"]].values.tolist() == [
        ["online_usage_32_25", " 転出届", USAGE_PERIOD], ["online_usage_26_01", "妊娠の届出", USAGE_PERIOD]]
    assert s.usage_coverage_text(USAGE, CATALOGUE, CITIES, "en") == (
        f"Reference period of the usage rates: {USAGE_PERIOD}. Procedures with a value: Chigasaki 2 of 2, Hadano 1 of 2, "
        "Minamiboso 2 of 2.")


def test_moving_out_text_gives_each_city_and_the_national_median():
    assert s.moving_out_text(USAGE, CATALOGUE, CITIES, "ja") == (
        "転出届のオンライン利用率: 茅ヶ崎市 4.2%、秦野市 2.5%、南房総市 2.7%（全国中央値 2.6%）。")
    with_n = s.moving_out_text(USAGE, CATALOGUE, CITIES, "en", national=NATIONAL)  # issue 22: a median with its n
    assert with_n.endswith(" (national no median: 0 values, fewer than 5).") or "(n = " in with_n


GROUPS = {"usage_26": "26 child-care and\ncare procedures", "usage_32": "32 frequent\nprocedures"}


def test_supply_usage_texts_give_supply_with_its_counts_and_the_usage_median():
    detail = m.supply_usage(NATIONAL, lg_codes=CITIES["lg_code"], catalogue=CATALOGUE)
    lines = s.supply_usage_texts(detail, NATIONAL, CITIES, groups=GROUPS, lang="en")
    assert lines[:3] == [
        ("Chigasaki, 26 child-care and care procedures: supply 100%; only 1 of the 1 procedures have a usage value, "
         "fewer than 5, so no median (max 0.5%)."),  # issue 22: no median of fewer than 5 values
        ("Chigasaki, 32 frequent procedures: supply 43% (10 of the 23 procedures it performs); only 1 of the 1 "
         "procedures have a usage value, fewer than 5, so no median (max 4.2%)."),
        ("Hadano, 26 child-care and care procedures: supply 23%; no usage value for any of the 1 procedures "
         "(empty: no applications or not reported).")]
    assert len(lines) == 6
    table = s.supply_usage_table(detail, CITIES, "ja")
    assert table["municipality"].tolist() == ["茅ヶ崎市", "茅ヶ崎市", "秦野市", "秦野市", "南房総市", "南房総市"]


CARDS = pd.DataFrame({  # SYNTHETIC card-issuance snapshots
    "lg_code": MUNICIPALITIES["lg_code"].tolist() * 2,
    "date": ["2022-06-30"] * 6 + ["2022-12-31"] * 6,
    "issued_rate": [50.0, 48.0, 52.0, 45.0, 60.0, 55.0, 58.8, 55.9, 60.1, 50.0, 70.0, 62.0],
    "population": [1.0] * 12, "cards_issued": [1.0] * 12, "raw_rate": ["x"] * 12, "file": ["f.csv"] * 12,
    "row": list(range(12)), "source_id": ["cards"] * 12,
})


def test_issuance_data_and_text_set_the_cities_against_the_national_band():
    data = s.issuance_data(CARDS, CITIES)
    assert data["series"].value_counts().to_dict() == {"city": 6, "national": 2}
    assert data.loc[data["series"] == "national", "median"].tolist() == [51.0, pytest.approx(59.45)]
    assert s.issuance_text(CARDS, CITIES, "en") == (
        "2 snapshots (2022-06-30 … 2022-12-31). At the last one: Chigasaki 58.8%, Hadano 55.9%, Minamiboso 60.1% "
        "(national median 59.45%, IQR 56.625–61.525%).")


TOPICS = {k: s.SURVEY_TOPICS[k] for k in ("my_number", "rpa")}
KPI_LABELS = {i: f"[{i}]" for i in KPIS["indicator"].unique()}


def test_city_vs_survey_lists_documents_beside_the_survey_never_merged():
    table = s.city_vs_survey(KPIS, NATIONAL, CATALOGUE, MILESTONES, cities=CITIES, topics=TOPICS,
                             kpi_labels=KPI_LABELS, lang="en")
    assert list(table.columns) == ["municipality", "topic", "document_kind", "document", "document_date",
                                   "document_quote", "document_source", "survey_value", "survey_period",
                                   "survey_period_basis", "survey_source"]
    rows = table[["municipality", "topic", "document_kind", "document", "document_date", "survey_value"]].values.tolist()
    assert rows == [
        ["Chigasaki", "My Number card holding rate", "", "(no actual figure or date stated)", "", "76%"],
        ["Hadano", "My Number card holding rate", "", "(no actual figure or date stated)", "", "73%"],  # targets only
        ["Minamiboso", "My Number card holding rate", "earliest actual figure", f"[{HOLDING}]: 80.3", "2024-12", "76%"],
        ["Chigasaki", "RPA adopted", "earliest actual figure", "[rpa_hours_saved]: 14000", "FY2024", "実施"],
        ["Hadano", "RPA adopted", "first dated statement", "Introduced RPA", "FY2020", "未実施"],
        ["Hadano", "RPA adopted", "earliest actual figure", "[rpa_tasks]: 18; [rpa_hours_saved]: 3108", "FY2024",  # table order
         "未実施"],
        ["Minamiboso", "RPA adopted", "first dated statement", "Introduced WinActor", "2021-08", "実施"]]
    assert set(table.loc[table["topic"] == "RPA adopted", "survey_period_basis"]) == {"inferred"}
    ja = s.city_vs_survey(KPIS, NATIONAL, CATALOGUE, MILESTONES, cities=CITIES, topics=TOPICS, kpi_labels=KPI_LABELS,
                          lang="ja")
    assert ja.loc[4, ["document_kind", "document", "survey_period_basis"]].tolist() == [
        "最初の日付のある記述", "RPA導入", "推定"]


def test_survey_timing_compares_a_dated_month_with_the_survey_day():
    table = s.city_vs_survey(KPIS, NATIONAL, CATALOGUE, MILESTONES, cities=CITIES, topics=TOPICS,
                             kpi_labels=KPI_LABELS, lang="en")
    assert s.survey_timing_texts(table, "en") == [
        ("Minamiboso, RPA adopted: the survey (as of 2023-12-31, inferred) says adopted (実施); the document's \"Introduced "
         "WinActor\" is dated 2021-08, before the survey date.")]
    later = table.assign(document_date=table["document_date"].replace("2021-08", "2024-02"))
    assert "（調査時点より後）" in s.survey_timing_texts(later.assign(document_kind=later["document_kind"].replace(
        "first dated statement", "最初の日付のある記述")), "ja")[0]


def test_card_holding_texts_set_the_citys_rate_beside_the_dashboards():
    [line] = s.card_holding_texts(KPIS, NATIONAL, CITIES, "en")
    assert line.startswith("Minamiboso, My Number card holding rate: the city's document 80.3% (2024-12, ")
    assert line.endswith(f"the dashboard 76% ({HOLDING_PERIOD}). Two figures of different dates, not merged.")
    assert "『南房総市DX推進方針の取り組み状況等について』" in line  # the document by its title, never its source id
    assert "minamiboso_dx_status_2025" not in line and "synthetic_dashboard" not in line


REFERENCE = pd.DataFrame({  # SYNTHETIC rows of data/reference's shape
    "municipality": ["national", "national", "chiba"],
    "indicator": ["national_ai_adoption_rate_municipalities", "national_ai_adoption_rate_prefectures",
                  "chiba_pref_municipalities_cashless_window_adopted"],
    "value": [50.0, 100.0, 28.0], "as_of": ["2023-12", "2023-12", ""], "quote": ["q-ai", "q-pref", "q-chiba"],
    "source_id": ["minamiboso_dx_status_2025"] * 3,
})


def test_cited_shares_recompute_the_cited_share_without_designated_cities():
    cited = s.cited_shares(REFERENCE, NATIONAL, MUNICIPALITIES)
    assert cited[["indicator", "value", "n", "adopted"]].values.tolist() == [["ai_adopted", 50.0, 5, 3]]  # 合成市A out
    assert cited["share"].tolist() == [60.0]
    table = s.cited_share_table(cited, CATALOGUE, dashboard_sources=["dash_a", "dash_b"], lang="en")
    assert table.iloc[0].tolist() == ["AI adopted", "50%", "2023-12", "q-ai", "minamiboso_dx_status_2025",
                                      "60.0% (3 / 5)", AI_PERIOD, "inferred", "dash_a,dash_b"]
    assert s.cited_share_texts(cited, CATALOGUE, "ja") == [
        ("AIの導入（政令指定都市を除く市区町村）: 南房総市の資料が引用する全国値 50%（2023-12）、ダッシュボードからの計算 60.0%"
         f"（3 / 5 団体、2023年12月31日時点（令和5年度 AI・RPA調査）、時点の根拠: 推定）。")]


def test_functions_refuse_an_unknown_language():
    with pytest.raises(ValueError, match="lang"):
        s.peer_texts(s.peer_table(MUNICIPALITIES, CITIES, rule="population", band=(0.5, 2.0)), "fr")


def test_inputs_are_not_changed():
    frames = {"kpis": KPIS, "national": NATIONAL, "standing": STANDING, "cities": CITIES, "milestones": MILESTONES,
              "catalogue": CATALOGUE, "usage": USAGE, "cards": CARDS}
    before = {k: v.copy(deep=True) for k, v in frames.items()}
    s.last_targets(KPIS, CATALOGUE_KPI, municipality="hadano")
    s.dated_by_several(MILESTONES, min_cities=2, exclude=["other"])
    s.rank_table(STANDING, CITIES, indicators=[HOLDING], labels=LABELS)
    s.flag_table(STANDING, CITIES, indicators=["ai_adopted"], labels=LABELS)
    s.usage_data(USAGE, CATALOGUE)
    s.issuance_data(CARDS, CITIES)
    s.city_vs_survey(KPIS, NATIONAL, CATALOGUE, MILESTONES, cities=CITIES, topics=TOPICS, kpi_labels=KPI_LABELS)
    for k, v in frames.items():
        pd.testing.assert_frame_equal(v, before[k], obj=k)


def test_a_missing_percentage_reads_as_no_value_never_nan():
    assert s.percent_text(float("nan")) == "値なし" and s.percent_text(float("nan"), "en") == "no value"
    assert s.percent_text(76.0) == "76%"
