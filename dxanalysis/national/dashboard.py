"""The Digital Agency's 自治体DXの取組に関するダッシュボード (2024-07-12): every cell as a tidy row.

The dashboard's municipalities are columns in code order and names repeat (伊達市, 府中市,
池田町 ×4 …), so a column is identified by its position and checked against the code list's
name at that position — never matched by name. Every check that fails is collected and raised
as one :class:`~dxanalysis.errors.ExtractError` naming file, row and column.

>>> from dxanalysis.national import load_all_municipalities
>>> munis = load_all_municipalities()
>>> len(munis), munis.set_index("slug").loc["chigasaki", "lg_code"]
(1741, '142077')
>>> nat = load_national()
>>> cell = nat.query("lg_code == '142077' and indicator == 'online_usage_32_25'").iloc[0]
>>> cell["raw"], float(cell["value"]), cell["row_label"], int(cell["row"])
('4.2%', 4.2, '転出届', 26)
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pandas as pd

from .. import config
from ..errors import ExtractError, Problem
from .catalogue import load_national_indicators
from .codes import _code_list
from .dashboard_files import DASHBOARD_ENCODINGS, count_problem, locate, sheet_file, table_path, table_rows  # noqa: F401
from .common import (
    COUNT,
    PERCENT,
    NationalLoadReport,
    _bundled_problems,
    _col,
    _copy,
    _csv_rows,
    _raise,
    _raw_dir,
    _signature,
)

PLACEHOLDERS = {"調査無し": "not_surveyed", "%": "no_procedures", "": "no_value"}
"""Cells that are not values and what they mean (the shared README): NaN with this missing_reason."""
FLAG_VALUES = {"実施": 1.0, "未実施": 0.0}

NATIONAL_COLUMNS = ["lg_code", "municipality_ja", "prefecture", "indicator", "value", "unit", "measure",
                    "reference_period", "period_basis", "missing_reason", "source_id", "raw", "row_label",
                    "row", "column", "file", "release"]
DASHBOARD_TABLES = {"dx_status": "municipal_dx_status.csv", "online_usage": "municipal_online_application_rates.csv"}
"""The two municipal tables of a release (in ``data/national/raw/dx_dashboard_<release>/``)."""
BUNDLED_RELEASE = "20240712"
"""The release the catalogue (data/national/indicators.csv: periods, source, row labels) describes."""
DASHBOARD_SOURCE_PREFIX = "digital_agency_dx_dashboard_"
"""A release's source_id is this prefix and its date (digital_agency_dx_dashboard_20240712)."""


def release_folder(release: str) -> str:
    """``dx_dashboard_<release>``, the folder of a release under data/national/raw."""
    return f"dx_dashboard_{release}"


# ---------------------------------------------------------------- the dashboard

def _dashboard_table(raw_dir: Path, key: str, cat: pd.DataFrame, codes: pd.DataFrame,
                     problems: list[Problem], release: str = BUNDLED_RELEASE
                     ) -> tuple[np.ndarray, pd.DataFrame, str, str | None] | None:
    """The cells (rows × 1,741, in code order) of one dashboard table, after its header and row-label checks,
    its catalogue rows (``label_ja`` as the release writes it), the file's name and its sheet (None for a CSV).

    The bundled release's row labels must be the catalogue's. Another release's rows are the catalogue's by
    position (same count, same group labels, cells readable in the row's unit): a row whose label changed is
    loaded with its new label, which makes it not comparable with the bundled release (never refused for it); a
    label that is another row's in the catalogue means rows moved, which is refused (never read by position)."""
    path = table_path(raw_dir / release_folder(release), DASHBOARD_TABLES[key])
    name = f"{release_folder(release)}/{(path or Path(DASHBOARD_TABLES[key])).name}"
    if path is None:
        problems.append(Problem(name, None, None, None, "unreadable_file", "no such release file"))
        return None
    rows = table_rows(path, name)
    found, got = _check_table(name, rows, cat[cat["file"] == key].sort_values("row"), codes, release)
    problems += locate(found, name, rows.sheet)
    return None if found else got


def _check_table(name: str, rows: list[list[str]], mine: pd.DataFrame, codes: pd.DataFrame, release: str):
    n = config.N_MUNICIPALITIES
    first = 2  # two label columns, then one column per municipality
    head = rows[0] if rows else []
    names = head[first:]
    while names and names[-1] == "":
        names = names[:-1]  # municipal_dx_status.csv ends its header with an empty column
    problems: list[Problem] = []
    if len(names) != n:
        return [count_problem(name, names, codes, first)], None
    expected = codes["name_ja"].to_numpy()
    got = np.asarray(names, dtype=object)
    for j in np.flatnonzero(got != expected):
        problems.append(Problem(name, 1, _col(first + j + 1, got[j]), got[j], "national_name_mismatch",
                                f"the code list has {expected[j]} ({codes['lg_code'].iloc[j]}) at position {j + 1}"))
    body = rows[1:]
    problems += _row_width_problems(name, rows)
    if len(body) != len(mine):
        problems.append(Problem(name, None, None, len(body), "national_count",
                                f"{len(body)} indicator rows, the catalogue has {len(mine)}"))
    labels = []
    catalogue_rows = {rec.label_ja.strip(): (rec.row, rec.indicator) for rec in mine.itertuples(index=False)}
    for rec in mine.itertuples(index=False):
        r = rec.row
        if r - 1 >= len(rows):
            problems.append(Problem(name, r, _col(2, ""), None, "national_header_mismatch",
                                    f"row missing: expected {rec.label_ja!r}"))
            continue
        line = rows[r - 1]
        if len(line) < first + n or any(c != "" for c in line[first + n:]):
            problems.append(Problem(name, r, None, len(line), "national_count",
                                    f"{len(line)} cells, expected {first + n} (+ empty)"))
            continue
        labels.append(line[1])
        moved = catalogue_rows.get(line[1].strip())
        if line[1] != rec.label_ja and (release == BUNDLED_RELEASE or not line[1].strip()):
            problems.append(Problem(name, r, _col(2, ""), line[1], "national_header_mismatch",
                                    f"the catalogue has {rec.label_ja!r} ({rec.indicator}) at row {r}"))
        elif moved is not None and line[1].strip() != rec.label_ja.strip():  # another row's label: rows moved
            problems.append(Problem(name, r, _col(2, ""), line[1], "national_header_mismatch",
                                    f"the label of row {moved[0]} ({moved[1]}) in the catalogue; here the catalogue has "
                                    f"{rec.label_ja!r} ({rec.indicator}): rows moved — refused, never read by position"))
        if line[0] != rec.group_label_ja:
            problems.append(Problem(name, r, _col(1, ""), line[0], "national_header_mismatch",
                                    f"the catalogue has {rec.group_label_ja!r} at row {r}"))
    if problems:
        return problems, None
    cells = np.array([rows[r - 1][first:first + n] for r in mine["row"]], dtype=object)
    return [], (cells, mine.assign(label_ja=labels), name, getattr(rows, "sheet", None))


def _row_width_problems(name: str, rows: list[list[str]]) -> list[Problem]:
    """Every row must have the header row's cell count: one cell short would shift later cells onto other municipalities."""
    width = len(rows[0]) if rows else 0
    return [Problem(name, r, None, len(line), "national_row_width",
                    f"{len(line)} cells, the header row has {width}: later values would shift onto other municipalities")
            for r, line in enumerate(rows[1:], start=2) if len(line) != width]


def _parse_cell(text: str, unit: str) -> tuple[float, str | None]:
    """One cell of a dashboard row with this unit: (value, missing reason); (NaN, None) = not readable.

    >>> _parse_cell("72%", "%"), _parse_cell("実施", "flag"), _parse_cell("%", "%"), _parse_cell("調査無し", "flag")
    ((72.0, None), (1.0, None), (nan, 'no_procedures'), (nan, 'not_surveyed'))
    """
    if text in PLACEHOLDERS and (text != "%" or unit == "%"):  # a bare % means "no procedures" only in a % row
        return np.nan, PLACEHOLDERS[text]
    if unit == "flag" and text in FLAG_VALUES:
        return FLAG_VALUES[text], None
    if unit == "%" and PERCENT.fullmatch(text) and float(text[:-1]) <= 100:
        return float(text[:-1]), None
    if unit == "procedures" and COUNT.fullmatch(text):
        return float(text), None
    return np.nan, None


def _parse_cells(cells: np.ndarray, unit: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Values (float), missing reasons (object, None where a value) and a bad-cell mask, for rows × cells.

    Each distinct (unit, text) is parsed once: 116,647 cells hold about a thousand distinct texts.
    """
    value = np.full(cells.shape, np.nan)
    reason = np.full(cells.shape, None, dtype=object)
    for u in dict.fromkeys(unit):
        rows = unit == u
        codes_, uniq = pd.factorize(cells[rows].ravel())
        parsed = [_parse_cell(t, u) for t in uniq]
        value[rows] = np.array([p[0] for p in parsed], dtype=float)[codes_].reshape(-1, cells.shape[1])
        reason[rows] = np.array([p[1] for p in parsed], dtype=object)[codes_].reshape(-1, cells.shape[1])
    bad = np.isnan(value) & pd.isna(reason)
    return value, reason, bad


def _consistency(name: str, cells: np.ndarray, value: np.ndarray, mine: pd.DataFrame,
                 codes: pd.DataFrame) -> list[Problem]:
    """Supply rates against their own numerator/denominator rows (as the publisher rounds: to the whole %)."""
    problems = []
    pos = {ind: i for i, ind in enumerate(mine["indicator"])}
    cols = codes["name_ja"].to_numpy()

    def report(row_i: int, js, detail: str):
        for j in js:
            problems.append(Problem(name, int(mine["row"].iloc[row_i]), _col(3 + j, cols[j]), cells[row_i, j],
                                    "national_inconsistent", detail))

    if {"online_supply_32_rate", "online_supply_32_denominator", "online_supply_32_numerator"} <= set(pos):
        i, d, k = pos["online_supply_32_rate"], pos["online_supply_32_denominator"], pos["online_supply_32_numerator"]
        rate, den, num = value[i], value[d], value[k]
        with np.errstate(divide="ignore", invalid="ignore"):
            share = 100 * num / den
        known = ~np.isnan(rate) & ~np.isnan(share)
        report(i, np.flatnonzero(known & (np.abs(rate - share) > 0.5 + 1e-9)), "differs from numerator ÷ denominator")
        report(i, np.flatnonzero((cells[i] == "%") & (den != 0)), "a bare % but the denominator is not 0")
        report(i, np.flatnonzero(~np.isnan(rate) & (den == 0)), "a rate but the denominator is 0")
        report(k, np.flatnonzero(num > den), "numerator larger than the denominator")
    if "online_supply_26_rate" in pos:
        i = pos["online_supply_26_rate"]
        v = value[i]
        k = np.round(v * 26 / 100)
        report(i, np.flatnonzero(~np.isnan(v) & (np.abs(v - 100 * k / 26) > 0.5 + 1e-9)), "not k/26 of the 26 procedures")
    return problems


@functools.lru_cache(maxsize=4)
def _national_cached(raw_dir: Path, signature: tuple, catalogue: Path, cat_signature: tuple,
                     release: str = BUNDLED_RELEASE) -> pd.DataFrame:
    cat = load_national_indicators(catalogue)
    codes = _code_list(raw_dir)
    problems: list[Problem] = []
    frames = []
    report = NationalLoadReport()
    for key in DASHBOARD_TABLES:
        got = _dashboard_table(raw_dir, key, cat, codes, problems, release)
        if got is None:
            report.files.append(f"{release_folder(release)}/{DASHBOARD_TABLES[key]}")
            continue
        cells, mine, name, sheet = got
        report.files.append(sheet_file(name, sheet))
        value, reason, bad = _parse_cells(cells, mine["unit"].to_numpy())
        found = []
        for i, j in zip(*np.nonzero(bad)):
            rec = mine.iloc[i]
            found.append(Problem(name, int(rec["row"]), _col(3 + j, codes["name_ja"].iloc[j]), cells[i, j],
                                 "national_bad_cell", f"{rec['indicator']} ({rec['label_ja'].strip()}), unit {rec['unit']}"))
        problems += locate(found + _consistency(name, cells, value, mine, codes), name, sheet)
        frames.append((cells, value, reason, mine.assign(file=name)))
    _raise(problems)
    df = _tidy(*(np.concatenate([f[k] for f in frames]) for k in range(3)),
               _for_release(pd.concat([f[3] for f in frames], ignore_index=True), release), codes)
    report.cells_read = len(df)
    report.values_loaded = int(df["value"].notna().sum())
    report.missing = {k: int(v) for k, v in df["missing_reason"].value_counts().items()}
    n_reasons = sum(int(pd.notna(f[2]).sum()) for f in frames)
    assert list(df.columns) == NATIONAL_COLUMNS, list(df.columns)
    if not report.balanced or int(df["value"].isna().sum()) != n_reasons:
        raise RuntimeError(f"cells lost while loading the dashboard: {report}")
    df.attrs["load_report"] = report
    return df


def _tidy(cells: np.ndarray, value: np.ndarray, reason: np.ndarray, mine: pd.DataFrame,
          codes: pd.DataFrame) -> pd.DataFrame:
    """Rows × municipalities → long; repeated text is spread with Arrow ``take`` (no Python strings per cell)."""
    r, m = cells.shape
    per_row = np.repeat(np.arange(r), m)
    per_muni = np.tile(np.arange(m), r)

    def rep(col: str) -> pd.Series:
        return mine[col].astype("str").reset_index(drop=True).take(per_row).reset_index(drop=True)

    def tile(col: str) -> pd.Series:
        return codes[col].reset_index(drop=True).take(per_muni).reset_index(drop=True)

    return pd.DataFrame({
        "lg_code": tile("lg_code"),
        "municipality_ja": tile("name_ja"),
        "prefecture": tile("prefecture"),
        "indicator": rep("indicator"),
        "value": value.ravel(),
        "unit": rep("unit"),
        "measure": rep("measure"),
        "reference_period": rep("reference_period"),
        "period_basis": rep("period_basis"),
        "missing_reason": pd.Series(reason.ravel(), dtype="str"),
        "source_id": rep("source_id"),
        "raw": pd.Series(cells.ravel(), dtype="str"),
        "row_label": rep("label_ja"),
        "row": mine["row"].to_numpy(dtype="int64")[per_row],
        "column": (per_muni + 3).astype("int64"),
        "file": rep("file"),
        "release": rep("release"),
    })


def _for_release(mine: pd.DataFrame, release: str) -> pd.DataFrame:
    """The catalogue rows as a release reads them: its own source; periods as the catalogue states them only for
    the release it describes (:data:`BUNDLED_RELEASE`) — for any other, not established."""
    if release == BUNDLED_RELEASE:
        return mine.assign(release=release)
    return mine.assign(release=release, source_id=DASHBOARD_SOURCE_PREFIX + release,
                       reference_period=f"not established (release {release[:4]}-{release[4:6]}-{release[6:]})",
                       period_basis="unknown")


def stored_releases(raw_dir: str | Path | None = None) -> list[str]:
    """The releases stored under the raw folder (``dx_dashboard_<YYYYMMDD>/`` holding both tables), oldest first."""
    rd = _raw_dir(raw_dir)
    return sorted(p.name.removeprefix("dx_dashboard_") for p in rd.glob("dx_dashboard_*")
                  if all(table_path(p, f) is not None for f in DASHBOARD_TABLES.values()))


def load_national(*, raw_dir: str | Path | None = None, catalogue: str | Path | None = None,
                  release: str | None = None) -> pd.DataFrame:
    """The dashboard as one tidy row per municipality × indicator (1,741 × 67), every value traced to its cell.

    Columns: ``lg_code``, ``municipality_ja``, ``prefecture``, ``indicator``, ``value`` (float:
    ``72%`` → 72.0, 実施 → 1.0, 未実施 → 0.0, counts as numbers), ``unit``, ``measure``,
    ``reference_period``, ``period_basis``, ``missing_reason`` (missing where there is a value; else
    ``not_surveyed`` for 調査無し, ``no_procedures`` for a bare %, ``no_value`` for an empty cell),
    ``source_id``, ``raw`` (the cell text), ``row_label`` (verbatim), ``row`` (1-based line), ``column``
    (1-based position in the file), ``file``, ``release`` (YYYYMMDD).

    ``release``: ``None`` or ``"all"`` (default) — every stored release, oldest first, one after the other (with
    only the bundled release stored, that release alone); ``"latest"`` — the newest stored release only;
    ``"YYYYMMDD"`` — that release (20240712 is the bundled one the catalogue describes; a release stored by
    ``dxanalysis national add`` has periods "not established" and its own source and row labels). With several
    releases (lg_code, indicator) repeats: every ranking, median and share of :mod:`dxanalysis.analysis` refuses
    such a table — give it one release (``release="latest"`` or ``analysis.latest_release(national)``).
    A table is read from ``<name>.csv`` (UTF-8 or CP932) or ``<name>.xlsx`` (cells as displayed) in the release
    folder. Rows come in catalogue order (the file's row order),
    municipalities in code order within each indicator. ``attrs["load_report"]``: a
    :class:`NationalLoadReport` (cells read = values loaded + missing by reason).

    Raises:
        ExtractError: a column whose name disagrees with the code list at its position (or another
            number of municipalities: a merger or split, the codes named), a row label of the bundled release
            that is not the catalogue's, a formula or error cell of a workbook, a cell that is neither a value nor a placeholder, a
            rate that contradicts its numerator and denominator, a count that is not 1,741.

    >>> nat = load_national()
    >>> nat.attrs["load_report"].balanced, len(nat)
    (True, 116647)
    >>> nat.query("indicator == 'cio_appointed'")["value"].sum()
    np.float64(1270.0)
    """
    rd = _raw_dir(raw_dir)
    if release in (None, "all", "latest"):
        stored = stored_releases(rd) or [BUNDLED_RELEASE]  # none stored: the bundled one is reported missing
        parts = [load_national(raw_dir=rd, catalogue=catalogue, release=r)
                 for r in (stored[-1:] if release == "latest" else stored)]
        return parts[0] if len(parts) == 1 else _concat_releases(parts)
    cat = Path(catalogue or config.NATIONAL_INDICATORS_CSV)
    st = cat.stat()
    folder = rd / release_folder(release)
    files = [table_path(folder, f) for f in DASHBOARD_TABLES.values()]
    missing = [Problem(f"{release_folder(release)}/{f}", None, None, None, "unreadable_file", "no such release file")
               for f, p in zip(DASHBOARD_TABLES.values(), files) if p is None]
    _raise(missing)
    if release == BUNDLED_RELEASE:  # the bundled tables: their bytes are checked against manifest.csv
        sig = _signature(rd, ("dx_status", "online_usage", "localgov", "prefectures"))
    else:
        sig = (*_signature(rd, ("localgov", "prefectures")),
               *((str(f.resolve()), f.stat().st_size, f.stat().st_mtime_ns) for f in files))
        if rd.resolve() == config.NATIONAL_RAW_DIR.resolve():
            _raise(_stored_release_problems(folder))
    return _copy(_national_cached(rd.resolve(), sig, cat.resolve(), (st.st_size, st.st_mtime_ns), release))


def _stored_release_problems(folder: Path) -> list[Problem]:
    """A release stored in data/national by ``national add``: every file in its folder listed in manifest.csv and
    of the bytes it lists (hashed once per size and modification time, like the bundled files)."""
    stored = sorted(p for p in folder.iterdir() if p.is_file())
    names = tuple(f"{folder.name}/{p.name}" for p in stored)
    manifest = Path(config.NATIONAL_MANIFEST_CSV)
    listed = set(pd.read_csv(manifest, dtype=str, keep_default_na=False, usecols=["file"])["file"])
    problems = [Problem(n, None, None, None, "national_hash_mismatch", "not listed in data/national/manifest.csv")
                for n in names if n not in listed]
    st = manifest.stat()
    sig = tuple((str(p.resolve()), p.stat().st_size, p.stat().st_mtime_ns) for p in stored)
    return problems + _bundled_problems(sig, names, str(manifest.resolve()), (st.st_size, st.st_mtime_ns))


def _concat_releases(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Several releases one after the other; ``load_report`` sums theirs, ``load_reports`` keeps each."""
    out = pd.concat(parts, ignore_index=True)
    reports = {p["release"].iloc[0]: p.attrs["load_report"] for p in parts}
    total = NationalLoadReport(files=[f for r in reports.values() for f in r.files],
                               cells_read=sum(r.cells_read for r in reports.values()),
                               values_loaded=sum(r.values_loaded for r in reports.values()))
    for r in reports.values():
        for k, v in r.missing.items():
            total.missing[k] = total.missing.get(k, 0) + v
    out.attrs = {"load_report": total, "load_reports": reports}
    return out
