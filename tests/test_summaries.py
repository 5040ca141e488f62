"""The tables and sentences the notebooks show (dxanalysis.summaries), on the fixture dataset and SYNTHETIC frames.

KPI figures come from the fixture dataset (tests/fixtures/dataset), never from data/kpis; its catalogue stands in
for the bundled one (``fixture_project``), so city and indicator names are the fixture's. The national tables below
are SYNTHETIC (made-up values in the shape of dxanalysis.national's tables, the three cities under their real
codes), small enough that every expected number can be worked out by hand.
"""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import DATASET, load_fixture_kpis
from dxanalysis import io
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
        "Hadano FY2030: 11,200 時間 ÷ ~3.6 人分 = 3,111.1 時間 per 人分 (target)",
        "Hadano FY2030: 8,800 時間 ÷ ~2.8 人分 = 3,142.9 時間 per 人分 (target)"]
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
