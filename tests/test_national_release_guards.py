"""One release at a time (issue 23 point 3): ``load_national()`` holds every stored release, and every ranking,
median, share and text on it refuses a table of several releases instead of pooling them silently.

The second release here is SYNTHETIC: the bundled table copied in memory with another release name and values.
"""

from __future__ import annotations

import inspect

import pandas as pd
import pytest

import dxanalysis
from dxanalysis import metrics, summaries
from dxanalysis.analysis import releases
from dxanalysis.present import comparisons, panels

MULTI_RELEASE = {"release_changes", "release_change_table"}
"""The functions that take several releases on purpose (they compare them)."""
HELPERS = {"one_release", "latest_release", "release_catalogue"}


@pytest.fixture(scope="module")
def bundled() -> pd.DataFrame:
    return dxanalysis.load_national()


@pytest.fixture(scope="module")
def two(bundled) -> pd.DataFrame:
    """The bundled release and a SYNTHETIC 20250101 whose values are all 1 point higher."""
    new = bundled.assign(release="20250101", value=bundled["value"] + 1,
                         source_id="digital_agency_dx_dashboard_20250101",
                         reference_period="not established (release 2025-01-01)", period_basis="unknown")
    return pd.concat([bundled, new], ignore_index=True)


def national_functions():
    """Every public function of the analysis and chart namespaces with a ``national`` parameter."""
    seen = {}
    for module in (metrics, summaries, panels, comparisons):
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if not name.startswith("_") and "national" in inspect.signature(fn).parameters:
                seen[name] = fn
    return sorted(seen.items())


def test_the_guarded_functions_are_found():
    names = {n for n, _ in national_functions()}
    assert {"standing", "rank_within", "scope_summary", "supply_usage", "yardstick_table", "adoption_texts",
            "distribution_grid", "plot_national_distribution", "city_vs_survey"} <= names


@pytest.mark.parametrize("name,fn", [(n, f) for n, f in national_functions() if n not in MULTI_RELEASE | HELPERS])
def test_every_ranking_median_share_and_text_refuses_several_releases(name, fn, two):
    params = inspect.signature(fn).parameters
    kwargs = {p: None for p, spec in params.items() if spec.default is inspect.Parameter.empty}
    kwargs["national"] = two
    with pytest.raises(ValueError, match=rf"^{name}: the national table holds 2 releases \(20240712, 20250101\)"):
        fn(**kwargs)


def test_the_default_load_is_the_bundled_release_alone_while_it_is_the_only_one(bundled):
    assert set(bundled["release"]) == {"20240712"}
    assert dxanalysis.load_national(release="latest").equals(bundled)
    assert dxanalysis.load_national(release="20240712").equals(bundled)
    assert metrics.latest_release(bundled) is bundled  # one release: the table itself


def test_latest_release_picks_the_newest_and_standing_ranks_within_it(two, bundled):
    municipalities = dxanalysis.load_all_municipalities()
    with pytest.raises(ValueError, match="latest_release"):
        metrics.standing(two, municipalities, lg_codes=["142077"], rule="similar_group")
    latest = dxanalysis.latest_release(two)
    assert set(latest["release"]) == {"20250101"} and len(latest) == len(bundled)
    got = metrics.standing(latest, municipalities, lg_codes=["142077"], rule="similar_group")
    want = metrics.standing(two[two["release"] == "20250101"].reset_index(drop=True), municipalities,
                            lg_codes=["142077"], rule="similar_group")
    pd.testing.assert_frame_equal(got, want)
    card = got.query("indicator == 'my_number_card_holding_rate' and scope == 'national'").iloc[0]
    assert card["value"] == 77.0  # 76 % + 1 point: the SYNTHETIC release's value, not the bundled one's


def test_the_catalogue_as_a_release_reads_it(two, bundled):
    catalogue = dxanalysis.load_national_indicators()
    same = metrics.release_catalogue(bundled, catalogue)
    pd.testing.assert_frame_equal(same, catalogue)  # the bundled release: the catalogue unchanged (figures identical)
    new = metrics.release_catalogue(dxanalysis.latest_release(two), catalogue)
    assert set(new["reference_period"]) == {"not established (release 2025-01-01)"}
    assert set(new["source_id"]) == {"digital_agency_dx_dashboard_20250101"}
    assert (new["name_ja"] == catalogue["name_ja"]).all()
    with pytest.raises(ValueError, match="release_catalogue"):
        metrics.release_catalogue(two, catalogue)


def test_one_release_accepts_tables_without_a_release_column():
    releases.one_release(pd.DataFrame({"value": [1.0]}), "x")  # synthetic tables of the analysis tests
    releases.one_release(pd.DataFrame({"release": ["20240712"] * 2}), "x")
