"""The interactive explorer of ``notebooks/explore.ipynb``: pick a city and an indicator, see its series.

:func:`explore` is the pure callback (a selection in, the drawn axes and the table of values
out) and is what the tests exercise; :func:`build_explorer` wires ipywidgets controls to it:
municipality, an indicator search box (Japanese or English name, or slug), the indicator,
actual/target and the language. The chart is drawn by :func:`dxanalysis.present.trends.plot_series`,
the table lists each value with its quote, source (with date and where to find it) and
the indicator's comparability note.

>>> from dxanalysis import load_kpis
>>> kpis = load_kpis()
>>> [slug for _, slug in indicator_options(kpis, "テレワーク件数")]
['telework_count']
>>> [slug for _, slug in indicator_options(kpis, "online application rate", lang="en")]
['online_application_rate']
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd

from ..analysis.series import select_series
from ..io.catalogue import load_indicators

ALL = "all"
"""The municipality choice that shows every city."""
KINDS = ("actual", "target")
TABLE_COLUMNS = ["municipality", "fiscal_year", "kind", "value_with_unit", "value", "unit", "approximate", "as_of",
                 "quote", "source", "where_found", "location"]
"""The columns of the explorer's table, in order."""


@dataclass(frozen=True)
class Selection:
    """What the controls say: one indicator, a city (or :data:`ALL`), which kinds, which language."""

    indicator: str
    municipality: str = ALL
    kinds: tuple[str, ...] = KINDS
    lang: str = "ja"


def indicator_options(kpis: pd.DataFrame, query: str = "", *, municipality: str = ALL,
                      lang: str = "ja") -> list[tuple[str, str]]:
    """``(label, slug)`` of the indicators with data whose Japanese or English name or slug contains ``query``.

    Labels are in ``lang``; the search is case-insensitive and ignores the language.
    """
    cat = load_indicators()
    rows = kpis if municipality == ALL else kpis[kpis["municipality"] == municipality]
    slugs = sorted(set(rows["indicator"]) & set(cat.index))
    q = query.strip().lower()
    out = []
    for slug in slugs:
        ja, en = cat.at[slug, "name_ja"], cat.at[slug, "name_en"]
        if not q or q in ja.lower() or q in en.lower() or q in slug.lower():
            out.append((f"{ja if lang == 'ja' else en} [{slug}]", slug))
    return out


def values_table(kpis: pd.DataFrame, selection: Selection) -> pd.DataFrame:
    """The rows behind the selection: each value with its quote, source and where to find it."""
    from ..contract.citations import all_sources, caption_part, where_found
    from .notebook import with_units

    data = select_series(kpis, indicator=selection.indicator)
    if selection.municipality != ALL:
        data = data[data["municipality"] == selection.municipality]
    data = data[data["kind"].isin(selection.kinds)]
    src = all_sources()
    table = with_units(data).assign(source=data["source_id"].map(lambda s: caption_part(s, src)),
                        where_found=data["source_id"].map(lambda s: where_found(s, selection.lang, src)))
    return table.reindex(columns=TABLE_COLUMNS).sort_values(["municipality", "kind", "fiscal_year"],
                                                            kind="stable").reset_index(drop=True)


def comparability_note(indicator: str) -> str:
    """The catalogue's comparability note for ``indicator`` (empty text if none)."""
    note = load_indicators().at[indicator, "comparability"]
    return note if isinstance(note, str) else ""


def explore(kpis: pd.DataFrame, selection: Selection, ax=None):
    """Draw ``selection`` with :func:`~dxanalysis.present.trends.plot_series`; return ``(ax, table)``.

    Raises:
        LookupError: nothing to draw for this selection.
    """
    from .trends import plot_series

    table = values_table(kpis, selection)
    if table["value"].notna().sum() == 0:
        raise LookupError(f"no values for {selection.indicator!r} ({selection.municipality}, {selection.kinds})")
    rows = select_series(kpis, indicator=selection.indicator)
    rows = rows[rows["kind"].isin(selection.kinds)]
    cities = None if selection.municipality == ALL else [selection.municipality]
    ax = plot_series(rows, indicator=selection.indicator, municipalities=cities, lang=selection.lang, ax=ax)
    return ax, table


class Explorer:
    """The widgets and their state; ``last`` holds the latest ``(ax, table)`` (or the error text)."""

    def __init__(self, kpis: pd.DataFrame, indicator: str = "online_application_rate"):
        import ipywidgets as w

        from .style import city_label

        self.kpis = kpis
        self.last = None
        self._busy = False
        cities = sorted(set(kpis["municipality"]))
        self.municipality = w.Dropdown(options=[("すべて / all", ALL)] + [(f"{city_label(c)} / {city_label(c, 'en')}", c)
                                                                           for c in cities],
                                       value=ALL, description="市 / city")
        self.search = w.Text(value="", placeholder="指標名（日本語・英語）/ indicator name (ja or en)",
                             description="検索 / search", continuous_update=False)
        self.indicator = w.Dropdown(options=indicator_options(kpis), description="指標 / KPI",
                                    layout=w.Layout(width="95%"))
        if indicator in [slug for _, slug in self.indicator.options]:
            self.indicator.value = indicator
        self.kinds = w.SelectMultiple(options=[("実績 / actual", "actual"), ("目標 / target", "target")],
                                      value=KINDS, description="区分 / kind", rows=2)
        self.lang = w.ToggleButtons(options=[("日本語", "ja"), ("English", "en")], value="ja",
                                    description="言語 / lang")
        self.output = w.Output()
        for control in (self.municipality, self.search, self.lang):
            control.observe(self._refresh_options, names="value")
        for control in (self.indicator, self.kinds):
            control.observe(self._draw, names="value")
        self.widget = w.VBox([w.HBox([self.municipality, self.lang]), self.search, self.indicator, self.kinds,
                              self.output])
        self._draw()

    def selection(self) -> Selection | None:
        if self.indicator.value is None or not self.kinds.value:
            return None
        return Selection(self.indicator.value, self.municipality.value, tuple(self.kinds.value), self.lang.value)

    def _refresh_options(self, _change=None) -> None:
        current = self.indicator.value
        options = indicator_options(self.kpis, self.search.value, municipality=self.municipality.value,
                                    lang=self.lang.value)
        slugs = [slug for _, slug in options]
        self._busy = True
        try:
            self.indicator.options = options
            self.indicator.value = current if current in slugs else (slugs[0] if slugs else None)
        finally:
            self._busy = False
        self._draw()

    def _draw(self, _change=None) -> None:
        import matplotlib.pyplot as plt
        from IPython.display import HTML, display

        from .style import apply_style

        if self._busy:
            return
        self.output.clear_output(wait=True)
        sel = self.selection()
        with self.output:
            if sel is None:
                self.last = "nothing selected"
                display(HTML("<p>指標と区分を選んでください / choose an indicator and a kind</p>"))
                return
            apply_style()
            fig, ax = plt.subplots(figsize=(9, 4.5))
            try:
                ax, table = explore(self.kpis, sel, ax=ax)
            except LookupError as err:
                plt.close(fig)
                self.last = str(err)
                display(HTML(f"<p>{html.escape(str(err))}</p>"))
                return
            fig.tight_layout()
            self.last = (ax, table)
            display(fig)
            plt.close(fig)
            note = comparability_note(sel.indicator)
            if note:
                display(HTML(f"<p><b>{'比較の注意' if sel.lang == 'ja' else 'Comparability'}:</b> {html.escape(note)}</p>"))
            display(table)


def build_explorer(kpis: pd.DataFrame, indicator: str = "online_application_rate"):
    """The explorer's widget (display it as a notebook cell's last line)."""
    return Explorer(kpis, indicator).widget
