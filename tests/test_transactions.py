"""add and remove as transactions: a kill at every numbered step leaves data/ wholly before or wholly after
once the next command has run; two updates never interleave; a read-only data/ gives a message, not a traceback.

Kills are real: the update runs in a forked child that ends with ``os._exit`` at the chosen step (no
``finally``, no rollback, its lock left behind), and the parent then runs the next command."""

from __future__ import annotations

import json
import os
import shutil
import socket
import time

import openpyxl
import pytest

from conftest import DATASET, tree_bytes
from dxanalysis import ExtractError, config, load_kpis
from dxanalysis.cli import main
from dxanalysis.cycle import journal, ledger, lock
from dxanalysis.cycle.add import add_extract
from dxanalysis.cycle.remove import apply_removal, plan_removal
from dxanalysis.cycle.template import write_template

KILLED = 137
FIXED_TIME = time.struct_time((2026, 12, 6, 17, 0, 0, 6, 340, 0))
"""The ledger entry's time (and so its name) is fixed, so that the after state is known byte for byte."""


def _use(data, monkeypatch):
    monkeypatch.setattr(config, "DATA_DIR", data)
    monkeypatch.setattr(config, "KPI_DIR", data / "kpis")
    for name, attr in (("indicators.csv", "INDICATORS_CSV"), ("municipalities.csv", "MUNICIPALITIES_CSV"),
                       ("sources.csv", "SOURCES_CSV")):
        monkeypatch.setattr(config, attr, data / name)


def _book(folder, source="chigasaki_fy2025_synthetic", value=812, indicator="telework_count"):
    """A FY2025 entry workbook with one synthetic figure and a new source record."""
    book = write_template(folder / f"{source}.xlsx", 2025)
    wb = openpyxl.load_workbook(book)
    wb["出典一覧"].append([source, "令和８年度 進捗（架空・ＳＹＮＴＨＥＴＩＣ）", "茅ヶ崎市", "2026-12", "", "", "synthetic test source"])
    row = next(r for r in wb["入力"].iter_rows(min_row=2) if r[0].value == "茅ヶ崎市" and r[1].value == indicator)
    row[4].value = value
    row[8].value, row[9].value, row[10].value = source, "架空の表", f"令和7年度 {value}（架空）"
    wb.save(book)
    return book


def _in_child(monkeypatch, step: str | None, action) -> int:
    """Run ``action`` in a forked child killed (``os._exit``) at ``step``; its exit code."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 1
        try:
            journal._step = lambda name: os._exit(KILLED) if name == step else None
            action()
            code = 0
        finally:
            os._exit(code)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


def _steps(monkeypatch, action) -> list[str]:
    seen = []
    monkeypatch.setattr(journal, "_step", seen.append)
    action()
    monkeypatch.setattr(journal, "_step", lambda name: None)
    return seen


@pytest.fixture
def fixed_time(monkeypatch):
    monkeypatch.setattr(ledger.time, "gmtime", lambda *a: FIXED_TIME)


def test_add_killed_at_every_step_leaves_before_or_after(tmp_path, monkeypatch, fixed_time, capsys):
    book = _book(tmp_path)
    ref = tmp_path / "ref"
    shutil.copytree(DATASET, ref)
    _use(ref, monkeypatch)
    before = tree_bytes(ref)
    steps = _steps(monkeypatch, lambda: add_extract(book))
    after = tree_bytes(ref)
    assert after != before and "ledger/20261206T170000-" in "".join(after)
    assert steps[:3] == ["begin", "journal: half written", "journal: written"] and steps[-1] == "journal removed"
    # begin; journal half written, written, committed; 3 files (sources.csv, the new KPI file, the ledger entry)
    # half written, written, replaced; journal removed
    assert len(steps) == 14
    outcomes = {}
    for i, step in enumerate(steps):
        data = tmp_path / f"kill{i}"
        shutil.copytree(DATASET, data)
        _use(data, monkeypatch)
        assert _in_child(monkeypatch, step, lambda: add_extract(book)) == KILLED, step
        assert main(["validate", "--no-compare", str(book)]) == 0  # the next command recovers
        state = tree_bytes(data)
        assert state in (before, after), f"killed at {step!r}: data/ is neither before nor after"
        outcomes[step] = "after" if state == after else "before"
    capsys.readouterr()
    decided = steps.index("journal committed")
    assert set(outcomes[s] for s in steps[:decided]) == {"before"}
    assert set(outcomes[s] for s in steps[decided:]) == {"after"}


def test_remove_killed_at_every_step_leaves_before_or_after(tmp_path, monkeypatch, fixed_time, capsys):
    book = _book(tmp_path)
    ref = tmp_path / "ref"
    shutil.copytree(DATASET, ref)
    _use(ref, monkeypatch)
    original = tree_bytes(ref)
    add_extract(book)
    added = tree_bytes(ref)
    steps = _steps(monkeypatch, lambda: apply_removal(plan_removal(workbook=book)))
    assert tree_bytes(ref) == original
    # begin; journal ×3; sources.csv half written, written, replaced; the emptied KPI file and the ledger
    # entry deleted (one step each); journal removed
    assert len(steps) == 10
    for i, step in enumerate(steps):
        data = tmp_path / f"kill{i}"
        shutil.copytree(ref, data)
        _use(data, monkeypatch)
        add_extract(book)
        assert tree_bytes(data) == added
        assert _in_child(monkeypatch, step, lambda: apply_removal(plan_removal(workbook=book))) == KILLED, step
        assert main(["validate", "--no-compare", str(book)]) == 0
        assert tree_bytes(data) in (added, original), f"killed at {step!r}"
        assert (tree_bytes(data) == original) == (steps.index(step) >= steps.index("journal committed")), step
    capsys.readouterr()


def test_a_kill_leaves_no_lock_and_no_temporary_file_behind(tmp_path, monkeypatch, fixed_time, fixture_project):
    book = _book(tmp_path)
    assert _in_child(monkeypatch, "file 2: half written", lambda: add_extract(book)) == KILLED
    left = sorted(p.name for p in fixture_project.rglob(".*"))
    [temp] = [n for n in left if n.endswith(".tmp")]  # file 2 is the new KPI file, half written
    assert temp.startswith(".chigasaki_fy2025_synthetic.csv.") and len(left) == 3
    assert ".update.lock" in left and ".update-journal.json" in left
    said = journal.recover(fixture_project, "test")
    assert said.startswith("completed an interrupted update of 3 file(s)") and "removed 1 temporary file(s)" in said
    assert sorted(p.name for p in fixture_project.rglob(".*")) == []
    assert load_kpis().query("fiscal_year == 2025 and indicator == 'telework_count'")["value"].tolist() == [812.0]


def test_two_adds_at_once_both_land(tmp_path, monkeypatch, fixture_project):
    books = [_book(tmp_path, source=f"chigasaki_fy2025_synthetic_{k}", value=v, indicator=ind)
             for k, v, ind in ((1, 812, "telework_count"), (2, 14000, "rpa_hours_saved"))]
    pids = []
    for b in books:
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child
            try:
                add_extract(b)
                os._exit(0)
            finally:
                os._exit(1)
        pids.append(pid)
    assert [os.waitstatus_to_exitcode(os.waitpid(p, 0)[1]) for p in pids] == [0, 0]
    sources = (fixture_project / "sources.csv").read_text(encoding="utf-8")
    assert "chigasaki_fy2025_synthetic_1," in sources and "chigasaki_fy2025_synthetic_2," in sources
    assert sorted(load_kpis().query("fiscal_year == 2025 and kind == 'actual'")["value"]) == [812.0, 14000.0]
    assert len(ledger.entries()) == 2


def test_a_held_lock_refuses_naming_its_holder(tmp_path, fixture_project, caplog):
    holder = {"pid": os.getppid(), "host": socket.gethostname(), "time": "2026-12-06T17:00:00+0000", "command": "add"}
    (fixture_project / lock.LOCK_NAME).write_text(json.dumps(holder), encoding="utf-8")
    with pytest.raises(lock.UpdateError, match=rf"another update of data/ is running: 'add' \(pid {os.getppid()} on "):
        lock.acquire(fixture_project, "remove", wait=0.3)
    assert [r.getMessage()[:52] for r in caplog.records] == ["waiting up to 0 s for another update of data/: 'add'"]


def test_a_stale_lock_of_a_dead_process_is_cleared(tmp_path, monkeypatch, fixture_project):
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os._exit(0)
    os.waitpid(pid, 0)
    holder = {"pid": pid, "host": socket.gethostname(), "time": "2026-12-06T17:00:00+0000", "command": "add"}
    (fixture_project / lock.LOCK_NAME).write_text(json.dumps(holder), encoding="utf-8")
    changes = add_extract(_book(tmp_path))
    assert len(changes.new) == 1 and not (fixture_project / lock.LOCK_NAME).exists()


def test_read_only_data_gives_a_message_not_a_traceback(tmp_path, monkeypatch, fixture_project, capsys):
    before = tree_bytes(fixture_project)
    book = _book(tmp_path)

    def denied(*a, **k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(lock.tempfile, "mkstemp", denied)
    assert main(["add", str(book)]) == 1
    err = capsys.readouterr().err
    assert "cannot be written (Permission denied); nothing was changed" in err and "Traceback" not in err
    assert tree_bytes(fixture_project) == before


def test_a_torn_journal_is_discarded(fixture_project):
    before = tree_bytes(fixture_project)
    good = journal.journal_bytes(fixture_project, {fixture_project / "sources.csv": b"x\n"})
    (fixture_project / journal.JOURNAL_NAME).write_bytes(good[:-10])  # the commit marker cut off
    assert journal.recover(fixture_project, "test").startswith("discarded the journal")
    assert tree_bytes(fixture_project) == before


def test_a_read_only_kpis_folder_gives_a_message_and_changes_nothing(tmp_path, monkeypatch, fixture_project, capsys):
    """The lock and journal can be written, but data/kpis cannot (as root, chmod would not stop us: simulated)."""
    before = tree_bytes(fixture_project)
    book = _book(tmp_path)
    real = journal.tempfile.mkstemp

    def kpis_read_only(*a, dir=None, **k):
        if dir is not None and os.path.basename(dir) == "kpis":
            raise PermissionError(13, "Permission denied", str(dir))
        return real(*a, dir=dir, **k)

    monkeypatch.setattr(journal.tempfile, "mkstemp", kpis_read_only)
    assert main(["add", str(book)]) == 1
    err = capsys.readouterr().err
    assert "was not added: [Errno 13] Permission denied" in err and "Traceback" not in err
    assert tree_bytes(fixture_project) == before  # sources.csv, already replaced, was rolled back


def test_load_kpis_refuses_data_between_two_states_and_a_notebook_start_recovers_it(tmp_path, monkeypatch, fixed_time):
    from dxanalysis.present.notebook import start

    book = _book(tmp_path)
    data = tmp_path / "data"
    shutil.copytree(DATASET, data)
    _use(data, monkeypatch)
    assert _in_child(monkeypatch, "journal committed", lambda: add_extract(book)) == KILLED
    with pytest.raises(ExtractError) as exc:  # the journal is there: data/ is between the old and the new state
        load_kpis()
    assert [p.code for p in exc.value.problems] == ["interrupted_update"]
    with pytest.warns(UserWarning, match="data/: completed"):
        start(2025)  # rolls the committed update forward, as a command would
    assert not (data / journal.JOURNAL_NAME).exists()
    assert 812.0 in load_kpis().query("indicator == 'telework_count' and fiscal_year == 2025")["value"].tolist()
