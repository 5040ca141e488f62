"""Data tests: invariants of whatever data is bundled — every number readable in its quote, every quote in its
source (sources without a text copy are skipped by name), catalogue consistency — and headline values pinned
per source document, so a later source that adds or revises a year never breaks them."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dxanalysis import (config, load_indicators, load_kpis, load_milestones, load_municipalities, load_reference,
                        load_sources, load_telework_log)
from dxanalysis.io.numbers import numbers_in
from dxanalysis.io.cells import squash
from dxanalysis.io.text import read_text_file
from dxanalysis.contract.records import MILESTONE_KEY

KPIS = load_kpis()
SUPERSEDED = KPIS.attrs["load_report"].superseded
EVERY_ROW = pd.concat([KPIS, SUPERSEDED], ignore_index=True)
"""Every row of every source, including those a newer source revised (kept, not analysed)."""
REFERENCE = load_reference()
ALL = pd.concat([EVERY_ROW, REFERENCE], ignore_index=True)


def of_source(source_id):
    return EVERY_ROW[EVERY_ROW["source_id"] == source_id]


def series(municipality, indicator, kind="actual", *, source):
    """The series as one source document states it (later sources may add years or revise values)."""
    s = of_source(source).query("municipality == @municipality and indicator == @indicator and kind == @kind")
    return s.set_index("fiscal_year")["value"].to_dict()


SOURCE_OF = {"chigasaki": "chigasaki_progress_fy2024", "hadano": "hadano_dx_plan_draft_2025",
             "minamiboso": "minamiboso_dx_status_2025"}
"""The source document of each headline series below."""


@pytest.mark.parametrize("municipality, indicator, kind, expected", [
    ("chigasaki", "online_application_rate", "actual", {2023: 13.0, 2024: 15.0}),
    ("chigasaki", "online_application_rate", "target", {2025: 100.0}),
    ("chigasaki", "rpa_hours_saved", "actual", {2024: 14000.0}),
    ("chigasaki", "telework_count", "actual", {2022: 961.0, 2023: 753.0, 2024: 761.0}),
    ("chigasaki", "security_training_staff", "actual", {2024: 1739.0}),
    ("chigasaki", "smartphone_classes", "actual", {2024: 15.0}),
    ("hadano", "online_application_rate", "target", {2026: 20.0, 2027: 25.0, 2028: 30.0, 2029: 35.0, 2030: 40.0}),
    ("hadano", "rpa_hours_saved", "actual", {2024: 3108.0}),
    ("hadano", "rpa_hours_saved", "target", {2026: 3700.0, 2027: 4800.0, 2028: 5800.0, 2029: 7800.0, 2030: 8800.0}),
    ("hadano", "genai_hours_saved", "target", {2026: 6400.0, 2027: 7500.0, 2028: 8600.0, 2029: 9900.0, 2030: 11200.0}),
    ("hadano", "rpa_tasks", "actual", {2024: 18.0}),
    ("hadano", "online_procedures", "actual", {2021: 85.0, 2024: 408.0}),
    ("hadano", "public_wifi_facilities", "actual", {2021: 20.0, 2024: 33.0}),
    ("hadano", "open_data_datasets", "actual", {2021: 280.0, 2024: 365.0}),
    ("hadano", "cashless_payment_rate", "actual", {2023: 15.0, 2024: 18.0}),
    ("hadano", "electronic_approval_rate", "actual", {2023: 98.0}),
    ("hadano", "line_friends", "actual", {2022: 17000.0, 2025: 30000.0}),  # R4:約17,000人→R7:約30,000人
    ("minamiboso", "my_number_card_holders", "actual", {2024: 27955.0}),
    ("minamiboso", "my_number_card_holding_rate", "actual", {2024: 80.3}),
    ("minamiboso", "telework_count", "actual", {2024: 34.0}),
])
def test_headline_series(municipality, indicator, kind, expected):
    assert series(municipality, indicator, kind, source=SOURCE_OF[municipality]) == expected


def test_approximate_flags_of_headline_figures():
    rows = of_source("chigasaki_progress_fy2024").set_index(["municipality", "indicator", "fiscal_year", "kind"])["approximate"]
    assert rows[("chigasaki", "online_application_rate", 2023, "actual")]  # 約13%
    assert rows[("chigasaki", "online_application_rate", 2024, "actual")]  # 15%程度
    assert rows[("chigasaki", "rpa_hours_saved", 2024, "actual")]  # 年間約14,000時間
    assert not rows[("chigasaki", "telework_count", 2024, "actual")]


def test_estimates_and_range_bounds_are_approximate():
    """A cost under a 概算 heading or one end of a written range (2~3日) is never an exact figure."""
    bounds = KPIS["note"].fillna("").str.contains("lower bound|upper bound")
    estimates = KPIS[KPIS["location"].str.contains("概算") | bounds]
    assert len(estimates) >= 10
    assert estimates["approximate"].all()


def test_point_in_time_figures_carry_as_of():
    mn = of_source("minamiboso_dx_status_2025").query("municipality == 'minamiboso' and indicator == 'my_number_card_holders'")
    assert mn["as_of"].tolist() == ["2024-12"] and mn["fiscal_year"].tolist() == [2024]
    wifi = of_source("hadano_dx_plan_draft_2025").query("municipality == 'hadano' and indicator == 'public_wifi_facilities' and fiscal_year == 2024")
    assert wifi["as_of"].tolist() == ["2025-01"]  # R7.1月時点 lies in FY2024


def test_every_direct_number_is_readable_in_its_quote():
    direct = ALL[ALL["derivation"].isna() & ALL["value"].notna()]
    unreadable = [(r.source_file, r.source_row, r.value) for r in direct.itertuples()
                  if not any(math.isclose(r.value, n) for n in numbers_in(r.quote))]
    assert unreadable == []
    assert len(direct) > 600


def test_every_row_has_quote_and_location():
    assert ALL["quote"].notna().all() and ALL["location"].notna().all()


def test_derived_rows_say_how():
    derived = ALL[ALL["derivation"].notna()]
    assert len(derived) >= 1
    assert (derived["derivation"].str.len() > 20).all()


def source_texts(sources: pd.DataFrame, seeds_dir) -> tuple[dict[str, str], dict[str, str]]:
    """The squashed text of each source, and for each source whose text is not available, why."""
    texts, missing = {}, {}
    for sid, f in sources["file"].items():
        path = seeds_dir / f if f else None
        if not f:
            missing[sid] = "registered without a `file` (no text copy)"
        elif not path.is_file():
            missing[sid] = f"its text {f} is not in {seeds_dir}"
        else:
            texts[sid] = squash(read_text_file(path))  # encoding decided as for extracts; undecodable names the file
    return texts, missing


@pytest.mark.parametrize("source_id", sorted(load_sources().index))
def test_every_quote_is_verbatim_in_its_source(source_id, seeds_dir):
    texts, missing = source_texts(load_sources(), seeds_dir)
    if source_id in missing:
        pytest.skip(f"quotes of source {source_id} not checked: {missing[source_id]}")
    text = texts[source_id]
    rows = ALL[ALL["source_id"] == source_id]
    assert [(r.source_file, r.source_row, r.quote[:40]) for r in rows.itertuples() if squash(r.quote) not in text] == []
    log = load_telework_log()
    assert [q for q in log.loc[log["source_id"] == source_id, "quote"] if squash(q) not in text] == []
    ms = load_milestones()
    ms = ms[ms["source_id"] == source_id]
    assert [(r.source_row, r.quote[:40]) for r in ms.itertuples() if squash(r.quote) not in text] == []


def test_source_texts_skip_sources_without_a_file(tmp_path):
    """Code test of the skip: an empty `file` or an absent text is named, never an IsADirectoryError."""
    (tmp_path / "a.txt").write_text("R6 761", encoding="utf-8")
    sources = pd.DataFrame({"file": ["a.txt", "", "gone.txt"]}, index=["a", "b", "c"])
    texts, missing = source_texts(sources, tmp_path)
    assert list(texts) == ["a"]
    assert set(missing) == {"b", "c"} and "without a `file`" in missing["b"] and "gone.txt" in missing["c"]


def test_telework_log_and_its_count():
    log = load_telework_log()
    assert len(log) == 34 and log["record_no"].tolist() == list(range(1, 35))
    assert log["start_date"].min() == pd.Timestamp("2024-04-26")
    assert log["end_date"].max() <= pd.Timestamp("2025-03-31")
    assert series("minamiboso", "telework_count", source="minamiboso_dx_status_2025") == {2024: float(len(log))}


# 秦野市 FY2026–FY2030 targets: every series that states numbers has all five years,
# except where the source itself covers fewer (each exception with its reason).
FEWER_YEARS = {
    "omotan_coin_users": "3-7: R10–R12 blank (decided after the R9 evaluation)",
    "omotan_payment_volume": "3-7: R10–R12 blank",
    "omotan_participating_stores": "3-7: R10–R12 blank",
    "omotan_admin_use_cases": "3-7: R10–R12 blank",
    "omotan_monthly_spend_per_user": "3-7: R10–R12 令和9年度の事業評価後に決定",
    "house_ai_reading_processing_rate": "2-6: three cells spanning photo-year ranges under R9–R11",
}


def test_hadano_target_table_is_complete():
    t = of_source("hadano_dx_plan_draft_2025").query("municipality == 'hadano' and kind == 'target'")
    t = t[t["location"].str.startswith("重点事業・個別事業集")]
    years = t.groupby("indicator")["fiscal_year"].apply(lambda s: sorted(s))
    incomplete = {i for i, y in years.items() if y != [2026, 2027, 2028, 2029, 2030]}
    assert incomplete == set(FEWER_YEARS)
    assert len(years) >= 100 and len(t) >= 500


def test_catalogue_covers_every_slug_with_its_unit():
    cat = load_indicators()
    for col in ("name_ja", "name_en", "unit", "definition", "comparability"):
        assert col in cat
    assert set(ALL["indicator"]) <= set(cat.index)
    units = ALL.groupby("indicator")["unit"].unique()
    assert all(len(u) == 1 and u[0] == cat.at[i, "unit"] for i, u in units.items())
    assert cat.loc[["online_application_rate", "rpa_hours_saved", "telework_count"], "unit"].tolist() == ["%", "時間", "件"]
    assert (cat["name_ja"] != "").all() and (cat["name_en"] != "").all()


def test_shared_slugs_have_comparability_notes():
    cat = load_indicators()
    shared = KPIS.groupby("indicator")["municipality"].nunique()
    for slug in shared[shared > 1].index:
        assert len(cat.at[slug, "comparability"]) > 40, slug


def test_municipalities_and_sources():
    m = load_municipalities()
    assert m.loc[["chigasaki", "hadano", "minamiboso"], "lg_code"].tolist() == ["142077", "142115", "122343"]
    assert m.loc[["chigasaki", "hadano", "minamiboso"], "name_ja"].tolist() == ["茅ヶ崎市", "秦野市", "南房総市"]
    s = load_sources()
    assert set(ALL["source_id"]) == set(s.index)
    assert (s["title"] != "").all() and (s["publisher"] != "").all() and (s["date"] != "").all()


def test_reference_figures_are_not_the_cities_own():
    assert set(REFERENCE["municipality"]) <= {"national", "chiba"}
    assert not KPIS["municipality"].isin(["national", "chiba"]).any()


def test_adoption_milestones_by_value():
    ms = load_milestones()
    assert len(ms) >= 150 and set(ms["municipality"]) == {"chigasaki", "hadano", "minamiboso"}
    assert not ms.duplicated(list(MILESTONE_KEY)).any()  # one row per dated statement
    assert ms.duplicated(["municipality", "event_ja", "date"]).sum() >= 2  # an event may be stated twice
    def pick(city, cat):
        rows = ms.query("municipality == @city and category == @cat and status == 'done'")
        return sorted((d, None if pd.isna(y) else int(y)) for d, y in zip(rows["date"], rows["fiscal_year"]))

    assert pick("minamiboso", "rpa") == [("2021-08", 2021)]  # 令和3年8月にRPAツール「WinActor」を導入
    assert pick("hadano", "rpa") == [("", 2021), ("2020", None)]  # 令和3年度から導入 / 年表: 令和2年 運用開始
    assert ("2024-08", 2024) in pick("minamiboso", "generative_ai")  # 令和6年8月よりChatGPT-3.5
    assert ("2015-04", 2015) in pick("chigasaki", "online_application")  # 平成27年4月 新しい電子申請システム
    assert pick("minamiboso", "telework") == [("2024-01", 2023), ("2024-08", 2024)]  # 令和6年1月 / 令和6年8月 在宅勤務


def test_milestone_dates_must_be_written_in_their_quotes(tmp_path, monkeypatch):
    bad = tmp_path / "adoption_milestones.csv"
    lines = config.MILESTONES_CSV.read_text(encoding="utf-8").splitlines()
    header = lines[0]
    bad.write_text("\n".join([header,
                               "minamiboso,rpa,導入,adopted,2021-09,2021,done,minamiboso_dx_status_2025,x,"
                               "令和3年8月にRPAツール「WinActor」を導入,,令和3年8月,stated",
                               "hadano,robots,導入,adopted,,2021,finished,nowhere,x,令和3年度からRPAの導入を開始,,令和3年度,stated",
                               "hadano,rpa,導入,adopted,2020,,done,hadano_dx_plan_draft_2025,x,令和2年 ・RPA運用開始,,令和2年,stated",
                               "hadano,rpa,導入,adopted,2020,,done,hadano_dx_plan_draft_2025,x,令和2年 ・RPA運用開始,,令和2年,stated"]) + "\n",
                   encoding="utf-8")
    monkeypatch.setattr(config, "MILESTONES_CSV", bad)
    with pytest.raises(ValueError) as err:
        load_milestones()
    msg = str(err.value)
    assert "row 2: date 2021-09 is not written in the quote (found ['2021-08'])" in msg
    assert all(f"row 3: unknown {c}" in msg for c in ("category 'robots'", "status 'finished'", "source_id 'nowhere'"))
    assert "row 4" not in msg  # a bare calendar year with no fiscal year is valid
    assert "row 5: repeats an earlier row" in msg
