"""Notebook 06, between two releases of the DX dashboard: per city and indicator present in both with the same row
label and unit, the change; the indicators that cannot be compared are named, never compared (issue 23)."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from .kpi_summaries import _by_indicator, _ja, city_names
from .series import require_columns

RELEASE_CHANGE_COLUMNS = ["lg_code", "indicator", "release_from", "release_to", "value_from", "value_to", "change",
                          "comparable", "reason"]
"""The columns of :func:`release_changes`."""


def _release_date(release: str) -> str:
    return f"{release[:4]}-{release[4:6]}-{release[6:]}"


def release_changes(national: pd.DataFrame, lg_codes: Iterable[str]) -> pd.DataFrame:
    """The last two releases of ``national`` (``load_national(release="all")``) side by side for ``lg_codes``.

    ``comparable`` where the indicator is in both releases with the same row label (spaces trimmed) and unit;
    ``change`` = new − old where both have a value (NaN otherwise, never 0); ``reason`` says why a row is not
    comparable. Fewer than two releases: no rows.

    >>> nat = pd.DataFrame({"lg_code": ["a"] * 4, "indicator": ["x", "y"] * 2, "value": [70.0, 1.0, 72.0, 1.0],
    ...                     "unit": ["%", "flag"] * 2, "row_label": ["X", "Y", "X", "Y2"],
    ...                     "release": ["20240712"] * 2 + ["20250101"] * 2})
    >>> release_changes(nat, ["a"])[["indicator", "change", "comparable", "reason"]].values.tolist()
    [['x', 2.0, True, ''], ['y', nan, False, 'row label changed: Y → Y2']]
    """
    require_columns(national, "lg_code", "indicator", "value", "unit", "row_label", "release")
    releases = sorted(national["release"].unique())
    if len(releases) < 2:
        return pd.DataFrame(columns=RELEASE_CHANGE_COLUMNS)
    old, new = releases[-2:]
    mine = national[national["lg_code"].isin(list(lg_codes))]
    cols = ["lg_code", "indicator", "value", "unit", "row_label"]
    both = mine.loc[mine["release"] == old, cols].merge(mine.loc[mine["release"] == new, cols],
                                                         on=["lg_code", "indicator"], how="outer",
                                                         suffixes=("_from", "_to"), indicator=True, sort=False)
    label_from, label_to = both["row_label_from"].str.strip(), both["row_label_to"].str.strip()
    reason = pd.Series("", index=both.index, dtype="str")
    reason = reason.mask(both["unit_from"] != both["unit_to"], "unit changed: " + both["unit_from"].astype("str") +
                         " → " + both["unit_to"].astype("str"))
    reason = reason.mask(label_from != label_to, "row label changed: " + label_from.astype("str") + " → " +
                         label_to.astype("str"))
    reason = reason.mask(both["_merge"] == "left_only", f"not in {new}").mask(both["_merge"] == "right_only",
                                                                                 f"not in {old}")
    comparable = reason == ""
    out = both.assign(release_from=old, release_to=new, comparable=comparable, reason=reason,
                      change=(both["value_to"] - both["value_from"]).where(comparable))
    return out[RELEASE_CHANGE_COLUMNS].reset_index(drop=True)


def release_change_text(changes: pd.DataFrame, releases: list[str], lang: str = "ja",
                        names: dict[str, str] | None = None) -> str:
    """What the release comparison found: how many city × indicator pairs compare, how many changed, which
    indicators cannot be compared (by ``names``, else by id; row label or unit changed, or in one release only: its
    definition may have changed) — or that only one release is stored."""
    ja = _ja(lang)
    if len(releases) < 2:
        only = _release_date(releases[0]) if releases else "—"
        return (f"ダッシュボードは {only} 版だけが入っています。次の版を「dxanalysis national add」で加えると、版の間の変化をここに示します。"
                if ja else f"Only the {only} release of the dashboard is stored; add the next one with "
                           f"dxanalysis national add to see the changes between releases here.")
    old, new = (_release_date(r) for r in releases[-2:])
    comp = changes[changes["comparable"]]
    changed = int((comp["change"].fillna(0) != 0).sum() + (comp["value_from"].isna() != comp["value_to"].isna()).sum())
    bad = [(names or {}).get(i, i) for i in dict.fromkeys(changes.loc[~changes["comparable"], "indicator"])]
    if ja:
        why = "（行見出しか単位が変わった、または一方の版にない: 定義が変わったかもしれず、変化は計算しません）" if bad else ""
        return (f"{old} 版 → {new} 版: 行見出しと単位が同じ {len(comp):,} 組（市×指標）のうち {changed:,} 組で値が変わりました。"
                f"比較できない指標{why}: {'、'.join(bad) if bad else 'なし'}。")
    why = (" (row label or unit changed, or in one release only: the definition may have changed, so no change is "
           "computed)") if bad else ""
    return (f"{old} → {new}: of the {len(comp):,} city × indicator pairs with the same row label and unit, {changed:,} "
            f"changed. Indicators that cannot be compared{why}: {', '.join(bad) if bad else 'none'}.")


TABLE_HEADERS = {"municipality": ("市区町村", "municipality"), "indicator": ("指標", "indicator"),
                 "release_from": ("旧版", "from release"), "release_to": ("新版", "to release"),
                 "value_from": ("旧版の値", "value then"), "value_to": ("新版の値", "value now"),
                 "change": ("変化", "change"), "reason": ("比較できない理由", "why not comparable")}
"""The columns :func:`release_change_table` shows, in each language (``comparable`` is said by an empty reason)."""


def reason_text(reason: str, lang: str = "ja") -> str:
    """Why a pair is not comparable (:func:`release_changes`' ``reason``), in the reader's language.

    >>> reason_text("row label changed: CIOの任命 → CIO（最高情報責任者）の任命")
    '行見出しが変わった: CIOの任命 → CIO（最高情報責任者）の任命'
    >>> reason_text("not in 20250101"), reason_text("unit changed: % → flag"), reason_text("", "en")
    ('2025-01-01 版にない', '単位が変わった: % → flag', '')
    """
    if not _ja(lang) or not reason:
        return reason
    if reason.startswith("row label changed: "):
        return "行見出しが変わった: " + reason.removeprefix("row label changed: ")
    if reason.startswith("unit changed: "):
        return "単位が変わった: " + reason.removeprefix("unit changed: ")
    if reason.startswith("not in "):
        return f"{_release_date(reason.removeprefix('not in '))} 版にない"
    return reason


def release_change_table(national: pd.DataFrame, cities: pd.DataFrame, catalogue: pd.DataFrame, *,
                         lang: str = "ja"):
    """The pairs of :func:`release_changes` whose value changed or that cannot be compared, with the city's and
    the indicator's names, captioned by :func:`release_change_text` (a pandas Styler: one output)."""
    names, cat = city_names(cities, lang), _by_indicator(catalogue)
    changes = release_changes(national, list(names))
    shown = changes[~changes["comparable"] | (changes["change"].fillna(0) != 0) |
                    (changes["value_from"].isna() != changes["value_to"].isna())]
    table = shown.assign(municipality=shown["lg_code"].map(names),
                         indicator=shown["indicator"].map(cat["name_ja" if _ja(lang) else "name_en"]),
                         reason=shown["reason"].map(lambda r: reason_text(r, lang)),
                         release_from=shown["release_from"].map(_release_date),
                         release_to=shown["release_to"].map(_release_date))
    table = table[list(TABLE_HEADERS)].rename(columns={k: v[0 if _ja(lang) else 1] for k, v in TABLE_HEADERS.items()})
    text = release_change_text(changes, sorted(national["release"].unique()), lang,
                               cat["name_ja" if _ja(lang) else "name_en"].to_dict())
    return table.style.set_caption(text).format(precision=1, na_rep="—").hide(axis="index")
