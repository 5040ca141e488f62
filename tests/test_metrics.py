"""Analysis verbs, checked against numbers worked out by hand from the bundled data."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dxanalysis import load_kpis
from dxanalysis import metrics as m

KPIS = load_kpis()


def frame(rows):
    return pd.DataFrame(rows, columns=["municipality", "indicator", "kind", "fiscal_year", "value"])


def test_select_series_keeps_latest_as_of_per_year():
    df = frame([("h", "n", "actual", 2024, 17.0), ("h", "n", "actual", 2024, 18.0)]).assign(as_of=["2024-10", "2025-01"])
    assert m.select_series(df, municipality="h", indicator="n", kind="actual")["value"].tolist() == [18.0]


def test_select_series_rejects_unknown_kind():
    with pytest.raises(ValueError):
        m.select_series(KPIS, kind="plan")


def test_yoy_change_on_chigasaki_telework():
    # 961 → 753 → 761: −208 (−21.64 %), +8 (+1.06 %)
    s = m.select_series(KPIS, municipality="chigasaki", indicator="telework_count", kind="actual").pipe(m.yoy_change)
    assert s["change"].tolist()[1:] == [-208.0, 8.0]
    assert s["pct_change"].round(2).tolist()[1:] == [-21.64, 1.06]


def test_yoy_change_leaves_gaps_empty():
    s = m.yoy_change(frame([("h", "n", "actual", 2021, 85.0), ("h", "n", "actual", 2024, 408.0)]))
    assert s["change"].isna().all()


@pytest.mark.parametrize("municipality, indicator, start, end, expected", [
    ("chigasaki", "telework_count", 2022, 2024, -0.1101),  # (761/961)^(1/2) − 1
    ("hadano", "online_procedures", 2021, 2024, 0.6869),  # (408/85)^(1/3) − 1 = 4.8^(1/3) − 1
    ("chigasaki", "online_application_rate", 2023, 2024, 0.1538),  # 15/13 − 1
])
def test_cagr(municipality, indicator, start, end, expected):
    s = m.select_series(KPIS, municipality=municipality, indicator=indicator, kind="actual")
    assert round(m.cagr(s, start, end), 4) == expected


def test_cagr_missing_year_is_nan():
    s = m.select_series(KPIS, municipality="chigasaki", indicator="telework_count", kind="actual")
    assert math.isnan(m.cagr(s, 2019, 2024))


def test_index_to_base():
    s = m.select_series(KPIS, municipality="chigasaki", indicator="telework_count", kind="actual")
    assert m.index_to_base(s, 2022)["index"].round(1).tolist() == [100.0, 78.4, 79.2]  # 753/961, 761/961


def test_attainment_and_gap():
    df = frame([("c", "rate", "actual", 2025, 60.0), ("c", "rate", "target", 2025, 100.0),
                ("c", "rate", "target", 2026, 100.0)])
    out = m.attainment(df)
    assert out[["fiscal_year", "attainment", "gap"]].values.tolist() == [[2025, 0.6, -40.0]]


def test_trajectory_of_hadano_rpa_hours():
    t = m.trajectory(KPIS, municipality="hadano", indicator="rpa_hours_saved")
    assert t["value"].tolist() == [3700.0, 4800.0, 5800.0, 7800.0, 8800.0]
    assert set(t["latest_actual"]) == {3108.0} and set(t["latest_actual_year"]) == {2024}
    # 3108 → 3700 in two years: (3700/3108)^(1/2) − 1 = 9.11 %; → 8800 in six: 18.94 %
    assert t["required_growth"].round(4).tolist()[0] == 0.0911
    assert t["required_growth"].round(4).tolist()[-1] == 0.1894


def test_hours_per_fte_from_the_citys_own_conversion():
    # 11,200 h ≈ 3.6 人分 → 3,111.1 h; 8,800 h ≈ 2.8 人分 → 3,142.9 h
    g = m.hours_per_fte(KPIS, municipality="hadano", hours_indicator="genai_hours_saved",
                        fte_indicator="genai_hours_saved_fte", fiscal_year=2025, kind="estimate")
    r = m.hours_per_fte(KPIS, municipality="hadano", hours_indicator="rpa_hours_saved",
                        fte_indicator="rpa_hours_saved_fte", fiscal_year=2025, kind="estimate")
    assert (round(g, 1), round(r, 1)) == (3111.1, 3142.9)
    fte = m.to_fte(frame([("h", "rpa", "actual", 2024, 3108.0)]), hours_per_person_year=g)
    assert round(fte["fte"].iloc[0], 2) == 1.0  # 3108 / 3111.1


def test_to_fte_needs_a_positive_conversion():
    with pytest.raises(ValueError):
        m.to_fte(frame([]), hours_per_person_year=0)


def test_coverage_marks():
    cov = m.coverage(KPIS)
    assert cov.loc[("chigasaki", "online_application_rate"), [2023, 2024, 2025]].tolist() == ["A", "A", "T"]
    assert cov.loc[("chigasaki", "telework_count"), 2021] == ""
    assert cov.loc[("hadano", "rpa_hours_saved"), 2024] == "A"


def test_coverage_summary_counts():
    s = m.coverage_summary(KPIS)
    assert s.loc["chigasaki", "rows"] == len(KPIS.query("municipality == 'chigasaki'"))
    assert s["rows"].sum() == len(KPIS)


def test_functions_do_not_mutate_input():
    before = KPIS.copy()
    m.yoy_change(KPIS)
    m.index_to_base(KPIS, 2024)
    m.coverage(KPIS)
    pd.testing.assert_frame_equal(before, KPIS)


def test_require_columns_names_what_is_missing():
    with pytest.raises(KeyError, match="fiscal_year"):
        m.yoy_change(pd.DataFrame({"value": [1.0]}))


def _milestones():
    return pd.DataFrame({
        "municipality": ["hadano", "hadano", "hadano", "minamiboso", "minamiboso", "chigasaki"],
        "category": ["rpa", "rpa", "online_application", "rpa", "telework", "rpa"],
        "date": ["", "2020", "2005", "2021-08", "", ""],  # 令和2年 / 平成17年: calendar years only
        "fiscal_year": pd.array([2021, pd.NA, pd.NA, 2021, 2026, 2019], dtype="Int64"),
        "status": ["done", "done", "done", "done", "planned", "planned"],
        "quote": ["令和3年度から", "令和2年 RPA運用開始", "平成17年 電子申請運用開始", "令和3年8月に", "R8", "R1"],
    })


def test_first_adoptions_keep_the_statement_and_its_basis():
    first = m.first_adoptions(_milestones())
    got = first[["municipality", "category", "year", "year_basis", "quote"]].values.tolist()
    assert got == [["hadano", "online_application", 2005, "calendar", "平成17年 電子申請運用開始"],
                   ["hadano", "rpa", 2020, "calendar", "令和2年 RPA運用開始"],
                   ["minamiboso", "rpa", 2021, "fiscal", "令和3年8月に"]]


def test_adoption_years_table_and_planned():
    assert m.adoption_years(_milestones()).stack().dropna().to_dict() == {
        ("online_application", "hadano"): 2005, ("rpa", "hadano"): 2020, ("rpa", "minamiboso"): 2021}
    planned = m.adoption_years(_milestones(), status="planned")
    assert planned.stack().dropna().to_dict() == {("rpa", "chigasaki"): 2019, ("telework", "minamiboso"): 2026}
    assert planned.isna().sum().sum() == 2  # empty where a city dates nothing
    with pytest.raises(ValueError):
        m.adoption_years(_milestones(), status="maybe")
