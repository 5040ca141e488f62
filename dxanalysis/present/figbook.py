"""The PDF figure book: every figure of the report on its own page, with title, caption and sources.

``reports/figures_ja.pdf`` and ``reports/figures_en.pdf`` are what reviewers pass around.
Each page shows the figure's 300-dpi PNG (embedded at its own resolution), its title, the
caption printed in the figure, and for each source its publisher, title, date, where it
can be found and any attribution or licence it requires. The PDF is built with matplotlib
(``PdfPages``, TrueType fonts embedded), with no creation date or producer metadata, so the
same figures always give the same bytes.
"""

from __future__ import annotations

from pathlib import Path

from .. import config
from .layout import wrap

NO_DATE = {"ja": "資料から確定できない", "en": "not established"}
"""Where a source's date cannot be established from the document (never left blank)."""

PAGE_SIZE = (11.69, 8.27)
"""A4 landscape, inches."""
LINE_HEIGHT = 8 * 1.4 / 72 / PAGE_SIZE[1]
"""Height of one line of the sources text (8 pt, spacing 1.4), as a share of the page."""
PDF_METADATA = {"Creator": None, "Producer": None, "CreationDate": None, "ModDate": None}
"""No date, no program name: the PDF depends only on the figures and their records."""

WORDS = {
    "ja": {"date": "日付", "book": "図表集", "figure": "図", "sources": "資料", "where": "所在", "attribution": "表示",
           "licence": "利用条件", "page": "ページ", "contents": "収録図"},
    "en": {"date": "Date", "book": "Figure book", "figure": "Figure", "sources": "Sources", "where": "Where to find it",
           "attribution": "Attribution", "licence": "Licence", "page": "page", "contents": "Figures"},
}


def source_lines(source_ids, lang: str) -> list[str]:
    """One block of text per source: name and date, where to find it, attribution, licence."""
    from ..contract.citations import all_sources, reader_source

    w = WORDS[lang]
    src = all_sources()
    out = []
    for sid in sorted(set(source_ids)):
        rec = reader_source(sid, lang, src)  # in the book's language; the URL once
        out.append(f"• {rec['name']}" + (f"{'' if lang == 'ja' else ' '}({rec['date']})" if rec["date"] else ""))
        if not rec["date"]:
            out.append(f"   {w['date']}: {NO_DATE[lang]}")
        out.append(f"   {w['where']}: " + " ".join(x for x in (rec["url"], rec["where"]) if x))
        for key in ("attribution", "licence"):
            if rec[key]:
                out.append(f"   {w[key]}: {rec[key]}")
    return out


MIN_FONT_PT = 6.0
"""No text on a page of the book is smaller than this: a figure whose smallest font, scaled to fit the page, would
be smaller is refused (:class:`IllegiblePage`) unless it comes in parts (``save_figure(..., book_parts=...)``)."""


class IllegiblePage(ValueError):
    """A figure whose text would be printed below :data:`MIN_FONT_PT` on its page of the book."""


def _pages_of(record: dict, lang: str) -> list[tuple[str, str, float | None]]:
    """(png, title, smallest font at the figure's size) of each page a figure takes: its parts, or itself."""
    parts = record.get("book_pages") or []
    if not parts:
        return [(record["png"], record["title"], record.get("min_font_pt"))]
    n = len(parts)
    number = "（{}/{}）" if lang == "ja" else " ({}/{})"
    return [(part["png"], record["title"] + number.format(k, n), part.get("min_font_pt")) for k, part in enumerate(parts, 1)]


IMAGE_BOX = (0.92, 0.66)
"""Width and height (shares of the page) an image may take above its sources."""
FULL_IMAGE_H = 0.8
"""Height an image may take when its sources go on a page of their own (they would not fit under it)."""


def _source_text(record: dict, lang: str) -> list[str]:
    return [f"{WORDS[lang]['sources']}:"] + [piece for line in source_lines(record["sources"], lang) for piece in wrap(line)]


def _sources_fit_below(lines: list[str]) -> bool:
    return 0.87 - (len(lines) * LINE_HEIGHT + 0.06) >= IMAGE_BOX[1]


def _page(record: dict, png: Path, number: int, lang: str, *, title: str, page_no: int, min_font: float | None,
          below: list[str] | None, note: str | None = None):
    """A page with one image of a figure; ``below`` its sources (else the image takes the page, ``note`` says where
    the sources are)."""
    import matplotlib.image as mpimg
    import matplotlib.pyplot as plt

    from .style import PNG_DPI

    w = WORDS[lang]
    image = mpimg.imread(png)
    height, width = image.shape[:2]
    box_w, box_h = IMAGE_BOX[0], IMAGE_BOX[1] if below else FULL_IMAGE_H  # share of the page the image may take
    scale = min(box_w * PAGE_SIZE[0] / width, box_h * PAGE_SIZE[1] / height)
    printed = min_font * scale * PNG_DPI if min_font is not None else None  # page inches per figure inch × pt
    if printed is not None and printed < MIN_FONT_PT:
        raise IllegiblePage(f"figure {record['name']!r} ({png.name}): its smallest text ({min_font:g} pt) would be "
                            f"{printed:.1f} pt on its book page (at least {MIN_FONT_PT:g} pt): draw it in parts "
                            "(save_figure(..., book_parts=...))")
    iw, ih = width * scale / PAGE_SIZE[0], height * scale / PAGE_SIZE[1]
    fig = plt.figure(figsize=PAGE_SIZE)
    fig.text(0.04, 0.96, f"{w['figure']} {number}. {title}", fontsize=14, va="top")
    ax = fig.add_axes((0.5 - iw / 2, 0.91 - ih, iw, ih))
    ax.imshow(image, interpolation="none")
    ax.set_axis_off()
    text = "\n".join(below) if below else note
    if text:
        fig.text(0.04, 0.91 - ih - 0.02, text, fontsize=8, va="top", linespacing=1.4)
    fig.text(0.96, 0.02, f"{png.name} · {w['page']} {page_no}", fontsize=7, ha="right", color="0.4")  # the file
    return fig


def _sources_page(record: dict, number: int, lang: str, lines: list[str], page_no: int):
    import matplotlib.pyplot as plt

    w = WORDS[lang]
    fig = plt.figure(figsize=PAGE_SIZE)
    fig.text(0.04, 0.96, f"{w['figure']} {number}. {record['title']}", fontsize=14, va="top")
    fig.text(0.04, 0.9, "\n".join(lines), fontsize=8, va="top", linespacing=1.4)
    fig.text(0.96, 0.02, f"{record['name']}.png · {w['sources']} · {w['page']} {page_no}", fontsize=7, ha="right",
             color="0.4")
    return fig


def _figure_pages(record: dict, number: int, lang: str, figures_dir: Path, first_page: int) -> list:
    """The pages of one figure: each of its images (its parts, or itself) with the sources below it, or — when they
    would shrink the image — the images full size and the sources on a page after them."""
    lines = _source_text(record, lang)
    images = _pages_of(record, lang)
    fit = _sources_fit_below(lines)
    where = first_page + len(images)
    note = None if fit else (f"{WORDS[lang]['sources']}: {WORDS[lang]['page']} {where}" if lang == "en"
                             else f"{WORDS[lang]['sources']}: {where} {WORDS[lang]['page']}")
    pages = [_page(record, figures_dir / png, number, lang, title=title, page_no=first_page + k, min_font=min_font,
                   below=lines if fit else None, note=note)
             for k, (png, title, min_font) in enumerate(images)]
    return pages if fit else [*pages, _sources_page(record, number, lang, lines, where)]


def _cover(records: list[dict], lang: str, heading: str):
    import matplotlib.pyplot as plt

    w = WORDS[lang]
    fig = plt.figure(figsize=PAGE_SIZE)
    fig.text(0.06, 0.9, heading, fontsize=20, va="top")
    fig.text(0.06, 0.82, w["book"], fontsize=14, va="top")
    items = [f"{w['figure']} {i}. {r['title']}  ({r['name']})" for i, r in enumerate(records, start=1)]
    fig.text(0.06, 0.74, f"{w['contents']}:\n" + "\n".join(items), fontsize=10, va="top", linespacing=1.6)
    return fig


def write_figure_book(records: list[dict], path: Path, *, lang: str, figures_dir: Path | None = None,
                      heading: str | None = None) -> Path:
    """Write the figure book for ``records`` (figure sidecars of one language) to ``path``."""
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    from .style import apply_style

    figures_dir = Path(figures_dir or config.FIGURES_DIR)
    heading = heading or ("三市DX指標 分析レポート" if lang == "ja" else "DX indicators of three cities — report")
    apply_style()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with plt.rc_context({"pdf.fonttype": 42, "pdf.compression": 9}), PdfPages(path, metadata=PDF_METADATA) as pdf:
        pages = [_cover(records, lang, heading)]
        for fig in pages:
            pdf.savefig(fig)
            plt.close(fig)
        page_no = 2
        for i, r in enumerate(records, start=1):
            for fig in _figure_pages(r, i, lang, figures_dir, page_no):
                pdf.savefig(fig)
                plt.close(fig)
                page_no += 1
    return path


def write_figure_books(out_dir: Path, figures_dir: Path | None = None) -> list[Path]:
    """``figures_<lang>.pdf`` in ``out_dir`` for each language whose figures are in ``figures_dir``."""
    from .manifest import figure_records

    written = []
    for lang in ("ja", "en"):
        records = figure_records(lang, figures_dir)
        if records:
            written.append(write_figure_book(records, Path(out_dir) / f"figures_{lang}.pdf", lang=lang,
                                             figures_dir=figures_dir))
    return written
