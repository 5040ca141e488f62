"""Project shape: dependencies mirrored, light import, the README's commands."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib

import yaml

from dxanalysis import config

ROOT = config.PROJECT_DIR


def _name(req: str) -> str:
    return re.split(r"[<>=!~\[ ]", req.strip(), maxsplit=1)[0].lower()


def test_environment_yml_mirrors_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = project["dependencies"] + project["optional-dependencies"]["test"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    mirrored = [p for p in pip if not p.startswith("-e")]
    assert sorted(mirrored) == sorted(declared)  # same names *and* same version bounds
    assert any(str(d).startswith("python>=3.11") for d in env["dependencies"])


def test_import_is_light():
    code = ("import sys, dxanalysis; heavy = [m for m in ('pandas', 'matplotlib', 'seaborn', 'openpyxl')"
            " if m in sys.modules]; print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == ""


def test_readme_opens_with_the_two_commands_and_ci_runs_the_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    head = readme[:1500]
    assert "make report" in head and "make test" in head
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_layout():
    for name in ("notebooks", "data", "dxanalysis", "figures", "tests", "environment.yml", "README.md",
                 "pyproject.toml", "Makefile"):
        assert (ROOT / name).exists(), name
