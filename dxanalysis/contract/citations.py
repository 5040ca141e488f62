"""Who published each source, when, where it can be found and what attribution it requires.

One table for every figure caption, the report index and the PDF figure book: the
municipal documents of ``data/sources.csv`` and, when it exists, the national files of
``data/national/sources.csv`` (whose records carry ``attribution``, ``licence``, ``url`` and
``release_date``). Columns one file lacks are empty text, never guessed.

>>> src = all_sources()
>>> src.at["chigasaki_dx_policy_2023", "date"], "URL" in src.at["chigasaki_dx_policy_2023", "found_at_en"]
('2023-03', True)
>>> caption_part("minamiboso_dx_status_2025")
'南房総市「南房総市DX推進方針の取り組み状況等について」(2025-03)'
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import config
from ..io.catalogue import _read_table

COLUMNS = ("source_id", "title", "publisher", "date", "url", "found_at_ja", "found_at_en", "attribution", "licence",
           "note")
"""The columns every source record has here (missing ones are empty text)."""


def national_sources_csv() -> Path:
    """``config.NATIONAL_SOURCES_CSV`` (a function, so tests can point it elsewhere)."""
    return config.NATIONAL_SOURCES_CSV


def _read(path: Path) -> pd.DataFrame:
    df = _read_table(path).fillna("")
    if "date" not in df.columns and "release_date" in df.columns:
        df["date"] = df["release_date"]
    elif "release_date" in df.columns:
        df["date"] = df["date"].where(df["date"] != "", df["release_date"])
    for col in COLUMNS:
        if col not in df.columns:
            df[col] = ""
    return df[list(COLUMNS)]


def all_sources(paths: list[Path] | None = None) -> pd.DataFrame:
    """Every source record, keyed by ``source_id`` (municipal first, then national).

    Raises:
        ValueError: a ``source_id`` appears twice.
    """
    if paths is None:
        paths = [config.SOURCES_CSV] + [p for p in [national_sources_csv()] if p.exists()]
    df = pd.concat([_read(Path(p)) for p in paths], ignore_index=True)
    dup = df["source_id"][df["source_id"].duplicated()]
    if len(dup):
        raise ValueError(f"source_id defined twice: {sorted(set(dup))}")
    return df.set_index("source_id", drop=False).rename_axis(None)


def caption_part(source_id: str, sources: pd.DataFrame | None = None) -> str:
    """``publisher「title」(date)``, or the attribution text the source requires, when it has one."""
    src = all_sources() if sources is None else sources
    rec = src.loc[source_id]
    if rec["attribution"]:
        dated = not rec["date"] or rec["date"] in rec["attribution"] or rec["date"][:4] in rec["attribution"]
        return rec["attribution"] if dated else f"{rec['attribution']} ({rec['date']})"
    return f"{rec['publisher']}「{rec['title']}」({rec['date']})"


def where_found(source_id: str, lang: str = "ja", sources: pd.DataFrame | None = None) -> str:
    """Where a reader finds the document: its URL when one is recorded, and the recorded note on it."""
    src = all_sources() if sources is None else sources
    rec = src.loc[source_id]
    found = rec["found_at_ja" if lang == "ja" else "found_at_en"] or rec["found_at_en"] or rec["found_at_ja"]
    if rec["url"] and rec["url"] not in found:
        found = f"{rec['url']} {found}".strip()
    return found or ("所在の記録なし" if lang == "ja" else "no record of where it is found")
