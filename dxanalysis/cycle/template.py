"""The entry workbook of a fiscal year: the expected rows pre-filled, with instructions and drop-downs."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from ..config import YEAR_BASES
from ..io.catalogue import (
    SOURCE_HEADERS,
    load_indicators,
    load_municipalities,
    load_sources,
)

ENTRY_HEADERS = ["自治体", "指標", "年度", "時点", "値", "単位", "区分", "概数", "出典", "掲載箇所", "引用", "算出方法", "備考",
                 "年の根拠"]
"""The entry sheet's headers (the loader's Japanese aliases; 年の根拠 = year_basis last, since it is optional)."""
KIND_CHOICES = ["実績", "目標", "概算"]
"""区分 drop-down: actual, target, estimate (costs, budgets, 見込 figures — never a goal)."""
HELPER_HEADERS = ["参考：指標名", "参考：目標値", "参考：前年度の値"]
"""Columns shown to help the analyst; the loader ignores them."""
MAX_TEMPLATE_ROWS = 2000
"""Rows of the entry sheet covered by the drop-down lists."""

INSTRUCTIONS = [
    "DX指標 入力テンプレート（{fy}年度 / 令和{reiwa}年度）",
    "",
    "1. 新しい資料（報告書など）は `dxanalysis source add 資料.pdf --id … --title … --publisher … --date 2026-12` で登録します（引用とページが確認されます。`dxanalysis suggest` で候補の数値を入れたこのブックを作れます：要確認の行は資料と照合して「確認」列を空欄に）。手元に資料がなければ「出典一覧」シートの空いている行に登録してください（source_id は半角英数字と _、date は 2026-12 の形）。",
    "2. 「入力」シートに、数値1つにつき1行を入力します。あらかじめ入っている行は、今年度に値が見込まれる指標です（秦野市の目標値は右端に参考表示）。",
    "3. 値は資料に書かれているとおりに（例：15%、3,108時間、約1.1万件）。資料に数値がないものは空欄のままにしてください（0 は入力しない）。",
    "4. 「引用」には数値を含む文・表の行をそのまま貼り付け、「掲載箇所」に章・表の名前を書きます。",
    "   「年の根拠」：空欄なら引用に年度が書かれている（stated）とみなします。引用に年度がないときは heading（見出しに年度。掲載箇所に見出しを書く）・layout（表の列位置だけ。備考に列見出し）・document（年度の記載なし。資料の日付の年度、備考に根拠）を選びます。",
    "   「区分」：実績・目標・概算（費用・予算・見込の数値。目標ではありません）。",
    "5. 保存したら `dxanalysis validate このファイル.xlsx` で確認し、問題がなければ `dxanalysis add このファイル.xlsx` で取り込みます。",
    "6. 取り消すときは `dxanalysis remove このファイル.xlsx`（このファイルの add が書き込んだ行だけを削除。内容を表示して確認します）。add の後でファイルを保存し直したときは、add が表示した追加IDで `dxanalysis remove --add 追加ID`。取り消した後は `make report` を再実行してください。",
    "",
    "「出典一覧」シートの列 / the columns of the 出典一覧 (sources) sheet:",
    "  source_id: 資料の識別子（半角英数字と _。例 chigasaki_progress_fy2025）。「入力」シートの「出典」にこの値を書きます。 / the id you type in 出典.",
    "  title: 資料の題名（表紙のとおり） / the document's title as printed.",
    "  publisher: 発行者（市・部課） / who published it.",
    "  date: 公表年月（2026-12 の形）。同じ数値を2つの資料が示すときは日付の新しい資料を採用します。 / publication month; of two sources giving one figure, the newer date wins.",
    "  url: 資料の URL（分かれば。空欄可） / where the document can be found (may be empty).",
    "  file: source add で登録した資料は data/sources/ の原本のファイル名（本文は data/sources/<source_id>.txt）。同梱の5資料は ../shared/seeds/ のテキスト版。空欄なら引用は確認されず、validate が警告します。 / the registered original (source add), or the bundled documents' text copy in ../shared/seeds; empty: quotes are not checked (validate warns).",
    "  note: 備考（資料の範囲、注意点） / scope and caveats.",
    "",
    "English: one row per number; register the new document in 出典一覧; values as written; leave unknown values empty (never 0);",
    "paste the verbatim sentence or table row into 引用 (quote). Then run `dxanalysis validate FILE` and `dxanalysis add FILE`;",
    "`dxanalysis remove FILE` takes back exactly the rows the add of FILE wrote (it shows them and asks first; a FILE saved",
    "again since: `dxanalysis remove --add ADD_ID`, the id add printed); then rerun `make report`.",
    "Columns headed 参考： are for reference only and are not read. Rows you leave without a value, quote and source are skipped.",
]


# ---------------------------------------------------------------- template

def expected_rows(kpis: pd.DataFrame, fiscal_year: int) -> pd.DataFrame:
    """Rows an analyst should fill for ``fiscal_year``: every target set for that year, and every
    series that had an actual the year before (its next figure is due).

    >>> kpis = pd.DataFrame({"municipality": ["h", "h", "c"], "indicator": ["rpa", "rpa", "tw"],
    ...                      "kind": ["target", "actual", "actual"], "fiscal_year": [2026, 2024, 2025],
    ...                      "as_of": ["", "", ""], "value": [3700.0, 3108.0, 812.0]})
    >>> expected_rows(kpis, 2026).values.tolist()
    [['c', 'tw', nan, 812.0], ['h', 'rpa', 3700.0, nan]]
    """
    keys = ["municipality", "indicator"]
    targets = kpis[(kpis["kind"] == "target") & (kpis["fiscal_year"] == fiscal_year)]
    targets = targets.drop_duplicates(keys, keep="last")[keys + ["value"]].rename(columns={"value": "target"})
    prev = kpis[(kpis["kind"] == "actual") & (kpis["fiscal_year"] == fiscal_year - 1) & kpis["value"].notna()]
    prev = prev.sort_values("as_of", na_position="first").drop_duplicates(keys, keep="last")
    prev = prev[keys + ["value"]].rename(columns={"value": "previous"})
    rows = targets.merge(prev, on=keys, how="outer")
    return rows.sort_values(keys).reset_index(drop=True)


def write_template(path: str | Path, fiscal_year: int, kpis: pd.DataFrame | None = None) -> Path:
    """Write the entry workbook for ``fiscal_year`` (instructions, entry sheet with drop-downs, catalogue, sources)."""
    import openpyxl
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    from ..contract.load import load_kpis
    from ..io.write import _stable_zip

    kpis = load_kpis() if kpis is None else kpis
    cat, mun, src = load_indicators(), load_municipalities(), load_sources()
    wb = openpyxl.Workbook()
    info = wb.active
    info.title = "説明"
    for line in INSTRUCTIONS:
        info.append([line.format(fy=fiscal_year, reiwa=fiscal_year - 2018)])
    info["A1"].font = Font(bold=True, size=14)
    info.column_dimensions["A"].width = 140

    ws = wb.create_sheet("入力")
    ws.append(ENTRY_HEADERS + HELPER_HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    grey = PatternFill("solid", fgColor="EEEEEE")
    for r in expected_rows(kpis, fiscal_year).itertuples(index=False):
        target = None if pd.isna(r.target) else float(r.target)
        previous = None if pd.isna(r.previous) else float(r.previous)
        ws.append([mun.at[r.municipality, "name_ja"], r.indicator, f"{fiscal_year}年度", None, None,
                   cat.at[r.indicator, "unit"], "実績", None, None, None, None, None, None, None,
                   cat.at[r.indicator, "name_ja"], target, previous])
    for row in ws.iter_rows(min_row=2, min_col=len(ENTRY_HEADERS) + 1, max_col=len(ENTRY_HEADERS) + len(HELPER_HEADERS)):
        for cell in row:
            cell.fill = grey
    ws.freeze_panes = "C2"
    for col, width in zip("ABCDEFGHIJKLMNOPQ", (10, 34, 10, 10, 12, 8, 8, 8, 28, 30, 50, 16, 20, 12, 36, 12, 12)):
        ws.column_dimensions[col].width = width

    lists = wb.create_sheet("選択肢")
    municipalities = [mun.at[m, "name_ja"] for m in ("chigasaki", "hadano", "minamiboso")]
    units = sorted(u for u in cat["unit"].unique() if u)
    for j, values in enumerate((municipalities, KIND_CHOICES, units, ["はい", "いいえ"], list(YEAR_BASES)), start=1):
        for i, v in enumerate(values, start=1):
            lists.cell(row=i, column=j, value=v)
    lists.sheet_state = "hidden"

    catalogue = wb.create_sheet("指標一覧")
    cat_cols = ["indicator", "name_ja", "name_en", "unit", "definition", "comparability"]
    catalogue.append(cat_cols)
    for r in cat[cat_cols].itertuples(index=False):
        catalogue.append(list(r))
    sources = wb.create_sheet("出典一覧")
    sources.append(SOURCE_HEADERS)
    for r in src[SOURCE_HEADERS].itertuples(index=False):
        sources.append(list(r))

    last = MAX_TEMPLATE_ROWS + 1
    for col, formula, title in (
        ("A", f"=選択肢!$A$1:$A${len(municipalities)}", "自治体"),
        ("B", f"=指標一覧!$A$2:$A${len(cat) + 1}", "指標"),
        ("F", f"=選択肢!$C$1:$C${len(units)}", "単位"),
        ("G", f"=選択肢!$B$1:$B${len(KIND_CHOICES)}", "区分"),
        ("H", "=選択肢!$D$1:$D$2", "概数"),
        ("N", f"=選択肢!$E$1:$E${len(YEAR_BASES)}", "年の根拠"),
    ):
        dv = DataValidation(type="list", formula1=formula, allow_blank=True, showDropDown=False,
                            showErrorMessage=True, errorTitle=title, error=f"{title}は一覧から選んでください")
        ws.add_data_validation(dv)
        dv.add(f"{col}2:{col}{last}")
    wb.properties.creator = "dxanalysis"
    buf = io.BytesIO()
    wb.save(buf)
    path = Path(path)
    path.write_bytes(_stable_zip(buf.getvalue()))
    return path
