"""The explorer: the pure callback draws what the controls select; the widgets drive it headless."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import load_fixture_documents_kpis

from dxanalysis import load_kpis
from dxanalysis.present.explore import ALL, Explorer, Selection, explore, indicator_options
from dxanalysis.analysis.series import select_series

KPIS = load_fixture_documents_kpis()
"""KPI figures from the frozen fixture dataset (its rows from real documents): a new year in data/ cannot change them."""


def _lines(ax):
    return {line.get_gid(): line.get_xydata().tolist() for line in ax.lines}


def test_all_cities_actuals_and_targets():
    ax, table = explore(KPIS, Selection("rpa_hours_saved"))
    lines = _lines(ax)
    assert lines["chigasaki:actual"] == [[2024, 14000]] and lines["hadano:actual"] == [[2024, 3108]]
    assert [y for _, y in lines["hadano:target"]] == [3700, 4800, 5800, 7800, 8800]
    assert set(table["municipality"]) == {"chigasaki", "hadano"}
    assert table["quote"].str.len().min() > 0 and table["source"].str.contains("「").all()
    assert table["where_found"].str.contains("URL").all()
    assert table.loc[table["municipality"] == "chigasaki", "value_with_unit"].tolist() == ["約14,000 時間"]


def test_one_city_targets_only_in_english():
    ax, table = explore(KPIS, Selection("rpa_hours_saved", "hadano", ("target",), "en"))
    assert set(_lines(ax)) == {"hadano:target", "hadano:target:year_inferred"}  # R8–R12 years from the table layout
    assert ax.get_ylabel() == "Work hours saved by RPA per year (hours)"
    assert set(table["kind"]) == {"target"} and len(table) == 5


def test_actuals_only_for_a_city_without_actuals_is_refused():
    with pytest.raises(LookupError):
        explore(KPIS, Selection("genai_hours_saved", "hadano", ("actual",)))


def test_search_finds_indicators_by_japanese_or_english_name():
    assert ("テレワーク件数 [telework_count]", "telework_count") in indicator_options(KPIS, "テレワーク")
    assert [s for _, s in indicator_options(KPIS, "TELEWORK CASES", lang="en")] == ["telework_count"]
    assert indicator_options(KPIS, "no such indicator") == []
    only_minamiboso = {s for _, s in indicator_options(KPIS, municipality="minamiboso")}
    assert "telework_count" in only_minamiboso and "online_application_rate" not in only_minamiboso


def test_widgets_drive_the_callback():
    e = Explorer(KPIS)
    assert isinstance(e.last, tuple) and e.indicator.value == "online_application_rate"
    e.municipality.value = "chigasaki"
    np.testing.assert_array_equal(e.last[0].get_lines()[0].get_xydata(), [[2023, 13], [2024, 15]])
    e.search.value = "telework cases"
    assert e.indicator.value == "telework_count"
    tw = select_series(KPIS, municipality="chigasaki", indicator="telework_count", kind="actual")
    assert _lines(e.last[0])["chigasaki:actual"] == tw[["fiscal_year", "value"]].to_numpy(float).tolist()
    e.lang.value = "en"
    assert e.last[0].get_xlabel() == "Fiscal year"
    e.kinds.value = ("target",)
    assert isinstance(e.last, str)  # no targets: a message, not a chart
    e.municipality.value = ALL
    e.kinds.value = ()
    assert e.last == "nothing selected"
