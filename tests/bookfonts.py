"""Read a PDF figure book page by page and measure the smallest font each page prints (pypdfium2).

Two kinds of text are on a page: the page's own text (title, sources, page number: real PDF text, its size read
from the page) and the text inside the embedded figure image (tick labels, cell labels, legend, caption). For the
image, the figure's smallest font at its own size (``min_font_pt`` in the figure's JSON sidecar) is scaled by how
large the image is printed: its width on the page (read from the PDF) over its width as saved (its pixels at
``PNG_DPI``). A page is as legible as the smallest of the two.
"""

from __future__ import annotations

import json
from pathlib import Path

FOOTER_SEP = " · "
"""The page number line ends every figure page: ``<png file> · page N``; it names the image the page shows."""


def sidecar_fonts(figures_dir: Path) -> dict[str, float]:
    """PNG file name → the smallest font (pt, at the figure's size) of that figure or book part, from the sidecars."""
    fonts = {}
    for side in Path(figures_dir).glob("*.json"):
        rec = json.loads(side.read_text(encoding="utf-8"))
        if "png" not in rec:
            continue
        if rec.get("min_font_pt") is not None:
            fonts[rec["png"]] = rec["min_font_pt"]
        for page in rec.get("book_pages", []):
            fonts[page["png"]] = page["min_font_pt"]
    return fonts


def page_text_sizes(page) -> list[float]:
    """Font size (pt) of every non-blank character of the page's own text."""
    import pypdfium2.raw as raw

    text = page.get_textpage()
    sizes = [raw.FPDFText_GetFontSize(text.raw, i) for i in range(text.count_chars())
             if text.get_text_range(i, 1).strip()]
    return sizes


def book_min_fonts(pdf_path: Path, fonts: dict[str, float], dpi: int = 300) -> list[dict]:
    """One entry per page: its number, the image it shows (if any), the smallest page-text size and the smallest
    printed size of the image's text; ``min`` the smaller. An image no sidecar measures is reported with
    ``image_pt`` None (the caller decides: a test treats it as a failure)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    pdf = pdfium.PdfDocument(str(pdf_path))
    out = []
    for n in range(len(pdf)):
        page = pdf[n]
        sizes = page_text_sizes(page)
        whole = page.get_textpage().get_text_range()
        footer = [line for line in whole.splitlines() if FOOTER_SEP in line]
        stem = footer[-1].rsplit(FOOTER_SEP, 1)[0].strip().removesuffix(".png") if footer else None
        images = list(page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE]))
        image_pt = None
        for img in images:
            left, _, right, _ = img.get_bounds()
            px_w = img.get_px_size()[0]
            base = fonts.get(f"{stem}.png")
            if base is not None:
                size = base * ((right - left) / 72) / (px_w / dpi)
                image_pt = size if image_pt is None else min(image_pt, size)
        entry = {"page": n + 1, "image": f"{stem}.png" if images else None, "text_pt": min(sizes, default=None),
                 "image_pt": image_pt}
        entry["min"] = min(v for v in (entry["text_pt"], image_pt, float("inf")) if v is not None)
        out.append(entry)
    pdf.close()
    return out
