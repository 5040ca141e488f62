"""Read a text file (a source document's text for the quote check) with the one encoding decision of the CSV reader.

UTF-8 with or without BOM, UTF-16 with BOM, or CP932 (half-width katakana included: never mistaken for UTF-8);
line ends become ``\\n``. A file that is none of these, or mixes two, is an :class:`~dxanalysis.errors.ExtractError`
naming the file and its first bad line.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import ExtractError, Problem
from .csv import _decode_whole, csv_encoding
from .rows import FileProblem


def read_text_file(path: str | Path) -> str:
    """The text of ``path``, decoded as :func:`dxanalysis.io.csv.csv_encoding` decides, with ``\\n`` line ends.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "s.txt"
    >>> _ = p.write_bytes("令和6年度 ﾏｲﾅｰ\\r\\n761件".encode("cp932"))
    >>> read_text_file(p)
    '令和6年度 ﾏｲﾅｰ\\n761件'
    """
    path = Path(path)
    try:
        data = path.read_bytes()
        text = _decode_whole(data, csv_encoding(data), path.name)
    except FileProblem as exc:
        raise ExtractError([Problem(path.name, exc.row, None, None, exc.code, exc.detail)]) from None
    except OSError as exc:
        raise ExtractError([Problem(path.name, None, None, None, "unreadable_file", str(exc)[:200])]) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")
