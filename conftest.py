"""Session set-up shared by the notebook runs (nbmake) and the tests.

Figures made during tests go to a temporary folder, never over the committed ones in
figures/, and a missing glyph is an error inside the notebook kernels too.
"""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("DXANALYSIS_FIGURES", str(Path(tempfile.mkdtemp(prefix="dxanalysis-figures-"))))
os.environ.setdefault("DXANALYSIS_REPORTS", str(Path(tempfile.mkdtemp(prefix="dxanalysis-reports-"))))
os.environ["DXANALYSIS_STRICT_GLYPHS"] = "1"

DATA_TEST_FILES = ("test_data.py", "test_data_contract.py")
"""The data tests: invariants of the bundled data/ (values, quotes, sources). Code tests never read data/kpis or data/records."""
REHEARSAL_FILES = ("test_rehearsal.py",)


def pytest_collection_modifyitems(config, items):
    """The machine-readable split: ``data`` marks the data tests, doctests and notebooks (they run on the bundled
    data), ``rehearsal`` the next-year rehearsal and every test that reads its outputs (it must not start one inside
    itself); the code tests are ``-m "not data and not rehearsal"``."""
    import pytest

    for item in items:
        name = Path(str(item.fspath)).name
        if name in REHEARSAL_FILES or "rehearsal" in getattr(item, "fixturenames", ()):  # tests reading its outputs
            item.add_marker(pytest.mark.rehearsal)
        elif (name in DATA_TEST_FILES or name.endswith(".ipynb") or type(item).__name__ == "DoctestItem"):
            item.add_marker(pytest.mark.data)


def pytest_collection_finish(session):
    """When the next-year rehearsal is among the selected tests, start it now, beside the others (it runs in
    subprocesses: tests/rehearsal.py ``start_rehearsal_beside``); the tests reading it wait for it."""
    if (session.config.option.collectonly or os.environ.get("DXANALYSIS_IN_REHEARSAL")
            or hasattr(session.config, "workerinput")
            or not any(item.get_closest_marker("rehearsal") for item in session.items)):
        return
    from rehearsal import start_rehearsal_beside  # tests/rehearsal.py (tests/ is on sys.path by now)

    start_rehearsal_beside(session.config._tmp_path_factory.mktemp("rehearsal"))
