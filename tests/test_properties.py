"""Property-based checks (hypothesis): parsing never invents a number, era spellings round-trip."""

from __future__ import annotations

import math

import openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st

from dxanalysis.parse import PLACEHOLDERS, CellError, era_spellings, parse_fiscal_year, parse_number

FULLWIDTH = str.maketrans("0123456789,.", "０１２３４５６７８９，．")


@given(st.sampled_from(sorted(PLACEHOLDERS)), st.sampled_from(["", " ", "　", "\t"]))
def test_a_placeholder_is_never_zero(placeholder, pad):
    p = parse_number(pad + placeholder + pad)
    assert p.placeholder and math.isnan(p.value)


@given(st.text(alphabet="-—－―ー〇○ 　", max_size=6))
def test_dash_and_circle_strings_are_missing_or_refused_never_a_number(text):
    try:
        p = parse_number(text)
    except CellError:
        return
    assert math.isnan(p.value)


@settings(max_examples=300)
@given(st.integers(min_value=0, max_value=10**9), st.booleans(), st.booleans(), st.sampled_from(["", "件", "時間", "人", "%"]))
def test_formatted_integers_parse_back(n, commas, fullwidth, unit):
    text = f"{n:,}" if commas else str(n)
    if fullwidth:
        text = text.translate(FULLWIDTH)
    p = parse_number(text + unit)
    assert p.value == n and not p.placeholder and p.unit == unit


@given(st.integers(min_value=1, max_value=9999), st.sampled_from([("万", 10**4), ("億", 10**8), ("千", 10**3)]))
def test_kanji_multipliers(n, mult):
    suffix, factor = mult
    assert parse_number(f"約{n}{suffix}").value == n * factor


@settings(max_examples=112)
@given(st.integers(min_value=1989, max_value=2100))
def test_every_fiscal_year_round_trips_through_its_era_spellings(year):
    spellings = era_spellings(year)
    assert len(spellings) >= 5  # 2024, 2024年度, FY2024 and at least one era's two forms
    for s in spellings:
        assert parse_fiscal_year(s) == year
        assert parse_fiscal_year(s.translate(FULLWIDTH).replace("R", "Ｒ").replace("H", "Ｈ")) == year


def test_reiwa_1_and_heisei_31_are_the_same_fiscal_year():
    assert parse_fiscal_year("令和元年度") == parse_fiscal_year("平成31年度") == parse_fiscal_year("R1") == 2019


def test_openpyxl_parses_through_defusedxml():
    assert openpyxl.DEFUSEDXML is True
