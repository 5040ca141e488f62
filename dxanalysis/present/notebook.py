"""The set-up every analysis notebook shares: parameters, data, style and provenance.

>>> ctx = start(fiscal_year=2024)
>>> ctx.fiscal_year, ctx.lang, int(ctx.kpis["fiscal_year"][ctx.kpis["kind"] == "actual"].max())
(2024, 'ja', 2024)
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import __version__, config
from ..analysis.series import latest_actual_year, up_to_fiscal_year
from ..contract.load import load_kpis
from ..io.catalogue import bundled_extracts


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

    @property
    def provenance_text(self) -> str:
        """:attr:`provenance` in the report's language (:func:`localise_provenance`), for the reader."""
        return localise_provenance(self.provenance, self.lang)


SOFTWARE = re.compile(r"^((?:[\w.]+ \d[\w.]* · )*[\w.]+ \d[\w.]*)(?= · |$)")
"""The leading ``name version`` pairs of a provenance line (``dxanalysis 0.1.0 · pandas 3.1.1``)."""


def localise_provenance(text: str, lang: str) -> str:
    """The provenance line in the report's language (``fiscal year 2025 · lang ja`` → ``2025年度 · 言語 日本語``);
    in Japanese the software and its versions stand in brackets, as names not words.

    >>> localise_provenance("dxanalysis 0.1.0 · data sha256 ab12 · fiscal year 2025 · lang ja", "ja")
    '使用ソフトウェア（dxanalysis 0.1.0） · データ SHA-256 ab12 · 2025年度（令和7年度） · 言語 日本語'
    >>> localise_provenance("dxanalysis 0.1.0 · pandas 3.1.1 · data sha256 ab12 · lang en", "en")
    'dxanalysis 0.1.0 · pandas 3.1.1 · data sha256 ab12 · language English'
    """
    if lang != "ja":
        return text.replace("lang en", "language English").replace("lang ja", "language Japanese")
    text = SOFTWARE.sub(lambda m: "使用ソフトウェア（" + m[1].replace(" · ", "、") + "）", text)
    text = re.sub(r"fiscal year (\d{4})", lambda m: f"{m[1]}年度" + (f"（令和{int(m[1]) - 2018}年度）"
                                                                     if int(m[1]) >= 2019 else ""), text)
    return text.replace("data sha256", "データ SHA-256").replace("lang ja", "言語 日本語").replace("lang en", "言語 英語")


def data_hash(paths: list[Path]) -> str:
    """SHA-256 over the names and bytes of the files (in the given order) plus the catalogue tables."""
    h = hashlib.sha256()
    for p in [*paths, config.INDICATORS_CSV, config.MUNICIPALITIES_CSV, config.SOURCES_CSV]:
        h.update(Path(p).name.encode() + b"\0" + Path(p).read_bytes())
    return h.hexdigest()


DISPLAY_OPTIONS = {
    "display.max_colwidth": None,  # quotes in full, never cut with "…"
    "display.max_rows": 200,
    "display.max_columns": 50,
    "display.width": 200,
}
"""pandas display settings every notebook uses (applied by :func:`start`)."""


def readable_number(x: float) -> str:
    """Numbers as a reader writes them: thousands separators, no trailing ``.0``.

    >>> readable_number(14000.0), readable_number(85.1), readable_number(0.1534)
    ('14,000', '85.1', '0.1534')
    """
    if x != x:  # NaN
        return "NaN"
    return f"{x:,.0f}" if float(x).is_integer() and abs(x) < 1e15 else f"{x:,.6g}"


def with_units(df: pd.DataFrame, *, column: str = "value_with_unit") -> pd.DataFrame:
    """A copy of ``df`` with ``value`` written as a reader would: ``約14,000 時間``, ``15 %`` (missing: empty).

    Needs ``value`` and ``unit``; ``approximate`` (約) is used when present.

    >>> with_units(pd.DataFrame({"value": [14000.0, None], "unit": ["時間", "件"], "approximate": [True, False]}))[
    ...     "value_with_unit"].tolist()
    ['約14,000 時間', '']
    """
    approx = df["approximate"].fillna(False).astype(bool) if "approximate" in df.columns else [False] * len(df)
    text = ["" if pd.isna(v) else ("約" if a else "") + readable_number(v) + (f" {u}" if isinstance(u, str) and u else "")
            for v, u, a in zip(df["value"], df["unit"], approx)]
    return df.assign(**{column: text})


def apply_display_options() -> None:
    """Full quotes, readable numbers (see :data:`DISPLAY_OPTIONS`)."""
    for key, value in DISPLAY_OPTIONS.items():
        pd.set_option(key, value)
    pd.set_option("display.float_format", readable_number)


def start(fiscal_year: int | None = None, lang: str = "ja", data_paths=None) -> Context:
    """Load and validate the data, apply the chart style, and fix the report year.

    Args:
        fiscal_year: the report year; ``None`` → the latest year with actuals.
        lang: ``"ja"`` or ``"en"`` for labels.
        data_paths: extract files; ``None`` → the bundled data.
    """
    if lang not in ("ja", "en"):
        raise ValueError(f"lang must be 'ja' or 'en', not {lang!r}")
    if data_paths is None:
        recover_data()
    paths = bundled_extracts() if data_paths is None else [Path(p) for p in
                                                           ([data_paths] if isinstance(data_paths, (str, Path)) else data_paths)]
    kpis = load_kpis(paths)
    fy = int(fiscal_year) if fiscal_year is not None else latest_actual_year(kpis)
    from .style import apply_style

    apply_style()
    apply_display_options()
    if os.environ.get("DXANALYSIS_STRICT_GLYPHS"):  # set by the test suite
        warnings.filterwarnings("error", message=r"Glyph .* missing from")
    return Context(up_to_fiscal_year(kpis, fy), fy, lang, data_hash(paths))


def recover_data() -> str | None:
    """Complete or discard an interrupted update of ``data/`` before a notebook reads it, as every command does
    (an update in progress elsewhere is left alone: the load then says data/ is in the middle of an update)."""
    from ..cycle.journal import recover
    from ..cycle.lock import UpdateError

    try:
        said = recover(config.DATA_DIR, "notebook")
    except (UpdateError, OSError):
        return None
    if said:
        warnings.warn(f"data/: {said}", stacklevel=3)
    return said


LANGUAGE_TAGS = ("ja", "en")
"""A markdown cell tagged ``ja`` or ``en`` (cell metadata ``tags``) is prose of that language only: the pages of
the other language leave it out, so each report reads in one language (JupyterLab shows both to the analyst)."""


def say(*paragraphs: str) -> None:
    """Display each paragraph as its own Markdown output (a notebook's narration, one output per sentence)."""
    from IPython.display import Markdown, display

    display(*map(Markdown, paragraphs))


def keep_one_language(executed: Path, lang: str) -> None:
    """Drop from an executed notebook the markdown cells tagged with the other language (:data:`LANGUAGE_TAGS`)."""
    nb = json.loads(executed.read_text(encoding="utf-8"))
    other = {t for t in LANGUAGE_TAGS if t != lang}
    cells = [c for c in nb["cells"] if not (c["cell_type"] == "markdown"
                                            and other & set(c.get("metadata", {}).get("tags", [])))]
    if len(cells) != len(nb["cells"]):
        nb["cells"] = cells
        executed.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
