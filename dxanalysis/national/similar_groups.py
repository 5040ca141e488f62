"""類似団体区分 (the ministry's similar-municipality class) of every municipality, FY2020–FY2024, and the
official class averages of four finance ratios.

Read from a derived JSON (hamady-cloud's ``official-data.json``) whose class strings are copied verbatim from
デジタル庁・総務省『地方財政（市町村ごと）データテーブル』. Each entry is keyed by the 5-digit
全国地方公共団体コード without its check digit (``c``: ``14207`` = 茅ヶ崎市 = ``142077``): the check digit is
computed and the entry is matched to the code list (localgovjp) by code, name and prefecture — all 1,741, none
missing, none extra, else an :class:`~dxanalysis.errors.ExtractError` naming the file, the entry and the key.

Used: ``c``, ``n``, ``p``, ``g`` (class per year), ``pop``, ``v.f`` (財政力指数, official), ``v.o``/``v.d``/``v.b``
(rounded to whole percent by the builder) and ``groupAverages`` (official class averages). Not used: ``r``,
``pe``, ``comp`` (the builder's own computations).
"""

from __future__ import annotations

import functools
import json
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import Problem
from .codes import _code_list, check_digit
from .common import COUNT, _copy, _path, _raise, _raw_dir, _signature

SIMILAR_GROUPS = "similar_groups_fiscal_2020_2024"
SIMILAR_GROUPS_MEMBER = f"{SIMILAR_GROUPS}/official-data.json"
"""The JSON inside ``data/national/raw/similar_groups_fiscal_2020_2024.zip``."""
SIMILAR_GROUP_YEAR = 2023
"""The fiscal year whose 類似団体区分 is compared by default: the 2024-07-12 dashboard's surveys are of 2023
(推進体制 as of 2023-04-01, AI/RPA as of 2023-12-31), so its municipalities are compared in their FY2023 class."""
FINANCE_RATIOS = {
    "f": ("fiscal_strength_index", "財政力指数", "fiscal strength index"),
    "o": ("current_balance_ratio", "経常収支比率", "current balance ratio"),
    "d": ("real_debt_service_ratio", "実質公債費比率", "real debt service ratio"),
    "b": ("future_burden_ratio", "将来負担比率", "future burden ratio"),
}
"""JSON key → (column, Japanese name, English name) of the four ratios whose class averages are official.
A municipality's own ``f`` is official; its ``o``, ``d``, ``b`` are rounded to whole percent by the builder."""
OFFICIAL_OWN_RATIOS = ("fiscal_strength_index",)
"""The ratios whose per-municipality value in the JSON is the official one (not re-rounded)."""


def _read_json(raw_dir: Path) -> dict:
    """The JSON of the bundled zip; an unreadable zip or JSON is an ExtractError naming it."""
    path = _path(raw_dir, "similar_groups")
    try:
        with zipfile.ZipFile(path) as z:
            data = json.loads(z.read(SIMILAR_GROUPS_MEMBER).decode("utf-8"))
    except (OSError, KeyError, zipfile.BadZipFile, UnicodeDecodeError, json.JSONDecodeError) as exc:
        _raise([Problem(SIMILAR_GROUPS_MEMBER, None, None, None, "unreadable_file", str(exc)[:200])])
    if not isinstance(data, dict) or not isinstance(data.get("municipalities"), list):
        _raise([Problem(SIMILAR_GROUPS_MEMBER, None, "municipalities", None, "national_header_mismatch",
                        "expected an object with a list 'municipalities'")])
    return data


def _years(data: dict) -> list[int]:
    years = data.get("years")
    if not (isinstance(years, list) and years and all(isinstance(y, int) for y in years)):
        _raise([Problem(SIMILAR_GROUPS_MEMBER, None, "years", years, "national_header_mismatch",
                        "expected a list of fiscal years")])
    return years


def _entry_code(entry: dict, i: int, problems: list[Problem]) -> str | None:
    """The 6-digit code of one entry (its ``c`` plus the computed check digit), or None with a Problem."""
    c = entry.get("c") if isinstance(entry, dict) else None
    where = dict(file=SIMILAR_GROUPS_MEMBER, row=i + 1, column="c", value=c)
    if isinstance(c, str) and COUNT.fullmatch(c) and len(c) == 6 and check_digit(c[:5]) != c[5]:
        problems.append(Problem(**where, code="national_code_mismatch",
                                detail=f"municipalities[{i}]: check digit should be {check_digit(c[:5])}; "
                                       "the key is the 5-digit code without check digit"))
    elif not (isinstance(c, str) and COUNT.fullmatch(c) and len(c) == 5):
        problems.append(Problem(**where, code="national_code_mismatch",
                                detail=f"municipalities[{i}]: not a 5-digit code without check digit"))
    else:
        return c + check_digit(c)
    return None


def _entry_rows(entry: dict, i: int, years: list[int], problems: list[Problem]) -> list[list] | None:
    """One row per year: class, population and the four ratios; a malformed list is a Problem naming its key."""
    n = len(years)
    g, pop, v = entry.get("g"), entry.get("pop"), entry.get("v") or {}
    ok = True
    for key, arr in (("g", g), ("pop", pop), *((f"v.{k}", v.get(k)) for k in FINANCE_RATIOS)):
        if not (isinstance(arr, list) and len(arr) == n):
            problems.append(Problem(SIMILAR_GROUPS_MEMBER, i + 1, key, entry.get("c"), "national_bad_cell",
                                    f"municipalities[{i}].{key}: expected a list of {n} values (one per year)"))
            ok = False
    if not ok:
        return None
    for j, cls in enumerate(g):
        if not (isinstance(cls, str) and cls.strip()):
            problems.append(Problem(SIMILAR_GROUPS_MEMBER, i + 1, f"g[{j}]", cls, "national_bad_cell",
                                    f"municipalities[{i}]: no 類似団体区分 for {years[j]}"))
    return [[years[j], g[j], _number(pop[j]), *(_number(v[k][j]) for k in FINANCE_RATIOS)] for j in range(n)]


def _number(value) -> float:
    """A JSON number as float; null (no value) stays missing, never 0."""
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else np.nan


def _check_coverage(found: dict[str, int], codes: pd.DataFrame, problems: list[Problem]) -> None:
    for code in sorted(set(codes["lg_code"]) - set(found)):
        problems.append(Problem(SIMILAR_GROUPS_MEMBER, None, "c", code[:5], "national_code_mismatch",
                                f"{code} of the code list has no entry (key {code[:5]!r} missing)"))


@functools.lru_cache(maxsize=4)
def _similar_groups_cached(raw_dir: Path, signature: tuple) -> pd.DataFrame:
    codes = _code_list(raw_dir).set_index("lg_code")
    data = _read_json(raw_dir)
    years = _years(data)
    problems: list[Problem] = []
    found: dict[str, int] = {}
    rows = []
    for i, entry in enumerate(data["municipalities"]):
        code = _entry_code(entry, i, problems)
        if code is None:
            continue
        if code not in codes.index:
            problems.append(Problem(SIMILAR_GROUPS_MEMBER, i + 1, "c", entry["c"], "national_code_mismatch",
                                    f"municipalities[{i}]: {code} is not in the code list"))
            continue
        if code in found:
            problems.append(Problem(SIMILAR_GROUPS_MEMBER, i + 1, "c", entry["c"], "national_duplicate_code",
                                    f"municipalities[{i}] and [{found[code]}]"))
            continue
        found[code] = i
        for key, col in (("n", "name_ja"), ("p", "prefecture")):
            if entry.get(key) != codes.at[code, col]:
                problems.append(Problem(SIMILAR_GROUPS_MEMBER, i + 1, key, entry.get(key), "national_name_mismatch",
                                        f"municipalities[{i}]: the code list has {codes.at[code, col]!r} for {code}"))
        per_year = _entry_rows(entry, i, years, problems)
        rows += [[code, *r, i + 1] for r in per_year or []]
    _check_coverage(found, codes.reset_index(), problems)
    _raise(problems)
    cols = ["lg_code", "fiscal_year", "similar_group", "population",
            *(c for c, _, _ in FINANCE_RATIOS.values()), "entry"]
    df = pd.DataFrame(rows, columns=cols).astype({"lg_code": "str", "similar_group": "str", "fiscal_year": "int64"})
    df = df.sort_values(["lg_code", "fiscal_year"], kind="stable").reset_index(drop=True)
    df.attrs["group_averages"] = data.get("groupAverages") or {}
    df.attrs["years"] = years
    return df


def load_similar_groups(*, raw_dir: str | Path | None = None) -> pd.DataFrame:
    """The 類似団体区分 of every municipality and fiscal year: one row per (``lg_code``, ``fiscal_year``).

    Columns: ``lg_code`` (6 digits with the computed check digit), ``fiscal_year``, ``similar_group`` (the
    class string as published, e.g. ``施行時特例市``, ``一般市Ⅳ－３``, ``町村Ⅱ－１``), ``population``
    (人口数), ``fiscal_strength_index`` (財政力指数, official), ``current_balance_ratio``,
    ``real_debt_service_ratio``, ``future_burden_ratio`` (as the JSON gives them: rounded to whole percent)
    and ``entry`` (1-based position of the municipality in the JSON's list).

    >>> g = load_similar_groups().set_index(["lg_code", "fiscal_year"])
    >>> g.loc[("142077", 2023), "similar_group"], g.loc[("142115", 2023), "similar_group"]
    ('施行時特例市', '一般市Ⅳ－３')
    """
    rd = _raw_dir(raw_dir)
    return _copy(_similar_groups_cached(rd.resolve(), _signature(rd, ("localgov", "prefectures", "similar_groups"))))


def similar_group_of(similar_groups: pd.DataFrame, *, year: int = SIMILAR_GROUP_YEAR) -> pd.DataFrame:
    """``lg_code`` → ``similar_group`` and ``similar_group_year`` for one fiscal year (an unknown year is an error)."""
    have = sorted(similar_groups["fiscal_year"].unique().tolist())
    if year not in have:
        raise ValueError(f"similar_group_year {year!r}: the 類似団体区分 covers the fiscal years {have}")
    one = similar_groups[similar_groups["fiscal_year"] == year]
    return pd.DataFrame({"lg_code": one["lg_code"].to_numpy(), "similar_group": one["similar_group"].to_numpy(),
                         "similar_group_year": np.full(len(one), year, dtype="int64")}).astype({"lg_code": "str",
                                                                                             "similar_group": "str"})


def similar_group_changes(similar_groups: pd.DataFrame) -> pd.DataFrame:
    """Every change of class between consecutive fiscal years: one row per municipality and change, with
    ``lg_code``, ``year_from``, ``similar_group_from``, ``year_to``, ``similar_group_to``.

    >>> g = pd.DataFrame({"lg_code": ["a"] * 3 + ["b"] * 3, "fiscal_year": [2020, 2021, 2022] * 2,
    ...                   "similar_group": ["町村Ⅰ－１", "町村Ⅰ－２", "町村Ⅰ－２", "中核市", "中核市", "中核市"]})
    >>> similar_group_changes(g).values.tolist()
    [['a', 2020, '町村Ⅰ－１', 2021, '町村Ⅰ－２']]
    """
    g = similar_groups.sort_values(["lg_code", "fiscal_year"], kind="stable")
    before = g.groupby("lg_code", sort=False)[["fiscal_year", "similar_group"]].shift(1)
    changed = before["similar_group"].notna() & (before["similar_group"] != g["similar_group"])
    out = pd.DataFrame({"lg_code": g["lg_code"], "year_from": before["fiscal_year"],
                        "similar_group_from": before["similar_group"], "year_to": g["fiscal_year"],
                        "similar_group_to": g["similar_group"]})[changed.to_numpy()]
    return out.astype({"year_from": "int64"}).reset_index(drop=True)


def load_similar_group_averages(*, raw_dir: str | Path | None = None) -> pd.DataFrame:
    """The official 類似団体 averages: one row per (``similar_group``, ``fiscal_year``, ``ratio``) with ``value``
    (missing where the class has no average that year, e.g. a class without members), ``ratio`` one of
    :data:`FINANCE_RATIOS` columns, ``name_ja`` / ``name_en`` the ratio's name.

    >>> a = load_similar_group_averages().set_index(["similar_group", "fiscal_year", "ratio"])
    >>> float(a.loc[("施行時特例市", 2023, "fiscal_strength_index"), "value"])
    0.87
    """
    groups = load_similar_groups(raw_dir=raw_dir)
    years, averages = groups.attrs["years"], groups.attrs["group_averages"]
    rows = [[cls, years[j], col, ja, en, _number((per.get(key) or [None] * len(years))[j])]
            for cls, per in averages.items() for key, (col, ja, en) in FINANCE_RATIOS.items() for j in range(len(years))]
    return pd.DataFrame(rows, columns=["similar_group", "fiscal_year", "ratio", "name_ja", "name_en", "value"]).astype(
        {"similar_group": "str", "ratio": "str", "name_ja": "str", "name_en": "str"})
