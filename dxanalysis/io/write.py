"""The one writer of every CSV and XLSX the project writes: safe against formula injection and byte-stable.

``export``, the report's downloads and ``figures/data/*`` all go through :func:`write_csv` /
:func:`write_xlsx`. A text cell that begins with ``=``, ``+``, ``-``, ``@`` — or their full-width
forms ``＝＋－＠``, which Japanese Excel input turns into formulas — or with tab, CR or LF would be
run by Excel as a formula; such cells get a leading apostrophe (CSV) or are stored as quote-prefixed
text (XLSX). Control characters that XLSX cannot hold are removed (from both formats, so they say the
same), and a cell longer than Excel's 32,767 characters is refused. Real numbers stay numbers. The
XLSX zip is rewritten with fixed timestamps, so the same table always gives the same bytes.

>>> neutralise("=HYPERLINK(\\"x\\")"), neutralise("-5 件"), neutralise(-5.0), neutralise("約5"), neutralise("＝1+1")
('\\'=HYPERLINK("x")', "'-5 件", -5.0, '約5', "'＝1+1")
>>> clean_text("R6\\x00 761\\x1b")
'R6 761'
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
"""Starts of text that Excel (and Japanese IME input) would run as a formula."""
ILLEGAL_XLSX_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""Characters an XLSX cell cannot hold (openpyxl raises IllegalCharacterError on them)."""
MAX_CELL_CHARACTERS = 32_767
"""Excel's limit on the text of one cell."""


class WriteError(ValueError):
    """A table that cannot be written faithfully (e.g. a cell longer than Excel can hold)."""


def clean_text(cell: object) -> object:
    """Remove the control characters XLSX cannot hold; refuse text longer than an Excel cell."""
    if not isinstance(cell, str):
        return cell
    if len(cell) > MAX_CELL_CHARACTERS:
        raise WriteError(f"a cell of {len(cell):,} characters (Excel holds {MAX_CELL_CHARACTERS:,}): {cell[:40]!r}…")
    return ILLEGAL_XLSX_CHARACTERS.sub("", cell)
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
FIXED_DOC_TIME = "2000-01-01T00:00:00Z"


def neutralise(cell: object) -> object:
    """Prefix an apostrophe to text Excel would run as a formula; leave everything else."""
    if isinstance(cell, str) and cell.lstrip(" \u3000").startswith(FORMULA_PREFIXES):
        return "'" + cell
    return cell


def _text_columns(df: pd.DataFrame) -> list[str]:
    return [c for c in df.columns if not pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])]


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells are cleaned and neutralised (numbers untouched), header too."""
    cols = _text_columns(df)
    out = df.assign(**{c: df[c].map(lambda v: neutralise(clean_text(v)), na_action="ignore") for c in cols})
    return out.rename(columns={c: neutralise(clean_text(c)) for c in out.columns if isinstance(c, str)})


def write_csv(df: pd.DataFrame, path: str | Path, *, bom: bool = True) -> Path:
    """CSV (UTF-8 with BOM, so Excel reads Japanese correctly; ``bom=False`` for plain UTF-8), neutralised,
    LF line ends. Written to a temporary file and moved into place, so a failed write leaves no half file."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    safe_frame(df).to_csv(tmp, index=False, encoding="utf-8-sig" if bom else "utf-8", lineterminator="\n")
    tmp.replace(path)
    return path


def write_xlsx(sheets: dict[str, pd.DataFrame], path: str | Path) -> Path:
    """One workbook, one sheet per frame; text that looks like a formula is stored as text."""
    import openpyxl
    from openpyxl.styles import Alignment

    path = Path(path)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, df in sheets.items():
        ws = wb.create_sheet(title=re.sub(r"[\[\]:*?/\\]", "_", clean_text(name))[:31] or "sheet")
        ws.append([clean_text(str(c)) for c in df.columns])
        text_cols = set(_text_columns(df))
        for row in df.itertuples(index=False):
            ws.append([None if (isinstance(v, float) and v != v) or v is pd.NA else
                       (clean_text(str(v)) if c in text_cols else v) for c, v in zip(df.columns, row)])
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str) and cell.value.lstrip(" \u3000").startswith(FORMULA_PREFIXES):
                    cell.data_type = "s"  # never a formula
                    cell.alignment = Alignment(horizontal="left")
                    cell.quotePrefix = True
        ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(_stable_zip(buf.getvalue()))
    return path


def _stable_zip(data: bytes) -> bytes:
    """Rewrite an XLSX with fixed entry times and document dates (byte-identical output)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>" + FIXED_DOC_TIME.encode(), content)
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME), content,
                         compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
