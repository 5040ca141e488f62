"""Narration computed from the data: the sentences the notebooks print, in Japanese and English.

A notebook's prose must describe the data it shows, so every sentence that states a year or
a value is rendered here from the table (years, values, approximate marks, revisions) and the
catalogue (names and units). Markdown cells keep only timeless text.

>>> fy(2025), fy(2025, "en"), year_span([2024, 2022, 2023], "en")
('2025年度', 'FY2025', 'FY2022–FY2024')
>>> quantity(3108, "時間"), quantity(15.0, "%", "en", approximate=True), quantity(float("nan"), "件")
('3,108時間', '~15%', '—')
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import pandas as pd

from ..io.catalogue import load_indicators, load_municipalities

LANGS = ("ja", "en")


def _lang(lang: str) -> bool:
    if lang not in LANGS:
        raise ValueError(f"lang must be 'ja' or 'en', not {lang!r}")
    return lang == "ja"


def fy(year: int, lang: str = "ja") -> str:
    """``2025年度`` / ``FY2025``."""
    return f"{int(year)}年度" if _lang(lang) else f"FY{int(year)}"


def year_span(years: Iterable[int], lang: str = "ja") -> str:
    """The range of years present: ``2022〜2024年度`` / ``FY2022–FY2024`` (one year: ``FY2024``).

    >>> year_span([], "en"), year_span([2024]), year_span([2021, 2030])
    ('no year', '2024年度', '2021〜2030年度')
    """
    ys = sorted({int(y) for y in years if pd.notna(y)})
    if not ys:
        return "年度なし" if _lang(lang) else "no year"
    if len(ys) == 1:
        return fy(ys[0], lang)
    return f"{ys[0]}〜{ys[-1]}年度" if _lang(lang) else f"FY{ys[0]}–FY{ys[-1]}"


def number(value: float) -> str:
    """A value as a reader writes it: thousands separators, no trailing ``.0``; NaN is ``—``.

    >>> number(14000.0), number(80.3), number(0.5), number(float("nan"))
    ('14,000', '80.3', '0.5', '—')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
        return "—"
    v = float(value)
    if v.is_integer():
        return f"{int(v):,}"
    return f"{v:,.6g}" if abs(v) < 1e6 else f"{v:,.1f}"


def unit_of(indicator: str, lang: str = "ja") -> str:
    """The catalogue unit (``unit_en`` in English when the catalogue has one)."""
    row = load_indicators().loc[indicator]
    if not _lang(lang) and str(row.get("unit_en", "") or "").strip():
        return str(row["unit_en"])
    return str(row["unit"])


def name_of(indicator: str, lang: str = "ja") -> str:
    row = load_indicators().loc[indicator]
    return str(row["name_ja"] if _lang(lang) else row["name_en"])


def city(municipality: str, lang: str = "ja") -> str:
    row = load_municipalities().loc[municipality]
    return str(row["name_ja"] if _lang(lang) else row["name_en"])


def quantity(value: float, unit: str, lang: str = "ja", *, approximate: bool = False) -> str:
    """``3,108時間``, ``約15%`` / ``3,108 時間``, ``~15%``; a missing value is ``—``."""
    ja = _lang(lang)
    text = number(value)
    if text == "—":
        return text
    sep = "" if ja or unit in ("%", "") else " "
    mark = ("約" if ja else "~") if approximate else ""
    return f"{mark}{text}{sep}{unit}"


KIND_WORDS_JA = {"actual": "実績", "target": "目標", "estimate": "見込み・概算"}


def kind_word(kind: str, lang: str = "ja") -> str:
    """``実績`` / ``actual`` … (any kind the data holds; an unknown one is shown as it is)."""
    return KIND_WORDS_JA.get(kind, kind) if _lang(lang) else kind


def _as_of(as_of: str, lang: str) -> str:
    if not as_of or as_of != as_of:
        return ""
    return f"（{as_of}時点）" if _lang(lang) else f" (as of {as_of})"


def series_text(series: pd.DataFrame, lang: str = "ja", *, max_points: int = 5) -> str:
    """One sentence for one series (one municipality, indicator and kind, as from ``select_series``).

    Lists the years and values (the first and last ones when there are many), marks approximate
    figures, revisions by a newer document and missing values, and copes with no rows at all.
    """
    ja = _lang(lang)
    if series.empty:
        return "データなし" if ja else "no figures"
    first = series.iloc[0]
    ind, unit = first["indicator"], unit_of(first["indicator"], lang)
    head = (f"{city(first['municipality'], lang)}の{name_of(ind, lang)}（{kind_word(first['kind'], lang)}）"
            if ja else f"{city(first['municipality'], lang)}, {name_of(ind, lang)} ({first['kind']})")
    known = series.dropna(subset=["value"])
    if known.empty:
        n = len(series)
        return (f"{head}: {year_span(series['fiscal_year'], lang)}の{n}件とも数値なし（資料に「—」など）" if ja else
                f"{head}: no value stated for {year_span(series['fiscal_year'], lang)} ({n} row(s), all missing)")
    approx = (known["approximate"].astype("boolean").fillna(False) if "approximate" in known
              else pd.Series(False, index=known.index))
    as_of = known["as_of"].fillna("") if "as_of" in known else pd.Series("", index=known.index)
    points = [f"{fy(y, lang)}{_as_of(t, lang)} {quantity(v, unit, lang, approximate=bool(a))}"
              for y, v, a, t in zip(known["fiscal_year"], known["value"], approx, as_of)]
    if len(points) > max_points:
        points = [points[0], "…", points[-1]]
    text = f"{head}: " + " → ".join(points)
    missing = series[series["value"].isna()]
    if len(missing):
        text += (f"（{'、'.join(fy(y, lang) for y in missing['fiscal_year'])}は数値なし）" if ja else
                 f" (no value for {', '.join(fy(y, lang) for y in missing['fiscal_year'])})")
    if "revised" in series and series["revised"].fillna(False).astype(bool).any():
        ys = series.loc[series["revised"].fillna(False).astype(bool), "fiscal_year"]
        text += (f"（{'、'.join(fy(y, lang) for y in ys)}は新しい資料による訂正値）" if ja else
                 f" ({', '.join(fy(y, lang) for y in ys)} revised by a newer document)")
    return text


def change_text(series: pd.DataFrame, lang: str = "ja") -> str:
    """The latest year-on-year change of a series that went through ``metrics.yoy_change``.

    >>> s = pd.DataFrame({"indicator": ["telework_count"] * 2, "fiscal_year": [2023, 2024],
    ...                   "value": [753.0, 761.0], "change": [float("nan"), 8.0], "pct_change": [float("nan"), 1.06]})
    >>> change_text(s)
    '2024年度は前年度（2023年度）比 +8件（+1.1%）'
    """
    ja = _lang(lang)
    have = series.dropna(subset=["change"]) if "change" in series else series.iloc[0:0]
    if have.empty:
        return ("前年度と比べられる年度はありません（連続した2年度の数値がない）" if ja else
                "no year can be compared with the year before (no two consecutive years with values)")
    last = have.iloc[-1]
    unit = unit_of(last["indicator"], lang)
    sign = "+" if last["change"] >= 0 else "−"
    delta = quantity(abs(last["change"]), unit, lang)
    pct = f"{'+' if last['pct_change'] >= 0 else '−'}{abs(last['pct_change']):.1f}%" if pd.notna(last["pct_change"]) else "—"
    y = int(last["fiscal_year"])
    return (f"{fy(y, lang)}は前年度（{fy(y - 1, lang)}）比 {sign}{delta}（{pct}）" if ja else
            f"{fy(y, lang)} against {fy(y - 1, lang)}: {sign}{delta} ({pct})")


def growth_text(series: pd.DataFrame, lang: str = "ja", *, stated_only: bool = False) -> str:
    """The compound annual growth rate between the first and the latest year with a value, or why there is none.

    >>> s = pd.DataFrame({"fiscal_year": [2021, 2024], "value": [85.0, 408.0]})
    >>> growth_text(s, "en"), growth_text(s.iloc[:1], "en")
    ('compound annual growth FY2021–FY2024: +68.7% per year', 'no growth rate: fewer than two years have a value')
    """
    from .series import cagr, stated_years

    ja = _lang(lang)
    years = stated_years(series, stated_only).dropna(subset=["value"])["fiscal_year"]
    if years.nunique() < 2:
        return ("年平均成長率は計算できません（数値のある年度が2つ未満）" if ja else
                "no growth rate: fewer than two years have a value")
    start, end = int(years.min()), int(years.max())
    rate = cagr(series, start, end, stated_only=stated_only)
    span = year_span([start, end], lang)
    if rate != rate:
        return f"{span}の年平均成長率は計算できません（始点が0以下）" if ja else f"no growth rate for {span} (start not positive)"
    return f"{span}の年平均成長率 {rate:+.1%}" if ja else f"compound annual growth {span}: {rate:+.1%} per year"


def target_text(status: dict, target: float, target_year: int, unit: str, lang: str = "ja") -> str:
    """One target against its actuals (a row of ``metrics.trajectory`` / ``metrics.target_status``).

    >>> st = {"status": "attained", "latest_actual": 100.0, "latest_actual_year": 2025, "actual_at_target": 100.0,
    ...       "gap": 0.0, "required_growth": float("nan")}
    >>> target_text(st, 100.0, 2025, "%", "en")
    'target FY2025 100%: target year reached: attained (actual 100%)'
    >>> target_text(st | {"status": "missed", "actual_at_target": 60.0, "gap": -40.0}, 100.0, 2025, "%")
    '目標 2025年度 100%: 目標年度に到達: 未達（実績 60%、あと40ポイント）'
    """
    ja = _lang(lang)
    head = f"目標 {fy(target_year, lang)} {quantity(target, unit, lang)}" if ja else \
        f"target {fy(target_year, lang)} {quantity(target, unit, lang)}"
    s = status["status"]
    last, last_year = status.get("latest_actual"), status.get("latest_actual_year")
    gap_unit = ("ポイント" if ja else " points") if unit == "%" else None

    def amount(v):
        return f"{number(v)}{gap_unit}" if gap_unit else quantity(v, unit, lang)

    if s == "no_target":
        return f"{head}: 目標値なし（資料に「—」など）" if ja else f"{head}: no target value stated"
    if s in ("attained", "missed"):
        actual = quantity(status["actual_at_target"], unit, lang)
        if s == "attained":
            return (f"{head}: 目標年度に到達: 達成（実績 {actual}）" if ja else
                    f"{head}: target year reached: attained (actual {actual})")
        return (f"{head}: 目標年度に到達: 未達（実績 {actual}、あと{amount(-status['gap'])}）" if ja else
                f"{head}: target year reached: missed by {amount(-status['gap'])} (actual {actual})")
    if s == "awaiting_actual":
        return (f"{head}: 目標年度、実績未公表（最新は{fy(last_year, lang)} {quantity(last, unit, lang)}）" if ja else
                f"{head}: target year, no actual published yet (latest {fy(last_year, lang)}: "
                f"{quantity(last, unit, lang)})")
    if s == "no_actual":
        return (f"{head}: 目標年度を過ぎましたが、その年度の実績はありません（最新は{fy(last_year, lang)} "
                f"{quantity(last, unit, lang)}）" if ja else
                f"{head}: target year passed with no actual for it (latest {fy(last_year, lang)}: "
                f"{quantity(last, unit, lang)})")
    if last_year is None or last != last:
        return f"{head}: 比べられる実績はまだありません" if ja else f"{head}: no actual to compare yet"
    gap = float(target) - float(last)
    growth = status.get("required_growth")
    g = f"{growth:+.1%}" if growth == growth and growth is not None else "—"
    return (f"{head}: 最新の実績 {fy(last_year, lang)} {quantity(last, unit, lang)}、差 {amount(gap)}、"
            f"必要な伸び 年率{g}" if ja else
            f"{head}: latest actual {fy(last_year, lang)} {quantity(last, unit, lang)}, gap {amount(gap)}, "
            f"required growth {g} per year")


def trajectory_text(traj: pd.DataFrame, lang: str = "ja") -> list[str]:
    """One sentence per target row of ``metrics.trajectory`` (one series)."""
    if traj.empty:
        return ["目標はありません" if _lang(lang) else "no targets"]
    unit = unit_of(traj["indicator"].iloc[0], lang)
    return [target_text(r, r["value"], int(r["fiscal_year"]), unit, lang) for _, r in traj.iterrows()]


def coverage_text(kpis: pd.DataFrame, lang: str = "ja") -> str:
    """A Markdown list: per city, how many indicators have actuals / targets, and for which years."""
    ja = _lang(lang)
    lines = []
    for mun, g in kpis.groupby("municipality", sort=True):
        parts = []
        for kind in [*KIND_WORDS_JA, *sorted(set(g["kind"]) - set(KIND_WORDS_JA))]:
            k = g[g["kind"] == kind]
            if len(k):
                n, span = k["indicator"].nunique(), year_span(k["fiscal_year"], lang)
                parts.append(f"{kind_word(kind, lang)} {n}指標（{span}）" if ja else f"{n} indicators with {kind}s ({span})")
        lines.append(f"- {city(mun, lang)}: " + ("、".join(parts) if ja else "; ".join(parts)))
    return "\n".join(lines) if lines else ("データなし" if ja else "no figures")


def significant_digits(value: float) -> int:
    """How many significant digits a figure as written has (trailing zeros of a whole number not counted).

    >>> significant_digits(3.6), significant_digits(11200.0), significant_digits(0.05)
    (2, 3, 1)
    """
    digits = f"{abs(float(value)):.15g}".replace(".", "").lstrip("0").rstrip("0")
    return max(1, len(digits))


def round_significant(value: float, digits: int) -> float:
    """``value`` rounded to ``digits`` significant digits: 3111.1 → 3100.0 for 2.

    >>> round_significant(3111.1, 2), round_significant(0.9990, 2)
    (3100.0, 1.0)
    """
    if not value or value != value:
        return value
    return round(value, digits - 1 - math.floor(math.log10(abs(value))))


def ratio_text(num: pd.Series, den: pd.Series, lang: str = "ja") -> str:
    """``秦野市 2024年度: 3,108時間 ÷ 18業務 = 172.7時間／業務`` from two rows of one city and year. A ratio of an
    approximate figure (約, 程度) keeps the precision of its inputs: 約11,200時間 ÷ 約3.6人分 = 約3,100時間／人分."""
    ja = _lang(lang)
    u1, u2 = unit_of(num["indicator"], lang), unit_of(den["indicator"], lang)
    ratio = float(num["value"]) / float(den["value"]) if den["value"] else math.nan
    head = f"{city(num['municipality'], lang)} {fy(num['fiscal_year'], lang)}"
    approx = lambda row: bool(row.get("approximate", False)) if pd.notna(row.get("approximate", False)) else False  # noqa: E731
    if approx(num) or approx(den):
        ratio = round_significant(ratio, min(significant_digits(num["value"]), significant_digits(den["value"])))
        shown = ("約" if ja else "~") + (f"{ratio:,.6g}" if ratio < 1000 else f"{ratio:,.0f}")
    else:
        shown = f"{ratio:,.1f}"
    per = f"{shown}{u1}／{u2}" if ja else f"{shown} {u1} per {u2}"
    return (f"{head}: {quantity(num['value'], u1, lang, approximate=approx(num))} ÷ "
            f"{quantity(den['value'], u2, lang, approximate=approx(den))} = {per}")


def basis_text(lang: str = "ja") -> str:
    """Which figures the analysis uses: all of them; those whose fiscal year is read from a heading or the table
    layout rather than stated with the figure are drawn as half-filled markers (the legend says so)."""
    if _lang(lang):
        return ("使用した数値: すべて（年度が引用文になく見出しや表の位置から読み取ったものを含む。"
                "図ではその点を半塗りの印で示します）")
    return ("figures used: all (including those whose fiscal year is read from a heading or the table layout "
            "rather than stated with the figure; charts draw them as half-filled markers)")


def show(*paragraphs: str) -> None:
    """Display sentences as Markdown in a notebook (one paragraph each); print them elsewhere."""
    text = "\n\n".join(p for p in paragraphs if p)
    try:
        from IPython import get_ipython
        from IPython.display import Markdown, display
    except ImportError:  # pragma: no cover
        print(text)
        return
    if get_ipython() is None:
        print(text)
    else:
        display(Markdown(text))
