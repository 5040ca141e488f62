"""Problems found in an extract: stable codes, bilingual messages, and the error that carries them.

A :class:`Problem` names the file, the spreadsheet row the analyst sees
(header = row 1), the column as written in the file, the offending value, a
stable ``code`` and a hint in Japanese and English.

>>> p = Problem("kpis.xlsx", 7, "年度", "令和0年度", "era_year_out_of_range")
>>> print(p)
kpis.xlsx, row 7, column 年度: value '令和0年度' — era_year_out_of_range: the era year does not exist / 元号の年が存在しません. Hint: 令和 starts at 元年 (2019) and 平成 ends at 31年 (2019). / 令和は元年（2019年）から、平成は31年（2019年）までです。
"""

from __future__ import annotations

from dataclasses import dataclass

# code: (English message, Japanese message, English hint, Japanese hint)
ERROR_CODES: dict[str, tuple[str, str, str, str]] = {
    "missing_column": (
        "a required column is missing", "必須の列がありません",
        "Add the column with one of its accepted headers (see data/README.md).", "data/README.md にある見出しで列を追加してください。"),
    "interrupted_update": (
        "data/ is in the middle of an update", "data/ は更新の途中です",
        "Wait for the update to finish, or run any dxanalysis command (e.g. `python -m dxanalysis validate data/kpis`) to complete or discard an interrupted one.",
        "更新の完了を待つか、dxanalysis のコマンド（例：`python -m dxanalysis validate data/kpis`）を実行して中断された更新を完了または破棄してください。"),
    "unnamed_column": (
        "a value stands in a column without a header", "見出しのない列に値があります",
        "Give the column a header (or move the value into its column): a value without a header is never guessed.",
        "列に見出しを付けるか、値を正しい列に移してください（見出しのない値は推測しません）。"),
    "duplicate_header": (
        "two columns mean the same thing", "同じ意味の列が二つあります",
        "Keep one of the two columns.", "どちらか一方の列だけを残してください。"),
    "no_header": (
        "no header row found in the first rows", "先頭の行に見出し行が見つかりません",
        "Put the column headers (自治体, 指標, 年度, 値, …) in one row above the data.", "データの上の1行に見出し（自治体、指標、年度、値…）を置いてください。"),
    "rows_above_header": (
        "figures stand above the header row", "見出し行より上に数値の行があります",
        "The header row must be the first filled row (a sort may have moved it down): move the header back to the top, then sort the rows below it.",
        "見出し行を最初の行に戻してください（並べ替えで見出しが下に移ることがあります）。並べ替えは見出しより下の行だけで行ってください。"),
    "entry_sheet_empty": (
        "the entry sheet has no filled row, but another sheet has", "入力シートに記入がなく、別のシートに記入があります",
        "Type the figures into the sheet 入力 (or copy them there); copies of the sheet such as 入力 (2) are not read.",
        "数値は「入力」シートに記入（またはコピー）してください。「入力 (2)」などのコピーしたシートは読み込みません。"),
    "unreadable_file": (
        "the file cannot be read", "ファイルを読み込めません",
        "Save it as .xlsx or as .csv (UTF-8 or Shift_JIS).", ".xlsx か .csv（UTF-8 または Shift_JIS）で保存してください。"),
    "unsafe_file": (
        "the file is refused as unsafe", "安全でないファイルのため読み込みを拒否しました",
        "Re-save the workbook from Excel; it is far larger unpacked than a data sheet can be.", "Excel で保存し直してください。展開後の大きさが表データとして不自然です。"),
    "unknown_municipality": (
        "unknown municipality", "自治体名が不明です",
        "Use chigasaki / hadano / minamiboso or 茅ヶ崎市 / 秦野市 / 南房総市.", "chigasaki・hadano・minamiboso または 茅ヶ崎市・秦野市・南房総市 と入力してください。"),
    "unknown_indicator": (
        "unknown indicator", "指標が不明です",
        "Use a slug or Japanese name from data/indicators.csv, or add the indicator there first.", "data/indicators.csv の指標名を使うか、先に指標を登録してください。"),
    "unknown_source": (
        "unknown source_id", "出典IDが不明です",
        "Use a source_id from data/sources.csv, or add the source there first.", "data/sources.csv の出典IDを使うか、先に出典を登録してください。"),
    "unknown_kind": (
        "kind must be actual, target or estimate", "区分は実績・目標・概算のいずれかです",
        "Write 実績 (actual), 目標 (target) or 概算 (estimate: costs, budgets, 見込).", "「実績」「目標」「概算」（費用・予算・見込額）のいずれかを入力してください。"),
    "missing_value_cell": (
        "a required cell is empty", "必須のセルが空です",
        "Fill in the cell.", "セルに入力してください。"),
    "missing_fiscal_year": (
        "the fiscal year is empty", "年度が空です",
        "Write the fiscal year, e.g. 令和6年度 or 2024.", "令和6年度 や 2024 のように年度を入力してください。"),
    "bad_fiscal_year": (
        "the fiscal year cannot be read", "年度を読み取れません",
        "Write it as 2024, 2024年度, FY2024, 令和6年度 or R6.", "2024・2024年度・FY2024・令和6年度・R6 のいずれかで入力してください。"),
    "fiscal_year_is_date": (
        "the fiscal year is written as a date", "年度が日付として入力されています",
        "Write the fiscal year itself (令和6年度 or 2024); put a point-in-time date in as_of (時点).", "年度そのもの（令和6年度・2024）を入力し、時点の日付は「時点」列へ。"),
    "era_year_out_of_range": (
        "the era year does not exist", "元号の年が存在しません",
        "令和 starts at 元年 (2019) and 平成 ends at 31年 (2019).", "令和は元年（2019年）から、平成は31年（2019年）までです。"),
    "fiscal_year_out_of_range": (
        "the fiscal year is outside 1989–2100", "年度が1989〜2100の範囲外です",
        "Check the year; an Excel date serial (e.g. 45383) is not a year.", "年を確認してください。Excel の日付シリアル値（例 45383）は年度ではありません。"),
    "bad_as_of": (
        "the as-of date cannot be read", "時点の日付を読み取れません",
        "Write it as 2025-01 or 2024-12-31 (or R7.1月).", "2025-01 や 2024-12-31（R7.1月）の形で入力してください。"),
    "as_of_outside_fiscal_year": (
        "the as-of date is not in the fiscal year", "時点が年度の期間（4月〜翌3月）外です",
        "A date in Jan–Mar belongs to the previous fiscal year (R7.1月 → 令和6年度).", "1〜3月は前年度です（R7.1月 → 令和6年度）。"),
    "bad_number": (
        "the number cannot be read", "数値を読み取れません",
        "Write digits, optionally with commas, 万/億 and a unit (3,108時間, 約1.1万件).", "数字（カンマ・万・億・単位は可：3,108時間、約1.1万件）で入力してください。"),
    "ambiguous_number_character": (
        "the number uses a character that is not a plain digit", "数字でない文字（丸数字・上付き・分数）が使われています",
        "Write plain digits: 100 not 10², 1 not ①, 0.5 not ½.", "通常の数字で入力してください（10² ではなく 100、① ではなく 1、½ ではなく 0.5）。"),
    "formula_cell": (
        "the cell holds a formula", "セルに数式が入っています",
        "Type the number itself (copy, then paste as values).", "数式ではなく値を入力してください（値として貼り付け）。"),
    "negative_value": (
        "a count or rate cannot be negative", "件数・率が負の値です",
        "Check the sign; write a decrease as a target of its own indicator.", "符号を確認してください。減少は別の指標として入力してください。"),
    "percent_out_of_range": (
        "a percentage outside 0–100", "割合が0〜100の範囲外です",
        "Write percentages as 15 or 15%, not 1500.", "割合は 15 または 15% のように入力してください。"),
    "percent_scale_mixed": (
        "a percentage written as a fraction while other rows use percent", "割合が小数（0.15）で入力され、他の行は％です",
        "Write 15% (or 15), not 0.15.", "0.15 ではなく 15% と入力してください。"),
    "unit_mismatch": (
        "the unit contradicts the indicator catalogue", "単位が指標一覧と一致しません",
        "Use the unit the catalogue gives for this indicator, or convert the number.", "指標一覧の単位で入力するか、数値を換算してください。"),
    "bad_boolean": (
        "yes/no cell cannot be read", "はい／いいえを読み取れません",
        "Write true/false or はい/いいえ.", "true/false または はい/いいえ と入力してください。"),
    "duplicate_key": (
        "two rows have the same municipality, indicator, fiscal year, kind and as-of", "自治体・指標・年度・区分・時点が同じ行が二つあります",
        "Delete one row, or tell them apart (as_of, kind). A corrected figure goes in with `dxanalysis add`, which keeps both as a revision.", "どちらかを削除するか時点・区分で区別してください。訂正値は `dxanalysis add` で改訂として登録します。"),
    "missing_quote": (
        "a direct figure has no source quote", "出典の引用がありません",
        "Copy the sentence or table row that carries the number into quote (引用).", "数値を含む文・表の行を「引用」列に貼り付けてください。"),
    "empty_file": (
        "the file is empty", "ファイルが空です",
        "Save the extract again with its header row and data.", "見出し行とデータを入れて保存し直してください。"),
    "no_extract_files": (
        "no extract file found", "抽出ファイルが見つかりません",
        "Put .csv, .xlsx or .xlsm files in the folder (lock files ~$… are skipped).", "フォルダに .csv・.xlsx・.xlsm を置いてください（~$ で始まるロックファイルは読みません）。"),
    "ambiguous_sheets": (
        "several sheets hold a header row and none is named 入力", "見出し行のあるシートが複数あり、「入力」シートがありません",
        "Name the sheet with the figures 入力, or keep one data sheet.", "数値を入力したシートの名前を「入力」にするか、データのシートを1つにしてください。"),
    "wrong_cell_count": (
        "the row has a different number of cells than the header", "行のセル数が見出し行と違います",
        "Quote cells that contain a comma (\"5,000件\"), or save the sheet from Excel as CSV again.", "カンマを含むセルは \"…\" で囲むか、Excel で CSV として保存し直してください。"),
    "unclosed_quote": (
        "a quotation mark is not closed and takes in the following lines", "引用符（\"）が閉じられず、後の行を取り込んでいます",
        "Close the quote (\") in that row, or write a quotation mark inside a cell as \"\".", "その行の \" を閉じるか、セル内の \" は \"\" と書いてください。"),
    "stray_quote": (
        "a quotation mark inside a cell breaks the CSV quoting", "セル内の引用符（\"）で CSV の区切りが崩れています",
        "Quote the whole cell and write a quotation mark inside it as \"\" (or save the sheet from Excel again).", "セル全体を \"…\" で囲み、中の \" は \"\" と書いてください（または Excel で保存し直してください）。"),
    "bare_cr": (
        "a carriage return (CR) inside a cell splits the row", "セル内の改行コード（CR）で行が分かれています",
        "Remove the line break from the cell, or quote the cell.", "セル内の改行を削除するか、セルを \"…\" で囲んでください。"),
    "mixed_encoding": (
        "the file mixes text encodings", "文字コードが混在しています",
        "Save the whole file again in one encoding (UTF-8 recommended).", "ファイル全体を1つの文字コード（UTF-8 推奨）で保存し直してください。"),
    "undecodable_text": (
        "the text cannot be decoded", "文字コードを判別できません",
        "Save the file as UTF-8 (or Shift_JIS/CP932, or UTF-16 with BOM).", "UTF-8（または Shift_JIS/CP932、BOM 付き UTF-16）で保存してください。"),
    "error_cell": (
        "the cell holds an Excel error", "セルが Excel のエラー値です",
        "Fix the formula or type the figure from the document; an empty cell means no figure.", "数式を直すか資料の数値を入力してください。数値がない場合は空欄にします。"),
    "number_separator": (
        "a thousands separator is in the wrong place", "桁区切りのカンマの位置が正しくありません",
        "Group digits by three (1,200) or write no separator (1200); a decimal point is a dot.", "3桁ごとに区切るか（1,200）、区切らずに入力してください（1200）。小数点はピリオドです。"),
    "number_multiplier_order": (
        "the 万/億/千 multipliers are repeated, out of order or ambiguous", "万・億・千などの位が重複・逆順・あいまいです",
        "Write the number as in the document, largest unit first (20億4千万, 1万2千), or in digits.", "資料どおり大きい位から（20億4千万、1万2千）か、数字だけで入力してください。"),
    "number_two_numbers": (
        "the cell holds two numbers", "セルに数値が二つあります",
        "One number per cell; put a range's ends in two rows (or the note).", "1セルに1つの数値を入力してください。範囲は2行（または備考）に分けます。"),
    "number_stray_character": (
        "a letter or symbol inside the number", "数値の中に文字・記号が混じっています",
        "Check the digits (2S0 → 250?) and type the number again.", "数字を確認して入力し直してください（2S0 → 250 など）。"),
    "number_too_precise": (
        "more significant digits than can be stored exactly", "有効桁数が多すぎて正確に保存できません",
        "Check the number; at most 15 significant digits are kept exactly.", "数値を確認してください。正確に保持できるのは15桁までです。"),
    "number_not_finite": (
        "the number is infinite", "数値が無限大です",
        "Type the figure from the document.", "資料の数値を入力してください。"),
    "count_not_whole": (
        "a count is not a whole number", "件数が整数ではありません",
        "Write 1,200 (comma) rather than 1.200: a dot is a decimal point.", "1.200 ではなく 1,200 と入力してください（ピリオドは小数点です）。"),
    "value_not_in_quote": (
        "the value cannot be read in its quote", "値が引用文の中に見当たりません",
        "Check the value against the quote (or describe how it was calculated in derivation).", "値と引用文を確かめてください（計算した値なら算出方法に記入）。"),
    "reference_entity": (
        "a reference entity (national, prefecture) in a city's extract", "市の抽出データに参考値（全国・県）が入っています",
        "Put figures a city cites about Japan or its prefecture in data/reference.", "全国・県の数値は data/reference に入れてください。"),
    "city_in_reference": (
        "a city's own figure in a reference extract", "参考データに市の数値が入っています",
        "Put the city's own figures in data/kpis.", "市の数値は data/kpis に入れてください。"),
    "control_character": (
        "a control character in a text cell", "文字列のセルに制御文字が含まれています",
        "Paste the quote again as plain text (the cell holds an invisible control character).", "引用などをテキストとして貼り付け直してください（目に見えない制御文字が入っています）。"),
    "bad_source_id": (
        "the source id is not a safe file name", "出典の source_id に使えない文字があります",
        "Use lower-case letters, digits and _ only (e.g. chigasaki_progress_fy2025).", "半角の英小文字・数字・_ だけで書いてください（例 chigasaki_progress_fy2025）。"),
    "bad_source_date": (
        "the source date cannot be read", "出典の日付を読み取れません",
        "Write the publication date as 2025-05 or 2025-05-31 (令和7年5月 is converted).", "発行日を 2025-05 や 2025-05-31 の形で入力してください（令和7年5月 も可）。"),
    "large_change": (
        "a large change against the previous year or the target (warning)", "前年度または目標との差が大きい値です（警告）",
        "Check the figure; if it is right, nothing needs to be done.", "数値を確認してください。正しければ対応は不要です。"),
    "percent_as_fraction": (
        "a percentage between 0 and 1 (warning)", "0～1の間の割合です（警告）",
        "If the document says 21%, type 21% (or format the cell as %); 0.21 is kept as 0.21 %.",
        "資料が21%なら「21%」と入力するか、セルの表示形式を%にしてください。0.21のままなら0.21%として扱います。"),
    "unknown_year_basis": (
        "year_basis must be stated, heading, layout or document", "年の根拠は stated・heading・layout・document のいずれかです",
        "stated: the year is in the quote; heading: a heading gives it; layout: only the table column; document: undated.",
        "stated＝引用に年度あり、heading＝見出しに年度、layout＝表の列位置のみ、document＝年度の記載なし（資料の日付）。"),
    "year_basis_missing": (
        "the fiscal year is not readable in the quote and no year_basis is given", "引用に年度が読み取れず、年の根拠が空です",
        "Quote the text that names the year, or say how the year is known in year_basis (年の根拠) and note (備考).",
        "年度を含む文を引用するか、年の根拠（heading・layout・document）と備考に根拠を書いてください。"),
    "year_not_in_quote": (
        "year_basis is stated but the fiscal year is not readable in the quote", "年の根拠が stated ですが、引用に年度がありません",
        "Quote the words that give the year, or use heading / layout / document.", "年度を示す語句を引用に含めるか、heading・layout・document にしてください。"),
    "year_not_in_heading": (
        "year_basis is heading but the fiscal year is not readable in the location", "年の根拠が heading ですが、掲載箇所に年度の見出しがありません",
        "Write the heading that names the year into location (掲載箇所).", "年度を示す見出しの文言を掲載箇所に書いてください。"),
    "year_basis_without_evidence": (
        "a layout or document year has no evidence in note", "layout・document の年度に備考の根拠がありません",
        "Say in note which column header, or which document date, gives the year.", "どの列見出し・資料の日付から年度を決めたかを備考に書いてください。"),
    "document_year_mismatch": (
        "a document-dated row is not in the fiscal year of its source's date", "document の行の年度が資料の日付の年度と違います",
        "Undated figures take the fiscal year of the source document's date (sources.csv).", "年度の記載がない数値は資料の日付（sources.csv）の年度にします。"),
}

# National inputs (dxanalysis.national, issue 13): published files are never edited, so the hint says where to look.
ERROR_CODES.update({
    "national_count": (
        "the file does not hold the 1,741 municipalities", "市区町村の数が1,741ではありません",
        "Use the file exactly as published (data/national/manifest.csv gives its SHA-256); a newer release needs a new source record.",
        "公表されたままのファイルを使ってください（SHA-256 は data/national/manifest.csv）。新しい版には新しい出典記録が必要です。"),
    "national_code_mismatch": (
        "the municipality code does not match the code list", "団体コードが全国地方公共団体コード一覧（localgovjp）と一致しません",
        "Check the code (6 digits with check digit; SSDSE: R + 5 digits) against data/national/raw/localgovjp.",
        "コード（検査数字付き6桁、SSDSE は R＋5桁）を localgovjp の一覧と照合してください。"),
    "national_name_mismatch": (
        "the municipality's name disagrees with the code list at its position", "自治体名がコード一覧の同じ位置（同じコード）の名称と一致しません",
        "Columns are identified by position in 全国地方公共団体コード order and checked by name; a moved or renamed column is refused.",
        "列は全国地方公共団体コード順の位置で識別し名称で確認します。列の入れ替え・名称の変更は受け付けません。"),
    "national_header_mismatch": (
        "a header or row label differs from the one expected", "見出し・行見出しが想定と異なります",
        "Row labels must equal label_ja in data/national/indicators.csv, column headers the published ones.",
        "行見出しは data/national/indicators.csv の label_ja と、列見出しは公表ファイルと同じである必要があります。"),
    "national_bad_cell": (
        "the cell cannot be read as this indicator's value", "セルをこの指標の値として読み取れません",
        "Expected 実施 / 未実施, a percentage such as 72% or 4.2%, a count, or a placeholder (調査無し, a bare %, empty).",
        "実施・未実施、72%・4.2% のような割合、件数、またはプレースホルダ（調査無し・%のみ・空欄）のはずです。"),
    "national_inconsistent": (
        "the cell contradicts other cells of the same municipality", "同じ自治体の他のセルと矛盾しています",
        "A rate must equal its numerator ÷ denominator (as rounded by the publisher); a bare % only where the denominator is 0.",
        "率は分子÷分母（公表時の丸め）と一致し、%のみは分母が0のときだけです。"),
    "national_duplicate_code": (
        "two rows have the same municipality code", "同じ団体コードの行が二つあります",
        "Each municipality appears once per file.", "各自治体はファイルごとに1行です。"),
    "national_unresolved_code": (
        "a missing code cannot be resolved by name and prefecture", "欠けた団体コードを名称と都道府県から特定できません",
        "The name must match exactly one municipality of its prefecture in the code list.", "名称が都道府県内のちょうど1団体と一致する必要があります。"),
    "national_hash_mismatch": (
        "the bundled copy differs from the original bytes", "同梱ファイルが元のファイルと一致しません（SHA-256）",
        "Raw files are never edited: restore the copy from ../shared/national.", "元データは編集しません。../shared/national から復元してください。"),
    "duplicate_source_id": (
        "the source id is listed twice in 出典一覧", "出典一覧に同じ出典IDが二度あります",
        "Keep one row per document; give a different document its own id.", "資料ごとに1行とし、別の資料には別のIDを付けてください。"),
    "source_id_reused": (
        "a bundled source id is reused for another document", "登録済みの出典IDが別の資料に使われています",
        "A new document (another title or date) needs a new source_id, e.g. chigasaki_progress_fy2025; the bundled record is never changed.",
        "新しい資料（題名か日付が異なる）には新しい出典ID（例: chigasaki_progress_fy2025）を付けてください。登録済みの出典は変更しません。"),
    "actual_after_source_date": (
        "an actual for a fiscal year long after its source's date", "資料の日付より後の年度の実績です",
        "Check 年度 and the source's date (sources.csv or 出典一覧): fiscal year N runs 1 April N – 31 March N+1, and a document can report at most the year after its own; a figure for a later year is a 目標 (target).",
        "年度と出典の日付（sources.csv または出典一覧）を確認してください。N年度は N年4月1日～N+1年3月31日で、資料が実績を示せるのは資料の年度の翌年度までです。将来の年度の数値は「目標」です。"),
    "national_missing_member": (
        "a file listed in the manifest is missing from the bundled archive", "マニフェストに記載されたファイルが同梱アーカイブにありません",
        "Raw files are never edited: restore the archive from ../shared/national (every snapshot is needed for the series).",
        "元データは編集しません。../shared/national からアーカイブを復元してください（時系列には全時点が必要です）。"),
    "national_row_width": (
        "a row has a different number of cells from the header row", "行のセル数が見出し行と異なります",
        "A missing or extra cell would shift every later value onto another municipality: restore the file from ../shared/national.",
        "セルの欠落・余分があると以降の値が別の自治体にずれます。../shared/national から復元してください。"),
})


ERROR_CODES.update({  # refusals of the update path (dxanalysis.cycle): validate and add give them alike
    "line_break": (
        "a line break or control character in a text cell", "文字列のセルに改行や制御文字が含まれています",
        "Replace line breaks with a space (quotes are compared ignoring white space).", "改行は空白に置き換えてください（引用は空白を無視して照合します）。"),
    "same_source_changed": (
        "the figure changes a value already given by the same source", "同じ出典がすでに別の値を示しています",
        "A correction needs its own, newer source record in 出典一覧.", "訂正には、出典一覧に新しい（より新しい日付の）出典を登録してください。"),
    "read_back_differs": (
        "the figure would not read back as typed", "書き込んだ値が入力どおりに読み戻せません",
        "Type the number or text again without special characters.", "特殊な文字を使わずに入力し直してください。"),
    "update_refused": (
        "the data would not load after this update", "この更新の後ではデータを読み込めません",
        "Fix the row named in the detail; nothing was written.", "詳細に示した行を直してください。何も書き込んでいません。"),
})

# Quotes against their source documents and suggested figures (issue 21).
ERROR_CODES.update({
    "quote_not_in_source": (
        "the quote is not in the text of its source document", "引用が出典資料の本文に見つかりません",
        "Copy the sentence or table row from the document itself (white space and full/half width are ignored); "
        "check that 出典 names the document the quote comes from. The closest passage of the text is shown.",
        "資料の本文から文・表の行をそのまま貼り付けてください（空白・全角半角の違いは無視します）。出典が引用元の資料か確認してください。本文で最も近い箇所を表示しています。"),
    "quote_not_checked": (
        "the quotes of this source could not be checked: its text is not available (warning)",
        "出典資料の本文がないため引用を確認できませんでした（警告）",
        "Register the document with `dxanalysis source add PATH --id ID …` so that its quotes are checked.",
        "`dxanalysis source add` で資料を登録すると引用が確認されます。"),
    "unconfirmed_suggestion": (
        "a suggested figure is still marked 要確認 (not confirmed)", "候補の数値が「要確認」のままです",
        "Compare value, quote and page with the document; if right, clear 確認 (or write 確認済); if not, correct or delete the row.",
        "値・引用・ページを資料と照合し、正しければ「確認」列を空欄（または 確認済）に、違えば修正するか行を削除してください。"),
})

@dataclass(frozen=True)
class Problem:
    """One thing wrong in an extract, located as the analyst sees it."""

    file: str
    row: int | None
    column: str | None
    value: object
    code: str
    detail: str = ""

    @property
    def message_en(self) -> str:
        return ERROR_CODES[self.code][0]

    @property
    def message_ja(self) -> str:
        return ERROR_CODES[self.code][1]

    @property
    def hint(self) -> str:
        en, ja = ERROR_CODES[self.code][2:]
        return f"{en} / {ja}"

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column {self.column}"
        value = "" if self.value is None else f": value {self.value!r}"
        detail = f" ({self.detail})" if self.detail else ""
        return f"{where}{value} — {self.code}: {self.message_en} / {self.message_ja}{detail}. Hint: {self.hint}"


class ExtractError(ValueError):
    """An extract that cannot be accepted; ``problems`` lists every problem found at once."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        lines = [f"{len(self.problems)} problem(s) / {len(self.problems)}件の問題:"]
        lines += [f"  - {p}" for p in self.problems]
        super().__init__("\n".join(lines))
