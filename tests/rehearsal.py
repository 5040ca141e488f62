"""The next-year rehearsal: the whole yearly cycle on a temporary copy of the project.

``template --fiscal-year 2025`` (and the year after the latest target year) → every pre-filled row
filled with SYNTHETIC values generated with a fixed seed (equal to, above and below their targets; a
cell holding 0.18 formatted ``0%``; a missing value; one revision of an existing figure from a new,
newer source) → ``validate`` → ``add`` → the data tests and doctests, then every code test (which must not notice the new year) on the copy → ``report
--fiscal-year 2025`` in ja and en. The real ``data/`` is never written: every command runs in a
subprocess with ``cwd`` and ``PYTHONPATH`` set to the copy (the notebook kernels inherit both), and
the figures, reports and source texts go to folders of the copy.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import openpyxl

from dxanalysis import config

FY = 2025
SEED = 2025
REIWA = {2024: "令和6年度", 2025: "令和7年度"}
SOURCE_DATE = "2026-09"
CORRECTION = "synthetic_chigasaki_correction_2026"
CODE_TEST_ARGS = ("-x", "-q", "-p", "no:cacheprovider", "-o", "addopts=", "-m", "not data and not rehearsal",
                  "-n", "2")
"""Every code test (no data tests, doctests, notebooks or the rehearsal itself), stopping at the first failure, on two
workers (pytest-xdist: the outer run waits for this step, so both cores are free). Measured 2026-12-06 on the 2-core
machine: 1,015 tests in 116 s with two workers (about 3 min 30 s of CPU on one)."""
REVISED = ("chigasaki", "telework_count", 2024, 765)
"""The revision: 茅ヶ崎市 telework FY2024 (761 in chigasaki_progress_fy2024) → 765, from CORRECTION."""


def percent_cells_read_as_percent(tmp: Path) -> bool:
    """Does the loader read a cell holding 0.18 formatted ``0%`` as 18 (issue 12)?"""
    from dxanalysis import check_kpis
    from dxanalysis.cycle.template import ENTRY_HEADERS

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(ENTRY_HEADERS)
    ws.append(["茅ヶ崎市", "online_application_rate", "2025年度", None, 0.18, "%", "実績", None,
               "chigasaki_progress_fy2024", "probe", "令和7年度実績 18%", None, None])
    ws["E2"].number_format = "0%"
    wb.save(tmp / "percent_probe.xlsx")
    result = check_kpis(tmp / "percent_probe.xlsx")
    return not result.problems and len(result.kpis) == 1 and result.kpis["value"].iloc[0] == 18.0


@dataclass
class Rehearsal:
    proj: Path
    env: dict
    runs: dict = field(default_factory=dict)
    typed: list = field(default_factory=list)
    """one dict per filled row: municipality, indicator, fiscal_year, value (float or NaN), case, source_id"""
    percent_as_excel_cell: bool = False
    later_year: int = 0
    data_after_add: dict = field(default_factory=dict)
    undo: Path | None = None
    """a second copy, where the final ``remove`` runs"""

    def run(self, name: str, *args: str, module: str = "dxanalysis", env: dict | None = None,
            cwd: Path | None = None) -> subprocess.CompletedProcess:
        cmd = [sys.executable, "-m", module, *args]
        done = subprocess.run(cmd, cwd=cwd or self.proj, env=env or self.env, capture_output=True, text=True,
                              timeout=900)
        self.runs[name] = done
        return done


def copy_project(dest: Path) -> Path:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".hypothesis", ".pytest_cache")
    for d in ("dxanalysis", "data", "notebooks", "tests", "figures", ".ci"):  # all the code tests look at
        shutil.copytree(config.PROJECT_DIR / d, dest / d, ignore=ignore)
    for f in ("pyproject.toml", "conftest.py", "README.md", "environment.yml", "Makefile", ".gitattributes"):
        shutil.copy2(config.PROJECT_DIR / f, dest / f)
    return dest


def _value_for(case: str, target, previous, unit: str, rng: np.random.Generator) -> float:
    if case == "equal":
        return float(target)
    if case == "above":
        v = float(target) * 1.1 + 1
    elif case == "below":
        v = float(target) * 0.8
    else:
        base = float(previous) if previous not in (None, 0) else 10.0
        v = base * (1 + rng.uniform(-0.15, 0.25))
    if unit == "%":
        return float(min(round(v, 1), 100.0))
    return float(max(round(v), 1))


def _typed_text(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else repr(float(v))


def fill_template(book: Path, fiscal_year: int, rng: np.random.Generator, *, excel_percent: bool,
                  revision: bool, municipalities=None) -> tuple[list[dict], dict[str, list[str]]]:
    """Type a synthetic figure into every pre-filled row (and register synthetic sources); return what was
    typed and, per source file name, the synthetic text its quotes come from."""
    from dxanalysis import load_municipalities

    mun = load_municipalities() if municipalities is None else municipalities
    by_ja = {mun.at[m, "name_ja"]: m for m in mun.index}
    wb = openpyxl.load_workbook(book)
    ws = wb["入力"]
    col = {c.value: i for i, c in enumerate(ws[1])}
    rows = list(ws.iter_rows(min_row=2))
    typed, texts = [], {}
    targets = [r for r in rows if r[col["参考：目標値"]].value is not None]
    percent_row = next((r for r in rows if r[col["単位"]].value == "%" and r not in targets), None)
    missing_row = next((r for r in reversed(rows) if r not in targets and r is not percent_row), None)
    sources = wb["出典一覧"]
    registered = set()
    for r in rows:
        m = by_ja[r[col["自治体"]].value]
        ind, unit = r[col["指標"]].value, r[col["単位"]].value
        sid = f"synthetic_{m}_fy{fiscal_year}"
        if sid not in registered:
            sources.append([sid, f"（架空）{mun.at[m, 'name_ja']} {REIWA.get(fiscal_year, f'{fiscal_year}年度')} DX進捗報告"
                                 "（テスト用 / synthetic）", mun.at[m, "name_ja"], SOURCE_DATE, "", f"{sid}.txt",
                            "SYNTHETIC test source generated by tests/rehearsal.py (fixed seed): not a real document"])
            registered.add(sid)
        target, previous = r[col["参考：目標値"]].value, r[col["参考：前年度の値"]].value
        year_words = REIWA.get(fiscal_year, f"{fiscal_year}年度")
        if r is missing_row:
            case, value, cell, shown = "missing", float("nan"), "—", "—"
        elif r is percent_row:
            case, value = "excel_percent", 18.0
            cell, shown = (0.18, "18%") if excel_percent else ("18%", "18%")
        else:
            case = ("equal", "above", "below")[targets.index(r) % 3] if r in targets else "plausible"
            if case == "above" and unit == "%" and float(target) >= 100:
                case = "equal"
            value = _value_for(case, target, previous, unit, rng)
            cell = int(value) if value.is_integer() else value
            shown = _typed_text(value) + unit
        quote = f"{ind} {year_words}実績 {shown}（架空・synthetic）"
        r[col["値"]].value = cell
        if case == "excel_percent" and excel_percent:
            r[col["値"]].number_format = "0%"
        r[col["出典"]].value, r[col["掲載箇所"]].value, r[col["引用"]].value = sid, "架空の表 (synthetic)", quote
        texts.setdefault(f"{sid}.txt", []).append(quote)
        typed.append({"municipality": m, "indicator": ind, "fiscal_year": fiscal_year, "value": value, "case": case,
                      "source_id": sid, "row": r[0].row})
    if revision:
        m, ind, year, value = REVISED
        sources.append([CORRECTION, "（架空）茅ヶ崎市 テレワーク件数の訂正（テスト用 / synthetic）", "茅ヶ崎市", "2026-10",
                        "", "", "SYNTHETIC correction with no text copy (file empty): its quotes are not checked"])
        ws.append([mun.at[m, "name_ja"], ind, f"{year}年度", None, value, "件", "実績", None, CORRECTION,
                   "架空の訂正表 (synthetic)", f"テレワーク件数 {REIWA[year]}実績（訂正） {value}件（架空・synthetic）",
                   None, None])
        typed.append({"municipality": m, "indicator": ind, "fiscal_year": year, "value": float(value),
                      "case": "revision", "source_id": CORRECTION, "row": ws.max_row})
    wb.save(book)
    return typed, texts


def rehearse(tmp: Path, ready=None) -> Rehearsal:
    """Run the whole cycle; every step's CompletedProcess is in ``runs`` (asserted by the tests).

    Everything read in this process (the project, data/ through ``config``) is read first; then ``ready``
    (a ``threading.Event``) is set: the rest runs in subprocesses of the copy, so the tests of the outer run
    may go on beside it, even those that point ``config`` elsewhere (conftest.py starts it in a thread)."""
    proj = copy_project(tmp / "project")
    seeds = tmp / "seeds"
    seeds.mkdir()
    if config.SEEDS_DIR.is_dir():
        for p in config.SEEDS_DIR.iterdir():
            (seeds / p.name).symlink_to(p.resolve())
    env = {**os.environ, "PYTHONPATH": str(proj), "DXANALYSIS_FIGURES": str(proj / "figures"),
           "DXANALYSIS_REPORTS": str(proj / "reports"), "DXANALYSIS_SEEDS": str(seeds), "DXANALYSIS_IN_REHEARSAL": "1"}
    env.pop("PYTEST_ADDOPTS", None)
    for name in [n for n in env if n.startswith(("PYTEST_XDIST", "PYTEST_CURRENT"))]:  # the outer run's worker
        env.pop(name)
    r = Rehearsal(proj, env, percent_as_excel_cell=percent_cells_read_as_percent(tmp))
    from dxanalysis import load_kpis

    from dxanalysis import load_municipalities

    r.later_year = int(load_kpis().query("kind == 'target'")["fiscal_year"].max()) + 1
    municipalities = load_municipalities()
    if ready is not None:
        ready.set()
    rng = np.random.default_rng(SEED)
    for year, book in ((FY, proj / f"fy{FY}.xlsx"), (r.later_year, proj / f"fy{r.later_year}.xlsx")):
        if r.run(f"template {year}", "template", "--fiscal-year", str(year), str(book)).returncode:
            return r
        typed, texts = fill_template(book, year, rng, excel_percent=r.percent_as_excel_cell, revision=year == FY,
                                     municipalities=municipalities)
        r.typed += typed
        for name, lines in texts.items():
            (seeds / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        if r.run(f"validate {year}", "validate", str(book)).returncode:
            return r
        if r.run(f"add {year}", "add", str(book)).returncode:
            return r
    r.run("add again", "add", str(proj / f"fy{FY}.xlsx"))
    data_tests = sorted(str(p.relative_to(proj)) for p in (proj / "tests").glob("test_data*.py"))
    r.run("data tests", "-q", "-p", "no:cacheprovider", "-o", "addopts=", "--doctest-modules", *data_tests,
          "dxanalysis", module="pytest")
    r.run("code tests", *CODE_TEST_ARGS, "tests", module="pytest",
          env={**env, "DXANALYSIS_FIGURES": str(tmp / "code-tests-figures"),
               "DXANALYSIS_REPORTS": str(tmp / "code-tests-reports")})
    r.run("report", "report", "--fiscal-year", str(FY))  # ja in reports/, en in reports/en/, one call
    r.data_after_add = {p.relative_to(proj / "data").as_posix(): p.read_bytes()
                        for p in sorted((proj / "data").rglob("*")) if p.is_file()}
    # undo, on a second copy (the reports above stay consistent with the data they were made from)
    r.undo = tmp / "undo"
    shutil.copytree(proj, r.undo, ignore=shutil.ignore_patterns("figures", "reports*", "__pycache__", "tests"))
    undo_env = {**env, "PYTHONPATH": str(r.undo)}
    r.run("remove without --yes", "remove", str(r.undo / f"fy{FY}.xlsx"), cwd=r.undo, env=undo_env)  # no terminal
    r.run("remove", "remove", str(r.undo / f"fy{FY}.xlsx"), "--yes", cwd=r.undo, env=undo_env)
    return r


BESIDE: dict = {}
"""The rehearsal started beside the other tests (root conftest.py calls ``start_rehearsal_beside``): thread and outcome."""


def start_rehearsal_beside(tmp: Path) -> None:
    """Start the rehearsal in a thread once its in-process reads are done: it then waits on its subprocesses while
    this run goes on with the other tests (2 cores: both busy, ``make test`` shorter by the rehearsal's length)."""
    import threading

    ready = threading.Event()

    def work():
        try:
            BESIDE["result"] = rehearse(tmp, ready=ready)
        except BaseException as exc:  # noqa: BLE001 - handed to the tests that read the rehearsal
            BESIDE["error"] = exc
            ready.set()

    BESIDE["thread"] = threading.Thread(target=work, name="rehearsal", daemon=True)
    BESIDE["thread"].start()
    ready.wait()
