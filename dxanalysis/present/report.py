"""``make report``: execute the notebooks headless and build ``reports/``.

For each notebook in ``notebooks/`` (in number order) papermill runs it with the
report's parameters; the executed notebook is written to ``reports/notebooks/`` and
as HTML twice (with code for analysts, without code for reviewers). The figures the
notebooks save (``figures/``) are gathered into ``reports/index.html`` with their
captions, sources and the data behind each one as CSV and XLSX downloads.
"""

from __future__ import annotations

import contextlib
import html
import json
import os
import re
import shutil
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .. import __version__, config
from .figbook import NO_DATE, write_figure_book
from .manifest import _write_manifest, figure_records, in_analysis_order
from .notebook import keep_one_language, localise_provenance  # noqa: F401  (re-exported)
from .swap import build_dir, recover_swaps, swap_all

CELL_TIMEOUT_S = 300
"""Per-cell execution time limit."""


@dataclass
class NotebookRun:
    name: str
    seconds: float


class NotebookFailed(RuntimeError):
    """A notebook raised: which notebook, which cell (number as stored, first source line), the error,
    the data row named in it (file, row) where the error names one, and what the kernel printed."""

    def __init__(self, notebook: str, cell: int | None, first_line: str, error: str, data_row: str | None,
                 kernel_output: str = ""):
        self.notebook, self.cell, self.first_line, self.error, self.data_row = notebook, cell, first_line, error, data_row
        self.kernel_output = kernel_output
        where = f"cell {cell} ({first_line!r})" if cell is not None else "while running"
        msg = f"notebook {notebook} failed in {where}: {error}"
        if data_row:
            msg += f"\n  data row: {data_row}"
        super().__init__(msg)


_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_DATA_ROW = re.compile(r"([^\s,'\"()\[\]]+\.(?:csv|xlsx)),? row (\d+)")


def data_row_in(text: str) -> str | None:
    """The first ``file, row N`` an error message names (the loader's problems and row errors do).

    >>> data_row_in("ExtractError: fy2025.xlsx, row 7, column 値: value '八百' — bad_number")
    'fy2025.xlsx, row 7'
    >>> data_row_in("KeyError: 'x'") is None
    True
    """
    m = _DATA_ROW.search(_ANSI.sub("", text or ""))
    return f"{m.group(1)}, row {m.group(2)}" if m else None


@contextlib.contextmanager
def _captured_stderr():
    """Route file descriptor 2 (the kernel's warnings, papermill's log) to a buffer for the duration."""
    out: list[str] = []
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as buf:
        os.dup2(buf.fileno(), 2)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                yield out
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            buf.seek(0)
            out.append(buf.read().decode("utf-8", "replace"))


def _failure(nb: Path, executed: Path, exc: Exception, kernel_output: str) -> NotebookFailed:
    """Map a papermill error to the stored notebook's cell number (the injected-parameters cell removed)."""
    index = getattr(exc, "cell_index", None)
    source = getattr(exc, "source", "") or ""
    error = f"{getattr(exc, 'ename', type(exc).__name__)}: {getattr(exc, 'evalue', exc)}"
    cell = None
    if index is not None:
        cell = index + 1
        try:
            cells = [c for c in json.loads(executed.read_text(encoding="utf-8"))["cells"]  # papermill's error banners out
                     if "papermill-error-cell-tag" not in c.get("metadata", {}).get("tags", [])]
            injected = [i for i, c in enumerate(cells) if "injected-parameters" in c.get("metadata", {}).get("tags", [])]
            if injected and injected[0] < index:
                cell -= 1
        except (OSError, ValueError, KeyError):
            pass
    first_line = next((line for line in source.splitlines() if line.strip()), "")
    trace = "\n".join(getattr(exc, "traceback", []) or [])
    return NotebookFailed(nb.stem, cell, first_line, error,
                          data_row_in(str(getattr(exc, "evalue", ""))) or data_row_in(trace), kernel_output)


def report_workers() -> int:
    """Notebooks run side by side (each in its own kernel process): ``DXANALYSIS_REPORT_WORKERS`` or
    up to 2 (the machine this is built for has 2 cores)."""
    env = os.environ.get("DXANALYSIS_REPORT_WORKERS")
    return max(1, int(env)) if env else max(1, min(2, os.cpu_count() or 1))


def _run_one(nb: Path, out_dir: Path, params: dict) -> NotebookRun:
    import papermill as pm

    start = time.perf_counter()
    executed = out_dir / "notebooks" / nb.name
    try:
        pm.execute_notebook(str(nb), str(executed), kernel_name="python3", cwd=str(nb.parent),
                            parameters=params, execution_timeout=CELL_TIMEOUT_S, progress_bar=False)
    except Exception as exc:  # noqa: BLE001 — reported with notebook, cell and row
        raise _failure(nb, executed, exc, "") from exc
    return NotebookRun(nb.stem, time.perf_counter() - start)


def resolve_data_paths(data_paths: list[str] | None) -> list[str] | None:
    """``--data`` paths made absolute against the directory the command was run from (the notebooks run elsewhere).

    >>> import os
    >>> resolve_data_paths(["fy2025.xlsx"]) == [os.path.join(os.getcwd(), "fy2025.xlsx")]
    True
    """
    if not data_paths:
        return data_paths
    return [str(Path(p).expanduser().absolute()) for p in data_paths]


def run_notebooks(*, fiscal_year: int | None, lang: str, data_paths: list[str] | None, out_dir: Path,
                  progress: Callable[[str], None] | None = None,
                  notebooks: list[Path] | None = None, workers: int | None = None) -> list[NotebookRun]:
    """Execute every notebook with papermill into ``out_dir/notebooks`` (the HTML pages, with and without
    code, are written from these by :func:`write_index`).

    Notebooks are independent (each starts from the data), so up to :func:`report_workers` run at
    once. One ``progress`` line per notebook as it finishes; what the kernels print on stderr
    (warnings, shutdown noise) is hidden unless a notebook fails. Raises :class:`NotebookFailed`
    for the first failing notebook (in number order).
    """
    from concurrent.futures import ThreadPoolExecutor, as_completed

    (out_dir / "notebooks").mkdir(parents=True, exist_ok=True)
    data_paths = resolve_data_paths(data_paths)  # the kernels run in notebooks/: relative paths would move
    notebooks = notebooks if notebooks is not None else sorted(config.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
    params = {"fiscal_year": fiscal_year, "lang": lang, "data_paths": data_paths}
    runs: dict[str, NotebookRun] = {}
    failures: dict[str, NotebookFailed] = {}
    done = 0
    with _captured_stderr() as noise:
        with ThreadPoolExecutor(max_workers=workers or report_workers()) as pool:
            futures = {pool.submit(_run_one, nb, out_dir, params): nb for nb in notebooks}
            for fut in as_completed(futures):
                nb = futures[fut]
                done += 1
                if fut.cancelled():  # not started because an earlier notebook failed: that failure is reported
                    line = f"[{done}/{len(notebooks)}] {nb.stem}: not run (another notebook failed)"
                else:
                    try:
                        runs[nb.stem] = fut.result()
                        line = f"[{done}/{len(notebooks)}] {nb.stem}: {runs[nb.stem].seconds:.1f} s"
                    except Exception as exc:  # noqa: BLE001 — every failure named by notebook, cell and cause
                        failures[nb.stem] = exc if isinstance(exc, NotebookFailed) else NotebookFailed(
                            nb.stem, None, "", f"{type(exc).__name__}: {exc}", None)
                        line = f"[{done}/{len(notebooks)}] {nb.stem}: FAILED"
                        for f in futures:
                            f.cancel()
                if progress:
                    progress(line)
    if failures:
        first = failures[min(failures)]
        first.kernel_output = "".join(noise)
        raise first
    return [runs[nb.stem] for nb in notebooks]


def read_figure_data(path: Path, kinds: dict[str, str] | None) -> "pd.DataFrame":  # noqa: F821
    """A figure's data CSV with the column kinds it was written with (:func:`layout.column_kinds`): text stays
    text (``011002`` keeps its zero), numbers and booleans are converted explicitly. Without recorded kinds
    (a sidecar from before they were recorded) every column stays text, so nothing is silently changed.
    """
    import pandas as pd

    df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
    kinds = kinds or {}
    numbers = {c: pd.to_numeric(df[c]) for c in df.columns if kinds.get(c) == "number"}
    numbers |= {c: pd.to_numeric(df[c]).astype("Int64") for c in df.columns if kinds.get(c) == "integer"}
    flags = {c: df[c].map({"True": True, "False": False}) for c in df.columns if kinds.get(c) == "bool"}
    return df.assign(**numbers, **flags)


def write_downloads(records: list[dict], out_dir: Path, figures_dir: Path | None = None) -> None:
    """The data behind every figure as CSV and XLSX (neutralised against formula injection), with the column
    kinds the figure data were written with."""
    from ..io.write import write_csv, write_xlsx

    figures_dir = Path(figures_dir or config.FIGURES_DIR)
    (out_dir / "data").mkdir(parents=True, exist_ok=True)
    for r in records:
        df = read_figure_data(figures_dir / r["data"], r.get("columns"))
        write_csv(df, out_dir / "data" / f"{r['name']}.csv")
        write_xlsx({"data": df}, out_dir / "data" / f"{r['name']}.xlsx")


FONT_FILES = ("ipaexg.ttf", "IPA_Font_License_Agreement_v1.0.txt", "Readme_ipaexg00401.txt")
"""IPAexGothic as matplotlib-fontja ships it: the font unmodified, with its licence and readme
(the IPA Font License lets it be redistributed as is, with the licence attached)."""
FONT_CSS = ("@font-face{font-family:'IPAexGothic';src:url('fonts/ipaexg.ttf') format('truetype');"
            "font-display:swap}")
REPORT_CSS = FONT_CSS + (
    ":root{--jp-ui-font-family:'IPAexGothic',sans-serif;--jp-content-font-family:'IPAexGothic',sans-serif;"
    "--jp-code-font-family-default:menlo,consolas,'DejaVu Sans Mono','IPAexGothic',monospace;"
    "--jp-code-font-family:var(--jp-code-font-family-default)}"
    "body{font-family:'IPAexGothic',sans-serif}"
    ":not(.jp-RenderedMarkdown).jp-RenderedHTMLCommon td,:not(.jp-RenderedMarkdown).jp-RenderedHTMLCommon th"
    "{white-space:normal;max-width:42em;vertical-align:top;overflow-wrap:anywhere;text-align:left}"
    ".jp-RenderedText pre,.jp-OutputArea-output pre{white-space:pre-wrap;overflow-wrap:anywhere}")
"""Styles of the notebook pages: the shipped font first (identical rendering everywhere), long
quotes wrapped in their cells."""
INDEX_CSS = FONT_CSS + (
    "body{font-family:'IPAexGothic',sans-serif;max-width:1000px;margin:auto;padding:1em;line-height:1.5}"
    "figure{margin:2em 0;padding-bottom:1em;border-bottom:1px solid #ddd}img{max-width:100%}"
    "figcaption{font-size:.9em;color:#333}.dl a{margin-right:1em}"
    "table.src{border-collapse:collapse;font-size:.85em;margin:.5em 0}"
    "table.src td,table.src th{border:1px solid #ccc;padding:.3em .5em;vertical-align:top;text-align:left}"
    "code{font-family:menlo,consolas,'DejaVu Sans Mono','IPAexGothic',monospace}")

INDEX_WORDS = {
    "ja": {"title": "三市DX指標 分析レポート", "notebooks": "ノートブック", "nocode": "レポート（コードなし）",
           "code": "コード付き", "figures": "図", "books": "図表集（PDF、1ページに1図と出典）",
           "sources": "資料", "document": "資料名", "date": "日付", "where": "所在", "attribution": "表示",
           "licence": "利用条件", "downloads": "ダウンロード", "all_sources": "出典一覧",
           "font": "本ページの文字はIPAexゴシック（同梱: fonts/、IPAフォントライセンスv1.0）で表示しています。"},
    "en": {"title": "DX indicators of three cities — report", "notebooks": "Notebooks", "nocode": "report (no code)",
           "code": "with code", "figures": "Figures", "books": "Figure books (PDF, one figure per page with its sources)",
           "sources": "Sources", "document": "Document", "date": "Date", "where": "Where to find it",
           "attribution": "Attribution", "licence": "Licence", "downloads": "Downloads",
           "all_sources": "All sources",
           "font": "Text on this page is set in IPAexGothic (shipped in fonts/, IPA Font License v1.0)."},
}


def ship_fonts(out_dir: Path) -> Path:
    """Copy IPAexGothic and its licence into ``out_dir/fonts`` (the pages load it from there)."""
    import shutil

    import matplotlib_fontja

    src = Path(matplotlib_fontja.__file__).parent / "fonts"
    dest = Path(out_dir) / "fonts"
    dest.mkdir(parents=True, exist_ok=True)
    for name in FONT_FILES:
        shutil.copyfile(src / name, dest / name)
    return dest


def page_exporter(*, exclude_input: bool, lang: str):
    """nbconvert's HTML exporter with the offline template of ``dxanalysis/present/templates/dxreport``."""
    from nbconvert import HTMLExporter

    return HTMLExporter(template_name="dxreport", extra_template_basedirs=[str(Path(__file__).resolve().parent / "templates")],
                        exclude_input=exclude_input, exclude_input_prompt=True, exclude_output_prompt=True,
                        language_code=lang)


def _relative_papermill_paths(executed: Path) -> None:
    """Executed notebooks name their input and output by path: keep them relative to the project."""
    nb = json.loads(executed.read_text(encoding="utf-8"))
    pm = nb.get("metadata", {}).get("papermill")
    if not pm:
        return
    pm["input_path"] = f"notebooks/{executed.name}"
    pm["output_path"] = f"reports/notebooks/{executed.name}"
    executed.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def write_pages(names: list[str], out_dir: Path, *, lang: str) -> list[Path]:
    """Each executed notebook as HTML twice (with code, and without for reviewers): offline, own font, in the
    report's language only (:func:`keep_one_language`)."""
    written = []
    for name in names:
        executed = Path(out_dir) / "notebooks" / f"{name}.ipynb"
        _relative_papermill_paths(executed)
        keep_one_language(executed, lang)
        for suffix, exclude in (("", False), ("_nocode", True)):
            body, _ = page_exporter(exclude_input=exclude, lang=lang).from_filename(
                str(executed), resources={"report_css": REPORT_CSS})
            path = Path(out_dir) / f"{name}{suffix}.html"
            path.write_text(body, encoding="utf-8")
            written.append(path)
    return written


def _source_rows(source_ids, lang: str, words: dict) -> str:
    from ..contract.citations import all_sources, reader_source

    src = all_sources()
    rows = [f"<tr><th>{words['document']}</th><th>{words['date']}</th><th>{words['where']}</th></tr>"]
    for sid in sorted(set(source_ids)):
        rec = reader_source(sid, lang, src)  # in the report's language; the URL once, as a link
        extra = "".join(f"<br>{words[k]}: {html.escape(rec[k])}" for k in ("attribution", "licence") if rec[k])
        url = (f"<br><a href='{html.escape(rec['url'])}'>{html.escape(rec['url'])}</a>" if rec["url"] else "")
        rows.append(f"<tr><td>{html.escape(rec['name'])}{extra}</td>"
                    f"<td>{html.escape(rec['date'] or NO_DATE[lang])}</td>"
                    f"<td>{html.escape(rec['where'])}{url}</td></tr>")
    return "<table class='src'>" + "".join(rows) + "</table>"


def _source_details(source_ids, lang: str, words: dict) -> str:
    n = len(set(source_ids))
    summary = f"{words['sources']}（{n}件）: {words['date']}・{words['where']}" if lang == "ja" else \
        f"{words['sources']} ({n}): {words['date'].lower()}, {words['where'].lower()}"
    return f"<details><summary>{summary}</summary>{_source_rows(source_ids, lang, words)}</details>"


def notebook_title(executed: Path, fallback: str) -> str:
    """The first ``# `` heading of an executed notebook (``00 データ概要`` once it holds one language), else
    ``fallback`` (the file name): the index names notebooks as a reader does, not by file name."""
    try:
        cells = json.loads(executed.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError):
        return fallback
    for cell in cells:
        text = "".join(cell.get("source", "")).strip()
        if cell.get("cell_type") == "markdown" and text.startswith("# "):
            return text.splitlines()[0][2:].strip()
    return fallback


def write_index(records: list[dict], runs: list[str], out_dir: Path, *, lang: str, provenance: str,
                other_language: bool = False) -> Path:
    """``reports/index.html`` and what it needs: every figure with its title, caption, sources (date, where
    to find them, attribution) and downloads; links to the notebook pages and the PDF figure books.

    Everything is relative to ``out_dir`` and offline: the font is shipped in ``fonts/`` and the
    notebook pages are (re)written from the executed notebooks with the offline template.
    """
    w = INDEX_WORDS["ja" if lang == "ja" else "en"]
    out_dir = Path(out_dir)
    ship_fonts(out_dir)
    if all((out_dir / "notebooks" / f"{name}.ipynb").exists() for name in runs):
        write_pages(runs, out_dir, lang=lang)
    parts = [f"<!doctype html><html lang='{lang}'><head><meta charset='utf-8'>"
             "<meta name='viewport' content='width=device-width, initial-scale=1'>"
             f"<title>{w['title']}</title><style>{INDEX_CSS}</style></head><body>",
             f"<h1>{w['title']}</h1><p>{html.escape(localise_provenance(provenance, lang))}</p>",
             f"<h2>{w['notebooks']}</h2><ul>"]
    for name in runs:
        title = notebook_title(out_dir / "notebooks" / f"{name}.ipynb", name)
        parts.append(f"<li>{html.escape(title)}: <a href='{name}_nocode.html'>{w['nocode']}</a> · "
                     f"<a href='{name}.html'>{w['code']}</a></li>")
    parts.append("</ul>")
    if (out_dir / f"figures_{lang}.pdf").exists():
        parts.append(f"<p>{w['books']}: <a href='figures_{lang}.pdf'>PDF</a></p>")
    if other_language:
        href, label = OTHER_LANGUAGE[lang]
        parts.append(f"<p lang='{'en' if lang == 'ja' else 'ja'}'><a href='{href}'>{label}</a></p>")
    parts.append(f"<h2>{w['figures']}</h2>")
    used = []
    for r in records:
        n = html.escape(r["name"])
        used += r["sources"]
        parts.append(f"<figure id='{n}'><h3>{html.escape(r['title'])}</h3>"
                     f"<img src='figures/{html.escape(r['png'])}' alt='{html.escape(r['title'])}'>"
                     f"<figcaption>{html.escape(r['caption'])}</figcaption>"
                     f"{_source_details(r['sources'], lang, w)}"
                     f"<p class='dl'>{w['downloads']}: <a href='figures/{html.escape(r['svg'])}'>SVG</a>"
                     f"<a href='figures/{html.escape(r['png'])}'>PNG (300 dpi)</a>"
                     f"<a href='data/{n}.csv'>CSV</a><a href='data/{n}.xlsx'>XLSX</a></p></figure>")
    if used:
        parts.append(f"<h2>{w['all_sources']}</h2>{_source_rows(used, lang, w)}")
    parts.append(f"<p><small>{w['font']}</small></p></body></html>\n")
    path = out_dir / "index.html"
    path.write_text("\n".join(parts), encoding="utf-8")
    return path




@contextlib.contextmanager
def _environ(**values: str):
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


LANGS = ("ja", "en")
"""The report languages, in build order: both are built from the same data in one run unless one is asked for."""


def language_dir(out_dir: Path, lang: str) -> Path:
    """Where a language's report lives: Japanese (the default) in ``reports/``, English in ``reports/en/``.

    >>> language_dir(Path("reports"), "ja").as_posix(), language_dir(Path("reports"), "en").as_posix()
    ('reports', 'reports/en')
    """
    return Path(out_dir) if lang == "ja" else Path(out_dir) / "en"


OTHER_LANGUAGE = {"ja": ("en/index.html", "英語版（English version）"), "en": ("../index.html", "Japanese version (日本語版)")}
"""The link from one language's index to the other's (each named in its own language)."""


def holds_report(out_dir: Path) -> bool:
    """Whether ``out_dir`` holds a report of some language (so it may be replaced)."""
    return any((language_dir(out_dir, lang) / "index.html").exists() for lang in LANGS)


def open_permissions(folder: Path) -> None:
    """Folders 0755 and files 0644 under ``folder`` (mkdtemp makes its folder 0700, readable by its owner only)."""
    folder = Path(folder)
    for p in [folder, *folder.rglob("*")]:
        os.chmod(p, 0o755 if p.is_dir() else 0o644)


def _build_language(lang: str, ctx, stage_out: Path, stage_fig: Path, *, data_paths,
                    other: bool, progress) -> dict:
    """One language's notebooks, figures, downloads, figure book, index and manifest, into the staging folders."""
    out = language_dir(stage_out, lang)
    with _environ(DXANALYSIS_FIGURES=str(stage_fig)):
        runs = run_notebooks(fiscal_year=ctx.fiscal_year, lang=lang, data_paths=data_paths, out_dir=out,
                             progress=progress and (lambda line: progress(f"{lang} {line}")))
    records = in_analysis_order(figure_records(lang, stage_fig))
    fig_out = out / "figures"
    fig_out.mkdir(exist_ok=True)
    for r in records:
        for key in ("png", "svg"):
            shutil.copyfile(stage_fig / r[key], fig_out / r[key])
    write_downloads(records, out, stage_fig)
    write_figure_book(records, out / f"figures_{lang}.pdf", lang=lang, figures_dir=stage_fig)
    index = write_index(records, [r.name for r in runs], out, lang=lang, other_language=other,
                        provenance=f"dxanalysis {__version__} · data sha256 {ctx.data_hash[:16]} · "
                                   f"fiscal year {ctx.fiscal_year} · lang {lang}")
    _write_manifest(stage_fig, records, lang=lang, fiscal_year=ctx.fiscal_year, data_paths=data_paths)
    return {"index": index.relative_to(stage_out), "figures": len(records), "runs": runs}


def build_report(*, fiscal_year: int | None = None, langs: tuple[str, ...] = LANGS, data_paths: list[str] | None = None,
                 out_dir: Path | None = None, figures_dir: Path | None = None,
                 progress: Callable[[str], None] | None = None) -> dict:
    """Run everything into temporary folders; replace ``figures/`` and ``reports/`` only when every notebook of
    every language succeeded. On failure the previous outputs are left byte-identical and
    :class:`NotebookFailed` names the notebook, the cell and, where the error names one, the data row.

    Both languages (``reports/`` and ``reports/en/``) are built from the same data in one run; when only
    one is asked for, the other language's figures and report are removed, never left from older data.
    Returns timings and what was written.
    """
    from .notebook import start

    out_dir = Path(out_dir or config.REPORTS_DIR)
    fig_dir = Path(figures_dir or config.FIGURES_DIR)
    if out_dir.is_dir() and any(out_dir.iterdir()) and not holds_report(out_dir):
        raise ValueError(f"{out_dir} is not empty and holds no report (index.html): not replacing it")
    for line in recover_swaps(out_dir, fig_dir):  # a build killed while it replaced the folders: previous or new
        (progress or (lambda _: None))(line)
    data_paths = resolve_data_paths(data_paths)  # relative to where the command was run
    ctx = start(fiscal_year, langs[0], data_paths)  # validates the data before anything runs
    for d in (out_dir, fig_dir):
        d.parent.mkdir(parents=True, exist_ok=True)
    stage_out = build_dir(out_dir)
    stage_fig = build_dir(fig_dir)
    try:
        built = {lang: _build_language(lang, ctx, stage_out, stage_fig, data_paths=data_paths,
                                       other=len(langs) > 1, progress=progress)
                 for lang in langs}
        open_permissions(stage_out)
        open_permissions(stage_fig)
        swap_all([(stage_fig, fig_dir), (stage_out, out_dir)], out_dir)  # one journaled change
    finally:
        shutil.rmtree(stage_out, ignore_errors=True)
        shutil.rmtree(stage_fig, ignore_errors=True)
    return {"index": out_dir / built[langs[0]]["index"], "fiscal_year": ctx.fiscal_year, "langs": list(langs),
            "indexes": {lang: out_dir / b["index"] for lang, b in built.items()},
            "figures": {lang: b["figures"] for lang, b in built.items()},
            "timings": {f"{lang} {r.name}": round(r.seconds, 1) for lang, b in built.items() for r in b["runs"]}}
