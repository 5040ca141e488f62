"""The three cities among all municipalities: distributions, adoption shares, usage heatmap, supply vs usage,
card-issuance trend."""

from __future__ import annotations

import pandas as pd
from matplotlib.lines import Line2D

from ..analysis.releases import one_release
from ..analysis.national_summaries import period_label
from ..analysis.peers import MEDIAN_MIN_N
from ..analysis.series import require_columns
from ..io.catalogue import load_municipalities
from .style import CITY_COLORS, LEGEND_BELOW, _check_lang, _new_ax, city_label

# ---------------------------------------------------------------- national context (issue 13)
# Charts of the three cities among all municipalities (data: dxanalysis.national; verbs: metrics).
# Municipalities are keyed by ``lg_code``; the three cities get their colours and names from
# data/municipalities.csv, every other municipality is grey. Labels come from the national
# indicator catalogue (``name_ja`` / ``name_en``, ``unit``).

NATIONAL_WORDS = {
    "ja": {"municipalities": "市区町村数", "national_median": "全国中央値", "value": "各市の値",
           "prefecture_median": "同じ都道府県の中央値", "peers_median": "類似団体の中央値", "peers_short": "類似団体\nの中央値",
           "prefecture_share": "同じ都道府県で実施している割合", "peers_share": "類似団体で実施している割合",
           "national_share": "全国で実施している割合", "share": "実施している団体の割合（%、調査無しは分母から除く）",
           "adopted": "塗りつぶし: その市は実施", "not_adopted": "白抜き: その市は未実施",
           "supply": "提供: オンライン化済みの手続の割合", "usage": "利用: 手続ごとのオンライン利用率",
           "usage_median": "利用率の中央値（値のある手続）", "usage_26": "子育て・介護26手続",
           "usage_32": "よく使う32手続", "percent": "%", "iqr": "全国の四分位範囲（25〜75%）",
           "issued_rate": "交付枚数 ÷ 人口（%）", "date": "時点", "no_usage": "利用率の値なし",
           "issuance_title": "マイナンバーカード交付率の推移（交付枚数。保有率とは別の指標）",
           "usage_title": "手続ごとのオンライン利用率（%）",
           "supply_usage_title": "オンライン化（提供）と実際のオンライン利用",
           "adoption_title": "取組を実施している団体の割合", "n": "団体"},
    "en": {"municipalities": "municipalities", "national_median": "national median", "value": "the city's value",
           "prefecture_median": "median of its prefecture", "peers_median": "median of its similar municipalities",
           "peers_short": "similar\nmunicipalities' median",
           "prefecture_share": "share adopting in its prefecture", "peers_share": "share adopting among its similar municipalities",
           "national_share": "share adopting nationally", "share": "municipalities adopting (%; not surveyed excluded)",
           "adopted": "filled: the city has adopted it", "not_adopted": "hollow: the city has not",
           "supply": "supply: procedures available online",
           "usage": "usage: online share, per procedure",
           "usage_median": "median usage", "usage_26": "26 child-care and\ncare procedures",
           "usage_32": "32 frequent\nprocedures", "percent": "%", "iqr": "national interquartile range (25–75%)",
           "issued_rate": "cards issued ÷ population (%)", "date": "date", "no_usage": "no usage values",
           "issuance_title": "My Number cards issued per population (issued, not held)",
           "usage_title": "Online usage rate per procedure (%)",
           "supply_usage_title": "Procedures available online (supply) and online usage",
           "adoption_title": "Share of municipalities adopting each measure", "n": "municipalities"},
}


def _national_words(lang: str) -> dict[str, str]:
    _check_lang(lang)
    return NATIONAL_WORDS[lang]


def _national_catalogue(catalogue: pd.DataFrame | None) -> pd.DataFrame:
    if catalogue is None:
        from ..national.catalogue import load_national_indicators

        catalogue = load_national_indicators()
    require_columns(catalogue, "indicator", "name_ja", "name_en", "unit")
    return catalogue.set_index("indicator", drop=False)


def national_indicator_label(indicator: str, lang: str = "ja", *, catalogue: pd.DataFrame | None = None,
                             with_unit: bool = True) -> str:
    """The national catalogue's name of an indicator (``name_ja`` / ``name_en``), with ``%`` where it is one.

    >>> cat = pd.DataFrame({"indicator": ["h"], "name_ja": ["保有率"], "name_en": ["holding"], "unit": ["%"]})
    >>> national_indicator_label("h", catalogue=cat), national_indicator_label("h", "en", catalogue=cat)
    ('保有率（%）', 'holding (%)')
    """
    _check_lang(lang)
    row = _national_catalogue(catalogue).loc[indicator]
    name = row["name_ja"] if lang == "ja" else row["name_en"]
    if not with_unit or row["unit"] != "%":
        return name
    return f"{name}（%）" if lang == "ja" else f"{name} (%)"


def _city_of(lg_code: str) -> str | None:
    """The slug of one of the three cities (data/municipalities.csv), else None."""
    mun = load_municipalities()
    hit = mun.index[mun["lg_code"].astype("str") == str(lg_code)]
    return hit[0] if len(hit) else None


def _municipality_label(lg_code: str, lang: str, names: dict | None = None) -> str:
    slug = _city_of(lg_code)
    if slug is not None:
        return city_label(slug, lang)
    return (names or {}).get(lg_code, lg_code)


def _codes_in_order(df: pd.DataFrame) -> list[str]:
    return list(dict.fromkeys(df["lg_code"]))


LEGEND_HEADROOM = 1.9
"""The distribution's y axis reaches this multiple of its tallest bar, so the legend sits above the bars."""


def plot_national_distribution(national: pd.DataFrame, *, indicator: str, standing: pd.DataFrame, lang: str = "ja",
                               catalogue: pd.DataFrame | None = None, bins=None, ax=None):
    """All municipalities' values of one indicator as a histogram, with the cities of ``standing`` marked.

    Solid line: the city's value; dashed: the median of its prefecture; dotted: the median of its
    peers of the standing's rule (類似団体 in notebook 06; all in the city's colour); grey: the national median. ``standing`` is the output of
    :func:`dxanalysis.analysis.peers.standing`. Municipalities without a value are not drawn (and not counted).
    """
    one_release(national, "plot_national_distribution")
    import numpy as np

    require_columns(national, "lg_code", "indicator", "value")
    require_columns(standing, "lg_code", "indicator", "scope", "value", "median")
    w = _national_words(lang)
    cat = _national_catalogue(catalogue)
    values = national.loc[national["indicator"] == indicator, "value"].dropna()
    if values.empty:
        raise LookupError(f"no values for {indicator!r}")
    unit = cat.at[indicator, "unit"]
    top = percent_axis_top(values) if unit == "%" else float(values.max())
    if bins is None:
        bins = np.linspace(0, top, 41) if unit == "%" else 30
    ax = _new_ax(ax)
    ax.hist(values.clip(upper=top).to_numpy(), bins=bins, color="0.78", edgecolor="white", gid="all")
    beyond = int((values > top).sum())  # the few above the axis are counted in its last bar, and said so
    median = float(values.median()) if len(values) >= MEDIAN_MIN_N else float("nan")
    if pd.notna(median):  # on top of a city's line of the same value, a grey stripe inside it
        ax.axvline(median, color=CITY_COLORS["national"], lw=1.5, zorder=3, gid="national:median")
    mine = standing[standing["indicator"] == indicator]
    suffix = "%" if unit == "%" else ""
    values_of = {code: mine.loc[mine["lg_code"] == code, "value"].iloc[0] for code in _codes_in_order(mine)}
    handles = []
    for code, value in values_of.items():
        rows = mine[mine["lg_code"] == code].set_index("scope")
        slug = _city_of(code) or code
        color = CITY_COLORS.get(slug, "0.2")
        same = [c for c, v in values_of.items() if pd.notna(value) and v == value]
        if pd.notna(value):  # cities of equal value: alternating dashes of their colours, so none hides another
            k, j = len(same), same.index(code)
            ls = "-" if k == 1 else (6 * j, (6, 6 * (k - 1)))
            ax.axvline(value, color=color, lw=2.5, ls=ls, gid=f"{slug}:value")
        for scope, ls in (("prefecture", "--"), ("peers", ":")):
            if scope in rows.index and pd.notna(rows.at[scope, "median"]):
                ax.axvline(rows.at[scope, "median"], color=color, lw=1.5, ls=ls, gid=f"{slug}:{scope}_median")
        shown = f"{value:g}{suffix}" if pd.notna(value) else "—"
        label = f"{_municipality_label(code, lang)} {shown}"
        if len(same) > 1 and same[0] == code:  # "茅ヶ崎市・南房総市とも 76%"
            label = ("・".join(_municipality_label(c, lang) for c in same) + f"とも {shown}" if lang == "ja" else
                     " and ".join(_municipality_label(c, lang) for c in same) + f" alike: {shown}")
        handles.append(Line2D([], [], color=color, lw=2.5, label=label))
    handles += [Line2D([], [], color="0.3", lw=2.5, label=w["value"]),
                Line2D([], [], color="0.3", lw=1.5, ls="--", label=w["prefecture_median"]),
                Line2D([], [], color="0.3", lw=1.5, ls=":", label=w["peers_median"])]
    if pd.notna(median):
        handles.append(Line2D([], [], color=CITY_COLORS["national"], lw=1.5,
                              label=f"{w['national_median']} {median:g}{suffix}"))
    ax.set_ylim(0, ax.get_ylim()[1] * LEGEND_HEADROOM)  # empty room above the bars: the legend never covers one
    ax.legend(handles=handles, fontsize=7, loc="best")
    xlabel = national_indicator_label(indicator, lang, catalogue=cat)
    if beyond:
        xlabel += (f"\n{top:g}{suffix}超の {beyond:,} 団体は右端の棒に含む" if lang == "ja" else
                   f"\n{beyond:,} above {top:g}{suffix} counted in the last bar")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(w["municipalities"])
    name = national_indicator_label(indicator, lang, catalogue=cat, with_unit=False)
    title = f"{name}（{len(values):,}{w['n']}）" if lang == "ja" else f"{name} (n = {len(values):,})"
    ax.set_title(_with_period(title, cat, [indicator], lang), fontsize=10)
    return ax


def percent_axis_top(values: pd.Series) -> float:
    """The right end of a percent axis: 100, or for data that stay low (a usage rate of 0–10 %) the next
    multiple of 5 above the 99th percentile, so the data are not squeezed into a sliver by a few outliers.

    >>> percent_axis_top(pd.Series([0.5, 7.9])), percent_axis_top(pd.Series([40.0, 99.0]))
    (10.0, 100.0)
    """
    import math

    high = float(values.quantile(0.99))
    return 100.0 if high > 50 else float(max(5, 5 * math.ceil(high * 1.05 / 5)))


def plot_adoption_shares(standing: pd.DataFrame, *, lang: str = "ja", catalogue: pd.DataFrame | None = None,
                         indicators=None, ax=None):
    """実施/未実施 measures: the share adopting nationally (grey bars) and, per city, in its prefecture
    (triangles) and among its peers (類似団体 in notebook 06) (circles); filled where the city itself has adopted, hollow where not.

    Shares leave municipalities without an answer (調査無し) out of the denominator
    (:func:`dxanalysis.analysis.peers.scope_summary`).
    """
    require_columns(standing, "lg_code", "indicator", "scope", "value", "share")
    w = _national_words(lang)
    cat = _national_catalogue(catalogue)
    flags = [i for i in cat.index if cat.at[i, "unit"] == "flag"] if indicators is None else list(indicators)
    data = standing[standing["indicator"].isin(flags)]
    order = [i for i in flags if i in set(data["indicator"])]
    if not order:
        raise LookupError("no 実施/未実施 indicators in the data")
    rows = {ind: k for k, ind in enumerate(order)}
    codes = _codes_in_order(data)
    ax = _new_ax(ax, figsize=(8, 0.5 * len(order) + 2.6))  # room for the legend below
    nat = data[data["scope"] == "national"].drop_duplicates("indicator").set_index("indicator")["share"]
    ax.barh([rows[i] for i in order], [nat.get(i) for i in order], height=0.7, color="0.85", gid="national:share")
    for j, code in enumerate(codes):
        slug = _city_of(code) or code
        color = CITY_COLORS.get(slug, "0.2")
        offset = (j - (len(codes) - 1) / 2) * 0.22
        mine = data[data["lg_code"] == code]
        for scope, marker in (("prefecture", "^"), ("peers", "o")):
            s = mine[mine["scope"] == scope]
            for status, face in (("adopted", color), ("not_adopted", "white")):
                pick = s[s["value"].eq(1.0)] if status == "adopted" else s[s["value"].eq(0.0)]
                if pick.empty:
                    continue
                ax.plot(pick["share"].to_numpy(float), [rows[i] + offset for i in pick["indicator"]], ls="none",
                        marker=marker, ms=7, color=color, markerfacecolor=face, markeredgewidth=1.5,
                        gid=f"{slug}:{scope}:{status}")
    ax.set_yticks(range(len(order)), [national_indicator_label(i, lang, catalogue=cat) for i in order], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 104)  # a share of 100 % keeps its whole marker inside the frame
    ax.set_xticks(range(0, 101, 20))
    ax.set_xlabel(w["share"])
    ax.set_title(_with_period(w["adoption_title"], cat, order, lang), fontsize=10)
    key = lambda **kw: Line2D([], [], lw=0, ms=7, markeredgewidth=1.5, **kw)  # noqa: E731
    handles = [key(color=CITY_COLORS.get(_city_of(c) or c, "0.2"), marker="o", label=_municipality_label(c, lang))
               for c in codes]
    from matplotlib.patches import Patch

    handles += [Patch(color="0.85", label=w["national_share"]),
                key(color="0.3", marker="^", label=w["prefecture_share"]),
                key(color="0.3", marker="o", label=w["peers_share"]),
                key(color="0.3", marker="s", label=w["adopted"]),  # fill, not shape: a square is no scope's marker
                key(color="0.3", marker="s", markerfacecolor="white", label=w["not_adopted"])]
    ax.legend(handles=handles, fontsize=8, **LEGEND_BELOW)  # below: the bars keep the figure's width
    return ax


def usage_matrix(standing: pd.DataFrame, *, catalogue: pd.DataFrame | None = None) -> pd.DataFrame:
    """Usage rates as a table: procedures (catalogue order) × [each city, its peers' median …, the national median].

    Columns are ``<lg_code>`` (the city's rate), ``<lg_code>:peers`` (its peers' median) and ``national``.
    Empty (NaN) where the dashboard has no value.
    """
    require_columns(standing, "lg_code", "indicator", "scope", "value", "median")
    cat = _national_catalogue(catalogue)
    usage = [i for i in cat.index if cat.at[i, "measure"] == "usage"] if "measure" in cat else list(cat.index)
    data = standing[standing["indicator"].isin(usage)]
    order = [i for i in usage if i in set(data["indicator"])]
    cols = {}
    for code in _codes_in_order(data):
        mine = data[data["lg_code"] == code]
        cols[code] = mine[mine["scope"] == "national"].set_index("indicator")["value"]
        cols[f"{code}:peers"] = mine[mine["scope"] == "peers"].set_index("indicator")["median"]
    cols["national"] = data[data["scope"] == "national"].drop_duplicates("indicator").set_index("indicator")["median"]
    return pd.DataFrame(cols).reindex(order)


HEATMAP_ROWS_PER_PART = 12
"""Procedures per part of the usage heatmap in the PDF book: a part fits an A4 page with its 6-pt cell labels
at full size (the whole table, ~50 rows, would shrink them to 2–3 pt)."""


def plot_usage_heatmap(standing: pd.DataFrame, *, lang: str = "ja", catalogue: pd.DataFrame | None = None, ax=None,
                       rows: slice | None = None):
    """Per-procedure online-usage rates of the cities beside their peers' (類似団体 in notebook 06) and the national medians.

    Cells are annotated with the rate (%); an empty cell means the dashboard has no value
    (no applications that year, or not reported) — it is not a zero. Column labels stand above and below the
    table. ``rows`` draws only those procedures (a part of the table, :func:`usage_heatmap_parts`).
    """
    import seaborn as sns

    w = _national_words(lang)
    cat = _national_catalogue(catalogue)
    matrix = usage_matrix(standing, catalogue=cat)
    if matrix.empty:
        raise LookupError("no usage indicators in the data")
    matrix = matrix.iloc[rows] if rows is not None else matrix
    names = []
    for col in matrix.columns:
        if col == "national":
            names.append(w["national_median"].replace(" ", "\n", 1) if lang == "en" else w["national_median"])
        elif col.endswith(":peers"):
            names.append(f"{_municipality_label(col[:-6], lang)}\n{w['peers_short']}")
        else:
            names.append(_municipality_label(col, lang))
    shown = matrix.set_axis(names, axis=1).set_axis(
        [national_indicator_label(i, lang, catalogue=cat, with_unit=False) for i in matrix.index], axis=0)
    ax = _new_ax(ax, figsize=(9, 0.26 * len(matrix) + 2.2))
    sns.heatmap(shown, annot=True, fmt=".1f", cmap="Blues", vmin=0, vmax=100, linewidths=0.5, linecolor="white",
                cbar_kws={"label": w["percent"], "shrink": 0.5}, annot_kws={"fontsize": 6}, ax=ax)
    ax.grid(False)
    ax.tick_params(axis="y", labelsize=7)
    ax.tick_params(axis="x", labelsize=7, rotation=0, labeltop=True)  # labels above a tall table too
    if "group" in cat:
        groups = cat.loc[matrix.index, "group"].to_numpy()
        for k in range(1, len(groups)):
            if groups[k] != groups[k - 1]:
                ax.axhline(k, color="0.2", lw=1.5, gid="group_boundary")
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_title(_with_period(w["usage_title"], cat, matrix.index, lang), fontsize=10)
    return ax


def usage_heatmap_parts(standing: pd.DataFrame, *, lang: str = "ja", catalogue: pd.DataFrame | None = None,
                        rows_per_part: int = HEATMAP_ROWS_PER_PART) -> list:
    """The usage heatmap cut into figures of at most ``rows_per_part`` procedures each (as even as possible), each
    with its own column labels: the pages of the PDF book (``save_figure(..., book_parts=...)``). One figure when
    the table is short enough."""
    n = len(usage_matrix(standing, catalogue=_national_catalogue(catalogue)))
    parts = -(-n // rows_per_part)
    bounds = [round(k * n / parts) for k in range(parts + 1)]
    return [plot_usage_heatmap(standing, lang=lang, catalogue=catalogue, rows=slice(a, b)).figure
            for a, b in zip(bounds, bounds[1:])]


def _with_period(title: str, cat: pd.DataFrame, indicators, lang: str) -> str:
    """A title with the reference period(s) the catalogue gives for ``indicators``."""
    if "reference_period" not in cat:
        return title
    periods = list(dict.fromkeys(period_label(p, lang) for p in cat.loc[list(indicators), "reference_period"]))
    return "\n".join([title, *periods])  # one line per period: a line never breaks inside a date


def plot_supply_usage(detail: pd.DataFrame, *, lang: str = "ja", catalogue: pd.DataFrame | None = None, ax=None):
    """Supply beside usage, per city and procedure group: a bar for the share of procedures made
    available online, dots for each procedure's online-usage rate, a black dash for their median.

    ``detail`` is :func:`dxanalysis.analysis.peers.supply_usage`. Procedures without a usage value are not drawn.
    """
    import numpy as np

    require_columns(detail, "lg_code", "group", "indicator", "supply", "usage")
    w = _national_words(lang)
    ax = _new_ax(ax, figsize=(9, 4.8))
    groups = list(dict.fromkeys(detail["group"]))
    ticks, labels = [], []
    for i, code in enumerate(_codes_in_order(detail)):
        slug = _city_of(code) or code
        color = CITY_COLORS.get(slug, "0.2")
        for j, group in enumerate(groups):
            s = detail[(detail["lg_code"] == code) & (detail["group"] == group)]
            if s.empty:
                continue
            x = i * (len(groups) + 0.7) + j
            ax.bar([x - 0.18], [s["supply"].iloc[0]], width=0.32, color=color, alpha=0.35, edgecolor=color,
                   gid=f"{slug}:{group}:supply")
            used = s["usage"].dropna().to_numpy(float)
            ax.plot(np.full(len(used), x + 0.18), used, ls="none", marker="o", ms=4, alpha=0.75, color=color,
                    gid=f"{slug}:{group}:usage")
            if len(used):
                ax.plot([x + 0.18], [float(np.median(used))], ls="none", marker="_", ms=16, mew=2.5, color="black",
                        gid=f"{slug}:{group}:usage_median")
            else:
                ax.text(x + 0.18, 2, w["no_usage"], rotation=90, ha="center", va="bottom", fontsize=7, color="0.3")
            ticks.append(x)
            labels.append(f"{_municipality_label(code, lang)}\n{w.get(group, group)}")
    ax.set_xticks(ticks, labels, fontsize=7)
    ax.set_ylim(0, 125)  # head room for the legend above the 100 % bars
    ax.set_yticks(range(0, 101, 20))
    ax.set_ylabel(w["percent"])
    title = w["supply_usage_title"]
    if catalogue is not None:
        from ..analysis.peers import SUPPLY_FOR_USAGE

        cat = _national_catalogue(catalogue)
        period = lambda inds: "; ".join(dict.fromkeys(period_label(p, lang) for p in cat.loc[inds, "reference_period"]))  # noqa: E731
        used, supplied = period(list(dict.fromkeys(detail["indicator"]))), period([SUPPLY_FOR_USAGE[g] for g in groups])
        title += (f"\n（利用: {used}／提供: {supplied}）" if lang == "ja" else f"\n(usage: {used}; supply: {supplied})")
    ax.set_title(title, fontsize=9)
    from matplotlib.patches import Patch

    ax.legend(handles=[Patch(facecolor="0.6", alpha=0.5, label=w["supply"]),
                       Line2D([], [], ls="none", marker="o", ms=4, color="0.3", label=w["usage"]),
                       Line2D([], [], ls="none", marker="_", ms=16, mew=2.5, color="black", label=w["usage_median"])],
              fontsize=7, loc="upper center", ncol=3)
    return ax


def plot_issuance_trend(cards: pd.DataFrame, *, lg_codes, lang: str = "ja", ax=None):
    """My Number cards ISSUED per population, snapshot by snapshot: the national median (grey line)
    and interquartile band, with the cities as lines in their colours.

    Only the issuance series (交付) is drawn: a frame that carries the 2024 holding (保有) rate is
    refused, so the two are never joined into one line.
    """
    import matplotlib.dates as mdates

    from ..analysis.peers import quantile_band

    require_columns(cards, "lg_code", "date", "issued_rate")
    if "indicator" in cards or ("measure" in cards and cards["measure"].ne("issued").any()):
        raise ValueError("plot_issuance_trend draws cards issued (交付) only; holding rates (保有) are another measure")
    w = _national_words(lang)
    ax = _new_ax(ax)
    band = quantile_band(cards, value="issued_rate", by="date")
    x = pd.to_datetime(band["date"])
    ax.fill_between(x, band["q1"], band["q3"], color=CITY_COLORS["national"], alpha=0.25, lw=0, gid="national:iqr")
    ax.plot(x, band["median"], color=CITY_COLORS["national"], lw=2, gid="national:median")
    handles = []
    for code in ([lg_codes] if isinstance(lg_codes, str) else list(lg_codes)):
        s = cards[cards["lg_code"] == code].sort_values("date")
        if s.empty:
            continue
        slug = _city_of(code) or code
        color = CITY_COLORS.get(slug, "0.2")
        ax.plot(pd.to_datetime(s["date"]), s["issued_rate"], color=color, lw=2, marker="o", ms=2.5, gid=f"{slug}:issued")
        handles.append(Line2D([], [], color=color, lw=2, label=_municipality_label(code, lang)))
    from matplotlib.patches import Patch

    handles += [Line2D([], [], color=CITY_COLORS["national"], lw=2, label=w["national_median"]),
                Patch(color=CITY_COLORS["national"], alpha=0.25, label=w["iqr"])]
    ax.legend(handles=handles, fontsize=8, loc="upper left")
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.set_ylim(bottom=0)
    ax.set_xlabel(w["date"])
    ax.set_ylabel(w["issued_rate"])
    ax.set_title(w["issuance_title"], fontsize=10)
    return ax
