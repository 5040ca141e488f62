"""The figure layout every chart shares: captions, wrapping, the layout check and :func:`save_figure`."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .. import config
from ..io.write import write_csv
from .style import PNG_DPI, SVG_HASHSALT, _is_bar, source_caption


CAPTION_PT = 8
"""The caption's size: printed on an A4 book page, even a figure 14 inches wide keeps it above 6 pt."""


def add_caption(fig, text: str) -> None:
    """Put the caption (one source per line) under the figure and lay the figure out around it.

    A figure-level title (``suptitle``) goes on top, figure-level legends right under it,
    the axes in the space left between them and the caption.
    """
    columns = int(fig.get_figwidth() * 72 / (CAPTION_PT / 2) * 0.94)  # a full-width character is two columns
    lines = ";\n".join("\n".join(piece.rstrip() for piece in wrap(part, columns)) for part in text.split("; "))
    _wrap_long_ylabels(fig)
    _wrap_long_titles(fig)
    cap = fig.text(0.01, 0.008, lines, fontsize=CAPTION_PT, color="0.3", ha="left", va="bottom", gid="caption")
    renderer = fig.canvas.get_renderer()
    height = fig.bbox.height
    bottom = (cap.get_window_extent(renderer).height + 8) / height
    top = 1.0
    if fig._suptitle is not None:
        fig._suptitle.set(y=0.995, va="top")
        top -= (fig._suptitle.get_window_extent(renderer).height + 6) / height
    for legend in fig.legends:
        legend.set_loc("upper center")
        legend.set_bbox_to_anchor((0.5, top), transform=fig.transFigure)
        top -= (legend.get_window_extent(renderer).height + 6) / height
    fig.tight_layout(rect=(0, bottom, 1, top))
    _wrap_long_titles(fig)  # the layout moved the axes: a title centred on them may now run off the figure
    fig.tight_layout(rect=(0, bottom, 1, top))
    if _legends_below_labels(fig, renderer):
        fig.tight_layout(rect=(0, bottom, 1, top))
        _legends_below_labels(fig, renderer)


def _legends_below_labels(fig, renderer) -> bool:
    """Anchor each legend placed below its axes (``style.LEGEND_BELOW``) just under the x label, so it covers
    neither the label nor the tick labels. True if any was moved."""
    moved = False
    for ax in fig.axes:
        legend = ax.get_legend()
        if legend is None or legend.get_bbox_to_anchor().y0 >= ax.get_window_extent(renderer).y0:
            continue
        below = min(ax.xaxis.get_tightbbox(renderer).y0, ax.get_window_extent(renderer).y0) - 4
        legend.set_bbox_to_anchor((0.5, ax.transAxes.inverted().transform((0, below))[1]), transform=ax.transAxes)
        moved = True
    return moved


def label_breaks(text: str) -> list[int]:
    """Where a label may break without splitting a word: before an opening bracket, after ／・、 or a space.

    >>> label_breaks("オンライン化率／オンライン申請利用率（%）")
    [8, 18]
    """
    return sorted({i for i, c in enumerate(text) if c in "（(" and i > 0}
                  | {i + 1 for i, c in enumerate(text[:-1]) if c in "／・、 "})


def _columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrap_between_words(text: str, width: int) -> list[str]:
    """:func:`wrap`, but breaking where :func:`label_breaks` allows (between words); only a line with no such place
    within ``width`` is cut as :func:`wrap` cuts it.

    >>> wrap_between_words("2023年12月31日時点（令和5年度 AI・RPA調査）", 24)
    ['2023年12月31日時点', '（令和5年度 AI・', 'RPA調査）']
    >>> wrap_between_words("オンライン化率／オンライン申請利用率（%）", 20)
    ['オンライン化率／', 'オンライン申請利用率', '（%）']
    """
    out = []
    while _columns(text) > width:
        cols, limit = 0, len(text)
        for i, c in enumerate(text):
            cols += _columns(c)
            if cols > width:
                limit = i
                break
        cuts = [i for i in label_breaks(text) if 0 < i <= limit]
        cut = cuts[-1] if cuts else len(wrap(text, width)[0])  # no place between words: cut as wrap does
        out.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    return out + ([text] if text else [])


def _wrap_long_ylabels(fig) -> None:
    """Break a y label that is taller than its axes into as many lines as it needs."""
    import math


    renderer = fig.canvas.get_renderer()
    for ax in fig.axes:
        label = ax.yaxis.label
        text = label.get_text()
        if not text or "\n" in text or not ax.get_visible():
            continue
        need, room = label.get_window_extent(renderer).height, ax.get_window_extent(renderer).height * 0.95
        if need > room:
            n_lines = math.ceil(need / room)
            cuts = label_breaks(text)
            best = min(cuts, key=lambda i: abs(i - len(text) / 2), default=None)
            if n_lines <= 2 and best is not None and max(best, len(text) - best) <= 0.65 * len(text):
                label.set_text(f"{text[:best].rstrip()}\n{text[best:]}")  # between words, never inside one
            else:
                label.set_text("\n".join(wrap_between_words(text, math.ceil(_columns(text) / n_lines) + 1)))


def _wrap_long_titles(fig, share: float = 0.92) -> None:
    """Break an axes title or figure title wider than the room around its centre into lines."""
    import math


    renderer = fig.canvas.get_renderer()
    page = fig.bbox
    titles = [ax.title for ax in fig.axes if ax.get_visible()] + ([fig._suptitle] if fig._suptitle else [])
    for title in titles:
        text = title.get_text()
        if not text:
            continue
        box = title.get_window_extent(renderer)
        centre = (box.x0 + box.x1) / 2
        room = share * 2 * min(centre - page.x0, page.x1 - centre)
        if box.width > room > 0:  # each line (a title may hold a period line) to the share of the room it may take
            lines = text.split("\n")
            width = max(8, math.floor(max(_columns(line) for line in lines) * room / box.width))
            title.set_text("\n".join(piece for line in lines for piece in wrap_between_words(line, width)))


def _texts(fig):
    for ax in fig.axes:
        if ax.get_visible():
            yield from (ax.title, ax.xaxis.label, ax.yaxis.label)
            if ax.get_legend() is not None:
                yield ax.get_legend()
    yield from fig.legends
    yield from fig.texts
    if fig._suptitle is not None:
        yield fig._suptitle


class FigureLayoutError(ValueError):
    """A figure a reviewer would find wrong: a legend over a point, a marker on the frame."""


def _marker_radius_px(line, dpi: float) -> float:
    if line.get_marker() in (None, "None", "none", "", " "):
        return 0.0
    return line.get_markersize() * dpi / 72 / 2 + line.get_markeredgewidth() * dpi / 72 / 2


def layout_problems(fig) -> list[str]:
    """Legend boxes that cover a plotted point or bar, markers or bars without headroom, and
    titles, labels, legends or captions that run off the figure.

    Positions are compared in display coordinates after the figure is laid out; a marker
    counts with its radius, and needs at least that much space below the top of its axes.
    """
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    legends = [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None] + list(fig.legends)
    boxes = [leg.get_window_extent(renderer) for leg in legends if leg.get_visible()]
    problems = []
    page = fig.bbox
    for artist in _texts(fig):
        text = artist.get_text() if hasattr(artist, "get_text") else "legend"
        if not text or not artist.get_visible():
            continue
        b = artist.get_window_extent(renderer)
        if b.x0 < page.x0 - 1 or b.y0 < page.y0 - 1 or b.x1 > page.x1 + 1 or b.y1 > page.y1 + 1:
            problems.append(f"text {text[:40]!r} runs off the figure")
    for n, ax in enumerate(fig.axes):
        if not ax.get_visible():
            continue
        frame = ax.get_window_extent(renderer)
        where = f"axes {n} ({ax.get_title() or ax.get_ylabel()})"
        for line in ax.lines:
            r = _marker_radius_px(line, fig.dpi)
            if not line.get_visible() or r == 0:
                continue
            for px, py in line.get_transform().transform(np.asarray(line.get_xydata(), dtype=float)):
                if not (np.isfinite(px) and np.isfinite(py)):
                    continue
                label = f"{where}: point of {line.get_gid() or line.get_label()} at ({px:.0f}, {py:.0f}) px"
                if any(b.x0 - r < px < b.x1 + r and b.y0 - r < py < b.y1 + r for b in boxes):
                    problems.append(f"{label} is under a legend")
                if py + 2 * r > frame.y1:
                    problems.append(f"{label} has no headroom below the top of the axes")
        for patch in ax.patches:  # bars; other patches (spans, filled areas) are not data points
            if not _is_bar(patch, ax) or not patch.get_visible() or patch.get_height() == 0:
                continue
            pb = patch.get_window_extent(renderer)
            if any(pb.overlaps(b) for b in boxes):
                problems.append(f"{where}: bar at x={pb.x0:.0f} px is under a legend")
            if pb.y1 > frame.y1 - 4:
                problems.append(f"{where}: bar at x={pb.x0:.0f} px has no headroom")
    return problems


class SavedFigure(list):
    """The files :func:`save_figure` wrote (a list of paths).

    A notebook that ends a cell with ``save_figure(...)`` shows nothing for it, and its
    ``repr`` names the files relative to their folder: no local absolute path is printed.
    """

    def __repr__(self) -> str:
        return f"SavedFigure({', '.join(p.name if p.parent.name != 'data' else f'data/{p.name}' for p in self)})"

    def _ipython_display_(self) -> None:  # the figure itself is already shown; nothing else to display
        return None


def column_kinds(df: pd.DataFrame) -> dict[str, str]:
    """Each column's kind as the figure data are written (``integer``, ``number``, ``bool`` or ``text``): the
    downloads read the CSV back with these, so a code such as ``011002`` stays text and a count stays a whole number.

    >>> column_kinds(pd.DataFrame({"lg_code": ["011002"], "n": [1741], "value": [72.0], "stated": [True]}))
    {'lg_code': 'text', 'n': 'integer', 'value': 'number', 'stated': 'bool'}
    """
    def kind(col: pd.Series) -> str:
        if pd.api.types.is_bool_dtype(col):
            return "bool"
        if pd.api.types.is_integer_dtype(col):
            return "integer"
        return "number" if pd.api.types.is_numeric_dtype(col) else "text"

    return {str(c): kind(df[c]) for c in df.columns}


def min_font_pt(fig) -> float:
    """The smallest font size (points, at the figure's own size) of any text the figure draws: tick labels, cell
    annotations, legends, titles, the caption. What the PDF book scales to decide whether a page stays legible."""
    from matplotlib.text import Text

    fig.canvas.draw()
    sizes = [t.get_fontsize() for t in fig.findobj(Text)  # a hidden panel's texts are not drawn
             if t.get_visible() and t.get_text().strip() and (t.axes is None or t.axes.get_visible())]
    return float(min(sizes)) if sizes else float("inf")


def set_figure_title(fig, title: str) -> None:
    """The title the index shows: on the one axes of a single chart (replacing the chart's own, whose lines below the
    first — its reference period — stay), else above all panels."""
    axes = [ax for ax in fig.axes if ax.get_visible()]
    if len(axes) == 1:
        own = axes[0].get_title().split("\n", 1)
        axes[0].set_title(f"{title}\n{own[1]}" if len(own) == 2 and own[1] not in title else title)
    else:
        fig.suptitle(title)


def _title_and_caption(fig, stem: str, title: str, caption: str) -> None:
    set_figure_title(fig, title)
    add_caption(fig, caption)
    problems = layout_problems(fig)
    if problems:
        raise FigureLayoutError(f"figure {stem!r}: " + "; ".join(problems))


def save_figure(fig, name: str, *, data: pd.DataFrame, sources, title: str | dict[str, str], lang: str = "ja",
                directory: Path | None = None, book_parts=()) -> SavedFigure:
    """Save ``fig`` as PNG (300 dpi) and SVG, with its data (CSV) and a JSON sidecar.

    The figure gets ``title`` (the words the report index uses for it) and the sources
    caption here, so no figure leaves without them; it is then checked by
    :func:`layout_problems` and refused (:class:`FigureLayoutError`) if a legend covers a
    point or a marker touches the frame. Files are named ``<name>.png`` in Japanese and
    ``<name>_en.png`` in English; writing is byte-stable. The sidecar records the smallest font the figure
    draws (:func:`min_font_pt`), which the PDF book checks on its page.

    ``book_parts``: figures that together show what ``fig`` shows, each small enough for a PDF book page (a tall
    table cut into parts, each with its column labels); saved as ``<stem>_page<k>.png`` with the title numbered
    ``(k/n)``, and the book prints them instead of ``fig``.
    """
    title = title.get(lang, title.get("en")) if isinstance(title, dict) else title
    directory = Path(directory or config.FIGURES_DIR)
    stem = name if lang == "ja" else f"{name}_en"
    caption = source_caption(sources, lang)
    _title_and_caption(fig, stem, title, caption)
    directory.mkdir(parents=True, exist_ok=True)
    png, svg = directory / f"{stem}.png", directory / f"{stem}.svg"
    with plt.rc_context({"svg.hashsalt": SVG_HASHSALT}):
        fig.savefig(png, dpi=PNG_DPI, metadata={"Software": None})
        fig.savefig(svg, metadata={"Date": None})
    pages = []
    for k, part in enumerate(book_parts, start=1):
        _title_and_caption(part, f"{stem}_page{k}", f"{title}（{k}/{len(book_parts)}）" if lang == "ja"
                           else f"{title} ({k}/{len(book_parts)})", caption)
        part_png = directory / f"{stem}_page{k}.png"
        part.savefig(part_png, dpi=PNG_DPI, metadata={"Software": None})
        pages.append({"png": part_png.name, "min_font_pt": min_font_pt(part)})
        plt.close(part)
    data_path = directory / "data" / f"{stem}.csv"
    data_path.parent.mkdir(exist_ok=True)
    write_csv(data, data_path, bom=False)  # the one writer: formula starts neutralised
    side = directory / f"{stem}.json"
    side.write_text(json.dumps({"name": stem, "title": title, "caption": caption, "lang": lang,
                                "sources": sorted(set(sources)), "png": png.name, "svg": svg.name,
                                "data": f"data/{data_path.name}", "columns": column_kinds(data),
                                "min_font_pt": min_font_pt(fig), **({"book_pages": pages} if pages else {})},
                               ensure_ascii=False, indent=1, sort_keys=True)
                    + "\n", encoding="utf-8")
    return SavedFigure([png, svg, data_path, side, *(directory / page["png"] for page in pages)])
WRAP_WIDTH = 150
"""Characters per line (a full-width character counts as two)."""


def _word_start(line: str) -> int:
    """Where the ASCII word (or URL) at the end of ``line`` starts (0: the whole line is one word)."""
    i = len(line)
    while i > 0 and line[i - 1].isascii() and line[i - 1] != " ":
        i -= 1
    return i


def wrap(text: str, width: int = WRAP_WIDTH) -> list[str]:
    """Break ``text`` into lines of at most ``width`` columns (full-width characters count two).

    A word or URL (a run of ASCII without spaces) is never broken: it moves whole to the next line, unless it
    is longer than a line by itself. Japanese text breaks between any two characters.

    >>> wrap("abc def", 4), wrap("あいうえ", 4)
    (['abc', 'def'], ['あい', 'うえ'])
    >>> wrap("所在: https://www.city.example.jp/a/b.html", 40)
    ['所在:', 'https://www.city.example.jp/a/b.html']
    """
    lines, line, cols = [], "", 0
    for ch in text:
        w = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if cols + w > width:
            cut = _word_start(line) if ch.isascii() and ch != " " else -1
            if cut > 0:
                lines.append(line[:cut].rstrip())
                line = line[cut:]
            else:
                lines.append(line)
                line = ""
            cols = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
        if ch == " " and not line:
            continue
        line += ch
        cols += w
    if line:
        lines.append(line)
    return lines
