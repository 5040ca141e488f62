"""Opening a notebook changes nothing, and saving one cannot put outputs into the repository."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys

import pytest

from dxanalysis import config

ROOT = config.PROJECT_DIR
NOTEBOOKS = sorted(config.NOTEBOOKS_DIR.glob("*.ipynb"))
MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")


def make_variable(name: str) -> str:
    """A ``NAME := value`` of the Makefile (continuation lines joined)."""
    text = MAKEFILE.replace("\\\n", " ")
    return re.search(rf"^{name}\s*:?=\s*(.*)$", text, flags=re.M).group(1).strip()


def clean(text: str) -> str:
    """The Makefile's nbstripout clean filter, run as git runs it."""
    argv = shlex.split(make_variable("NBSTRIPOUT").replace("$(VENV)/bin/nbstripout", "nbstripout"))
    return subprocess.run([sys.executable, "-m", "nbstripout", *argv[1:]], input=text, capture_output=True,
                          text=True, check=True, encoding="utf-8").stdout


def test_the_numbered_report_is_the_notebooks_with_a_number_and_the_explorer_is_not_in_it():
    numbered = sorted(config.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
    assert (config.NOTEBOOKS_DIR / "explore.ipynb") in NOTEBOOKS and (config.NOTEBOOKS_DIR / "explore.ipynb") not in numbered


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_kernelspec_is_the_kernel_make_install_registers(path):
    spec = json.loads(path.read_text(encoding="utf-8"))["metadata"]["kernelspec"]
    assert spec == {"name": make_variable("KERNEL_NAME"), "display_name": make_variable("KERNEL_DISPLAY_NAME"),
                    "language": "python"}
    assert '--name $(KERNEL_NAME) --display-name "$(KERNEL_DISPLAY_NAME)"' in MAKEFILE


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_notebooks_are_what_the_git_filter_stores(path):
    text = path.read_text(encoding="utf-8")
    assert clean(text) == text


def test_a_notebook_saved_after_running_is_stored_without_outputs(tmp_path):
    """What JupyterLab saves (outputs, counts, the kernel's language_info) is cleaned back to the stored file."""
    path = config.NOTEBOOKS_DIR / "01_online_applications.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["metadata"]["language_info"] = {"codemirror_mode": {"name": "ipython", "version": 3}, "file_extension": ".py",
                                       "mimetype": "text/x-python", "name": "python", "nbconvert_exporter": "python",
                                       "pygments_lexer": "ipython3", "version": "3.11.7"}
    nb["metadata"]["widgets"] = {"application/vnd.jupyter.widget-state+json": {}}
    for i, cell in enumerate(c for c in nb["cells"] if c["cell_type"] == "code"):
        cell["execution_count"] = i + 1
        cell["outputs"] = [{"name": "stdout", "output_type": "stream", "text": ["/home/analyst/figures/x.png\n"]}]
        cell["metadata"]["execution"] = {"iopub.status.busy": "2026-01-01T00:00:00Z"}
    saved = json.dumps(nb, indent=1, ensure_ascii=False) + "\n"
    assert clean(saved) == path.read_text(encoding="utf-8")


def test_gitattributes_route_notebooks_through_the_filter_make_install_configures():
    assert "*.ipynb filter=nbstripout" in (ROOT / ".gitattributes").read_text(encoding="utf-8")
    assert "git config filter.nbstripout.clean '$(NBSTRIPOUT)'" in MAKEFILE
    assert "$(MAKE) --no-print-directory git-filter" in MAKEFILE


def test_make_lab_takes_options_and_allows_root():
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    out = subprocess.run(["make", "--no-print-directory", "-n", "-o", ".venv/.installed-stamp", "lab",
                          "LAB_OPTS=--no-browser --port 8899"], cwd=ROOT, capture_output=True, text=True, check=True,
                         env=env)
    command = next(line for line in out.stdout.splitlines() if "jupyter lab" in line)
    assert command.endswith("--no-browser --port 8899")
    assert ("--allow-root" in command) == (os.geteuid() == 0)


MAX_CELL_LINES, MAX_NOTEBOOK_LINES = 12, 60
"""Notebooks stay thin (issue 18): what they compute lives in the package (summaries, panels), with tests."""


def code_lines(source: str) -> int:
    """Lines of code in a cell: non-blank lines that are not pure ``#`` comments."""
    return sum(1 for line in source.splitlines() if line.strip() and not line.strip().startswith("#"))


def test_code_lines_leave_out_blank_lines_and_comments():
    assert code_lines("import x\n\n# a comment\n    # indented comment\ny = 1  # trailing comment\n\"\"\"doc\"\"\"\n") == 3


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_are_thin(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    counts = [(i, cell.get("id"), code_lines("".join(cell["source"])))
              for i, cell in enumerate(cells) if cell["cell_type"] == "code"]
    long_cells = [f"cell {i} (id {cid}): {n} lines" for i, cid, n in counts if n > MAX_CELL_LINES]
    assert not long_cells, (f"{path.name}: code cells longer than {MAX_CELL_LINES} lines — move the computing into "
                            f"dxanalysis.summaries / dxanalysis.panels: " + "; ".join(long_cells))
    total = sum(n for _, _, n in counts)
    assert total <= MAX_NOTEBOOK_LINES, (f"{path.name}: {total} lines of code in all, more than {MAX_NOTEBOOK_LINES} "
                                         "(per cell: " + ", ".join(f"cell {i} {n}" for i, _, n in counts) + ")")
