"""Rows of the yearly update: how new figures relate to the bundled data, and their cells as the CSV holds them."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

from ..config import KEY_COLUMNS
from ..errors import Problem


@dataclass
class Changes:
    """How new figures relate to the bundled data."""

    new: pd.DataFrame
    revised: pd.DataFrame = field(default_factory=pd.DataFrame)
    unchanged: pd.DataFrame = field(default_factory=pd.DataFrame)
    add_id: str | None = None
    """the ledger entry of the add that wrote these changes (``None``: nothing written)"""

    def __str__(self) -> str:
        lines = [f"{len(self.new)} new row(s), {len(self.revised)} revised value(s), {len(self.unchanged)} unchanged"]
        for r in self.revised.itertuples(index=False):
            lines.append(f"  revision: {r.municipality} {r.indicator} FY{r.fiscal_year} {r.kind}: "
                         f"{r.value_old:g} ({r.source_id_old}) → {r.value:g} ({r.source_id})")
        return "\n".join(lines)


def compare(new: pd.DataFrame, bundled: pd.DataFrame) -> Changes:
    """Split new rows into new keys, revised values and unchanged values against the bundled table."""
    keys = list(KEY_COLUMNS)
    old = bundled[keys + ["value", "source_id"]]
    merged = new.merge(old, on=keys, how="left", suffixes=("", "_old"), indicator=True)
    known = merged["_merge"] == "both"
    same = known & ((merged["value"] == merged["value_old"]) | (merged["value"].isna() & merged["value_old"].isna()))
    drop = ["_merge"]
    return Changes(new=merged[~known].drop(columns=drop + ["value_old", "source_id_old"]),
                   revised=merged[known & ~same].drop(columns=drop), unchanged=merged[same].drop(columns=drop))


def format_value(v: float) -> str:
    """A value as written to the CSV: the shortest decimal that reads back as the same float, never in
    exponent notation (``1234567890123456800``, not ``1.2345678901234568e+18``); missing is empty.

    >>> [format_value(v) for v in (3108.0, 80.3, 1.2345678901234568e+18, 1e-07, float("nan"))]
    ['3108', '80.3', '1234567890123456800', '0.0000001', '']
    """
    if v is None or pd.isna(v):
        return ""
    f = float(v)
    if not math.isfinite(f):
        raise ValueError(f"value {v!r} is not a finite number")
    text = format(Decimal(repr(f)), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
"""Line breaks, tabs and other control characters: refused in text cells (they would not survive a CSV
edit in Excel, and quotes are compared ignoring whitespace, so a space does the same job)."""


def text_problems(rows: pd.DataFrame, columns, headers: dict[str, dict[str, str]], *, file: str | None = None,
                  column_prefix: str = "") -> list[Problem]:
    """Every text cell of ``rows`` holding a line break or control character, at the analyst's file, row and
    column (``file`` for all rows, else each row's ``source_file``; columns as written, from ``headers``)."""
    bad = []
    for r in rows.to_dict("records"):
        where = file or str(r.get("source_file", "?"))
        for c in columns:
            v = r.get(c)
            if isinstance(v, str) and (m := _CONTROL.search(v)):
                row = r.get("source_row")
                bad.append(Problem(where, None if row is None or pd.isna(row) else int(row),
                                   column_prefix + headers.get(where, {}).get(c, c), v, "line_break",
                                   f"U+{ord(m.group()):04X}"))
    return bad


def cell(rec: dict, col: str) -> str:
    v = rec.get(col)
    if col == "value":
        return format_value(v)
    if col == "approximate":
        return "true" if (v is True or (v is not None and not pd.isna(v) and bool(v))) else "false"
    if col == "fiscal_year":
        return "" if v is None or pd.isna(v) else str(int(v))
    return "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)
