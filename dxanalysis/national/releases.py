"""Releases of the DX dashboard: find the two municipal tables of a release as an analyst downloads it (the data
zip, or a folder) and verify them exactly as the bundled release is verified (issue 23, first step of
``dxanalysis national add``).

Verification = :func:`~dxanalysis.national.dashboard.load_national` on the candidate tables: municipalities
checked by position against the code list (a merger or split changes the count and is refused, never shifted),
row labels against the catalogue, placeholders, rates against their numerators and denominators. Only the CSV
tables are read (the XLSX copies the publisher's zip also carries are not).
"""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from pathlib import Path

from .. import config
from ..errors import ExtractError, Problem
from .common import _raise
from .dashboard import BUNDLED_RELEASE, DASHBOARD_TABLES, load_national, release_folder  # noqa: F401 (re-exported)

PUBLISHER_TABLE_NAMES = {"dx_status": "市区町村毎のDX進捗状況_市区町村比較.csv",
                         "online_usage": "市区町村毎のDX進捗状況_行政手続のオンライン申請率.csv"}
"""The names the publisher's data zip gives them (also accepted)."""
RELEASE = re.compile(r"^\d{8}$")
"""A release is named by its date, YYYYMMDD (the dashboard's asset names start with it)."""


def release_of(path: str | Path, release: str | None = None) -> str:
    """The release date of a download: given, or the ``YYYYMMDD_`` its name starts with (else an ExtractError)."""
    name = Path(path).name
    found = release or (name[:8] if re.match(r"^\d{8}_", name) else None)
    if not found or not RELEASE.fullmatch(found):
        _raise([Problem(name, None, None, found, "national_bad_cell",
                        "the release date is not known: give --release YYYYMMDD (the dashboard's publication date)")])
    return found


def _table_key(name: str) -> str | None:
    base = name.rsplit("/", 1)[-1]
    for key in DASHBOARD_TABLES:
        if base in (DASHBOARD_TABLES[key], PUBLISHER_TABLE_NAMES[key]):
            return key
    return None


def read_release_tables(path: str | Path) -> dict[str, tuple[str, bytes]]:
    """key → (name in the download, bytes) of the two municipal tables in a zip or a folder; a missing or
    doubled table is an ExtractError naming the download."""
    path = Path(path)
    found: dict[str, list[tuple[str, bytes]]] = {k: [] for k in DASHBOARD_TABLES}
    try:
        if path.is_dir():
            for p in sorted(path.rglob("*.csv")):
                if (key := _table_key(p.name)) is not None:
                    found[key].append((p.relative_to(path).as_posix(), p.read_bytes()))
        else:
            with zipfile.ZipFile(path) as z:
                for n in sorted(z.namelist()):
                    if (key := _table_key(n)) is not None:
                        found[key].append((n, z.read(n)))
    except (OSError, zipfile.BadZipFile) as exc:
        _raise([Problem(path.name, None, None, None, "unreadable_file", str(exc)[:200])])
    problems = [Problem(path.name, None, None, len(v), "national_count",
                        f"expected one {DASHBOARD_TABLES[k]} (or {PUBLISHER_TABLE_NAMES[k]}), found {len(v)}")
                for k, v in found.items() if len(v) != 1]
    _raise(problems)
    return {k: v[0] for k, v in found.items()}


def verify_release(tables: dict[str, tuple[str, bytes]]) -> int:
    """Load the candidate tables exactly as the bundled release is loaded; Problems name the candidate's files.
    Returns the number of cells read."""
    with tempfile.TemporaryDirectory(prefix="dxanalysis-release-") as tmp:
        raw = Path(tmp)
        for key in ("localgov", "prefectures"):
            target = raw / config.NATIONAL_RAW_FILES[key]
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(config.NATIONAL_RAW_DIR / config.NATIONAL_RAW_FILES[key], target)
        for key, (_, data) in tables.items():
            target = raw / config.NATIONAL_RAW_FILES[key]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        try:
            return len(load_national(raw_dir=raw))
        except ExtractError as exc:
            renamed = {config.NATIONAL_RAW_FILES[k]: name for k, (name, _) in tables.items()}
            raise ExtractError([Problem(renamed.get(p.file, p.file), p.row, p.column, p.value, p.code, p.detail)
                                for p in exc.problems]) from None
