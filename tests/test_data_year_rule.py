"""Data tests of the undated-figure rule's two limits (data/README.md, issue 20).

Limit 1: a count over a period (年間…, 年度…, 毎年, per year) is never dated by the document when the
document's date falls inside that period — the period had not ended when the document was written.
Limit 2: a figure equal to a dated figure of the same measure in the same document is not given a second,
different year by the document rule.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd
import pytest

from dxanalysis import config

PERIOD_COUNT = re.compile(
    r"年間|毎年|毎月|月間|単年|年当たり|年あたり|/\s*年(?!度)|\(\s*年\s*\)"  # 年間出動件数, 毎年, …/年, 削減時間(年)
    r"|(?<![0-9元])年度(?!末)"  # 今年度, 各年度, 年度内 — not 令和5年度 / 2025年度 (a date) nor 年度末 (a point)
    r"|per[ _-]?year|annual|yearly|monthly",  # slugs and English locations (ems_annual_dispatches)
    re.IGNORECASE)
PRICE_PER_YEAR = re.compile(r"円\s*/\s*年(?!度)")
"""A price per year of a future operation in a cost estimate (【概算費用】 150万円/年) is not a count over a period."""


def period_count_markers(indicator: str, location: str, quote: str, kind: str) -> list[str]:
    """The words of a row that make its figure a count over a period (empty list: none)."""
    text = unicodedata.normalize("NFKC", " ".join((indicator, location, quote)))
    text = re.sub(r"([0-9元])\s+(?=年度)", r"\1", text)  # 「令和 5 年度」 is a date like 「令和5年度」
    if kind == "estimate":
        text = PRICE_PER_YEAR.sub("", text)
    return sorted({m.group(0) for m in PERIOD_COUNT.finditer(text)})


def fiscal_year_span(fy: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    return pd.Timestamp(fy, 4, 1), pd.Timestamp(fy + 1, 3, 31)


def document_rows() -> pd.DataFrame:
    """Every row of the bundled extracts, as written (text), with its spreadsheet row and file."""
    frames = []
    for path in sorted(config.KPI_DIR.glob("*.csv")):
        rows = pd.read_csv(path, dtype=str, keep_default_na=False)
        frames.append(rows.assign(file=path.name, row=range(2, len(rows) + 2)))
    return pd.concat(frames, ignore_index=True)


ROWS = document_rows()
DOCUMENT = ROWS[ROWS["year_basis"] == "document"]


def test_no_count_over_a_period_is_dated_by_a_document_inside_that_period():
    sources = pd.read_csv(config.SOURCES_CSV, dtype=str, keep_default_na=False).set_index("source_id")
    bad = []
    for r in DOCUMENT.itertuples(index=False):
        markers = period_count_markers(r.indicator, r.location, r.quote, r.kind)
        start, end = fiscal_year_span(int(r.fiscal_year))
        date = sources.at[r.source_id, "date"]
        document_date = pd.Timestamp(date + "-01" if len(date) == 7 else date)  # YYYY-MM: its first day
        if markers and start <= document_date <= end:
            bad.append((r.file, r.row, r.indicator, r.fiscal_year, markers))
    assert bad == []
    assert len(DOCUMENT) >= 60  # the rule is exercised (63 document rows after issue 20)


def test_no_document_dated_figure_repeats_a_dated_figure_of_the_same_document_under_another_year():
    dated = ROWS[ROWS["year_basis"] != "document"]
    key = ["source_id", "municipality", "indicator", "value", "unit"]
    twins = DOCUMENT.merge(dated[key + ["fiscal_year", "row"]], on=key, suffixes=("", "_dated"))
    twins = twins[twins["fiscal_year"] != twins["fiscal_year_dated"]]
    assert twins[["file", "row", "indicator", "value", "fiscal_year", "row_dated", "fiscal_year_dated"]].values.tolist() == []


@pytest.mark.parametrize("indicator, location, quote, kind, expected", [
    ("ems_annual_dispatches", "3-15 / 現状", "年間出動件数：約1.1万件（令和3年以降、右肩上がり31.5%増加）", "actual", ["annual", "年間"]),
    ("rpa_hours_saved", "5-2 成果指標 (例) table", "削減時間(見込) 11,200時間/年間 8,800時間/年間", "estimate", ["/年"]),
    ("x", "今年度の実績", "申請件数 120件", "actual", ["年度"]),
    ("x", "成果(アウトカム)", "業務削減時間（年） 6,400時間", "target", ["(年)"]),
    # not counts over a period:
    ("smartphone_class_sessions_cumulative", "5 (2)", "令和 5 年度から…延べ39コマ…を開催しました", "actual", []),
    ("standard_system_migration_target_tasks", "(2)", "令和7年度末までに標準準拠システムに移行", "target", []),
    ("idou_support_system_cost_estimate_total", "【概算費用】", "2,350万円 ハードウェア保守委託 150万円/年", "estimate", []),
    ("cashless_payment_share_city_hall", "1-5 / 現状", "本庁舎のキャッシュレス決済率は2割", "actual", []),
])
def test_period_count_markers(indicator, location, quote, kind, expected):
    """The check above on tiny rows: what counts as a count over a period, and what does not."""
    assert period_count_markers(indicator, location, quote, kind) == expected
