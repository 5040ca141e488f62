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
