"""The code list (localgovjp, Code for FUKUI): 6-digit 全国地方公共団体コード with check digit, names, prefectures.

>>> check_digit("14207")
'7'
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pandas as pd

from .. import config
from ..errors import Problem
from .common import COUNT, TOKYO, _csv_rows, _path, _raise, _signature

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
