"""Checks across rows and files: duplicate keys, source dates and ids, and large changes (warnings)."""

from __future__ import annotations

import re

import pandas as pd

from ..config import KEY_COLUMNS
from ..errors import Problem
from ..io.cells import CellError
from ..io.dates import parse_date

LARGE_CHANGE = 0.5
"""A value that differs from the previous year's actual or from its year's target by more than this
share (±50 %) is listed as a warning by ``dxanalysis validate`` (not an error)."""



def check_duplicates(frame: pd.DataFrame, headers: dict[str, dict[str, str]]) -> list[Problem]:
    """Rows sharing a key (municipality, indicator, fiscal year, kind, as-of): each later row names the first."""
    key = frame[list(KEY_COLUMNS)].fillna("")
    dup = key.duplicated(keep=False)
    if not dup.any():
        return []
    problems = []
    for _, group in frame[dup].groupby(key[dup].apply(tuple, axis=1), sort=False):
        first = group.iloc[0]
        for _, row in group.iloc[1:].iterrows():
            same = (pd.isna(row["value"]) and pd.isna(first["value"])) or row["value"] == first["value"]
            detail = (f"value {_shown(row['value'])}; same key as {first['source_file']} row {first['source_row']}"
                      f" ({'same value' if same else 'value ' + _shown(first['value']) + ' there'})")
            col = headers.get(row["source_file"], {}).get("fiscal_year", "fiscal_year")  # the key cell a reader checks
            problems.append(Problem(row["source_file"], int(row["source_row"]), col, row["fiscal_year"],
                                    "duplicate_key", detail))
    return problems



def _shown(value) -> str:
    """A value in a message: ``761``, ``80.3``; missing is ``—``."""
    return "—" if pd.isna(value) else format(float(value), ".15g")


def check_source_dates(sources: pd.DataFrame, file: str, *, column: str = "date") -> tuple[pd.DataFrame, list[Problem]]:
    """Source dates as ``YYYY-MM`` or ``YYYY-MM-DD`` (era dates such as 令和7年5月 converted), so that
    revisions are ordered by real dates; an empty or unreadable date is refused.

    Returns the sources with their dates normalised, and a problem per bad date (row: header = 1).
    """
    if "date" not in sources:
        return sources, []
    rows = sources["source_row"].tolist() if "source_row" in sources else list(range(2, 2 + len(sources)))
    dates, problems = [], []
    for row, sid, cell in zip(rows, sources["source_id"], sources["date"]):
        try:
            date = parse_date(cell)
            if not date:
                raise CellError("bad_source_date", "empty: a source needs the date it was published")
        except CellError as exc:
            problems.append(Problem(file, int(row), column, cell if cell != "" else None, "bad_source_date",
                                    f"source {sid}: {exc.detail}"))
            date = ""
        dates.append(date)
    return sources.assign(date=dates), problems


SOURCE_ID = re.compile(r"[a-z0-9][a-z0-9_]*")
"""A source id is lower-case ASCII letters, digits and ``_``: it becomes a file name (``data/kpis/<id>.csv``)."""


def check_source_ids(sources: pd.DataFrame, file: str, *, column: str = "source_id") -> list[Problem]:
    """A problem per source id that is not a safe file name (``../x``, spaces, capitals, 全角): refused, never mapped.

    >>> [p.code for p in check_source_ids(pd.DataFrame({"source_id": ["ok_2025", "../../x"]}), "f.xlsx")]
    ['bad_source_id']
    """
    rows = sources["source_row"].tolist() if "source_row" in sources else list(range(2, 2 + len(sources)))
    return [Problem(file, int(row), column, sid, "bad_source_id", f"{sid!r}: use a-z, 0-9 and _ only")
            for row, sid in zip(rows, sources["source_id"]) if not SOURCE_ID.fullmatch(str(sid))]


def change_warnings(kpis: pd.DataFrame, context: pd.DataFrame | None = None, *,
                    threshold: float = LARGE_CHANGE) -> list[Problem]:
    """Actuals that differ from the previous year's actual or from their year's target by more than
    ``threshold`` (default :data:`LARGE_CHANGE`, ±50 %): warnings to look at, not errors.

    ``context`` (e.g. the bundled data) supplies the previous years and targets a new file lacks.
    """
    if kpis.empty:
        return []
    keys = ["municipality", "indicator"]
    pool = kpis if context is None else pd.concat([context, kpis], ignore_index=True)
    pool = pool[pool["value"].notna()]
    actual = pool[pool["kind"] == "actual"].sort_values("as_of", na_position="first")
    prev = actual.drop_duplicates(keys + ["fiscal_year"], keep="last").set_index(keys + ["fiscal_year"])["value"]
    target = pool[pool["kind"] == "target"].drop_duplicates(keys + ["fiscal_year"], keep="last")
    target = target.set_index(keys + ["fiscal_year"])["value"]
    rows = kpis[(kpis["kind"] == "actual") & kpis["value"].notna()]
    out = []
    for r in rows.itertuples(index=False):
        for label, ref in (("previous year", prev.get((r.municipality, r.indicator, r.fiscal_year - 1))),
                           ("target", target.get((r.municipality, r.indicator, r.fiscal_year)))):
            if ref is None or isinstance(ref, pd.Series) or not ref or pd.isna(ref):
                continue
            change = (r.value - ref) / abs(ref)
            if abs(change) > threshold:
                out.append(Problem(r.source_file, int(r.source_row), "value", r.value, "large_change",
                                   f"{change:+.0%} against the {label} ({ref:g}); threshold ±{threshold:.0%}"))
    return sorted(out, key=lambda p: (p.file, p.row))


def check_workbook_source_records(typed: pd.DataFrame, bundled: pd.DataFrame, file: str, *,
                                  sheet: str) -> list[Problem]:
    """Source records typed into a workbook's 出典一覧: an id listed twice (reported at every row that has it), and a
    bundled id reused with another title or date (its figures would land in the old document's file).

    >>> bundled = pd.DataFrame({"source_id": ["a"], "title": ["報告書"], "date": ["2025-12"]}).set_index("source_id", drop=False)
    >>> typed = pd.DataFrame({"source_id": ["a", "b", "b"], "title": ["新しい報告書", "x", "x"],
    ...                       "date": ["2026-06", "2026-06", "2026-06"], "source_row": [2, 3, 4]})
    >>> [(p.row, p.code) for p in check_workbook_source_records(typed, bundled, "fy.xlsx", sheet="出典一覧")]
    [(2, 'source_id_reused'), (3, 'duplicate_source_id'), (4, 'duplicate_source_id')]
    """
    from ..io.cells import normalize_text

    problems = []
    rows = typed.get("source_row", pd.Series(range(2, 2 + len(typed)), index=typed.index))
    dup = typed["source_id"].duplicated(keep=False)
    for (_, rec), row in zip(typed.iterrows(), rows):
        sid = rec["source_id"]
        if dup[_]:
            others = [int(r) for r, s in zip(rows, typed["source_id"]) if s == sid and r != row]
            problems.append(Problem(file, int(row), f"{sheet}: source_id", sid, "duplicate_source_id",
                                    "also at row(s) " + ", ".join(map(str, others))))
        if sid not in bundled.index:
            continue
        old = bundled.loc[sid]
        title_differs = normalize_text(rec.get("title", "")) != normalize_text(old.get("title", ""))
        if title_differs or not _same_date(rec.get("date", ""), old.get("date", "")):
            problems.append(Problem(file, int(row), f"{sheet}: source_id", sid, "source_id_reused",
                                    f"the bundled source {sid} is 「{old.get('title', '')}」 ({old.get('date', '')}); "
                                    f"this row gives 「{rec.get('title', '')}」 ({rec.get('date', '')})"))
    return problems


def _same_date(typed: object, bundled: object) -> bool:
    """The same source date; a month Excel turned into its first day (2025-12 → 2025-12-01) is the same month."""
    try:
        a, b = parse_date(typed), parse_date(bundled)
    except CellError:
        return False
    return a == b or (a[:7] == b[:7] and sorted([a, b], key=len)[1].endswith("-01") and min(len(a), len(b)) == 7)


def percent_fraction_warnings(kpis: pd.DataFrame) -> list[Problem]:
    """A % value in (0, 1] (0.21 where the document says 21%: a cell typed without the percent format): a warning
    with the hint ``21 %?`` — a real 0.5 % exists, so it is not refused.

    >>> k = pd.DataFrame({"unit": ["%", "%", "件"], "value": [0.21, 21.0, 0.5], "source_file": "f.xlsx",
    ...                   "source_row": [2, 3, 4]})
    >>> [(p.row, p.detail) for p in percent_fraction_warnings(k)]
    [(2, '0.21 — 21 %?')]
    """
    v = kpis["value"]
    hit = kpis[kpis["unit"].eq("%") & v.gt(0) & v.le(1)]
    return [Problem(r.source_file, int(r.source_row), "value", r.value, "percent_as_fraction",
                    f"{r.value:g} — {r.value * 100:g} %?") for r in hit.itertuples(index=False)]
