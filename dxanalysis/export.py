"""Write tables for people who work in Excel: safe against formula injection and byte-stable.

A text cell that begins with ``=``, ``+``, ``-``, ``@``, tab, CR or LF would be run by
Excel as a formula; such cells get a leading apostrophe (CSV) or are stored as
quote-prefixed text (XLSX). Real numbers stay numbers. The XLSX zip is rewritten with
fixed timestamps, so the same table always gives the same bytes.

>>> neutralise("=HYPERLINK(\\"x\\")"), neutralise("-5 件"), neutralise(-5.0), neutralise("約5")
('\\'=HYPERLINK("x")', "'-5 件", -5.0, '約5')
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
FIXED_DOC_TIME = "2000-01-01T00:00:00Z"


def neutralise(cell: object) -> object:
    """Prefix an apostrophe to text Excel would run as a formula; leave everything else."""
    if isinstance(cell, str) and cell.startswith(FORMULA_PREFIXES):
        return "'" + cell
    return cell


def _text_columns(df: pd.DataFrame) -> list[str]:
    return [c for c in df.columns if not pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])]


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells are neutralised (numbers untouched)."""
    cols = _text_columns(df)
    return df.assign(**{c: df[c].map(neutralise, na_action="ignore") for c in cols})


def write_csv(df: pd.DataFrame, path: str | Path) -> Path:
    """CSV (UTF-8 with BOM, so Excel reads Japanese correctly), neutralised, LF line ends."""
    path = Path(path)
    safe_frame(df).to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n")
    return path


def write_xlsx(sheets: dict[str, pd.DataFrame], path: str | Path) -> Path:
    """One workbook, one sheet per frame; text that looks like a formula is stored as text."""
    import openpyxl
    from openpyxl.styles import Alignment

    path = Path(path)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, df in sheets.items():
        ws = wb.create_sheet(title=name[:31])
        ws.append([str(c) for c in df.columns])
        text_cols = set(_text_columns(df))
        for row in df.itertuples(index=False):
            ws.append([None if (isinstance(v, float) and v != v) or v is pd.NA else
                       (str(v) if c in text_cols else v) for c, v in zip(df.columns, row)])
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_PREFIXES):
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
