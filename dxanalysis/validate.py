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
                "target": "target", "目標": "target", "目標値": "target", "計画": "target"}
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
    out = pd.DataFrame({"value": np.nan, "unit": "", "percent_sign": False, "approximate": False}, index=cells.index)
    out["error"] = pd.Series(None, index=cells.index, dtype=object)
    slow = pd.Series(True, index=cells.index)
    if isinstance(cells.dtype, pd.StringDtype) and cells.dtype.storage == "pyarrow":
        import pyarrow as pa
        import pyarrow.compute as pc

        arr = pa.array(cells.array)
        parts = pc.extract_regex(arr, _PLAIN)
        unit = pc.struct_field(parts, "unit")
        fast_arr = pc.and_(pc.is_valid(parts), pc.is_in(unit, value_set=pa.array(sorted(PLAIN_UNITS))))
        fast = pd.Series(fast_arr.fill_null(False).to_numpy(zero_copy_only=False), index=cells.index)
        if fast.any():
            whole = pc.replace_substring(pc.struct_field(parts, "int"), ",", "")
            digits = pc.binary_join_element_wise(whole, pc.struct_field(parts, "frac"), pa.scalar("", whole.type))
            numbers = pc.cast(pc.filter(digits, fast_arr), pa.float64()).to_numpy(zero_copy_only=False)
            units = pc.filter(unit, fast_arr).to_pandas().astype("str")
            out.loc[fast, "value"] = numbers
            out.loc[fast, "unit"] = units.to_numpy()
            out.loc[fast, "percent_sign"] = (units == "%").to_numpy()
        slow = ~fast
    if slow.any():
        parsed, errors = per_unique(cells[slow], parse_number)
        for name, default in (("value", np.nan), ("unit", ""), ("percent_sign", False), ("approximate", False)):
            out.loc[slow, name] = parsed.map(lambda p, k=name, d=default: getattr(p, k) if isinstance(p, tuple) else d)
        out.loc[slow, "error"] = errors
    return out.astype({"value": "float64", "unit": "str", "percent_sign": bool, "approximate": bool})


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
    f = raw.frame
    c = _Collector(raw)
    n = len(f)
    out = pd.DataFrame(index=f.index)
    out["source_file"] = f["source_file"]
    out["source_row"] = f["source_row"]

    def text(col: str) -> pd.Series:
        """A key column, NFKC-normalised once per distinct cell."""
        if col not in f:
            return pd.Series("", index=f.index, dtype="str")
        return per_unique(f[col], lambda v: str(v) if isinstance(v, Formula) else normalize_text(v), "str")[0]

    def free_text(col: str) -> pd.Series:
        """Quotes and notes stay verbatim: only stripped; empty → NaN."""
        if col not in f:
            return pd.Series(np.nan, index=f.index, dtype="str")
        t = f[col].astype("str").str.strip()
        return t.where(t.ne(""), np.nan)

    # municipality / indicator / source: catalogue look-ups with the closest name on failure
    for col, table, names, code in (
        ("municipality", municipalities, ("name_ja", "name_en", "aliases", "lg_code"), "unknown_municipality"),
        ("indicator", indicators, ("name_ja", "name_en"), "unknown_indicator"),
        ("source_id", sources, ("title",), "unknown_source"),
    ):
        aliases = alias_table(table, col, names)
        codes, cells = distinct(f[col] if col in f else pd.Series([None] * n, index=f.index))
        texts = [str(v) if isinstance(v, Formula) else normalize_text(v) for v in cells]
        slugs = [aliases.get(fold(t)) for t in texts]
        empty = pd.Series(np.array([t == "" for t in texts])[codes], index=f.index)
        unknown = pd.Series(np.array([s is None and t != "" for s, t in zip(slugs, texts)])[codes], index=f.index)
        c.add(empty & (col in f), col, "missing_value_cell")
        if unknown.any():
            choices = list(table.index) + [str(x) for x in table.get("name_ja", pd.Series(dtype=str))]
            hint = {t: _closest(t, choices) for t, s in zip(texts, slugs) if s is None and t}
            c.add(unknown, col, code, pd.Series([hint[texts[k]] for k in codes[unknown.to_numpy()]],
                                                index=f.index[unknown.to_numpy()]))
        out[col] = _spread(f.get(col), cells, slugs, codes, f.index)

    # fiscal year
    fy, fy_err = per_unique(f["fiscal_year"] if "fiscal_year" in f else pd.Series([None] * n, index=f.index),
                            parse_fiscal_year)
    c.add_cell_errors(fy_err, "fiscal_year")
    out["fiscal_year"] = fy.astype("Int64")

    # as_of
    if "as_of" in f:
        asof, asof_err = per_unique(f["as_of"], parse_as_of)
        c.add_cell_errors(asof_err, "as_of")
        out["as_of"] = asof.astype("str").where(asof.notna() & asof.ne(""), np.nan)
    else:
        out["as_of"] = pd.Series(np.nan, index=f.index, dtype="str")
    dated = out["as_of"].notna() & out["fiscal_year"].notna()
    if dated.any():  # a point in time must lie in its fiscal year (April–March)
        fy = out.loc[dated, "fiscal_year"]
        start, end = fy.astype("string") + "-04", (fy + 1).astype("string") + "-03-99"
        outside = ((out.loc[dated, "as_of"] < start) | (out.loc[dated, "as_of"] > end)).reindex(f.index, fill_value=False)
        if outside.any():
            c.add(outside, "as_of", "as_of_outside_fiscal_year", "fiscal year " + out.loc[outside, "fiscal_year"].astype("string"))

    # value
    cells = f["value"] if "value" in f else pd.Series([None] * n, index=f.index)
    number = parse_values(cells)
    c.add_cell_errors(number["error"], "value")
    ok = number["error"].isna()
    out["value"] = number["value"]
    glued_unit, percent_sign, approx_in_value = number["unit"], number["percent_sign"], number["approximate"]

    # kind
    codes, cells = distinct(f["kind"] if "kind" in f else pd.Series([None] * n, index=f.index))
    kinds = [KIND_ALIASES.get(t.lower(), KIND_ALIASES.get(t)) for t in (normalize_text(v) for v in cells)]
    kind = _spread(f.get("kind"), cells, kinds, codes, f.index)
    c.add(kind.isna(), "kind", "unknown_kind")
    out["kind"] = kind

    # unit: column, or glued to the value, must agree with the catalogue
    cat_unit = out["indicator"].map(indicators["unit"])
    codes, cells = distinct(f["unit"] if "unit" in f else pd.Series([None] * n, index=f.index))
    unit_col = _spread(f.get("unit"), cells, [normalize_text(v) for v in cells], codes, f.index).fillna("")
    unit = unit_col.where(unit_col.ne(""), glued_unit)
    key = lambda s: per_unique(s, _unit_key, "str")[0]  # noqa: E731  (once per distinct unit)
    cat_key = key(cat_unit)
    col_wrong = ok & cat_unit.notna() & unit_col.ne("") & (key(unit_col) != cat_key)
    glued_wrong = ok & cat_unit.notna() & glued_unit.ne("") & (key(glued_unit) != cat_key) & ~col_wrong
    if col_wrong.any():
        c.add(col_wrong, "unit", "unit_mismatch",
              "catalogue unit: " + cat_unit[col_wrong].astype("str") + ", given: " + unit[col_wrong].astype("str"))
    if glued_wrong.any():
        c.add(glued_wrong, "value", "unit_mismatch",
              "catalogue unit: " + cat_unit[glued_wrong].astype("str") + ", in the value: " + glued_unit[glued_wrong])
    out["unit"] = cat_unit.fillna(unit).astype("str")

    # approximate
    if "approximate" in f:
        approx, approx_err = per_unique(f["approximate"], parse_bool)
        c.add_cell_errors(approx_err, "approximate")
        out["approximate"] = approx.fillna(False).astype(bool) | approx_in_value
    else:
        out["approximate"] = approx_in_value

    for col in ("location", "quote", "derivation", "note"):
        out[col] = free_text(col)

    # row-level range checks
    v = out["value"]
    is_pct = out["unit"].isin(PERCENT_UNITS)
    c.add(v < 0, "value", "negative_value")
    c.add(is_pct & ((v < 0) | (v > 100)), "value", "percent_out_of_range")
    _check_percent_scale(c, out, percent_sign, is_pct)
    missing_quote = out["quote"].isna() & out["derivation"].isna() & v.notna()
    c.add(missing_quote, "quote" if "quote" in f else "value", "missing_quote")

    return out.reindex(columns=list(KPI_COLUMNS) + ["source_file", "source_row"]), c.problems, c.bad_rows


def _unit_key(unit: object) -> str:
    return normalize_text(unit).replace("％", "%").lower()


def _check_percent_scale(c: _Collector, out: pd.DataFrame, percent_sign: pd.Series, is_pct: pd.Series) -> None:
    """A fraction (0.15) in a %-indicator whose other rows carry a % sign is a scale mix-up."""
    signed = (is_pct & percent_sign).groupby(out["indicator"]).transform("any")
    fraction = is_pct & ~percent_sign & out["value"].gt(0) & out["value"].lt(1)
    c.add(fraction & signed, "value", "percent_scale_mixed")


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
