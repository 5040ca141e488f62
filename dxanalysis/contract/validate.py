"""Turn raw extract records into the tidy ``kpis`` table, collecting every problem.

Parsing is done once per *distinct* cell text of a column and mapped back, and
the row-level checks are vectorised, so a national-scale extract is checked
without a Python loop over its rows.  Every problem names the file, the
spreadsheet row and the column header as the analyst wrote it.
"""

from __future__ import annotations

import difflib
import math
import re

import numpy as np
import pandas as pd

from ..config import KPI_COLUMNS
from ..errors import Problem
from ..io.cells import (
    CellError,
    ExcelError,
    Formula,
    cell_text,
    normalize_text,
    parse_bool,
)
from ..io.dates import parse_date, parse_fiscal_year
from ..io.numbers import numbers_in
from ..io.tables import RawTable
from .columns import _Collector, _column, _spread, distinct, parse_values, per_unique
from .years import check_actual_dates, check_year_basis

KIND_ALIASES = {"actual": "actual", "実績": "actual", "実績値": "actual", "現状値": "actual",
                "target": "target", "目標": "target", "目標値": "target", "計画": "target",
                "estimate": "estimate", "概算": "estimate", "見込": "estimate", "見込額": "estimate", "見込み": "estimate",
                "予算": "estimate", "概算費用": "estimate", "事業費": "estimate"}
PERCENT_UNITS = {"%"}
COUNT_UNITS = frozenset({"件", "回", "手続", "業務", "施設", "箇所", "枚", "台", "団体", "事業", "種類", "校", "講座",
                         "ライセンス", "アプリ", "本", "店舗", "地区", "自治会", "事例", "施策", "科目", "行", "文字"})
"""Units of counts: a value in one of them is a whole number (``1.200件`` is refused, not read as 1.2).
``人`` is a count too, unless the indicator is a rate (:data:`PERSON_RATE_NAME`)."""
PERSON_UNIT = "人"
PERSON_RATE_NAME = re.compile(r"当たり|率")
"""An indicator in 人 whose Japanese name says it is a rate (不登校児童生徒の出現率 (100人当たり): 1.15 人): not whole."""
CONTROL_CHARACTERS = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
"""C0 controls other than tab, LF and CR: refused in text cells (XLSX cannot hold them; no document has them)."""


def _closest(text: str, choices: list[str]) -> str:
    best = difflib.get_close_matches(text, choices, n=1, cutoff=0.0)
    return f"closest known: {best[0]}" if best else ""


def alias_table(table: pd.DataFrame, key: str, name_columns: tuple[str, ...]) -> dict[str, str]:
    """Map every spelling (slug, names, listed aliases; NFKC, ヶ/ケ folded) to the slug.

    >>> from dxanalysis.io.catalogue import load_municipalities
    >>> a = alias_table(load_municipalities(), "municipality", ("name_ja", "name_en", "aliases", "lg_code"))
    >>> a[fold("茅ケ崎市")], a[fold("ﾁｶﾞｻｷ")], a[fold("Hadano")]
    ('chigasaki', 'chigasaki', 'hadano')
    """
    out: dict[str, str] = {}
    cols = [table.index.to_series()] + [table[c] for c in name_columns if c in table]
    for slug, *names in zip(table.index, *cols):
        for name in names:
            for alias in str(name).split("|"):
                if alias.strip():
                    out.setdefault(fold(alias), slug)
    return out


def fold(text: object) -> str:
    """The comparison form of a name: NFKC, lower case, no spaces, small/large ヶケ folded.

    >>> fold("茅ケ崎市") == fold("茅ヶ崎 市")
    True
    """
    return re.sub(r"\s+", "", normalize_text(text).lower()).replace("ヶ", "ケ").replace("ｹ", "ケ").replace("が", "ガ")


def validate_raw(raw: RawTable, *, indicators: pd.DataFrame, municipalities: pd.DataFrame,
                 sources: pd.DataFrame, reference: bool = False) -> tuple[pd.DataFrame, list[Problem], set[int]]:
    """Normalise and check one raw table: (tidy rows, problems, indices of rejected rows).

    ``reference=False`` (a city's extract) refuses the reference entities of the catalogue
    (``national``, prefectures: municipalities without a 全国地方公共団体コード); ``reference=True``
    (``data/reference``) accepts only them.
    """
    c = _Collector(raw)
    raw.frame = f = _refuse_special_cells(c)
    out = pd.DataFrame({"source_file": f["source_file"], "source_row": f["source_row"]}, index=f.index)
    for col, table, names, code in (
        ("municipality", municipalities, ("name_ja", "name_en", "aliases", "lg_code"), "unknown_municipality"),
        ("indicator", indicators, ("name_ja", "name_en"), "unknown_indicator"),
        ("source_id", sources, ("title",), "unknown_source"),
    ):
        out[col] = _lookup(c, col, table, alias_table(table, col, names), code)
    _check_entities(c, out["municipality"], municipalities, reference=reference)
    out["fiscal_year"], out["as_of"] = _years(c)
    number = parse_values(_column(f, "value"))
    c.add_cell_errors(number["error"], "value")
    out["value"] = number["value"]
    out["kind"] = _kinds(c)
    out["unit"] = _units(c, out["indicator"].map(indicators["unit"]), number)
    out["approximate"] = number["approximate"]
    if "approximate" in f:
        approx, approx_err = per_unique(f["approximate"], parse_bool)
        c.add_cell_errors(approx_err, "approximate")
        out["approximate"] |= approx.fillna(False).astype(bool)
    for col in ("location", "quote", "derivation", "note"):  # kept verbatim (as displayed): only stripped
        t = _text_column(f, col).str.strip()
        c.add(t.str.contains(CONTROL_CHARACTERS, regex=True), col, "control_character",
              "a control character (NUL, escape, vertical tab …) is no part of the document's text")
        out[col] = t.where(t.ne(""), np.nan)
    _check_ranges(c, out, number["percent_sign"], has_quote_column="quote" in f)
    _check_counts(c, out, indicators)
    _check_quotes(c, out, _column(f, "value"))
    out["year_basis"] = check_year_basis(c, out, sources)
    check_actual_dates(c, out, sources)
    return out.reindex(columns=list(KPI_COLUMNS) + ["source_file", "source_row"]), c.problems, c.bad_rows


def _refuse_special_cells(c: _Collector) -> pd.DataFrame:
    """Formula and Excel error cells, in any column, are refused by name; later checks see them empty."""
    f = c.raw.frame
    cols = [col for col in f.columns if col not in ("source_file", "source_row") and f[col].dtype == object]
    replaced = {}
    for col in cols:
        kind = f[col].map(type)
        for cls, code in ((Formula, "formula_cell"), (ExcelError, "error_cell")):
            mask = kind.eq(cls)
            if mask.any():
                c.add(mask, col, code, f[col][mask].astype(str))
                c.reported.update((int(i), col) for i in mask[mask].index)
                replaced[col] = replaced.get(col, f[col]).where(~mask, None)
    return f.assign(**replaced) if replaced else f


def _text_column(f: pd.DataFrame, col: str) -> pd.Series:
    """A text column as displayed: numbers and dates typed into it become their text (761, not 761.0)."""
    s = _column(f, col)
    if s.dtype == object:
        codes, cells = distinct(s)
        texts = [cell_text(v) for v in cells]
        return pd.Series(pd.array(texts, dtype="str").take(codes), index=f.index).fillna("")
    return s.astype("str").fillna("")


def _check_entities(c: _Collector, slugs: pd.Series, municipalities: pd.DataFrame, *, reference: bool) -> None:
    """Reference entities (no 全国地方公共団体コード) belong in data/reference, never in a city's extract."""
    if "lg_code" not in municipalities:
        return
    ref = municipalities["lg_code"].fillna("").astype(str).str.strip().eq("")
    if reference:
        city = slugs.isin(list(ref.index[~ref]))
        c.add(city, "municipality", "city_in_reference", "a city's own figure belongs in data/kpis")
    elif ref.any():
        c.add(slugs.isin(list(ref.index[ref])), "municipality", "reference_entity",
              "national and prefecture figures a city cites belong in data/reference (dxanalysis.load_reference)")


def _lookup(c: _Collector, col: str, table: pd.DataFrame, aliases: dict[str, str], code: str) -> pd.Series:
    """Map a column to catalogue slugs; unknown names are reported with the closest known one."""
    f = c.raw.frame
    codes, cells = distinct(_column(f, col))
    texts = [normalize_text(cell_text(v)) for v in cells]
    slugs = [aliases.get(fold(t)) for t in texts]
    empty = pd.Series(np.array([t == "" for t in texts])[codes], index=f.index)
    unknown = pd.Series(np.array([s is None and t != "" for s, t in zip(slugs, texts)])[codes], index=f.index)
    c.add(empty & (col in f), col, "missing_value_cell")
    if unknown.any():
        choices = list(table.index) + [str(x) for x in table.get("name_ja", pd.Series(dtype=str))]
        hint = {t: _closest(t, choices) for t, s in zip(texts, slugs) if s is None and t}
        rows = unknown.to_numpy()
        c.add(unknown, col, code, pd.Series([hint[texts[k]] for k in codes[rows]], index=f.index[rows]))
    return _spread(f.get(col), cells, slugs, codes, f.index)


def _years(c: _Collector) -> tuple[pd.Series, pd.Series]:
    """Fiscal years and as-of dates; a point in time must lie in its fiscal year (April–March)."""
    f = c.raw.frame
    fy, fy_err = per_unique(_column(f, "fiscal_year"), parse_fiscal_year)
    c.add_cell_errors(fy_err, "fiscal_year")
    fy = fy.astype("Int64")
    asof, asof_err = per_unique(_column(f, "as_of"), parse_as_of)
    c.add_cell_errors(asof_err, "as_of")
    asof = asof.astype("str").where(asof.notna() & asof.ne(""), np.nan)
    dated = asof.notna() & fy.notna()
    if dated.any():
        year = fy[dated]
        start, end = year.astype("string") + "-04", (year + 1).astype("string") + "-03-99"
        outside = ((asof[dated] < start) | (asof[dated] > end)).reindex(f.index, fill_value=False)
        if outside.any():
            c.add(outside, "as_of", "as_of_outside_fiscal_year", "fiscal year " + fy[outside].astype("string"))
    return fy, asof


def _kinds(c: _Collector) -> pd.Series:
    f = c.raw.frame
    codes, cells = distinct(_column(f, "kind"))
    kinds = [KIND_ALIASES.get(t.lower(), KIND_ALIASES.get(t)) for t in (normalize_text(v) for v in cells)]
    kind = _spread(f.get("kind"), cells, kinds, codes, f.index)
    c.add(kind.isna(), "kind", "unknown_kind")
    return kind


def _units(c: _Collector, cat_unit: pd.Series, number: pd.DataFrame) -> pd.Series:
    """The catalogue unit; a unit typed in the column or glued to the value must agree with it."""
    f = c.raw.frame
    ok, glued = number["error"].isna(), number["unit"]
    codes, cells = distinct(_column(f, "unit"))
    typed = _spread(f.get("unit"), cells, [normalize_text(v) for v in cells], codes, f.index).fillna("")
    key = lambda s: per_unique(s, _unit_key, "str")[0]  # noqa: E731  (once per distinct unit)
    cat_key = key(cat_unit)
    typed_wrong = ok & cat_unit.notna() & typed.ne("") & (key(typed) != cat_key)
    glued_wrong = ok & cat_unit.notna() & glued.ne("") & (key(glued) != cat_key) & ~typed_wrong
    if typed_wrong.any():
        c.add(typed_wrong, "unit", "unit_mismatch",
              "catalogue unit: " + cat_unit[typed_wrong].astype("str") + ", given: " + typed[typed_wrong])
    if glued_wrong.any():
        c.add(glued_wrong, "value", "unit_mismatch",
              "catalogue unit: " + cat_unit[glued_wrong].astype("str") + ", in the value: " + glued[glued_wrong])
    return cat_unit.fillna(typed.where(typed.ne(""), glued)).astype("str")


def _check_ranges(c: _Collector, out: pd.DataFrame, percent_sign: pd.Series, *, has_quote_column: bool) -> None:
    """No negative figures, percentages in 0–100, no 0.15 among 15%, a quote for every direct number."""
    v = out["value"]
    is_pct = out["unit"].isin(PERCENT_UNITS)
    c.add(v < 0, "value", "negative_value")
    c.add(is_pct & ((v < 0) | (v > 100)), "value", "percent_out_of_range")
    signed = (is_pct & percent_sign).groupby(out["indicator"]).transform("any")
    fraction = is_pct & ~percent_sign & v.gt(0) & v.lt(1)
    c.add(fraction & signed, "value", "percent_scale_mixed")
    missing_quote = out["quote"].isna() & out["derivation"].isna() & v.notna()
    c.add(missing_quote, "quote" if has_quote_column else "value", "missing_quote")


def _check_counts(c: _Collector, out: pd.DataFrame, indicators: pd.DataFrame) -> None:
    """A count (件, 回, 手続 …, and 人 unless the indicator is a rate) is a whole number: ``1.200件`` is a typo for
    1,200, not 1.2."""
    v = out["value"]
    names = out["indicator"].map(indicators["name_ja"]) if "name_ja" in indicators else pd.Series("", index=out.index)
    rate = names.fillna("").astype("str").str.contains(PERSON_RATE_NAME)
    counted = out["unit"].isin(COUNT_UNITS) | (out["unit"].eq(PERSON_UNIT) & ~rate)
    frac = counted & v.notna() & np.isfinite(v) & (v % 1 != 0)
    c.add(frac, "value", "count_not_whole", "a count is a whole number: " + v[frac].astype(str)
          + " (1.200 is read as 1.2; write 1,200)")


def _check_quotes(c: _Collector, out: pd.DataFrame, cells: pd.Series) -> None:
    """A direct figure (no derivation) must be readable in its quote (:func:`~dxanalysis.io.numbers.numbers_in`).

    Cheap first: the value cell as typed, found in the quote with no digit glued on either side (one
    ``str.find`` per row); only the rows where that fails pay for reading every number of the quote.
    """
    direct = out["value"].notna() & out["quote"].notna() & out["derivation"].isna()
    if not direct.any():
        return
    quotes, raw = out["quote"][direct], cells[direct]
    left = _not_at_end(raw, quotes)  # a table's quote is often the cell itself, or a label then the cell
    quotes, raw = quotes[left], raw[left]
    texts = raw.tolist() if raw.dtype != object else [cell_text(v) for v in raw]
    quotes_list = quotes.tolist()
    suspects = _not_found(texts, quotes_list)
    if not suspects:
        return
    idx, values = quotes.index, out["value"]
    bad = [idx[k] for k in suspects
           if not any(math.isclose(values.at[idx[k]], n) for n in numbers_in(quotes_list[k]))]
    if bad:
        mask = pd.Series(False, index=out.index)
        mask[bad] = True
        hint = (out["unit"].eq("%") & values.gt(0) & values.le(1)).map({True: " — " , False: ""})
        hint = hint + values.mul(100).map("{:g} %?".format).where(hint.ne(""), "")
        c.add(mask, "value", "value_not_in_quote", "numbers in the quote: " + out["quote"][mask].map(_numbers_listed)
              + hint[mask])


_GLUE = frozenset("0123456789０１２３４５６７８９,.，．億万千百十")


def _not_at_end(cells: pd.Series, quotes: pd.Series) -> np.ndarray:
    """Rows whose quote does not end with the cell text at a number boundary (vectorised; all True if the
    columns are not Arrow strings): what is left for the row-by-row check."""
    arrow = all(isinstance(s.dtype, pd.StringDtype) and s.dtype.storage == "pyarrow" for s in (cells, quotes))
    left = np.ones(len(cells), dtype=bool)
    if not arrow or not len(cells):
        return left
    import pyarrow as pa
    import pyarrow.compute as pc

    texts = pc.cast(pa.array(cells.array), pa.binary())  # bytes: slicing is O(1) per row
    qs = pc.cast(pa.array(quotes.array), pa.binary())
    lengths = pc.binary_length(texts).fill_null(0).to_numpy(zero_copy_only=False)
    order = np.argsort(lengths, kind="stable")  # one take, then each length is a zero-copy slice
    texts, qs, sorted_lengths = texts.take(order), qs.take(order), lengths[order]
    ascii_glue = pa.array([ch.encode() for ch in _GLUE if ch.isascii()], pa.binary())
    wide_glue = pa.array([ch.encode() for ch in _GLUE if not ch.isascii()], pa.binary())  # 3 bytes in UTF-8
    for n in np.unique(sorted_lengths):
        a, b = np.searchsorted(sorted_lengths, n, "left"), np.searchsorted(sorted_lengths, n, "right")
        if not n:
            continue
        n = int(n)
        t, q = texts.slice(a, b - a), qs.slice(a, b - a)
        qlen = pc.binary_length(q)
        ok = pc.equal(pc.binary_slice(q, start=-n), t)
        for width, glue in ((1, ascii_glue), (3, wide_glue)):
            before = pc.binary_slice(q, start=-n - width, stop=-n)
            glued = pc.and_(pc.greater_equal(qlen, n + width), pc.is_in(before, value_set=glue))
            ok = pc.and_(ok, pc.invert(glued))
        left[order[a:b][ok.fill_null(False).to_numpy(zero_copy_only=False)]] = False
    return left


def _not_found(texts: list, quotes: list) -> list[int]:
    """Positions where the cell text does not occur in the quote as a number of its own."""
    out, glue = [], _GLUE
    for k, (t, q) in enumerate(zip(texts, quotes)):
        i = q.find(t) if t.__class__ is str and t else -1
        if i < 0:
            out.append(k)
            continue
        j = i + len(t)
        if (i and q[i - 1] in glue) or (j < len(q) and q[j] in glue and t[-1] in glue):
            out.append(k)  # "61" inside "761", "5千" inside "5千万": let numbers_in decide
    return out


def _numbers_listed(quote: str) -> str:
    found = sorted(numbers_in(quote))
    return ", ".join(f"{n:g}" for n in found[:8]) + (" …" if len(found) > 8 else "") if found else "none"


def _unit_key(unit: object) -> str:
    return normalize_text(unit).replace("％", "%").lower()


def parse_as_of(cell: object) -> str:
    """Read a point-in-time date as ``YYYY-MM`` or ``YYYY-MM-DD`` (empty stays empty): :func:`~dxanalysis.io.dates.parse_date`,
    reported as ``bad_as_of``.

    >>> parse_as_of("R7.1月時点"), parse_as_of("令和6年12月末時点"), parse_as_of("2024-12-31")
    ('2025-01', '2024-12', '2024-12-31')
    """
    try:
        return parse_date(cell)
    except CellError as exc:
        raise CellError("bad_as_of", exc.detail) from None
