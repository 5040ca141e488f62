"""Shared test fixtures: figures are closed after every test; helpers write small extracts."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from dxanalysis import config

FIXTURES = Path(__file__).parent / "fixtures"
HEADER = list(config.KPI_COLUMNS)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import sys

    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")


def good_row(**overrides) -> dict:
    """One valid KPI row (茅ヶ崎市 telework FY2024, as in the bundled data), with overrides."""
    row = dict(municipality="chigasaki", indicator="telework_count", fiscal_year="2024", as_of="",
               value="761", unit="件", kind="actual", approximate="false",
               source_id="chigasaki_progress_fy2024", location="テレワーク件数の推移",
               quote="R6 761", derivation="", note="")
    if "fiscal_year" in overrides and "quote" not in overrides:  # the quote names its year (year_basis, issue 15)
        row["quote"] = f"{overrides['fiscal_year']} {overrides.get('value', row['value'])}"
    row.update(overrides)
    row.setdefault("year_basis", "")
    return row


def write_csv(path: Path, rows: list[dict], header: list[str] | None = None, encoding: str = "utf-8") -> Path:
    header = header or HEADER
    with open(path, "w", encoding=encoding, newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        for r in rows:
            w.writerow([r.get(h, "") for h in header])
    return path


@pytest.fixture
def seeds_dir() -> Path:
    if not config.SEEDS_DIR.is_dir():
        pytest.skip(f"source documents not present at {config.SEEDS_DIR}")
    return config.SEEDS_DIR
