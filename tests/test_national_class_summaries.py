"""Notebook 06's 類似団体 summaries (analysis.class_summaries), on SYNTHETIC frames (issue 23).

Every value is made up for the tests (codes 90000x, names 合成…); the three cities appear under their real
codes and slugs so that they get their names. Nothing here reads data/.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dxanalysis import metrics as m
from dxanalysis import summaries as s

CHIGASAKI, HADANO, MINAMIBOSO = "142077", "142115", "122343"

# SYNTHETIC municipality list with a 類似団体区分 (FY2023)
MUNICIPALITIES = pd.DataFrame({
    "lg_code": [CHIGASAKI, HADANO, MINAMIBOSO, "900001", "900002", "900003", "900004"],
    "name_ja": ["茅ヶ崎市", "秦野市", "南房総市", "合成市A", "合成市B", "合成市C", "合成町D"],
    "slug": ["chigasaki", "hadano", "minamiboso", None, None, None, None],
    "prefecture": ["神奈川県", "神奈川県", "千葉県", "神奈川県", "千葉県", "千葉県", "千葉県"],
    "prefecture_en": ["Kanagawa", "Kanagawa", "Chiba", "Kanagawa", "Chiba", "Chiba", "Chiba"],
    "municipality_type": ["市", "市", "市", "市", "市", "市", "町"],
    "similar_group": ["施行時特例市", "一般市Ⅳ－３", "一般市Ⅰ－１", "施行時特例市", "施行時特例市", "一般市Ⅰ－１", "町村Ⅱ－１"],
    "similar_group_year": [2023] * 7,
    "population": [240000.0, 160000.0, 38000.0, 130000.0, 500000.0, 40000.0, 30000.0],
}).astype({"lg_code": "str", "name_ja": "str", "prefecture": "str", "similar_group": "str"})
CITIES = s.city_rows(MUNICIPALITIES, ["chigasaki", "hadano", "minamiboso"])

# SYNTHETIC classes over two years: 合成市C moves class; 南房総市 too in the second frame
GROUPS = pd.DataFrame({
    "lg_code": [c for c in MUNICIPALITIES["lg_code"] for _ in (2022, 2023)],
    "fiscal_year": [2022, 2023] * 7,
    "similar_group": [g for g in MUNICIPALITIES["similar_group"] for _ in (2022, 2023)],
    "fiscal_strength_index": [0.9, 0.88, 0.8, 0.79, 0.3, 0.31, 1.0, 1.0, 0.9, 0.9, 0.5, 0.5, 0.2, 0.2],
    "current_balance_ratio": [96.0, 95.0, 90.0, 91.0, 93.0, 94.0] + [90.0] * 8,
    "real_debt_service_ratio": [4.0, 4.0, 2.0, 2.0, 9.0, 8.0] + [5.0] * 8,
})
GROUPS.loc[10, "similar_group"] = "一般市Ⅰ－０"  # 合成市C in 2022
AVERAGES = pd.DataFrame([
    [cls, 2023, ratio, value] for cls, values in {"施行時特例市": (0.87, 92.9, 4.3), "一般市Ⅳ－３": (0.9, 92.5, 3.7),
                                                   "一般市Ⅰ－１": (0.37, 93.0, 9.0)}.items()
    for ratio, value in zip(("fiscal_strength_index", "current_balance_ratio", "real_debt_service_ratio"), values)],
    columns=["similar_group", "fiscal_year", "ratio", "value"])


def test_similar_group_label_is_published_in_japanese_and_spelt_out_in_english():
    assert s.similar_group_label("一般市Ⅰ－１", "ja") == "一般市Ⅰ－１"
    assert [s.similar_group_label(c, "en") for c in ("一般市Ⅳ－３", "町村Ⅴ－０", "中核市", "特別区")] == [
        "city IV-3", "town/village V-0", "core city", "special ward"]


def test_class_peer_table_counts_the_class_with_the_city_and_the_size_alternative():
    table = s.class_peer_table(MUNICIPALITIES, CITIES, lang="ja")
    assert table[["municipality", "similar_group", "members", "size_peers", "in_prefecture"]].values.tolist() == [
        ["茅ヶ崎市", "施行時特例市", 3, 3, 3],  # itself, 合成市A, 合成市B; size: itself, 秦野市 160,000, 合成市A 130,000
        ["秦野市", "一般市Ⅳ－３", 1, 3, 3],  # alone in its class; size: 茅ヶ崎市, itself, 合成市A
        ["南房総市", "一般市Ⅰ－１", 2, 3, 4]]  # itself, 合成市C; size: itself, 合成市C, 合成町D
    assert table.loc[0, "label"] == "茅ヶ崎市（施行時特例市、3団体）"
    assert s.class_peer_texts(table, "ja")[2] == (
        "南房総市（一般市Ⅰ－１、2団体）: 2023年度の類似団体区分による類似団体（市自身を含む）。人口規模で選ぶ同規模団体なら 3 団体、同じ都道府県は 4 団体。")
    en = s.class_peer_table(MUNICIPALITIES, CITIES, lang="en")
    assert en.loc[1, "label"] == "Hadano (city IV-3, 1 municipalities)"
    assert s.class_peer_texts(en, "en")[0].startswith("Chigasaki (former special-case city, 3 municipalities): similar")


def test_class_change_text_counts_changes_and_names_a_city_that_changed():
    assert s.class_change_text(GROUPS, CITIES, "ja") == (
        "2022〜2023年度に類似団体区分が変わった団体は 1（2022→2023: 1）。比較にはDXデータの時点に合う年度の区分を使います。"
        "三市の区分は2022〜2023年度を通じて同じです。")
    moved = GROUPS.copy()
    moved.loc[4, "similar_group"] = "一般市Ⅰ－２"  # 南房総市 in 2022
    assert s.class_change_text(moved, CITIES, "en").endswith(
        "Minamiboso changed from city I-2 to city I-1 (FY2022→FY2023).")
    assert "2 municipalities changed class" in s.class_change_text(moved, CITIES, "en")


def test_fiscal_context_puts_each_city_beside_its_class_average():
    table = s.fiscal_context_table(GROUPS, AVERAGES, CITIES, year=2023, lang="ja")
    assert len(table) == 9 and set(table["fiscal_year"]) == {2023}
    first = table[table["ratio"] == "財政力指数"]
    assert first[["municipality", "value", "class_average", "city_value"]].values.tolist() == [
        ["茅ヶ崎市", 0.88, 0.87, "公表値"], ["秦野市", 0.79, 0.9, "公表値"], ["南房総市", 0.31, 0.37, "公表値"]]
    assert table.loc[table["ratio"] == "経常収支比率", "city_value"].unique().tolist() == ["整数に丸めた値（派生ファイル）"]
    assert s.fiscal_context_texts(table, "ja")[1] == (
        "秦野市（一般市Ⅳ－３）: 2023年度の財政力指数 0.79、類似団体平均 0.90。財政の文脈であり、DXの指標ではありません。")
    en = s.fiscal_context_table(GROUPS, AVERAGES, CITIES, year=2023, lang="en")
    assert s.fiscal_context_texts(en, "en")[0] == (
        "Chigasaki (former special-case city): fiscal strength index 0.88 in FY2023, class average 0.87 — "
        "fiscal context, not a DX measure.")


def test_rank_texts_name_the_peer_rule():
    nat = pd.DataFrame({"lg_code": MUNICIPALITIES["lg_code"], "indicator": "r", "value": [70.0, 60, 50, 80, 75, 40, 30]})
    cat = pd.DataFrame({"indicator": ["r"], "name_ja": ["率"], "name_en": ["Rate"]}, index=["r"])
    standing = m.standing(nat, MUNICIPALITIES, lg_codes=CITIES["lg_code"], rule="similar_group")
    assert s.rank_texts(standing, cat, CITIES, indicators=["r"], lang="ja", rule="similar_group")[0] == (
        "**茅ヶ崎市**: 率 70%（全国 7 団体中 3 位、類似団体 3 団体中 3 位、類似団体の中央値なし（値のある団体が 3 で 5 未満））。")
    assert s.rank_texts(standing, cat, CITIES, indicators=["r"], lang="en", rule="similar_group")[2] == (
        "**Minamiboso**: Rate 50% (nationally rank 5 of 7; among similar municipalities rank 1 of 2; "
        "similar municipalities: no median: 2 values, fewer than 5).")
    alt = m.standing(nat, MUNICIPALITIES, lg_codes=CITIES["lg_code"], rule="population")
    table = s.peer_robustness_table({"similar_group": standing, "population": alt}, CITIES, indicators=["r"],
                                    labels={"r": "率"}, lang="ja")
    assert table[["municipality", "rule", "scope_name", "members", "rank"]].values.tolist()[:2] == [
        ["南房総市", "同規模団体", "人口 0.5〜2倍", 3, 1], ["南房総市", "類似団体", "一般市Ⅰ－１", 2, 1]]


def test_figure_titles_fill_their_placeholders():
    title = s.figure_title("national_card_issuance_trend", first="2017-03", last="2022-12")
    assert title["ja"] == "マイナンバーカード交付率の推移（2017-03〜2022-12。交付であり保有ではない）"
    assert "類似団体" in s.figure_title("national_adoption_shares")["ja"]
    with pytest.raises(KeyError):
        s.figure_title("national_usage_heatmap")  # {fy} is required


def test_inputs_are_not_changed():
    before = [f.copy(deep=True) for f in (MUNICIPALITIES, GROUPS, AVERAGES)]
    s.class_peer_table(MUNICIPALITIES, CITIES)
    s.class_change_text(GROUPS, CITIES)
    s.fiscal_context_table(GROUPS, AVERAGES, CITIES, year=2023)
    for b, f in zip(before, (MUNICIPALITIES, GROUPS, AVERAGES)):
        pd.testing.assert_frame_equal(b, f)
    assert not np.isnan(GROUPS["fiscal_strength_index"]).any()


# ---------------------------------------------------------------- open data at two surveys (opendata_summaries)

def synthetic_surveys() -> pd.DataFrame:
    """SYNTHETIC answers to R2 [No.2] and R6 Q3 in the load_opendata_surveys shape (a few columns)."""
    r2 = {CHIGASAKI: "オープンデータをすでに公開している", HADANO: "未計画", MINAMIBOSO: None,
          "900001": "オープンデータをすでに公開している", "900002": "2020年度中", "900003": "オープンデータをすでに公開している",
          "900004": "未計画"}
    r6 = {CHIGASAKI: "取組んでいる", HADANO: "取組んでいる", MINAMIBOSO: "取組んでいない", "900001": None,
          "900002": "取組んでいる", "900003": "取組んでいない", "900004": "取組んでいる"}
    rows = [(code, 2020, "No.2", a, None if a else "not_submitted") for code, a in r2.items()]
    rows += [(code, 2024, "Q3", a, None if a else "not_confirmed") for code, a in r6.items()]
    rows += [(CHIGASAKI, 2024, "Q4", None, "no_answer")]  # another question: not counted
    return pd.DataFrame(rows, columns=["lg_code", "survey_year", "question_id", "answer", "missing_reason"])


def test_opendata_status_table_counts_each_survey_apart():
    table = s.opendata_status_table(synthetic_surveys(), MUNICIPALITIES, CITIES, lang="ja")
    assert list(table.columns) == s.OPENDATA_STATUS_COLUMNS
    chiga = table[table["municipality"] == "茅ヶ崎市"]
    assert chiga["scope"].tolist() == ["市自身", "類似団体（施行時特例市）", "神奈川県", "全国"]
    # 類似団体 = 茅ヶ崎市, 合成市A, 合成市B: R2 2 of 3 already publishing; R6 合成市A did not answer → 2 answered, 2 working
    assert chiga.iloc[1][["members", "r2_answered", "r2_published", "r6_answered", "r6_working", "r6_not_submitted"]].tolist() == [
        3, 3, 2, 2, 2, 1]
    assert chiga.iloc[3][["r2_answered", "r2_published", "r2_not_submitted"]].tolist() == [6, 3, 1]
    mb = table[table["municipality"] == "南房総市"].iloc[0]
    assert (mb["r2_answer"], mb["r6_answer"]) == ("回答なし（調査に未提出）", "取組んでいない")
    assert table.loc[1, "r2_answer"] == ""  # only the city's own row holds its answer


def test_opendata_texts_keep_the_two_surveys_apart():
    ja = s.opendata_texts(s.opendata_status_table(synthetic_surveys(), MUNICIPALITIES, CITIES, lang="ja"), "ja")
    assert ja[0] == ("**茅ヶ崎市**: 令和2年度調査 [No.2]（公開開始予定時期）は「オープンデータをすでに公開している」"
                     "（回答した団体のうち「すでに公開」: 類似団体（施行時特例市） 2 / 3 団体（66.7%）、全国 3 / 6 団体（50.0%））。"
                     "令和6年度調査 Q3（オープンデータに取り組んでいるか）は「取組んでいる」"
                     "（回答した団体のうち「取り組んでいる」: 類似団体（施行時特例市） 2 / 2 団体（100.0%）、全国 4 / 6 団体（66.7%））。")
    assert ja[-1].startswith("二つの調査は問いが異なるため、一つの系列にはしません。調査に回答しなかった団体（全国で令和2年度 1、令和6年度 1）")
    en = s.opendata_texts(s.opendata_status_table(synthetic_surveys(), MUNICIPALITIES, CITIES, lang="en"), "en")
    assert en[2].startswith("**Minamiboso**: FY2020 survey [No.2] (when open-data publishing starts): no answer (did not "
                            "submit the survey) (already publishing, of those answering: similar municipalities (city I-1) 1 of 1 (100.0%)")
    assert s.OPENDATA_SOURCE_IDS == ["opendata_survey_r2_2020", "opendata_survey_r6_2024"]
