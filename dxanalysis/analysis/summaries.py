"""What the analysis notebooks show, as functions: one namespace (``from dxanalysis import summaries``).

The functions live in ``kpi_summaries`` (notebooks 02, 04, 05: the KPI table), ``national_summaries``
(notebook 06: peers, ranks, usage, supply, card issuance), ``class_summaries`` (notebook 06: 類似団体 peers,
class changes, fiscal context, figure titles), ``opendata_summaries`` (notebook 06: open data at the FY2020 and
FY2024 surveys), ``release_summaries`` (notebook 06: changes between dashboard releases) and ``survey_summaries`` (notebook 06: the city
documents beside the national survey, the shares 南房総市 cites); this module only gathers them.
"""

from __future__ import annotations

from .class_summaries import (  # noqa: F401
    CLASS_WORDS_EN,
    FISCAL_CONTEXT_RATIOS,
    NATIONAL_FIGURE_TITLES,
    class_change_text,
    class_peer_table,
    class_peer_texts,
    figure_title,
    fiscal_context_table,
    fiscal_context_texts,
    peer_robustness_table,
    similar_group_label,
)
from .kpi_summaries import (  # noqa: F401
    LAST_TARGET_COLUMNS,
    ONLINE_SUPPLY,
    YARDSTICK_WORDS,
    attainment_text,
    city_names,
    city_rows,
    conversion_texts,
    dated_by_several,
    growth_indices,
    last_targets,
    latest_texts,
    online_rate_texts,
    per_task_texts,
    population_text,
    rpa_undated_texts,
    shared_indicators,
    stated_conversion,
    target_overview_text,
    targets_with_latest_actual,
    yardstick_table,
)
from .national_summaries import (  # noqa: F401
    ADOPTED_WORDS,
    CARD_COLUMNS,
    MISSING_REASONS_JA,
    MOVING_OUT,
    NATIONAL_CELL_COLUMNS,
    PEER_RULE_COLUMNS,
    PEER_RULE_WORDS,
    adoption_texts,
    dashboard_load_text,
    flag_table,
    indicator_labelled,
    issuance_band,
    issuance_data,
    issuance_text,
    moving_out_text,
    percent_text,
    national_cells,
    national_source_ids,
    peer_rule_table,
    peer_table,
    peer_texts,
    rank_table,
    rank_texts,
    supply_usage_table,
    supply_usage_texts,
    usage_coverage_text,
    usage_data,
    usage_years,
)
from .opendata_summaries import (  # noqa: F401
    ANSWERS_EN,
    OPENDATA_SOURCE_IDS,
    OPENDATA_STATUS,
    OPENDATA_STATUS_COLUMNS,
    SURVEY_WORDS,
    opendata_status_table,
    opendata_texts,
)
from .release_summaries import (  # noqa: F401
    RELEASE_CHANGE_COLUMNS,
    release_change_table,
    release_change_text,
    release_changes,
)
from .survey_summaries import (  # noqa: F401
    CARD_HOLDING,
    DESIGNATED_CITY,
    DOCUMENT_KINDS,
    NATIONAL_SOURCE_COLUMNS,
    PERIOD_BASIS_JA,
    SURVEY_TOPICS,
    card_holding_texts,
    cited_share_table,
    cited_share_texts,
    cited_shares,
    city_vs_survey,
    national_source_table,
    period_basis_word,
    survey_timing_texts,
)

__all__ = [
    "ADOPTED_WORDS", "CARD_COLUMNS", "CARD_HOLDING", "DESIGNATED_CITY", "DOCUMENT_KINDS",
    "LAST_TARGET_COLUMNS", "MISSING_REASONS_JA", "MOVING_OUT", "NATIONAL_CELL_COLUMNS",
    "NATIONAL_SOURCE_COLUMNS", "ONLINE_SUPPLY", "PEER_RULE_COLUMNS", "PERIOD_BASIS_JA", "SURVEY_TOPICS",
    "YARDSTICK_WORDS", "adoption_texts", "attainment_text", "card_holding_texts", "cited_share_table",
    "cited_share_texts", "cited_shares", "city_names", "city_rows", "city_vs_survey", "conversion_texts",
    "dashboard_load_text", "dated_by_several", "flag_table", "growth_indices", "indicator_labelled",
    "issuance_band", "issuance_data", "issuance_text", "last_targets", "latest_texts", "moving_out_text", "percent_text",
    "national_cells", "national_source_ids", "national_source_table", "online_rate_texts", "peer_rule_table",
    "peer_table", "peer_texts", "per_task_texts", "period_basis_word", "population_text", "rank_table",
    "rank_texts", "rpa_undated_texts", "shared_indicators", "stated_conversion", "supply_usage_table",
    "supply_usage_texts", "survey_timing_texts", "target_overview_text", "targets_with_latest_actual",
    "usage_coverage_text", "usage_data", "usage_years", "yardstick_table",
    # issue 23: 類似団体 peers, class changes, fiscal context (class_summaries)
    "CLASS_WORDS_EN", "FISCAL_CONTEXT_RATIOS", "NATIONAL_FIGURE_TITLES", "PEER_RULE_WORDS", "class_change_text",
    "class_peer_table", "class_peer_texts", "figure_title", "fiscal_context_table", "fiscal_context_texts",
    "peer_robustness_table", "similar_group_label",
    # issue 23: open data at two surveys (opendata_summaries)
    "ANSWERS_EN", "OPENDATA_SOURCE_IDS", "OPENDATA_STATUS", "OPENDATA_STATUS_COLUMNS", "SURVEY_WORDS", "opendata_status_table", "opendata_texts",
    # issue 23: changes between dashboard releases (release_summaries)
    "RELEASE_CHANGE_COLUMNS", "release_change_table", "release_change_text", "release_changes",
]
