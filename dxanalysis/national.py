"""National inputs: all 1,741 municipalities of Japan, read from published files and checked.

Four published sources, bundled byte for byte under ``data/national/raw`` (see
``data/national/sources.csv`` and ``manifest.csv``):

- the Digital Agency's 自治体DXの取組に関するダッシュボード (2024-07-12): 15 DX-status rows and
  52 FY2022 online-usage rates, one column per municipality;
- localgovjp (Code for FUKUI): the code list — 6-digit 全国地方公共団体コード, name, kana, prefecture;
- SSDSE-A-2025 (統計センター): population (2020 census), 一般行政部門職員数, area;
- マイナンバーカード交付状況 (総務省 via Code for Japan): 46 snapshots of cards **issued**.

The dashboard's municipalities are columns in code order and names repeat (伊達市, 府中市,
池田町 ×4 …), so a column is identified by its position and checked against the code list's
name at that position — never matched by name. Every check that fails is collected and raised
as one :class:`~dxanalysis.errors.ExtractError` naming file, row and column.

>>> munis = load_all_municipalities()
>>> len(munis), munis.set_index("slug").loc["chigasaki", "lg_code"]
(1741, '142077')
>>> nat = load_national()
>>> cell = nat.query("lg_code == '142077' and indicator == 'online_usage_32_25'").iloc[0]
>>> cell["raw"], float(cell["value"]), cell["row_label"], int(cell["row"])
('4.2%', 4.2, '転出届', 26)
"""

from __future__ import annotations

import copy
import csv
import functools
import hashlib
import io as _io
import logging
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import config
from .errors import ExtractError, Problem

log = logging.getLogger(__name__)

DASHBOARD = "digital_agency_dx_dashboard_20240712"
LOCALGOV = "localgovjp"
SSDSE = "ssdse_a_2025"
CARDS = "mynumber_card_issuance"

SSDSE_ITEMS = {
    "population": ("A1101", "総人口"),
    "staff_general_admin": ("D1202", "一般行政部門職員数（市区町村）"),
    "area_ha": ("B1101", "総面積（北方地域及び竹島を除く）"),
}
"""Covariates read from SSDSE-A: column → (item code in header row 1, item name in header row 3)."""
SSDSE_HEADER_ROWS = 3
SSDSE_ENCODING = "cp932"
HA_PER_KM2 = 100
"""SSDSE-A gives 総面積 in hectares (札幌市 112,126 ha = 1,121.26 km²)."""

CARD_HEADER = ["算出基準日", "都道府県名", "市区町村名", "総数（人口）", "交付枚数", "人口に対する交付枚数率",
               "人口算出基準日", "交付件数基準日", "団体コード"]
CARD_RATE_TOLERANCE = 0.05
"""The published rate (one decimal) must be within rounding of 交付枚数 ÷ 総数 × 100."""
CARD_NAME_PREFIX = re.compile(r"^(?:.+[郡島])?$")
"""What may precede the code list's name in a card file: a 郡 (宮古郡多良間村) or an island (三宅島三宅村)."""

PLACEHOLDERS = {"調査無し": "not_surveyed", "%": "no_procedures", "": "no_value"}
"""Cells that are not values and what they mean (the shared README): NaN with this missing_reason."""
FLAG_VALUES = {"実施": 1.0, "未実施": 0.0}
PERCENT = re.compile(r"^\d+(?:\.\d+)?%$")
COUNT = re.compile(r"^\d+$")
MUNICIPALITY_TYPES = ("政令指定都市", "特別区", "市", "町", "村")
TOKYO = "東京都"

CATALOGUE_VOCABULARY = {
    "unit": ("%", "flag", "procedures"),
    "measure": ("adoption", "holding", "supply", "usage", "count"),
    "group": ("governance", "operations", "services", "usage_32", "usage_26"),
    "period_basis": ("stated", "inferred", "unknown"),
    "file": ("dx_status", "online_usage"),
}
"""The closed vocabularies of data/national/indicators.csv (NATIONAL_API.md)."""

NATIONAL_COLUMNS = ["lg_code", "municipality_ja", "prefecture", "indicator", "value", "unit", "measure",
                    "reference_period", "period_basis", "missing_reason", "source_id", "raw", "row_label",
                    "row", "column", "file"]


@dataclass(eq=False)  # compared by identity: pandas compares attrs when frames are combined
class NationalLoadReport:
    """What a national load read: every cell read is a value or missing for a stated reason."""

    files: list[str] = field(default_factory=list)
    cells_read: int = 0
    values_loaded: int = 0
    missing: dict[str, int] = field(default_factory=dict)
    codes_resolved: int = 0
    """card-issuance rows whose <NA> code was resolved by name and prefecture"""

    @property
    def balanced(self) -> bool:
        return self.cells_read == self.values_loaded + sum(self.missing.values())

    def __str__(self) -> str:
        miss = ", ".join(f"{k} {v:,}" for k, v in self.missing.items()) or "none"
        return (f"{len(self.files)} file(s): {self.cells_read:,} cells read = {self.values_loaded:,} values + "
                f"missing ({miss}); {self.codes_resolved} code(s) resolved by name")


# ---------------------------------------------------------------- paths and reading

def _raw_dir(raw_dir: str | Path | None) -> Path:
    return Path(raw_dir) if raw_dir is not None else config.NATIONAL_RAW_DIR


def _path(raw_dir: Path, key: str) -> Path:
    return raw_dir / config.NATIONAL_RAW_FILES[key]


def _signature(raw_dir: Path, keys: tuple[str, ...]) -> tuple:
    """Identity of the inputs for the cache: path, size and modification time of each file."""
    out, missing = [], []
    for k in keys:
        p = _path(raw_dir, k)
        try:
            st = p.stat()
        except OSError as exc:
            missing.append(Problem(config.NATIONAL_RAW_FILES[k], None, None, None, "unreadable_file", str(exc)[:200]))
            continue
        out.append((str(p.resolve()), st.st_size, st.st_mtime_ns))
    _raise(missing)
    return tuple(out)


def _csv_rows(path: Path, encoding: str = "utf-8-sig") -> list[list[str]]:
    """All rows of a CSV as text; an undecodable or malformed file is an ExtractError naming it."""
    try:
        with open(path, encoding=encoding, newline="") as fh:
            return list(csv.reader(fh))
    except (UnicodeDecodeError, csv.Error) as exc:
        raise ExtractError([Problem(_relative(path), None, None, None, "unreadable_file",
                                    f"not {encoding} CSV: {str(exc)[:160]}")]) from None


def _relative(path: Path) -> str:
    """A raw file as Problems name it: its path under the raw folder (e.g. ssdse/SSDSE-A-2025.csv)."""
    return "/".join(path.parts[-2:])


def _read_frame(path: Path, **kwargs) -> pd.DataFrame:
    """``pd.read_csv`` whose decoding or parsing failure is an ExtractError naming the file."""
    try:
        return pd.read_csv(path, **kwargs)
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        raise ExtractError([Problem(_relative(path), None, None, None, "unreadable_file", str(exc)[:200])]) from None


def _copy(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    out.attrs = copy.deepcopy(df.attrs)
    return out


def _raise(problems: list[Problem]) -> None:
    if problems:
        raise ExtractError(problems)


def _col(position: int, name: str) -> str:
    """A column as a Problem names it: 1-based position in the file and its header."""
    return f"{position} ({name})" if name else str(position)


# ---------------------------------------------------------------- the code list

def check_digit(code5: str) -> str:
    """The check digit of a 5-digit 全国地方公共団体コード (JIS X 0402 style, modulus 11).

    >>> check_digit("14207"), check_digit("01100")
    ('7', '2')
    """
    s = sum(int(d) * w for d, w in zip(code5, (6, 5, 4, 3, 2)))
    return str((11 - s % 11) % 10)


def _code_list(raw_dir: Path) -> pd.DataFrame:
    """The 1,741 municipalities of localgovjp (wards dropped), sorted by code, with type and prefecture."""
    return _code_list_cached(raw_dir.resolve(), _signature(raw_dir, ("localgov", "prefectures"))).copy()


@functools.lru_cache(maxsize=4)
def _code_list_cached(raw_dir: Path, signature: tuple) -> pd.DataFrame:
    name = config.NATIONAL_RAW_FILES["localgov"]
    rows = _csv_rows(_path(raw_dir, "localgov"))  # 1,917 short rows: plain lists are faster than a frame
    header = rows[0] if rows else []
    need = ["pid", "pref", "cid", "city", "citykana", "lgcode"]
    missing = [c for c in need if c not in header]
    if missing:
        _raise([Problem(name, 1, c, None, "national_header_mismatch", "column missing") for c in missing])
    j = {c: header.index(c) for c in need}
    recs = [dict({c: (r[k] if k < len(r) else "") for c, k in j.items()}, _row=i + 2)
            for i, r in enumerate(rows[1:]) if any(r)]
    wards = [r for r in recs if " " in r["city"]]
    munis = [r for r in recs if " " not in r["city"]]
    problems: list[Problem] = []
    if len(munis) != config.N_MUNICIPALITIES:
        problems.append(Problem(name, None, "city", len(munis), "national_count",
                                f"{len(munis)} municipalities (rows without a ward), expected {config.N_MUNICIPALITIES}"))
    seen: set[str] = set()
    for r in munis:
        c, pid, cid = r["lgcode"], r["pid"], r["cid"]
        if not COUNT.fullmatch(c) or len(c) != 6:
            problems.append(Problem(name, r["_row"], "lgcode", c, "national_code_mismatch", "not 6 digits"))
        elif check_digit(c[:5]) != c[5]:
            problems.append(Problem(name, r["_row"], "lgcode", c, "national_code_mismatch",
                                    f"check digit should be {check_digit(c[:5])}"))
        elif c[:2] != pid.zfill(2) or not cid.isdigit() or int(cid) != int(c[:5]):
            problems.append(Problem(name, r["_row"], "lgcode", c, "national_code_mismatch",
                                    f"pid {pid!r} / cid {cid!r} disagree with the code"))
        elif c in seen:
            problems.append(Problem(name, r["_row"], "lgcode", c, "national_duplicate_code"))
        seen.add(c)
    _raise(problems)
    munis.sort(key=lambda r: r["lgcode"])
    parents = {(w["pref"], w["city"].split(" ")[0]) for w in wards}
    for r in munis:
        last = r["city"][-1:]
        r["type"] = ("政令指定都市" if (r["pref"], r["city"]) in parents else
                     "特別区" if r["pref"] == TOKYO and last == "区" else
                     last if last in ("市", "町", "村") else "")
        if not r["type"]:
            problems.append(Problem(name, r["_row"], "city", r["city"], "national_bad_cell",
                                    "municipality type unknown: a name ends in 市, 町, 村 or (東京都) 区"))
    for p, c in sorted(parents - {(r["pref"], r["city"]) for r in munis}):
        problems.append(Problem(name, None, "city", f"{p} {c}", "national_code_mismatch", "wards of an unknown city"))
    prefs = _prefectures(raw_dir)
    for r in munis:
        if prefs.get(r["lgcode"][:2], ("", ""))[0] != r["pref"]:
            problems.append(Problem(name, r["_row"], "pref", r["pref"], "national_name_mismatch",
                                    f"prefjp-utf8.csv has {prefs.get(r['lgcode'][:2], ('?',))[0]!r} for code {r['lgcode'][:2]}"))
    _raise(problems)

    def col(key):
        return pd.Series([r[key] for r in munis], dtype="str")

    return pd.DataFrame({
        "lg_code": col("lgcode"),
        "name_ja": col("city"),
        "name_kana": col("citykana"),
        "prefecture": col("pref"),
        "prefecture_code": pd.Series([r["lgcode"][:2] for r in munis], dtype="str"),
        "prefecture_en": pd.Series([prefs[r["lgcode"][:2]][1] for r in munis], dtype="str"),
        "municipality_type": col("type"),
        "_row": np.array([r["_row"] for r in munis], dtype="int64"),
    })


def _prefectures(raw_dir: Path) -> dict[str, tuple[str, str]]:
    """prefjp-utf8.csv: 2-digit prefecture code → (name, English name)."""
    name = config.NATIONAL_RAW_FILES["prefectures"]
    rows = _csv_rows(_path(raw_dir, "prefectures"))
    header = rows[0] if rows else []
    missing = [c for c in ("pid", "pref", "pref_en") if c not in header]
    if missing:
        _raise([Problem(name, 1, c, None, "national_header_mismatch", "column missing") for c in missing])
    body = [r for r in rows[1:] if any(r)]
    if len(body) != 47:
        _raise([Problem(name, None, None, len(body), "national_count", f"{len(body)} prefectures, expected 47")])
    i, p, e = (header.index(c) for c in ("pid", "pref", "pref_en"))
    return {r[i].zfill(2): (r[p], r[e]) for r in body}


# ---------------------------------------------------------------- SSDSE-A covariates

def _ssdse(raw_dir: Path, codes: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, int]]:
    """Population, staff and area per lg_code, checked against the code list; and each item's year."""
    name = config.NATIONAL_RAW_FILES["ssdse_a"]
    path = _path(raw_dir, "ssdse_a")
    head = _read_frame(path, header=None, dtype=str, keep_default_na=False, encoding=SSDSE_ENCODING,
                       nrows=SSDSE_HEADER_ROWS)
    problems: list[Problem] = []
    where: dict[str, int] = {}
    years: dict[str, int] = {}
    item_codes = head.iloc[0].tolist()
    for col, (item, label) in SSDSE_ITEMS.items():
        if item not in item_codes:
            problems.append(Problem(name, 1, item, None, "national_header_mismatch", f"item {item} ({label}) not found"))
            continue
        j = item_codes.index(item)
        if head.iloc[2, j] != label:
            problems.append(Problem(name, 3, _col(j + 1, item), head.iloc[2, j], "national_header_mismatch",
                                    f"item {item} should be named {label!r}"))
        if not COUNT.fullmatch(head.iloc[1, j]):
            problems.append(Problem(name, 2, _col(j + 1, item), head.iloc[1, j], "national_bad_cell", "year of the item"))
        else:
            years[col] = int(head.iloc[1, j])
        where[col] = j
    _raise(problems)
    # only the key, prefecture, name and the wanted items are read (columns keep their file positions)
    body = _read_frame(path, header=None, dtype=str, keep_default_na=False, encoding=SSDSE_ENCODING,
                       skiprows=SSDSE_HEADER_ROWS, usecols=[0, 1, 2, *where.values()])
    rows = np.arange(SSDSE_HEADER_ROWS + 1, SSDSE_HEADER_ROWS + 1 + len(body))
    if len(body) != config.N_MUNICIPALITIES:
        problems.append(Problem(name, None, None, len(body), "national_count",
                                f"{len(body)} municipality rows, expected {config.N_MUNICIPALITIES}"))
    key = body[0]
    expected = "R" + codes["lg_code"].str[:5]
    known = dict(zip(expected, range(len(codes))))
    idx = key.map(known)
    for r, k in zip(rows[idx.isna().to_numpy()], key[idx.isna()]):
        problems.append(Problem(name, int(r), _col(1, "地域コード"), k, "national_code_mismatch",
                                "not R + the first 5 digits of a code in the code list"))
    dup = key.duplicated()
    for r, k in zip(rows[dup.to_numpy()], key[dup]):
        problems.append(Problem(name, int(r), _col(1, "地域コード"), k, "national_duplicate_code"))
    absent = sorted(set(expected) - set(key))
    for k in absent:
        problems.append(Problem(name, None, _col(1, "地域コード"), k, "national_code_mismatch",
                                "a municipality of the code list has no row"))
    found = idx.notna().to_numpy()
    i = idx[found].astype(int).to_numpy()
    for what, j, col in (("prefecture", 1, "都道府県"), ("name_ja", 2, "市区町村")):
        pub = body[j].to_numpy()[found]
        ref = codes[what].to_numpy()[i]
        for r, p, e, c in zip(rows[found][pub != ref], pub[pub != ref], ref[pub != ref], codes["lg_code"].to_numpy()[i][pub != ref]):
            problems.append(Problem(name, int(r), _col(j + 1, col), p, "national_name_mismatch",
                                    f"the code list has {e!r} for {c}"))
    values = {}
    for col, j in where.items():
        text = body[j]
        num = text.where(text.str.fullmatch(r"\d+(?:\.\d+)?")).astype("float64")
        bad = num.isna().to_numpy()
        item, label = SSDSE_ITEMS[col]
        for r, v in zip(rows[bad], text[bad]):
            problems.append(Problem(name, int(r), _col(j + 1, f"{item} {label}"), v, "national_bad_cell",
                                    "expected a non-negative number"))
        values[col] = num.to_numpy(dtype=float)
    _raise(problems)
    out = pd.DataFrame({"lg_code": codes["lg_code"].to_numpy()[i], **{c: v for c, v in values.items()},
                        "ssdse_row": rows})
    return out, years


# ---------------------------------------------------------------- municipalities

@functools.lru_cache(maxsize=4)
def _municipalities_cached(raw_dir: Path, signature: tuple) -> pd.DataFrame:
    codes = _code_list(raw_dir)
    cov, years = _ssdse(raw_dir, codes)
    df = codes.drop(columns="_row").merge(cov, on="lg_code", how="left", validate="one_to_one")
    df["area_km2"] = df["area_ha"] / HA_PER_KM2
    df["population_year"] = years["population"]
    df["staff_year"] = years["staff_general_admin"]
    df["area_year"] = years["area_ha"]
    df.insert(6, "slug", _slugs(df["lg_code"]))
    df = df[["lg_code", "name_ja", "name_kana", "prefecture", "prefecture_code", "prefecture_en", "slug",
             "municipality_type", "population", "staff_general_admin", "area_km2", "area_ha",
             "population_year", "staff_year", "area_year", "ssdse_row"]]
    df.attrs["covariate_years"] = {"population": years["population"], "staff_general_admin": years["staff_general_admin"],
                                   "area_km2": years["area_ha"]}
    df.attrs["sources"] = {"code list": LOCALGOV, "covariates": SSDSE}
    return df


def _slugs(lg_code: pd.Series) -> pd.Series:
    """The project's slugs (data/municipalities.csv) for the three cities; missing elsewhere."""
    from .io import load_municipalities

    cities = load_municipalities()
    cities = cities[cities["lg_code"] != ""]
    by_code = dict(zip(cities["lg_code"], cities["municipality"]))
    absent = sorted(set(by_code) - set(lg_code))
    if absent:
        _raise([Problem(config.MUNICIPALITIES_CSV.name, None, "lg_code", c, "national_code_mismatch",
                        "a project city's code is not in the national code list") for c in absent])
    return lg_code.map(by_code).astype("str")


def load_all_municipalities(*, raw_dir: str | Path | None = None) -> pd.DataFrame:
    """The 1,741 municipalities of Japan in ascending ``lg_code``, with SSDSE-A covariates.

    Columns: ``lg_code`` (6 digits with check digit), ``name_ja``, ``name_kana``, ``prefecture``,
    ``prefecture_code``, ``prefecture_en``, ``slug`` (chigasaki / hadano / minamiboso, else missing),
    ``municipality_type`` (政令指定都市, 特別区, 市, 町, 村), ``population`` (2020 census),
    ``staff_general_admin`` (一般行政部門職員数), ``area_km2`` (and ``area_ha`` as published),
    ``population_year``, ``staff_year``, ``area_year`` (as printed in SSDSE-A row 2) and ``ssdse_row``
    (the line of the municipality in SSDSE-A). ``attrs["covariate_years"]`` maps column → year.

    ``municipality_type``: 政令指定都市 = a city that has wards (区) in localgovjp; 特別区 = a name
    ending in 区 in 東京都; otherwise the last character of the name (市, 町, 村).

    Args:
        raw_dir: a folder laid out like ``data/national/raw`` (tests); ``None`` for the bundled copies.

    >>> m = load_all_municipalities()
    >>> m["municipality_type"].value_counts().reindex(list(MUNICIPALITY_TYPES)).to_dict()
    {'政令指定都市': 20, '特別区': 23, '市': 772, '町': 743, '村': 183}
    """
    rd = _raw_dir(raw_dir)
    return _copy(_municipalities_cached(rd.resolve(), _signature(rd, ("localgov", "prefectures", "ssdse_a"))))


# ---------------------------------------------------------------- catalogue and sources

def load_national_indicators(path: str | Path | None = None) -> pd.DataFrame:
    """The national indicator catalogue (``data/national/indicators.csv``), indexed by ``indicator``.

    ``label_ja`` is the dashboard's row label verbatim (a trailing space included); ``file`` and
    ``row`` say where the row is (``dx_status`` / ``online_usage``, 1-based line).

    >>> cat = load_national_indicators()
    >>> cat.loc["online_supply_26_rate", ["unit", "measure"]].tolist()
    ['%', 'supply']
    """
    path = Path(path or config.NATIONAL_INDICATORS_CSV)
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    df["row"] = df["row"].astype("int64")
    dup = df["indicator"][df["indicator"].duplicated()]
    if len(dup):
        raise ValueError(f"{path}: duplicate indicator: {sorted(set(dup))}")
    bad = [(col, v) for col, allowed in CATALOGUE_VOCABULARY.items() for v in sorted(set(df[col]) - set(allowed))]
    if bad:
        raise ValueError(f"{path}: values outside the catalogue's vocabulary: {bad}")
    return df.set_index("indicator", drop=False).rename_axis(None)


def load_national_sources(path: str | Path | None = None) -> pd.DataFrame:
    """The national source records (``data/national/sources.csv``), indexed by ``source_id``.

    >>> load_national_sources().loc["digital_agency_dx_dashboard_20240712", "release_date"]
    '2024-07-12'
    """
    path = Path(path or config.NATIONAL_SOURCES_CSV)
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    dup = df["source_id"][df["source_id"].duplicated()]
    if len(dup):
        raise ValueError(f"{path}: duplicate source_id: {sorted(set(dup))}")
    return df.set_index("source_id", drop=False).rename_axis(None)


def load_national_manifest(path: str | Path | None = None) -> pd.DataFrame:
    """Every original national file: where it is bundled (``file``, zip ``member``) and its SHA-256."""
    df = pd.read_csv(Path(path or config.NATIONAL_MANIFEST_CSV), dtype=str, keep_default_na=False, encoding="utf-8")
    df["bytes"] = df["bytes"].astype("int64")
    return df


def verify_national_raw(raw_dir: str | Path | None = None) -> list[Problem]:
    """Problems where a bundled copy's bytes differ from the original's SHA-256 in the manifest (empty = all intact)."""
    rd = _raw_dir(raw_dir)
    problems: list[Problem] = []
    archives: dict[str, zipfile.ZipFile] = {}
    try:
        for rec in load_national_manifest().itertuples(index=False):
            try:
                if rec.member:
                    if rec.file not in archives:
                        archives[rec.file] = zipfile.ZipFile(rd / rec.file)
                    data = archives[rec.file].read(rec.member)
                else:
                    data = (rd / rec.file).read_bytes()
            except (OSError, KeyError, zipfile.BadZipFile) as exc:
                problems.append(Problem(rec.file, None, rec.member or None, None, "national_hash_mismatch", str(exc)[:200]))
                continue
            digest = hashlib.sha256(data).hexdigest()
            if digest != rec.sha256:
                problems.append(Problem(rec.file, None, rec.member or None, digest, "national_hash_mismatch",
                                        f"expected {rec.sha256}"))
    finally:
        for z in archives.values():
            z.close()
    return problems


# ---------------------------------------------------------------- the dashboard

def _dashboard_table(raw_dir: Path, key: str, cat: pd.DataFrame, codes: pd.DataFrame,
                     problems: list[Problem]) -> tuple[np.ndarray, pd.DataFrame] | None:
    """The cells (rows × 1,741, in code order) of one dashboard table, after its header and row-label checks."""
    name = config.NATIONAL_RAW_FILES[key]
    rows = _csv_rows(_path(raw_dir, key))
    n = config.N_MUNICIPALITIES
    first = 2  # two label columns, then one column per municipality
    head = rows[0] if rows else []
    names = head[first:]
    while names and names[-1] == "":
        names = names[:-1]  # municipal_dx_status.csv ends its header with an empty column
    before = len(problems)
    if len(names) != n:
        problems.append(Problem(name, 1, None, len(names), "national_count",
                                f"{len(names)} municipality columns, expected {n}"))
        return None
    expected = codes["name_ja"].to_numpy()
    got = np.asarray(names, dtype=object)
    for j in np.flatnonzero(got != expected):
        problems.append(Problem(name, 1, _col(first + j + 1, got[j]), got[j], "national_name_mismatch",
                                f"the code list has {expected[j]} ({codes['lg_code'].iloc[j]}) at position {j + 1}"))
    mine = cat[cat["file"] == key].sort_values("row")
    body = rows[1:]
    if len(body) != len(mine):
        problems.append(Problem(name, None, None, len(body), "national_count",
                                f"{len(body)} indicator rows, the catalogue has {len(mine)}"))
    for rec in mine.itertuples(index=False):
        r = rec.row
        if r - 1 >= len(rows):
            problems.append(Problem(name, r, _col(2, ""), None, "national_header_mismatch",
                                    f"row missing: expected {rec.label_ja!r}"))
            continue
        line = rows[r - 1]
        if len(line) < first + n or any(c != "" for c in line[first + n:]):
            problems.append(Problem(name, r, None, len(line), "national_count",
                                    f"{len(line)} cells, expected {first + n} (+ empty)"))
            continue
        if line[1] != rec.label_ja:
            problems.append(Problem(name, r, _col(2, ""), line[1], "national_header_mismatch",
                                    f"the catalogue has {rec.label_ja!r} ({rec.indicator}) at row {r}"))
        if line[0] != rec.group_label_ja:
            problems.append(Problem(name, r, _col(1, ""), line[0], "national_header_mismatch",
                                    f"the catalogue has {rec.group_label_ja!r} at row {r}"))
    if len(problems) > before:
        return None
    cells = np.array([rows[r - 1][first:first + n] for r in mine["row"]], dtype=object)
    return cells, mine


def _parse_cell(text: str, unit: str) -> tuple[float, str | None]:
    """One cell of a dashboard row with this unit: (value, missing reason); (NaN, None) = not readable.

    >>> _parse_cell("72%", "%"), _parse_cell("実施", "flag"), _parse_cell("%", "%"), _parse_cell("調査無し", "flag")
    ((72.0, None), (1.0, None), (nan, 'no_procedures'), (nan, 'not_surveyed'))
    """
    if text in PLACEHOLDERS and (text != "%" or unit == "%"):  # a bare % means "no procedures" only in a % row
        return np.nan, PLACEHOLDERS[text]
    if unit == "flag" and text in FLAG_VALUES:
        return FLAG_VALUES[text], None
    if unit == "%" and PERCENT.fullmatch(text) and float(text[:-1]) <= 100:
        return float(text[:-1]), None
    if unit == "procedures" and COUNT.fullmatch(text):
        return float(text), None
    return np.nan, None


def _parse_cells(cells: np.ndarray, unit: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Values (float), missing reasons (object, None where a value) and a bad-cell mask, for rows × cells.

    Each distinct (unit, text) is parsed once: 116,647 cells hold about a thousand distinct texts.
    """
    value = np.full(cells.shape, np.nan)
    reason = np.full(cells.shape, None, dtype=object)
    for u in dict.fromkeys(unit):
        rows = unit == u
        codes_, uniq = pd.factorize(cells[rows].ravel())
        parsed = [_parse_cell(t, u) for t in uniq]
        value[rows] = np.array([p[0] for p in parsed], dtype=float)[codes_].reshape(-1, cells.shape[1])
        reason[rows] = np.array([p[1] for p in parsed], dtype=object)[codes_].reshape(-1, cells.shape[1])
    bad = np.isnan(value) & pd.isna(reason)
    return value, reason, bad


def _consistency(name: str, cells: np.ndarray, value: np.ndarray, mine: pd.DataFrame,
                 codes: pd.DataFrame) -> list[Problem]:
    """Supply rates against their own numerator/denominator rows (as the publisher rounds: to the whole %)."""
    problems = []
    pos = {ind: i for i, ind in enumerate(mine["indicator"])}
    cols = codes["name_ja"].to_numpy()

    def report(row_i: int, js, detail: str):
        for j in js:
            problems.append(Problem(name, int(mine["row"].iloc[row_i]), _col(3 + j, cols[j]), cells[row_i, j],
                                    "national_inconsistent", detail))

    if {"online_supply_32_rate", "online_supply_32_denominator", "online_supply_32_numerator"} <= set(pos):
        i, d, k = pos["online_supply_32_rate"], pos["online_supply_32_denominator"], pos["online_supply_32_numerator"]
        rate, den, num = value[i], value[d], value[k]
        with np.errstate(divide="ignore", invalid="ignore"):
            share = 100 * num / den
        known = ~np.isnan(rate) & ~np.isnan(share)
        report(i, np.flatnonzero(known & (np.abs(rate - share) > 0.5 + 1e-9)), "differs from numerator ÷ denominator")
        report(i, np.flatnonzero((cells[i] == "%") & (den != 0)), "a bare % but the denominator is not 0")
        report(i, np.flatnonzero(~np.isnan(rate) & (den == 0)), "a rate but the denominator is 0")
        report(k, np.flatnonzero(num > den), "numerator larger than the denominator")
    if "online_supply_26_rate" in pos:
        i = pos["online_supply_26_rate"]
        v = value[i]
        k = np.round(v * 26 / 100)
        report(i, np.flatnonzero(~np.isnan(v) & (np.abs(v - 100 * k / 26) > 0.5 + 1e-9)), "not k/26 of the 26 procedures")
    return problems


@functools.lru_cache(maxsize=4)
def _national_cached(raw_dir: Path, signature: tuple, catalogue: Path, cat_signature: tuple) -> pd.DataFrame:
    cat = load_national_indicators(catalogue)
    codes = _code_list(raw_dir)
    problems: list[Problem] = []
    frames = []
    report = NationalLoadReport()
    for key in ("dx_status", "online_usage"):
        name = config.NATIONAL_RAW_FILES[key]
        got = _dashboard_table(raw_dir, key, cat, codes, problems)
        report.files.append(name)
        if got is None:
            continue
        cells, mine = got
        value, reason, bad = _parse_cells(cells, mine["unit"].to_numpy())
        for i, j in zip(*np.nonzero(bad)):
            rec = mine.iloc[i]
            problems.append(Problem(name, int(rec["row"]), _col(3 + j, codes["name_ja"].iloc[j]), cells[i, j],
                                    "national_bad_cell", f"{rec['indicator']} ({rec['label_ja'].strip()}), unit {rec['unit']}"))
        problems += _consistency(name, cells, value, mine, codes)
        frames.append((cells, value, reason, mine.assign(file=name)))
    _raise(problems)
    df = _tidy(*(np.concatenate([f[k] for f in frames]) for k in range(3)),
               pd.concat([f[3] for f in frames], ignore_index=True), codes)
    report.cells_read = len(df)
    report.values_loaded = int(df["value"].notna().sum())
    report.missing = {k: int(v) for k, v in df["missing_reason"].value_counts().items()}
    n_reasons = sum(int(pd.notna(f[2]).sum()) for f in frames)
    assert list(df.columns) == NATIONAL_COLUMNS, list(df.columns)
    if not report.balanced or int(df["value"].isna().sum()) != n_reasons:
        raise RuntimeError(f"cells lost while loading the dashboard: {report}")
    df.attrs["load_report"] = report
    return df


def _tidy(cells: np.ndarray, value: np.ndarray, reason: np.ndarray, mine: pd.DataFrame,
          codes: pd.DataFrame) -> pd.DataFrame:
    """Rows × municipalities → long; repeated text is spread with Arrow ``take`` (no Python strings per cell)."""
    r, m = cells.shape
    per_row = np.repeat(np.arange(r), m)
    per_muni = np.tile(np.arange(m), r)

    def rep(col: str) -> pd.Series:
        return mine[col].astype("str").reset_index(drop=True).take(per_row).reset_index(drop=True)

    def tile(col: str) -> pd.Series:
        return codes[col].reset_index(drop=True).take(per_muni).reset_index(drop=True)

    return pd.DataFrame({
        "lg_code": tile("lg_code"),
        "municipality_ja": tile("name_ja"),
        "prefecture": tile("prefecture"),
        "indicator": rep("indicator"),
        "value": value.ravel(),
        "unit": rep("unit"),
        "measure": rep("measure"),
        "reference_period": rep("reference_period"),
        "period_basis": rep("period_basis"),
        "missing_reason": pd.Series(reason.ravel(), dtype="str"),
        "source_id": rep("source_id"),
        "raw": pd.Series(cells.ravel(), dtype="str"),
        "row_label": rep("label_ja"),
        "row": mine["row"].to_numpy(dtype="int64")[per_row],
        "column": (per_muni + 3).astype("int64"),
        "file": rep("file"),
    })


def load_national(*, raw_dir: str | Path | None = None, catalogue: str | Path | None = None) -> pd.DataFrame:
    """The dashboard as one tidy row per municipality × indicator (1,741 × 67), every value traced to its cell.

    Columns: ``lg_code``, ``municipality_ja``, ``prefecture``, ``indicator``, ``value`` (float:
    ``72%`` → 72.0, 実施 → 1.0, 未実施 → 0.0, counts as numbers), ``unit``, ``measure``,
    ``reference_period``, ``period_basis``, ``missing_reason`` (missing where there is a value; else
    ``not_surveyed`` for 調査無し, ``no_procedures`` for a bare %, ``no_value`` for an empty cell),
    ``source_id``, ``raw`` (the cell text), ``row_label`` (verbatim), ``row`` (1-based line), ``column``
    (1-based position in the file), ``file``. Rows come in catalogue order (the file's row order),
    municipalities in code order within each indicator. ``attrs["load_report"]``: a
    :class:`NationalLoadReport` (cells read = values loaded + missing by reason).

    Raises:
        ExtractError: a column whose name disagrees with the code list at its position, a row
            label that is not the catalogue's, a cell that is neither a value nor a placeholder, a
            rate that contradicts its numerator and denominator, a count that is not 1,741.

    >>> nat = load_national()
    >>> nat.attrs["load_report"].balanced, len(nat)
    (True, 116647)
    >>> nat.query("indicator == 'cio_appointed'")["value"].sum()
    np.float64(1270.0)
    """
    rd = _raw_dir(raw_dir)
    cat = Path(catalogue or config.NATIONAL_INDICATORS_CSV)
    st = cat.stat()
    sig = _signature(rd, ("dx_status", "online_usage", "localgov", "prefectures"))
    return _copy(_national_cached(rd.resolve(), sig, cat.resolve(), (st.st_size, st.st_mtime_ns)))


# ---------------------------------------------------------------- card issuance

@functools.lru_cache(maxsize=4)
def _cards_cached(raw_dir: Path, signature: tuple) -> pd.DataFrame:
    codes = _code_list(raw_dir)
    problems: list[Problem] = []
    df, members = _read_card_snapshots(_path(raw_dir, "card_issuance"), problems)
    _raise(problems)
    df, resolved = _card_codes(df, codes, problems)
    nums = _card_checks(df, codes, problems)
    _raise(problems)
    name_of = dict(zip(codes["lg_code"], codes["name_ja"]))
    out = pd.DataFrame({
        "lg_code": df["lg_code"],
        "municipality_ja": _per_unique(df["lg_code"], name_of.get),
        "prefecture": df["都道府県名"],
        "date": _per_unique(df["算出基準日"], _iso_date),
        "population": nums["総数（人口）"],
        "cards_issued": nums["交付枚数"],
        "issued_rate": nums["人口に対する交付枚数率"],
        "source_id": pd.Series(CARDS, index=df.index, dtype="str"),
        "raw_rate": df["人口に対する交付枚数率"],
        "row": df["_row"].astype("int64"),
        "file": df["_file"],
        "name_as_published": df["市区町村名"],
        "raw_code": df["団体コード"],
        "code_resolved_by_name": df["団体コード"].eq("<NA>").to_numpy(dtype=bool),
        "population_date": _per_unique(df["人口算出基準日"], _iso_date),
        "issued_date": _per_unique(df["交付件数基準日"], _iso_date),
    })
    out.attrs["resolved_codes"] = resolved
    report = NationalLoadReport(files=[Path(m).name for m in members], cells_read=len(out),
                                values_loaded=int(out["cards_issued"].notna().sum()), codes_resolved=len(resolved))
    out.attrs["load_report"] = report
    if len(resolved):
        log.info("card issuance: %d <NA> codes resolved by name and prefecture", len(resolved))
    return out


def _per_unique(s: pd.Series, fn, dtype: str = "str") -> pd.Series:
    """``s.map(fn)`` computed once per distinct value (80,086 card rows hold ~1,750 codes, 46 dates)."""
    idx, uniq = pd.factorize(s, use_na_sentinel=False)
    values = pd.Series([fn(u) for u in uniq.tolist()], dtype=dtype)
    return values.take(idx).set_axis(s.index)


def _iso_date(text: str) -> str:
    """``2022/12/31`` → ``2022-12-31`` (anything else is returned unchanged and fails the date check)."""
    return text.replace("/", "-")


CARD_TEXT_COLUMNS = [c for c in CARD_HEADER if c not in ("総数（人口）", "交付枚数")]
"""Read as text: the rate (kept as published in ``raw_rate``), the code (``<NA>``), dates and names."""


def _read_card_snapshots(zpath: Path, problems: list[Problem]) -> tuple[pd.DataFrame, list[str]]:
    """All snapshots of the zip as one frame with ``_file``, ``_row`` (1-based line) and ``_date`` (from the name).

    The bodies are joined and parsed by one ``read_csv`` (the 46 files share one header, checked
    file by file); counts are checked per file before parsing.
    """
    try:
        with zipfile.ZipFile(zpath) as z:
            members = sorted(n for n in z.namelist() if n.lower().endswith(".csv"))
            datas = [z.read(m) for m in members]
    except (OSError, zipfile.BadZipFile) as exc:
        problems.append(Problem(zpath.name, None, None, None, "unreadable_file", str(exc)[:200]))
        return pd.DataFrame(), []
    bodies, spans = [], []
    for member, data in zip(members, datas):
        first, _, body = data.partition(b"\n")
        try:
            header = next(csv.reader([first.decode("utf-8-sig").rstrip("\r")]))
        except (UnicodeDecodeError, StopIteration) as exc:
            problems.append(Problem(member, 1, None, None, "national_header_mismatch", str(exc)[:200]))
            continue
        if header != CARD_HEADER:
            problems.append(Problem(member, 1, None, ",".join(header), "national_header_mismatch",
                                    "expected " + ",".join(CARD_HEADER)))
            continue
        if body and not body.endswith(b"\n"):
            body += b"\n"
        n = body.count(b"\n")  # one record per line: no field of these files holds a line break (checked below)
        if n != config.N_MUNICIPALITIES:
            problems.append(Problem(member, None, None, n, "national_count",
                                    f"{n} municipality rows, expected {config.N_MUNICIPALITIES}"))
        bodies.append(body)
        spans.append((member, n))
    if problems:
        return pd.DataFrame(), members
    try:
        df = pd.read_csv(_io.BytesIO(b"".join(bodies)), header=None, names=CARD_HEADER, encoding="utf-8",
                         dtype={c: "str" for c in CARD_TEXT_COLUMNS}, keep_default_na=False, skip_blank_lines=False,
                         low_memory=False)
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        problems += _card_shape_problems(members, bodies, str(exc))
        return pd.DataFrame(), members
    counts = np.array([n for _, n in spans])
    if len(df) != counts.sum():
        problems += _card_shape_problems(members, bodies, f"{len(df)} records for {counts.sum()} lines")
        return pd.DataFrame(), members
    which = np.repeat(np.arange(len(spans)), counts)
    stems = [Path(m).stem for m, _ in spans]
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    df["_which"] = which
    df["_file"] = pd.Series([m for m, _ in spans], dtype="str").take(which).set_axis(df.index)
    df["_row"] = np.arange(len(df)) - starts[which] + 2
    dates = [f"{t[:4]}-{t[4:6]}-{t[6:8]}" if len(t) == 8 and t.isdigit() else "" for t in stems]
    df["_date"] = np.array(dates, dtype=object)[which]
    return df, members


def _card_shape_problems(members: list[str], bodies: list[bytes], detail: str) -> list[Problem]:
    """Where the joined parse failed: lines whose field count is not the header's, file by file."""
    out = []
    for member, body in zip(members, bodies):
        text = body.decode("utf-8", errors="replace")
        for i, rec in enumerate(csv.reader(_io.StringIO(text, newline=""))):
            if len(rec) != len(CARD_HEADER):
                out.append(Problem(member, i + 2, None, ",".join(rec)[:80], "national_bad_cell",
                                   f"{len(rec)} fields, expected {len(CARD_HEADER)}"))
    return out or [Problem(members[0] if members else "", None, None, None, "national_bad_cell", detail[:200])]


def _card_code(raw: str) -> str:
    """団体コード as written (an integer, leading zero lost) → the 6-digit code; "" if not digits."""
    return raw.zfill(6) if raw.isdigit() and 5 <= len(raw) <= 6 else ""


def _card_codes(df: pd.DataFrame, codes: pd.DataFrame, problems: list[Problem]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``lg_code`` from 団体コード; ``<NA>`` resolved by name + prefecture (and listed)."""
    raw = df["団体コード"]
    lg = _per_unique(raw, _card_code)
    na = raw.eq("<NA>").to_numpy(dtype=bool)
    bad = lg.eq("").to_numpy(dtype=bool) & ~na
    for r in df.index[bad]:
        problems.append(Problem(df.at[r, "_file"], int(df.at[r, "_row"]), "団体コード", raw[r], "national_bad_cell",
                                "expected the 6-digit code written as an integer, or <NA>"))
    resolved = []
    by_pref: dict[str, list[tuple[str, str]]] = {}
    for code, pref, name in zip(codes["lg_code"].tolist(), codes["prefecture"].tolist(), codes["name_ja"].tolist()):
        by_pref.setdefault(pref, []).append((code, name))
    found: dict[tuple[str, str], list[str]] = {}
    for pos in np.flatnonzero(na):
        r = df.index[pos]
        pref, pub = df.at[r, "都道府県名"], df.at[r, "市区町村名"]
        if (pref, pub) not in found:
            found[pref, pub] = [c for c, n in by_pref.get(pref, []) if _same_name(pub, n)]
        cand = found[pref, pub]
        if len(cand) != 1:
            problems.append(Problem(df.at[r, "_file"], int(df.at[r, "_row"]), "団体コード", raw[r],
                                    "national_unresolved_code", f"{pref} {pub}: {len(cand)} candidate(s) in the code list"))
            continue
        resolved.append({"file": df.at[r, "_file"], "row": int(df.at[r, "_row"]), "prefecture": pref,
                         "name_as_published": pub, "raw_code": raw[r], "lg_code": cand[0], "_pos": pos})
    if resolved:
        lg = lg.copy()
        lg.iloc[[x["_pos"] for x in resolved]] = [x["lg_code"] for x in resolved]  # one write, not one per row
    resolved_df = pd.DataFrame(resolved, columns=["file", "row", "prefecture", "name_as_published", "raw_code", "lg_code"])
    resolved_df = resolved_df.astype({"file": "str", "prefecture": "str", "name_as_published": "str", "raw_code": "str",
                                      "lg_code": "str", "row": "int64"})
    return df.assign(lg_code=lg), resolved_df


def _same_name(published: str, name: str) -> bool:
    """The card files' name is the code list's, possibly after a 郡 or island prefix (宮古郡多良間村, 三宅島三宅村)."""
    return published == name or (published.endswith(name) and bool(CARD_NAME_PREFIX.match(published[: -len(name)])))


def _card_checks(df: pd.DataFrame, codes: pd.DataFrame, problems: list[Problem]) -> dict[str, pd.Series]:
    """Codes in the code list and unique per file; prefecture and name agree; numbers read and agree.

    Text columns are Python objects here: each check works on the distinct values (``pd.factorize``)
    and spreads the answer back with numpy. Returns the three numeric columns as floats.
    """
    def at(r, col):
        return df.at[r, col]

    def add(mask, column: str, code: str, detail) -> None:
        for r in df.index[np.asarray(mask, dtype=bool)]:
            problems.append(Problem(at(r, "_file"), int(at(r, "_row")), column,
                                    at(r, column) if column in df else None, code, detail(r)))

    pref_of = dict(zip(codes["lg_code"].tolist(), codes["prefecture"].tolist()))
    name_of = dict(zip(codes["lg_code"].tolist(), codes["name_ja"].tolist()))
    lg = df["lg_code"]
    li, lu = pd.factorize(lg)  # Arrow strings: factorize and take stay in Arrow
    lu = lu.tolist()
    has = np.array([c != "" for c in lu], dtype=bool)[li]
    known = np.array([c in name_of for c in lu], dtype=bool)[li]
    add(has & ~known, "団体コード", "national_code_mismatch",
        lambda r: f"{at(r, '都道府県名')} {at(r, '市区町村名')}: not in the code list")
    ok = has & known
    pref = pd.Series([pref_of.get(c, "") for c in lu], dtype="str").take(li).set_axis(df.index)
    add(ok & pref.ne(df["都道府県名"]).to_numpy(dtype=bool), "都道府県名", "national_name_mismatch",
        lambda r: f"the code list has {pref_of.get(lg[r])} for {lg[r]}")
    pi, pu = pd.factorize(df["市区町村名"])
    pu = pu.tolist()
    pair = pi.astype("int64") * len(lu) + li
    pk, pinv = np.unique(pair, return_inverse=True)
    same = np.array([_same_name(pu[k // len(lu)], name_of.get(lu[k % len(lu)], "")) for k in pk], dtype=bool)[pinv]
    add(ok & ~same, "市区町村名", "national_name_mismatch", lambda r: f"the code list has {name_of[lg[r]]} for {lg[r]}")
    key = df["_which"].to_numpy(dtype="int64") * (len(lu) + 1) + li
    add(has & pd.Series(key).duplicated().to_numpy(), "団体コード", "national_duplicate_code",
        lambda r: f"{lg[r]} appears twice in the file")
    di, du = pd.factorize(df["算出基準日"])
    du = du.tolist()
    iso = np.array([_iso_date(d) for d in du], dtype=object)[di]
    add(iso != df["_date"].to_numpy(dtype=object), "算出基準日", "national_inconsistent",
        lambda r: f"the file is named for {at(r, '_date') or '?'}")
    nums = {}
    for col, pattern in (("総数（人口）", r"\d+"), ("交付枚数", r"\d+"), ("人口に対する交付枚数率", r"\d+(?:\.\d+)?")):
        good, nums[col] = _card_number(df[col], pattern)
        add(~good, col, "national_bad_cell", lambda r: "expected a non-negative number")
    pop, issued, rate = (nums[c].to_numpy() for c in ("総数（人口）", "交付枚数", "人口に対する交付枚数率"))
    with np.errstate(divide="ignore", invalid="ignore"):
        off = (pop > 0) & (np.abs(100 * issued / pop - rate) > CARD_RATE_TOLERANCE + 1e-9)
    off |= (pop == 0) | (issued > pop)
    add(off, "人口に対する交付枚数率", "national_inconsistent",
        lambda r: f"交付枚数 {at(r, '交付枚数')} ÷ 総数 {at(r, '総数（人口）')}")
    return nums


def _card_number(s: pd.Series, pattern: str) -> tuple[np.ndarray, pd.Series]:
    """(readable mask, float values): an integer column read by the C parser is all digits already."""
    if pd.api.types.is_integer_dtype(s):
        return s.ge(0).to_numpy(), s.astype("float64")
    i, u = pd.factorize(s if s.dtype == "str" else s.astype("str"))
    u = u.tolist()
    ok_u = np.array([isinstance(t, str) and re.fullmatch(pattern, t) is not None for t in u], dtype=bool)
    val_u = np.array([float(t) if k else np.nan for t, k in zip(u, ok_u)], dtype="float64")
    return ok_u[i], pd.Series(val_u[i], index=s.index)


def load_card_issuance(*, raw_dir: str | Path | None = None) -> pd.DataFrame:
    """My Number cards ISSUED (交付), one row per municipality × snapshot (46 snapshots, 2017-03 … 2022-12).

    Columns: ``lg_code``, ``municipality_ja`` (the code list's name), ``prefecture``, ``date``
    (YYYY-MM-DD, 算出基準日), ``population`` and ``cards_issued`` (as published), ``issued_rate``
    (%, as published), ``source_id``, ``raw_rate``, ``row`` (1-based line in the snapshot), ``file``
    (the snapshot), ``name_as_published``, ``raw_code`` (団体コード as written), ``code_resolved_by_name``,
    ``population_date`` (人口算出基準日), ``issued_date`` (交付件数基準日).
    ``attrs["resolved_codes"]`` lists the ``<NA>`` codes resolved by name and prefecture.

    These are cards issued, not cards held (保有, the dashboard's ``my_number_card_holding_rate``):
    never join the two into one series.

    >>> cards = load_card_issuance()
    >>> cards["date"].nunique(), len(cards.attrs["resolved_codes"])
    (46, 34)
    """
    rd = _raw_dir(raw_dir)
    return _copy(_cards_cached(rd.resolve(), _signature(rd, ("card_issuance", "localgov", "prefectures"))))


__all__ = ["load_all_municipalities", "load_national_indicators", "load_national", "load_card_issuance",
           "load_national_sources", "load_national_manifest", "verify_national_raw", "check_digit",
           "NationalLoadReport"]
