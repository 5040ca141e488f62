"""Turn cell text, as an analyst types it or a PDF gives it, into values.

Each parser takes one cell and returns a value or raises :class:`CellError`
with a stable error code; the loader maps them over the *unique* cells of a
column, so a column of 700,000 repeated years costs a handful of calls.

>>> parse_fiscal_year("令和6年度"), parse_fiscal_year("H30"), parse_fiscal_year("FY2024")
(2024, 2018, 2024)
>>> parse_number("約1.1万件")
ParsedNumber(value=11000.0, approximate=True, unit='件', percent_sign=False, placeholder=False)
>>> parse_number("—").placeholder
True
"""

from __future__ import annotations

import datetime as _dt
import math
import re
import unicodedata
from typing import NamedTuple


class CellError(ValueError):
    """A cell that cannot be read. ``code`` is a stable error code (see ``dxanalysis.errors``)."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(code if not detail else f"{code}: {detail}")
        self.code = code
        self.detail = detail


# ---------------------------------------------------------------- text

def normalize_text(text: object) -> str:
    """NFKC-normalise a cell, collapse white space and strip it.

    Full-width digits and letters become ASCII, half-width katakana full-width.

    >>> normalize_text("　５，０００件 ")
    '5,000件'
    >>> normalize_text("ﾁｶﾞｻｷ")
    'チガサキ'
    """
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", str(text))).strip()


def squash(text: object) -> str:
    """Normalise and remove all white space: the form in which quotes are compared with sources.

    >>> squash("年間約 14,000 時間")
    '年間約14,000時間'
    """
    return re.sub(r"\s+", "", normalize_text(text))


# ---------------------------------------------------------------- fiscal years

ERAS = {"令和": 2018, "平成": 1988, "R": 2018, "H": 1988}
ERA_LAST_YEAR = {"平成": 31, "H": 31}
"""平成 ended in its 31st year (2019); 令和 has no end yet."""
ERA_FIRST_GREGORIAN = {"令和": 2019, "R": 2019, "平成": 1989, "H": 1989}
MIN_FISCAL_YEAR, MAX_FISCAL_YEAR = 1989, 2100
"""Fiscal years the loader accepts: from 平成元年度 to a generous planning horizon."""

_FY_GREGORIAN = re.compile(r"^(?:FY|fy)?\s*(\d{4})\s*(?:年度|年)?$")
_FY_ERA = re.compile(r"^(令和|平成|R|H)\s*(元|\d{1,3})\s*(?:年度|年)?$", re.IGNORECASE)
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
    dxanalysis.parse.CellError: era_year_out_of_range: 平成 has no year 32 (it ended in its 31st year, 2019)
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


# ---------------------------------------------------------------- numbers

PLACEHOLDERS = frozenset({"", "-", "—", "–", "―", "‐", "ー", "ｰ", "〇〇", "○○", "〇", "○", "…", "N/A", "NA", "n/a", "*", "＊", "未定", "不明"})
"""Cells that say "no number here". After NFKC, ``－`` is ``-``."""
_PLACEHOLDERS_NFKC = frozenset(unicodedata.normalize("NFKC", p) for p in PLACEHOLDERS)
PREFIX_MARKERS = ("約", "およそ", "概ね", "おおむね")
"""Words before a figure that make it approximate (``約1.1万件``)."""
SUFFIX_MARKERS = ("程度", "弱", "強", "超", "突破", "以上", "以下", "未満", "余り", "余", "見込み", "見込", "前後", "ほど")
"""Words after a figure (or after its unit) that make it approximate or a bound (``15%程度``, ``5,000件以上``)."""
APPROX_MARKERS = PREFIX_MARKERS + SUFFIX_MARKERS
"""Words that make a figure approximate or a bound (→ ``approximate=True``)."""
MINUS_SIGNS = ("−", "△", "▲", "-")
MAX_SIGNIFICANT_DIGITS = 17
"""No float prints with more significant digits than this; a longer number is refused outright. A shorter
one is refused too when the float nearest to it prints as another number (``1234567890123456789`` becomes
1234567890123456768 → ``1.2345678901234568e+18``); ``1234567890123456800``, which prints back as itself, is kept."""
_MULTIPLIERS = {"十": 10, "百": 100, "千": 1_000, "万": 10_000, "億": 100_000_000}
_SMALL = ("千", "百", "十")
_BIG = ("億", "万")
_COEFFICIENT = re.compile(r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?")
_NUMBER_HEAD = re.compile(r"[0-9][0-9.,億万千百十]*")

PLAIN_UNITS = frozenset({"", "%", "件", "時間", "人", "人分", "回", "手続", "業務", "施設", "箇所", "枚", "円", "千円", "台",
                         "日", "分", "秒", "団体", "事業", "種類", "校", "講座", "ライセンス", "アプリ", "割", "点", "本"})
"""Units that may follow a plain ASCII number on the fast path (others take the full parser)."""
_PLAIN_NUMBER = re.compile(r"([0-9]{1,3}(?:,[0-9]{3}){1,3}|[0-9]{1,12})(\.[0-9]{1,3})?(\D{0,6})")
"""A plain number of at most 15 digits (so it is exact as a float) and a short unit: the fast path."""


class ParsedNumber(NamedTuple):
    """A number read from a cell, with what was glued to it."""

    value: float
    approximate: bool
    unit: str
    percent_sign: bool
    placeholder: bool


def parse_number(cell: object) -> ParsedNumber:
    """Read a number as written in a Japanese table or typed by an analyst — strictly.

    The grammar: optional approximate markers (``約`` before; ``程度``, ``以上`` … after), an
    optional minus sign (``−``, ``△``, ``▲``), then digits with correctly placed thousands
    separators and an optional decimal part, or a kanji multiplier sequence in descending order
    (``20億4千万``, ``1.1万``, ``3千500``), then a unit without digits. Anything else is refused
    with a reason: two numbers in one cell, a multiplier repeated or out of order, a separator in
    the wrong place, more digits than a float keeps (it would print back as another number).

    >>> parse_number("3,108時間").value, parse_number("15%").unit, parse_number("20億4千万円").value
    (3108.0, '%', 2040000000.0)
    >>> parse_number("15%程度").approximate
    True
    >>> parse_number("10²")
    Traceback (most recent call last):
    ...
    dxanalysis.parse.CellError: ambiguous_number_character: '²' in '10²'
    >>> parse_number("1万2万")
    Traceback (most recent call last):
    ...
    dxanalysis.parse.CellError: number_multiplier_order: 万 after 万 in '1万2万'
    """
    if isinstance(cell, str):
        m = _PLAIN_NUMBER.fullmatch(cell)
        if m and m.group(3) in PLAIN_UNITS:  # fast path: "12,345時間", "85%", "761"
            value = float(m.group(1).replace(",", "") + (m.group(2) or ""))
            return ParsedNumber(value, False, m.group(3), m.group(3) == "%", False)
    if isinstance(cell, bool):
        raise CellError("bad_number", repr(cell))
    if isinstance(cell, (int, float)):
        if isinstance(cell, float) and math.isnan(cell):
            return ParsedNumber(math.nan, False, "", False, True)
        if isinstance(cell, float) and math.isinf(cell):
            raise CellError("number_not_finite", repr(cell))
        if isinstance(cell, int):
            _check_float_keeps(cell, str(cell))
        return ParsedNumber(float(cell), False, "", False, False)
    raw = "" if cell is None else str(cell)
    for ch in raw:  # before NFKC: it would turn ² into 2 and ① into 1
        if unicodedata.category(ch) == "No":
            raise CellError("ambiguous_number_character", f"{ch!r} in {raw.strip()!r}")
    text = normalize_text(raw)
    if text in _PLACEHOLDERS_NFKC or set(text) <= set("-—–―‐ーｰ〇○ "):
        return ParsedNumber(math.nan, False, "", False, True)
    value, approximate, unit = _strict_number(text)
    return ParsedNumber(value, approximate, unit, unit.startswith("%"), False)


def _strict_number(text: str) -> tuple[float, bool, str]:
    """(value, approximate, unit) of a normalised cell, or :class:`CellError` with the reason."""
    rest, approximate = text, False
    text = text if len(text) <= 40 else text[:37] + "…"  # for messages
    changed = True
    while changed:  # markers before the number and after the number or its unit
        changed = False
        for marker in PREFIX_MARKERS:
            if rest.startswith(marker):
                rest, approximate, changed = rest[len(marker):].lstrip(), True, True
        for marker in SUFFIX_MARKERS:
            if rest.endswith(marker) and len(rest) > len(marker):
                rest, approximate, changed = rest[: -len(marker)].rstrip(), True, True
    sign = 1.0
    if rest[:1] in MINUS_SIGNS:
        sign, rest = -1.0, rest[1:].lstrip()
    m = _NUMBER_HEAD.match(rest)
    if not m:
        raise CellError("bad_number", text)
    body, unit = m.group(0), rest[m.end():]
    while body[-1] in ".,":  # "5,000." : the separator belongs to the text after the number
        body, unit = body[:-1], body[-1] + unit
    unit = unit.strip()
    for marker in SUFFIX_MARKERS:  # "3千余人"
        if unit.startswith(marker):
            unit, approximate = unit[len(marker):].strip(), True
    if re.match(r"[0-9]", unit) or (unit[:1] in ".," and re.match(r"[.,]\s*[0-9]", unit)):
        raise CellError("number_two_numbers", f"{text!r}: a second number follows {body!r}")
    if unit[:1] in (".", ","):
        raise CellError("number_separator", f"{text!r}: {unit[0]!r} after the number")
    if re.search(r"[0-9]", unit):
        stray = re.match(r"\D*", unit).group(0)
        raise CellError("number_stray_character", f"{stray!r} inside the number in {text!r}")
    return sign * _kanji_value(body, text), approximate, unit


def _kanji_value(body: str, text: str) -> float:
    """The value of ``1,000万``, ``20億4千万``, ``1.1万``, ``3千500``; refuses anything irregular."""
    from decimal import Decimal

    tokens = re.findall(r"[0-9][0-9,.]*|[億万千百十]", body)
    coefficients = [t for t in tokens if t[0].isdigit()]
    for c in coefficients:
        significant = len(c.replace(",", "").replace(".", "").strip("0"))
        if significant > MAX_SIGNIFICANT_DIGITS:
            raise CellError("number_too_precise",
                            f"{text!r} has {significant} significant digits (a float keeps {MAX_SIGNIFICANT_DIGITS})")
        if c.count(".") > 1:
            raise CellError("bad_number", text)
        if not _COEFFICIENT.fullmatch(c):
            raise CellError("number_separator", f"{c!r} in {text!r} (thousands separators group three digits)")
    if any("." in c for c in coefficients) and not (len(tokens) <= 2 and tokens[0][0].isdigit()):
        raise CellError("number_multiplier_order", f"a decimal is only allowed before one multiplier: {text!r}")
    total, section, last_big, last_small = Decimal(0), Decimal(0), None, None
    pending: Decimal | None = None
    leading = True
    for tok in tokens:
        if tok[0].isdigit():
            if pending is not None:
                raise CellError("number_two_numbers", text)
            pending = Decimal(tok.replace(",", ""))
            continue
        if pending is None and not (tok in _BIG and last_small is not None):
            raise CellError("number_multiplier_order", f"{tok} without a number before it in {text!r}")
        if tok in _SMALL:
            if last_small is not None and _SMALL.index(tok) <= _SMALL.index(last_small):
                raise CellError("number_multiplier_order", f"{tok} after {last_small} in {text!r}")
            if not leading and pending >= 10:
                raise CellError("number_multiplier_order", f"{pending}{tok} in {text!r} (one digit before {tok})")
            section += pending * _MULTIPLIERS[tok]
            last_small = tok
        else:
            if last_big is not None and _BIG.index(tok) <= _BIG.index(last_big):
                raise CellError("number_multiplier_order", f"{tok} after {last_big} in {text!r}")
            section += pending or 0
            if not leading and section >= 10_000:
                raise CellError("number_multiplier_order", f"{section}{tok} in {text!r} (less than 1万 before {tok})")
            total += section * _MULTIPLIERS[tok]
            section, last_big, last_small = Decimal(0), tok, None
        pending, leading = None, False
    if pending is not None:
        limit = _MULTIPLIERS[last_small] if last_small else (10_000 if last_big else None)
        if limit is not None and pending >= limit:
            raise CellError("number_multiplier_order", f"{pending} after {last_small or last_big} in {text!r}")
        if limit is not None and limit >= 1000 and pending < 10 and tokens[-1] == str(pending):
            raise CellError("number_multiplier_order", f"{text!r}: is it {pending} or {pending}{'00' if limit == 1000 else '000'}"
                            f" after {last_small or last_big}? write the number in full")
        section += pending
    return _check_float_keeps(total + section, text)


def _check_float_keeps(exact, text: str) -> float:
    """``float(exact)``, or :class:`CellError` when the float would print back as a different number."""
    from decimal import Decimal

    value = float(exact)
    if not math.isfinite(value):
        raise CellError("number_not_finite", text)
    if Decimal(repr(value)) != Decimal(exact):
        raise CellError("number_too_precise", f"{text!r}: a float keeps it as {value!r}, another number")
    return value


def _kanji_number(text: str) -> float:
    """Lenient reading of a number in *document text* (for :func:`numbers_in`): ``1,000万`` → 10000000."""
    if not re.fullmatch(r"(\d{1,3}(,\d{3})+|\d+)(\.\d+)?|.*[億万千百十].*", text):
        raise ValueError(text)
    tokens = re.findall(r"\d[\d,]*(?:\.\d+)?|[億万千百十]", text)
    if "".join(tokens) != text:
        raise ValueError(text)
    total = section = 0.0
    num: float | None = None
    for tok in tokens:
        if tok[0].isdigit():
            if num is not None:
                raise ValueError(text)
            num = float(tok.replace(",", ""))
        elif tok in "千百十":
            section += (1.0 if num is None else num) * _MULTIPLIERS[tok]
            num = None
        else:  # 万, 億
            total += (section + (num or 0.0)) * _MULTIPLIERS[tok]
            section, num = 0.0, None
    return total + section + (num or 0.0)


def numbers_in(text: str) -> set[float]:
    """All numbers that can be read in a text (the check that a value is in its quote).

    >>> sorted(numbers_in("年間約 14,000 時間もの作業削減"))
    [14000.0]
    >>> 11000.0 in numbers_in("約1.1万件"), 0.0 in numbers_in("R6 761")
    (True, False)
    """
    out: set[float] = set()
    flat = normalize_text(text)
    for m in re.finditer(r"\d[\d,]*(?:\.\d+)?(?:[億万千百十]+(?:\d[\d,]*(?:\.\d+)?[億万千百十]*)*)?", flat):
        tok = m.group(0)
        for candidate in {tok, tok.rstrip(",")}:
            try:
                out.add(_kanji_number(candidate))
            except ValueError:
                pass
        for plain in re.findall(r"\d[\d,]*(?:\.\d+)?", tok):
            plain = plain.rstrip(",")
            grouped = re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", plain)  # 14,000 is one number; 1,2 is two
            for part in ([plain.replace(",", "")] if grouped else plain.split(",")):
                if part:
                    out.add(float(part))
    return out


# ---------------------------------------------------------------- booleans

_TRUE = {"true", "1", "yes", "y", "はい", "○", "〇", "✓", "t", "約"}
_FALSE = {"false", "0", "no", "n", "いいえ", "", "f", "×"}


def parse_bool(cell: object) -> bool:
    """Read a yes/no cell (``true``/``はい``/``○`` or ``false``/``いいえ``/empty).

    >>> parse_bool("はい"), parse_bool(""), parse_bool(True)
    (True, False, True)
    """
    if isinstance(cell, bool):
        return cell
    if isinstance(cell, (int, float)) and not (isinstance(cell, float) and math.isnan(cell)):
        if cell in (0, 1):
            return bool(cell)
        raise CellError("bad_boolean", repr(cell))
    text = normalize_text(cell).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError("bad_boolean", text)


# ---------------------------------------------------------------- spreadsheet cells

class Formula(str):
    """The text of a formula cell (``=SUM(…)``): kept so validation can refuse it by name."""


class ExcelError(str):
    """An Excel error cell (``#N/A``, ``#DIV/0!``): the document had no figure there, or a broken one."""


def cell_text(cell: object) -> object:
    """A cell of a text column as the analyst sees it: ``761`` not ``761.0``, a date as ``2024-04-01``.

    Text is returned unchanged, empty cells as None; formulas and error cells keep their class.

    >>> cell_text(761.0), cell_text(0.5), cell_text(142077), cell_text("R6 761")
    ('761', '0.5', '142077', 'R6 761')
    >>> import datetime as dt; cell_text(dt.datetime(2024, 4, 1))
    '2024-04-01'
    """
    if cell is None or isinstance(cell, str):
        return cell
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, int):
        return str(cell)
    if isinstance(cell, float):
        if math.isnan(cell):
            return None
        return str(int(cell)) if cell.is_integer() and abs(cell) < 1e15 else repr(cell)
    if isinstance(cell, _dt.datetime):
        return cell.date().isoformat() if cell.time() == _dt.time() else cell.isoformat(sep=" ")
    if isinstance(cell, (_dt.date, _dt.time)):
        return cell.isoformat()
    return str(cell)


def percent_text(value: float) -> str:
    """The text of a numeric cell formatted as a percentage, exactly: 0.15 → ``15%``, 0.153 → ``15.3%``.

    >>> percent_text(0.15), percent_text(0.153), percent_text(1.0)
    ('15%', '15.3%', '100%')
    """
    from decimal import Decimal

    scaled = (Decimal(repr(float(value))) * 100).normalize()
    text = format(scaled, "f")
    return (text.rstrip("0").rstrip(".") if "." in text else text) + "%"


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
