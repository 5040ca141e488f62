"""Narration sentences (ja/en) rendered from the data, for the cases a new year brings."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from conftest import load_fixture_kpis
from dxanalysis import metrics as m
from dxanalysis import narrate as nr

KPIS = load_fixture_kpis()


def series(municipality, indicator, kind="actual"):
    return m.select_series(KPIS, municipality=municipality, indicator=indicator, kind=kind)


def test_series_text_states_years_values_and_marks():
    assert nr.series_text(series("chigasaki", "telework_count"), "ja") == (
        "茅ヶ崎市のテレワーク件数（実績）: 2022年度 961件 → 2023年度 753件 → 2024年度 761件")
    en = nr.series_text(series("chigasaki", "online_application_rate"), "en")
    assert "FY2023 ~13%" in en and "FY2024 ~15%" in en
    assert "(as of 2025-01)" in nr.series_text(series("hadano", "online_procedures"), "en")
    assert "FY2024 revised by a newer document" in nr.series_text(series("hadano", "open_data_datasets"), "en")


def test_series_text_copes_with_nothing_and_with_missing_values():
    assert nr.series_text(series("chigasaki", "telework_count").iloc[0:0], "en") == "no figures"
    elqr = series("hadano", "elqr_payment_rate", "target")
    assert "no value for FY2026, FY2027" in nr.series_text(elqr, "en")
    assert "all missing" in nr.series_text(elqr[elqr["value"].isna()], "en")


@pytest.mark.parametrize("actuals, en, ja", [
    ([(2024, 15.0)], "latest actual FY2024 15%, gap 85 points, required growth +566.7% per year", "必要な伸び 年率+566.7%"),
    ([(2024, 15.0), (2025, 100.0)], "target year reached: attained (actual 100%)", "目標年度に到達: 達成"),
    ([(2024, 15.0), (2025, 60.0)], "target year reached: missed by 40 points (actual 60%)", "未達（実績 60%、あと40ポイント）"),
    ([(2024, 15.0), (2026, 70.0)], "target year passed with no actual for it (latest FY2026: 70%)", "その年度の実績はありません"),
    ([], "no actual to compare yet", "比べられる実績はまだありません"),
])
def test_target_text_for_every_status(actuals, en, ja):
    df = pd.DataFrame([("c", "online_application_rate", "actual", y, v) for y, v in actuals]
                      + [("c", "online_application_rate", "target", 2025, 100.0)],
                      columns=["municipality", "indicator", "kind", "fiscal_year", "value"])
    traj = m.trajectory(df, municipality="c", indicator="online_application_rate")
    assert en in nr.trajectory_text(traj, "en")[0]
    assert ja in nr.trajectory_text(traj, "ja")[0]


def test_growth_change_coverage_and_basis():
    proc = series("hadano", "online_procedures")
    assert nr.growth_text(proc, "en") == "compound annual growth FY2021–FY2024: +68.7% per year"
    assert "fewer than two years" in nr.growth_text(proc.iloc[:1], "en")
    tw = series("chigasaki", "telework_count").pipe(m.yoy_change)
    assert nr.change_text(tw, "en") == f"FY2024 against FY2023: +8 {nr.unit_of('telework_count', 'en')} (+1.1%)"
    assert nr.change_text(tw.iloc[:1], "en").startswith("no year can be compared")
    cov = nr.coverage_text(KPIS, "en")
    assert "- Chigasaki: 3 indicators with actuals (FY2022–FY2024); 1 indicators with targets (FY2025)" in cov
    assert nr.basis_text("en").startswith("figures used: all (including those whose fiscal year is read from")
    assert nr.basis_text("ja").startswith("使用した数値: すべて") and "half" not in nr.basis_text("ja")
    with pytest.raises(ValueError):
        nr.fy(2025, "fr")
    assert nr.number(math.nan) == "—"


@pytest.mark.parametrize("lang, text", [
    ("ja", "目標 2025年度 100%: 目標年度、実績未公表（最新は2024年度 15%）"),
    ("en", "target FY2025 100%: target year, no actual published yet (latest FY2024: 15%)"),
])
def test_a_target_of_the_report_year_without_an_actual_needs_no_growth(lang, text):
    """茅ヶ崎市's 100 % target for FY2025 in the FY2025 report: its actual is not out yet, nothing is 'required'."""
    traj = m.trajectory(KPIS, municipality="chigasaki", indicator="online_application_rate", report_year=2025)
    assert traj["status"].tolist() == ["awaiting_actual"] and math.isnan(traj["required_growth"].iloc[0])
    assert nr.trajectory_text(traj, lang) == [text]
    ahead = m.trajectory(KPIS, municipality="chigasaki", indicator="online_application_rate", report_year=2024)
    assert ahead["status"].tolist() == ["open"] and round(ahead["required_growth"].iloc[0], 3) == 5.667
