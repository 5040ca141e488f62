"""Undo an add: take back exactly the rows the ledger says it wrote (or every row of one source), nothing else.

``remove WORKBOOK`` finds the adds of that workbook by its SHA-256, ``remove --add ID`` one add; the
rows are found by their recorded text (at their recorded row first), so rows that existed before are
never touched. Files are read as the loader reads them (BOM, CP932, CRLF) and written back in their own
encoding and line ends. ``remove --source`` of a source that no add registered needs ``bundled=True``.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import config
from ..io.catalogue import load_sources
from . import ledger
from .files import CsvText, read_csv_text, source_references
from .journal import commit_files, transaction
from .lock import UpdateError
from .stage import stage_tree


class RemovalRefused(ValueError):
    """``remove`` cannot do what was asked (never added, unknown source, rows edited since): nothing was changed."""


@dataclass
class Removal:
    """What ``remove`` would take out of data/: rows per file, source records, ledger entries; the new bytes."""

    rows: list[tuple[str, int, dict]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    kept_sources: dict[str, list[str]] = field(default_factory=dict)
    files: dict[Path, bytes | None] = field(default_factory=dict)
    expected: dict[Path, bytes | None] = field(default_factory=dict)
    """the bytes each file had when planned: applying refuses if data/ changed in between"""
    add_ids: list[str] = field(default_factory=list)
    data_tests: list[str] = field(default_factory=list)
    """data tests that pin figures of a bundled source being removed"""

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
        for a in self.add_ids:
            lines.append(f"  ledger entry {a} is removed")
        if self.data_tests:
            lines.append("  these data tests pin figures of this bundled source and will fail until it is back / "
                         "次のデータテストは通らなくなります: " + ", ".join(self.data_tests))
        return "\n".join(lines)


def _cells(line: str) -> list[str]:
    return next(csv.reader([line.rstrip("\r\n")]), [])


def _same(a: list[str], b: list[str]) -> bool:
    """Cells equal as the loader reads them (a spreadsheet program may write TRUE for true, trim cells)."""
    norm = lambda cells: [c.strip().lower() if c.strip().lower() in ("true", "false") else c.strip() for c in cells]  # noqa: E731
    return norm(a) == norm(b)


def _text(table: CsvText, records) -> str:
    return table.head + "".join(raw for _, _, raw in records)


def _take_rows(table: CsvText, wanted: list[dict], where: str, add_id: str) -> list:
    """``table.records`` without the recorded rows (each found at its recorded row first, else by its text)."""
    records = list(table.records)
    for w in wanted:
        cells = _cells(w["line"])
        at = [i for i, (n, rec, _) in enumerate(records) if n == w["row"] and _same(rec, cells)]
        at = at or [i for i, (_, rec, _) in enumerate(records) if _same(rec, cells)]
        if not at:
            raise RemovalRefused(f"data/{where} no longer holds row {w['row']} as add {add_id} wrote it "
                                 f"({w['line'].strip()!r}); it was edited or removed by hand — nothing was removed / "
                                 f"追加した行が見つかりません。何も削除していません")
        records.pop(at[0])
    return records


def plan_undo(entries: list[dict]) -> Removal:
    """Take back the rows and source records these ledger entries wrote (nothing else)."""
    plan = Removal(add_ids=[e["add_id"] for e in entries])
    tables: dict[Path, tuple[CsvText, list]] = {}
    created: set[Path] = set()
    unended: set[Path] = set()  # the add put a line end after a last record that had none: taken back too
    for e in entries:
        for item in e["files"]:
            path = config.DATA_DIR / item["path"]
            table, records = tables.get(path) or (read_csv_text(path), None)
            table.records = records if records is not None else table.records
            kept = _take_rows(table, item["rows"], item["path"], e["add_id"])
            gone = [r for r in table.records if r not in kept]
            tables[path] = (table, kept)
            if item["created"]:
                created.add(path)
            if item.get("line_end_added") and kept == table.records[:len(kept)]:
                unended.add(path)
            if path.resolve() == config.SOURCES_CSV.resolve():
                plan.sources += [rec[0] for _, rec, _ in gone]
            else:
                plan.rows += [(f"data/{item['path']}", n, dict(zip(table.header, rec))) for n, rec, _ in gone]
        plan.files[ledger.entry_path(e)] = None
    for path, (table, kept) in tables.items():
        text = _text(table, kept)
        if path in unended and text.endswith(table.newline):
            text = text[:-len(table.newline)]
        plan.files[path] = None if path in created and not kept else table.encode(text)
    _refuse_cited_sources(plan)
    return plan


def _refuse_cited_sources(plan: Removal) -> None:
    refs = source_references(skip=set(plan.files))
    for p, data in plan.files.items():
        if data is not None and p.parent.resolve() == config.KPI_DIR.resolve():
            table = read_csv_text(p)
            j = table.header.index("source_id") if "source_id" in table.header else None
            for rec in csv.reader(data.decode(table.encoding).splitlines()[1:]):
                if j is not None and len(rec) > j:
                    refs.setdefault(rec[j], set()).add(f"kpis/{p.name}")
    cited = {s: sorted(refs[s]) for s in plan.sources if refs.get(s)}
    if cited:
        raise RemovalRefused("; ".join(f"source {s} is still cited by {', '.join(w)}" for s, w in cited.items())
                             + ": remove those rows (their add) first — nothing was removed / 先にその行を削除してください")


def plan_removal(*, source_id: str | None = None, workbook: str | Path | list | None = None, add_id: str | None = None,
                 bundled: bool = False) -> Removal:
    """What ``remove`` would do (nothing is changed yet): the adds of a workbook (or several, undone together),
    one add, or one source.

    Raises :class:`RemovalRefused` for a workbook never added, an unknown add id or source, and a
    bundled source without ``bundled=True``.
    """
    if sum(x is not None for x in (source_id, workbook, add_id)) != 1:
        raise ValueError("give one of a workbook, an add id or a source id")
    if workbook is not None:
        found = []
        for book in ([workbook] if isinstance(workbook, (str, Path)) else workbook):
            found += _adds_of(book)
        plan = plan_undo(found)
    elif add_id is not None:
        entry = ledger.entry_by_id(add_id)
        if entry is None:
            raise RemovalRefused(f"no add with id {add_id!r} in data/ledger — nothing to remove / その追加IDはありません")
        plan = plan_undo([entry])
    else:
        plan = plan_source(source_id, bundled=bundled)
    plan.expected = {p: (p.read_bytes() if p.exists() else None) for p in plan.files}
    return plan


def _adds_of(workbook: str | Path) -> list[dict]:
    found = ledger.entries_of_workbook(workbook)
    if not found:
        same_name = [e["add_id"] for e in ledger.entries() if e["workbook"] == Path(workbook).name]
        hint = (f"; adds of a workbook with this name but other contents: {', '.join(same_name)} "
                "(remove --add ID)" if same_name else "")
        raise RemovalRefused(f"{Path(workbook).name} was never added (no add in data/ledger has its SHA-256; an add "
                             f"that changed nothing or was refused writes nothing){hint} — nothing to remove / "
                             "このブックは追加されていません")
    return found


def data_tests_citing(source_id: str) -> list[str]:
    """The data tests (tests/test_data*.py) whose code names ``source_id``."""
    out = []
    for path in sorted((config.PROJECT_DIR / "tests").glob("test_data*.py")):
        for block in re.split(r"\n(?=@|def )", path.read_text(encoding="utf-8")):
            m = re.search(r"^def (test_\w+)", block, re.M)
            if m and source_id in block:
                out.append(f"tests/{path.name}::{m.group(1)}")
    return out


def plan_source(source_id: str, *, bundled: bool) -> Removal:
    """Every row of one source, its record when nothing cites it any more, and its rows in the ledger."""
    registered = load_sources().index
    added = ledger.sources_added()
    plan = Removal()
    for p in sorted(config.KPI_DIR.glob("*.csv")):
        table = read_csv_text(p)
        j = table.header.index("source_id") if "source_id" in table.header else None
        gone = [r for r in table.records if j is not None and len(r[1]) > j and r[1][j] == source_id]
        if gone:
            kept = [r for r in table.records if r not in gone]
            plan.rows += [(f"data/kpis/{p.name}", n, dict(zip(table.header, rec))) for n, rec, _ in gone]
            plan.files[p] = table.encode(_text(table, kept)) if any(raw.strip() for _, _, raw in kept) else None
    if not plan.rows and source_id not in registered:
        raise RemovalRefused(f"unknown source {source_id!r}: no row and no record in sources.csv / 出典IDが見つかりません")
    if source_id not in added:
        if not bundled:
            raise RemovalRefused(f"{source_id} is a bundled source (no add registered it): removing it needs --bundled; "
                                 f"these data tests pin its figures: {', '.join(data_tests_citing(source_id)) or 'none'} / "
                                 "同梱の出典を削除するには --bundled が必要です")
        plan.data_tests = data_tests_citing(source_id)
    refs = source_references(skip=set(plan.files))
    if refs.get(source_id):
        plan.kept_sources = {source_id: sorted(refs[source_id])}
    elif source_id in registered:
        plan.sources = [source_id]
        table = read_csv_text(config.SOURCES_CSV)
        plan.files[config.SOURCES_CSV] = table.encode(_text(table, [r for r in table.records if r[1][:1] != [source_id]]))
    _prune_ledger(plan, source_id)
    return plan


def _prune_ledger(plan: Removal, source_id: str) -> None:
    """Ledger entries forget the rows of ``source_id`` being removed (an entry left with no row is removed)."""
    for e in ledger.entries():
        files = []
        for item in e["files"]:
            is_sources = item["path"] == "sources.csv"
            rows = [r for r in item["rows"] if not ((_cells(r["line"])[:1] == [source_id] and source_id in plan.sources)
                                                   if is_sources else source_id in _cells(r["line"]))]
            if rows:
                files.append({**item, "rows": rows})
        if files != e["files"]:
            plan.files[ledger.entry_path(e)] = ledger.entry_bytes({**e, "files": files}) if files else None
            plan.add_ids += [] if files else [e["add_id"]]


def apply_removal(plan: Removal) -> None:
    """Write a :func:`plan_removal` as one transaction, after checking that data/ still loads without the rows."""
    import tempfile

    from ..contract.load import load_kpis

    if not plan.files:
        return
    with transaction("remove"):
        if any((p.read_bytes() if p.exists() else None) != data for p, data in plan.expected.items()):
            raise UpdateError("data/ changed since the removal was planned (another add or remove ran); run remove "
                              "again — nothing was removed / 計画後に data/ が変更されました")
        with tempfile.TemporaryDirectory(prefix="dxanalysis-stage-") as tmp:
            extracts = stage_tree(plan.files, Path(tmp))
            load_kpis([extracts[n] for n in sorted(extracts)], catalogue_dir=tmp)
        commit_files(config.DATA_DIR, plan.files)
