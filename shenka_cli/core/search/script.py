"""Traditional and simplified Chinese: one script for search, and traditional for readers who want it (OpenCC).

OpenCC is imported only for text holding a character that its traditional-to-simplified table changes
(the precomputed set in traditional.py), or when traditional output is asked for.
"""

from __future__ import annotations

import functools
import re
from typing import Any


def has_traditional(text: str) -> bool:
    """Whether the text holds a character that differs between the scripts (a few characters: a plain scan)."""
    if text.isascii():
        return False
    from shenka_cli.core.search.traditional import TRADITIONAL_ONLY

    return any(char in TRADITIONAL_ONLY for char in text if char >= "\u3400")


SHORT = 128  # a text shorter than this is scanned plainly: compiling the classes costs ~10 ms, or 200,000 characters


@functools.cache
def _traditional_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """TRADITIONAL_ONLY as two character classes, for scanning long texts at build time: the BMP characters
    (one class that sre checks by table, about 2 µs a fact) and the others (a class mixing both scans about
    fifty times slower, so it is searched only in text that holds a character beyond the BMP)."""
    from shenka_cli.core.search.traditional import TRADITIONAL_ONLY

    basic = "".join(char for char in TRADITIONAL_ONLY if char <= "\uffff")
    astral = "".join(char for char in TRADITIONAL_ONLY if char > "\uffff")
    return re.compile("[" + re.escape(basic) + "]"), re.compile("[" + re.escape(astral) + "]")


def _beyond_bmp(text: str) -> bool:
    """Whether the text holds a character beyond the BMP (UTF-16 then needs more than 2 bytes a character;
    the codec counts in C, about ten times faster than a regex range)."""
    return len(text.encode("utf-16-le", "surrogatepass")) != 2 * len(text)


def holds_traditional(text: str) -> bool:
    """has_traditional for long texts (fact fields at build time); a short one (a query, an entity's name on the
    warm path) is scanned plainly, which costs less than making the character classes."""
    if text.isascii():
        return False
    if len(text) < SHORT:
        return has_traditional(text)
    basic, astral = _traditional_patterns()
    if basic.search(text) is not None:
        return True
    return _beyond_bmp(text) and astral.search(text) is not None


@functools.cache
def _converter(config: str) -> Any:
    import opencc

    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    """The text in simplified characters, character for character (unchanged when it holds no traditional one)."""
    if not holds_traditional(text):
        return text
    converted = _converter("t2s").convert(text)
    return converted if len(converted) == len(text) else text


def to_traditional(text: str, config: str = "s2t") -> str:
    """The text in traditional characters, as OpenCC writes them (phrases first, then characters): its own
    standard (s2t), or as Hong Kong (s2hk) or Taiwan (s2tw) write them."""
    if text.isascii():
        return text
    return _converter(config).convert(text)
