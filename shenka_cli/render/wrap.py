"""Line breaking for narrow terminals: Chinese text wraps between characters, but ids, dates, numbers and
written figures never break.

A text is cut into units that are never broken: a run of whitespace (where lines break), an id or word
(kashgar-light-journey-cataract, 2024-08-09, 1,000), a written figure with its magnitude and measure word
(8.4亿元, 1000余个, 2.5万台), a Chinese date (2024年9月20日), a short bracketed note ((推断), (inferred)) or
one Chinese character. Closing punctuation (，。）” …) stays with the unit before it and opening punctuation
(（“《 …) with the unit after it, as Chinese typesetting requires. Lines are filled greedily; only a unit
wider than the whole line is folded, as a last resort.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from shenka_cli.text.width import screen_width as display_width

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult
    from rich.measure import Measurement
    from rich.text import Text

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_UNIT = re.compile(
    r"\s+"
    rf"|[0-9]{{4}}年(?:[0-9]{{1,2}}月(?:[0-9]{{1,2}}[日号])?)?"  # 2024年9月20日
    rf"|[0-9][0-9.,]*(?:[-~–][0-9][0-9.,]*)?[余多]?[十百千万亿]*[余多]?(?:%|[{_CJK}](?<![，。、]))?"  # 8.4亿元
    r"|[(（\[][^\s()（）\[\]]{1,12}[)）\]]"  # (推断), (inferred)
    r"|[A-Za-z0-9][A-Za-z0-9.,:/_\-–+%@#&'’]*"  # ids, words, ISO dates, numbers
    r"|.",
    re.S,
)
CLOSING = frozenset("，。、；：！？）)」』”’》〉%…,.;:!?]}·")
OPENING = frozenset("（(「『“‘《〈[{")


def units(text: str) -> list[str]:
    """The unbreakable units of a text, in order; joined they give the text back."""
    found: list[str] = []
    pending = ""  # opening punctuation waiting for the unit it belongs to
    for match in _UNIT.finditer(text):
        unit = match.group()
        if unit.isspace():
            if pending:
                found.append(pending)
                pending = ""
            found.append(unit)
        elif unit in OPENING:
            pending += unit
        elif unit in CLOSING and found and not found[-1].isspace() and not pending:
            found[-1] += unit
        else:
            found.append(pending + unit)
            pending = ""
    if pending:
        found.append(pending)
    return found


def break_points(text: str, width: int) -> list[tuple[int, int]]:
    """[start, end) of each line of text wrapped to width columns; whitespace at a break is dropped."""
    width = max(width, 1)
    lines: list[tuple[int, int]] = []
    start = position = 0
    used = 0
    for unit in units(text):
        size = display_width(unit)
        end = position + len(unit)
        if unit.isspace():
            if "\n" in unit:
                lines.append((start, position))
                start, used = end, 0
            elif used:
                used += size
        elif used + size <= width or used == 0 and size <= width:
            if used == 0:
                start = position
            used += size
        elif size <= width:
            lines.append((start, _trimmed_end(text, start, position)))
            start, used = position, size
        else:  # wider than a whole line: fold it, character by character
            if used:
                lines.append((start, _trimmed_end(text, start, position)))
            start, used = position, 0
            for index, char in enumerate(unit, start=position):
                char_width = display_width(char)
                if used + char_width > width and used:
                    lines.append((start, index))
                    start, used = index, 0
                used += char_width
        position = end
    lines.append((start, _trimmed_end(text, start, len(text))))
    return [(low, max(low, high)) for low, high in lines]


def _trimmed_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def widest_unit(text: str) -> int:
    return max((display_width(unit) for unit in units(text) if not unit.isspace()), default=0)


class Wrapped:
    """A Rich renderable of styled text that wraps by `break_points`.

    Its narrowest width is its widest unit, or `room` columns when it is longer than that: a table cell asks
    for room enough to be read (a title squeezed into 8 columns is a column of single characters).
    """

    def __init__(self, text: Text, room: int = 0) -> None:
        self.text = text
        self.room = room

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        from rich.measure import Measurement

        plain = self.text.plain
        widest_line = max((display_width(line) for line in plain.split("\n")), default=0)
        narrowest = max(widest_unit(plain), min(self.room, widest_line))
        return Measurement(min(narrowest, options.max_width), min(widest_line, options.max_width))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.segment import Segment

        for start, end in break_points(self.text.plain, options.max_width):
            line = self.text[start:end]
            line.justify = options.justify or self.text.justify
            yield from line.render(console)
            yield Segment.line()


class Whole:
    """A Rich renderable of styled text kept on one line: it asks for its whole width."""

    def __init__(self, text: Text) -> None:
        self.text = text

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        from rich.measure import Measurement

        width = display_width(self.text.plain)
        return Measurement(width, width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Any:
        self.text.no_wrap = True
        self.text.overflow = "ellipsis"  # only when even the card layout is too wide for it
        yield self.text
