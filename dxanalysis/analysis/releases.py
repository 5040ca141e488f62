"""One release at a time: every ranking, median, share and text on the dashboard's national table is computed
within one release of it (``load_national()`` holds every stored release, a ``release`` column telling them apart).

A table with several releases given to such a function is refused (:func:`one_release`), never silently pooled:
(lg_code, indicator) would repeat and a median would mix two dates. Pick one with :func:`latest_release` (or
``load_national(release="latest")`` / ``release="YYYYMMDD"``). Only the release comparison
(:func:`~dxanalysis.analysis.release_summaries.release_changes`) takes several.
"""

from __future__ import annotations

import pandas as pd


def one_release(national: pd.DataFrame, what: str) -> None:
    """Refuse a national table holding more than one release (a table without a ``release`` column is one).

    >>> one_release(pd.DataFrame({"release": ["20240712", "20250101"]}), "standing")
    Traceback (most recent call last):
    ...
    ValueError: standing: the national table holds 2 releases (20240712, 20250101); ranks, medians and shares are computed within one — pass latest_release(national) or load_national(release="YYYYMMDD")
    """
    if "release" not in national.columns:
        return
    releases = sorted(national["release"].dropna().unique())
    if len(releases) > 1:
        raise ValueError(f"{what}: the national table holds {len(releases)} releases ({', '.join(releases)}); ranks, "
                         f"medians and shares are computed within one — pass latest_release(national) or "
                         f'load_national(release="YYYYMMDD")')


def latest_release(national: pd.DataFrame) -> pd.DataFrame:
    """The rows of the newest release (releases are named YYYYMMDD, so the largest is the newest); attrs kept.

    >>> nat = pd.DataFrame({"value": [1.0, 2.0], "release": ["20240712", "20250101"]})
    >>> latest_release(nat)["value"].tolist()
    [2.0]
    """
    if "release" not in national.columns or national["release"].nunique() <= 1:
        return national
    out = national[national["release"] == national["release"].max()].reset_index(drop=True)
    out.attrs = dict(national.attrs)
    return out


RELEASE_FIELDS = ("reference_period", "period_basis", "source_id", "label_ja")
"""What the national catalogue says of a release that another release may say differently: its periods (the
catalogue's are 2024-07-12's; another release's are "not established"), its source and its row labels."""


def release_catalogue(national: pd.DataFrame, catalogue: pd.DataFrame) -> pd.DataFrame:
    """The national catalogue as the one release in ``national`` reads it: :data:`RELEASE_FIELDS` taken from the
    release's own rows (``row_label`` for ``label_ja``), so that no period or source of the bundled release is
    printed beside another release's figures. For the bundled release it is the catalogue unchanged.

    >>> cat = pd.DataFrame({"indicator": ["x"], "reference_period": ["2023-04-01"], "period_basis": ["stated"],
    ...                     "source_id": ["d_20240712"], "label_ja": ["X"], "unit": ["%"]})
    >>> nat = pd.DataFrame({"indicator": ["x", "x"], "reference_period": ["not established"] * 2,
    ...                     "period_basis": ["unknown"] * 2, "source_id": ["d_20250101"] * 2, "row_label": ["X2"] * 2,
    ...                     "release": ["20250101"] * 2})
    >>> release_catalogue(nat, cat).iloc[0].tolist()
    ['x', 'not established', 'unknown', 'd_20250101', 'X2', '%']
    """
    one_release(national, "release_catalogue")
    own = national.rename(columns={"row_label": "label_ja"}).groupby("indicator", sort=False)[list(RELEASE_FIELDS)].first()
    out = catalogue.copy()
    found = out["indicator"].isin(own.index)
    for col in RELEASE_FIELDS:
        out.loc[found, col] = out.loc[found, "indicator"].map(own[col]).to_numpy()
    out.attrs = dict(catalogue.attrs)
    return out
