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
    from .cycle.lock import UpdateError
    from .errors import ExtractError
    from .present.report import LANGS, NotebookFailed, build_report

    try:
        _recover("report")
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
    except UpdateError as exc:
        print(f"NG: {exc}", file=sys.stderr)
        return 1
    for lang, index in result["indexes"].items():
        print(f"report for FY{result['fiscal_year']} ({lang}): {result['figures'][lang]} figures → {index}")
    return 0


def _recover(command: str) -> None:
    """Complete or discard an update of data/ that was interrupted, saying what was done."""
    from . import config
    from .cycle.journal import recover
    from .cycle.lock import UpdateError

    try:
        said = recover(config.DATA_DIR, command)
    except (UpdateError, OSError) as exc:  # e.g. read-only data/, or another update holds the lock
        print(f"note: an interrupted update of data/ could not be completed now: {exc}", file=sys.stderr)
        return
    if said:
        print(f"note: {said} / 中断された更新を処理しました", file=sys.stderr)


def _validate(args) -> int:
    from .contract.load import check_kpis, find_extracts, validate_warnings

    _recover("validate")
    result = check_kpis(args.files)
    problems, report = list(result.problems), result.report
    if not problems and not args.no_compare:  # the staged build of add: the same checks, nothing written
        from .cycle.stage import stage_update
        from .io.catalogue import SOURCES_SHEET

        for f in find_extracts(args.files)[0]:
            problems += stage_update(f).problems
        refused = {(p.file, p.row) for p in problems  # KPI rows the update's checks refuse (not source records)
                   if p.row is not None and not str(p.column or "").startswith(SOURCES_SHEET)}
        report = report.with_refused(len(refused), len(problems))
    for p in problems:
        print(p)
    for w in validate_warnings(result.kpis, compare=not args.no_compare):
        print(f"warning: {w}")
    print(report)
    if problems:
        print(f"NG: {len(problems)} problem(s) / 問題が{len(problems)}件あります", file=sys.stderr)
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
    from .cycle.lock import UpdateError
    from .errors import ExtractError

    for f in args.files:
        try:
            changes = add_extract(f)
        except ExtractError as exc:
            print(exc)
            print(f"NG: {f} was not added / 取り込みませんでした", file=sys.stderr)
            return 1
        except (UpdateError, ValueError, OSError) as exc:
            print(f"NG: {f} was not added: {exc}", file=sys.stderr)
            return 1
        undo = (f" (add id {changes.add_id}; undo: dxanalysis remove --add {changes.add_id})" if changes.add_id
                else " — nothing written / 書き込む行はありません")
        print(f"added {f}: {changes}{undo}")
    return 0


def _export(args) -> int:
    from .contract.load import load_kpis
    from .contract.records import load_milestones
    from .io.catalogue import load_indicators
    from .io.write import write_csv, write_xlsx

    _recover("export")
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
    from .cycle.lock import UpdateError
    from .cycle.remove import apply_removal, plan_removal
    from .errors import ExtractError

    if sum(bool(x) for x in (args.source, args.add, args.workbooks)) != 1:
        print("give the workbook(s) whose add to undo, --add ID, or --source SOURCE_ID", file=sys.stderr)
        return 2
    try:
        _recover("remove")
        plans = ([plan_removal(source_id=args.source, bundled=args.bundled)] if args.source else
                 [plan_removal(add_id=args.add)] if args.add else
                 [plan_removal(workbook=args.workbooks)])
    except (UpdateError, ValueError, OSError) as exc:
        print(f"NG: {exc}", file=sys.stderr)
        return 1
    for plan in plans:
        print(plan)
    if not any(plan.files for plan in plans):
        print("NG: nothing to remove / 削除する行はありません", file=sys.stderr)
        return 1
    if not args.yes:
        if sys.stdin is None or not sys.stdin.isatty():
            print("NG: not removing without confirmation; rerun with --yes / 確認できないため削除しません（--yes で実行）",
                  file=sys.stderr)
            return 1
        if input("remove? / 削除しますか？ [y/N] ").strip().lower() not in ("y", "yes", "はい"):
            print("nothing removed / 削除しませんでした")
            return 1
    try:
        for plan in plans:
            apply_removal(plan)
    except ExtractError as exc:
        print(exc)
        print("NG: data/ would not load without these rows; nothing was removed / 何も削除していません", file=sys.stderr)
        return 1
    except (UpdateError, ValueError, OSError) as exc:
        print(f"NG: {exc}", file=sys.stderr)
        return 1
    print("removed / 削除しました — rerun `make report` (dxanalysis report) so that figures/ and reports/ "
          "no longer show them / 図とレポートを更新するため `make report` を再実行してください")
    return 0


def _confirmed(args, question: str) -> bool:
    if args.yes:
        return True
    if sys.stdin is None or not sys.stdin.isatty():
        print("NG: not writing without confirmation; rerun with --yes / 確認できないため実行しません（--yes で実行）",
              file=sys.stderr)
        return False
    return input(question).strip().lower() in ("y", "yes", "はい")


def _national(args) -> int:
    from .cycle.national_release import (
        apply_release_change,
        plan_add_release,
        plan_remove_release,
    )
    from .errors import ExtractError

    try:
        change = (plan_add_release(args.path, release=args.release, url=args.url) if args.action == "add"
                  else plan_remove_release(args.release_id))
    except ExtractError as exc:
        print(exc)
        print("NG: data/national was not changed / data/national は変更していません", file=sys.stderr)
        return 1
    print(change)
    if args.action == "remove" and not _confirmed(args, "remove? / 削除しますか？ [y/N] "):
        return 1
    try:
        apply_release_change(change)
    except OSError as exc:
        print(f"NG: {exc} — data/national was restored / 元に戻しました", file=sys.stderr)
        return 1
    print("done / 完了しました")
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
                        description="Take back exactly the rows and source records an add wrote (found in data/ledger by "
                                    "the workbook's SHA-256, or by --add ID), or every row of a source (--source), and "
                                    "source records nothing cites any more. Shows what "
                                    "it will remove and asks first; --yes for scripts (without a terminal it refuses "
                                    "unless --yes is given). The write is atomic.")
    rm.add_argument("workbooks", nargs="*", help="the workbook(s) given to add")
    rm.add_argument("--add", metavar="ADD_ID", help="undo the add with this id (data/ledger/ADD_ID.json)")
    rm.add_argument("--source", metavar="SOURCE_ID", help="remove every row of this source instead")
    rm.add_argument("--bundled", action="store_true",
                    help="allow --source to remove a bundled source (one no add registered); its data tests then fail")
    rm.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    rm.set_defaults(func=_remove)
    exp = sub.add_parser("export", help="write the tidy table (and catalogue) as XLSX or CSV",
                         description="Write the bundled table for Excel users; text that Excel would run as a "
                                     "formula is neutralised.")
    exp.add_argument("out", help="OUT.xlsx (table, catalogue and adoption-milestone sheets) or OUT.csv (table)")
    exp.set_defaults(func=_export)
    nat = sub.add_parser("national", help="add or remove a release of the Digital Agency's DX dashboard",
                         description="add: verify a downloaded release (the data zip, or a folder with its municipal "
                                     "tables as CSV or XLSX) exactly as the bundled release is verified and store it byte for byte "
                                     "in data/national with its source record and hashes. remove: undo an add.")
    nat_sub = nat.add_subparsers(dest="action", required=True)
    nat_add = nat_sub.add_parser("add", help="verify and store a release")
    nat_add.add_argument("path", help="the dashboard's data zip, or a folder with its two municipal tables (CSV or XLSX)")
    nat_add.add_argument("--release", default=None, metavar="YYYYMMDD",
                         help="publication date (default: the YYYYMMDD_ the file name starts with)")
    nat_add.add_argument("--url", default="", help="where the release was downloaded from (for its source record)")
    nat_rm = nat_sub.add_parser("remove", help="take a release out of data/national again")
    nat_rm.add_argument("release_id", metavar="RELEASE", help="the release date, YYYYMMDD")
    nat_rm.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    nat.set_defaults(func=_national)
    _add_source_parsers(sub)
    return parser


# ---------------------------------------------------------------- source documents and suggestions (issue 21)

def _source_add(args) -> int:
    from .cycle.sources import SourceRefused, register_source

    try:
        done = register_source(args.path, source_id=args.id, title=args.title, publisher=args.publisher,
                               date=args.date, url=args.url or "", note=args.note or "")
    except (SourceRefused, OSError) as exc:
        print(f"NG: not registered / 登録しませんでした: {exc}", file=sys.stderr)
        return 1
    print(done)
    return 0


def _source_remove(args) -> int:
    from .cycle.sources import SourceRefused, unregister_source

    try:
        files = unregister_source(args.id)
    except SourceRefused as exc:
        print(f"NG: {exc}", file=sys.stderr)
        return 1
    print(f"removed {args.id} from data/sources.csv" + "".join(f"\n  deleted {p.name}" for p in files))
    return 0


def _source_list(args) -> int:
    from .cycle.sources import list_sources

    table = list_sources()
    for r in table.itertuples(index=False):
        print(f"{r.source_id:32} {r.date:10} pages {r.pages:>4}  text {r.text}\n{'':32} {r.title}")
    print(f"{len(table)} source(s)")
    return 0


def _suggest(args) -> int:
    from .cycle.suggest import write_suggestions
    from .errors import ExtractError

    try:
        result = write_suggestions(args.out, source_id=args.source, fiscal_year=args.fiscal_year)
    except (ValueError, ExtractError, OSError) as exc:
        print(f"NG: {exc}", file=sys.stderr)
        return 1
    print(result)
    return 0


def _add_source_parsers(sub) -> None:
    src = sub.add_parser("source", help="register a source document (PDF, HTML, text) or list the sources",
                         description="Source documents inside the project: data/sources/<id>.<ext> (the original, "
                                     "byte for byte), data/sources/<id>.txt (its text, pages separated by a form "
                                     "feed) and a record in data/sources.csv.")
    verbs = src.add_subparsers(dest="source_command", required=True)
    add = verbs.add_parser("add", help="keep a document, extract its text with page numbers, register it")
    add.add_argument("path", help="the document: .pdf, .html/.htm (saved page) or .txt")
    add.add_argument("--id", required=True, help="source id: a-z, 0-9 and _ (e.g. chigasaki_progress_fy2025)")
    add.add_argument("--title", required=True, help="the title as printed")
    add.add_argument("--publisher", required=True, help="who published it (city, department)")
    add.add_argument("--date", required=True, help="publication month, YYYY-MM (令和7年12月 is converted)")
    add.add_argument("--url", help="where the document can be found")
    add.add_argument("--note", help="scope and caveats")
    add.set_defaults(func=_source_add)
    rm = verbs.add_parser("remove", help="undo `source add`: the record and files of a source no row cites")
    rm.add_argument("id", help="the source id")
    rm.set_defaults(func=_source_remove)
    lst = verbs.add_parser("list", help="every source with its date, pages and whether its text is available")
    lst.set_defaults(func=_source_list)
    sug = sub.add_parser("suggest", help="write the entry workbook with candidate figures from a new document",
                         description="For each row expected in the fiscal year, find in the source's text the "
                                     "passage most like an earlier quote of the same indicator and write its quote, "
                                     "value (number grammar), page and the reason into OUT.xlsx, marked 要確認. "
                                     "validate and add refuse a row still marked 要確認.")
    sug.add_argument("--source", required=True, metavar="SOURCE_ID", help="a source registered with `source add`")
    sug.add_argument("--fiscal-year", type=int, required=True, help="the fiscal year of the new figures")
    sug.add_argument("out", help="OUT.xlsx")
    sug.set_defaults(func=_suggest)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
