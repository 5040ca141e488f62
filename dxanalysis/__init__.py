"""dxanalysis — DX KPIs of 茅ヶ崎市, 秦野市 and 南房総市 as one sourced, validated table.

``import dxanalysis`` is light: pandas, openpyxl and matplotlib are imported only
when a function that needs them is first used.

>>> import dxanalysis
>>> dxanalysis.__version__
'0.1.0'
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_EXPORTS = {
    "load_kpis": "load",
    "check_kpis": "load",
    "LoadReport": "load",
    "load_indicators": "io",
    "load_municipalities": "io",
    "load_sources": "io",
    "load_reference": "records",
    "load_telework_log": "records",
    "load_milestones": "records",
    "load_milestone_categories": "io",
    "ExtractError": "errors",
    "Problem": "errors",
    "ERROR_CODES": "errors",
    "load_all_municipalities": "national",
    "load_national_indicators": "national",
    "load_national": "national",
    "load_card_issuance": "national",
    "load_national_sources": "national",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__
