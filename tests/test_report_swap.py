"""The report's folder swap (present/swap.py): a kill at any step of replacing figures/ and reports/ leaves
the previous or the new pair of folders after the next build's recovery — never one new and one old,
never a folder renamed aside."""

from __future__ import annotations

import os

import pytest

from conftest import tree_bytes
from dxanalysis.present import swap

KILLED = 137


def _folders(root, tag: str):
    out, fig = root / "reports", root / "figures"
    for d in (out, fig):
        d.mkdir(exist_ok=True)
        (d / "index.html").write_text(f"{tag} {d.name}", encoding="utf-8")
    return out, fig


def _staged(root, tag: str):
    out, fig = root / "reports", root / "figures"
    stages = [swap.build_dir(fig), swap.build_dir(out)]
    for s, d in zip(stages, (fig, out)):
        (s / "index.html").write_text(f"{tag} {d.name}", encoding="utf-8")
        (s / "new.txt").write_text("only in the new build", encoding="utf-8")
    return list(zip(stages, (fig, out)))


def _in_child(step, action) -> int:
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 1
        try:
            swap._step = lambda name: os._exit(KILLED) if name == step else None
            action()
            code = 0
        finally:
            os._exit(code)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


def _steps(tmp_path, monkeypatch):
    root = tmp_path / "ref"
    root.mkdir()
    out, fig = _folders(root, "old")
    before = tree_bytes(root)
    pairs = _staged(root, "new")
    seen = []
    monkeypatch.setattr(swap, "_step", seen.append)
    swap.swap_all(pairs, out)
    monkeypatch.setattr(swap, "_step", lambda name: None)
    return seen, before, tree_bytes(root)


def test_a_kill_at_every_step_of_the_swap_leaves_the_previous_or_the_new_folders(tmp_path, monkeypatch):
    steps, before, after = _steps(tmp_path, monkeypatch)
    assert after == {"figures/index.html": b"new figures", "figures/new.txt": b"only in the new build",
                     "reports/index.html": b"new reports", "reports/new.txt": b"only in the new build"}
    assert steps == ["journal written", "figures renamed aside", "figures replaced", "reports renamed aside",
                     "reports replaced", "figures old copy removed", "reports old copy removed", "journal removed"]
    for i, step in enumerate([None] + steps):  # None: killed while building, before the swap began
        root = tmp_path / f"kill{i}"
        root.mkdir()
        out, fig = _folders(root, "old")
        if step is None:  # the builds are the child's (named by its pid): killed before the swap
            assert _in_child(None, lambda: (_staged(root, "new"), os._exit(KILLED))) == KILLED
        else:
            assert _in_child(step, lambda: swap.swap_all(_staged(root, "new"), out)) == KILLED, step
        said = swap.recover_swaps(out, fig)
        state = tree_bytes(root)
        assert state == (before if step is None else after), f"killed at {step!r}: {sorted(state)}"
        assert sorted(p.name for p in root.iterdir()) == ["figures", "reports"], step
        assert bool(said) == (step != "journal removed"), step  # recovery says what it did (nothing left after the end)


def test_a_folder_renamed_aside_without_a_journal_is_put_back(tmp_path):
    out, fig = _folders(tmp_path, "old")
    dead = os.fork()
    if dead == 0:  # pragma: no cover
        os._exit(0)
    os.waitpid(dead, 0)
    os.rename(fig, tmp_path / f".figures-old-{dead}")  # the state the issue found: figures/ renamed aside
    assert swap.recover_swaps(out, fig) == ["put back figures that an interrupted report had renamed aside"]
    assert (fig / "index.html").read_text(encoding="utf-8") == "old figures"


def test_build_report_recovers_before_it_starts(tmp_path, monkeypatch):
    from dxanalysis.present import notebook, report

    out, fig = _folders(tmp_path, "old")
    pairs = _staged(tmp_path, "new")
    assert _in_child("figures replaced", lambda: swap.swap_all(pairs, out)) == KILLED

    def stop(*a, **k):
        raise RuntimeError("stopped after recovery")

    monkeypatch.setattr(notebook, "start", stop)
    lines = []
    with pytest.raises(RuntimeError, match="stopped after recovery"):
        report.build_report(out_dir=out, figures_dir=fig, progress=lines.append)
    assert lines == ["completed the replacement of figures and reports that an interrupted report left"]
    assert (out / "index.html").read_text(encoding="utf-8") == "new reports"
    assert (fig / "index.html").read_text(encoding="utf-8") == "new figures"
