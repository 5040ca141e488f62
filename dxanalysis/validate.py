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
from .parse import CellError, normalize_text, parse_bool, parse_fiscal_year, parse_number

KIND_ALIASES = {"actual": "actual", "実績": "actual", "実績値": "actual", "現状値": "actual",
                "target": "target", "目標": "target", "目標値": "target", "計画": "target"}
PERCENT_UNITS = {"%"}


def _cell_map(series: pd.Series, func: Callable[[object], object]) -> tuple[pd.Series, pd.Series]:
    """Apply ``func`` once per distinct cell; return (results, error codes/details or None)."""
    keys = series.map(_hashable)
    results: dict[object, object] = {}
    errors: dict[object, object] = {}
    for key, cell in zip(keys.drop_duplicates(), series[keys.drop_duplicates().index]):
        if isinstance(cell, Formula):
            errors[key] = CellError("formula_cell", str(cell))
            continue
        try:
            results[key] = func(cell)
        except CellError as exc:
            errors[key] = exc
    return keys.map(results), keys.map(errors)


def _hashable(cell: object) -> object:
    if isinstance(cell, Formula):
        return ("formula", str(cell))
    if isinstance(cell, float) and math.isnan(cell):
        return None
    return (type(cell).__name__, cell) if not isinstance(cell, str) else cell


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
    for slug, row in table.iterrows():
        names = [slug] + [row[c] for c in name_columns if c in row]
        for name in names:
            for alias in str(name).split("|"):
                if alias.strip():
                    out[fold(alias)] = slug
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
        if col not in f:
            return pd.Series("", index=f.index, dtype="str")
        return f[col].map(lambda v: str(v) if isinstance(v, Formula) else normalize_text(v)).astype("str")

    # municipality / indicator / source: catalogue look-ups with the closest name on failure
    for col, table, names, code in (
        ("municipality", municipalities, ("name_ja", "name_en", "aliases", "lg_code"), "unknown_municipality"),
        ("indicator", indicators, ("name_ja", "name_en"), "unknown_indicator"),
        ("source_id", sources, ("title",), "unknown_source"),
    ):
        aliases = alias_table(table, col, names)
        t = text(col)
        folded = t.map(fold)
        mapped = folded.map(aliases)
        empty = t.eq("")
        c.add(empty & pd.Series(col in f, index=f.index), col, "missing_value_cell")
        unknown = mapped.isna() & ~empty
        choices = list(table.index) + [str(x) for x in table.get("name_ja", pd.Series(dtype=str))]
        c.add(unknown, col, code, t[unknown].map(lambda s: _closest(s, choices)))
        out[col] = mapped.astype("str")

    # fiscal year
    fy, fy_err = _cell_map(f["fiscal_year"] if "fiscal_year" in f else pd.Series([None] * n, index=f.index),
                           parse_fiscal_year)
    c.add_cell_errors(fy_err, "fiscal_year")
    out["fiscal_year"] = pd.array(fy, dtype="Int64")

    # as_of
    if "as_of" in f:
        asof, asof_err = _cell_map(f["as_of"], parse_as_of)
        c.add_cell_errors(asof_err, "as_of")
        out["as_of"] = asof.astype("str").where(asof.notna() & asof.ne(""), np.nan)
    else:
        out["as_of"] = pd.Series(np.nan, index=f.index, dtype="str")
    start = out["fiscal_year"].astype("string") + "-04"
    end = (out["fiscal_year"] + 1).astype("string") + "-03-99"
    outside = out["as_of"].notna() & out["fiscal_year"].notna() & ((out["as_of"] < start) | (out["as_of"] > end))
    c.add(outside, "as_of", "as_of_outside_fiscal_year", "fiscal year " + out["fiscal_year"].astype("string"))

    # value
    parsed, val_err = _cell_map(f["value"] if "value" in f else pd.Series([None] * n, index=f.index), parse_number)
    c.add_cell_errors(val_err, "value")
    ok = parsed.notna()
    out["value"] = parsed.map(lambda p: p.value, na_action="ignore").astype("float64")
    glued_unit = parsed.map(lambda p: p.unit if isinstance(p, tuple) else "").astype("str")
    percent_sign = parsed.map(lambda p: isinstance(p, tuple) and p.percent_sign).astype(bool)
    approx_in_value = parsed.map(lambda p: isinstance(p, tuple) and p.approximate).astype(bool)

    # kind
    kind = text("kind").map(lambda s: KIND_ALIASES.get(s.lower(), KIND_ALIASES.get(s)))
    c.add(kind.isna(), "kind", "unknown_kind")
    out["kind"] = kind.astype("str")

    # unit: column, or glued to the value, must agree with the catalogue
    cat_unit = out["indicator"].map(indicators["unit"])
    unit_col = text("unit")
    unit = unit_col.where(unit_col.ne(""), glued_unit)
    given = unit.ne("") & cat_unit.notna()
    detail = "catalogue unit: " + cat_unit.fillna("?").astype("str") + ", given: " + unit.astype("str")
    col_wrong = given & unit_col.ne("") & (unit_col.map(_unit_key) != cat_unit.map(_unit_key))
    glued_wrong = ok & cat_unit.notna() & glued_unit.ne("") & (glued_unit.map(_unit_key) != cat_unit.map(_unit_key))
    c.add(col_wrong & ok, "unit", "unit_mismatch", detail)
    c.add(glued_wrong & ~col_wrong, "value", "unit_mismatch",
          "catalogue unit: " + cat_unit.fillna("?").astype("str") + ", in the value: " + glued_unit)
    out["unit"] = cat_unit.fillna(unit).astype("str")

    # approximate
    if "approximate" in f:
        approx, approx_err = _cell_map(f["approximate"], parse_bool)
        c.add_cell_errors(approx_err, "approximate")
        out["approximate"] = approx.fillna(False).astype(bool) | approx_in_value
    else:
        out["approximate"] = approx_in_value

    for col in ("source_id", "location", "quote", "derivation", "note"):
        if col != "source_id":
            t = text(col)
            out[col] = t.where(t.ne(""), np.nan).astype("str")

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
