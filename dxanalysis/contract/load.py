"""Load KPI extracts into one validated table: :func:`load_kpis` and :func:`check_kpis`.

>>> kpis = load_kpis()
>>> kpis.attrs["load_report"].rows_loaded == len(kpis)
True
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from .. import config
from ..config import KEY_COLUMNS
from ..errors import ExtractError, Problem
from ..io.catalogue import (
    SOURCES_SHEET,
    bundled_extracts,
    load_indicators,
    load_municipalities,
    load_sources,
)
from ..io.sources import documents_dir
from ..io.tables import RawExtract, filled_rows_elsewhere, read_extract
from .quotes import check_against_sources, unchecked_quote_warnings
from .rules import (
    change_warnings,
    check_duplicates,
    check_source_dates,
    check_source_ids,
    check_workbook_source_records,
    percent_fraction_warnings,
)
from .validate import validate_raw

EXTRACT_SUFFIXES = (".csv", ".xlsx", ".xlsm")
"""File types a folder is searched for (case-insensitively: ``FY2025.CSV`` too)."""
SKIPPED_PREFIXES = ("~$", ".~lock.", "._")
"""Excel/LibreOffice lock files and macOS resource forks: skipped, with a notice in the load report."""

log = logging.getLogger(__name__)


@dataclass(eq=False)  # compared by identity: pandas compares attrs when frames are combined
class LoadReport:
    """What a load did: every row read is loaded, rejected, or a blank row skipped."""

    files: list[str] = field(default_factory=list)
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    blank_rows: int = 0
    unfilled_rows: int = 0
    """template rows left without value, quote and source (not data)"""
    values_missing: int = 0
    problems: int = 0
    hidden_rows: int = 0
    """rows hidden in a workbook: loaded like the others, counted so nobody is surprised"""
    skipped: list[str] = field(default_factory=list)
    """lock files (``~$…``) passed over"""
    superseded: pd.DataFrame | None = None
    """rows replaced by a revision from a newer source (kept, not loaded)"""

    def __str__(self) -> str:
        revised = 0 if self.superseded is None else len(self.superseded)
        hidden = f" ({self.hidden_rows} of them hidden in the workbook)" if self.hidden_rows else ""
        skipped = (f"; skipped {len(self.skipped)} lock file(s): {', '.join(self.skipped)}" if self.skipped else "")
        return (f"{len(self.files)} file(s): {self.rows_read} rows read{hidden}, {self.rows_loaded} loaded, "
                f"{self.rows_rejected} rejected, {self.blank_rows} blank skipped, {self.unfilled_rows} unfilled "
                f"template rows skipped, {revised} superseded by revisions; "
                f"{self.values_missing} values missing (NaN); {self.problems} problem(s){skipped}")

    def with_refused(self, rows: int, problems: int) -> "LoadReport":
        """A copy in which ``rows`` loaded rows are refused by later checks (the update's, with ``problems``)."""
        return replace(self, rows_loaded=self.rows_loaded - rows, rows_rejected=self.rows_rejected + rows,
                       problems=self.problems + problems)

    @property
    def balanced(self) -> bool:
        """No silent loss: read = loaded + rejected + blank."""
        revised = 0 if self.superseded is None else len(self.superseded)
        return self.rows_read == self.rows_loaded + self.rows_rejected + self.blank_rows + self.unfilled_rows + revised


@dataclass
class CheckResult:
    """The tidy rows that passed, every problem found, and the report."""

    kpis: pd.DataFrame
    problems: list[Problem]
    report: LoadReport


def find_extracts(paths: str | Path | list | tuple | None) -> tuple[list[Path], list[str], list[Problem]]:
    """The files to load: (files, lock files skipped, problems such as an empty folder).

    Folders are searched for ``.csv``, ``.xlsx`` and ``.xlsm`` in any letter case; lock files
    (``~$book.xlsx``) are skipped with a notice, wherever they come from.
    """
    if paths is None:
        found = bundled_extracts()
        return found, [], ([] if found else [Problem(str(config.KPI_DIR), None, None, None, "no_extract_files",
                                                     "no .csv in the bundled data folder")])
    if isinstance(paths, (str, Path)):
        paths = [paths]
    out: list[Path] = []
    skipped: list[str] = []
    problems: list[Problem] = []
    for p in map(Path, paths):
        if p.is_dir():
            inside = sorted((f for f in p.iterdir() if f.is_file() and f.suffix.lower() in EXTRACT_SUFFIXES),
                            key=lambda f: f.name)
            locks = [f for f in inside if f.name.startswith(SKIPPED_PREFIXES)]
            skipped += [f.name for f in locks]
            inside = [f for f in inside if f not in locks]
            if not inside:
                problems.append(Problem(p.name or str(p), None, None, None, "no_extract_files",
                                        "looked for *.csv, *.xlsx, *.xlsm (any case)"
                                        + (f"; skipped lock file(s) {', '.join(f.name for f in locks)}" if locks else "")))
            out += inside
        elif p.name.startswith(SKIPPED_PREFIXES):
            skipped.append(p.name)
        else:
            out.append(p)
    for name in skipped:
        log.warning("skipped lock file %s (Excel writes it while a workbook is open)", name)
    return out, skipped, problems


@dataclass
class Catalogue:
    """What rows are checked against: indicators, municipalities and source records (bundled or a folder's own)."""

    indicators: pd.DataFrame
    municipalities: pd.DataFrame
    sources: pd.DataFrame
    sources_file: str
    documents: Path | None = None
    """folder of the registered source documents and their text copies (``data/sources``)"""


def read_catalogue(catalogue_dir: str | Path | None = None) -> Catalogue:
    """The bundled catalogue, or a folder with its own ``indicators.csv``, ``municipalities.csv`` and ``sources.csv``."""
    cat = Path(catalogue_dir) if catalogue_dir is not None else None
    sources_file = cat / "sources.csv" if cat else config.SOURCES_CSV
    return Catalogue(load_indicators(cat / "indicators.csv" if cat else None),
                     load_municipalities(cat / "municipalities.csv" if cat else None),
                     load_sources(sources_file), Path(sources_file).name, documents_dir(sources_file))


@dataclass
class Extracts:
    """Stage 1 of the load path: every raw table of every file, the lock files passed over, file-level problems."""

    raw: list[RawExtract]
    skipped: list[str]
    problems: list[Problem]


def read_extracts(paths: str | Path | list | tuple | None) -> Extracts:
    """Read every extract file (rows and source sheets), judging nothing."""
    files, skipped, problems = find_extracts(paths)
    return Extracts([read_extract(p) for p in files], skipped, problems)


@dataclass
class CheckedExtracts:
    """Stage 2 of the load path: the rows that passed per file, the sources they may cite, every problem."""

    frames: list[pd.DataFrame]
    sources: pd.DataFrame
    problems: list[Problem]
    report: LoadReport
    headers: dict[str, dict[str, str]]
    files: list[str]


def validate_extracts(extracts: Extracts, catalogue: Catalogue, *, reference: bool = False) -> CheckedExtracts:
    """Check the source records (bundled and typed into workbooks) and every row, collecting every problem."""
    problems = list(extracts.problems)
    sources, date_problems = check_source_dates(catalogue.sources, catalogue.sources_file)
    problems += date_problems
    sources = _with_workbook_sources(sources, extracts.raw, problems)
    report = LoadReport(skipped=list(extracts.skipped))
    frames, headers = [], {}
    for extract in extracts.raw:
        raw = extract.table
        report.files.append(raw.file)
        report.rows_read += raw.rows_read
        report.blank_rows += raw.blank_rows
        report.hidden_rows += raw.hidden_rows
        problems += raw.problems
        headers[raw.file] = raw.headers
        if raw.refused or any(p.row is None for p in raw.problems):
            report.rows_rejected += raw.rows_read - raw.blank_rows
            continue
        unfilled = _unfilled(raw.frame)
        report.unfilled_rows += int(unfilled.sum())
        if raw.sheet is not None and unfilled.all():
            problems += _filled_elsewhere(extract, raw.sheet)
        if unfilled.any():
            raw.frame = raw.frame[~unfilled].reset_index(drop=True)
        tidy, found, bad = validate_raw(raw, indicators=catalogue.indicators, municipalities=catalogue.municipalities,
                                        sources=sources, reference=reference)
        tidy, in_sources, unquoted = check_against_sources(tidy, raw, sources, docs=catalogue.documents)
        problems += found + in_sources
        bad = set(bad) | unquoted
        report.rows_rejected += len(bad)
        frames.append(tidy.drop(index=list(bad)) if bad else tidy)
    return CheckedExtracts(frames, sources, problems, report, headers, [e.path.name for e in extracts.raw])


def assemble(checked: CheckedExtracts) -> CheckResult:
    """Stage 3 of the load path: one tidy table, revisions resolved, duplicate keys refused, every row accounted for."""
    frames, report, problems = checked.frames, checked.report, list(checked.problems)
    kpis = (frames[0].reset_index(drop=True) if len(frames) == 1 else
            pd.concat(frames, ignore_index=True) if frames else _empty())
    kpis, report.superseded = resolve_revisions(kpis, checked.sources)
    dups = check_duplicates(kpis, checked.headers)
    if dups:
        problems += dups
        dup_rows = {(p.file, p.row) for p in dups}
        drop = [(f, r) in dup_rows for f, r in zip(kpis["source_file"], kpis["source_row"])]
        report.rows_rejected += sum(drop)
        kpis = kpis[[not d for d in drop]].reset_index(drop=True)
    kpis["fiscal_year"] = kpis["fiscal_year"].astype("int64")
    report.rows_loaded = len(kpis)
    report.values_missing = int(kpis["value"].isna().sum())
    problems = sort_problems(problems, checked.files, checked.headers)
    report.problems = len(problems)
    if not report.balanced:  # every row read is loaded, rejected, skipped as blank/unfilled, or superseded
        raise RuntimeError(f"rows lost while loading: {report}")
    return CheckResult(kpis, problems, report)


def check_kpis(paths: str | Path | list | tuple | None = None, *, catalogue_dir: str | Path | None = None,
               reference: bool = False) -> CheckResult:
    """Read, validate and assemble extracts, collecting every problem instead of raising.

    The load path runs one way, each stage taking the previous stage's output:
    :func:`read_extracts` → :func:`validate_extracts` → :func:`assemble`.

    Args:
        paths: CSV/XLSX files or folders; ``None`` for the bundled extracts in ``data/kpis``.
        catalogue_dir: a folder with its own ``indicators.csv``, ``municipalities.csv`` and
            ``sources.csv`` (e.g. a national extract); ``None`` for the bundled catalogue.
        reference: the files hold reference figures (``national``, prefectures: ``data/reference``);
            by default they are a city's extract, where those entities are refused.

    Problems are returned in file order, then row order (file-level ones first), then column order.
    """
    extracts = read_extracts(paths)
    checked = validate_extracts(extracts, read_catalogue(catalogue_dir), reference=reference)
    return assemble(checked)


def _filled_elsewhere(extract: RawExtract, sheet: str) -> list[Problem]:
    """The entry sheet has no filled row: name the other sheets that do (the figures were typed into a copy)."""
    others = filled_rows_elsewhere(extract.path, sheet)
    return [Problem(extract.path.name, None, None, name, "entry_sheet_empty",
                    f"sheet {sheet} has no filled row; sheet {name} has {n} filled row(s)") for name, n in others.items()]


def _unfilled(frame: pd.DataFrame) -> pd.Series:
    """Template rows nobody filled: no value, no quote, no source (the pre-filled key cells don't count)."""
    from ..io.rows import _blank_rows

    cols = [c for c in ("value", "quote", "source_id") if c in frame]
    return _blank_rows(frame[cols]) if cols else pd.Series(False, index=frame.index)


def sort_problems(problems: list[Problem], files: list[str], headers: dict[str, dict[str, str]]) -> list[Problem]:
    """File order, then row order (problems of the whole file first), then the column order of the file."""
    order = {name: i for i, name in enumerate(files)}

    def key(p: Problem):
        cols = list(headers.get(p.file, {}).values())
        col = cols.index(p.column) if p.column in cols else (-1 if p.column is None else len(cols))
        return (order.get(p.file, -1), -1 if p.row is None else p.row, col)

    return sorted(problems, key=key)


def _with_workbook_sources(sources: pd.DataFrame, extracts: list[RawExtract], problems: list[Problem]) -> pd.DataFrame:
    """The bundled sources plus the new ones typed into the workbooks' 出典一覧 sheets, their dates and ids checked."""
    extra = []
    for e in extracts:
        problems += check_workbook_source_records(e.sources, sources, e.path.name, sheet=SOURCES_SHEET)
        found = e.sources[~e.sources["source_id"].isin(sources.index)]
        if len(found):
            checked, bad = check_source_dates(found, e.path.name, column=f"{SOURCES_SHEET}: date")
            problems += bad + check_source_ids(found, e.path.name, column=f"{SOURCES_SHEET}: source_id")
            extra.append(checked)
    if not extra:
        return sources
    new = pd.concat(extra).drop_duplicates("source_id").drop(columns="source_row", errors="ignore")
    return pd.concat([sources, new.set_index("source_id", drop=False).rename_axis(None)])


def resolve_revisions(kpis: pd.DataFrame, sources: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Where *different sources* give a figure for one key, keep the newest source's row.

    The older rows are returned as ``superseded`` (kept, with their sources), and the kept
    row is marked ``revised=True`` when its value differs from an older one. Rows of one
    source sharing a key are left for the duplicate check.
    """
    keys = list(KEY_COLUMNS)
    out = kpis.assign(revised=False)
    if out["source_id"].nunique() < 2:  # one source: nothing can revise anything
        return out, out.iloc[0:0]
    k = out[keys].fillna("")
    dup = k.duplicated(keep=False)
    if not dup.any():
        return out, out.iloc[0:0]
    cand = out[dup].assign(_date=out.loc[dup, "source_id"].map(sources["date"]).fillna(""))
    multi = cand.groupby(keys, dropna=False)["source_id"].transform("nunique") > 1
    cand = cand[multi]
    if cand.empty:
        return out, out.iloc[0:0]
    newest = cand.groupby(keys, dropna=False)["_date"].transform("max")
    old = cand[cand["_date"] < newest]
    keep = cand[cand["_date"] == newest]
    old_values = old.assign(_k=old[keys].fillna("").apply(tuple, axis=1)).groupby("_k")["value"].apply(set)
    keep_k = keep[keys].fillna("").apply(tuple, axis=1)
    revised = [any(not (v == o or (v != v and o != o)) for o in old_values.get(kk, set()))
               for kk, v in zip(keep_k, keep["value"])]
    out.loc[keep.index, "revised"] = revised
    return out.drop(index=old.index).reset_index(drop=True), old.drop(columns=["_date"]).reset_index(drop=True)


def refuse_interrupted_update(data_dir: Path) -> None:
    """An ExtractError while an update's journal is in ``data_dir``: its files are between two states (any
    ``dxanalysis`` command, and a notebook's ``start()``, completes or discards the update first)."""
    journal = Path(data_dir) / config.JOURNAL_NAME
    if journal.exists():
        raise ExtractError([Problem(journal.name, None, None, None, "interrupted_update",
                                    f"{journal} exists: an update of data/ is in progress or was interrupted")])


def load_kpis(paths: str | Path | list | tuple | None = None, *, catalogue_dir: str | Path | None = None,
              reference: bool = False) -> pd.DataFrame:
    """Load KPI extracts into the tidy ``kpis`` table, or raise :class:`ExtractError` listing every problem.

    Args:
        paths: CSV/XLSX files or folders; ``None`` loads the bundled extracts under ``data/kpis``.

    Returns:
        One row per number, columns as in ``data/README.md`` plus ``source_file`` and
        ``source_row``; ``attrs["load_report"]`` holds the :class:`LoadReport`.

    >>> from dxanalysis import config
    >>> fixture = config.PROJECT_DIR / "tests" / "fixtures" / "dataset"  # frozen: a new year cannot change it
    >>> kpis = load_kpis(fixture / "kpis", catalogue_dir=fixture)
    >>> s = kpis.query("municipality == 'chigasaki' and indicator == 'telework_count'")
    >>> s.set_index("fiscal_year")["value"].to_dict()
    {2022: 961.0, 2023: 753.0, 2024: 761.0}
    """
    if paths is None:
        refuse_interrupted_update(config.DATA_DIR)
    result = check_kpis(paths, catalogue_dir=catalogue_dir, reference=reference)
    if result.problems:
        raise ExtractError(result.problems)
    log.info("loaded KPIs: %s", result.report)
    kpis = result.kpis
    kpis.attrs["load_report"] = result.report
    return kpis


def validate_warnings(kpis: pd.DataFrame, *, compare: bool = True) -> list[Problem]:
    """The warnings ``dxanalysis validate`` lists: a % value in (0, 1] (:func:`percent_fraction_warnings`, hint
    ``21 %?``) and :func:`change_warnings` against the bundled data (previous years and targets), or within the
    files alone with ``compare=False``."""
    context = None
    if kpis.empty:
        return []
    fractions = percent_fraction_warnings(kpis)
    if compare:
        context = check_kpis().kpis
        context = context[~context.set_index(["source_file", "source_row"]).index.isin(
            kpis.set_index(["source_file", "source_row"]).index)] if len(kpis) else context
    return sorted(fractions + change_warnings(kpis, context), key=lambda p: (p.file, p.row)) + unchecked_quote_warnings(kpis)


def _empty() -> pd.DataFrame:
    from ..config import KPI_COLUMNS

    return pd.DataFrame({c: pd.Series(dtype="str") for c in KPI_COLUMNS + ("source_file",)}
                        | {"fiscal_year": pd.Series(dtype="Int64"), "value": pd.Series(dtype="float64"),
                           "approximate": pd.Series(dtype=bool), "source_row": pd.Series(dtype="int64")})
