"""National-context verbs and charts (issue 13), on SYNTHETIC frames of the NATIONAL_API schema.

Every value below is made up for the tests (fixed numbers, or a fixed seed), so the expected
results can be worked out by hand; nothing here depends on the real national files. The three
cities appear under their real codes (so they get their colours and names) with synthetic values.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from dxanalysis import config
from dxanalysis import metrics as m
from dxanalysis import plot as p

CHIGASAKI, HADANO, MINAMIBOSO = "142077", "142115", "122343"
CITIES = [CHIGASAKI, HADANO, MINAMIBOSO]

# SYNTHETIC municipality list: codes 90000x and names 合成… are invented.
MUNICIPALITIES = pd.DataFrame({
    "lg_code": [CHIGASAKI, HADANO, MINAMIBOSO, "900001", "900002", "900003", "900004", "900005", "900006"],
    "name_ja": ["茅ヶ崎市", "秦野市", "南房総市", "合成市A", "合成町B", "合成市C", "合成村D", "合成市E", "合成町F"],
    "prefecture": ["神奈川県", "神奈川県", "千葉県", "神奈川県", "神奈川県", "千葉県", "千葉県", "石川県", "石川県"],
    "municipality_type": ["市", "市", "市", "市", "町", "市", "村", "市", "町"],
    "population": [240000.0, 160000.0, 38000.0, 400000.0, 20000.0, 60000.0, 3000.0, 100000.0, 15000.0],
}).astype({"lg_code": "str", "name_ja": "str", "prefecture": "str", "municipality_type": "str"})

# SYNTHETIC catalogue (a few rows of the national catalogue's shape).
CATALOGUE = pd.DataFrame({
    "indicator": ["cio_appointed", "ai_adopted", "my_number_card_holding_rate", "online_supply_26_rate",
                  "online_supply_32_rate", "online_usage_32_01", "online_usage_26_01", "online_usage_26_02"],
    "name_ja": ["CIOの任命", "AIの導入状況", "マイナンバーカードの保有状況", "子育て・介護26手続のオンライン化状況",
                "よく使う32手続のオンライン化状況", "転出届", "妊娠の届出", "児童手当等の現況届"],
    "name_en": ["CIO appointed", "AI adopted", "My Number card holding rate", "26 procedures online (supply)",
                "32 procedures online (supply)", "Moving-out notification", "Pregnancy notification",
                "Child allowance status report"],
    "unit": ["flag", "flag", "%", "%", "%", "%", "%", "%"],
    "measure": ["adoption", "adoption", "holding", "supply", "supply", "usage", "usage", "usage"],
    "group": ["governance", "operations", "services", "services", "services", "usage_32", "usage_26", "usage_26"],
})

NAN = float("nan")
# SYNTHETIC values, one list per indicator in MUNICIPALITIES order; (value, missing_reason)
VALUES = {
    "cio_appointed": [1, 1, 1, 1, 0, 0, 0, (NAN, "not_surveyed"), (NAN, "not_surveyed")],
    "ai_adopted": [1, 1, 0, 1, 0, 1, 0, 1, 0],
    "my_number_card_holding_rate": [76, 73, 76, 70, 80, 65, 90, 60, 72],
    "online_supply_26_rate": [100, 23, 100, 50, 0, 100, 0, 81, 100],
    "online_supply_32_rate": [43, 61, 30, 50, 20, (NAN, "no_procedures"), 10, 40, 25],
    "online_usage_32_01": [4.2, 6.0, (NAN, "no_value"), 5.0, 0, 3.0, (NAN, "no_value"), 2.0, 1.0],
    "online_usage_26_01": [0.5, 1.5, 2.0, 1.0, 0.0, (NAN, "no_value"), 0.0, 3.0, 0.2],
    "online_usage_26_02": [0.1, (NAN, "no_value"), 0.0, 0.3, 0.0, 0.0, 0.0, 0.4, 0.0],
}


def synthetic_national() -> pd.DataFrame:
    """A SYNTHETIC national table in the NATIONAL_API ``load_national`` shape."""
    cat = CATALOGUE.set_index("indicator")
    rows = []
    for col, (ind, cells) in enumerate(VALUES.items(), start=3):
        for i, cell in enumerate(cells):
            value, reason = (cell if isinstance(cell, tuple) else (float(cell), None))
            mun = MUNICIPALITIES.iloc[i]
            rows.append({"lg_code": mun["lg_code"], "municipality_ja": mun["name_ja"], "prefecture": mun["prefecture"],
                         "indicator": ind, "value": value, "unit": cat.at[ind, "unit"], "measure": cat.at[ind, "measure"],
                         "missing_reason": reason, "source_id": "synthetic", "raw": "synthetic",
                         "row": col, "column": i + 3})
    return pd.DataFrame(rows).astype({"lg_code": "str", "indicator": "str", "unit": "str"})


NATIONAL = synthetic_national()


def synthetic_cards(seed: int = 13) -> pd.DataFrame:
    """SYNTHETIC card-issuance snapshots (fixed seed): issued_rate rising over four dates."""
    rng = np.random.default_rng(seed)
    dates = ["2020-04-01", "2021-04-01", "2022-04-01", "2022-12-31"]
    rows = []
    for k, date in enumerate(dates):
        for code, pop in zip(MUNICIPALITIES["lg_code"], MUNICIPALITIES["population"]):
            rate = round(float(15 + 15 * k + rng.uniform(-5, 5)), 1)
            rows.append({"lg_code": code, "date": date, "population": pop, "cards_issued": round(pop * rate / 100),
                         "issued_rate": rate, "source_id": "synthetic"})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- peers

def test_population_peers_are_half_to_twice_the_citys_population_ends_included():
    # 茅ヶ崎市 240,000 → 120,000 … 480,000: itself, 秦野市 160,000, 合成市A 400,000
    assert m.peer_group(MUNICIPALITIES, lg_code=CHIGASAKI)["lg_code"].tolist() == [CHIGASAKI, HADANO, "900001"]
    # 合成市E 100,000 → 50,000 … 200,000: 秦野市, 合成市C 60,000, itself; band ends are included
    edge = MUNICIPALITIES.assign(population=MUNICIPALITIES["population"].replace({60000.0: 50000.0}))
    assert "900003" in set(m.peer_group(edge, lg_code="900005")["lg_code"])
    narrow = m.peer_group(MUNICIPALITIES, lg_code=CHIGASAKI, band=(0.9, 1.1))
    assert narrow["lg_code"].tolist() == [CHIGASAKI]


def test_type_peers_share_the_municipality_type():
    peers = m.peer_group(MUNICIPALITIES, lg_code=MINAMIBOSO, rule="municipality_type")
    assert peers["lg_code"].tolist() == [CHIGASAKI, HADANO, MINAMIBOSO, "900001", "900003", "900005"]


@pytest.mark.parametrize("kwargs, error", [
    ({"lg_code": CHIGASAKI, "rule": "area"}, ValueError),
    ({"lg_code": "999999"}, LookupError),
    ({"lg_code": CHIGASAKI, "band": (2.0, 0.5)}, ValueError),
])
def test_peer_group_refuses_bad_arguments(kwargs, error):
    with pytest.raises(error):
        m.peer_group(MUNICIPALITIES, **kwargs)


def test_a_city_without_population_has_no_population_peers():
    no_pop = MUNICIPALITIES.assign(population=MUNICIPALITIES["population"].where(MUNICIPALITIES["lg_code"] != HADANO))
    with pytest.raises(ValueError, match="no population"):
        m.peer_group(no_pop, lg_code=HADANO)
    assert HADANO not in set(m.peer_group(no_pop, lg_code=CHIGASAKI)["lg_code"])  # and is nobody's peer


# ---------------------------------------------------------------- rank, percentile, medians, shares

def _standing(**kw):
    return m.standing(NATIONAL, MUNICIPALITIES, lg_codes=CITIES, **kw).set_index(["lg_code", "indicator", "scope"])


def test_rank_and_percentile_among_all_prefecture_and_peers():
    s = _standing()
    # holding rates, all 9: 60 65 70 72 73 76 76 80 90 → median 73; 茅ヶ崎市 76: 2 higher → rank 3, 7 of 9 at or below
    row = s.loc[(CHIGASAKI, "my_number_card_holding_rate", "national")]
    assert (row["value"], row["rank"], row["n"], round(row["percentile"], 2), row["median"]) == (76.0, 3, 9, 77.78, 73.0)
    assert row["ties"] == 1  # 南房総市 has 76 too: rank 3, tied with 1
    # 神奈川県: 76 73 70 80 → 茅ヶ崎市 rank 2 of 4; 4 values are fewer than MEDIAN_MIN_N: no median
    row = s.loc[(CHIGASAKI, "my_number_card_holding_rate", "prefecture")]
    assert (row["rank"], row["ties"], row["n"], row["percentile"], row["scope_name"]) == (2, 0, 4, 75.0, "神奈川県")
    assert m.MEDIAN_MIN_N == 5 and pd.isna(row["median"]) and pd.isna(row["q1"])
    # peers (茅ヶ崎市, 秦野市, 合成市A): 76 73 70 → rank 1 of 3, no median of 3 values
    row = s.loc[(CHIGASAKI, "my_number_card_holding_rate", "peers")]
    assert (row["rank"], row["n"], row["percentile"], row["members"]) == (1, 3, 100.0, 3) and pd.isna(row["median"])
    # 南房総市's peers (38,000 → 19,000 … 76,000): itself 76, 合成町B 80, 合成市C 65 → rank 2
    row = s.loc[(MINAMIBOSO, "my_number_card_holding_rate", "peers")]
    assert (row["rank"], row["n"]) == (2, 3) and pd.isna(row["median"])


def test_yes_no_measures_get_shares_never_ranks_or_medians():
    s = _standing()
    rows = s.xs("cio_appointed", level="indicator")
    assert rows["rank"].isna().all() and rows["ties"].isna().all() and rows["percentile"].isna().all()
    assert rows["median"].isna().all() and rows["share"].notna().any()


def test_peer_rule_is_a_parameter():
    s = _standing(rule="municipality_type")
    row = s.loc[(MINAMIBOSO, "my_number_card_holding_rate", "peers")]
    # 市: 76 73 76 70 65 60 → median 71.5; 南房総市 76 ties first
    assert (row["members"], row["median"], row["rank"], row["scope_name"]) == (6, 71.5, 1, "市")


def test_adoption_share_leaves_not_surveyed_out_of_the_denominator():
    summary = m.scope_summary(NATIONAL).set_index("indicator")
    cio = summary.loc["cio_appointed"]
    # 4 実施 of 7 surveyed (2 調査無し left out): 57.1 %, not 4 of 9 = 44.4 %
    assert (cio["n"], cio["missing"], cio["not_surveyed"], cio["adopted"]) == (7, 2, 2, 4)
    assert round(cio["share"], 1) == 57.1
    assert summary.loc["ai_adopted", "share"] == pytest.approx(5 / 9 * 100)
    assert pd.isna(summary.loc["my_number_card_holding_rate", "share"])  # shares only for 実施/未実施 flags


def test_missing_values_are_not_zeros_in_medians_and_counts():
    summary = m.scope_summary(NATIONAL).set_index("indicator")
    # 転出届 usage: 4.2 6 5 0 3 2 1 (two empty cells) → median 3.0 of 7
    usage = summary.loc["online_usage_32_01"]
    assert (usage["n"], usage["no_value"], usage["median"]) == (7, 2, 3.0)
    assert summary.loc["online_supply_32_rate", "no_procedures"] == 1
    assert m.standing(NATIONAL, MUNICIPALITIES, lg_codes=[MINAMIBOSO]).set_index(["indicator", "scope"]).loc[
        ("online_usage_32_01", "national"), ["rank", "percentile"]].isna().all()


def test_prefecture_summary_by_group():
    by_pref = m.scope_summary(NATIONAL, by=["prefecture", "indicator"]).set_index(["prefecture", "indicator"])
    assert by_pref.loc[("石川県", "cio_appointed"), "n"] == 0  # nothing surveyed: no share
    assert pd.isna(by_pref.loc[("石川県", "cio_appointed"), "share"])
    assert by_pref.loc[("千葉県", "my_number_card_holding_rate"), "n"] == 3  # 76 65 90
    assert pd.isna(by_pref.loc[("千葉県", "my_number_card_holding_rate"), "median"])  # 3 < MEDIAN_MIN_N


def test_standing_of_one_city_equals_its_rows_among_several():
    one = m.standing(NATIONAL, MUNICIPALITIES, lg_codes=HADANO)
    several = m.standing(NATIONAL, MUNICIPALITIES, lg_codes=CITIES)
    pd.testing.assert_frame_equal(one, several[several["lg_code"] == HADANO].reset_index(drop=True))
    assert set(one["scope"]) == set(m.SCOPES) and len(one) == len(VALUES) * len(m.SCOPES)


def test_standing_refuses_duplicate_keys_and_unknown_codes():
    with pytest.raises(ValueError, match="duplicate"):
        m.standing(pd.concat([NATIONAL, NATIONAL.head(1)]), MUNICIPALITIES, lg_codes=CITIES)
    with pytest.raises(LookupError, match="not in the municipality list"):
        m.standing(NATIONAL, MUNICIPALITIES[MUNICIPALITIES["lg_code"] != "900006"], lg_codes=CITIES)


def test_comparable_indicators_by_measure_and_group():
    assert m.comparable_indicators(CATALOGUE, measure="adoption")["indicator"].tolist() == ["cio_appointed", "ai_adopted"]
    assert len(m.comparable_indicators(CATALOGUE, measure="usage", group="usage_26")) == 2
    with pytest.raises(ValueError, match="unknown measure"):
        m.comparable_indicators(CATALOGUE, measure="adoptoin")


def test_supply_usage_pairs_each_group_with_its_supply_rate():
    detail = m.supply_usage(NATIONAL, lg_codes=[CHIGASAKI, MINAMIBOSO], catalogue=CATALOGUE)
    summary = m.supply_usage_summary(detail).set_index(["lg_code", "group"])
    # 茅ヶ崎市: 26手続 100 % available; usage 0.5 and 0.1 → median 0.3
    assert summary.loc[(CHIGASAKI, "usage_26")].tolist() == [100.0, 0.3, 0.5, 2, 2]
    assert summary.loc[(CHIGASAKI, "usage_32")].tolist() == [43.0, 4.2, 4.2, 1, 1]
    assert summary.loc[(MINAMIBOSO, "usage_32"), "with_value"] == 0  # empty cell, not a zero
    assert detail["lg_code"].iloc[0] == CHIGASAKI


def test_quantile_band_per_snapshot():
    cards = synthetic_cards()
    band = m.quantile_band(cards, value="issued_rate")
    assert band["date"].tolist() == sorted(set(cards["date"]))
    first = cards[cards["date"] == "2020-04-01"]["issued_rate"]
    assert band.iloc[0][["n", "q1", "median", "q3"]].tolist() == [9, first.quantile(0.25), first.median(),
                                                                   first.quantile(0.75)]


def test_verbs_do_not_mutate_their_inputs():
    before, mun_before = NATIONAL.copy(), MUNICIPALITIES.copy()
    m.standing(NATIONAL, MUNICIPALITIES, lg_codes=CITIES)
    m.scope_summary(NATIONAL)
    m.rank_within(NATIONAL)
    m.supply_usage(NATIONAL, lg_codes=CITIES, catalogue=CATALOGUE)
    pd.testing.assert_frame_equal(before, NATIONAL)
    pd.testing.assert_frame_equal(mun_before, MUNICIPALITIES)


# ---------------------------------------------------------------- charts (what was drawn)

STANDING = m.standing(NATIONAL, MUNICIPALITIES, lg_codes=CITIES)


def _gid(ax):
    return {line.get_gid(): line for line in ax.lines}


def test_distribution_marks_each_city_its_prefecture_and_peers():
    ax = p.plot_national_distribution(NATIONAL, indicator="my_number_card_holding_rate", standing=STANDING,
                                      catalogue=CATALOGUE)
    lines = _gid(ax)
    x = lambda gid: lines[gid].get_xdata()[0]  # noqa: E731
    assert (x("chigasaki:value"), x("hadano:value"), x("minamiboso:value")) == (76.0, 73.0, 76.0)
    assert x("national:median") == 73.0  # 9 values
    assert not any(gid.endswith(("prefecture_median", "peers_median")) for gid in lines)  # 4 or 3 values: not drawn
    assert lines["chigasaki:value"].get_color() == p.CITY_COLORS["chigasaki"]
    assert sum(patch.get_height() for patch in ax.patches) == 9  # every municipality with a value, once
    assert ax.get_xlabel() == "マイナンバーカードの保有状況（%）"
    assert ax.get_title() == "マイナンバーカードの保有状況（9団体）"


def test_distribution_leaves_missing_values_out():
    ax = p.plot_national_distribution(NATIONAL, indicator="online_usage_32_01", standing=STANDING, catalogue=CATALOGUE,
                                      lang="en")
    assert sum(patch.get_height() for patch in ax.patches) == 7
    assert "minamiboso:value" not in _gid(ax)  # 南房総市 has no value: no line
    assert ax.get_title() == "Moving-out notification (n = 7)"


def test_adoption_shares_draw_national_bars_and_city_markers():
    ax = p.plot_adoption_shares(STANDING, catalogue=CATALOGUE)
    widths = [round(patch.get_width(), 2) for patch in ax.patches]
    assert widths == [round(4 / 7 * 100, 2), round(5 / 9 * 100, 2)]  # cio (調査無し out), ai
    lines = _gid(ax)
    # 南房総市 has not adopted AI: hollow markers at its prefecture's share (千葉県: 0 1 0 → 33.3 %)
    pref = lines["minamiboso:prefecture:not_adopted"]
    np.testing.assert_allclose(pref.get_xydata(), [[100 / 3, 1 + 0.22]])
    assert pref.get_markerfacecolor() == "white"
    np.testing.assert_allclose(lines["chigasaki:peers:adopted"].get_xdata(), [100.0, 100.0])  # cio, ai among peers


def test_usage_heatmap_shows_cities_peer_and_national_medians():
    ax = p.plot_usage_heatmap(STANDING, catalogue=CATALOGUE, lang="en")
    matrix = p.usage_matrix(STANDING, catalogue=CATALOGUE)
    assert list(matrix.index) == ["online_usage_32_01", "online_usage_26_01", "online_usage_26_02"]
    assert list(matrix.columns) == [CHIGASAKI, f"{CHIGASAKI}:peers", HADANO, f"{HADANO}:peers", MINAMIBOSO,
                                    f"{MINAMIBOSO}:peers", "national"]
    drawn = ax.collections[0].get_array()
    np.testing.assert_allclose(np.ma.filled(drawn, np.nan).reshape(matrix.shape), matrix.to_numpy(float))
    assert matrix.at["online_usage_32_01", CHIGASAKI] == 4.2
    assert pd.isna(matrix.at["online_usage_32_01", f"{CHIGASAKI}:peers"])  # 4.2 6 5: 3 values, no median
    assert pd.isna(matrix.at["online_usage_32_01", MINAMIBOSO])  # empty cell: no value, drawn blank
    assert [t.get_text() for t in ax.get_yticklabels()][0] == "Moving-out notification"
    assert [t.get_text() for t in ax.get_xticklabels()][-1] == "national\nmedian"


def test_supply_bars_beside_usage_dots():
    detail = m.supply_usage(NATIONAL, lg_codes=[CHIGASAKI, HADANO], catalogue=CATALOGUE)
    ax = p.plot_supply_usage(detail)
    assert [patch.get_height() for patch in ax.patches] == [100.0, 43.0, 23.0, 61.0]  # 26 then 32, per city
    lines = _gid(ax)
    np.testing.assert_allclose(lines["chigasaki:usage_26:usage"].get_ydata(), [0.5, 0.1])
    np.testing.assert_allclose(lines["chigasaki:usage_26:usage_median"].get_ydata(), [0.3])
    np.testing.assert_allclose(lines["hadano:usage_26:usage"].get_ydata(), [1.5])  # the empty cell is not drawn


def test_issuance_trend_draws_cities_median_and_band():
    import matplotlib.dates as mdates

    cards = synthetic_cards()
    ax = p.plot_issuance_trend(cards, lg_codes=CITIES, lang="en")
    lines = _gid(ax)
    band = m.quantile_band(cards, value="issued_rate")
    np.testing.assert_allclose(lines["national:median"].get_ydata(), band["median"])
    ours = cards[cards["lg_code"] == HADANO].sort_values("date")
    np.testing.assert_allclose(lines["hadano:issued"].get_ydata(), ours["issued_rate"])
    np.testing.assert_allclose(mdates.date2num(lines["hadano:issued"].get_xdata()),
                               mdates.date2num(pd.to_datetime(ours["date"])))
    fill = next(c for c in ax.collections if c.get_gid() == "national:iqr")
    ys = fill.get_paths()[0].vertices[:, 1]
    assert ys.min() == pytest.approx(band["q1"].min()) and ys.max() == pytest.approx(band["q3"].max())


def test_issuance_trend_refuses_holding_rates():
    mixed = synthetic_cards().assign(measure="issued")
    mixed.loc[0, "measure"] = "holding"
    with pytest.raises(ValueError, match="issued"):
        p.plot_issuance_trend(mixed, lg_codes=CITIES)
    with pytest.raises(ValueError):
        p.plot_issuance_trend(NATIONAL.assign(date="2024", issued_rate=NATIONAL["value"]), lg_codes=CITIES)


def test_national_charts_render_without_missing_glyphs(tmp_path):
    import warnings

    ax = p.plot_usage_heatmap(STANDING, catalogue=CATALOGUE)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax.figure.savefig(tmp_path / "heatmap.png")


# ---------------------------------------------------------------- notebook 06 and its figures

NOTEBOOK_06 = config.NOTEBOOKS_DIR / "06_national_context.ipynb"
NATIONAL_FIGURES = {
    "national_distribution_by_measure", "national_adoption_shares", "national_usage_heatmap",
    "national_supply_vs_usage", "national_card_issuance_trend",
}
"""Figures notebook 06 saves (the report indexes them with the others)."""
NATIONAL_SOURCE_IDS = {"digital_agency_dx_dashboard_20240712", "ssdse_a_2025", "mynumber_card_issuance", "localgovjp"}


def _notebook_code():
    nb = json.loads(NOTEBOOK_06.read_text(encoding="utf-8"))
    return nb, "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")


@pytest.mark.skipif(not NOTEBOOK_06.exists(), reason="notebook 06 not written yet")
def test_notebook_06_saves_the_expected_figures_and_is_stored_without_outputs():
    nb, code = _notebook_code()
    import re

    saved = set(re.findall(r'save_figure\(\s*[\w.]+,\s*"(\w+)"', code))
    assert saved == NATIONAL_FIGURES
    assert any("parameters" in c.get("metadata", {}).get("tags", []) for c in nb["cells"])
    assert all(not c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code")


@pytest.mark.skipif(not NOTEBOOK_06.exists(), reason="notebook 06 not written yet")
def test_notebook_06_markdown_holds_no_numbers():
    """Narration with numbers is computed from the data; markdown cells hold only timeless text."""
    import re

    nb, _ = _notebook_code()
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            text = re.sub(r"^# 06 |26手続|32手続|\b(?:26|32) (?:frequent |child-care )?procedures|\b(?:26|32)\b(?= )", "",
                          "".join(cell["source"]))  # the notebook's number and the names of the procedure sets
            assert not re.search(r"\d", text), text


def test_report_expects_the_national_figures():
    """tests/test_report.py lists every figure the report indexes; notebook 06's are among them."""
    from test_report import EXPECTED_FIGURES  # tests/ is on sys.path under pytest's default import mode

    assert NATIONAL_FIGURES <= set(EXPECTED_FIGURES)


def test_equal_values_stay_visible_and_the_legend_names_both_cities():
    ax = p.plot_national_distribution(NATIONAL, indicator="my_number_card_holding_rate", standing=STANDING,
                                      catalogue=CATALOGUE)
    lines = _gid(ax)
    chigasaki, minamiboso = lines["chigasaki:value"], lines["minamiboso:value"]
    assert chigasaki.get_xdata()[0] == minamiboso.get_xdata()[0] == 76.0
    # alternating dashes: each shows its colour where the other leaves a gap
    assert chigasaki.get_linestyle() == minamiboso.get_linestyle() == "--"
    assert chigasaki._unscaled_dash_pattern[0] != minamiboso._unscaled_dash_pattern[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "茅ヶ崎市・南房総市とも 76%" in labels and "秦野市 73%" in labels


def test_a_low_percent_measure_gets_an_axis_that_fits_it():
    ax = p.plot_national_distribution(NATIONAL, indicator="online_usage_32_01", standing=STANDING, catalogue=CATALOGUE)
    assert ax.get_xlim()[1] < 15  # usage rates of a few percent, not squeezed into 0–100
    assert p.percent_axis_top(pd.Series([0.5, 7.9])) == 10.0


def test_adoption_legend_keeps_the_fill_key_apart_from_the_scope_markers():
    ax = p.plot_adoption_shares(STANDING, catalogue=CATALOGUE)
    handles = {h.get_label(): h for h in ax.get_legend().legend_handles}
    words = p.NATIONAL_WORDS["ja"]
    scope_markers = {handles[words["prefecture_share"]].get_marker(), handles[words["peers_share"]].get_marker()}
    assert scope_markers == {"^", "o"}
    assert {handles[words["adopted"]].get_marker(), handles[words["not_adopted"]].get_marker()} == {"s"}
    assert handles[words["not_adopted"]].get_markerfacecolor() == "white"


def test_adoption_markers_at_100_percent_stay_whole_inside_the_frame():
    import matplotlib.pyplot as plt

    ax = p.plot_adoption_shares(STANDING, catalogue=CATALOGUE)
    ax.figure.canvas.draw()
    frame = ax.get_window_extent()
    for line in ax.lines:
        r = line.get_markersize() * ax.figure.dpi / 72 / 2
        for x, _ in line.get_transform().transform(line.get_xydata()):
            assert x + r <= frame.x1 + 0.5, line.get_gid()
    assert [t for t in ax.get_xticks() if t > 100] == []  # the axis still reads 0–100 %
    plt.close(ax.figure)
