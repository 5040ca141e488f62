"""Command line: ``python -m dxanalysis COMMAND`` (or the ``dxanalysis`` script).

Every fiscal year: ``template`` (an Excel entry workbook), ``validate`` (every problem
with file, row and column), ``add`` (put validated figures into data/), ``remove`` (take
them back), ``report`` (run the notebooks, rebuild figures/ and reports/); ``export`` writes
the table for Excel users.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _report(args) -> int:
    from .errors import ExtractError
    from .present.report import LANGS, NotebookFailed, build_report

    try:
        langs = (args.lang,) if args.lang else LANGS
        result = build_report(fiscal_year=args.fiscal_year, langs=langs, data_paths=args.data,
                              progress=lambda line: print(line, flush=True))
    except NotebookFailed as exc:
        if exc.kernel_output.strip():
            print(exc.kernel_output.rstrip(), file=sys.stderr)
        print(f"NG: {exc}", file=sys.stderr)
        print("figures/ and reports/ were left as they were / 図とレポートは変更していません", file=sys.stderr)
        return 1
    except ExtractError as exc:
        print(exc)
        print("NG: the data do not load; figures/ and reports/ were left as they were", file=sys.stderr)
        return 1
    for lang, index in result["indexes"].items():
        print(f"report for FY{result['fiscal_year']} ({lang}): {result['figures'][lang]} figures → {index}")
    return 0


def _validate(args) -> int:
    from .contract.load import check_kpis

    result = check_kpis(args.files)
    for p in result.problems:
        print(p)
    from .contract.load import validate_warnings

    for w in validate_warnings(result.kpis, compare=not args.no_compare):
        print(f"warning: {w}")
    print(result.report)
    if result.problems:
        print(f"NG: {len(result.problems)} problem(s) / 問題が{len(result.problems)}件あります", file=sys.stderr)
        return 1
    k = result.kpis
    years = f"fiscal years {k['fiscal_year'].min()}–{k['fiscal_year'].max()}, " if len(k) else ""
    print(f"OK: {len(k)} rows, {k['indicator'].nunique()} indicators, {years}"
          f"{int(k['value'].isna().sum())} values missing / 問題はありません")
    if not args.no_compare:
        from .contract.load import load_kpis
        from .cycle.add import compare

        print("against the bundled data / 登録済みデータとの比較: " + str(compare(k, load_kpis())))
    return 0


def _template(args) -> int:
    from .cycle.template import write_template

    path = write_template(args.out, args.fiscal_year)
    print(f"wrote the FY{args.fiscal_year} entry template to {path}")
    return 0


def _add(args) -> int:
    from .cycle.add import add_extract
    from .errors import ExtractError

    for f in args.files:
        try:
            changes = add_extract(f)
        except ExtractError as exc:
            print(exc)
            print(f"NG: {f} was not added / 取り込みませんでした", file=sys.stderr)
            return 1
        except ValueError as exc:
            print(f"NG: {f}: {exc}", file=sys.stderr)
            return 1
        print(f"added {f}: {changes}")
    return 0


def _export(args) -> int:
    from .contract.load import load_kpis
    from .contract.records import load_milestones
    from .io.catalogue import load_indicators
    from .io.write import write_csv, write_xlsx

    kpis = load_kpis().drop(columns=["source_file", "source_row"])
    out = Path(args.out)
    try:
        if out.suffix.lower() == ".xlsx":
            write_xlsx({"kpis": kpis, "indicators": load_indicators().reset_index(drop=True),
                        "milestones": load_milestones().drop(columns="source_row")}, out)
        elif out.suffix.lower() == ".csv":
            write_csv(kpis, out)
        else:
            print("OUT must end in .xlsx or .csv", file=sys.stderr)
            return 2
    except (ValueError, OSError) as exc:  # WriteError: a cell Excel cannot hold; a folder that does not exist
        print(f"NG: {out} was not written: {exc}")
        return 1
    print(f"wrote {len(kpis)} rows to {out}")
    return 0


def _remove(args) -> int:
    from .cycle.remove import apply_removal, plan_removal
    from .errors import ExtractError

    if (args.source is None) == (not args.workbooks):
        print("give either --source SOURCE_ID or the workbook(s) whose rows to remove", file=sys.stderr)
        return 2
    try:
        plans = ([plan_removal(source_id=args.source)] if args.source else
                 [plan_removal(workbook=w) for w in args.workbooks])
    except ExtractError as exc:
        print(exc)
        print("NG: the workbook does not load, so its rows cannot be matched / 読み込めません", file=sys.stderr)
        return 1
    for plan in plans:
        print(plan)
    if not any(plan.files for plan in plans):
        return 0
    if not args.yes:
        if sys.stdin is None or not sys.stdin.isatty():
            print("NG: not removing without confirmation; rerun with --yes / 確認できないため削除しません（--yes で実行）",
                  file=sys.stderr)
            return 1
        if input("remove? / 削除しますか？ [y/N] ").strip().lower() not in ("y", "yes", "はい"):
            print("nothing removed / 削除しませんでした")
            return 1
    for plan in plans:
        apply_removal(plan)
    print("removed / 削除しました")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dxanalysis", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    rep = sub.add_parser("report", help="run every notebook and rebuild figures/ and reports/",
                         description="Execute the notebooks with the given parameters; write figures/, "
                                     "reports/index.html, HTML versions of the notebooks and data downloads.")
    rep.add_argument("--fiscal-year", type=int, default=None,
                     help="report year (default: the latest fiscal year with actuals in the data)")
    rep.add_argument("--lang", choices=["ja", "en"], default=None,
                     help="build one language only (default: both, ja in reports/ and en in reports/en/, from the "
                          "same data; the other language's figures and report are removed)")
    rep.add_argument("--data", nargs="+", default=None, metavar="PATH",
                     help="extract files or folders to use instead of the bundled data")
    rep.set_defaults(func=_report)
    val = sub.add_parser("validate", help="check extract files and list every problem (exit 1 if any)",
                         description="Load CSV/XLSX extracts with the same rules as load_kpis and print every "
                                     "problem with file, row and column, in Japanese and English.")
    val.add_argument("files", nargs="+", help="CSV or XLSX files (or folders)")
    val.add_argument("--no-compare", action="store_true", help="do not compare with the bundled data")
    val.set_defaults(func=_validate)
    tpl = sub.add_parser("template", help="write an Excel entry workbook for a fiscal year",
                         description="Write OUT.xlsx: instructions (Japanese), an entry sheet with the headers the "
                                     "loader accepts, drop-down lists, one pre-filled row per figure expected that "
                                     "year (with the target beside it), the indicator catalogue and the sources.")
    tpl.add_argument("--fiscal-year", type=int, required=True, help="the fiscal year to enter, e.g. 2025")
    tpl.add_argument("out", help="OUT.xlsx")
    tpl.set_defaults(func=_template)
    add = sub.add_parser("add", help="validate files and put their figures into data/",
                         description="Validate each file; if it is clean, append its rows to data/kpis/<source_id>.csv "
                                     "and new source records to data/sources.csv. A changed figure is kept as a "
                                     "revision from its newer source, never overwritten.")
    add.add_argument("files", nargs="+", help="validated CSV or XLSX extracts")
    add.set_defaults(func=_add)
    rm = sub.add_parser("remove", help="take back what an add wrote: the rows of a workbook, or of a source",
                        description="Remove from data/kpis/ the rows a workbook added (same key and source), or every "
                                    "row of a source (--source), and source records nothing cites any more. Shows what "
                                    "it will remove and asks first; --yes for scripts (without a terminal it refuses "
                                    "unless --yes is given). The write is atomic.")
    rm.add_argument("workbooks", nargs="*", help="the workbook(s) given to add")
    rm.add_argument("--source", metavar="SOURCE_ID", help="remove every row of this source instead")
    rm.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    rm.set_defaults(func=_remove)
    exp = sub.add_parser("export", help="write the tidy table (and catalogue) as XLSX or CSV",
                         description="Write the bundled table for Excel users; text that Excel would run as a "
                                     "formula is neutralised.")
    exp.add_argument("out", help="OUT.xlsx (table, catalogue and adoption-milestone sheets) or OUT.csv (table)")
    exp.set_defaults(func=_export)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
