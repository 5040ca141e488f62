"""Write small real PDFs for tests and rehearsals: one text page per list of lines, Japanese text in an embedded
font (IPAexGothic from matplotlib-fontja, TrueType embedded: ``pdf.fonttype = 42``). Synthetic documents only."""

from __future__ import annotations

from pathlib import Path

LINES_PER_PAGE = 60
"""Lines that fit on an A4 page at the font size used."""


def write_text_pdf(pages: list[list[str]], path: str | Path) -> Path:
    """A PDF with one page per list of lines (a line longer than a page width runs off the page, its text kept)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib_fontja  # noqa: F401  (registers IPAexGothic)
    from matplotlib.backends.backend_pdf import PdfPages

    with matplotlib.rc_context({"pdf.fonttype": 42, "font.family": "IPAexGothic"}), \
            PdfPages(path, metadata={"Creator": "dxanalysis tests (synthetic)", "CreationDate": None}) as pdf:
        for lines in pages:
            fig = plt.figure(figsize=(8.27, 11.69))
            for i, line in enumerate(lines):
                fig.text(0.04, 0.97 - i * (0.94 / LINES_PER_PAGE), line, fontsize=7)
            pdf.savefig(fig)
            plt.close(fig)
    return Path(path)


def write_scanned_pdf(path: str | Path) -> Path:
    """A PDF whose only page is a picture (no text layer), as a scanner makes it."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    fig = plt.figure(figsize=(8.27, 11.69))
    fig.figimage(np.random.default_rng(0).random((200, 150)), resize=False)
    fig.savefig(path, format="pdf")
    plt.close(fig)
    return Path(path)


def encrypt_pdf(source: str | Path, path: str | Path) -> Path:
    """The PDF ``source`` with a standard-security /Encrypt entry in its trailer (a user password it cannot meet)."""
    data = Path(source).read_bytes()
    at = data.rindex(b"trailer")
    end = data.index(b"<<", at) + 2
    entry = (b" /Encrypt << /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32
             + b"> /P -4 >> /ID [<" + b"33" * 16 + b"> <" + b"33" * 16 + b">] ")
    Path(path).write_bytes(data[:end] + entry + data[end:])
    return Path(path)
