"""The text of a source document, page by page: a PDF (pypdfium2), a saved HTML page (html.parser) or plain text.

Pages are kept apart so that a quote can be given its page; in the text copy of a document
(``data/sources/<id>.txt``) they are separated by a form feed (``PAGE_BREAK``, ``\\f``), the page
marker ``pdftotext`` uses too. A document that cannot give its text is refused with the reason
(:class:`DocumentError`): a PDF without a text layer (a scan: OCR is not supported), an encrypted PDF,
a file that is none of the three kinds.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

PAGE_BREAK = "\f"
"""Separates the pages in a text copy of a document (form feed, as pdftotext writes it)."""
PDF_SUFFIXES = (".pdf",)
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
TEXT_SUFFIXES = (".txt", ".text", ".md")
DOCUMENT_SUFFIXES = PDF_SUFFIXES + HTML_SUFFIXES + TEXT_SUFFIXES
"""The kinds of document ``source add`` takes."""
TEXT_ENCODINGS = ("utf-8-sig", "utf-16", "cp932")
"""Encodings a plain-text document is read in, in this order (UTF-16 only with its BOM)."""


class DocumentError(ValueError):
    """A document whose text cannot be read; ``reason`` says why in English and Japanese."""


def document_pages(path: str | Path) -> list[str]:
    """The text of each page of the document at ``path`` (an HTML or plain-text file is one page, unless
    the text holds form feeds).

    >>> import tempfile, os
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = Path(d, "a.txt"); _ = p.write_text("R6 761\\fR7 812", encoding="utf-8")
    ...     document_pages(p)
    ['R6 761', 'R7 812']
    """
    path = Path(path)
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix in PDF_SUFFIXES or data[:5] == b"%PDF-":
        return pdf_pages(data)
    if suffix in HTML_SUFFIXES:
        return [html_text(decode_text(data))]
    if suffix in TEXT_SUFFIXES:
        return decode_text(data).split(PAGE_BREAK)
    raise DocumentError(f"{path.name}: not a PDF, HTML or text file (suffix {suffix or 'none'}; "
                        f"accepted: {', '.join(DOCUMENT_SUFFIXES)}) / PDF・HTML・テキスト以外のファイルです")


def pdf_pages(data: bytes) -> list[str]:
    """The text layer of each page of a PDF (pypdfium2); refuses an encrypted PDF and one without text.

    >>> pdf_pages(b"not a pdf")
    Traceback (most recent call last):
    ...
    dxanalysis.io.documents.DocumentError: the PDF cannot be opened (Failed to load document (PDFium: Data format error).) / PDF を開けません
    """
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise DocumentError("the PDF is encrypted (it asks for a password); save an unencrypted copy "
                                "/ PDF が暗号化されています（パスワード付き）。暗号化していない版を保存してください") from None
        raise DocumentError(f"the PDF cannot be opened ({exc}) / PDF を開けません") from None
    try:
        if pdfium.raw.FPDF_GetSecurityHandlerRevision(pdf.raw) != -1:
            raise DocumentError("the PDF is encrypted (copying its text may be restricted); save an unencrypted copy "
                                "/ PDF が暗号化されています。暗号化していない版を保存してください")
        pages = [_page_text(pdf[i]) for i in range(len(pdf))]
    finally:
        pdf.close()
    if not "".join(pages).strip():
        raise DocumentError(f"the PDF has no text layer on any of its {len(pages)} page(s) (a scanned document?); "
                            "OCR is not supported: ask the publisher for a PDF with text, or register a text copy "
                            "/ PDF に文字情報がありません（スキャン画像？）。OCR には対応していません")
    return pages


def _page_text(page) -> str:
    textpage = page.get_textpage()
    try:
        return textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n")
    finally:
        textpage.close()
        page.close()


def decode_text(data: bytes) -> str:
    """Bytes of a text document as text: UTF-8 (with or without BOM), UTF-16 with its BOM, or CP932.

    >>> decode_text("茅ヶ崎市".encode("cp932")), decode_text("\\ufeffR6".encode("utf-8"))
    ('茅ヶ崎市', 'R6')
    """
    for encoding in TEXT_ENCODINGS:
        if encoding == "utf-16" and data[:2] not in (b"\xff\xfe", b"\xfe\xff"):
            continue
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DocumentError("the text is neither UTF-8, UTF-16 (with BOM) nor Shift_JIS (CP932) "
                        "/ 文字コードを判別できません（UTF-8・UTF-16・Shift_JIS のいずれでもありません）")


_SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template", "head"})
_BLOCK_TAGS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section",
                         "article", "header", "footer", "ul", "ol", "dd", "dt", "pre", "blockquote", "caption"})
_CELL_TAGS = frozenset({"td", "th"})


class _TextCollector(HTMLParser):
    """What a reader sees of an HTML page: text outside script/style, a line per block, a tab per table cell."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs) -> None:
        if tag in _SKIPPED_TAGS:
            self.skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")
        elif tag in _CELL_TAGS:
            self.parts.append("\t")

    def handle_endtag(self, tag) -> None:
        if tag in _SKIPPED_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_text(html: str) -> str:
    """The visible text of an HTML page (stdlib ``html.parser``; entities decoded, scripts and styles left out).

    >>> html_text("<html><head><title>t</title><style>p{}</style></head><body><p>R6&nbsp;761</p><script>x=1</script>"
    ...           "<table><tr><td>R7</td><td>812</td></tr></table></body></html>")
    'R6\\xa0761\\nR7\\t812'
    """
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    lines = (line.strip(" \t") for line in "".join(collector.parts).split("\n"))
    return "\n".join(line for line in lines if line)
