"""Undo an add: plan what a workbook (or a source) put into ``data/``, show it, then take it back."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import config
from ..errors import ExtractError
from ..io.catalogue import load_sources
from .add import _check_staged
from .files import _csv_records, _replace_files, _source_references


@dataclass
class Removal:
    """What ``remove`` would take out of data/: rows per file, and source records no longer cited."""

    rows: list[tuple[str, int, dict]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    kept_sources: dict[str, list[str]] = field(default_factory=dict)
    files: dict[Path, bytes | None] = field(default_factory=dict)

    def __str__(self) -> str:
        if not self.rows and not self.sources:
            return "nothing to remove / 削除する行はありません"
        lines = [f"{len(self.rows)} row(s) to remove / 削除する行:"]
        for file, row, r in self.rows:
            lines.append(f"  {file}, row {row}: {r.get('municipality')} {r.get('indicator')} FY{r.get('fiscal_year')} "
                         f"{r.get('kind')} {r.get('value') or '—'} ({r.get('source_id')})")
        for f, data in self.files.items():
            if data is None and f.parent.name == "kpis":
                lines.append(f"  {f.name} is deleted (no rows left)")
        for s in self.sources:
            lines.append(f"  source record {s} is removed from sources.csv")
        for s, where in self.kept_sources.items():
            lines.append(f"  source record {s} is kept (still cited by {', '.join(sorted(where))})")
        return "\n".join(lines)


def plan_removal(*, source_id: str | None = None, workbook: str | Path | None = None) -> Removal:
    """The rows an ``add`` wrote, found by source id or by the rows of a workbook (nothing is changed yet).

    By ``workbook``: every row of ``data/kpis/*.csv`` with the key and source of a row of that
    workbook. A source record is removed from ``sources.csv`` only when nothing under data/ cites it
    any more.
    """
    if (source_id is None) == (workbook is None):
        raise ValueError("give either a source id or a workbook")
    if workbook is not None:
        from ..contract.load import check_kpis

        result = check_kpis(workbook)
        if result.problems:
            raise ExtractError(result.problems)
        k = result.kpis
        wanted = {(r.municipality, r.indicator, str(int(r.fiscal_year)), r.kind, "" if pd.isna(r.as_of) else str(r.as_of),
                   r.source_id) for r in k.itertuples(index=False)}
        match = lambda rec: (rec.get("municipality"), rec.get("indicator"), rec.get("fiscal_year"), rec.get("kind"),  # noqa: E731
                             rec.get("as_of", ""), rec.get("source_id")) in wanted
    else:
        match = lambda rec: rec.get("source_id") == source_id  # noqa: E731
    plan = Removal()
    candidates: set[str] = set() if source_id is None else {source_id}
    for p in sorted(config.KPI_DIR.glob("*.csv")):
        header, head, records = _csv_records(p)
        gone = [(row, rec) for row, rec, _ in records if match(rec)]
        if not gone:
            continue
        plan.rows += [(f"data/kpis/{p.name}", row, rec) for row, rec in gone]
        candidates |= {rec.get("source_id") for _, rec in gone}
        kept = [raw for row, rec, raw in records if not match(rec)]
        if any(raw.strip() for raw in kept):
            plan.files[p] = (head + "".join(kept)).encode("utf-8")
        else:
            plan.files[p] = None
    refs = _source_references(skip=set(plan.files))  # the changed files count as they will be
    for p, data in plan.files.items():
        if data is not None:
            for rec in csv.DictReader(io.StringIO(data.decode("utf-8"))):
                refs.setdefault(rec.get("source_id", ""), set()).add(f"kpis/{p.name}")
    registered = load_sources().index
    header, head, records = _csv_records(config.SOURCES_CSV)
    drop = {s for s in candidates if s in registered and not refs.get(s)}
    plan.sources = sorted(drop)
    plan.kept_sources = {s: sorted(refs[s]) for s in sorted(candidates)
                         if s in registered and refs.get(s)}
    if drop:
        plan.files[config.SOURCES_CSV] = (head + "".join(raw for _, rec, raw in records
                                                          if rec.get("source_id") not in drop)).encode("utf-8")
    return plan


def apply_removal(plan: Removal) -> None:
    """Write a :func:`plan_removal` (atomically: checked by loading first; on failure data/ is unchanged)."""
    if plan.files:
        _check_staged(plan.files, {})
        _replace_files(plan.files)
