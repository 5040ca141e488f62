"""Fiscal years and dates: 令和/平成 eras, ``R7.1月時点``, dates written in a sentence.

>>> parse_fiscal_year("令和6年度"), parse_fiscal_year("H30"), parse_fiscal_year("FY2024")
(2024, 2018, 2024)
"""

from __future__ import annotations

import datetime as _dt
import math
import re

from .cells import CellError, normalize_text

# ---------------------------------------------------------------- fiscal years

ERAS = {"令和": 2018, "平成": 1988, "R": 2018, "H": 1988}
ERA_LAST_YEAR = {"平成": 31, "H": 31}
"""平成 ended in its 31st year (2019); 令和 has no end yet."""
ERA_FIRST_GREGORIAN = {"令和": 2019, "R": 2019, "平成": 1989, "H": 1989}
MIN_FISCAL_YEAR, MAX_FISCAL_YEAR = 1989, 2100
"""Fiscal years the loader accepts: from 平成元年度 to a generous planning horizon."""

_FY_GREGORIAN = re.compile(r"^(?:FY|fy)?\s*(\d{4})\s*(?:年度|年)?$")
_FY_ERA = re.compile(r"^(令和|平成|R|H)\s*(元|\d{1,3})\s*(?:年度|年)?$", re.IGNORECASE)
_DECIMAL_YEAR = re.compile(r"^\d{4}\.0+$")
_LOOKS_LIKE_DATE = re.compile(r"^\d{4}[-/.年]\d{1,2}([-/.月]\d{1,2}日?)?")


def parse_fiscal_year(cell: object) -> int:
    """Read a fiscal year (年度) as the Gregorian year in which it starts.

    Accepts ``2024``, ``2024年度``, ``FY2024``, ``令和6年度``, ``R6``,
    ``令和元年度``, ``平成30年度``, ``H30`` (full-width forms too).

    >>> [parse_fiscal_year(c) for c in ["2024", "2024年度", "R6", "令和元年度", "平成31年度", "ｈ３０"]]
    [2024, 2024, 2024, 2019, 2019, 2018]
    >>> parse_fiscal_year("平成32年度")
    Traceback (most recent call last):
    ...
    dxanalysis.io.cells.CellError: era_year_out_of_range: 平成 has no year 32 (it ended in its 31st year, 2019)
    >>> parse_fiscal_year("2024.0")
    Traceback (most recent call last):
    ...
    dxanalysis.io.cells.CellError: bad_fiscal_year: 2024.0: write the year as a whole number (2024), not a decimal
    """
    if isinstance(cell, bool):
        raise CellError("bad_fiscal_year", repr(cell))
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        if isinstance(cell, float) and (math.isnan(cell) or not cell.is_integer()):
            raise CellError("bad_fiscal_year", repr(cell))
        return _check_range(int(cell), str(cell))
    text = normalize_text(cell)
    if not text:
        raise CellError("missing_fiscal_year")
    if _DECIMAL_YEAR.match(text):  # a float written out (2024.0): not a date, and not guessed to be 2024
        raise CellError("bad_fiscal_year", f"{text}: write the year as a whole number (2024), not a decimal")
    if _LOOKS_LIKE_DATE.match(text) and not _FY_GREGORIAN.match(text):
        raise CellError("fiscal_year_is_date", text)
    m = _FY_GREGORIAN.match(text)
    if m:
        return _check_range(int(m.group(1)), text)
    m = _FY_ERA.match(text)
    if m:
        era = m.group(1).upper() if m.group(1).isascii() else m.group(1)
        n = 1 if m.group(2) == "元" else int(m.group(2))
        if n < 1:
            raise CellError("era_year_out_of_range", f"{era} has no year {n} (the first year is 元年 = 1)")
        if n > ERA_LAST_YEAR.get(era, 10**6):
            raise CellError(
                "era_year_out_of_range",
                f"{era} has no year {n} (it ended in its {ERA_LAST_YEAR[era]}st year, 2019)",
            )
        return _check_range(ERAS[era] + n, text)
    raise CellError("bad_fiscal_year", text)


def _check_range(year: int, text: str) -> int:
    if 20000 <= year <= 80000:
        raise CellError("fiscal_year_is_date", f"{text} looks like an Excel date serial")
    if not MIN_FISCAL_YEAR <= year <= MAX_FISCAL_YEAR:
        raise CellError("fiscal_year_out_of_range", f"{text} (allowed {MIN_FISCAL_YEAR}–{MAX_FISCAL_YEAR})")
    return year


def era_spellings(fiscal_year: int) -> list[str]:
    """Every spelling of a fiscal year that :func:`parse_fiscal_year` reads back to it.

    >>> era_spellings(2019)[:6]
    ['2019', '2019年度', 'FY2019', '令和元年度', 'R1', '平成31年度']
    """
    out = [str(fiscal_year), f"{fiscal_year}年度", f"FY{fiscal_year}"]
    for era, long in (("R", "令和"), ("H", "平成")):
        n = fiscal_year - ERAS[era]
        if n >= 1 and n <= ERA_LAST_YEAR.get(era, 10**6):
            out += [f"{long}{'元' if n == 1 else n}年度", f"{era}{n}"]
    return out


DATE_ERAS = {**ERAS, "昭和": 1925}
"""Eras a written date may use (the 年表 of a plan reaches back to 昭和)."""
_DATE = re.compile(
    r"(?:(?P<era>令和|平成|昭和|R|H)\s*(?P<n>元|\d{1,2})(?!\d)|(?P<greg>(?<!\d)\d{4})(?=\s*年)"
    r"|(?P<same>同年?)(?=\s*\d{1,2}\s*月)|(?<![\d.,])(?P<bare>\d{1,2})(?=\s*年度))"
    r"\s*(?:(?P<fy>年度)|年?\s*(?:[（(]\s*\d{4}\s*年\s*[）)])?\s*(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*日)?"
    r"|(?P<y>年)|\.\s*(?P<dm>\d{1,2})(?:\s*\.\s*(?P<dd>\d{1,2}))?)")


def dates_in(text: str) -> set[str]:
    """Every date written in a text, as ``FY2021`` (年度), ``2024-08``, ``2024-03-01`` or ``2020`` (年 alone).

    Reads 令和/平成/昭和 and R/H dates, Gregorian ``2024年4月``, ``同年4月`` / ``同3月`` (the year last
    named before it) and a bare ``5年度`` as 令和5年度 (the documents are of the 令和 era).

    >>> sorted(dates_in("令和3年8月にWinActorを導入、令和6年度に書かない窓口"))
    ['2021-08', 'FY2024']
    >>> sorted(dates_in("R6.3.1 改正; 令和2年 RPA運用開始; 令和7年4月1日から; 昭和48年"))
    ['1973', '2020', '2024-03-01', '2025-04-01']
    >>> sorted(dates_in("令和5年2月から転入届、同年4月にLoGoフォーム; 平成 28 年（2016 年）3 月策定"))
    ['2016-03', '2023-02', '2023-04']
    >>> sorted(dates_in("2024年4月に開始、2025年度に拡大; 5 年度 ✓; R3:85手続; H20~R 9"))
    ['2024-04', 'FY2023', 'FY2025']
    """
    out, last = set(), None
    for m in _DATE.finditer(normalize_text(text)):
        if m["era"]:
            era = m["era"].upper() if m["era"].isascii() else m["era"]
            year = DATE_ERAS[era] + (1 if m["n"] == "元" else int(m["n"]))
        elif m["greg"]:
            year = int(m["greg"])
        elif m["bare"]:
            year = ERAS["令和"] + int(m["bare"])
        elif last is not None:  # 同年 / 同: the year named last
            year = last
        else:
            continue
        last = year
        month, day = m["m"] or m["dm"], m["d"] or m["dd"]
        if m["fy"]:
            out.add(f"FY{year}")
        elif month:
            out.add(f"{year}-{int(month):02d}" + (f"-{int(day):02d}" if day else ""))
        else:
            out.add(str(year))
    return out


def fiscal_year_of_date(date: str) -> int | None:
    """The fiscal year of a ``YYYY-MM[-DD]`` date (April–March); ``None`` for a bare year.

    >>> fiscal_year_of_date("2024-01"), fiscal_year_of_date("2024-04-01"), fiscal_year_of_date("2020")
    (2023, 2024, None)
    """
    m = re.fullmatch(r"(\d{4})-(\d{2})(?:-\d{2})?", date)
    if not m:
        return None
    year, month = int(m.group(1)), int(m.group(2))
    return year if month >= 4 else year - 1


# ---------------------------------------------------------------- dates

_DATE_ISO = re.compile(r"^(\d{4})[-/.年](\d{1,2})(?:[-/.月](\d{1,2}))?[日月]?(?:末|時点|現在|末時点)*$")
_DATE_ERA = re.compile(r"^(令和|平成|R|H)(元|\d{1,2})[.年/](\d{1,2})(?:月|[./](?=\d))?(?:(\d{1,2})日?)?(?:末|時点|現在|末時点)*$", re.I)


def parse_date(cell: object) -> str:
    """Read a date as ``YYYY-MM`` or ``YYYY-MM-DD`` (empty stays empty); era dates are converted.

    >>> parse_date("R7.1月時点"), parse_date("令和6年12月末時点"), parse_date("2024-12-31"), parse_date("令和7年5月")
    ('2025-01', '2024-12', '2024-12-31', '2025-05')
    """
    if isinstance(cell, _dt.datetime):
        return cell.strftime("%Y-%m-%d")
    if isinstance(cell, _dt.date):
        return cell.isoformat()
    text = normalize_text(cell).replace(" ", "")
    if not text:
        return ""
    m = _DATE_ISO.match(text)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), m.group(3)
    else:
        m = _DATE_ERA.match(text)
        if not m:
            raise CellError("bad_date", text)
        era = m.group(1).upper() if m.group(1).isascii() else m.group(1)
        n = 1 if m.group(2) == "元" else int(m.group(2))
        if n < 1 or n > ERA_LAST_YEAR.get(era, 10**6):
            raise CellError("bad_date", f"{text}: {era} has no year {n}")
        y, mo, d = ERAS[era] + n, int(m.group(3)), m.group(4)
    if not 1 <= mo <= 12:
        raise CellError("bad_date", text)
    if d is None:
        return f"{y:04d}-{mo:02d}"
    try:
        return _dt.date(y, mo, int(d)).isoformat()
    except ValueError:
        raise CellError("bad_date", text) from None
