"""One update of ``data/`` at a time: a lock file naming who holds it, stale locks of dead processes cleared.

The lock is ``data/.update.lock`` (JSON: pid, host, time, command). It is put in place with one
``os.link`` of a fully written temporary file, so it never exists half-written. A second update waits
up to :data:`LOCK_WAIT_SECONDS` and is then refused with :class:`UpdateError` naming the holder; a lock
left by a process of this host that no longer runs is stale and is cleared.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import tempfile
import time
from pathlib import Path

log = logging.getLogger(__name__)

LOCK_NAME = ".update.lock"
"""The lock file inside ``data/``."""
LOCK_WAIT_SECONDS = 10.0
"""How long a second update waits for the first before it is refused."""
LOCK_POLL_SECONDS = 0.2
"""How often a waiting update looks at the lock again."""


class UpdateError(Exception):
    """An update of ``data/`` that cannot start or be written (locked, read-only folder): nothing was changed."""


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` runs on this host (a process of another user counts as running)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def lock_holder(data_dir: Path) -> dict | None:
    """What the lock file says (pid, host, time, command), or ``None`` when there is no lock."""
    try:
        return json.loads((Path(data_dir) / LOCK_NAME).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return {}


def describe_holder(holder: dict) -> str:
    """The holder of a lock in words: command, pid, host and since when."""
    return (f"'{holder.get('command', '?')}' (pid {holder.get('pid', '?')} on {holder.get('host', '?')}, "
            f"since {holder.get('time', '?')})")


def is_stale(holder: dict) -> bool:
    """A lock of a process of this host that no longer runs."""
    return (holder.get("host") == socket.gethostname() and isinstance(holder.get("pid"), int)
            and not pid_alive(holder["pid"]))


def _try_lock(lock: Path, record: dict) -> bool:
    """Create the lock atomically with ``record``; False if another update holds it."""
    fd, name = tempfile.mkstemp(prefix=".update-lock-", suffix=".tmp", dir=lock.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(record, f)
            f.flush()
            os.fsync(f.fileno())
        os.link(name, lock)
        return True
    except (FileExistsError, FileNotFoundError):  # held, or our temporary file was cleared by a recovery: look again
        return False
    finally:
        Path(name).unlink(missing_ok=True)


def _clear_stale(lock: Path, holder: dict) -> None:
    """Take away a dead process's lock (renamed first, so two waiters cannot both clear a fresh lock)."""
    aside = lock.with_name(f"{LOCK_NAME}.stale-{os.getpid()}")
    try:
        os.rename(lock, aside)
    except FileNotFoundError:
        return
    try:
        if json.loads(aside.read_text(encoding="utf-8")) != holder:  # a fresh lock came in between: put it back
            os.link(aside, lock)
    except (OSError, ValueError):
        pass
    aside.unlink(missing_ok=True)


def acquire(data_dir: Path, command: str, *, wait: float = LOCK_WAIT_SECONDS) -> Path:
    """Take the update lock of ``data_dir`` (waiting up to ``wait`` seconds), or raise :class:`UpdateError`."""
    lock = Path(data_dir) / LOCK_NAME
    record = {"pid": os.getpid(), "host": socket.gethostname(),
              "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "command": command}
    deadline = time.monotonic() + wait
    told = False
    while True:
        try:
            if _try_lock(lock, record):
                return lock
        except OSError as exc:
            raise UpdateError(f"{data_dir} cannot be written ({exc.strerror or exc}); nothing was changed / "
                              f"data/ に書き込めません（{exc.strerror or exc}）。何も変更していません") from None
        holder = lock_holder(data_dir)
        if holder is None:
            continue
        if is_stale(holder):
            _clear_stale(lock, holder)
            continue
        if time.monotonic() >= deadline:
            raise UpdateError(f"another update of data/ is running: {describe_holder(holder)}; try again when it "
                              f"has finished (if no such process runs, delete {lock}) / 別の更新が実行中です")
        if not told:
            log.warning("waiting up to %.0f s for another update of data/: %s", wait, describe_holder(holder))
            told = True
        time.sleep(LOCK_POLL_SECONDS)


def release(lock: Path) -> None:
    """Give the lock back (only if it is still this process's)."""
    holder = lock_holder(lock.parent)
    if holder and holder.get("pid") == os.getpid() and holder.get("host") == socket.gethostname():
        lock.unlink(missing_ok=True)


@contextlib.contextmanager
def holding_lock(data_dir: Path, command: str, *, wait: float = LOCK_WAIT_SECONDS):
    """``with holding_lock(data_dir, "add"):`` — the block runs while no other update can."""
    lock = acquire(data_dir, command, wait=wait)
    try:
        yield lock
    finally:
        release(lock)
