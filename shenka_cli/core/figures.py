"""Parse Chinese written figures such as 8.4亿元, 1000余个, 7-10天, 千万亩, 八点四亿元 and 第十一批.

A written figure is: an optional prefix, a number, an optional 余/多 (more than), an optional magnitude
(万, 亿, 千万…), an optional second 余/多, a measure word, an optional 多 after it (两年多), and an optional
左右 (about). A range joins two numbers with -, ~, ～, —, 到 or 至; a magnitude written only on the high
end applies to both (3-5万 is 30,000-50,000).

- Numbers: Arabic with decimals (8.4, 1,000 after the caller drops the commas), or Chinese numerals
  (两千零二十三, 一千零五十, 十万, 万) with decimals written with 点 (八点四亿: 840,000,000).
- Prefixes: 约, 大约, 近, 将近 (about: 近千 is about 1,000); 逾, 超, 超过 (more than); 不到, 不足 (less
  than: the figure is the high end); 上 and 数/几 before a bare magnitude (上万, 上百: more than 10,000
  and 100; 数十, 几十: more than 10, "tens of"); 第 and 首 (ordinals).
- Percentages: 30%, 30％ and 百分之三十 all read as 30 in the unit "%".
- Neighbouring digits are an estimate between them (两三百人: 200-300 people), and 十几 is eleven to nineteen.
- A range whose high end is "more than" (3-5万余元) has an open top: it reads as more than its low end
  (more than 30,000), not as the exact range 30,000-50,000.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from shenka_cli.core.model import Qualifier, StatKind

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
LARGE_UNITS = {"万": 10**4, "亿": 10**8}
MAGNITUDES = {
    "万亿": 10**12,
    "千亿": 10**11,
    "百亿": 10**10,
    "十亿": 10**9,
    "亿": 10**8,
    "千万": 10**7,
    "百万": 10**6,
    "十万": 10**5,
    "万": 10**4,
    "千": 10**3,
    "百": 10**2,
}
PEOPLE_UNITS = {"名": "人", "位": "人", "批次": "批"}
GRADE = re.compile(r"^(\d)A级$")
BOTH = ("双双",)
SCALE_WORD = re.compile(r"^[百千]?[万亿]$")  # 万亩, 千万亩: a scale (a ten-thousand-mu-class base), not a count
PERCENT = "%"

# Prefixes and what they make of the figure; 上, 数 and 几 only before a bare magnitude (上万, 数十).
ABOUT_PREFIXES = ("大约", "将近", "约", "近")
MORE_PREFIXES = ("超过", "逾", "超")
LESS_PREFIXES = ("不到", "不足")
VAGUE_PREFIXES = ("上", "数", "几")
ORDINAL_PREFIXES = ("第", "首")

_CN_NUMERAL = "零〇一二两三四五六七八九十百千万亿"
_CN_DIGIT = "零〇一二两三四五六七八九"
NUMBER_PATTERN = rf"(?:\d+(?:\.\d+)?|[{_CN_NUMERAL}]+(?:点[{_CN_DIGIT}]+)?)"
_MAGNITUDE = "|".join(sorted(MAGNITUDES, key=len, reverse=True))
_SIDE = rf"(?P<{{p}}num>{NUMBER_PATTERN})(?P<{{p}}more1>[余多])?(?P<{{p}}mag>{_MAGNITUDE})?(?P<{{p}}more2>[余多])?"
_PREFIX = "|".join(ABOUT_PREFIXES + MORE_PREFIXES + LESS_PREFIXES + ORDINAL_PREFIXES)
_FIGURE_RE = re.compile(
    rf"^(?:(?P<prefix>{_PREFIX})|(?P<vague>[上数几])(?=[十百千万亿]))?"
    + _SIDE.format(p="lo_")
    + r"(?:\s*(?P<dash>[-~～—–至到])\s*"
    + _SIDE.format(p="hi_")
    + r")?(?P<unit>[^\d\s余多左右]*?)(?P<trail>[余多])?(?P<suffix>左右)?$"
)
# 两三百人, 三四十个, 七八千: two neighbouring digits are an estimate between them (200-300, 30-40, 7,000-8,000);
# 十几个, 二十几万: "ten-odd" (11-19, 210,000-290,000).
_NEIGHBOURS_RE = re.compile(r"^(?P<first>[一两二三四五六七八])(?P<second>[两二三四五六七八九])(?P<rest>.*)$")
_TEN_ODD_RE = re.compile(r"^(?P<tens>[一二两三四五六七八九]?十)几(?P<rest>.*)$")
_PERCENT_RE = re.compile(rf"^(?P<prefix>{_PREFIX})?百分之(?P<number>{NUMBER_PATTERN})$")


class FigureError(ValueError):
    """A written figure that cannot be read."""


@dataclass(frozen=True, slots=True)
class ParsedFigure:
    """What a written figure says: its number(s) in base units, measure word, qualifier and kind."""

    value: int | float | None
    low: int | float | None
    high: int | float | None
    unit: str
    qualifier: Qualifier
    kind: StatKind


def canonical_unit(unit: str) -> str:
    """The unit a figure is stored and compared in: 名 and 位 count people (人); 批次 is 批."""
    return PEOPLE_UNITS.get(unit, unit)


def chinese_numeral(text: str) -> int:
    """Value of a Chinese numeral: 十一 → 11, 两 → 2, 一千零五 → 1005, 千万 → 10,000,000."""
    total = section = digit = 0
    seen_digit = False
    for char in text:
        if char in DIGITS:
            digit, seen_digit = DIGITS[char], True
        elif char in SMALL_UNITS:
            section += (digit if seen_digit else 1) * SMALL_UNITS[char]
            digit, seen_digit = 0, False
        elif char in LARGE_UNITS:
            section += digit
            if section == 0:
                section = 1
            if LARGE_UNITS[char] == 10**4 and total and total % 10**8 == 0:
                total += section * 10**4
            else:
                total = (total + section) * LARGE_UNITS[char]
            section = digit = 0
            seen_digit = False
        else:
            raise FigureError(f"{char!r} is not a Chinese numeral")
    return total + section + digit


def _number(text: str) -> Decimal:
    if text[0].isdigit():
        try:
            return Decimal(text)
        except InvalidOperation as error:  # pragma: no cover - the regex admits only valid decimals
            raise FigureError(f"cannot read {text!r} as a number") from error
    whole, _, fraction = text.partition("点")
    number = Decimal(chinese_numeral(whole))
    if fraction:  # 八点四五: the digits after 点 are read one by one
        number += Decimal("0." + "".join(str(DIGITS[char]) for char in fraction))
    return number


def _plain(number: Decimal) -> int | float:
    return int(number) if number == number.to_integral_value() else float(number)


def _side(match: re.Match[str], prefix: str) -> tuple[Decimal | None, int | None, bool]:
    raw = match.group(f"{prefix}num")
    if raw is None:
        return None, None, False
    magnitude = match.group(f"{prefix}mag")
    more = bool(match.group(f"{prefix}more1") or match.group(f"{prefix}more2"))
    return _number(raw), MAGNITUDES[magnitude] if magnitude else None, more


def _percent(written: str) -> str:
    """百分之三十 as 30%, with any prefix kept (约百分之三十 → 约三十%)."""
    match = _PERCENT_RE.match(written)
    return f"{match.group('prefix') or ''}{match.group('number')}{PERCENT}" if match else written


def parse_figure(text: str) -> ParsedFigure:
    """Read a written figure; raise FigureError when it does not follow the grammar above."""
    written = _percent(text.strip().replace("％", PERCENT))
    if written.startswith("首") and not written[1:2].isdigit() and written[1:2] not in _CN_NUMERAL:
        unit = written[1:]
        if not unit:
            raise FigureError(f"{text!r} has no measure word after 首")
        return ParsedFigure(1, 1, 1, canonical_unit(unit), Qualifier.EXACT, StatKind.ORDINAL)
    grade = GRADE.match(written)
    if grade:  # 5A级: a scenic area's grade, read as an ordinal
        grade_value = int(grade.group(1))
        return ParsedFigure(grade_value, grade_value, grade_value, "级", Qualifier.EXACT, StatKind.ORDINAL)
    if written in BOTH:  # 双双: "both", two things the text names
        return ParsedFigure(2, 2, 2, "", Qualifier.EXACT, StatKind.QUANTITY)
    estimate = _estimate(written)
    if estimate is not None:
        return estimate
    match = _FIGURE_RE.match(written)
    # A figure may lack a measure word when the noun follows it in the text (10.3万 脱贫人口, 排名第一).
    unitless = match is not None and not match.group("unit") and (match.group("lo_mag") or match.group("prefix"))
    if not match or (not match.group("unit") and not unitless) or "点" in match.group("unit") or "百分之" in written:
        raise FigureError(
            f"cannot read {text!r} as a figure: expected a number followed by a measure word, "
            "for example 8.4亿元, 1000余个, 7-10天"
        )
    low, low_mag, low_more = _side(match, "lo_")
    high, high_mag, high_more = _side(match, "hi_")
    prefix = match.group("prefix") or ""
    kind = StatKind.ORDINAL if prefix in ORDINAL_PREFIXES or match.group("unit") == "周年" else StatKind.QUANTITY
    # 第一位 is a rank, not a person: ordinals keep their measure word as written.
    unit = match.group("unit") if kind is StatKind.ORDINAL else canonical_unit(match.group("unit"))
    assert low is not None
    if high is not None:
        high_scaled = high * (high_mag or 1)
        low_scaled = low * (low_mag or high_mag or 1)
        if low_scaled > high_scaled:
            raise FigureError(f"{text!r} is a range whose low end is above its high end")
        low_value, high_value = _plain(low_scaled), _plain(high_scaled)
        if high_more or match.group("trail"):  # 3-5万余元: the top is open, so "more than" its low end
            return ParsedFigure(low_value, low_value, None, unit, Qualifier.MORE_THAN, kind)
        return ParsedFigure(None, low_value, high_value, unit, Qualifier.RANGE, kind)
    value = _plain(low * (low_mag or 1))
    if low_more or match.group("trail") or prefix in MORE_PREFIXES or match.group("vague"):
        return ParsedFigure(value, value, None, unit, Qualifier.MORE_THAN, kind)
    if prefix in LESS_PREFIXES:
        return ParsedFigure(value, None, value, unit, Qualifier.LESS_THAN, kind)
    scale_word = SCALE_WORD.match(match.group("lo_num")) is not None and not match.group("lo_mag")
    if prefix in ABOUT_PREFIXES or match.group("suffix") or scale_word:
        return ParsedFigure(value, None, None, unit, Qualifier.ABOUT, kind)
    return ParsedFigure(value, value, value, unit, Qualifier.EXACT, kind)


def _estimate(written: str) -> ParsedFigure | None:
    """两三百人 as the range 200-300 people, 十几个 as 11-19; None for any other figure."""
    neighbours = _NEIGHBOURS_RE.match(written)
    if neighbours and DIGITS[neighbours["second"]] == DIGITS[neighbours["first"]] + 1:
        low_text, high_text = neighbours["first"] + neighbours["rest"], neighbours["second"] + neighbours["rest"]
    else:
        ten_odd = _TEN_ODD_RE.match(written)
        if not ten_odd:
            return None
        low_text, high_text = ten_odd["tens"] + "一" + ten_odd["rest"], ten_odd["tens"] + "九" + ten_odd["rest"]
    try:
        low, high = parse_figure(low_text), parse_figure(high_text)
    except FigureError:
        return None
    if low.qualifier is not Qualifier.EXACT or high.qualifier is not Qualifier.EXACT or low.kind is not high.kind:
        return None
    return ParsedFigure(None, low.value, high.value, low.unit, Qualifier.RANGE, low.kind)


def same_number(a: int | float | None, b: int | float | None) -> bool:
    """Equal as numbers, allowing for binary rounding of decimals such as 8.4 × 10⁸."""
    if a is None or b is None:
        return a is b
    return abs(a - b) <= 1e-9 * max(abs(a), abs(b), 1)
