"""Analysis verbs, checked against numbers worked out by hand — on the frozen fixture dataset
(tests/fixtures/dataset), so adding real figures to data/ never changes these tests."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from conftest import load_fixture_kpis
from dxanalysis import metrics as m

KPIS = load_fixture_kpis()


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
                        fte_indicator="genai_hours_saved_fte", fiscal_year=2030)
    r = m.hours_per_fte(KPIS, municipality="hadano", hours_indicator="rpa_hours_saved",
                        fte_indicator="rpa_hours_saved_fte", fiscal_year=2030)
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


# ---------------------------------------------------------------- what a new year brings

def _rate(actuals, targets, **extra):
    rows = [("c", "rate", "actual", y, v) for y, v in actuals] + [("c", "rate", "target", y, v) for y, v in targets]
    return frame(rows).assign(**extra) if extra else frame(rows)


@pytest.mark.parametrize("actuals, status, gap", [
    ([(2023, 13.0), (2024, 15.0)], "open", None),            # target year ahead: growth required
    ([(2024, 15.0), (2025, 100.0)], "attained", 0.0),        # actual in the target year, equal
    ([(2024, 15.0), (2025, 104.0)], "attained", 4.0),        # above
    ([(2024, 15.0), (2025, 60.0)], "missed", -40.0),         # below
    ([(2024, 15.0), (2026, 70.0)], "no_actual", None),       # after the target year, none in it
    ([(2025, 90.0), (2026, 100.0)], "missed", -10.0),        # after it, judged by the target year's own actual
    ([], "open", None),                                       # no actual at all
    ([(2024, float("nan")), (2025, float("nan"))], "open", None),  # all values missing
    ([(2025, 100.0)], "attained", 0.0),                      # a single point
])
def test_trajectory_never_raises_once_the_target_year_comes(actuals, status, gap):
    t = m.trajectory(_rate(actuals, [(2025, 100.0)]), municipality="c", indicator="rate")
    assert t["status"].tolist() == [status]
    assert (math.isnan(t["gap"].iloc[0]) if gap is None else t["gap"].iloc[0] == gap)
    if status == "open" and actuals and not all(math.isnan(v) for _, v in actuals):
        assert t["required_growth"].iloc[0] > 0
    else:
        assert math.isnan(t["required_growth"].iloc[0])


def test_trajectory_lower_is_better_and_missing_target():
    t = m.trajectory(_rate([(2025, 5.0)], [(2025, 8.0)]), municipality="c", indicator="rate", higher_is_better=False)
    assert t["status"].tolist() == ["attained"]
    t = m.trajectory(_rate([(2025, 5.0)], [(2025, float("nan"))]), municipality="c", indicator="rate")
    assert t["status"].tolist() == ["no_target"]


def test_trajectory_uses_a_revision():
    """A revised value (the loader keeps the newest source's row) is the one judged."""
    kpis = KPIS  # fixture: open_data_datasets FY2024 365 revised to 370 by a newer (synthetic) source
    row = kpis.query("indicator == 'open_data_datasets' and fiscal_year == 2024")
    assert row[["value", "revised"]].values.tolist() == [[370.0, True]]
    assert m.select_series(kpis, municipality="hadano", indicator="open_data_datasets")["value"].tolist() == [280.0, 370.0]


def test_stated_only_drops_rows_whose_year_is_not_stated():
    df = _rate([(2023, 13.0), (2024, 15.0), (2025, 60.0)], [(2025, 100.0)],
               year_basis=["stated", "stated", "heading", "stated"])
    assert m.trajectory(df, municipality="c", indicator="rate")["status"].tolist() == ["missed"]
    assert m.trajectory(df, municipality="c", indicator="rate", stated_only=True)["status"].tolist() == ["open"]
    assert len(m.attainment(df)) == 1 and len(m.attainment(df, stated_only=True)) == 0
    assert m.yoy_change(df, stated_only=True)["fiscal_year"].tolist() == [2023, 2024, 2025]
    act = df[df["kind"] == "actual"]
    assert not math.isnan(m.cagr(act, 2023, 2025)) and math.isnan(m.cagr(act, 2023, 2025, stated_only=True))
    plain = df.drop(columns="year_basis")  # no year_basis column: the parameter has no effect
    pd.testing.assert_frame_equal(m.trajectory(plain, municipality="c", indicator="rate", stated_only=True),
                                  m.trajectory(plain, municipality="c", indicator="rate"))


def test_single_point_and_all_missing_series():
    one = frame([("c", "n", "actual", 2025, 5.0)])
    assert m.yoy_change(one)["change"].isna().all() and math.isnan(m.cagr(one, 2024, 2025))
    empty = frame([("c", "n", "actual", 2024, float("nan")), ("c", "n", "actual", 2025, float("nan"))])
    assert m.yoy_change(empty)["change"].isna().all()
    assert m.attainment(empty).empty
