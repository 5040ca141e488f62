"""Figure sidecars (one JSON per saved figure), the build manifest of a language and the data hash."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from .. import __version__, config


def figure_records(lang: str, figures_dir: Path | None = None) -> list[dict]:
    """The JSON sidecars of the figures saved in ``lang``, sorted by name."""
    figures_dir = Path(figures_dir or config.FIGURES_DIR)
    recs = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(figures_dir.glob("*.json"))]
    return [r for r in recs if r.get("lang") == lang]


_SAVED_NAME = re.compile(r"""save_figure\([^,]+,\s*\\?["']([A-Za-z0-9_]+)\\?["']""")


def in_analysis_order(records: list[dict], notebooks: list[Path] | None = None) -> list[dict]:
    """``records`` in the order the analysis shows them: notebook by notebook (overview → online applications →
    RPA/AI → telework → targets → three-city comparison → national context), in each as the notebook saves
    them; figures no notebook names come last, by name.

    >>> recs = [{"name": "b_en"}, {"name": "z"}, {"name": "a_en"}]
    >>> [r["name"] for r in in_analysis_order(recs, [])]
    ['a_en', 'b_en', 'z']
    """
    notebooks = notebooks if notebooks is not None else sorted(config.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
    order = [name for nb in notebooks for name in _SAVED_NAME.findall(nb.read_text(encoding="utf-8"))]
    rank = {name: i for i, name in enumerate(dict.fromkeys(order))}
    base = lambda r: r["name"].removesuffix("_en") if r.get("lang") == "en" else r["name"]  # noqa: E731
    return sorted(records, key=lambda r: (rank.get(base(r), len(rank)), r["name"]))


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
    files = sorted({r[k] for r in records for k in ("png", "svg", "data")} | {f"{r['name']}.json" for r in records}
                   | {page["png"] for r in records for page in r.get("book_pages", [])})
    manifest = {"lang": lang, "fiscal_year": fiscal_year, "data": "bundled" if data_paths is None else "custom",
                "data_sha256": data_tree_hash(), "dxanalysis": __version__,
                "files": {f: _sha(fig_dir / f) for f in files}}
    (fig_dir / MANIFEST_DIR).mkdir(exist_ok=True)
    (fig_dir / MANIFEST_DIR / f"{lang}.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n",
                                                         encoding="utf-8")
