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
from collections.abc import Callable

import numpy as np
import pandas as pd

from .config import KEY_COLUMNS, KPI_COLUMNS
from .errors import Problem
from .io import RawTable
from .parse import (PLAIN_UNITS, CellError, ExcelError, Formula, cell_text, normalize_text, numbers_in, parse_bool,
                    parse_date, parse_fiscal_year, parse_number)

KIND_ALIASES = {"actual": "actual", "実績": "actual", "実績値": "actual", "現状値": "actual",
                "target": "target", "目標": "target", "目標値": "target", "計画": "target",
                "estimate": "estimate", "概算": "estimate", "見込": "estimate", "見込額": "estimate", "見込み": "estimate",
                "予算": "estimate", "概算費用": "estimate", "事業費": "estimate"}
PERCENT_UNITS = {"%"}
COUNT_UNITS = frozenset({"件", "回", "手続", "業務", "施設", "箇所", "枚", "台", "団体", "事業", "種類", "校", "講座",
                         "ライセンス", "アプリ", "本", "店舗", "地区", "自治会", "事例", "施策", "科目", "行", "文字"})
"""Units of counts: a value in one of them is a whole number (``1.200件`` is refused, not read as 1.2).
``人`` is not among them: the catalogue has rates per 100 people in 人."""
CONTROL_CHARACTERS = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
"""C0 controls other than tab, LF and CR: refused in text cells (XLSX cannot hold them; no document has them)."""
LARGE_CHANGE = 0.5
"""A value that differs from the previous year's actual or from its year's target by more than this
share (±50 %) is listed as a warning by ``dxanalysis validate`` (not an error)."""


def distinct(series: pd.Series) -> tuple[np.ndarray, list[object]]:
    """(codes, distinct cells): ``cells[codes]`` gives the column back; empty cells map to a final None."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    return np.where(codes < 0, len(uniques), codes), [*uniques, None]


def _spread(column: pd.Series | None, cells: list[object], values: list[object], codes: np.ndarray,
            index: pd.Index) -> pd.Series:
    """The per-distinct ``values`` as a str column; the original column itself when nothing changed."""
    if (column is not None and isinstance(column.dtype, pd.StringDtype)
            and all(v == c for v, c in zip(values[:-1], cells[:-1])) and values[-1] is None):
        return column
    return pd.Series(pd.array(values, dtype="str").take(codes), index=index)


def per_unique(series: pd.Series, func: Callable[[object], object], dtype: str | None = None
               ) -> tuple[pd.Series, pd.Series]:
    """Apply ``func`` once per distinct cell (``pd.factorize``) and spread the results back.

    Returns (results, errors): a :class:`CellError` where ``func`` raised (or the cell is a
    formula), else None. Empty cells (None/NaN) are passed to ``func`` as None. With
    ``dtype`` the results are typed once, on the distinct values, then taken (fast).
    """
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    codes = np.where(codes < 0, len(uniques), codes)
    results = np.empty(len(uniques) + 1, dtype=object)
    errors = np.empty(len(uniques) + 1, dtype=object)
    for i, cell in enumerate([*uniques, None]):
        if isinstance(cell, Formula):
            errors[i] = CellError("formula_cell", str(cell))
            continue
        if isinstance(cell, ExcelError):
            errors[i] = CellError("error_cell", str(cell))
            continue
        try:
            results[i] = func(cell)
        except CellError as exc:
            errors[i] = exc
    typed = pd.array(results, dtype=dtype).take(codes) if dtype else results[codes]
    return (pd.Series(typed, index=series.index, dtype=dtype or object),
            pd.Series(errors[codes], index=series.index, dtype=object))


_PLAIN = r"^(?P<int>[0-9]{1,3}(?:,[0-9]{3}){1,3}|[0-9]{1,12})(?P<frac>(?:\.[0-9]{1,3})?)(?P<unit>\D{0,6})$"
"""Plain numbers of at most 15 digits (exact as floats) take the vectorised path; others the strict parser."""


def parse_values(cells: pd.Series) -> pd.DataFrame:
    """Parse a value column: plain numbers ("12,345時間", "85%") vectorised, the rest per distinct cell.

    Returns columns ``value`` (float), ``unit``, ``percent_sign``, ``approximate`` and ``error``
    (a :class:`CellError` or None), aligned with ``cells``.
    """
    n = len(cells)
    value, percent, approx = np.full(n, np.nan), np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    error, slow = np.full(n, None, dtype=object), np.ones(n, dtype=bool)
    unit = None  # a pyarrow array once the fast path ran
    if isinstance(cells.dtype, pd.StringDtype) and cells.dtype.storage == "pyarrow" and n:
        import pyarrow as pa
        import pyarrow.compute as pc

        parts = pc.extract_regex(pa.array(cells.array), _PLAIN)
        unit = pc.struct_field(parts, "unit")
        fast = pc.and_(pc.is_valid(parts), pc.is_in(unit, value_set=pa.array(sorted(PLAIN_UNITS)))).fill_null(False)
        whole = pc.replace_substring(pc.struct_field(parts, "int"), ",", "")
        digits = pc.binary_join_element_wise(whole, pc.struct_field(parts, "frac"), pa.scalar("", whole.type))
        numbers = pc.cast(pc.if_else(fast, digits, pa.scalar(None, digits.type)), pa.float64())
        value = numbers.to_numpy(zero_copy_only=False).copy()
        percent = pc.and_(fast, pc.equal(unit, "%")).fill_null(False).to_numpy(zero_copy_only=False).copy()
        slow = ~fast.to_numpy(zero_copy_only=False)
    if slow.any():
        codes, uniques = distinct(cells[slow])
        parsed, errors = per_unique(pd.Series(uniques, dtype=object), parse_number)
        field = lambda name, default: np.array([getattr(p, name) if isinstance(p, tuple) else default  # noqa: E731
                                                for p in parsed], dtype=object)[codes]
        value[slow] = field("value", np.nan).astype(float)
        percent[slow] = field("percent_sign", False).astype(bool)
        approx[slow] = field("approximate", False).astype(bool)
        error[slow] = errors.to_numpy()[codes]
        slow_units = field("unit", "")
    if unit is None:
        units = pd.array(slow_units if slow.any() else np.full(n, "", dtype=object), dtype="str")
    else:
        import pyarrow as pa
        import pyarrow.compute as pc

        if slow.any():
            unit = pc.replace_with_mask(unit, pa.array(slow), pa.array(list(slow_units), type=unit.type))
        units = pd.array(unit, dtype="str")
    return pd.DataFrame({"value": value, "unit": units, "percent_sign": percent, "approximate": approx,
                         "error": error}, index=cells.index)


class _Collector:
    """Gathers problems for one raw table and remembers which rows they hit."""

    def __init__(self, raw: RawTable):
        self.raw = raw
        self.problems: list[Problem] = []
        self.bad_rows: set[int] = set()
        self.reported: set[tuple[int, str]] = set()
        """(row index, column) of formula and error cells: reported once, not again by later checks"""

    def add(self, mask: pd.Series, column: str, code: str | pd.Series, detail: str | pd.Series = "",
            value: pd.Series | None = None) -> None:
        mask = mask.fillna(False).astype(bool)
        if not mask.any():
            return
        frame = self.raw.frame
        header = self.raw.headers.get(column, column)
        vals = (frame[column] if value is None and column in frame else value)
        idx = mask[mask].index
        codes = code[idx] if isinstance(code, pd.Series) else pd.Series(code, index=idx)
        details = detail[idx] if isinstance(detail, pd.Series) else pd.Series(detail, index=idx)
        for i in idx:
            if (i, column) in self.reported:
                continue
            v = None if vals is None else vals.at[i]
            self.problems.append(Problem(self.raw.file, int(frame.at[i, "source_row"]), header,
                                         None if v is None or (isinstance(v, float) and math.isnan(v)) else
                                         (str(v) if isinstance(v, str) else v),
                                         str(codes.at[i]), str(details.at[i] or "")))
        self.bad_rows.update(int(i) for i in idx)

    def add_cell_errors(self, errors: pd.Series, column: str) -> None:
        has = errors.notna()
        if has.any():
            self.add(has, column, errors[has].map(lambda e: e.code), errors[has].map(lambda e: e.detail))


def _closest(text: str, choices: list[str]) -> str:
    best = difflib.get_close_matches(text, choices, n=1, cutoff=0.0)
    return f"closest known: {best[0]}" if best else ""


def alias_table(table: pd.DataFrame, key: str, name_columns: tuple[str, ...]) -> dict[str, str]:
    """Map every spelling (slug, names, listed aliases; NFKC, ヶ/ケ folded) to the slug.

    >>> from dxanalysis.io import load_municipalities
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
    _check_counts(c, out)
    _check_quotes(c, out, _column(f, "value"))
    out["year_basis"] = check_year_basis(c, out, sources)
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


def _column(f: pd.DataFrame, col: str) -> pd.Series:
    return f[col] if col in f else pd.Series([None] * len(f), index=f.index, dtype=object)


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


def _check_counts(c: _Collector, out: pd.DataFrame) -> None:
    """A count (件, 回, 手続 …) is a whole number: ``1.200件`` is a typo for 1,200, not 1.2."""
    v = out["value"]
    frac = out["unit"].isin(COUNT_UNITS) & v.notna() & np.isfinite(v) & (v % 1 != 0)
    c.add(frac, "value", "count_not_whole", "a count is a whole number: " + v[frac].astype(str)
          + " (1.200 is read as 1.2; write 1,200)")


def _check_quotes(c: _Collector, out: pd.DataFrame, cells: pd.Series) -> None:
    """A direct figure (no derivation) must be readable in its quote (:func:`~dxanalysis.parse.numbers_in`).

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
        c.add(mask, "value", "value_not_in_quote", "numbers in the quote: " + out["quote"][mask].map(_numbers_listed))


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


def check_duplicates(frame: pd.DataFrame, headers: dict[str, dict[str, str]]) -> list[Problem]:
    """Rows sharing a key (municipality, indicator, fiscal year, kind, as-of): each later row names the first."""
    key = frame[list(KEY_COLUMNS)].fillna("")
    dup = key.duplicated(keep=False)
    if not dup.any():
        return []
    problems = []
    for _, group in frame[dup].groupby(key[dup].apply(tuple, axis=1), sort=False):
        first = group.iloc[0]
        for _, row in group.iloc[1:].iterrows():
            same = (pd.isna(row["value"]) and pd.isna(first["value"])) or row["value"] == first["value"]
            detail = (f"same key as {first['source_file']} row {first['source_row']}"
                      f" ({'same value' if same else 'value ' + repr(first['value']) + ' there'})")
            col = headers.get(row["source_file"], {}).get("fiscal_year", "fiscal_year")
            problems.append(Problem(row["source_file"], int(row["source_row"]), col, row["value"],
                                    "duplicate_key", detail))
    return problems



def check_source_dates(sources: pd.DataFrame, file: str, *, column: str = "date") -> tuple[pd.DataFrame, list[Problem]]:
    """Source dates as ``YYYY-MM`` or ``YYYY-MM-DD`` (era dates such as 令和7年5月 converted), so that
    revisions are ordered by real dates; an empty or unreadable date is refused.

    Returns the sources with their dates normalised, and a problem per bad date (row: header = 1).
    """
    if "date" not in sources:
        return sources, []
    rows = sources["source_row"].tolist() if "source_row" in sources else list(range(2, 2 + len(sources)))
    dates, problems = [], []
    for row, sid, cell in zip(rows, sources["source_id"], sources["date"]):
        try:
            date = parse_date(cell)
            if not date:
                raise CellError("bad_source_date", "empty: a source needs the date it was published")
        except CellError as exc:
            problems.append(Problem(file, int(row), column, cell if cell != "" else None, "bad_source_date",
                                    f"source {sid}: {exc.detail}"))
            date = ""
        dates.append(date)
    return sources.assign(date=dates), problems


SOURCE_ID = re.compile(r"[a-z0-9][a-z0-9_]*")
"""A source id is lower-case ASCII letters, digits and ``_``: it becomes a file name (``data/kpis/<id>.csv``)."""


def check_source_ids(sources: pd.DataFrame, file: str, *, column: str = "source_id") -> list[Problem]:
    """A problem per source id that is not a safe file name (``../x``, spaces, capitals, 全角): refused, never mapped.

    >>> [p.code for p in check_source_ids(pd.DataFrame({"source_id": ["ok_2025", "../../x"]}), "f.xlsx")]
    ['bad_source_id']
    """
    rows = sources["source_row"].tolist() if "source_row" in sources else list(range(2, 2 + len(sources)))
    return [Problem(file, int(row), column, sid, "bad_source_id", f"{sid!r}: use a-z, 0-9 and _ only")
            for row, sid in zip(rows, sources["source_id"]) if not SOURCE_ID.fullmatch(str(sid))]


def change_warnings(kpis: pd.DataFrame, context: pd.DataFrame | None = None, *,
                    threshold: float = LARGE_CHANGE) -> list[Problem]:
    """Actuals that differ from the previous year's actual or from their year's target by more than
    ``threshold`` (default :data:`LARGE_CHANGE`, ±50 %): warnings to look at, not errors.

    ``context`` (e.g. the bundled data) supplies the previous years and targets a new file lacks.
    """
    if kpis.empty:
        return []
    keys = ["municipality", "indicator"]
    pool = kpis if context is None else pd.concat([context, kpis], ignore_index=True)
    pool = pool[pool["value"].notna()]
    actual = pool[pool["kind"] == "actual"].sort_values("as_of", na_position="first")
    prev = actual.drop_duplicates(keys + ["fiscal_year"], keep="last").set_index(keys + ["fiscal_year"])["value"]
    target = pool[pool["kind"] == "target"].drop_duplicates(keys + ["fiscal_year"], keep="last")
    target = target.set_index(keys + ["fiscal_year"])["value"]
    rows = kpis[(kpis["kind"] == "actual") & kpis["value"].notna()]
    out = []
    for r in rows.itertuples(index=False):
        for label, ref in (("previous year", prev.get((r.municipality, r.indicator, r.fiscal_year - 1))),
                           ("target", target.get((r.municipality, r.indicator, r.fiscal_year)))):
            if ref is None or isinstance(ref, pd.Series) or not ref or pd.isna(ref):
                continue
            change = (r.value - ref) / abs(ref)
            if abs(change) > threshold:
                out.append(Problem(r.source_file, int(r.source_row), "value", r.value, "large_change",
                                   f"{change:+.0%} against the {label} ({ref:g}); threshold ±{threshold:.0%}"))
    return sorted(out, key=lambda p: (p.file, p.row))


def parse_as_of(cell: object) -> str:
    """Read a point-in-time date as ``YYYY-MM`` or ``YYYY-MM-DD`` (empty stays empty): :func:`parse.parse_date`,
    reported as ``bad_as_of``.

    >>> parse_as_of("R7.1月時点"), parse_as_of("令和6年12月末時点"), parse_as_of("2024-12-31")
    ('2025-01', '2024-12', '2024-12-31')
    """
    try:
        return parse_date(cell)
    except CellError as exc:
        raise CellError("bad_as_of", exc.detail) from None


# ---------------------------------------------------------------- how each year is known (issue 15)

YEAR_BASIS_ALIASES = {"stated": "stated", "記載": "stated", "明記": "stated", "本文": "stated",
                      "heading": "heading", "見出し": "heading",
                      "layout": "layout", "表の位置": "layout", "列位置": "layout", "レイアウト": "layout",
                      "document": "document", "資料の日付": "document", "文書の日付": "document", "作成日": "document"}
"""Accepted spellings of ``year_basis`` (年の根拠); see ``config.YEAR_BASES``."""


def fiscal_year_readable(fiscal_year: int, text: object) -> bool:
    """Whether ``text`` names ``fiscal_year``: as a 年度, a month inside it, its calendar year, or ``R6`` / ``FY2024``.

    >>> fiscal_year_readable(2024, "令和6年度の実績で約20%"), fiscal_year_readable(2024, "R7.1月時点: 18%")
    (True, True)
    >>> fiscal_year_readable(2022, "年度 テレワーク件数 R4 961"), fiscal_year_readable(2023, "R6 761")
    (True, False)
    """
    from .parse import ERAS, dates_in, era_spellings, fiscal_year_of_date

    flat = normalize_text(text)
    if not flat:
        return False
    for d in dates_in(flat):
        if d == f"FY{fiscal_year}" or d == str(fiscal_year) or fiscal_year_of_date(d) == fiscal_year:
            return True
    bare = [s for s in era_spellings(fiscal_year) if not s.endswith("年度")]  # 2024, FY2024, R6, H30
    spaced = [rf"{s[0]}\s*{s[1:]}" for s in bare if s[0] in "RH" and s[1:].isdigit()]
    n = fiscal_year - ERAS["令和"]
    eras = [rf"令和\s*{'元' if n == 1 else n}"] if n >= 1 else []
    pattern = "|".join([re.escape(s) for s in bare if not s[0] in "RH"] + spaced + eras)
    return bool(re.search(rf"(?<![A-Za-z0-9])(?:{pattern})(?![0-9.])", flat))


def check_year_basis(c: _Collector, out: pd.DataFrame, sources: pd.DataFrame) -> pd.Series:
    """The ``year_basis`` column, checked against what each row can show.

    Blank: ``stated`` when the fiscal year is readable in the quote, else refused (``year_basis_missing``).
    ``stated`` needs the year in the quote, ``heading`` in ``location``; ``layout`` and ``document`` need
    their evidence in ``note``, and a ``document`` year must be the fiscal year of the source's date.
    Rows without a fiscal year or without a quote (placeholders; a missing quote is its own error) are not judged.
    """
    from .parse import fiscal_year_of_date

    f = c.raw.frame
    codes, cells = distinct(_column(f, "year_basis"))
    texts = [normalize_text(v).lower() if not isinstance(v, Formula) else "" for v in cells]
    given = _spread(f.get("year_basis"), cells, [YEAR_BASIS_ALIASES.get(t, t or None) for t in texts], codes, f.index)
    unknown = given.notna() & ~given.isin(list(YEAR_BASIS_ALIASES.values()))
    c.add(unknown, "year_basis", "unknown_year_basis", "use stated, heading, layout or document")
    fy, quote, loc, note = out["fiscal_year"], out["quote"], out["location"], out["note"]
    judged = fy.notna() & quote.notna() & ~unknown
    in_quote = _readable(fy, quote, judged)
    in_loc = _readable(fy, loc, judged & given.eq("heading"))
    basis = given.where(given.notna() | ~in_quote, "stated")
    blank = judged & given.isna() & ~in_quote
    c.add(blank, "year_basis", "year_basis_missing",
          "fiscal year " + fy[blank].astype("string") + " is not readable in the quote", value=quote)
    c.add(judged & given.eq("stated") & ~in_quote, "year_basis", "year_not_in_quote",
          "fiscal year " + fy.astype("string") + " is not readable in the quote")
    c.add(judged & given.eq("heading") & ~in_loc, "location", "year_not_in_heading",
          "fiscal year " + fy.astype("string") + " is not readable in the location (heading)")
    c.add(judged & given.isin(["layout", "document"]) & note.isna(), "note", "year_basis_without_evidence",
          "year_basis " + given.fillna("").astype("str"))
    doc_fy = out["source_id"].map(sources["date"]).map(lambda d: fiscal_year_of_date(d) if isinstance(d, str) else None)
    wrong = judged & given.eq("document") & doc_fy.notna() & (doc_fy.astype("Int64") != fy)
    c.add(wrong, "fiscal_year", "document_year_mismatch",
          "the source is dated " + out["source_id"].map(sources["date"]).astype("string")
          + " (fiscal year " + doc_fy.astype("Int64").astype("string") + ")")
    return basis.astype("str")


def _quick_year_pattern(fiscal_year: int) -> str:
    """A regex (no look-arounds, so pyarrow can run it) for the common spellings of a fiscal year: a subset of
    what :func:`fiscal_year_readable` accepts, used to skip the full check on most rows."""
    era = []
    for long, short, first, last in (("令和", "R", 2019, 2100), ("平成", "H", 1989, 2019)):
        n = fiscal_year - first + 1
        if first <= fiscal_year <= last:
            era += [rf"{long}\s*{'(?:元|1)' if n == 1 else n}\s*年度", rf"(?:^|[^0-9A-Za-z]){short}\s*{n}(?:[^0-9.]|$)"]
    return "|".join([rf"(?:^|[^0-9]){fiscal_year}年度", rf"FY{fiscal_year}(?:[^0-9]|$)",
                     rf"(?:^|[^0-9A-Za-z]){fiscal_year}(?:[^0-9.]|$)", *era])


def _readable(fy: pd.Series, text: pd.Series, mask: pd.Series) -> pd.Series:
    """:func:`fiscal_year_readable` for the masked rows: vectorised per fiscal year first, then once per
    distinct (year, text) pair for the rest."""
    found = np.zeros(len(fy), dtype=bool)
    where = np.flatnonzero(mask.fillna(False).to_numpy(dtype=bool))
    if len(where):
        import pyarrow as pa
        import pyarrow.compute as pc

        years = fy.to_numpy()[where].astype("int64")
        col = text if isinstance(text.dtype, pd.StringDtype) else text.astype("str")
        texts = pa.array(col.array).take(pa.array(where))  # Arrow strings, no Python objects
        for year in np.unique(years):
            sel = np.flatnonzero(years == year)
            hit = pc.match_substring_regex(texts.take(pa.array(sel)), _quick_year_pattern(int(year))).fill_null(False)
            found[where[sel[hit.to_numpy(zero_copy_only=False)]]] = True
        rest = where[~found[where]]
        if len(rest):
            codes, uniques = pd.factorize(pd.MultiIndex.from_arrays([fy.to_numpy()[rest].astype("int64"),
                                                                     col.iloc[rest].to_numpy(dtype=object)]))
            ok = np.array([fiscal_year_readable(int(y), t) for y, t in uniques], dtype=bool)
            found[rest] = ok[codes]
    return pd.Series(found, index=fy.index)
