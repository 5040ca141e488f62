"""Tables built for reading: the one place a working table becomes the table a reader sees (issue 22).

A notebook computes with tidy frames (slugs, booleans, NaN, ``fiscal_year`` as a number); a reader gets
:func:`reader_table`: headings in the report's language from one vocabulary (:data:`HEADINGS`; a column without a
heading fails loudly rather than showing its slug), city and indicator names instead of slugs, words instead of
``True``/``False``, ``—`` for a missing value, years without thousands separators, numbers with separators,
source quotes in 「」 (they stay in the source's language), and no row numbers.

>>> t = pd.DataFrame({"municipality": ["hadano"], "fiscal_year": [2024], "value": [3108.0], "approximate": [False],
...                   "quote": ["年間3,108時間"]})
>>> reader_table(t, lang="ja").data.iloc[0].tolist()
['秦野市', '2024', '3,108', 'いいえ', '「年間3,108時間」']
>>> list(reader_table(t, lang="en").data.columns)
['City', 'Fiscal year', 'Value', 'Approximate (約)', 'Quote from the source']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from ..analysis import narrate
from .style import indicator_label

MISSING = "—"
"""What a missing cell shows, in both languages."""

HEADINGS: dict[str, tuple[str, str]] = {
    # who and what
    "municipality": ("市", "City"),
    "city": ("市", "City"),
    "indicator": ("指標", "Indicator"),
    "label": ("指標", "Indicator"),
    "name_ja": ("指標名", "Indicator (Japanese name)"),
    "name_en": ("指標名（英語）", "Indicator"),
    "unit": ("単位", "Unit"),
    "kind": ("種別", "Kind"),
    "category": ("分野", "Category"),
    "topic": ("項目", "Topic"),
    "note": ("注記", "Note"),
    "comparability": ("比較可能性", "Comparability"),
    # when
    "fiscal_year": ("年度", "Fiscal year"),
    "year": ("年", "Year"),
    "as_of": ("時点", "As of"),
    "date": ("日付", "Date"),
    "first_year": ("最初の年度", "First fiscal year"),
    "last_year": ("最後の年度", "Last fiscal year"),
    "target_year": ("目標年度", "Target year"),
    "latest_actual_year": ("最新実績の年度", "Year of the latest actual"),
    "year_basis": ("年の根拠", "Basis of the year"),
    "reference_period": ("対象期間", "Reference period"),
    # values
    "value": ("値", "Value"),
    "approximate": ("概数（約）", "Approximate (約)"),
    "actual": ("実績", "Actual"),
    "target": ("目標", "Target"),
    "latest_actual": ("最新実績", "Latest actual"),
    "status": ("状況", "Status"),
    "required_growth": ("必要な年率伸び", "Required annual growth"),
    "attainment": ("達成率", "Attainment"),
    "gap": ("目標との差", "Gap to target"),
    "change": ("前年度差", "Change on the previous year"),
    "pct_change": ("前年度比（%）", "Change on the previous year (%)"),
    "index": ("指数（初年度＝100）", "Index (first year = 100)"),
    "total": ("合計", "Total"),
    "records": ("記録数", "Records"),
    "days": ("日数", "Days"),
    "rows": ("行数", "Rows"),
    "indicators": ("指標数", "Indicators"),
    # sources
    "quote": ("資料の記載", "Quote from the source"),
    "title": ("資料名", "Title"),
    "publisher": ("発行者", "Publisher"),
    "source_id": ("資料", "Source"),
    # tables of the notebooks
    "actual_rows": ("実績の行数", "Rows of actuals"),
    "target_rows": ("目標の行数", "Rows of targets"),
    "values_missing": ("数値のない行数", "Rows without a number"),
    "fte": ("人年換算（人）", "Full-time equivalents (persons)"),
    "purpose_group": ("用途", "Purpose"),
    "event": ("取組", "Event"),
    "rpa": ("RPA", "RPA"),
    "genai": ("生成AI", "Generative AI"),
}
"""Column → (Japanese heading, English heading). A column missing here is refused by :func:`reader_table`."""

VALUE_WORDS: dict[str, dict[str, tuple[str, str]]] = {
    "kind": {"actual": ("実績", "actual"), "target": ("目標", "target"), "estimate": ("見込み", "estimate")},
    "status": {"open": ("目標年度前", "target year ahead"), "attained": ("達成", "attained"),
               "missed": ("未達成", "missed"), "no_target": ("目標値なし", "no target value"),
               "awaiting_actual": ("目標年度、実績未公表", "target year, actual not yet published"),
               "no_actual": ("目標年度の実績なし", "no actual for the target year")},
    "year_basis": {"fiscal": ("年度", "fiscal year"), "calendar": ("暦年", "calendar year")},
    "coverage": {"": ("", ""), "A": ("実績", "actual"), "T": ("目標", "target"), "E": ("見込み", "estimate")},
    "purpose_group": {"在宅勤務": ("在宅勤務", "working from home"), "外出先での業務": ("外出先での業務", "work while out"),
                      "研修・出張": ("研修・出張", "training and business trips"), "その他": ("その他", "other")},
    "dashboard": {"実施": ("実施", "yes"), "未実施": ("未実施", "no"), "調査無し": ("調査無し", "not surveyed")},
    "reference_period": {"not established": ("特定できない", "not established"),
                         "2024, a month in early-to-mid 2024 not established (before the 2024-07-12 release)":
                             ("2024年の上半期のいずれかの月（2024-07-12の公表より前、月は特定できない）",
                              "2024, a month in early-to-mid 2024 not established (before the 2024-07-12 release)")},
}
"""Column → coded value → (Japanese, English). A coded value missing here is refused by :func:`reader_table`."""

JOINED_WORDS = ("coverage",)
"""Vocabularies whose values may join codes with ``+`` (``A+T``: 実績・目標 / actual and target)."""
OPEN_WORDS = ("dashboard", "reference_period")
"""Vocabularies whose other values are shown as they are (a dashboard cell ``76%``, a dated period)."""
YES_NO = {"ja": ("はい", "いいえ"), "en": ("yes", "no")}
CITY_COLUMNS = ("municipality", "city")
INDICATOR_COLUMNS = ("indicator",)
YEAR_COLUMNS = ("fiscal_year", "year", "first_year", "last_year", "target_year", "latest_actual_year")
QUOTE_COLUMNS = ("quote",)
TITLE_COLUMNS = ("title",)
"""Document titles, shown in 『』 (they stay in the source's language)."""
VALUE_COLUMNS = ("value", "actual", "target", "latest_actual", "total", "change", "gap", "rpa", "genai")
"""Columns in the unit of the table's indicator: ``unit=`` puts the unit into their headings."""
PERCENT_COLUMNS = ("required_growth", "attainment")
"""Ratios shown as per cent (0.142 → 14.2%)."""


def heading(column, lang: str, *, headings: Mapping[str, tuple[str, str]] | None = None, unit: str | None = None
            ) -> str:
    """The reader's heading of ``column`` (``headings`` first, then :data:`HEADINGS`; a year ``2026`` is
    ``2026年度``/``FY2026``); a value column (:data:`VALUE_COLUMNS`) takes ``unit`` in brackets; a KeyError names it.

    >>> heading("value", "ja", unit="時間"), heading("value", "en", unit="hours"), heading(2026, "en")
    ('値（時間）', 'Value (hours)', 'FY2026')
    """
    if isinstance(column, int) or (isinstance(column, str) and column.isdigit() and len(column) == 4):
        return narrate.fy(int(column), lang)
    table = {**HEADINGS, **(headings or {})}
    if unit and column in VALUE_COLUMNS and column in table:
        return table[column][0] + f"（{unit}）" if lang == "ja" else table[column][1] + f" ({unit})"
    if column not in table:
        raise KeyError(f"no reader heading for column {column!r}: add it to dxanalysis.present.tables.HEADINGS "
                       "(or pass headings=) rather than show its name")
    return table[column][0 if lang == "ja" else 1]


def coded_word(column: str, value: str, lang: str) -> str:
    """The reader's word for a coded ``value`` of ``column`` (:data:`VALUE_WORDS`); a KeyError names it.

    >>> coded_word("coverage", "A+T", "ja"), coded_word("coverage", "A+E", "en")
    ('実績・目標', 'actual and estimate')
    """
    words = VALUE_WORDS[column]
    if column in JOINED_WORDS and "+" in str(value):  # coverage "A+T": actual and target in one year
        return ("・" if lang == "ja" else " and ").join(coded_word(column, v, lang) for v in str(value).split("+"))
    if column in OPEN_WORDS and value not in words:
        return str(value)
    if value not in words:
        raise KeyError(f"no reader word for {column}={value!r}: add it to dxanalysis.present.tables.VALUE_WORDS")
    return words[value][0 if lang == "ja" else 1]


def cell_text(value, column: str, lang: str, *, digits: int = 1, quotes: Sequence[str] = QUOTE_COLUMNS) -> str:
    """One cell as a reader reads it (see the module's docstring)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return MISSING
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return YES_NO[lang][0 if value else 1]
    if column in CITY_COLUMNS:
        return narrate.city(value, lang)
    if column in INDICATOR_COLUMNS:
        return indicator_label(value, lang, with_unit=False)
    if column in VALUE_WORDS:
        return coded_word(column, value, lang)
    if column in PERCENT_COLUMNS:
        return f"{float(value) * 100:,.{digits}f}%"
    if column in YEAR_COLUMNS:
        return str(int(value))
    if column in quotes:
        return f"「{value}」"
    if column in TITLE_COLUMNS:
        return f"『{value}』"
    if isinstance(value, (int, float)) or hasattr(value, "dtype"):
        number = round(float(value), digits)
        return f"{number:,.0f}" if number.is_integer() else f"{number:,.{digits}f}".rstrip("0")
    return str(value)


def reader_frame(df: pd.DataFrame, *, lang: str, digits: int = 1, quotes: Sequence[str] = QUOTE_COLUMNS,
                 headings: Mapping[str, tuple[str, str]] | None = None, unit: str | None = None,
                 words: Mapping[str, str] | None = None, ready: Sequence[str] = ()) -> pd.DataFrame:
    """A new frame of texts for reading (headings in ``lang``); the index becomes leading columns unless a RangeIndex.

    ``unit``: the unit of the value columns, put into their headings; ``words``: column → the :data:`VALUE_WORDS`
    vocabulary its cells are read with (``{2026: "coverage"}``); ``ready``: columns whose heading is already the
    reader's text (a city's name), shown as it is.
    """
    if lang not in YES_NO:
        raise ValueError(f"lang must be 'ja' or 'en', not {lang!r}")
    flat = df if isinstance(df.index, pd.RangeIndex) else df.reset_index()
    words = words or {}
    texts = {}
    for col in flat.columns:
        head = str(col) if col in ready else heading(col, lang, headings=headings, unit=unit)
        vocabulary = words.get(col, str(col))
        texts[head] = [cell_text(v, vocabulary, lang, digits=digits, quotes=quotes) for v in flat[col]]
    return pd.DataFrame(texts, dtype=object)


def reader_table(df: pd.DataFrame, *, lang: str, digits: int = 1, quotes: Sequence[str] = QUOTE_COLUMNS,
                 headings: Mapping[str, tuple[str, str]] | None = None, unit: str | None = None,
                 words: Mapping[str, str] | None = None, ready: Sequence[str] = ()):
    """:func:`reader_frame` as a table without row numbers (a pandas Styler; ``.data`` holds the texts, shown with
    HTML escaped, so a quote holding ``<ul>`` shows those characters)."""
    frame = reader_frame(df, lang=lang, digits=digits, quotes=quotes, headings=headings, unit=unit, words=words,
                         ready=ready)
    return frame.style.hide(axis="index").format(escape="html")
