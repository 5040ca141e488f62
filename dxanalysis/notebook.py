"""The set-up every analysis notebook shares: parameters, data, style and provenance.

>>> ctx = start(fiscal_year=2024)
>>> ctx.fiscal_year, ctx.lang, int(ctx.kpis["fiscal_year"][ctx.kpis["kind"] == "actual"].max())
(2024, 'ja', 2024)
"""

from __future__ import annotations

import hashlib
import os
import platform
import warnings
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import __version__, config
from .io import bundled_extracts
from .load import load_kpis
from .metrics import latest_actual_year, up_to_fiscal_year


@dataclass
class Context:
    """What a notebook works with."""

    kpis: pd.DataFrame
    """the validated table, actuals up to ``fiscal_year`` and every target"""
    fiscal_year: int
    lang: str
    data_hash: str
    """SHA-256 of the extract files and catalogue used (recorded in every executed notebook)"""

    @property
    def provenance(self) -> str:
        return (f"dxanalysis {__version__} · pandas {pd.__version__} · Python {platform.python_version()} · "
                f"data sha256 {self.data_hash[:16]} · fiscal year {self.fiscal_year} · lang {self.lang}")


def data_hash(paths: list[Path]) -> str:
    """SHA-256 over the names and bytes of the files (in the given order) plus the catalogue tables."""
    h = hashlib.sha256()
    for p in [*paths, config.INDICATORS_CSV, config.MUNICIPALITIES_CSV, config.SOURCES_CSV]:
        h.update(Path(p).name.encode() + b"\0" + Path(p).read_bytes())
    return h.hexdigest()


def start(fiscal_year: int | None = None, lang: str = "ja", data_paths=None) -> Context:
    """Load and validate the data, apply the chart style, and fix the report year.

    Args:
        fiscal_year: the report year; ``None`` → the latest year with actuals.
        lang: ``"ja"`` or ``"en"`` for labels.
        data_paths: extract files; ``None`` → the bundled data.
    """
    if lang not in ("ja", "en"):
        raise ValueError(f"lang must be 'ja' or 'en', not {lang!r}")
    paths = bundled_extracts() if data_paths is None else [Path(p) for p in
                                                           ([data_paths] if isinstance(data_paths, (str, Path)) else data_paths)]
    kpis = load_kpis(paths)
    fy = int(fiscal_year) if fiscal_year is not None else latest_actual_year(kpis)
    from .plot import apply_style

    apply_style()
    if os.environ.get("DXANALYSIS_STRICT_GLYPHS"):  # set by the test suite
        warnings.filterwarnings("error", message=r"Glyph .* missing from")
    return Context(up_to_fiscal_year(kpis, fy), fy, lang, data_hash(paths))
