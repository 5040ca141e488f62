"""``dxanalysis national add PATH`` / ``national remove RELEASE``: store a new release of the DX dashboard byte for
byte with its source record and manifest hashes, after verifying it as the bundled release is verified; and undo it.

Both write through :func:`~dxanalysis.cycle.journal.commit_files` under the update lock (all files or none). ``remove`` writes the
untouched lines of sources.csv and manifest.csv back as they were, so add + remove leaves ``data/`` byte for byte
as before. A table given both as CSV and XLSX (as the publisher's zip carries it) is stored in both forms.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from .. import config
from ..errors import Problem
from ..national.common import _raise
from ..national.dashboard import DASHBOARD_SOURCE_PREFIX
from ..national.releases import (
    BUNDLED_RELEASE,
    DASHBOARD_TABLES,
    RELEASE,
    read_release_tables,
    release_folder,
    release_of,
    stored_name,
    verify_release,
)
from .files import read_csv_text
from .journal import commit_files, recover_locked
from .lock import holding_lock


@dataclass
class ReleaseChange:
    """What ``national add`` / ``remove`` writes: the files (bytes, or None to delete) and a summary."""

    release: str
    files: dict[Path, bytes | None]
    summary: str

    def __str__(self) -> str:
        return self.summary


def _source_record(release: str, tables: dict[str, list[tuple[str, bytes]]], path: Path, url: str) -> dict[str, str]:
    bundled = _rows_of(config.NATIONAL_SOURCES_CSV, DASHBOARD_SOURCE_PREFIX + BUNDLED_RELEASE)[0][1]
    y, m, d = int(release[:4]), int(release[4:6]), int(release[6:])
    given = [(k, name, data) for k in DASHBOARD_TABLES for name, data in tables[k]]
    files = [f"{release_folder(release)}/{stored_name(k, name)}" for k, name, _ in given]
    return dict(bundled, source_id=DASHBOARD_SOURCE_PREFIX + release, release_date=f"{release[:4]}-{release[4:6]}-{release[6:]}",
                reference_period="not established (read the release's notes; periods differ by row)",
                url=url or "not established", repository="not applicable (downloaded from the publisher)",
                commit="not applicable", path="|".join(name for _, name, _ in given),
                attribution=f"デジタル庁『自治体DXの取組に関するダッシュボード』（{y}年{m}月{d}日公開）を加工して作成",
                sha256="|".join(hashlib.sha256(data).hexdigest() for _, _, data in given),
                file="|".join(files), note=f"Added by `dxanalysis national add` from {path.name}; verified as the "
                                           f"bundled release is (code list by position, row labels, placeholders).")


def _csv_records(path: Path) -> tuple[list[str], str, list[tuple[int, dict, str]]]:
    """Header, its raw text and (row, record as a dict, raw text) of a data/national CSV."""
    text = read_csv_text(path)
    return text.header, text.head, [(row, dict(zip(text.header, cells)), raw) for row, cells, raw in text.records]


def _rows_of(path: Path, source_id: str) -> list[tuple[int, dict, str]]:
    return [r for r in _csv_records(path)[2] if r[1].get("source_id") == source_id]


def _append(path: Path, records: list[dict[str, str]]) -> bytes:
    text = path.read_bytes().decode("utf-8")
    header = next(csv.reader([text.splitlines()[0]]))
    buf = io.StringIO()
    csv.DictWriter(buf, fieldnames=header, lineterminator="\n").writerows(records)
    return (text if text.endswith("\n") else text + "\n").encode("utf-8") + buf.getvalue().encode("utf-8")


def plan_add_release(path: str | Path, *, release: str | None = None, url: str = "") -> ReleaseChange:
    """Verify a downloaded release (zip or folder) and plan its files; an ExtractError names what is wrong."""
    path = Path(path)
    release = release_of(path, release)
    source_id = DASHBOARD_SOURCE_PREFIX + release
    if _rows_of(config.NATIONAL_SOURCES_CSV, source_id) or (config.NATIONAL_RAW_DIR / release_folder(release)).exists():
        _raise([Problem(path.name, None, None, release, "national_duplicate_code",
                        f"release {release} is already in data/national (remove it first)")])
    tables = read_release_tables(path)
    cells = verify_release(tables, release)
    files: dict[Path, bytes | None] = {}
    manifest = []
    for key, name, data in ((k, n, d) for k in DASHBOARD_TABLES for n, d in tables[k]):
        rel = f"{release_folder(release)}/{stored_name(key, name)}"
        files[config.NATIONAL_RAW_DIR / rel] = data
        manifest.append({"source_id": source_id, "file": rel, "member": "", "original_path": name,
                         "bytes": str(len(data)), "sha256": hashlib.sha256(data).hexdigest()})
    files[config.NATIONAL_SOURCES_CSV] = _append(config.NATIONAL_SOURCES_CSV, [_source_record(release, tables, path, url)])
    files[config.NATIONAL_MANIFEST_CSV] = _append(config.NATIONAL_MANIFEST_CSV, manifest)
    forms = "/".join(sorted({Path(n).suffix.lower().lstrip(".").upper() for v in tables.values() for n, _ in v}))
    return ReleaseChange(release, files, f"release {release}: 2 tables verified ({forms}; {cells:,} cells), stored as "
                                         f"data/national/raw/{release_folder(release)}/ with source {source_id}")


def plan_remove_release(release: str) -> ReleaseChange:
    """Plan taking a release out again: its raw folder, source record and manifest rows."""
    if not RELEASE.fullmatch(release) or release == BUNDLED_RELEASE:
        _raise([Problem("data/national/sources.csv", None, "source_id", release, "national_bad_cell",
                        f"not a removable release (YYYYMMDD; {BUNDLED_RELEASE} is the one the loader reads)")])
    source_id = DASHBOARD_SOURCE_PREFIX + release
    if not _rows_of(config.NATIONAL_SOURCES_CSV, source_id):
        _raise([Problem("data/national/sources.csv", None, "source_id", source_id, "national_bad_cell",
                        "no such release in data/national")])
    files: dict[Path, bytes | None] = {}
    for path in (config.NATIONAL_SOURCES_CSV, config.NATIONAL_MANIFEST_CSV):
        _, head, records = _csv_records(path)
        files[path] = (head + "".join(raw for _, rec, raw in records if rec.get("source_id") != source_id)).encode("utf-8")
    folder = config.NATIONAL_RAW_DIR / release_folder(release)
    for p in sorted(folder.glob("*")) if folder.is_dir() else []:
        files[p] = None
    return ReleaseChange(release, files, f"release {release}: remove data/national/raw/{release_folder(release)}/ "
                                         f"({len(files) - 2} file(s)), its source record and manifest rows")


def apply_release_change(change: ReleaseChange) -> None:
    """Write the planned files as one change (all or none); an emptied release folder goes with its last file."""
    data_dir = config.NATIONAL_DIR.parent  # data/: the update lock and journal of every change to it
    with holding_lock(data_dir, "national"):
        recover_locked(data_dir)
        commit_files(data_dir, change.files)
