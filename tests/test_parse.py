"""Cell parsers: fiscal years, numbers, placeholders, booleans (values worked out by hand)."""

import math

import pytest

from dxanalysis.io.cells import CellError, parse_bool
from dxanalysis.io.dates import dates_in, era_spellings, fiscal_year_of_date, parse_fiscal_year
from dxanalysis.io.numbers import numbers_in, parse_number


@pytest.mark.parametrize(
    "cell, year",
    [
        ("2024", 2024), (2024, 2024), (2024.0, 2024), ("2024年度", 2024), ("FY2024", 2024), ("ＦＹ２０２４", 2024),
        ("令和6年度", 2024), ("令和６年度", 2024), ("R6", 2024), ("r6", 2024), ("R 6", 2024), ("令和元年度", 2019),
        ("平成31年度", 2019), ("平成30年度", 2018), ("H30", 2018), ("平成元年度", 1989), ("令和12年度", 2030),
        ("R12", 2030), ("令和7年", 2025),
    ],
)
def test_fiscal_year_spellings(cell, year):
    assert parse_fiscal_year(cell) == year


@pytest.mark.parametrize(
    "cell, code",
    [
        ("令和0年度", "era_year_out_of_range"), ("平成32年度", "era_year_out_of_range"), ("H99", "era_year_out_of_range"),
        ("2024/4/1", "fiscal_year_is_date"), ("2024-04-01", "fiscal_year_is_date"), (45383, "fiscal_year_is_date"),
        ("昭和60年度", "bad_fiscal_year"), ("", "missing_fiscal_year"), ("1900", "fiscal_year_out_of_range"),
        ("来年度", "bad_fiscal_year"), (2024.5, "bad_fiscal_year"),
    ],
)
def test_fiscal_year_errors(cell, code):
    with pytest.raises(CellError) as exc:
        parse_fiscal_year(cell)
    assert exc.value.code == code


def test_era_spellings_round_trip_2019():
    assert {parse_fiscal_year(s) for s in era_spellings(2019)} == {2019}
    assert "令和元年度" in era_spellings(2019) and "平成31年度" in era_spellings(2019)


@pytest.mark.parametrize(
    "cell, value, approximate, unit",
    [
        ("５，０００件", 5000, False, "件"), ("3,108時間", 3108, False, "時間"), ("15%", 15, False, "%"),
        ("15％", 15, False, "%"), ("3万人", 30000, False, "人"), ("約1.1万件", 11000, True, "件"),
        ("20億4千万円", 2_040_000_000, False, "円"), ("1,000万", 10_000_000, False, ""), ("約5千", 5000, True, ""),
        ("15%程度", 15, True, "%"), ("約13%", 13, True, "%"), ("40%弱", 40, True, "%"), ("100人超", 100, True, "人"),
        ("5,000件以上", 5000, True, "件"), ("−5", -5, False, ""), ("-5", -5, False, ""), ("80.3%", 80.3, False, "%"),
        ("27,955枚", 27955, False, "枚"), (761, 761, False, ""), (0.5, 0.5, False, ""), ("0", 0, False, ""),
        ("3 手続", 3, False, "手続"), ("3千500円", 3500, False, "円"), ("1万2345", 12345, False, ""),
        ("2億5千万", 250_000_000, False, ""), ("1億2千", 100_002_000, False, ""), ("1.200件", 1.2, False, "件"),
        ("999,999,999,999,999", 999_999_999_999_999, False, ""), ("1234567890123456800", float("1234567890123456800"), False, ""),
    ],
)
def test_numbers(cell, value, approximate, unit):
    p = parse_number(cell)
    assert (p.value, p.approximate, p.unit, p.placeholder) == (value, approximate, unit, False)


@pytest.mark.parametrize("cell", ["", "—", "－", "―", "ー", "〇〇", "-", "○○", None, float("nan"), "  "])
def test_placeholders_are_missing_never_zero(cell):
    p = parse_number(cell)
    assert p.placeholder and math.isnan(p.value)


@pytest.mark.parametrize("cell, code", [
    ("10²", "ambiguous_number_character"), ("①", "ambiguous_number_character"), ("½", "ambiguous_number_character"),
    ("abc", "bad_number"), ("1.2.3", "bad_number"), (True, "bad_number"), ("１２,３４", "number_separator"),
    ("万5", "bad_number"), ("5千千", "number_multiplier_order"), ("1万2万", "number_multiplier_order"),
    ("761 5", "number_two_numbers"), ("1,5万", "number_separator"), ("1,5", "number_separator"),
    ("9" * 400, "number_too_precise"), ("1234567890123456789", "number_too_precise"), (10**19 + 1, "number_too_precise"),
    ("2S0時間", "number_stray_character"), ("1万5", "number_multiplier_order"), (float("inf"), "number_not_finite"),
    ("1e5", "number_stray_character"), ("千", "bad_number"),
])
def test_number_errors(cell, code):
    with pytest.raises(CellError) as exc:
        parse_number(cell)
    assert exc.value.code == code


def test_numbers_in_quote():
    assert {761.0, 753.0, 961.0} <= numbers_in("R4 961 R5 753 R6 761")
    assert 14000.0 in numbers_in("年間約 14,000 時間もの作業削減")
    assert 11200.0 in numbers_in("11,200時間/年間")


@pytest.mark.parametrize("cell, expected", [("true", True), ("はい", True), ("FALSE", False), ("", False), (1, True)])
def test_bool(cell, expected):
    assert parse_bool(cell) is expected


@pytest.mark.parametrize("text, expected", [
    ("令和3年8月にRPAツール「WinActor」を導入", {"2021-08"}),
    ("令和3年度からRPAの導入を開始", {"FY2021"}),
    ("令和元年度", {"FY2019"}),
    ("平成31年4月", {"2019-04"}),
    ("R6.3.1 ▶セキュリティポリシー改正", {"2024-03-01"}),
    ("R7.1月時点:18業務", {"2025-01"}),
    ("令和７年４月１日から地域センター", {"2025-04-01"}),  # full-width digits
    ("昭和48年 ・給与計算業務を電算委託", {"1973"}),
    ("令和2年 ・RPA運用開始", {"2020"}),  # a bare calendar year
    ("平成 28 年（2016 年）3 月策定", {"2016-03"}),
    ("令和5年2月から転入届。同年4月に「LoGoフォーム」", {"2023-02", "2023-04"}),
    ("令和8年2月に⑱、⑲の2業務、同3月に⑨の1業務", {"2026-02", "2026-03"}),
    ("同年4月に導入", set()),  # 同年 with no year named before it
    ("5 年度 - ✓ キャッシュレス決済開始", {"FY2023"}),  # bare 年度 in a 令和 document
    ("2024年4月に開始、2025年度に拡大", {"2024-04", "FY2025"}),
    ("R3:85手続→R7.1月時点:408手続", {"2025-01"}),  # R3: is a label, not a date
    ("50% (H20~R 9)", set()),
    ("2,350万円; 1,739人", set()),
])
def test_dates_written_in_text(text, expected):
    assert dates_in(text) == expected


@pytest.mark.parametrize("date, fiscal_year", [
    ("2024-01", 2023), ("2024-03-31", 2023), ("2024-04", 2024), ("2024-12-01", 2024), ("2020", None), ("", None),
])
def test_fiscal_year_of_date(date, fiscal_year):
    assert fiscal_year_of_date(date) == fiscal_year


def test_cells_as_displayed_and_dates():
    import datetime as dt

    from dxanalysis.io.cells import cell_text, percent_text
    from dxanalysis.io.dates import parse_date

    assert [cell_text(v) for v in (761.0, 142077, 0.1, dt.date(2024, 4, 1), None)] == ["761", "142077", "0.1", "2024-04-01", None]
    assert [percent_text(v) for v in (0.15, 0.153, 0.0, 1.0, 0.005)] == ["15%", "15.3%", "0%", "100%", "0.5%"]
    assert [parse_date(s) for s in ("令和7年5月", "2025-05", "2025/5/31", "R7.5月", "")] == [
        "2025-05", "2025-05", "2025-05-31", "2025-05", ""]
    for bad in ("来月", "2025-13", "令和0年5月", "2025"):
        with pytest.raises(CellError):
            parse_date(bad)
