"""The national catalogue: indicators and their periods, source records, the manifest of raw files and their hashes."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd

from .. import config
from ..errors import Problem
from .common import _raw_dir, manifest_problems

CATALOGUE_VOCABULARY = {
    "unit": ("%", "flag", "procedures"),
    "measure": ("adoption", "holding", "supply", "usage", "count"),
    "group": ("governance", "operations", "services", "usage_32", "usage_26"),
    "period_basis": ("stated", "inferred", "unknown"),
    "file": ("dx_status", "online_usage"),
}
"""The closed vocabularies of data/national/indicators.csv (NATIONAL_API.md)."""


# ---------------------------------------------------------------- catalogue and sources

def load_national_indicators(path: str | Path | None = None) -> pd.DataFrame:
    """The national indicator catalogue (``data/national/indicators.csv``), indexed by ``indicator``.

    ``label_ja`` is the dashboard's row label verbatim (a trailing space included); ``file`` and
    ``row`` say where the row is (``dx_status`` / ``online_usage``, 1-based line).

    >>> cat = load_national_indicators()
    >>> cat.loc["online_supply_26_rate", ["unit", "measure"]].tolist()
    ['%', 'supply']
    """
    path = Path(path or config.NATIONAL_INDICATORS_CSV)
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    df["row"] = df["row"].astype("int64")
    dup = df["indicator"][df["indicator"].duplicated()]
    if len(dup):
        raise ValueError(f"{path}: duplicate indicator: {sorted(set(dup))}")
    bad = [(col, v) for col, allowed in CATALOGUE_VOCABULARY.items() for v in sorted(set(df[col]) - set(allowed))]
    if bad:
        raise ValueError(f"{path}: values outside the catalogue's vocabulary: {bad}")
    return df.set_index("indicator", drop=False).rename_axis(None)


def load_national_sources(path: str | Path | None = None) -> pd.DataFrame:
    """The national source records (``data/national/sources.csv``), indexed by ``source_id``.

    >>> load_national_sources().loc["digital_agency_dx_dashboard_20240712", "release_date"]
    '2024-07-12'
    """
    path = Path(path or config.NATIONAL_SOURCES_CSV)
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    dup = df["source_id"][df["source_id"].duplicated()]
    if len(dup):
        raise ValueError(f"{path}: duplicate source_id: {sorted(set(dup))}")
    return df.set_index("source_id", drop=False).rename_axis(None)


def load_national_manifest(path: str | Path | None = None) -> pd.DataFrame:
    """Every original national file: where it is bundled (``file``, zip ``member``) and its SHA-256."""
    df = pd.read_csv(Path(path or config.NATIONAL_MANIFEST_CSV), dtype=str, keep_default_na=False, encoding="utf-8")
    df["bytes"] = df["bytes"].astype("int64")
    return df


def verify_national_raw(raw_dir: str | Path | None = None) -> list[Problem]:
    """Problems where a bundled copy's bytes differ from the original's SHA-256 in the manifest, a zip member listed
    in the manifest is absent (``national_missing_member``), or a bundled zip holds a member the manifest does not
    list (empty = all intact)."""
    rd = _raw_dir(raw_dir)
    manifest = load_national_manifest()
    return manifest_problems(rd, manifest.itertuples(index=False)) + _unlisted_members(rd, manifest)


def _unlisted_members(raw_dir: Path, manifest: pd.DataFrame) -> list[Problem]:
    """A member of a bundled zip that the manifest does not list (an added file would otherwise pass unseen)."""
    listed = set(zip(manifest["file"], manifest["member"]))
    problems = []
    for name in sorted({f for f, member in listed if member}):
        try:
            with zipfile.ZipFile(raw_dir / name) as z:
                members = sorted(z.namelist())
        except (OSError, zipfile.BadZipFile):
            continue  # reported by manifest_problems
        problems += [Problem(name, None, member, None, "national_hash_mismatch", "not listed in data/national/manifest.csv")
                     for member in members if (name, member) not in listed]
    return problems
