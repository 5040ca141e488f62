"""Readers of the bundled catalogue files: indicators, municipalities, sources, milestone categories,
and the 出典一覧 sheet of an entry workbook (read as it is; its cells are checked in ``contract``)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import config
from .cells import cell_text, normalize_text
from .xlsx import read_sheet_values

SOURCE_HEADERS = ["source_id", "title", "publisher", "date", "url", "file", "note"]
"""Columns of data/sources.csv (and of the 出典一覧 sheet of an entry workbook)."""


# ---------------------------------------------------------------- catalogue tables

def _read_table(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def load_indicators(path: str | Path | None = None) -> pd.DataFrame:
    """The indicator catalogue (slug, names, unit, definition, comparability …), keyed by ``indicator``.

    >>> cat = load_indicators()
    >>> cat.loc["online_application_rate", "unit"]
    '%'
    """
    df = _read_table(Path(path or config.INDICATORS_CSV))
    df["higher_is_better"] = df["higher_is_better"].map({"true": True, "false": False, "": pd.NA})
    return _unique_index(df, "indicator", path or config.INDICATORS_CSV)


def load_municipalities(path: str | Path | None = None) -> pd.DataFrame:
    """The municipalities (slug, 名称, prefecture, 全国地方公共団体コード, aliases), keyed by slug.

    >>> load_municipalities().loc["hadano", "lg_code"]
    '142115'
    """
    return _unique_index(_read_table(Path(path or config.MUNICIPALITIES_CSV)), "municipality",
                         path or config.MUNICIPALITIES_CSV)


def load_sources(path: str | Path | None = None) -> pd.DataFrame:
    """The source records (title, publisher, date, url, …), keyed by ``source_id``.

    >>> load_sources().loc["hadano_dx_plan_draft_2025", "publisher"]
    '秦野市 政策部デジタル推進課'
    """
    return _unique_index(_read_table(Path(path or config.SOURCES_CSV)), "source_id",
                         path or config.SOURCES_CSV)


def load_milestone_categories() -> pd.DataFrame:
    """The adoption-milestone categories (``rpa``, ``telework`` …) with ``name_ja`` and ``name_en``, keyed by slug.

    >>> load_milestone_categories().loc["kakanai_madoguchi", "name_en"]
    'Form-free counter'
    """
    return _unique_index(_read_table(config.MILESTONE_CATEGORIES_CSV), "category", config.MILESTONE_CATEGORIES_CSV)


def _unique_index(df: pd.DataFrame, key: str, path: object) -> pd.DataFrame:
    dup = df[key][df[key].duplicated()]
    if len(dup):
        raise ValueError(f"{path}: duplicate {key}: {sorted(set(dup))}")
    return df.set_index(key, drop=False).rename_axis(None)


def workbook_sources(path: str | Path) -> pd.DataFrame:
    """Source records typed into the 出典一覧 sheet of an entry workbook (empty if none).

    Cells are read as displayed (a date Excel made of ``2026-12`` is ``2026-12-01``) and kept as text:
    :func:`dxanalysis.contract.rules.check_source_dates` reads the dates (era dates converted) and refuses
    the rest. ``source_row`` is the sheet row (header = row 1).
    """
    path = Path(path)
    empty = pd.DataFrame(columns=SOURCE_HEADERS + ["source_row"])
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return empty
    rows = read_sheet_values(path, SOURCES_SHEET)
    if not rows:
        return empty
    header = [normalize_text(cell_text(c)) for c in rows[0]]
    records = [[normalize_text(cell_text(v)) if isinstance(v, str) or v is None else cell_text(v) for v in r]
               for r in rows[1:]]
    width = len(header)
    df = pd.DataFrame([(r + [None] * width)[:width] for r in records], columns=header, dtype=object)
    df = df.loc[:, ~df.columns.duplicated()].reindex(columns=SOURCE_HEADERS).fillna("").astype(str)
    df["source_row"] = range(2, 2 + len(df))
    return df[df["source_id"] != ""].reset_index(drop=True)


SOURCES_SHEET = "出典一覧"
"""The sheet of an entry workbook where new source records are typed."""


def bundled_extracts() -> list[Path]:
    """The bundled KPI extract files, in a fixed order."""
    return sorted(p for p in config.KPI_DIR.iterdir() if p.suffix.lower() == ".csv") if config.KPI_DIR.is_dir() else []
