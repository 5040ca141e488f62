"""Turn raw extract records into the tidy ``kpis`` table, collecting every problem.

Parsing is done once per *distinct* cell text of a column and mapped back, and
the row-level checks are vectorised, so a national-scale extract is checked
without a Python loop over its rows.  Every problem names the file, the
spreadsheet row and the column header as the analyst wrote it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from .config import KEY_COLUMNS, KPI_COLUMNS
from .errors import Problem
from .io import Formula, RawTable
from .parse import PLAIN_UNITS, CellError, normalize_text, parse_bool, parse_fiscal_year, parse_number

KIND_ALIASES = {"actual": "actual", "実績": "actual", "実績値": "actual", "現状値": "actual",
                "target": "target", "目標": "target", "目標値": "target", "計画": "target",
                "estimate": "estimate", "概算": "estimate", "見込": "estimate", "見込額": "estimate", "見込み": "estimate",
                "予算": "estimate", "概算費用": "estimate", "事業費": "estimate"}
PERCENT_UNITS = {"%"}


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
        try:
            results[i] = func(cell)
        except CellError as exc:
            errors[i] = exc
    typed = pd.array(results, dtype=dtype).take(codes) if dtype else results[codes]
    return (pd.Series(typed, index=series.index, dtype=dtype or object),
            pd.Series(errors[codes], index=series.index, dtype=object))


_PLAIN = r"^(?P<int>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?P<frac>(?:\.[0-9]+)?)(?P<unit>\D{0,6})$"


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
            v = None if vals is None else vals.at[i]
            self.problems.append(Problem(self.raw.file, int(frame.at[i, "source_row"]), header,
                                         None if v is None or (isinstance(v, float) and math.isnan(v)) else
                                         (str(v) if isinstance(v, Formula) else v),
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
                 sources: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem], set[int]]:
    """Normalise and check one raw table: (tidy rows, problems, indices of rejected rows)."""
    f, c = raw.frame, _Collector(raw)
    out = pd.DataFrame({"source_file": f["source_file"], "source_row": f["source_row"]}, index=f.index)
    for col, table, names, code in (
        ("municipality", municipalities, ("name_ja", "name_en", "aliases", "lg_code"), "unknown_municipality"),
        ("indicator", indicators, ("name_ja", "name_en"), "unknown_indicator"),
        ("source_id", sources, ("title",), "unknown_source"),
    ):
        out[col] = _lookup(c, col, table, alias_table(table, col, names), code)
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
    for col in ("location", "quote", "derivation", "note"):  # kept verbatim: only stripped
        t = _column(f, col).astype("str").str.strip()
        out[col] = t.where(t.ne(""), np.nan)
    _check_ranges(c, out, number["percent_sign"], has_quote_column="quote" in f)
    out["year_basis"] = check_year_basis(c, out, sources)
    return out.reindex(columns=list(KPI_COLUMNS) + ["source_file", "source_row"]), c.problems, c.bad_rows


def _column(f: pd.DataFrame, col: str) -> pd.Series:
    return f[col] if col in f else pd.Series([None] * len(f), index=f.index, dtype=object)


def _lookup(c: _Collector, col: str, table: pd.DataFrame, aliases: dict[str, str], code: str) -> pd.Series:
    """Map a column to catalogue slugs; unknown names are reported with the closest known one."""
    f = c.raw.frame
    codes, cells = distinct(_column(f, col))
    texts = [str(v) if isinstance(v, Formula) else normalize_text(v) for v in cells]
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


_ASOF = re.compile(r"^(\d{4})[-/.年](\d{1,2})(?:[-/.月](\d{1,2}))?[日月]?(?:末|時点|現在|末時点)*$")
_ASOF_ERA = re.compile(r"^(令和|平成|R|H)(元|\d{1,2})[.年/](\d{1,2})月?(?:(\d{1,2})日)?(?:末|時点|現在|末時点)*$", re.I)


def parse_as_of(cell: object) -> str:
    """Read a point-in-time date as ``YYYY-MM`` or ``YYYY-MM-DD`` (empty stays empty).

    >>> parse_as_of("R7.1月時点"), parse_as_of("令和6年12月末時点"), parse_as_of("2024-12-31")
    ('2025-01', '2024-12', '2024-12-31')
    """
    if isinstance(cell, (dt.datetime, dt.date)):
        return cell.strftime("%Y-%m-%d")
    text = normalize_text(cell).replace(" ", "")
    if not text:
        return ""
    m = _ASOF.match(text)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), m.group(3)
    else:
        m = _ASOF_ERA.match(text)
        if not m:
            raise CellError("bad_as_of", text)
        era = m.group(1).upper() if m.group(1).isascii() else m.group(1)
        y = {"令和": 2018, "R": 2018, "平成": 1988, "H": 1988}[era] + (1 if m.group(2) == "元" else int(m.group(2)))
        mo, d = int(m.group(3)), m.group(4)
    if not 1 <= mo <= 12:
        raise CellError("bad_as_of", text)
    if d is None:
        return f"{y:04d}-{mo:02d}"
    try:
        return dt.date(y, mo, int(d)).isoformat()
    except ValueError:
        raise CellError("bad_as_of", text) from None


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
