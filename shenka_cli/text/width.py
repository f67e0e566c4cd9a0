"""How many terminal columns text takes: the one measure for plain tables, skeleton comments, charts and SVG.

The standard library's Unicode data, with Rich's rules (so that what shenka lays out lines up with what Rich
draws): East Asian wide and full-width characters take two columns; combining marks, format characters
(zero-width space and joiners, bidirectional marks, but not the soft hyphen), emoji skin-tone modifiers and
a character joined to the one before it by a zero-width joiner (👨‍👩‍👧 is one picture) take none; everything
else one. Rich itself is not imported: piped output never needs it.
"""

from __future__ import annotations

import re
import unicodedata

_SKIN_TONES = range(0x1F3FB, 0x1F400)
_JOINER = "\u200d"
_SOFT_HYPHEN = "\u00ad"
_widths: dict[str, int] = {}

# Text of printable ASCII and of these characters, every one of them wide and three bytes in UTF-8 (CJK ideographs,
# kana, hangul syllables, CJK and full-width punctuation; tests/test_render.py checks each against _char_width), is
# measured from its length and its UTF-8 size without looking at each character: with a ASCII characters and c wide
# ones, the size is a + 3c and the width a + 2c. The narrow punctuation Chinese text quotes with, also three bytes,
# is counted apart (_NARROW_QUOTES) and takes one column.
_WIDE_RANGES = (
    "\u3000-\u3003\u3008-\u3011\u3041-\u3096\u30a1-\u30fa\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3\uff01-\uff60"
)
_NARROW_QUOTES = "\u2014\u2018\u2019\u201c\u201d\u2026"  # — ‘ ’ “ ” …
_ASCII_OR_WIDE = re.compile(f"[\\x20-\\x7e{_WIDE_RANGES}]*")
_ASCII_WIDE_OR_QUOTES = re.compile(f"[\\x20-\\x7e{_WIDE_RANGES}{_NARROW_QUOTES}]*")


def _char_width(char: str) -> int:
    if char == _SOFT_HYPHEN:
        return 1
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf") or ord(char) in _SKIN_TONES:
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def screen_width(text: str) -> int:
    """Columns text takes on a terminal."""
    if text.isascii():
        return len(text)
    if _ASCII_OR_WIDE.fullmatch(text):
        return (len(text.encode()) + len(text)) >> 1
    if _ASCII_WIDE_OR_QUOTES.fullmatch(text):  # a quote is 3 bytes and takes 1 column: (3 + 1) / 2 - 1
        return ((len(text.encode()) + len(text)) >> 1) - sum(map(text.count, _NARROW_QUOTES))
    if _JOINER not in text:
        try:
            return sum(map(_widths.__getitem__, text))
        except KeyError:
            pass  # a character not measured yet: measured below, and known from then on
    total = 0
    joined = False
    for char in text:
        width = _widths.get(char)
        if width is None:
            width = _widths[char] = _char_width(char)
        total += 0 if joined else width
        joined = char == _JOINER
    return total
