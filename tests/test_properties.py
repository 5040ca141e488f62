"""Property-based checks (hypothesis): parsing never invents a number, era spellings round-trip."""

from __future__ import annotations

import math
import re
import unicodedata

import openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st

from dxanalysis.io.numbers import PLACEHOLDERS, parse_number
from dxanalysis.io.cells import CellError
from dxanalysis.io.dates import era_spellings, parse_fiscal_year

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


# ---------------------------------------------------------------- one strict number grammar (issue 12)

@st.composite
def written_numbers(draw):
    """A well-formed cell (as a document or an analyst writes it) and its true value."""
    shape = draw(st.sampled_from(["plain", "commas", "decimal", "man", "oku_man", "sen", "man_rest", "decimal_man"]))
    if shape == "plain":
        n = draw(st.integers(0, 10**12))
        text, value = str(n), n
    elif shape == "commas":
        n = draw(st.integers(1000, 10**12))
        text, value = f"{n:,}", n
    elif shape == "decimal":
        whole, frac = draw(st.integers(0, 99_999)), draw(st.integers(1, 999))
        text = f"{whole:,}.{frac:03d}".rstrip("0")
        value = float(text.replace(",", ""))
    elif shape == "man":
        n = draw(st.integers(1, 9999))
        text, value = f"{n:,}万", n * 10**4
    elif shape == "oku_man":
        a, b = draw(st.integers(1, 999)), draw(st.integers(1, 9999))
        text, value = f"{a}億{b}万", a * 10**8 + b * 10**4
    elif shape == "sen":
        a, b = draw(st.integers(1, 9)), draw(st.integers(1, 9))
        text, value = f"{a}千{b}百", a * 1000 + b * 100
    elif shape == "man_rest":
        a, b = draw(st.integers(1, 9999)), draw(st.integers(100, 9999))
        text, value = f"{a}万{b}", a * 10**4 + b
    else:
        a, frac = draw(st.integers(1, 999)), draw(st.integers(1, 9))
        text, value = f"{a}.{frac}万", (a * 10 + frac) * 1000
    prefix = draw(st.sampled_from(["", "約", "およそ"]))
    unit = draw(st.sampled_from(["", "件", "時間", "人", "%", "円"]))
    suffix = draw(st.sampled_from(["", "程度", "以上", "超"]))
    if draw(st.booleans()):
        text = text.translate(FULLWIDTH)
    return prefix + text + unit + suffix, float(value), bool(prefix or suffix), unit


MUTATIONS = [
    lambda t, d: t + " " + d,  # a second number after the unit: two numbers
    lambda t, d: re.sub(r"([0-9０-９])", rf"\1 {d}", t, count=1),  # a second number after a space
    lambda t, d: t.replace("万", "万" + d + "万", 1),  # a repeated multiplier
    lambda t, d: t.replace("千", "千千", 1),
    lambda t, d: t.replace(",", "", 1).replace("0", ",0", 1) if "," in t else t[:1] + "," + t[1:],  # a separator misplaced
    lambda t, d: re.sub(r"([0-9０-９])", r"\1S", t, count=1) + d,  # a stray letter inside the number
    lambda t, d: "万" + t,  # a multiplier without a number
    lambda t, d: t.replace(".", ".1.", 1) if "." in t else t + ".5.5",
]


@settings(max_examples=400)
@given(written_numbers())
def test_a_well_formed_number_parses_to_its_true_value(case):
    text, value, approximate, unit = case
    p = parse_number(text)
    assert math.isclose(p.value, value, rel_tol=1e-12, abs_tol=0) or p.value == value
    assert p.approximate is approximate and p.unit == unit and not p.placeholder


@settings(max_examples=600)
@given(written_numbers(), st.sampled_from(range(len(MUTATIONS))), st.sampled_from("0123456789"))
def test_a_mutated_number_is_refused_or_read_as_its_true_value_never_another(case, k, digit):
    """Every cell either parses to the number it denotes or is refused — never to a different number.

    A mutation that leaves the cell well-formed (no 千 to repeat; ``1000`` → ``1,000``) keeps its number.
    """
    text, value, _, _ = case
    mutated = MUTATIONS[k](text, digit)
    try:
        p = parse_number(mutated)
    except CellError:
        return
    assert p.value == value or math.isclose(p.value, value, rel_tol=1e-12), f"{text!r} → {mutated!r} read as {p.value}"


@settings(max_examples=200)
@given(st.text(alphabet="0123456789,.万億千百十 約%件", min_size=1, max_size=12))
def test_any_digit_soup_is_exact_or_refused(text):
    """Random strings of digits, separators and multipliers: refused, or a finite value that prints back as
    the number written (never inf, never a silently rounded number)."""
    from decimal import Decimal

    try:
        p = parse_number(text)
    except CellError:
        return
    if not p.placeholder:
        assert math.isfinite(p.value)
        digits = re.sub(r"[^0-9.]", "", unicodedata.normalize("NFKC", text).replace(",", ""))
        if re.fullmatch(r"[0-9]+(\.[0-9]+)?", digits) and not re.search("[万億千百十]", text):
            assert Decimal(repr(p.value)) == Decimal(digits)
