"""Paths and project-wide settings, computed from the package location.

Every other module takes its paths from here, so the project works from any
working directory (a notebook in ``notebooks/``, ``make`` at the top, a test in
a temporary copy).

>>> PROJECT_DIR.joinpath("dxanalysis").is_dir()
True
>>> DATA_DIR.name
'data'
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent

DATA_DIR = PROJECT_DIR / "data"
JOURNAL_NAME = ".update-journal.json"
"""The journal of an update of ``data/`` in progress (dxanalysis.cycle.journal); while it exists, data/ is between
two states and is not read."""
KPI_DIR = DATA_DIR / "kpis"
"""Bundled KPI extracts, one CSV per source document (loaded by default)."""
REFERENCE_DIR = DATA_DIR / "reference"
"""Figures a city cites from others (national surveys): never the city's own."""
RECORDS_DIR = DATA_DIR / "records"
"""Record-level tables (e.g. the 南房総市 telework-PC usage log)."""

INDICATORS_CSV = DATA_DIR / "indicators.csv"
MILESTONES_CSV = RECORDS_DIR / "adoption_milestones.csv"
"""When each city adopted (or plans) each digital tool: one row per dated statement in a source."""
MILESTONE_CATEGORIES_CSV = DATA_DIR / "milestone_categories.csv"
MUNICIPALITIES_CSV = DATA_DIR / "municipalities.csv"
SOURCES_CSV = DATA_DIR / "sources.csv"

NOTEBOOKS_DIR = PROJECT_DIR / "notebooks"
FIGURES_DIR = Path(os.environ.get("DXANALYSIS_FIGURES", PROJECT_DIR / "figures"))
"""Where notebooks save figures (override with DXANALYSIS_FIGURES, e.g. in tests)."""
REPORTS_DIR = Path(os.environ.get("DXANALYSIS_REPORTS", PROJECT_DIR / "reports"))

SEEDS_DIR = Path(os.environ.get("DXANALYSIS_SEEDS", PROJECT_DIR.parent / "shared" / "seeds"))
"""Plain-text copies of the source documents (not part of the project; used only to verify quotes)."""

KPI_COLUMNS = (
    "municipality",
    "indicator",
    "fiscal_year",
    "as_of",
    "year_basis",
    "value",
    "unit",
    "kind",
    "approximate",
    "source_id",
    "location",
    "quote",
    "derivation",
    "note",
)
"""The columns of the tidy ``kpis`` table, in order (see ``data/README.md``)."""

KEY_COLUMNS = ("municipality", "indicator", "fiscal_year", "kind", "as_of")
"""A KPI row is identified by these; two rows with one key are an error."""

KINDS = ("actual", "target", "estimate")
"""``actual`` (a measured or counted state), ``target`` (a goal the plan sets) and ``estimate``
(a cost estimate, a budget or a projected figure under a 概算 / 予算 / 見込 heading: never a goal)."""

YEAR_BASES = ("stated", "heading", "layout", "document")
"""How a KPI row's fiscal year is known (``year_basis``, see ``data/README.md``): ``stated`` (written in
the quote), ``heading`` (a heading above the figure states it; its text is in ``location``), ``layout``
(only a table's column position gives it; the evidence is in ``note``) or ``document`` (the figure is
undated and the fiscal year of the source document's date stands in; said in ``note``)."""

DATE_BASES = ("stated", "heading")
"""How a milestone's date is known (``date_basis``): ``stated`` (written in the sentence of the quote) or
``heading`` (a list heading that the quote begins with, e.g. 秦野市's 「5 年度」). Dates that only a table's
column position gives (``layout``) are not recorded."""

# ---------------------------------------------------------------- national context (issue 13)
NATIONAL_DIR = DATA_DIR / "national"
"""Published files covering all 1,741 municipalities, their source records and catalogue."""
NATIONAL_RAW_DIR = NATIONAL_DIR / "raw"
"""Byte-for-byte copies of the national inputs (never edited; see data/national/manifest.csv)."""
NATIONAL_SOURCES_CSV = NATIONAL_DIR / "sources.csv"
NATIONAL_MANIFEST_CSV = NATIONAL_DIR / "manifest.csv"
"""One row per original file: where it is bundled and the SHA-256 of its original bytes."""
NATIONAL_INDICATORS_CSV = NATIONAL_DIR / "indicators.csv"
NATIONAL_RAW_FILES = {
    "dx_status": "dx_dashboard_20240712/municipal_dx_status.csv",
    "online_usage": "dx_dashboard_20240712/municipal_online_application_rates.csv",
    "localgov": "localgovjp/localgovjp-utf8.csv",
    "prefectures": "localgovjp/prefjp-utf8.csv",
    "ssdse_a": "ssdse/SSDSE-A-2025.csv",
    "card_issuance": "mynumber_card_issuance.zip",
    "similar_groups": "similar_groups_fiscal_2020_2024.zip",
    "opendata_r2": "opendata_survey_r2_2020.zip",
    "opendata_r6": "opendata_survey_r6_2024.zip",
}
"""The national inputs, as paths relative to a raw folder (``NATIONAL_RAW_DIR`` by default)."""
NATIONAL_SHARED_DIR = Path(os.environ.get("DXANALYSIS_NATIONAL_SHARED",
                                          PROJECT_DIR.parent / "shared" / "national"))
"""Where the bundled copies were taken from (not part of the project; used only to verify the copies)."""
N_MUNICIPALITIES = 1741
"""Municipalities of Japan (市町村 + 東京都の特別区) in every national file; any other count is an error."""
