"""Load KPI extracts into one validated table: :func:`load_kpis` and :func:`check_kpis`.

>>> kpis = load_kpis()
>>> kpis.attrs["load_report"].rows_loaded == len(kpis)
True
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .config import KEY_COLUMNS
from .errors import ExtractError, Problem
from .io import bundled_extracts, load_indicators, load_municipalities, load_sources, read_raw
from .validate import check_duplicates, validate_raw

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
    superseded: pd.DataFrame | None = None
    """rows replaced by a revision from a newer source (kept, not loaded)"""

    def __str__(self) -> str:
        revised = 0 if self.superseded is None else len(self.superseded)
        return (f"{len(self.files)} file(s): {self.rows_read} rows read, {self.rows_loaded} loaded, "
                f"{self.rows_rejected} rejected, {self.blank_rows} blank skipped, {self.unfilled_rows} unfilled "
                f"template rows skipped, {revised} superseded by revisions; "
                f"{self.values_missing} values missing (NaN); {self.problems} problem(s)")

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


def _as_paths(paths: str | Path | list | tuple | None) -> list[Path]:
    if paths is None:
        return bundled_extracts()
    if isinstance(paths, (str, Path)):
        paths = [paths]
    out: list[Path] = []
    for p in map(Path, paths):
        out.extend(sorted(p.glob("*.csv")) + sorted(p.glob("*.xlsx")) if p.is_dir() else [p])
    return out


def check_kpis(paths: str | Path | list | tuple | None = None, *, catalogue_dir: str | Path | None = None) -> CheckResult:
    """Read and validate extracts, collecting every problem instead of raising.

    Args:
        paths: CSV/XLSX files or folders; ``None`` for the bundled extracts in ``data/kpis``.
        catalogue_dir: a folder with its own ``indicators.csv``, ``municipalities.csv`` and
            ``sources.csv`` (e.g. a national extract); ``None`` for the bundled catalogue.
    """
    paths = _as_paths(paths)
    cat = Path(catalogue_dir) if catalogue_dir is not None else None
    indicators = load_indicators(cat / "indicators.csv" if cat else None)
    municipalities = load_municipalities(cat / "municipalities.csv" if cat else None)
    sources = _with_workbook_sources(load_sources(cat / "sources.csv" if cat else None), paths)
    report = LoadReport()
    frames, problems, headers = [], [], {}
    for path in paths:
        raw = read_raw(path)
        report.files.append(raw.file)
        report.rows_read += raw.rows_read
        report.blank_rows += raw.blank_rows
        problems += raw.problems
        if raw.problems and any(p.row is None or p.code in ("missing_column", "no_header") for p in raw.problems):
            report.rows_rejected += len(raw.frame)
            continue
        unfilled = _unfilled(raw.frame)
        report.unfilled_rows += int(unfilled.sum())
        if unfilled.any():
            raw.frame = raw.frame[~unfilled].reset_index(drop=True)
        tidy, found, bad = validate_raw(raw, indicators=indicators, municipalities=municipalities, sources=sources)
        problems += found
        report.rows_rejected += len(bad)
        frames.append(tidy.drop(index=list(bad)) if bad else tidy)
        headers[raw.file] = raw.headers
    kpis = (frames[0].reset_index(drop=True) if len(frames) == 1 else
            pd.concat(frames, ignore_index=True) if frames else _empty())
    kpis, report.superseded = resolve_revisions(kpis, sources)
    dups = check_duplicates(kpis, headers)
    if dups:
        problems += dups
        dup_rows = {(p.file, p.row) for p in dups}
        drop = [(f, r) in dup_rows for f, r in zip(kpis["source_file"], kpis["source_row"])]
        report.rows_rejected += sum(drop)
        kpis = kpis[[not d for d in drop]].reset_index(drop=True)
    kpis["fiscal_year"] = kpis["fiscal_year"].astype("int64")
    report.rows_loaded = len(kpis)
    report.values_missing = int(kpis["value"].isna().sum())
    report.problems = len(problems)
    if not report.balanced:  # every row read is loaded, rejected, skipped as blank/unfilled, or superseded
        raise RuntimeError(f"rows lost while loading: {report}")
    return CheckResult(kpis, problems, report)


def _unfilled(frame: pd.DataFrame) -> pd.Series:
    """Template rows nobody filled: no value, no quote, no source (the pre-filled key cells don't count)."""
    from .io import _blank_rows

    cols = [c for c in ("value", "quote", "source_id") if c in frame]
    return _blank_rows(frame[cols]) if cols else pd.Series(False, index=frame.index)


def _with_workbook_sources(sources: pd.DataFrame, paths: list[Path]) -> pd.DataFrame:
    from .io import workbook_sources

    extra = [workbook_sources(p) for p in paths if p.suffix.lower() == ".xlsx"]
    extra = [e[~e["source_id"].isin(sources.index)] for e in extra if len(e)]
    if not extra:
        return sources
    new = pd.concat(extra).drop_duplicates("source_id")
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


def load_kpis(paths: str | Path | list | tuple | None = None, *, catalogue_dir: str | Path | None = None) -> pd.DataFrame:
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
    result = check_kpis(paths, catalogue_dir=catalogue_dir)
    if result.problems:
        raise ExtractError(result.problems)
    log.info("loaded KPIs: %s", result.report)
    kpis = result.kpis
    kpis.attrs["load_report"] = result.report
    return kpis


def _empty() -> pd.DataFrame:
    from .config import KPI_COLUMNS

    return pd.DataFrame({c: pd.Series(dtype="str") for c in KPI_COLUMNS + ("source_file",)}
                        | {"fiscal_year": pd.Series(dtype="Int64"), "value": pd.Series(dtype="float64"),
                           "approximate": pd.Series(dtype=bool), "source_row": pd.Series(dtype="int64")})


__all__ = ["load_kpis", "check_kpis", "LoadReport", "CheckResult", "KEY_COLUMNS"]
