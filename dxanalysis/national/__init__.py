"""Stage 2 (national) — published files covering all 1,741 municipalities, one module per file family.

- ``common``: paths, raw-file signatures and the load report shared by the readers
- ``codes``: the code list (localgovjp): 6-digit codes, check digits, prefectures
- ``ssdse``: SSDSE-A (population, staff, area)
- ``municipalities``: :func:`load_all_municipalities` (code list joined with SSDSE, every join checked)
- ``dashboard``: the Digital Agency's DX dashboard tables: :func:`load_national` (one release or all), :func:`stored_releases`
- ``dashboard_files``: a release's tables as CSV (UTF-8/CP932) or XLSX (as displayed); a merger or split named by code
- ``releases``: a downloaded release found and verified (``dxanalysis national add``)
- ``cards``: My Number card issuance snapshots: :func:`load_card_issuance`
- ``similar_groups``: 類似団体区分 FY2020–2024 and the official class averages: :func:`load_similar_groups`,
  :func:`load_similar_group_averages`, :func:`similar_group_changes`
- ``opendata``: the FY2020 and FY2024 open-data surveys as tidy answers: :func:`load_opendata_surveys`
- ``catalogue``: the national indicator catalogue, source records, manifest and hash verification
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "load_all_municipalities": "municipalities",
    "load_national": "dashboard",
    "stored_releases": "dashboard",
    "load_card_issuance": "cards",
    "load_similar_groups": "similar_groups",
    "load_similar_group_averages": "similar_groups",
    "similar_group_changes": "similar_groups",
    "load_opendata_surveys": "opendata",
    "load_national_indicators": "catalogue",
    "load_national_sources": "catalogue",
    "load_national_manifest": "catalogue",
    "verify_national_raw": "catalogue",
    "check_digit": "codes",
    "NationalLoadReport": "common",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
