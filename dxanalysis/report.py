"""``make report``: execute the notebooks headless and build ``reports/``.

For each notebook in ``notebooks/`` (in number order) papermill runs it with the
report's parameters; the executed notebook is written to ``reports/notebooks/`` and
as HTML twice (with code for analysts, without code for reviewers). The figures the
notebooks save (``figures/``) are gathered into ``reports/index.html`` with their
captions, sources and the data behind each one as CSV and XLSX downloads.
"""

from __future__ import annotations

import contextlib
import hashlib
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

from . import __version__, config

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
            cells = json.loads(executed.read_text(encoding="utf-8"))["cells"]
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
    from nbconvert import HTMLExporter

    start = time.perf_counter()
    executed = out_dir / "notebooks" / nb.name
    try:
        pm.execute_notebook(str(nb), str(executed), kernel_name="python3", cwd=str(nb.parent),
                            parameters=params, execution_timeout=CELL_TIMEOUT_S, progress_bar=False)
    except Exception as exc:  # noqa: BLE001 — reported with notebook, cell and row
        raise _failure(nb, executed, exc, "") from exc
    for suffix, exclude in (("", False), ("_nocode", True)):
        body, _ = HTMLExporter(exclude_input=exclude, exclude_input_prompt=True,
                               exclude_output_prompt=True).from_filename(str(executed))
        (out_dir / f"{nb.stem}{suffix}.html").write_text(body, encoding="utf-8")
    return NotebookRun(nb.stem, time.perf_counter() - start)


def run_notebooks(*, fiscal_year: int | None, lang: str, data_paths: list[str] | None, out_dir: Path,
                  stated_only: bool = False, progress: Callable[[str], None] | None = None,
                  notebooks: list[Path] | None = None, workers: int | None = None) -> list[NotebookRun]:
    """Execute every notebook with papermill; write executed .ipynb and HTML (full and code-free).

    Notebooks are independent (each starts from the data), so up to :func:`report_workers` run at
    once. One ``progress`` line per notebook as it finishes; what the kernels print on stderr
    (warnings, shutdown noise) is hidden unless a notebook fails. Raises :class:`NotebookFailed`
    for the first failing notebook (in number order).
    """
    from concurrent.futures import ThreadPoolExecutor, as_completed

    (out_dir / "notebooks").mkdir(parents=True, exist_ok=True)
    notebooks = notebooks if notebooks is not None else sorted(config.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
    params = {"fiscal_year": fiscal_year, "lang": lang, "data_paths": data_paths, "stated_only": stated_only}
    runs: dict[str, NotebookRun] = {}
    failures: dict[str, NotebookFailed] = {}
    done = 0
    with _captured_stderr() as noise:
        with ThreadPoolExecutor(max_workers=workers or report_workers()) as pool:
            futures = {pool.submit(_run_one, nb, out_dir, params): nb for nb in notebooks}
            for fut in as_completed(futures):
                nb = futures[fut]
                done += 1
                try:
                    runs[nb.stem] = fut.result()
                    line = f"[{done}/{len(notebooks)}] {nb.stem}: {runs[nb.stem].seconds:.1f} s"
                except NotebookFailed as exc:
                    failures[nb.stem] = exc
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


def figure_records(lang: str, figures_dir: Path | None = None) -> list[dict]:
    """The JSON sidecars of the figures saved in ``lang``, sorted by name."""
    figures_dir = Path(figures_dir or config.FIGURES_DIR)
    recs = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(figures_dir.glob("*.json"))]
    return [r for r in recs if r.get("lang") == lang]


def write_downloads(records: list[dict], out_dir: Path, figures_dir: Path | None = None) -> None:
    """The data behind every figure as CSV and XLSX (neutralised against formula injection)."""
    import pandas as pd

    from .export import write_csv, write_xlsx

    figures_dir = Path(figures_dir or config.FIGURES_DIR)
    (out_dir / "data").mkdir(parents=True, exist_ok=True)
    for r in records:
        df = pd.read_csv(figures_dir / r["data"], dtype={"as_of": "str"}, encoding="utf-8")
        write_csv(df, out_dir / "data" / f"{r['name']}.csv")
        write_xlsx({"data": df}, out_dir / "data" / f"{r['name']}.xlsx")


def write_index(records: list[dict], runs: list[str], out_dir: Path, *, lang: str, provenance: str) -> Path:
    """``reports/index.html``: every figure with caption, sources and downloads; links to the notebooks."""
    ja = lang == "ja"
    title = "三市DX指標 分析レポート" if ja else "DX indicators of three cities — report"
    parts = [f"<!doctype html><html lang='{lang}'><head><meta charset='utf-8'><title>{title}</title>",
             "<style>body{font-family:sans-serif;max-width:1000px;margin:auto;padding:1em}"
             "figure{margin:2em 0;border-bottom:1px solid #ddd}img{max-width:100%}"
             "figcaption{font-size:.9em;color:#333}.dl a{margin-right:1em}</style></head><body>",
             f"<h1>{title}</h1><p>{html.escape(provenance)}</p>",
             "<h2>" + ("ノートブック" if ja else "Notebooks") + "</h2><ul>"]
    for name in runs:
        parts.append(f"<li>{html.escape(name)}: <a href='{name}_nocode.html'>"
                     + ("レポート（コードなし）" if ja else "report (no code)")
                     + f"</a> · <a href='{name}.html'>" + ("コード付き" if ja else "with code") + "</a></li>")
    parts.append("</ul><h2>" + ("図" if ja else "Figures") + "</h2>")
    for r in records:
        n = html.escape(r["name"])
        parts.append(f"<figure id='{n}'><h3>{html.escape(r['title'])}</h3>"
                     f"<img src='figures/{html.escape(r['png'])}' alt='{html.escape(r['title'])}'>"
                     f"<figcaption>{html.escape(r['caption'])}</figcaption>"
                     f"<p class='dl'><a href='figures/{html.escape(r['svg'])}'>SVG</a>"
                     f"<a href='figures/{html.escape(r['png'])}'>PNG (300 dpi)</a>"
                     f"<a href='data/{n}.csv'>CSV</a><a href='data/{n}.xlsx'>XLSX</a></p></figure>")
    parts.append("</body></html>\n")
    path = out_dir / "index.html"
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def data_tree_hash(data_dir: Path | None = None) -> str:
    """SHA-256 over the names and bytes of every data file under ``data/`` (extracts, catalogue, records,
    raw copies; not the ``*.md`` documentation): what the committed figures are checked against."""
    data_dir = Path(data_dir or config.DATA_DIR)
    h = hashlib.sha256()
    for p in sorted(f for f in data_dir.rglob("*") if f.is_file() and f.suffix != ".md" and "__pycache__" not in f.parts):
        h.update(p.relative_to(data_dir).as_posix().encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


MANIFEST_DIR = "manifest"
"""``figures/manifest/<lang>.json``: what data and report year a language's figures were built from,
and the SHA-256 of every file written."""


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _write_manifest(fig_dir: Path, records: list[dict], *, lang: str, fiscal_year: int, data_paths) -> None:
    files = sorted({r[k] for r in records for k in ("png", "svg", "data")} | {f"{r['name']}.json" for r in records})
    manifest = {"lang": lang, "fiscal_year": fiscal_year, "data": "bundled" if data_paths is None else "custom",
                "data_sha256": data_tree_hash(), "dxanalysis": __version__,
                "files": {f: _sha(fig_dir / f) for f in files}}
    (fig_dir / MANIFEST_DIR).mkdir(exist_ok=True)
    (fig_dir / MANIFEST_DIR / f"{lang}.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n",
                                                         encoding="utf-8")


def _seed_figures(fig_dir: Path, stage: Path, lang: str) -> None:
    """Start the new figures folder with everything of the *other* language (a ja build keeps the en files)."""
    if not fig_dir.is_dir():
        return
    mine = {f"{MANIFEST_DIR}/{lang}.json"}
    for r in figure_records(lang, fig_dir):
        mine |= {r["png"], r["svg"], r["data"], f"{r['name']}.json"}
    for p in sorted(fig_dir.rglob("*")):
        rel = p.relative_to(fig_dir).as_posix()
        if p.is_file() and rel not in mine:
            (stage / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(p, stage / rel)


def _swap(new: Path, target: Path) -> None:
    """Put folder ``new`` in the place of ``target`` (two renames on one file system)."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}-old-{os.getpid()}")
        shutil.rmtree(old, ignore_errors=True)
        os.rename(target, old)
    os.rename(new, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


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


def build_report(*, fiscal_year: int | None = None, lang: str = "ja", data_paths: list[str] | None = None,
                 out_dir: Path | None = None, figures_dir: Path | None = None, stated_only: bool = False,
                 progress: Callable[[str], None] | None = None) -> dict:
    """Run everything into temporary folders; replace ``figures/`` (this language's files) and ``reports/``
    only when every notebook succeeded. On failure the previous outputs are left byte-identical and
    :class:`NotebookFailed` names the notebook, the cell and, where the error names one, the data row.

    Returns timings and what was written.
    """
    from .notebook import start

    out_dir = Path(out_dir or config.REPORTS_DIR)
    fig_dir = Path(figures_dir or config.FIGURES_DIR)
    if out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / "index.html").exists():
        raise ValueError(f"{out_dir} is not empty and holds no report (index.html): not replacing it")
    ctx = start(fiscal_year, lang, data_paths)  # validates the data before anything runs
    for d in (out_dir, fig_dir):
        d.parent.mkdir(parents=True, exist_ok=True)
    stage_out = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-build-", dir=out_dir.parent))
    stage_fig = Path(tempfile.mkdtemp(prefix=f".{fig_dir.name}-build-", dir=fig_dir.parent))
    try:
        _seed_figures(fig_dir, stage_fig, lang)
        with _environ(DXANALYSIS_FIGURES=str(stage_fig)):
            runs = run_notebooks(fiscal_year=ctx.fiscal_year, lang=lang, data_paths=data_paths, out_dir=stage_out,
                                 stated_only=stated_only, progress=progress)
        records = figure_records(lang, stage_fig)
        fig_out = stage_out / "figures"
        fig_out.mkdir(exist_ok=True)
        for r in records:
            for key in ("png", "svg"):
                shutil.copyfile(stage_fig / r[key], fig_out / r[key])
        write_downloads(records, stage_out, stage_fig)
        index = write_index(records, [r.name for r in runs], stage_out, lang=lang,
                            provenance=f"dxanalysis {__version__} · data sha256 {ctx.data_hash[:16]} · "
                                       f"fiscal year {ctx.fiscal_year} · lang {lang}")
        _write_manifest(stage_fig, records, lang=lang, fiscal_year=ctx.fiscal_year, data_paths=data_paths)
        _swap(stage_fig, fig_dir)
        _swap(stage_out, out_dir)
    finally:
        shutil.rmtree(stage_out, ignore_errors=True)
        shutil.rmtree(stage_fig, ignore_errors=True)
    return {"index": out_dir / index.name, "fiscal_year": ctx.fiscal_year, "figures": len(records),
            "timings": {r.name: round(r.seconds, 1) for r in runs}}
