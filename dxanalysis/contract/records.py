"""Record-level tables and reference figures shipped beside the KPI extracts.

>>> log = load_telework_log()
>>> len(log), int(log["days"].sum())
(34, 146)
>>> ms = load_milestones()
>>> ms.query("source_id == 'minamiboso_dx_status_2025' and category == 'rpa'")[["date", "fiscal_year"]].values.tolist()
[['2021-08', 2021]]
"""

from __future__ import annotations

import re

import pandas as pd

from .. import config
from ..io.dates import dates_in, fiscal_year_of_date

TELEWORK_PURPOSE_GROUPS = {
    "在宅勤務": "在宅勤務",
    "研修": "研修・出張", "研修会": "研修・出張", "自治大": "研修・出張", "市町村アカデミー": "研修・出張",
    "出張": "研修・出張", "シンポジウム 出張": "研修・出張", "出張時に使用するため": "研修・出張",
    "スマホ教室": "外出先での業務", "ヒアリング": "外出先での業務", "現地訪問打合せ": "外出先での業務",
    "外出安房郡市内": "外出先での業務",
}
"""Our grouping of the log's free-text purposes (an analytical choice, not source data); others → その他."""
PURPOSE_GROUP_EN = {"在宅勤務": "home working", "研修・出張": "training / business trip",
                    "外出先での業務": "field work", "その他": "other / unspecified"}


def load_telework_log() -> pd.DataFrame:
    """The 南房総市 FY2024 telework-PC usage log (令和6年度テレワークPC利用実績), one row per record.

    Columns: ``record_no``, ``purpose``, ``start_date``, ``end_date`` (datetime), ``days``
    (calendar days from start to end inclusive), ``month`` (start month, ``YYYY-MM``),
    ``source_id`` and ``quote`` (the verbatim table row).
    """
    df = pd.read_csv(config.RECORDS_DIR / "minamiboso_telework_log_fy2024.csv", dtype=str, keep_default_na=False,
                     encoding="utf-8")
    if df["record_no"].duplicated().any():
        raise ValueError("telework log: duplicate record_no")
    start = pd.to_datetime(df["start_date"], format="%Y-%m-%d")
    end = pd.to_datetime(df["end_date"], format="%Y-%m-%d")
    if (end < start).any():
        raise ValueError("telework log: a record ends before it starts")
    return df.assign(record_no=df["record_no"].astype("int64"), start_date=start, end_date=end,
                     days=(end - start).dt.days + 1, month=start.dt.strftime("%Y-%m"),
                     purpose_group=df["purpose"].map(TELEWORK_PURPOSE_GROUPS).fillna("その他"))


def load_reference() -> pd.DataFrame:
    """Figures a city's document cites about others (national surveys, the prefecture): never the city's own.

    Loaded and validated like the KPI extracts, from ``data/reference``; ``municipality``
    is ``national`` or ``chiba``.
    """
    from .load import load_kpis

    return load_kpis(sorted(config.REFERENCE_DIR.glob("*.csv")), reference=True)


MILESTONE_COLUMNS = ("municipality", "category", "event_ja", "event_en", "date", "fiscal_year", "status", "source_id",
                     "location", "quote", "note", "date_text", "date_basis")
MILESTONE_STATUSES = ("done", "planned")
MILESTONE_KEY = ("municipality", "category", "event_ja", "source_id", "quote")
"""One row per dated statement: an event stated twice in the sources is two rows, never the same row twice."""


def load_milestones() -> pd.DataFrame:
    """When each city adopted (or plans to adopt) each digital tool: one row per dated statement in a source.

    ``date`` is as precise as the source (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; empty when only a
    年度 is given); ``fiscal_year`` is the 年度 the source gives or the one its month falls in, and
    ``<NA>`` for a bare calendar year (令和2年 may be FY2019 or FY2020);
    ``status`` is ``done`` or ``planned``. Every row is checked: known city, category, status and
    source; the date or 年度 readable in its verbatim ``quote``; the fiscal year matching the month;
    ``date_text`` (the words of the quote that give the date) in the quote, reading as the row's date
    or 年度, and not one cell of a row of column headers (``date_basis`` ``stated`` or ``heading``).
    Raises ``ValueError`` naming every bad row (header = row 1).
    """
    from ..io.catalogue import (
        _read_table,
        load_milestone_categories,
        load_municipalities,
        load_sources,
    )

    path = config.MILESTONES_CSV
    df = _read_table(path)
    missing = [c for c in MILESTONE_COLUMNS if c not in df.columns]
    if missing:
        raise ValueError(f"{path.name}: missing column(s) {missing}")
    problems = [f"row {i}: {why}" for i, why in _milestone_problems(df, set(load_municipalities().index),
                                                                   set(load_milestone_categories().index),
                                                                   set(load_sources().index))]
    if problems:
        raise ValueError(f"{path.name}: " + "; ".join(problems))
    derived = [fy or str(fiscal_year_of_date(d) or "") for fy, d in zip(df["fiscal_year"], df["date"])]
    return df.assign(fiscal_year=pd.array([int(y) if y else pd.NA for y in derived], dtype="Int64"),
                     source_row=range(2, len(df) + 2))


def _milestone_problems(df: pd.DataFrame, cities: set, categories: set, sources: set):
    for row, r in zip(range(2, len(df) + 2), df.itertuples(index=False)):
        for col, allowed in (("municipality", cities), ("category", categories), ("status", MILESTONE_STATUSES),
                             ("source_id", sources)):
            if getattr(r, col) not in allowed:
                yield row, f"unknown {col} {getattr(r, col)!r}"
        if not re.fullmatch(r"(\d{4}(-\d{2}(-\d{2})?)?)?", r.date) or not re.fullmatch(r"(\d{4})?", r.fiscal_year):
            yield row, f"date {r.date!r} / fiscal_year {r.fiscal_year!r} not YYYY[-MM[-DD]] / YYYY"
            continue
        written = dates_in(r.quote)
        if r.date and r.date not in written:
            yield row, f"date {r.date} is not written in the quote (found {sorted(written)})"
        fy = fiscal_year_of_date(r.date) if r.date else None
        if r.fiscal_year and fy is not None and int(r.fiscal_year) != fy:
            yield row, f"fiscal_year {r.fiscal_year} does not contain {r.date}"
        if r.fiscal_year and not r.date and f"FY{r.fiscal_year}" not in written:
            yield row, f"年度 {r.fiscal_year} is not written in the quote (found {sorted(written)})"
        if not (r.date or r.fiscal_year):
            yield row, "neither date nor fiscal_year"
            continue
        yield from ((row, why) for why in date_text_problems(r.quote, r.date_text, r.date_basis,
                                                             r.date or f"FY{r.fiscal_year}"))
    for row in df.index[df.duplicated(list(MILESTONE_KEY), keep="first")] + 2:
        yield row, "repeats an earlier row (same city, category, event, source and quote)"


_HEADER_NEIGHBOUR = re.compile(r"^\s*(?:[（(]\s*\d{4}\s*年度?\s*[）)])?\s*(?:令和|平成|R|H)\s*(?:元|\d{1,2})\s*年度")
_HEADER_BEFORE = re.compile(r"(?:令和|平成|R|H)\s*(?:元|\d{1,2})\s*年度\s*(?:[（(]\s*\d{4}\s*年度?\s*[）)])?\s*$")


def date_text_problems(quote: str, date_text: str, date_basis: str, expected: str) -> list[str]:
    """Why ``date_text`` cannot date a milestone (empty list: it can).

    ``date_text`` must be written in the quote, read as ``expected`` (``YYYY[-MM[-DD]]`` or ``FY2024``) and
    nothing else (a ``同年4月`` keeps the year it refers to), and must not be one of a row of 年度 column
    headers: the year of a table column is layout, which is not recorded.

    >>> date_text_problems("令和3年8月にRPAツール「WinActor」を導入", "令和3年8月", "stated", "2021-08")
    []
    >>> date_text_problems("令和 4 年度(2022年度) 令和5年度(2023年度) 全庁的な推進体制を確立", "令和 4 年度", "stated", "FY2022")
    ['date_text 令和 4 年度 is one of a row of 年度 column headers (a date from the layout is not recorded)']
    """
    from ..config import DATE_BASES

    out = []
    date_text = date_text if isinstance(date_text, str) else ""
    if date_basis not in DATE_BASES:
        out.append(f"date_basis {date_basis!r} is not one of {DATE_BASES}")
    if not date_text:
        return out + ["date_text is empty (copy the words of the quote that give the date)"]
    at = quote.find(date_text)
    if at < 0:
        return out + [f"date_text {date_text!r} is not in the quote"]
    written = dates_in(date_text)
    if expected not in written:
        out.append(f"date_text {date_text!r} reads {sorted(written)}, not {expected}")
    elif len(written) > 1 and not ("同" in date_text and len(written) == 2):
        out.append(f"date_text {date_text!r} holds more than one date {sorted(written)}")
    after, before = quote[at + len(date_text):], quote[:at]
    if _HEADER_NEIGHBOUR.match(after) or _HEADER_BEFORE.search(before):
        out.append(f"date_text {date_text} is one of a row of 年度 column headers (a date from the layout is not recorded)")
    return out
