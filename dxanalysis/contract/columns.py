"""Column-wise checking: parse each distinct cell of a column once, and collect problems by row and column."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pandas as pd

from ..errors import Problem
from ..io.cells import CellError, ExcelError, Formula
from ..io.numbers import PLAIN_UNITS, parse_number
from ..io.tables import RawTable


def distinct(series: pd.Series) -> tuple[np.ndarray, list[object]]:
    """(codes, distinct cells): ``cells[codes]`` gives the column back; empty cells map to a final None."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    return np.where(codes < 0, len(uniques), codes), [*uniques, None]


def _spread(column: pd.Series | None, cells: list[object], values: list[object], codes: np.ndarray,
            index: pd.Index) -> pd.Series:
    """The per-distinct ``values`` as a str column; the original column itself when nothing changed."""
    if (column is not None and isinstance(column.dtype, pd.StringDtype)
            and all(v == c for v, c in zip(values[:-1], cells[:-1])) and values[-1] is None):
        return column
    return pd.Series(pd.array(values, dtype="str").take(codes), index=index)


def per_unique(series: pd.Series, func: Callable[[object], object], dtype: str | None = None
               ) -> tuple[pd.Series, pd.Series]:
    """Apply ``func`` once per distinct cell (``pd.factorize``) and spread the results back.

    Returns (results, errors): a :class:`CellError` where ``func`` raised (or the cell is a
    formula), else None. Empty cells (None/NaN) are passed to ``func`` as None. With
    ``dtype`` the results are typed once, on the distinct values, then taken (fast).
    """
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    codes = np.where(codes < 0, len(uniques), codes)
    results = np.empty(len(uniques) + 1, dtype=object)
    errors = np.empty(len(uniques) + 1, dtype=object)
    for i, cell in enumerate([*uniques, None]):
        if isinstance(cell, Formula):
            errors[i] = CellError("formula_cell", str(cell))
            continue
        if isinstance(cell, ExcelError):
            errors[i] = CellError("error_cell", str(cell))
            continue
        try:
            results[i] = func(cell)
        except CellError as exc:
            errors[i] = exc
    typed = pd.array(results, dtype=dtype).take(codes) if dtype else results[codes]
    return (pd.Series(typed, index=series.index, dtype=dtype or object),
            pd.Series(errors[codes], index=series.index, dtype=object))


_PLAIN = r"^(?P<int>[0-9]{1,3}(?:,[0-9]{3}){1,3}|[0-9]{1,12})(?P<frac>(?:\.[0-9]{1,3})?)(?P<unit>\D{0,6})$"
"""Plain numbers of at most 15 digits (exact as floats) take the vectorised path; others the strict parser."""


def parse_values(cells: pd.Series) -> pd.DataFrame:
    """Parse a value column: plain numbers ("12,345時間", "85%") vectorised, the rest per distinct cell.

    Returns columns ``value`` (float), ``unit``, ``percent_sign``, ``approximate`` and ``error``
    (a :class:`CellError` or None), aligned with ``cells``.
    """
    n = len(cells)
    value, percent, approx = np.full(n, np.nan), np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    error, slow = np.full(n, None, dtype=object), np.ones(n, dtype=bool)
    unit = None  # a pyarrow array once the fast path ran
    if isinstance(cells.dtype, pd.StringDtype) and cells.dtype.storage == "pyarrow" and n:
        import pyarrow as pa
        import pyarrow.compute as pc

        parts = pc.extract_regex(pa.array(cells.array), _PLAIN)
        unit = pc.struct_field(parts, "unit")
        fast = pc.and_(pc.is_valid(parts), pc.is_in(unit, value_set=pa.array(sorted(PLAIN_UNITS)))).fill_null(False)
        whole = pc.replace_substring(pc.struct_field(parts, "int"), ",", "")
        digits = pc.binary_join_element_wise(whole, pc.struct_field(parts, "frac"), pa.scalar("", whole.type))
        numbers = pc.cast(pc.if_else(fast, digits, pa.scalar(None, digits.type)), pa.float64())
        value = numbers.to_numpy(zero_copy_only=False).copy()
        percent = pc.and_(fast, pc.equal(unit, "%")).fill_null(False).to_numpy(zero_copy_only=False).copy()
        slow = ~fast.to_numpy(zero_copy_only=False)
    if slow.any():
        codes, uniques = distinct(cells[slow])
        parsed, errors = per_unique(pd.Series(uniques, dtype=object), parse_number)
        field = lambda name, default: np.array([getattr(p, name) if isinstance(p, tuple) else default  # noqa: E731
                                                for p in parsed], dtype=object)[codes]
        value[slow] = field("value", np.nan).astype(float)
        percent[slow] = field("percent_sign", False).astype(bool)
        approx[slow] = field("approximate", False).astype(bool)
        error[slow] = errors.to_numpy()[codes]
        slow_units = field("unit", "")
    if unit is None:
        units = pd.array(slow_units if slow.any() else np.full(n, "", dtype=object), dtype="str")
    else:
        import pyarrow as pa
        import pyarrow.compute as pc

        if slow.any():
            unit = pc.replace_with_mask(unit, pa.array(slow), pa.array(list(slow_units), type=unit.type))
        units = pd.array(unit, dtype="str")
    return pd.DataFrame({"value": value, "unit": units, "percent_sign": percent, "approximate": approx,
                         "error": error}, index=cells.index)

class _Collector:
    """Gathers problems for one raw table and remembers which rows they hit."""

    def __init__(self, raw: RawTable):
        self.raw = raw
        self.problems: list[Problem] = []
        self.bad_rows: set[int] = set()
        self.reported: set[tuple[int, str]] = set()
        """(row index, column) of formula and error cells: reported once, not again by later checks"""

    def add(self, mask: pd.Series, column: str, code: str | pd.Series, detail: str | pd.Series = "",
            value: pd.Series | None = None) -> None:
        mask = mask.fillna(False).astype(bool)
        if not mask.any():
            return
        frame = self.raw.frame
        header = self.raw.headers.get(column, column)
        vals = (frame[column] if value is None and column in frame else value)
        idx = mask[mask].index
        codes = code[idx] if isinstance(code, pd.Series) else pd.Series(code, index=idx)
        details = detail[idx] if isinstance(detail, pd.Series) else pd.Series(detail, index=idx)
        for i in idx:
            if (i, column) in self.reported:
                continue
            v = None if vals is None else vals.at[i]
            self.problems.append(Problem(self.raw.file, int(frame.at[i, "source_row"]), header,
                                         None if v is None or (isinstance(v, float) and math.isnan(v)) else
                                         (str(v) if isinstance(v, str) else v),
                                         str(codes.at[i]), str(details.at[i] or "")))
        self.bad_rows.update(int(i) for i in idx)

    def add_cell_errors(self, errors: pd.Series, column: str) -> None:
        has = errors.notna()
        if has.any():
            self.add(has, column, errors[has].map(lambda e: e.code), errors[has].map(lambda e: e.detail))


def _column(f: pd.DataFrame, col: str) -> pd.Series:
    return f[col] if col in f else pd.Series([None] * len(f), index=f.index, dtype=object)
