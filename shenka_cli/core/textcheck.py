"""Checks on the wording of fact text: placeholders left in, counts written without thousands separators."""

from __future__ import annotations

import re

PLACEHOLDER_MESSAGE = "contains the placeholder"
PLACEHOLDER_WORDS = ("待填写", "待补充", "TODO", "TBD", "FIXME")  # every placeholder holds one of these
PLACEHOLDER = re.compile(r"待填写|待补充|\bTODO\b|\bTBD\b|\bFIXME\b")
# A bare run of four digits: not part of a longer number, a decimal, a date (2024-08) or an identifier.
FOUR_DIGITS = re.compile(r"(?<![\d.,\w-])(\d{4})(?![\d\w]|[.,]\d|-\d)")
# Words that say the number after them is a year (in 2023, since 2010, 2010–2020, the 2025 edition).
YEAR_BEFORE = re.compile(
    r"(?:\b(?:in|since|from|by|of|until|till|to|between|and|or|during|before|after|early|late|mid|year|years|"
    r"end|spring|summer|autumn|winter|january|february|march|april|may|june|july|"
    r"august|september|october|november|december)|[–—(/,])\s*$",
    re.IGNORECASE,
)
# A count is followed by what it counts ("2023 cadres", "1000 projects"); a year rarely is.
COUNTED = re.compile(r"^\s*(?:more\s+)?[a-z][a-z-]*s\b|^\s*(?:people|yuan|mu|ha|km|metres|person-trips)\b")


def placeholder(text: str) -> str | None:
    """The first placeholder (待填写, TODO, TBD…) in the text, if any."""
    if not any(word in text for word in PLACEHOLDER_WORDS):
        return None
    match = PLACEHOLDER.search(text)
    return match.group(0) if match else None


def count_without_separator(text: str) -> str | None:
    """The first four-digit number in English text that reads as a count written without its separator.

    A number from 1900 to 2100 is taken as a year unless what follows is a plural noun and what precedes
    is no year word ("sent 2023 cadres" is a count, "in 2023 cadres were sent" a year); any other bare
    four-digit number (1000, 5000) is a count.
    """
    for match in FOUR_DIGITS.finditer(text):
        number = int(match.group(1))
        if not 1900 <= number <= 2100:
            return match.group(1)
        before, after = text[: match.start()], text[match.end() :]
        if COUNTED.match(after) and not YEAR_BEFORE.search(before):
            return match.group(1)
    return None
