"""All analysis verbs in one namespace, as notebooks use them (``from dxanalysis import metrics as m``).

The verbs live in ``series``, ``targets``, ``adoption``, ``peers`` and ``releases``; this module only gathers them.
"""

from __future__ import annotations

from .adoption import adoption_years, first_adoptions
from .peers import (
                    MEDIAN_MIN_N,
                    PEER_POPULATION_BAND,
                    PEER_RULES,
                    SCOPES,
                    SUPPLY_FOR_USAGE,
                    comparable_indicators,
                    peer_group,
                    quantile_band,
                    rank_within,
                    scope_summary,
                    standing,
                    supply_usage,
                    supply_usage_summary,
)
from .releases import latest_release, one_release, release_catalogue
from .series import (
                    SERIES_KEYS,
                    YEAR_BASIS_STATED,
                    attainment,
                    cagr,
                    coverage,
                    coverage_summary,
                    index_to_base,
                    latest_actual_year,
                    require_columns,
                    select_series,
                    stated_years,
                    up_to_fiscal_year,
                    yoy_change,
)
from .targets import (
                    TARGET_STATUSES,
                    hours_per_fte,
                    required_growth,
                    target_status,
                    to_fte,
                    trajectory,
)

__all__ = ["MEDIAN_MIN_N", "PEER_POPULATION_BAND", "PEER_RULES", "SCOPES", "SERIES_KEYS", "SUPPLY_FOR_USAGE", "TARGET_STATUSES",
           "YEAR_BASIS_STATED", "adoption_years", "attainment", "cagr", "comparable_indicators", "coverage",
           "coverage_summary", "first_adoptions", "hours_per_fte", "index_to_base", "latest_actual_year",
           "latest_release", "one_release", "release_catalogue",
           "peer_group", "quantile_band", "rank_within", "require_columns", "required_growth", "scope_summary",
           "select_series", "standing", "stated_years", "supply_usage", "supply_usage_summary", "target_status",
           "to_fte", "trajectory", "up_to_fiscal_year", "yoy_change"]
