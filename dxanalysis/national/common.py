"""What the national readers share: raw-file paths and signatures (for caching), the load report, placeholders."""

from __future__ import annotations

import copy
import csv
import functools
import hashlib
import logging
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import config
from ..errors import ExtractError, Problem

log = logging.getLogger(__name__)

DASHBOARD = "digital_agency_dx_dashboard_20240712"
LOCALGOV = "localgovjp"
SSDSE = "ssdse_a_2025"
CARDS = "mynumber_card_issuance"
HA_PER_KM2 = 100
"""SSDSE-A gives 総面積 in hectares (札幌市 112,126 ha = 1,121.26 km²)."""
MUNICIPALITY_TYPES = ("政令指定都市", "特別区", "市", "町", "村")
TOKYO = "東京都"


@dataclass(eq=False)  # compared by identity: pandas compares attrs when frames are combined
class NationalLoadReport:
    """What a national load read: every cell read is a value or missing for a stated reason."""

    files: list[str] = field(default_factory=list)
    cells_read: int = 0
    values_loaded: int = 0
    missing: dict[str, int] = field(default_factory=dict)
    codes_resolved: int = 0
    """card-issuance rows whose <NA> code was resolved by name and prefecture"""

    @property
    def balanced(self) -> bool:
        return self.cells_read == self.values_loaded + sum(self.missing.values())

    def __str__(self) -> str:
        miss = ", ".join(f"{k} {v:,}" for k, v in self.missing.items()) or "none"
        return (f"{len(self.files)} file(s): {self.cells_read:,} cells read = {self.values_loaded:,} values + "
                f"missing ({miss}); {self.codes_resolved} code(s) resolved by name")


# ---------------------------------------------------------------- paths and reading

def _raw_dir(raw_dir: str | Path | None) -> Path:
    return Path(raw_dir) if raw_dir is not None else config.NATIONAL_RAW_DIR


def _path(raw_dir: Path, key: str) -> Path:
    return raw_dir / config.NATIONAL_RAW_FILES[key]


def _signature(raw_dir: Path, keys: tuple[str, ...]) -> tuple:
    """Identity of the inputs for the cache: path, size and modification time of each file."""
    out, missing = [], []
    for k in keys:
        p = _path(raw_dir, k)
        try:
            st = p.stat()
        except OSError as exc:
            missing.append(Problem(config.NATIONAL_RAW_FILES[k], None, None, None, "unreadable_file", str(exc)[:200]))
            continue
        out.append((str(p.resolve()), st.st_size, st.st_mtime_ns))
    _raise(missing)
    if raw_dir.resolve() == config.NATIONAL_RAW_DIR.resolve():  # the bundled copies: their bytes are pinned
        manifest = Path(config.NATIONAL_MANIFEST_CSV)
        st = manifest.stat()
        _raise(_bundled_problems(tuple(out), tuple(config.NATIONAL_RAW_FILES[k] for k in keys),
                                 str(manifest.resolve()), (st.st_size, st.st_mtime_ns)))
    return tuple(out)


@functools.lru_cache(maxsize=16)
def _bundled_problems(signature: tuple, files: tuple[str, ...], manifest: str, manifest_signature: tuple
                      ) -> list[Problem]:
    """Hash the bundled files once per signature (path, size, mtime): problems where bytes differ from manifest.csv."""
    rd = config.NATIONAL_RAW_DIR
    records = pd.read_csv(manifest, dtype=str, keep_default_na=False, encoding="utf-8")
    return manifest_problems(rd, records[records["file"].isin(files)].itertuples(index=False))


def manifest_problems(raw_dir: Path, records) -> list[Problem]:
    """Problems where a raw file (or zip member) listed in the manifest is absent or differs from its SHA-256."""
    problems: list[Problem] = []
    archives: dict[str, zipfile.ZipFile] = {}
    try:
        for rec in records:
            try:
                if rec.member:
                    if rec.file not in archives:
                        archives[rec.file] = zipfile.ZipFile(raw_dir / rec.file)
                    if rec.member not in archives[rec.file].NameToInfo:
                        problems.append(Problem(rec.file, None, rec.member, None, "national_missing_member",
                                                "listed in data/national/manifest.csv, absent from the zip"))
                        continue
                    data = archives[rec.file].read(rec.member)
                else:
                    data = (raw_dir / rec.file).read_bytes()
            except (OSError, KeyError, zipfile.BadZipFile) as exc:
                problems.append(Problem(rec.file, None, rec.member or None, None, "national_hash_mismatch", str(exc)[:200]))
                continue
            digest = hashlib.sha256(data).hexdigest()
            if digest != rec.sha256:
                problems.append(Problem(rec.file, None, rec.member or None, digest, "national_hash_mismatch",
                                        f"expected {rec.sha256}"))
    finally:
        for z in archives.values():
            z.close()
    return problems


def _csv_rows(path: Path, encoding: str = "utf-8-sig") -> list[list[str]]:
    """All rows of a CSV as text; an undecodable or malformed file is an ExtractError naming it."""
    try:
        with open(path, encoding=encoding, newline="") as fh:
            return list(csv.reader(fh))
    except (UnicodeDecodeError, csv.Error) as exc:
        raise ExtractError([Problem(_relative(path), None, None, None, "unreadable_file",
                                    f"not {encoding} CSV: {str(exc)[:160]}")]) from None


def _relative(path: Path) -> str:
    """A raw file as Problems name it: its path under the raw folder (e.g. ssdse/SSDSE-A-2025.csv)."""
    return "/".join(path.parts[-2:])


def _read_frame(path: Path, **kwargs) -> pd.DataFrame:
    """``pd.read_csv`` whose decoding or parsing failure is an ExtractError naming the file."""
    try:
        return pd.read_csv(path, **kwargs)
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        raise ExtractError([Problem(_relative(path), None, None, None, "unreadable_file", str(exc)[:200])]) from None


def _copy(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    out.attrs = copy.deepcopy(df.attrs)
    return out


def _raise(problems: list[Problem]) -> None:
    if problems:
        raise ExtractError(problems)


def _col(position: int, name: str) -> str:
    """A column as a Problem names it: 1-based position in the file and its header."""
    return f"{position} ({name})" if name else str(position)

PERCENT = re.compile(r"^\d+(?:\.\d+)?%$")
COUNT = re.compile(r"^\d+$")
