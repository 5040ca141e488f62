"""Cell text as the analyst sees it: normalisation, yes/no cells, formulas and Excel error cells.

>>> normalize_text("　５，０００件 "), parse_bool("はい")
('5,000件', True)
"""

from __future__ import annotations

import datetime as _dt
import math
import re
import unicodedata


class CellError(ValueError):
    """A cell that cannot be read. ``code`` is a stable error code (see ``dxanalysis.errors``)."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(code if not detail else f"{code}: {detail}")
        self.code = code
        self.detail = detail


# ---------------------------------------------------------------- text

def normalize_text(text: object) -> str:
    """NFKC-normalise a cell, collapse white space and strip it.

    Full-width digits and letters become ASCII, half-width katakana full-width.

    >>> normalize_text("　５，０００件 ")
    '5,000件'
    >>> normalize_text("ﾁｶﾞｻｷ")
    'チガサキ'
    """
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", str(text))).strip()


def squash(text: object) -> str:
    """Normalise and remove all white space: the form in which quotes are compared with sources.

    >>> squash("年間約 14,000 時間")
    '年間約14,000時間'
    """
    return re.sub(r"\s+", "", normalize_text(text))


# ---------------------------------------------------------------- booleans

_TRUE = {"true", "1", "yes", "y", "はい", "○", "〇", "✓", "t", "約"}
_FALSE = {"false", "0", "no", "n", "いいえ", "", "f", "×"}


def parse_bool(cell: object) -> bool:
    """Read a yes/no cell (``true``/``はい``/``○`` or ``false``/``いいえ``/empty).

    >>> parse_bool("はい"), parse_bool(""), parse_bool(True)
    (True, False, True)
    """
    if isinstance(cell, bool):
        return cell
    if isinstance(cell, (int, float)) and not (isinstance(cell, float) and math.isnan(cell)):
        if cell in (0, 1):
            return bool(cell)
        raise CellError("bad_boolean", repr(cell))
    text = normalize_text(cell).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError("bad_boolean", text)


# ---------------------------------------------------------------- spreadsheet cells

class Formula(str):
    """The text of a formula cell (``=SUM(…)``): kept so validation can refuse it by name."""


class ExcelError(str):
    """An Excel error cell (``#N/A``, ``#DIV/0!``): the document had no figure there, or a broken one."""


def cell_text(cell: object) -> object:
    """A cell of a text column as the analyst sees it: ``761`` not ``761.0``, a date as ``2024-04-01``.

    Text is returned unchanged, empty cells as None; formulas and error cells keep their class.

    >>> cell_text(761.0), cell_text(0.5), cell_text(142077), cell_text("R6 761")
    ('761', '0.5', '142077', 'R6 761')
    >>> import datetime as dt; cell_text(dt.datetime(2024, 4, 1))
    '2024-04-01'
    """
    if cell is None or isinstance(cell, str):
        return cell
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, int):
        return str(cell)
    if isinstance(cell, float):
        if math.isnan(cell):
            return None
        return str(int(cell)) if cell.is_integer() and abs(cell) < 1e15 else repr(cell)
    if isinstance(cell, _dt.datetime):
        return cell.date().isoformat() if cell.time() == _dt.time() else cell.isoformat(sep=" ")
    if isinstance(cell, (_dt.date, _dt.time)):
        return cell.isoformat()
    return str(cell)


def percent_text(value: float) -> str:
    """The text of a numeric cell formatted as a percentage, exactly: 0.15 → ``15%``, 0.153 → ``15.3%``.

    >>> percent_text(0.15), percent_text(0.153), percent_text(1.0)
    ('15%', '15.3%', '100%')
    """
    from decimal import Decimal

    scaled = (Decimal(repr(float(value))) * 100).normalize()
    text = format(scaled, "f")
    return (text.rstrip("0").rstrip(".") if "." in text else text) + "%"
