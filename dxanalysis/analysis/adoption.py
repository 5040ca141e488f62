"""When each city adopted each digital tool (from the dated milestone statements)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..contract.records import MILESTONE_STATUSES
from .series import require_columns


def first_adoptions(milestones: pd.DataFrame, *, status: str = "done") -> pd.DataFrame:
    """The first dated statement per city and category, with the quote that dates it.

    ``year`` is the statement's fiscal year, or — for a bare calendar year such as 令和2年, whose
    fiscal year may be that year or the one before — the calendar year, with ``year_basis``
    saying which (``fiscal`` / ``calendar``). Ties go to the fiscal-year statement.

    >>> ms = pd.DataFrame({"municipality": ["a", "a", "a"], "category": ["rpa"] * 3, "status": ["done"] * 3,
    ...                    "fiscal_year": pd.array([2021, pd.NA, 2023], dtype="Int64"), "date": ["", "2020", ""]})
    >>> first_adoptions(ms)[["municipality", "category", "year", "year_basis"]].values.tolist()
    [['a', 'rpa', 2020, 'calendar']]
    """
    require_columns(milestones, "municipality", "category", "fiscal_year", "date", "status")
    if status not in MILESTONE_STATUSES:
        raise ValueError(f"status must be one of {MILESTONE_STATUSES}, not {status!r}")
    rows = milestones[milestones["status"] == status]
    bare = rows["fiscal_year"].isna() & rows["date"].str.fullmatch(r"\d{4}")
    year = rows["fiscal_year"].astype("float64").where(~bare, pd.to_numeric(rows["date"].where(bare), errors="coerce"))
    rows = rows.assign(year=year, year_basis=np.where(bare, "calendar", "fiscal")).dropna(subset=["year"])
    first = (rows.sort_values(["year", "year_basis"], ascending=[True, False], kind="stable")
             .drop_duplicates(["municipality", "category"]))
    return first.assign(year=first["year"].astype("int64")).sort_values(["category", "municipality"]).reset_index(drop=True)


def adoption_years(milestones: pd.DataFrame, *, status: str = "done") -> pd.DataFrame:
    """:func:`first_adoptions` as a table: categories × cities, the first year (empty: nothing dated).

    >>> ms = pd.DataFrame({"municipality": ["a", "a", "b"], "category": ["rpa", "rpa", "rpa"], "date": ["", "", ""],
    ...                    "fiscal_year": pd.array([2021, 2020, pd.NA], dtype="Int64"), "status": ["done"] * 3})
    >>> adoption_years(ms).to_dict()
    {'a': {'rpa': 2020}}
    """
    first = first_adoptions(milestones, status=status)
    table = first.pivot(index="category", columns="municipality", values="year")
    return table.astype("Int64").rename_axis(index=None, columns=None)
