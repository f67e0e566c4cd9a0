"""How many terminal columns text takes: the one measure for plain tables, skeleton comments, charts and SVG.

The standard library's Unicode data, with Rich's rules (so that what shenka lays out lines up with what Rich
draws): East Asian wide and full-width characters take two columns; combining marks, format characters
(zero-width space and joiners, bidirectional marks, but not the soft hyphen), emoji skin-tone modifiers and
a character joined to the one before it by a zero-width joiner (👨‍👩‍👧 is one picture) take none; everything
else one. Rich itself is not imported: piped output never needs it.
"""

from __future__ import annotations

import unicodedata

_SKIN_TONES = range(0x1F3FB, 0x1F400)
_JOINER = "\u200d"
_SOFT_HYPHEN = "\u00ad"
_widths: dict[str, int] = {}


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
