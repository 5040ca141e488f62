"""Command line: ``python -m dxanalysis COMMAND`` (or the ``dxanalysis`` script).

Commands: ``report`` (run the notebooks, build figures/ and reports/), ``validate``
(check extract files, list every problem), ``export`` (the tidy table and catalogue
for Excel users).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _report(args) -> int:
    from .report import build_report

    result = build_report(fiscal_year=args.fiscal_year, lang=args.lang, data_paths=args.data)
    print(f"report for FY{result['fiscal_year']} ({args.lang}): {result['figures']} figures → {result['index']}")
    for name, seconds in result["timings"].items():
        print(f"  {name}: {seconds:.1f} s")
    return 0


def _validate(args) -> int:
    from .load import check_kpis

    result = check_kpis(args.files)
    for p in result.problems:
        print(p)
    print(result.report)
    if result.problems:
        print(f"NG: {len(result.problems)} problem(s) / 問題が{len(result.problems)}件あります", file=sys.stderr)
        return 1
    k = result.kpis
    print(f"OK: {len(k)} rows, {k['indicator'].nunique()} indicators, fiscal years "
          f"{k['fiscal_year'].min()}–{k['fiscal_year'].max()} / 問題はありません")
    return 0


def _export(args) -> int:
    from .export import write_csv, write_xlsx
    from .io import load_indicators
    from .load import load_kpis

    kpis = load_kpis().drop(columns=["source_file", "source_row"])
    out = Path(args.out)
    if out.suffix.lower() == ".xlsx":
        write_xlsx({"kpis": kpis, "indicators": load_indicators().reset_index(drop=True)}, out)
    elif out.suffix.lower() == ".csv":
        write_csv(kpis, out)
    else:
        print("OUT must end in .xlsx or .csv", file=sys.stderr)
        return 2
    print(f"wrote {len(kpis)} rows to {out}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dxanalysis", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    rep = sub.add_parser("report", help="run every notebook and rebuild figures/ and reports/",
                         description="Execute the notebooks with the given parameters; write figures/, "
                                     "reports/index.html, HTML versions of the notebooks and data downloads.")
    rep.add_argument("--fiscal-year", type=int, default=None,
                     help="report year (default: the latest fiscal year with actuals in the data)")
    rep.add_argument("--lang", choices=["ja", "en"], default="ja", help="label language (default ja)")
    rep.add_argument("--data", nargs="+", default=None, metavar="PATH",
                     help="extract files or folders to use instead of the bundled data")
    rep.set_defaults(func=_report)
    val = sub.add_parser("validate", help="check extract files and list every problem (exit 1 if any)",
                         description="Load CSV/XLSX extracts with the same rules as load_kpis and print every "
                                     "problem with file, row and column, in Japanese and English.")
    val.add_argument("files", nargs="+", help="CSV or XLSX files (or folders)")
    val.set_defaults(func=_validate)
    exp = sub.add_parser("export", help="write the tidy table (and catalogue) as XLSX or CSV",
                         description="Write the bundled table for Excel users; text that Excel would run as a "
                                     "formula is neutralised.")
    exp.add_argument("out", help="OUT.xlsx (table + catalogue sheets) or OUT.csv (table)")
    exp.set_defaults(func=_export)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
