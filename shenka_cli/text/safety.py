"""Make untrusted text safe to show: control characters and bidirectional overrides become visible escapes."""

from __future__ import annotations

import re

_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# C0 controls but tab and newline, DEL, C1 controls, bidi controls, line and paragraph separators.
UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}\u2028\u2029]")
# In a file, a carriage return before a newline is an ordinary Windows line ending.
_UNSAFE_IN_FILE = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI}\u2028\u2029]|\r(?!\n)")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """Replace every unsafe character with a visible escape such as \\x1b or \\u202e."""
    return UNSAFE.sub(_escape, text) if UNSAFE.search(text) else text


def visible_line(text: str) -> str:
    """Like visible, and newlines and tabs become spaces: for one-line contexts such as messages."""
    return visible(text).replace("\n", " ").replace("\t", " ")


def unsafe_characters(text: str) -> list[tuple[int, str]]:
    """(line, escaped character) for each unsafe character in a file's text."""
    found = []
    for match in _UNSAFE_IN_FILE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        found.append((line, _escape(match)))
    return found
