"""All 1,741 municipalities: the code list joined with SSDSE-A, every join checked."""

from __future__ import annotations

import functools
from pathlib import Path

import pandas as pd

from .. import config
from ..errors import Problem
from .codes import _code_list
from .common import HA_PER_KM2, LOCALGOV, SSDSE, _copy, _raise, _raw_dir, _signature
from .similar_groups import (
    SIMILAR_GROUP_YEAR,
    SIMILAR_GROUPS,
    load_similar_groups,
    similar_group_of,
)
from .ssdse import _ssdse

# ---------------------------------------------------------------- municipalities

@functools.lru_cache(maxsize=4)
def _municipalities_cached(raw_dir: Path, signature: tuple, similar_group_year: int) -> pd.DataFrame:
    codes = _code_list(raw_dir)
    cov, years = _ssdse(raw_dir, codes)
    df = codes.drop(columns="_row").merge(cov, on="lg_code", how="left", validate="one_to_one")
    df["area_km2"] = df["area_ha"] / HA_PER_KM2
    df["population_year"] = years["population"]
    df["staff_year"] = years["staff_general_admin"]
    df["area_year"] = years["area_ha"]
    df.insert(6, "slug", _slugs(df["lg_code"]))
    groups = similar_group_of(load_similar_groups(raw_dir=raw_dir), year=similar_group_year)
    df = df.merge(groups, on="lg_code", how="left", validate="one_to_one")
    df = df[["lg_code", "name_ja", "name_kana", "prefecture", "prefecture_code", "prefecture_en", "slug",
             "municipality_type", "similar_group", "similar_group_year", "population", "staff_general_admin", "area_km2", "area_ha",
             "population_year", "staff_year", "area_year", "ssdse_row"]]
    df.attrs["covariate_years"] = {"population": years["population"], "staff_general_admin": years["staff_general_admin"],
                                   "area_km2": years["area_ha"]}
    df.attrs["sources"] = {"code list": LOCALGOV, "covariates": SSDSE, "similar groups": SIMILAR_GROUPS}
    return df


def _slugs(lg_code: pd.Series) -> pd.Series:
    """The project's slugs (data/municipalities.csv) for the three cities; missing elsewhere."""
    from ..io.catalogue import load_municipalities

    cities = load_municipalities()
    cities = cities[cities["lg_code"] != ""]
    by_code = dict(zip(cities["lg_code"], cities["municipality"]))
    absent = sorted(set(by_code) - set(lg_code))
    if absent:
        _raise([Problem(config.MUNICIPALITIES_CSV.name, None, "lg_code", c, "national_code_mismatch",
                        "a project city's code is not in the national code list") for c in absent])
    return lg_code.map(by_code).astype("str")


def load_all_municipalities(*, raw_dir: str | Path | None = None,
                            similar_group_year: int = SIMILAR_GROUP_YEAR) -> pd.DataFrame:
    """The 1,741 municipalities of Japan in ascending ``lg_code``, with SSDSE-A covariates.

    Columns: ``lg_code`` (6 digits with check digit), ``name_ja``, ``name_kana``, ``prefecture``,
    ``prefecture_code``, ``prefecture_en``, ``slug`` (chigasaki / hadano / minamiboso, else missing),
    ``municipality_type`` (政令指定都市, 特別区, 市, 町, 村), ``similar_group`` (類似団体区分 as published, e.g.
    施行時特例市, 一般市Ⅳ－３, 町村Ⅱ－１) of the fiscal year ``similar_group_year``, ``population`` (2020 census),
    ``staff_general_admin`` (一般行政部門職員数), ``area_km2`` (and ``area_ha`` as published),
    ``population_year``, ``staff_year``, ``area_year`` (as printed in SSDSE-A row 2) and ``ssdse_row``
    (the line of the municipality in SSDSE-A). ``attrs["covariate_years"]`` maps column → year.

    ``municipality_type``: 政令指定都市 = a city that has wards (区) in localgovjp; 特別区 = a name
    ending in 区 in 東京都; otherwise the last character of the name (市, 町, 村).

    Args:
        raw_dir: a folder laid out like ``data/national/raw`` (tests); ``None`` for the bundled copies.
        similar_group_year: the fiscal year of the 類似団体区分 (FY2020–FY2024); default
            :data:`~dxanalysis.national.similar_groups.SIMILAR_GROUP_YEAR` (2023), the year of the surveys of the
            2024-07-12 dashboard the class is compared with. Classes that changed between years:
            :func:`~dxanalysis.national.similar_groups.similar_group_changes`.

    >>> m = load_all_municipalities()
    >>> from dxanalysis.national.common import MUNICIPALITY_TYPES
    >>> m["municipality_type"].value_counts().reindex(list(MUNICIPALITY_TYPES)).to_dict()
    {'政令指定都市': 20, '特別区': 23, '市': 772, '町': 743, '村': 183}
    """
    rd = _raw_dir(raw_dir)
    signature = _signature(rd, ("localgov", "prefectures", "ssdse_a", "similar_groups"))
    return _copy(_municipalities_cached(rd.resolve(), signature, similar_group_year))
