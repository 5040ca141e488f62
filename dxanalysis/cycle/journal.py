"""Several files of ``data/`` replaced as one change that a kill at any instant cannot split.

Like SQLite's rollback journal, in this order:

1. ``data/.update-journal.json`` is written (old and new contents of every file, then a commit marker:
   the SHA-256 of what precedes it), fsync'd and renamed into place — the change is now decided;
2. every file is written to a temporary file beside it, fsync'd and renamed over the old one;
3. the journal is removed.

The next command (:func:`recover`, run by ``add``, ``remove``, ``validate``, ``report`` and ``export``)
completes a committed journal (writes every new content again) and discards one without its marker
(no file had been touched yet), and removes stray temporary files: ``data/`` is wholly before or
wholly after. A failure inside this process (disk full) rolls every file back at once.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import tempfile
from pathlib import Path

from .. import config
from .lock import UpdateError, holding_lock, is_stale, lock_holder

JOURNAL_NAME = config.JOURNAL_NAME
"""The journal of the update in progress, inside ``data/``."""
TEMP_SUFFIX = ".tmp"
"""Temporary files of an update end in this and start with a dot: stray ones are removed by :func:`recover`."""
MARKER = "\ncommit "
"""What separates the journal's payload from its commit marker (the payload's SHA-256)."""


def _step(name: str) -> None:
    """A numbered point of the transaction: tests replace this to kill the process exactly there."""


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_durably(path: Path, data: bytes, step: str) -> None:
    """Write ``path`` through a temporary file beside it (fsync'd, then renamed over it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data[:len(data) // 2])
            _step(f"{step}: half written")
            f.write(data[len(data) // 2:])
            f.flush()
            os.fsync(f.fileno())
        _step(f"{step}: written")
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _encode(data: bytes | None) -> str | None:
    return None if data is None else base64.b64encode(data).decode("ascii")


def _decode(text: str | None) -> bytes | None:
    return None if text is None else base64.b64decode(text)


def journal_bytes(data_dir: Path, files: dict[Path, bytes | None]) -> bytes:
    """The journal of replacing ``files`` (``None``: delete): old and new contents, then the commit marker."""
    entries = [{"path": Path(p).resolve().relative_to(Path(data_dir).resolve()).as_posix(),
                "old": _encode(p.read_bytes() if p.exists() else None), "new": _encode(data)}
               for p, data in files.items()]
    payload = json.dumps({"files": entries}, ensure_ascii=True).encode("ascii")
    return payload + MARKER.encode() + hashlib.sha256(payload).hexdigest().encode()


def read_journal(path: Path) -> list[dict] | None:
    """The entries of a committed journal, or ``None`` when its commit marker is missing or wrong."""
    data = path.read_bytes()
    payload, sep, digest = data.rpartition(MARKER.encode())
    if not sep or hashlib.sha256(payload).hexdigest().encode() != digest.strip():
        return None
    return json.loads(payload)["files"]


def _remove_empty_folders(folder: Path, data_dir: Path) -> None:
    """Remove ``folder`` and its parents below ``data_dir`` while they are empty: a change that deletes the last
    file of a folder (the last ledger entry, a source's files) leaves ``data/`` as it was before that folder existed."""
    while folder != data_dir and data_dir in folder.parents and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _apply(data_dir: Path, entries: list[dict], which: str) -> None:
    for i, e in enumerate(entries, start=1):
        path = Path(data_dir) / e["path"]
        data = _decode(e[which])
        if data is None:
            path.unlink(missing_ok=True)
            _remove_empty_folders(path.parent, Path(data_dir))
            _step(f"file {i} deleted")
        elif not path.exists() or path.read_bytes() != data:
            _write_durably(path, data, f"file {i}")
            _step(f"file {i} replaced")


def commit_files(data_dir: Path, files: dict[Path, bytes | None]) -> None:
    """Replace ``files`` (``None``: delete) as one change; the caller holds the update lock."""
    data_dir = Path(data_dir)
    journal = data_dir / JOURNAL_NAME
    _step("begin")
    try:
        _write_durably(journal, journal_bytes(data_dir, files), "journal")
    except OSError as exc:
        raise UpdateError(f"data/ cannot be written ({exc.strerror or exc}); nothing was changed / "
                          f"data/ に書き込めません。何も変更していません") from None
    _step("journal committed")
    entries = read_journal(journal)
    try:
        _apply(data_dir, entries, "new")
    except Exception:
        _apply(data_dir, entries, "old")
        journal.unlink(missing_ok=True)
        raise
    journal.unlink()
    _fsync_dir(data_dir)
    _step("journal removed")


def stray_temp_files(data_dir: Path) -> list[Path]:
    """Temporary files an interrupted update left under ``data_dir`` (``.name.XXXX.tmp``)."""
    return sorted(p for p in Path(data_dir).rglob(f".*{TEMP_SUFFIX}") if p.is_file() and "raw" not in p.parts)


def needs_recovery(data_dir: Path) -> bool:
    """Whether an interrupted update left a journal, temporary files or its lock (cheap: no lock taken)."""
    holder = lock_holder(data_dir)
    return ((Path(data_dir) / JOURNAL_NAME).exists() or bool(stray_temp_files(data_dir))
            or (holder is not None and is_stale(holder)))


def recover_locked(data_dir: Path) -> str | None:
    """Complete or discard an interrupted update and remove stray temporary files; the caller holds the lock.

    Returns what was done (for the command to print), or ``None`` when there was nothing to do."""
    data_dir = Path(data_dir)
    journal = data_dir / JOURNAL_NAME
    said = []
    if journal.exists():
        entries = read_journal(journal)
        if entries is None:
            said.append("discarded the journal of an update interrupted before it was decided (data/ is as before it)")
        else:
            _apply(data_dir, entries, "new")
            said.append(f"completed an interrupted update of {len(entries)} file(s) "
                        f"({', '.join(e['path'] for e in entries)})")
        journal.unlink()
        _fsync_dir(data_dir)
    strays = stray_temp_files(data_dir)
    for p in strays:
        p.unlink(missing_ok=True)
    if strays:
        said.append(f"removed {len(strays)} temporary file(s) an interrupted update left")
    return "; ".join(said) or None


def recover(data_dir: Path, command: str) -> str | None:
    """:func:`recover_locked` under the update lock, taken only when there is something to recover."""
    if not needs_recovery(data_dir):
        return None
    with holding_lock(data_dir, f"{command} (recovery)"):
        return recover_locked(data_dir)


@contextlib.contextmanager
def transaction(command: str):
    """``with transaction("add"):`` — the update lock held, an interrupted earlier update completed first."""

    with holding_lock(config.DATA_DIR, command):
        recover_locked(config.DATA_DIR)
        yield
