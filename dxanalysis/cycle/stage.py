"""The staged build of an update — what ``validate`` checks and ``add`` writes are one and the same.

:func:`stage_update` loads the workbook, compares it with ``data/``, builds the new bytes of every file it
would change (rows appended in each file's own encoding and line ends, new source records, the ledger
entry), loads ``data/`` as it would be and checks that every figure reads back exactly. ``validate``
stops there; ``add`` writes the files in one transaction. Every refusal names the workbook's file,
row and column — never a staging folder.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import config
from ..config import KEY_COLUMNS, KPI_COLUMNS
from ..contract.load import (
    CheckResult,
    assemble,
    load_kpis,
    read_catalogue,
    read_extracts,
    sort_problems,
    validate_extracts,
)
from ..contract.rules import check_source_dates
from ..errors import ExtractError, Problem
from ..io.catalogue import (
    SOURCE_HEADERS,
    SOURCES_SHEET,
    bundled_extracts,
    load_sources,
    workbook_sources,
)
from ..io.cells import cell_text
from ..io.xlsx import read_sheet_values
from . import ledger
from .files import csv_line, read_csv_text
from .rows import Changes, cell, compare, format_value, text_problems

TEXT_COLUMNS = [c for c in KPI_COLUMNS if c not in ("value", "fiscal_year", "approximate")]
"""KPI columns written as text (checked for line breaks before anything is written)."""
TYPED_AS_IS = ("title", "publisher", "note")
"""出典一覧 columns kept as typed (full-width characters too); the others are normalised like every cell."""


@dataclass
class Staged:
    """An update built but not written: the check result, every problem, the changes and the new file bytes."""

    path: Path
    result: CheckResult
    problems: list[Problem]
    changes: Changes | None = None
    files: dict[Path, bytes | None] = field(default_factory=dict)
    entry: dict | None = None


def stage_update(path: str | Path) -> Staged:
    """Build (never write) what ``add path`` would write, with every problem at the workbook's cells."""
    path = Path(path)
    checked = validate_extracts(read_extracts(path), read_catalogue())
    headers = checked.headers
    result = assemble(checked)
    if result.problems:
        return Staged(path, result, result.problems)
    try:
        bundled = load_kpis()
    except ExtractError as exc:  # data/ itself does not load: its own problems, at its own files
        return Staged(path, result, exc.problems)
    changes = compare(result.kpis, bundled)
    rows = pd.concat([changes.new, changes.revised.drop(columns=["value_old", "source_id_old"])])
    sources = new_sources(path)
    problems = (same_source_problems(rows, bundled, headers) + text_problems(rows, TEXT_COLUMNS, headers)
                + text_problems(sources.assign(source_file=path.name), SOURCE_HEADERS, {}, column_prefix=f"{SOURCES_SHEET}: "))
    if problems:
        return Staged(path, result, sort_problems(problems, [path.name], headers), changes)
    try:
        files, appended, newline_added = build_files(rows, sources)
    except ValueError as exc:  # a character the file's own encoding (CP932) cannot hold
        return Staged(path, result, [Problem(path.name, None, None, None, "update_refused", str(exc))], changes)
    if not files:
        return Staged(path, result, [], changes)
    problems = check_staged(files, appended, path.name, headers)
    entry = ledger.new_entry(path, [{"path": p.relative_to(config.DATA_DIR).as_posix(), "created": not p.exists(),
                                     "rows": [{"row": r, "line": line} for r, line, _ in appended[p]]}
                                    | ({"line_end_added": True} if p in newline_added else {})
                                    for p in files])
    files[ledger.entry_path(entry)] = ledger.entry_bytes(entry)
    return Staged(path, result, problems, changes, files, entry)


def new_sources(path: Path) -> pd.DataFrame:
    """Source records typed into the workbook's 出典一覧 that ``data/sources.csv`` does not hold yet
    (dates as YYYY-MM[-DD]; title, publisher and note exactly as typed, full-width characters kept)."""
    typed = workbook_sources(path)
    sources = check_source_dates(typed, path.name)[0]
    sources = sources[~sources["source_id"].isin(load_sources().index)].copy()
    if len(sources):
        raw = read_sheet_values(path, SOURCES_SHEET)
        header = [cell_text(c).strip() for c in raw[0]]
        for col in TYPED_AS_IS:
            if col in header:
                j = header.index(col)
                sources[col] = [re.sub(r"\s+", " ", cell_text(raw[r - 1][j]) if j < len(raw[r - 1]) else "").strip()
                                for r in sources["source_row"]]
    return sources.reset_index(drop=True)


def same_source_problems(rows: pd.DataFrame, bundled: pd.DataFrame, headers) -> list[Problem]:
    """Rows that would change a value the same source already gives (a correction needs a newer source)."""
    keys = list(KEY_COLUMNS) + ["source_id"]
    clash = rows.merge(bundled[keys + ["value", "source_file", "source_row"]], on=keys, suffixes=("", "_bundled"))
    return [Problem(r["source_file"], int(r["source_row"]), headers.get(r["source_file"], {}).get("value", "value"),
                    r["value"], "same_source_changed",
                    f"{r['source_id']} gives {format_value(r['value_bundled']) or '—'} in data/kpis/{r['source_file_bundled']} "
                    f"row {int(r['source_row_bundled'])}")
            for r in clash.to_dict("records")]


def _append(path: Path, records: list[list[str]], default_header) -> tuple[bytes, bool, list[tuple[int, str]]]:
    """The file's new bytes with ``records`` appended in its own encoding and line ends, whether a line end had
    to be added after its last record first, and (row, line) of each record."""
    table = read_csv_text(path, default_header)
    text = table.head + "".join(raw for _, _, raw in table.records)
    ended = text.endswith(("\n", "\r"))
    text += "" if ended else table.newline
    first = (table.records[-1][0] + 1) if table.records else 2
    lines = [(first + i, csv_line(cells, table.newline)) for i, cells in enumerate(records)]
    return table.encode(text + "".join(line for _, line in lines)), not ended, lines


def build_files(rows: pd.DataFrame, sources: pd.DataFrame):
    """New bytes per file, per file the (row, line, record) appended, and the files whose last record had no line end."""
    files: dict[Path, bytes] = {}
    appended: dict[Path, list] = {}
    newline_added: set[Path] = set()
    if len(sources):
        header = read_csv_text(config.SOURCES_CSV, SOURCE_HEADERS).header
        recs = sources.to_dict("records")
        data, added_end, lines = _append(config.SOURCES_CSV, [[str(r.get(c, "")) for c in header] for r in recs], SOURCE_HEADERS)
        files[config.SOURCES_CSV] = data
        if added_end:
            newline_added.add(config.SOURCES_CSV)
        appended[config.SOURCES_CSV] = [(n, line, rec) for (n, line), rec in zip(lines, recs)]
    for sid, group in rows.groupby("source_id"):
        target = config.KPI_DIR / f"{sid}.csv"
        header = read_csv_text(target, KPI_COLUMNS).header
        recs = group.to_dict("records")
        data, added_end, lines = _append(target, [[cell(r, c) for c in header] for r in recs], KPI_COLUMNS)
        files[target] = data
        if added_end:
            newline_added.add(target)
        appended[target] = [(n, line, rec) for (n, line), rec in zip(lines, recs)]
    return files, appended, newline_added


def _where(appended: dict[Path, list]) -> dict[tuple[str, int], dict]:
    """staged (file name, row) → the workbook record appended there (with its source_file and source_row)."""
    return {(p.name, n): rec for p, lines in appended.items() for n, _, rec in lines if "source_file" in rec}


def _readable(detail: str, stage: Path, where: dict) -> str:
    """A staged problem's detail as the analyst reads it: data/ paths, workbook rows, numbers without repr."""
    detail = detail.replace(f"{stage}/", "data/").replace(str(stage), "data")
    detail = re.sub(r"np\.float64\(([^)]*)\)", lambda m: format_value(float(m.group(1))), detail)

    def row(m):
        rec = where.get((m.group(1), int(m.group(2))))
        return f"{rec['source_file']} row {int(rec['source_row'])}" if rec else f"data/kpis/{m.group(1)} row {m.group(2)}"

    return re.sub(r"(?<![/\w])([\w.-]+\.csv) row (\d+)", row, detail)


def _mapped(p: Problem, where: dict, stage: Path, workbook: str, headers) -> Problem:
    """A problem of the staged data/ at the workbook's cell (column as typed; bundled rows as data/kpis/<file>)."""
    detail = _readable(str(p.detail), stage, where)
    name = Path(str(p.file)).name
    column = headers.get(workbook, {}).get(p.column, p.column)
    rec = where.get((name, p.row))
    if rec is None and (m := re.search(rf"{re.escape(workbook)} row (\d+)", detail)):
        # found on a bundled row because of a workbook row: the problem is the workbook's row
        rec = next((r for r in where.values() if int(r["source_row"]) == int(m.group(1))), None)
        detail = f"data/kpis/{name} row {p.row} has " + detail
    if rec is not None:  # the value shown is the workbook's cell of the problem's column
        return Problem(rec["source_file"], int(rec["source_row"]), column, rec.get(p.column, rec.get("value")),
                       p.code, detail)
    return Problem(workbook, None, None, None, p.code, f"data/kpis/{name}" + (f" row {p.row}" if p.row else "") + f": {detail}")


def check_staged(files: dict[Path, bytes | None], appended: dict[Path, list], workbook: str, headers) -> list[Problem]:
    """Load ``data/`` as it would be after writing ``files``; every problem at the workbook's cell, and every
    appended row must read back exactly (values equal, text cells identical)."""
    with tempfile.TemporaryDirectory(prefix="dxanalysis-stage-") as tmp:
        stage = Path(tmp)
        extracts = stage_tree(files, stage)
        where = _where(appended)
        try:
            load_kpis([extracts[n] for n in sorted(extracts)], catalogue_dir=stage)
        except ExtractError as exc:
            return [_mapped(p, where, stage, workbook, headers) for p in exc.problems]
        except ValueError as exc:
            return [Problem(workbook, None, None, None, "update_refused", str(exc).replace(str(stage), "data"))]
        return read_back_problems(appended, stage, headers)


def stage_tree(files: dict[Path, bytes | None], stage: Path) -> dict[str, Path]:
    """Write the catalogue and the changed extracts into ``stage``; the extract files data/ would hold, by name."""
    (stage / "kpis").mkdir()
    for src, name in ((config.INDICATORS_CSV, "indicators.csv"), (config.MUNICIPALITIES_CSV, "municipalities.csv"),
                      (config.SOURCES_CSV, "sources.csv")):
        data = files.get(src, src.read_bytes() if src.exists() else None)
        if data is not None:
            (stage / name).write_bytes(data)
    extracts = {p.name: p for p in bundled_extracts()}
    for p, data in files.items():
        if p.parent.resolve() != config.KPI_DIR.resolve():
            continue
        if data is None:
            extracts.pop(p.name, None)
        else:
            (stage / "kpis" / p.name).write_bytes(data)
            extracts[p.name] = stage / "kpis" / p.name
    return extracts


def read_back_problems(appended: dict[Path, list], stage: Path, headers) -> list[Problem]:
    from ..contract.load import check_kpis

    problems = []
    for target, lines in appended.items():
        if target.parent.resolve() != config.KPI_DIR.resolve():
            continue
        back = check_kpis(stage / "kpis" / target.name, catalogue_dir=stage)
        reread = pd.concat([back.kpis, back.report.superseded]) if back.report.superseded is not None else back.kpis
        reread = reread.set_index("source_row")
        for n, _, rec in lines:
            got = reread.loc[n].to_dict() if n in reread.index else {}
            for c in TEXT_COLUMNS + ["value"]:
                if c in rec and cell(rec, c) != cell(got, c):
                    problems.append(Problem(rec["source_file"], int(rec["source_row"]),
                                            headers.get(rec["source_file"], {}).get(c, c), rec.get(c),
                                            "read_back_differs", f"would read back as {got.get(c)!r}"))
    return problems
