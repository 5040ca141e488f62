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
    row.update(overrides)
    if "quote" not in overrides:  # the quote names the value (validate checks it) and its year (issue 15)
        fy = overrides.get("fiscal_year")
        row["quote"] = f"{fy} {row['value']}" if fy else f"R6 {row['value']}"
    row.setdefault("year_basis", "")  # blank: inferred from the quote (issue 15)
    return row


def write_csv(path: Path, rows: list[dict], header: list[str] | None = None, encoding: str = "utf-8") -> Path:
    header = header or HEADER
    with open(path, "w", encoding=encoding, newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        for r in rows:
            w.writerow([r.get(h, "") for h in header])
    return path


SEEDS_DIR = config.SEEDS_DIR
"""The real seeds folder (../shared/seeds): read by the data tests only, through the ``seeds_dir`` fixture."""


@pytest.fixture(autouse=True)
def _code_tests_see_no_seeds(monkeypatch, tmp_path_factory):
    """Code tests behave as on a fresh clone without ../shared: their made-up quotes of bundled sources are not
    checked against the real texts (validate checks every quote whose source text it finds, issue 21)."""
    monkeypatch.setattr(config, "SEEDS_DIR", tmp_path_factory.getbasetemp() / "no-seeds")


@pytest.fixture
def seeds_dir() -> Path:
    if not SEEDS_DIR.is_dir():
        pytest.skip(f"source documents not present at {SEEDS_DIR}")
    return SEEDS_DIR


# ---------------------------------------------------------------- the fixture dataset (code tests)

DATASET = FIXTURES / "dataset"
"""A frozen, purpose-made extract with its own catalogue (tests/fixtures/dataset/README.md)."""


def load_fixture_kpis():
    from dxanalysis import load_kpis

    return load_kpis(DATASET / "kpis", catalogue_dir=DATASET)


def load_fixture_documents_kpis():
    """The fixture rows copied verbatim from real documents (the synthetic revision left out), so the bundled
    catalogue (labels, units, source records) describes every row; frozen like the whole fixture dataset."""
    from dxanalysis import load_kpis

    files = sorted(p for p in (DATASET / "kpis").glob("*.csv") if not p.name.startswith("fixture_synthetic"))
    return load_kpis(files, catalogue_dir=DATASET)


@pytest.fixture
def fixture_project(tmp_path, monkeypatch) -> Path:
    """A writable copy of the fixture dataset standing in for ``data/`` (config paths point at it)."""
    import shutil

    data = tmp_path / "data"
    shutil.copytree(DATASET, data)
    monkeypatch.setattr(config, "DATA_DIR", data)
    monkeypatch.setattr(config, "KPI_DIR", data / "kpis")
    for name, attr in (("indicators.csv", "INDICATORS_CSV"), ("municipalities.csv", "MUNICIPALITIES_CSV"),
                       ("sources.csv", "SOURCES_CSV")):
        monkeypatch.setattr(config, attr, data / name)
    return data


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by relative path: to assert a folder is byte-identical."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def rehearsal(tmp_path_factory):
    """The next-year rehearsal (tests/rehearsal.py), run once per session and shared by the tests that read it."""
    import os

    from rehearsal import BESIDE, rehearse

    if os.environ.get("DXANALYSIS_IN_REHEARSAL"):  # the code tests run inside the rehearsal: never one in another
        pytest.fail("the rehearsal was asked for inside the rehearsal (a test using it lacks the rehearsal marker)")
    if "thread" in BESIDE:
        BESIDE["thread"].join()
        if "error" in BESIDE:
            raise BESIDE["error"]
        return BESIDE["result"]
    return rehearse(tmp_path_factory.mktemp("rehearsal"))


NATIONAL_SOURCES_HEADER = "source_id,title,publisher,release_date,url,licence,attribution\n"


def use_national_sources(tmp_path: Path, monkeypatch, *records: str) -> Path:
    """Point the citations at a small national sources table (CSV lines after the header)."""
    from dxanalysis import citations

    path = tmp_path / "national_sources.csv"
    path.write_text(NATIONAL_SOURCES_HEADER + "".join(r + "\n" for r in records), encoding="utf-8")
    monkeypatch.setattr(citations, "national_sources_csv", lambda: path)
    return path
