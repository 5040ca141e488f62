"""``make report``: execute the notebooks headless and build ``reports/``.

For each notebook in ``notebooks/`` (in number order) papermill runs it with the
report's parameters; the executed notebook is written to ``reports/notebooks/`` and
as HTML twice (with code for analysts, without code for reviewers). The figures the
notebooks save (``figures/``) are gathered into ``reports/index.html`` with their
captions, sources and the data behind each one as CSV and XLSX downloads.
"""

from __future__ import annotations

import html
import json
import time
from dataclasses import dataclass
from pathlib import Path

from . import __version__, config

CELL_TIMEOUT_S = 300
"""Per-cell execution time limit."""


@dataclass
class NotebookRun:
    name: str
    seconds: float


def run_notebooks(*, fiscal_year: int | None, lang: str, data_paths: list[str] | None,
                  out_dir: Path) -> list[NotebookRun]:
    """Execute every notebook with papermill; write executed .ipynb and HTML (full and code-free)."""
    import papermill as pm
    from nbconvert import HTMLExporter

    (out_dir / "notebooks").mkdir(parents=True, exist_ok=True)
    runs = []
    for nb in sorted(config.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb")):
        start = time.perf_counter()
        executed = out_dir / "notebooks" / nb.name
        pm.execute_notebook(str(nb), str(executed), kernel_name="python3", cwd=str(config.NOTEBOOKS_DIR),
                            parameters={"fiscal_year": fiscal_year, "lang": lang, "data_paths": data_paths},
                            execution_timeout=CELL_TIMEOUT_S, progress_bar=False)
        for suffix, exclude in (("", False), ("_nocode", True)):
            body, _ = HTMLExporter(exclude_input=exclude, exclude_input_prompt=True,
                                   exclude_output_prompt=True).from_filename(str(executed))
            (out_dir / f"{nb.stem}{suffix}.html").write_text(body, encoding="utf-8")
        runs.append(NotebookRun(nb.stem, time.perf_counter() - start))
    return runs


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


def build_report(*, fiscal_year: int | None = None, lang: str = "ja", data_paths: list[str] | None = None,
                 out_dir: Path | None = None) -> dict:
    """Run everything; returns timings and what was written."""
    import shutil

    from .notebook import start

    out_dir = Path(out_dir or config.REPORTS_DIR)
    out_dir.mkdir(parents=True, exist_ok=True)
    ctx = start(fiscal_year, lang, data_paths)  # validates the data before anything runs
    runs = run_notebooks(fiscal_year=ctx.fiscal_year, lang=lang, data_paths=data_paths, out_dir=out_dir)
    records = figure_records(lang)
    fig_out = out_dir / "figures"
    fig_out.mkdir(exist_ok=True)
    for r in records:
        for key in ("png", "svg"):
            shutil.copyfile(config.FIGURES_DIR / r[key], fig_out / r[key])
    write_downloads(records, out_dir)
    index = write_index(records, [r.name for r in runs], out_dir, lang=lang,
                        provenance=f"dxanalysis {__version__} · data sha256 {ctx.data_hash[:16]} · "
                                   f"fiscal year {ctx.fiscal_year} · lang {lang}")
    return {"index": index, "fiscal_year": ctx.fiscal_year, "figures": len(records),
            "timings": {r.name: round(r.seconds, 1) for r in runs}}
