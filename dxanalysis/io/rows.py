"""Raw rows → a frame of text cells: the header search and blank-row rules shared by every reader."""

from __future__ import annotations

import pandas as pd

HEADER_SEARCH_ROWS = 20
"""How many rows from the top are searched for the header row."""


class FileProblem(Exception):
    """A file that cannot be read as a whole (raised inside this module, reported as a Problem)."""

    def __init__(self, code: str, detail: str = "", row: int | None = None):
        super().__init__(detail)
        self.code, self.detail, self.row = code, detail, row


def _cells_present(row: list[object]) -> bool:
    return any(not _blank(c) for c in row)


def _rows_frame(rows: list[list[object]], columns: dict[str, int], plain: bool = False) -> pd.DataFrame:
    """A frame of the wanted columns; with ``plain`` (no formulas possible) text-only columns become ``str``."""
    records = [[row[j] if j < len(row) else None for j in columns.values()] for row in rows]
    frame = pd.DataFrame(records, columns=list(columns), dtype=object)
    if plain:
        for col in frame.columns:
            if pd.api.types.infer_dtype(frame[col], skipna=True) in ("string", "empty"):
                frame[col] = frame[col].astype("str").fillna("")
    return frame


def _blank_rows(frame: pd.DataFrame) -> pd.Series:
    """Rows whose every read cell is empty (None, NaN or white space).

    Cheap first: only rows whose first column is empty are checked in the other columns.
    """
    if frame.empty or not len(frame.columns):
        return pd.Series(False, index=frame.index, dtype=bool)
    blank = _blank_cells(frame.iloc[:, 0])
    for col in frame.columns[1:]:
        if not blank.any():
            break
        blank[blank] = _blank_cells(frame.loc[blank, col]).to_numpy()
    return blank


def _blank_cells(s: pd.Series) -> pd.Series:
    if s.dtype == object:
        return s.map(_blank).astype(bool)
    return (s.isna() | s.str.strip().eq("")).astype(bool)


def _blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip()) or (isinstance(cell, float) and cell != cell)
