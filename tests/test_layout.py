"""The package reads like the data path: subpackages by stage, imports one way, no circle, short modules.

The allowed order is written once, in ``dxanalysis.LAYERS``; this test reads every import statement of
the package (function-local ones too) and fails on an upward import or a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import dxanalysis
from dxanalysis import config

PACKAGE = config.PACKAGE_DIR
MAX_MODULE_LINES = 500


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every dxanalysis module that ``path`` imports (relative or absolute, at any depth of the file)."""
    name = module_name(path)
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package[:len(package) - node.level + 1] + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            if base.split(".")[0] == "dxanalysis":
                out |= {f"{base}.{a.name}" for a in node.names} | {base}
        elif isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.split(".")[0] == "dxanalysis"}
    return out


def import_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    """Module → the package modules it imports (names that are attributes, not modules, are dropped)."""
    files = {module_name(p): p for p in package.rglob("*.py")}
    graph = {}
    for name, path in files.items():
        targets = set()
        for t in imports_of(path):
            while t and t not in files:
                t = t.rpartition(".")[0]
            if t and t != name:
                targets.add(t)
        graph[name] = targets
    return graph


def layer_of(module: str) -> int | None:
    """The position in ``dxanalysis.LAYERS`` of a module's stage (None for the package itself)."""
    parts = module.split(".")
    if len(parts) == 1:
        return None
    for i, names in enumerate(dxanalysis.LAYERS):
        if parts[1] in names:
            return i
    raise AssertionError(f"{module} belongs to no layer of dxanalysis.LAYERS: add its stage there")


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    found, state, stack = [], {}, []

    def visit(node: str) -> None:
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                found.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return found


GRAPH = import_graph()


def test_every_module_belongs_to_a_layer():
    assert {m: layer_of(m) for m in GRAPH if m != "dxanalysis"}  # raises for a module of no layer


def test_no_module_imports_a_later_stage():
    upward = [f"{src} (layer {layer_of(src)}) imports {dst} (layer {layer_of(dst)})"
              for src, targets in GRAPH.items() for dst in targets
              if layer_of(src) is not None and layer_of(dst) is not None and layer_of(dst) > layer_of(src)]
    assert upward == []


def test_no_import_cycle():
    assert cycles(GRAPH) == []


def test_no_module_is_longer_than_the_limit():
    long = {module_name(p): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert long == {}


def test_the_checks_can_fail():
    """The graph, layer and cycle checks catch what they are for (on a made-up graph)."""
    assert cycles({"a": {"b"}, "b": {"a"}}) == [["a", "b", "a"]]
    assert layer_of("dxanalysis.io.csv") < layer_of("dxanalysis.contract.load") < layer_of("dxanalysis.present.plot")
    with pytest.raises(AssertionError, match="no layer"):
        layer_of("dxanalysis.nowhere")


def test_import_dxanalysis_stays_light():
    import subprocess
    import sys

    code = "import sys, dxanalysis; print(sorted(m for m in ('pandas', 'numpy', 'matplotlib', 'openpyxl') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"


@pytest.mark.parametrize("short, module", [("metrics", "dxanalysis.analysis.metrics"), ("plot", "dxanalysis.present.plot"),
                                           ("narrate", "dxanalysis.analysis.narrate"), ("national", "dxanalysis.national")])
def test_notebook_short_names_keep_working(short, module):
    import importlib

    assert getattr(__import__("dxanalysis", fromlist=[short]), short) is importlib.import_module(module)
