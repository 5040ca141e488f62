"""Put freshly built folders (figures/, reports/) in place of the old ones as one change a kill cannot split.

The build writes into ``.<name>-build-<pid>-XXXX`` beside each target. When every folder is complete, a
journal (``.<reports>-swap.json``, written to a temporary file and renamed) lists the pairs; then each
target is renamed to ``.<name>-old-<pid>`` and its build renamed into place, the old folders removed and
the journal deleted. :func:`recover_swaps`, run at the start of every build, completes a journaled swap
(the new folders are complete) and otherwise removes the leftovers of dead builds, putting back an old
folder whose target is missing — so after the next ``report`` there is the previous or the new state.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from pathlib import Path

from ..cycle.lock import pid_alive


def _step(name: str) -> None:
    """A numbered point of the swap: tests replace this to kill the process exactly there."""


def journal_path(out_dir: Path) -> Path:
    return Path(out_dir).with_name(f".{Path(out_dir).name}-swap.json")


def build_dir(target: Path) -> Path:
    """A new, empty build folder beside ``target`` (its name carries this process's id)."""
    target = Path(target)
    return Path(tempfile.mkdtemp(prefix=f".{target.name}-build-{os.getpid()}-", dir=target.parent))


def _old_dir(target: Path, pid: int) -> Path:
    return target.with_name(f".{target.name}-old-{pid}")


def _swap_one(stage: Path, target: Path, old: Path) -> None:
    """Rename ``target`` aside and ``stage`` into its place (each step safe to repeat after a kill)."""
    if stage.exists():
        if target.exists():
            shutil.rmtree(old, ignore_errors=True)
            os.rename(target, old)
            _step(f"{target.name} renamed aside")
        os.rename(stage, target)
        _step(f"{target.name} replaced")


def swap_all(pairs: list[tuple[Path, Path]], out_dir: Path) -> None:
    """Replace each ``target`` by its complete ``stage`` folder; journaled beside ``out_dir``."""
    journal = journal_path(out_dir)
    entries = [{"stage": str(s), "target": str(t), "old": str(_old_dir(Path(t), os.getpid()))} for s, t in pairs]
    tmp = journal.with_name(journal.name + ".tmp")
    tmp.write_text(json.dumps(entries), encoding="utf-8")
    os.replace(tmp, journal)
    _step("journal written")
    _finish(entries)
    journal.unlink()
    _step("journal removed")


def _finish(entries: list[dict]) -> None:
    for e in entries:
        _swap_one(Path(e["stage"]), Path(e["target"]), Path(e["old"]))
    for e in entries:
        shutil.rmtree(e["old"], ignore_errors=True)
        _step(f"{Path(e['target']).name} old copy removed")



def recover_swaps(out_dir: Path, fig_dir: Path) -> list[str]:
    """Complete a journaled swap, then clean what dead builds left beside ``out_dir`` and ``fig_dir``; what was done."""
    said = []
    journal = journal_path(out_dir)
    if journal.exists():
        try:
            entries = json.loads(journal.read_text(encoding="utf-8"))
        except ValueError:
            entries = None
        if entries is not None:
            _finish(entries)
            said.append("completed the replacement of " + " and ".join(Path(e["target"]).name for e in entries)
                        + " that an interrupted report left")
        journal.unlink()
    journal.with_name(journal.name + ".tmp").unlink(missing_ok=True)
    for target in (Path(out_dir), Path(fig_dir)):
        if not target.parent.is_dir():
            continue
        pattern = re.compile(rf"\.{re.escape(target.name)}-(build|old)-(\d+)(-.*)?$")
        for p in sorted(target.parent.iterdir()):
            m = pattern.match(p.name)
            if not m or pid_alive(int(m.group(2))):
                continue
            if m.group(1) == "old" and not target.exists():
                os.rename(p, target)
                said.append(f"put back {target.name} that an interrupted report had renamed aside")
            else:
                shutil.rmtree(p, ignore_errors=True)
                said.append(f"removed {p.name} that an interrupted report left")
    return said
