"""dxanalysis — DX KPIs of 茅ヶ崎市, 秦野市 and 南房総市 as one sourced, validated table.

``import dxanalysis`` is light: pandas, openpyxl and matplotlib are imported only
when a function that needs them is first used.

The package is laid out as the data path, one subpackage per stage (``LAYERS``); a module
imports only from its own stage or the stages before it (checked by ``tests/test_layout.py``).

>>> import dxanalysis
>>> dxanalysis.__version__
'0.1.0'
>>> dxanalysis.LAYERS[1]
('io',)
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

LAYERS: tuple[tuple[str, ...], ...] = (
    ("config", "errors"),   # paths, constants, problems and error codes
    ("io",),                # 1 reading files and cells; the one writer
    ("contract",),          # 2 checking raw tables and assembling the KPI table, records, citations
    ("national",),          # 2 the national files (read with io, checked the same way)
    ("analysis",),          # 3 metrics and narration
    ("cycle",),             # 4 the yearly cycle: template, add, remove
    ("present",),           # 5 style, charts, figure books, report, notebook set-up, explorer
    ("cli", "__main__"),    # 6 the command line
)
"""The allowed import order, lowest first: a module may import its own layer and the layers above it in
this list, never a later one. Written once here; ``tests/test_layout.py`` checks every import against it."""

_EXPORTS = {
    "load_kpis": "contract.load",
    "check_kpis": "contract.load",
    "LoadReport": "contract.load",
    "load_indicators": "io.catalogue",
    "load_municipalities": "io.catalogue",
    "load_sources": "io.catalogue",
    "load_reference": "contract.records",
    "load_telework_log": "contract.records",
    "load_milestones": "contract.records",
    "load_milestone_categories": "io.catalogue",
    "ExtractError": "errors",
    "Problem": "errors",
    "ERROR_CODES": "errors",
    "load_all_municipalities": "national.municipalities",
    "load_national_indicators": "national.catalogue",
    "load_national": "national.dashboard",
    "latest_release": "analysis.releases",
    "load_card_issuance": "national.cards",
    "load_similar_groups": "national.similar_groups",
    "load_similar_group_averages": "national.similar_groups",
    "similar_group_changes": "national.similar_groups",
    "load_opendata_surveys": "national.opendata",
    "load_national_sources": "national.catalogue",
}

_MODULES = {
    "metrics": "analysis.metrics",
    "summaries": "analysis.summaries",
    "panels": "present.panels",
    "narrate": "analysis.narrate",
    "plot": "present.plot",
    "figbook": "present.figbook",
    "report": "present.report",
    "notebook": "present.notebook",
    "tables": "present.tables",
    "national_tables": "present.national_tables",
    "pages": "present.pages",
    "explore": "present.explore",
    "citations": "contract.citations",
    "records": "contract.records",
    "load": "contract.load",
}
"""Short names for the modules notebooks use: ``from dxanalysis import metrics, plot`` keeps working."""

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    elif name in _MODULES:
        value = importlib.import_module(f".{_MODULES[name]}", __name__)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
