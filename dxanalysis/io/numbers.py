"""The strict number grammar: a cell as written in a Japanese table or typed by an analyst → a number.

The parser takes one cell and returns a value or raises :class:`~dxanalysis.io.cells.CellError`
with a stable error code; the loader maps it over the *unique* cells of a column, so a column of
700,000 repeated cells costs a handful of calls.

>>> parse_number("約1.1万件")
ParsedNumber(value=11000.0, approximate=True, unit='件', percent_sign=False, placeholder=False)
>>> parse_number("—").placeholder
True
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import NamedTuple

from .cells import CellError, normalize_text

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
    dxanalysis.io.cells.CellError: ambiguous_number_character: '²' in '10²'
    >>> parse_number("1万2万")
    Traceback (most recent call last):
    ...
    dxanalysis.io.cells.CellError: number_multiplier_order: 万 after 万 in '1万2万'
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
