"""Benchmarks (``make bench``): import time, national-scale load, report wall time.

Every measurement runs in a fresh subprocess (so imports and peak memory are its own) and
is repeated; the median is reported. Results are printed and written to
``benchmarks/results.md``. The national extract is SYNTHETIC (benchmarks/make_synthetic.py,
fixed seed) and lives in benchmarks/data/, never under data/.

    python benchmarks/run.py            # everything (≈ 10 minutes on 2 cores)
    python benchmarks/run.py --quick    # skip the 696,400-row XLSX
    python benchmarks/run.py --national # only the real national inputs (data/national/raw); others kept from results.json
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"
NATIONAL = 1741 * 40 * 10  # 696,400 rows
GOALS = {"import": 1.3, "csv": 2.0, "xlsx": 1.0, "report_s": 60.0, "national": 2.0}

MEASURE = r'''
import json, resource, sys, time
kind, path = sys.argv[1], sys.argv[2]
import pandas as pd
import dxanalysis
if kind == "ours":
    dxanalysis.check_kpis  # imports the loader (its own import cost is measured separately)
t = time.perf_counter()
if kind == "bare_csv":
    n = len(pd.read_csv(path, dtype=str, keep_default_na=False))
elif kind == "bare_xlsx":
    n = len(pd.read_excel(path, engine="openpyxl", dtype=str))
else:
    r = dxanalysis.check_kpis(path, catalogue_dir=sys.argv[3]); n = r.report.rows_loaded
    assert not r.problems, r.problems[:3]
print(json.dumps({"seconds": time.perf_counter() - t, "rows": n,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
'''


NATIONAL_MEASURE = r'''
import json, resource, sys, time, zipfile
kind = sys.argv[1]
import pandas as pd
from dxanalysis import config
if kind == "ours":
    from dxanalysis import national  # the module's import is not part of the load
raw, files = config.NATIONAL_RAW_DIR, config.NATIONAL_RAW_FILES
t = time.perf_counter()
if kind == "bare":  # pandas.read_csv of every national file, defaults (SSDSE-A needs its encoding)
    n = 0
    for key in ("dx_status", "online_usage", "localgov", "prefectures"):
        n += len(pd.read_csv(raw / files[key]))
    n += len(pd.read_csv(raw / files["ssdse_a"], encoding="cp932"))
    with zipfile.ZipFile(raw / files["card_issuance"]) as z:
        for name in sorted(z.namelist()):
            with z.open(name) as fh:
                n += len(pd.read_csv(fh))
else:  # every national loader, cold (its caches empty): read, check, tidy
    munis = national.load_all_municipalities()
    nat = national.load_national()
    cards = national.load_card_issuance()
    national.load_national_indicators(); national.load_national_sources()
    assert nat.attrs["load_report"].balanced
    n = len(munis) + len(nat) + len(cards)
print(json.dumps({"seconds": time.perf_counter() - t, "rows": n,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
'''


def bench_national(repeat: int) -> dict:
    """Load + validate every national input against the bare read_csv of the same files (fresh processes)."""
    def med(kind: str) -> dict:
        runs = []
        for _ in range(repeat):
            out = subprocess.run([sys.executable, "-c", NATIONAL_MEASURE, kind], capture_output=True, text=True,
                                 check=True, cwd=ROOT)
            runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
        best = sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2]
        return {**best, "runs": [round(r["seconds"], 3) for r in runs]}

    bare, ours = med("bare"), med("ours")
    return {"bare": bare, "ours": ours, "ratio": ours["seconds"] / bare["seconds"]}


def run_json(args: list[str]) -> dict:
    out = subprocess.run([sys.executable, "-c", MEASURE, *args], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def median_of(args: list[str], repeat: int) -> dict:
    runs = [run_json(args) for _ in range(repeat)]
    best = sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2]
    return {**best, "runs": [round(r["seconds"], 3) for r in runs]}


def time_import(code: str, repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def bench_import() -> dict:
    base = time_import("pass")
    pandas_s = time_import("import pandas") - base
    light_s = time_import("import dxanalysis") - base
    ready_s = time_import("import dxanalysis; dxanalysis.load_kpis") - base
    heavy = subprocess.run([sys.executable, "-c", "import sys, dxanalysis; dxanalysis.load_kpis; "
                            "print(','.join(m for m in ('matplotlib', 'seaborn') if m in sys.modules))"],
                           capture_output=True, text=True, check=True).stdout.strip()
    return {"pandas_s": pandas_s, "dxanalysis_s": light_s, "dxanalysis_with_loader_s": ready_s,
            "ratio": light_s / pandas_s, "ratio_with_loader": ready_s / pandas_s, "plotting_imported": heavy or "none"}


def ensure_data(rows: int, xlsx: bool) -> tuple[Path, Path | None]:
    csv_path = DATA / f"synthetic_{rows}.csv"
    xlsx_path = DATA / f"synthetic_{rows}.xlsx" if xlsx else None
    if not csv_path.exists() or (xlsx_path and not xlsx_path.exists()):
        cmd = [sys.executable, str(HERE / "make_synthetic.py"), "--rows", str(rows), "--out", str(DATA)]
        subprocess.run(cmd + (["--xlsx"] if xlsx else []), check=True, capture_output=True)
    return csv_path, xlsx_path


def bench_report() -> dict:
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "dxanalysis", "report"], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout
    total = time.perf_counter() - t
    per = {}
    for line in out.splitlines():
        if line.startswith("  ") and line.rstrip().endswith(" s"):
            name, sec = line.strip().rsplit(": ", 1)
            per[name] = float(sec.split()[0])
    return {"total_s": total, "per_notebook_s": per}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="skip the national-scale XLSX (slow to write and read)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--national", action="store_true",
                    help="only the national inputs; the other sections are kept from results.json")
    args = ap.parse_args()
    if args.national:
        results = json.loads((HERE / "results.json").read_text(encoding="utf-8"))
        print("national …", flush=True)
        results["national"] = bench_national(max(args.repeat, 5))
        write(results)
        return
    results: dict = {"machine": f"{platform.machine()}, {platform.python_version()}, "
                                f"{subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()} cores"}
    print("import …", flush=True)
    results["import"] = bench_import()
    results["csv"] = {}
    for rows in (10_000, 100_000, NATIONAL):
        path, _ = ensure_data(rows, xlsx=False)
        print(f"csv {rows} …", flush=True)
        bare = median_of(["bare_csv", str(path)], args.repeat)
        ours = median_of(["ours", str(path), str(DATA)], args.repeat)
        results["csv"][rows] = {"bare": bare, "ours": ours, "ratio": ours["seconds"] / bare["seconds"]}
    results["xlsx"] = {}
    for rows in ((100_000,) if args.quick else (100_000, NATIONAL)):
        _, path = ensure_data(rows, xlsx=True)
        print(f"xlsx {rows} …", flush=True)
        bare = median_of(["bare_xlsx", str(path)], 1)
        ours = median_of(["ours", str(path), str(DATA)], args.repeat)
        results["xlsx"][rows] = {"bare": bare, "ours": ours, "ratio": ours["seconds"] / bare["seconds"]}
    print("national …", flush=True)
    results["national"] = bench_national(max(args.repeat, 5))
    print("report …", flush=True)
    results["report"] = bench_report()
    write(results)


SUGGEST_MARK = "<!-- suggest rehearsal -->"


def write(results: dict) -> None:
    (HERE / "results.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    md = render(results)
    old = (HERE / "results.md").read_text(encoding="utf-8") if (HERE / "results.md").exists() else ""
    if SUGGEST_MARK in old:  # the suggest rehearsal's section (benchmarks/suggest_rehearsal.py) is kept
        md = md.rstrip("\n") + "\n\n" + old[old.index(SUGGEST_MARK):]
    (HERE / "results.md").write_text(md, encoding="utf-8")
    print(md)


def verdict(value: float, goal: float) -> str:
    return "met" if value <= goal else "**not met**"


def render(r: dict) -> str:
    imp = r["import"]
    lines = ["# Benchmark results", "", f"Machine: {r['machine']}. Generated by `make bench` (benchmarks/run.py); "
             "medians of fresh subprocesses. The national-scale KPI extract of the CSV/XLSX sections is SYNTHETIC "
             "(benchmarks/make_synthetic.py); the \"National inputs\" section reads the real published files.", "",
             "## Goals", "", "| measure | value | goal | verdict |", "|---|---|---|---|",
             f"| `import dxanalysis` ÷ `import pandas` | {imp['ratio']:.2f} | ≤ {GOALS['import']} | "
             f"{verdict(imp['ratio'], GOALS['import'])} |",
             f"| `import dxanalysis` + first use of the loader ÷ `import pandas` | {imp['ratio_with_loader']:.2f} | "
             f"(≤ {GOALS['import']}) | {verdict(imp['ratio_with_loader'], GOALS['import'])} |"]
    nat = r["csv"].get(str(NATIONAL)) or r["csv"].get(NATIONAL)
    lines.append(f"| CSV load + validation ÷ bare `read_csv`, {NATIONAL:,} rows | {nat['ratio']:.2f} | ≤ {GOALS['csv']} | "
                 f"{verdict(nat['ratio'], GOALS['csv'])} |")
    for rows, x in r["xlsx"].items():
        lines.append(f"| XLSX load + validation ÷ bare `read_excel(engine=\"openpyxl\")`, {int(rows):,} rows | "
                     f"{x['ratio']:.2f} | ≤ {GOALS['xlsx']} | {verdict(x['ratio'], GOALS['xlsx'])} |")
    if "national" in r:
        x = r["national"]
        lines.append(f"| national inputs (real files, data/national/raw): load + validation ÷ bare `read_csv` | "
                     f"{x['ratio']:.2f} | ≤ {GOALS['national']} | {verdict(x['ratio'], GOALS['national'])} |")
    rep = r["report"]
    lines.append(f"| `make report` wall time (6 notebooks, bundled data) | {rep['total_s']:.1f} s | ≤ {GOALS['report_s']:.0f} s | "
                 f"{verdict(rep['total_s'], GOALS['report_s'])} |")
    lines += ["", f"Plotting libraries imported by `import dxanalysis` + the loader: {imp['plotting_imported']}. "
              f"Import times: pandas {imp['pandas_s']*1000:.0f} ms, dxanalysis {imp['dxanalysis_s']*1000:.0f} ms, "
              f"dxanalysis with the loader {imp['dxanalysis_with_loader_s']*1000:.0f} ms (interpreter start subtracted).",
              "", "## Scaling (CSV)", "", "| rows | bare read_csv (s) | load + validate (s) | ratio | peak memory (MB) |",
              "|---:|---:|---:|---:|---:|"]
    for rows, x in r["csv"].items():
        lines.append(f"| {int(rows):,} | {x['bare']['seconds']:.2f} | {x['ours']['seconds']:.2f} | {x['ratio']:.2f} | "
                     f"{x['ours']['peak_mb']:.0f} |")
    lines += ["", "## XLSX", "", "| rows | bare read_excel/openpyxl (s) | load + validate (s) | ratio | peak memory (MB) |",
              "|---:|---:|---:|---:|---:|"]
    for rows, x in r["xlsx"].items():
        lines.append(f"| {int(rows):,} | {x['bare']['seconds']:.1f} | {x['ours']['seconds']:.1f} | {x['ratio']:.2f} | "
                     f"{x['ours']['peak_mb']:.0f} |")
    if "national" in r:
        x = r["national"]
        lines += ["", "## National inputs (real files)", "",
                  "Every file under `data/national/raw` (2 dashboard tables, localgovjp and its prefecture list, "
                  "SSDSE-A, 46 card-issuance snapshots from one zip): the bare `pandas.read_csv` of each with "
                  "default options against `load_all_municipalities` + `load_national` + `load_card_issuance` "
                  "(+ catalogue and sources), cold, in fresh processes; median of "
                  f"{len(x['ours']['runs'])} runs.", "",
                  "| | seconds | runs (s) | rows | peak memory (MB) |", "|---|---:|---|---:|---:|",
                  f"| bare `read_csv` | {x['bare']['seconds']:.3f} | {', '.join(map(str, x['bare']['runs']))} | "
                  f"{x['bare']['rows']:,} | {x['bare']['peak_mb']:.0f} |",
                  f"| load + validate + tidy | {x['ours']['seconds']:.3f} | {', '.join(map(str, x['ours']['runs']))} | "
                  f"{x['ours']['rows']:,} | {x['ours']['peak_mb']:.0f} |",
                  f"| ratio | {x['ratio']:.2f} | | | |"]
    lines += ["", "## make report, per notebook", "", "| notebook | seconds |", "|---|---:|"]
    lines += [f"| {k} | {v:.1f} |" for k, v in rep["per_notebook_s"].items()]
    lines.append(f"| **total wall time** (incl. start-up, HTML, index) | **{rep['total_s']:.1f}** |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
