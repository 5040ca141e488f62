"""SSDSE-A (統計センター): population (2020 census), 一般行政部門職員数 and area of every municipality."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .. import config
from ..errors import Problem
from .common import COUNT, _col, _path, _raise, _read_frame

SSDSE_ITEMS = {
    "population": ("A1101", "総人口"),
    "staff_general_admin": ("D1202", "一般行政部門職員数（市区町村）"),
    "area_ha": ("B1101", "総面積（北方地域及び竹島を除く）"),
}
"""Covariates read from SSDSE-A: column → (item code in header row 1, item name in header row 3)."""
SSDSE_HEADER_ROWS = 3
SSDSE_ENCODING = "cp932"


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
