"""Read figures as English sources write them: "680 million yuan", "more than 5,000 km", "about eight hours".

The number, its scale word and its qualifier are read; the words after the number name what is counted,
and are not compared with the stored unit (the unit is the curator's: 元, 个, 公里).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING

from shenka_cli.core.model import Qualifier, StatKind, Unit

if TYPE_CHECKING:
    from shenka_cli.core.figures import ParsedFigure

WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "hundred": 100,
}
SCALES = {"thousand": 10**3, "million": 10**6, "mln": 10**6, "billion": 10**9, "bln": 10**9, "trillion": 10**12}
QUALIFIERS = {
    Qualifier.ABOUT: ("about", "roughly", "around", "approximately", "nearly", "almost", "some", "close to"),
    Qualifier.MORE_THAN: ("more than", "over", "above", "upwards of", "in excess of", "at least"),
    Qualifier.LESS_THAN: ("less than", "fewer than", "under", "below", "up to"),
}
ORDINALS = re.compile(r"^(?:the\s+)?(\d+)(?:st|nd|rd|th)\b|^(?:the\s+)?(first|second|third)\b", re.IGNORECASE)
_QUALIFIER = "|".join(sorted((w for words in QUALIFIERS.values() for w in words), key=len, reverse=True))
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|" + "|".join(WORDS)
_FIGURE = re.compile(
    rf"^(?:an?\s+(?:extra|additional|further|total\s+of)\s+|a\s+total\s+of\s+)?"
    rf"(?:(?P<qualifier>{_QUALIFIER})\s+)?(?P<currency>[$€¥£])?\s*(?P<number>{_NUMBER})"
    rf"(?:\s*(?:-|–|to)\s*(?P<high>{_NUMBER}))?\s*(?P<scale>{'|'.join(SCALES)})?(?P<percent>\s*%)?\b",
    re.IGNORECASE,
)
ORDINAL_WORDS = {"first": 1, "second": 2, "third": 3}


def is_english(text: str) -> bool:
    """A figure written in English: Latin letters or a currency sign, no Chinese characters (30% is neutral)."""
    return not re.search(r"[\u3400-\u9fff]", text) and re.search(r"[A-Za-z$€¥£]", text) is not None


def _number(text: str) -> Decimal:
    word = text.lower()
    return Decimal(WORDS[word]) if word in WORDS else Decimal(text.replace(",", ""))


def _plain(number: Decimal) -> int | float:
    return int(number) if number == number.to_integral_value() else float(number)


def parse_english_figure(text: str) -> ParsedFigure:
    """What an English written figure says; FigureError when it has no number to read."""
    from shenka_cli.core.figures import FigureError, ParsedFigure  # the Chinese reader, for curation only

    written = text.strip()
    ordinal = ORDINALS.match(written)
    if ordinal:
        value = int(ordinal.group(1)) if ordinal.group(1) else ORDINAL_WORDS[ordinal.group(2).lower()]
        return ParsedFigure(value, value, value, "", Qualifier.EXACT, StatKind.ORDINAL)
    match = _FIGURE.match(written)
    if not match:
        raise FigureError(
            f"cannot read {text!r} as an English figure: expected a number, e.g. '680 million yuan', "
            "'more than 5,000 km', 'about eight hours'"
        )
    scale = SCALES[match.group("scale").lower()] if match.group("scale") else 1
    low = _plain(_number(match.group("number")) * scale)
    if match.group("high"):
        high = _plain(_number(match.group("high")) * scale)
        return ParsedFigure(None, low, high, "", Qualifier.RANGE, StatKind.QUANTITY)
    word = (match.group("qualifier") or "").lower()
    qualifier = next((q for q, words in QUALIFIERS.items() if word in words), Qualifier.EXACT)
    bounds = {
        Qualifier.EXACT: (low, low),
        Qualifier.MORE_THAN: (low, None),
        Qualifier.LESS_THAN: (None, low),
        Qualifier.ABOUT: (None, None),
    }[qualifier]
    return ParsedFigure(low, *bounds, "", qualifier, StatKind.QUANTITY)


# Writing figures in English, from the unit registry (facts/units.toml).

SCALE_WORDS = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"))
QUALIFIER_WORDS = {
    Qualifier.MORE_THAN: "more than",
    Qualifier.ABOUT: "about",
    Qualifier.LESS_THAN: "less than",
}


def grouped(number: int | float | Decimal) -> str:
    """A number with thousands separators and no needless decimals: 2023 → "2,023", 666.5 → "666.5"."""
    exact = Decimal(str(number))
    if exact == exact.to_integral_value():
        return f"{int(exact):,}"
    whole, _, fraction = f"{exact:,f}".partition(".")
    return f"{whole}.{fraction.rstrip('0')}" if fraction.rstrip("0") else whole


def _scaled(number: int | float, scale: int) -> str:
    return grouped(Decimal(str(number)) / scale)


def _scale_for(number: int | float) -> tuple[int, str]:
    """The largest scale word the number reaches (money is written "840 million"), or none."""
    return next(((size, word) for size, word in SCALE_WORDS if abs(number) >= size), (1, ""))


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 11th, 22nd."""
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number:,}{suffix}"


def _converted(number: int | float, factor: float) -> str:
    """A conversion rounded as a reader wants it: whole above 100, else to one decimal."""
    value = number * factor
    return grouped(round(value) if abs(value) >= 100 else round(value, 1))


def english_figure(
    value: int | float | None,
    low: int | float | None,
    high: int | float | None,
    qualifier: Qualifier,
    kind: StatKind,
    unit: Unit | None,
    unit_id: str,
) -> str:
    """A statistic written in English from its unit's registry entry: "CNY 12.656 billion", "more than 990
    people", "10,000 mu (about 667 ha)", "11th batch". A unit the registry lacks follows the number as written,
    in parentheses: "5 (座)"."""
    if kind is StatKind.ORDINAL and value is not None:
        if unit is None:
            return f"{ordinal(int(value))} ({unit_id})"
        return ordinal(int(value)) if unit.format_en == "{n}" else f"{ordinal(int(value))} {unit.name_en}"
    ranged = qualifier is Qualifier.RANGE and low is not None and high is not None
    shown = (high if ranged else value if value is not None else low if low is not None else high) or 0
    money = unit is not None and unit.category == "money"
    size, word = _scale_for(shown) if money else (1, "")

    def number(of: int | float) -> str:
        return _scaled(of, size) + (f" {word}" if word else "")

    if ranged:
        assert low is not None and high is not None
        text = f"{_scaled(low, size)}–{number(high)}"
        amount = high
    else:
        text = number(shown)
        amount = shown
    if unit is None:
        written = f"{text} ({unit_id})"
    else:
        name = unit.name_en if amount == 1 and not ranged else unit.plural_en
        written = unit.format_en.replace("{n}", text).replace("{unit}", name)
        if unit.convert is not None and not ranged:
            written += f" (about {_converted(amount, unit.convert.factor)} {unit.convert.unit})"
    word_before = QUALIFIER_WORDS.get(qualifier)
    return f"{word_before} {written}" if word_before else written
