"""Releases of the DX dashboard: find the two municipal tables of a release as an analyst downloads it (the data
zip, or a folder) and verify them exactly as the bundled release is verified (issue 23, first step of
``dxanalysis national add``).

Verification = :func:`~dxanalysis.national.dashboard.load_national` on the candidate tables: municipalities
checked by position against the code list (a merger or split changes the count and is refused, never shifted),
row labels against the catalogue (a renamed row is loaded with its new label and is then not comparable),
placeholders, rates against their numerators and denominators. A table may come as CSV (UTF-8 or CP932) or XLSX
(read as displayed, :mod:`~dxanalysis.national.dashboard_files`); zip member names written in CP932 without the
zip's UTF-8 flag (as Japanese Windows tools write them) are decoded as such. Where a table comes in both forms (the
publisher's zip carries both), each form is verified and both must show the same cell texts (a workbook percentage
may be the unrounded value the CSV shows rounded: 76.49 % against 76 %); both are stored, the CSV is read.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from .. import config
from ..errors import ExtractError, Problem
from .common import PERCENT, _col, _raise
from .dashboard import BUNDLED_RELEASE, DASHBOARD_TABLES, load_national, release_folder  # noqa: F401 (re-exported)
from .dashboard_files import TABLE_SUFFIXES, excel_column

PUBLISHER_TABLE_NAMES = {"dx_status": "市区町村毎のDX進捗状況_市区町村比較.csv",
                         "online_usage": "市区町村毎のDX進捗状況_行政手続のオンライン申請率.csv"}
"""The names the publisher's data zip gives them (also accepted, as .csv or .xlsx)."""
RELEASE = re.compile(r"^\d{8}$")
"""A release is named by its date, YYYYMMDD (the dashboard's asset names start with it)."""
UTF8_NAME_FLAG = 0x800
"""Zip general-purpose flag bit 11: the member name is UTF-8; without it a Japanese tool wrote CP932."""


def release_of(path: str | Path, release: str | None = None) -> str:
    """The release date of a download: given, or the ``YYYYMMDD_`` its name starts with (else an ExtractError)."""
    name = Path(path).name
    found = release or (name[:8] if re.match(r"^\d{8}_", name) else None)
    if not found or not RELEASE.fullmatch(found):
        _raise([Problem(name, None, None, found, "national_bad_cell",
                        "the release date is not known: give --release YYYYMMDD (the dashboard's publication date)")])
    return found


def member_name(info: zipfile.ZipInfo) -> str:
    """A zip member's name as written: UTF-8 when flagged, else CP932 if its bytes are CP932 (Python reads
    unflagged names as CP437, which turns 市区町村 into mojibake), else as Python read it."""
    if info.flag_bits & UTF8_NAME_FLAG:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("cp932")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _table_key(name: str) -> str | None:
    base = PurePosixPath(name.replace("\\", "/")).name
    stem, suffix = base.rsplit(".", 1) if "." in base else (base, "")
    if base.startswith("~$") or f".{suffix.lower()}" not in TABLE_SUFFIXES:
        return None
    for key in DASHBOARD_TABLES:
        if f"{stem}.csv" in (DASHBOARD_TABLES[key], PUBLISHER_TABLE_NAMES[key]):
            return key
    return None


def suffix_of(name: str) -> str:
    return "." + name.rsplit(".", 1)[-1].lower()


def read_release_tables(path: str | Path) -> dict[str, list[tuple[str, bytes]]]:
    """key → [(name in the download, bytes)] of the two municipal tables in a zip or a folder: one CSV, one XLSX
    or one of each per table; a missing or doubled table is an ExtractError naming the download."""
    path = Path(path)
    found: dict[str, list[tuple[str, bytes]]] = {k: [] for k in DASHBOARD_TABLES}
    try:
        if path.is_dir():
            for p in sorted(path.rglob("*")):
                if p.is_file() and (key := _table_key(p.name)) is not None:
                    found[key].append((p.relative_to(path).as_posix(), p.read_bytes()))
        else:
            with zipfile.ZipFile(path) as z:
                for info in sorted(z.infolist(), key=member_name):
                    if not info.is_dir() and (key := _table_key(member_name(info))) is not None:
                        found[key].append((member_name(info), z.read(info)))
    except (OSError, zipfile.BadZipFile) as exc:
        _raise([Problem(path.name, None, None, None, "unreadable_file", str(exc)[:200])])
    problems = []
    for k, v in found.items():
        forms = [suffix_of(n) for n, _ in v]
        if not v or len(forms) != len(set(forms)):
            problems.append(Problem(path.name, None, None, len(v), "national_count",
                                    f"expected one {DASHBOARD_TABLES[k]} (or {PUBLISHER_TABLE_NAMES[k]}; or the same as "
                                    f".xlsx), found {len(v)}: {', '.join(n for n, _ in v) or 'none'}"))
    _raise(problems)
    return found


def stored_name(key: str, name: str) -> str:
    """The file a table is stored as in its release folder: the project's name with the download's suffix."""
    return PurePosixPath(DASHBOARD_TABLES[key]).with_suffix(suffix_of(name)).name


def verify_release(tables: dict[str, list[tuple[str, bytes]]], release: str) -> int:
    """Load the candidate tables exactly as a stored release is loaded; Problems name the download's files.
    Each form given (CSV, XLSX) is loaded on its own and, where both are given, their cell texts must agree.
    Returns the number of cells read (of one form)."""
    forms = sorted({suffix_of(n) for v in tables.values() for n, _ in v})
    loaded = {}
    for form in forms:  # the CSV form (each table's CSV, else its XLSX), then the XLSX form
        chosen = {k: next((t for t in v if suffix_of(t[0]) == form), v[0]) for k, v in tables.items()}
        if any(all(chosen[k][0] == c.attrs["renamed"].get(f, "") for k, f in zip(chosen, c["file"].unique()))
               for c in loaded.values()):
            continue  # one table as CSV, the other as XLSX: a single form
        loaded[form] = _load_candidate(chosen, release)
    if len(loaded) == 2:
        _raise(_disagreements(*loaded.values()))
    return len(next(iter(loaded.values())))


def _load_candidate(tables: dict[str, tuple[str, bytes]], release: str):
    with tempfile.TemporaryDirectory(prefix="dxanalysis-release-") as tmp:
        raw = Path(tmp)
        for key in ("localgov", "prefectures"):
            target = raw / config.NATIONAL_RAW_FILES[key]
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(config.NATIONAL_RAW_DIR / config.NATIONAL_RAW_FILES[key], target)
        folder = raw / release_folder(release)
        folder.mkdir()
        renamed = {}
        for key, (name, data) in tables.items():
            (folder / stored_name(key, name)).write_bytes(data)
            renamed[f"{release_folder(release)}/{stored_name(key, name)}"] = name
        try:
            loaded = load_national(raw_dir=raw, release=release)
            loaded.attrs["renamed"] = renamed
            return loaded
        except ExtractError as exc:
            raise ExtractError([_renamed(p, renamed) for p in exc.problems]) from None


def _renamed(p: Problem, renamed: dict[str, str]) -> Problem:
    for stored, name in renamed.items():
        if p.file == stored or p.file.startswith(stored + ", sheet "):
            return Problem(name + p.file[len(stored):], p.row, p.column, p.value, p.code, p.detail)
    return p


def rounds_to(exact: str, shown: str) -> bool:
    """True when the workbook's percentage ``exact`` is the CSV's ``shown`` at the CSV's decimals (the workbook may
    keep the unrounded fraction that its number format displays rounded).

    >>> rounds_to("76.49%", "76%"), rounds_to("75.5%", "76%"), rounds_to("76.51%", "76%"), rounds_to("4.25%", "4.2%")
    (True, True, False, True)
    >>> rounds_to("実施", "未実施"), rounds_to("76%", "")
    (False, False)
    """
    if not (PERCENT.fullmatch(exact) and PERCENT.fullmatch(shown)):
        return False
    decimals = len(shown[:-1].partition(".")[2])
    return abs(float(exact[:-1]) - float(shown[:-1])) <= 0.5 * 10 ** -decimals + 1e-9


def _disagreements(csv_form, xlsx_form, limit: int = 20) -> list[Problem]:
    """Cells whose text (or row label) differs between the CSV and the XLSX of the same table, named in the XLSX
    by file, sheet, row and column (at most ``limit``)."""
    differ = (csv_form["raw"].to_numpy() != xlsx_form["raw"].to_numpy()) | (
        csv_form["row_label"].to_numpy() != xlsx_form["row_label"].to_numpy())
    for i in differ.nonzero()[0]:
        differ[i] = not rounds_to(xlsx_form["raw"].iat[i], csv_form["raw"].iat[i]) or (
            csv_form["row_label"].iat[i] != xlsx_form["row_label"].iat[i])
    read_as = {f.split(", sheet ", 1)[0]: f for f in xlsx_form.attrs["load_report"].files}  # file → file, sheet …
    problems = []
    for i in differ.nonzero()[0][:limit]:
        rec, other = xlsx_form.iloc[i], csv_form.iloc[i]
        csv_name = csv_form.attrs["renamed"][other["file"]]
        col = int(rec["column"])
        found = Problem(read_as[rec["file"]], int(rec["row"]), f"{excel_column(col)} / {_col(col, rec['municipality_ja'])}",
                        rec["raw"], "national_inconsistent",
                        f"the CSV {csv_name} has {other['raw']!r} (label {other['row_label']!r}) there")
        problems.append(_renamed(found, xlsx_form.attrs["renamed"]))
    return problems
