"""The table format when the output is not a terminal: aligned plain text, one line per row.

Piped output is read by grep, cut and people's scripts: a row never wraps onto a second line, nothing is
cropped, there are no box characters or colours, and Rich (slow to import) is not needed at all.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from shenka_cli.present.document import Cell, Document, Listing
from shenka_cli.render.table import format_number
from shenka_cli.text.safety import visible_line

GAP = "  "
# East Asian wide and full-width characters (two columns) and combining marks (none): classes generated from
# Python 3.11's unicodedata (Unicode 14.0.0), assigned code points only, gaps of unassigned ones bridged.
_WIDE = re.compile(
    "["
    "\u1100-\u115f\u231a-\u231b\u2329-\u232a\u23e9-\u23ec\u23f0\u23f3\u25fd-\u25fe\u2614-\u2615"
    "\u2648-\u2653\u267f\u2693\u26a1\u26aa-\u26ab\u26bd-\u26be\u26c4-\u26c5\u26ce\u26d4\u26ea"
    "\u26f2-\u26f3\u26f5\u26fa\u26fd\u2705\u270a-\u270b\u2728\u274c\u274e\u2753-\u2755\u2757\u2795-\u2797"
    "\u27b0\u27bf\u2b1b-\u2b1c\u2b50\u2b55\u2e80-\u303e\u3041-\u3247\u3250-\u4dbf\u4e00-\ua4c6"
    "\ua960-\ua97c\uac00-\ud7a3\uf900-\ufad9\ufe10-\ufe19\ufe30-\ufe6b\uff01-\uff60\uffe0-\uffe6"
    "\U00016fe0-\U0001b2fb\U0001f004\U0001f0cf\U0001f18e\U0001f191-\U0001f19a\U0001f200-\U0001f320"
    "\U0001f32d-\U0001f335\U0001f337-\U0001f37c\U0001f37e-\U0001f393\U0001f3a0-\U0001f3ca"
    "\U0001f3cf-\U0001f3d3\U0001f3e0-\U0001f3f0\U0001f3f4\U0001f3f8-\U0001f43e\U0001f440"
    "\U0001f442-\U0001f4fc\U0001f4ff-\U0001f53d\U0001f54b-\U0001f54e\U0001f550-\U0001f567\U0001f57a"
    "\U0001f595-\U0001f596\U0001f5a4\U0001f5fb-\U0001f64f\U0001f680-\U0001f6c5\U0001f6cc"
    "\U0001f6d0-\U0001f6d2\U0001f6d5-\U0001f6df\U0001f6eb-\U0001f6ec\U0001f6f4-\U0001f6fc"
    "\U0001f7e0-\U0001f7f0\U0001f90c-\U0001f93a\U0001f93c-\U0001f945\U0001f947-\U0001f9ff"
    "\U0001fa70-\U0001faf6\U00020000-\U0003134a"
    "]"
)
_ZERO_WIDTH = re.compile(
    "["
    "\u0300-\u034e\u0350-\u036f\u0483-\u0487\u0591-\u05bd\u05bf\u05c1-\u05c2\u05c4-\u05c5\u05c7"
    "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7-\u06e8\u06ea-\u06ed\u0711"
    "\u0730-\u074a\u07eb-\u07f3\u07fd\u0816-\u0819\u081b-\u0823\u0825-\u0827\u0829-\u082d\u0859-\u085b"
    "\u0898-\u089f\u08ca-\u08e1\u08e3-\u08ff\u093c\u094d\u0951-\u0954\u09bc\u09cd\u09fe\u0a3c\u0a4d\u0abc"
    "\u0acd\u0b3c\u0b4d\u0bcd\u0c3c\u0c4d-\u0c56\u0cbc\u0ccd\u0d3b-\u0d3c\u0d4d\u0dca\u0e38-\u0e3a"
    "\u0e48-\u0e4b\u0eb8-\u0eba\u0ec8-\u0ecb\u0f18-\u0f19\u0f35\u0f37\u0f39\u0f71-\u0f72\u0f74"
    "\u0f7a-\u0f7d\u0f80\u0f82-\u0f84\u0f86-\u0f87\u0fc6\u1037\u1039-\u103a\u108d\u135d-\u135f"
    "\u1714-\u1715\u1734\u17d2\u17dd\u18a9\u1939-\u193b\u1a17-\u1a18\u1a60\u1a75-\u1a7f\u1ab0-\u1abd"
    "\u1abf-\u1ace\u1b34\u1b44\u1b6b-\u1b73\u1baa-\u1bab\u1be6\u1bf2-\u1bf3\u1c37\u1cd0-\u1cd2"
    "\u1cd4-\u1ce0\u1ce2-\u1ce8\u1ced\u1cf4\u1cf8-\u1cf9\u1dc0-\u1dff\u20d0-\u20dc\u20e1\u20e5-\u20f0"
    "\u2cef-\u2cf1\u2d7f\u2de0-\u2dff\u302a-\u302f\u3099-\u309a\ua66f\ua674-\ua67d\ua69e-\ua69f"
    "\ua6f0-\ua6f1\ua806\ua82c\ua8c4\ua8e0-\ua8f1\ua92b-\ua92d\ua953\ua9b3\ua9c0\uaab0\uaab2-\uaab4"
    "\uaab7-\uaab8\uaabe-\uaabf\uaac1\uaaf6\uabed\ufb1e\ufe20-\ufe2f\U000101fd\U000102e0"
    "\U00010376-\U0001037a\U00010a0d\U00010a0f\U00010a38-\U00010a3f\U00010ae5-\U00010ae6"
    "\U00010d24-\U00010d27\U00010eab-\U00010eac\U00010f46-\U00010f50\U00010f82-\U00010f85\U00011046"
    "\U00011070\U0001107f\U000110b9-\U000110ba\U00011100-\U00011102\U00011133-\U00011134\U00011173"
    "\U000111c0\U000111ca\U00011235-\U00011236\U000112e9-\U000112ea\U0001133b-\U0001133c\U0001134d"
    "\U00011366-\U00011374\U00011442\U00011446\U0001145e\U000114c2-\U000114c3\U000115bf-\U000115c0"
    "\U0001163f\U000116b6-\U000116b7\U0001172b\U00011839-\U0001183a\U0001193d-\U0001193e\U00011943"
    "\U000119e0\U00011a34\U00011a47\U00011a99\U00011c3f\U00011d42\U00011d44-\U00011d45\U00011d97"
    "\U00016af0-\U00016af4\U00016b30-\U00016b36\U00016ff0-\U00016ff1\U0001bc9e\U0001d165-\U0001d169"
    "\U0001d16d-\U0001d172\U0001d17b-\U0001d182\U0001d185-\U0001d18b\U0001d1aa-\U0001d1ad"
    "\U0001d242-\U0001d244\U0001e000-\U0001e02a\U0001e130-\U0001e136\U0001e2ae\U0001e2ec-\U0001e2ef"
    "\U0001e8d0-\U0001e8d6\U0001e944-\U0001e94a"
    "]"
)


def display_width(text: str) -> int:
    """Columns a string takes on a terminal: East Asian wide and full-width characters take two."""
    if text.isascii():
        return len(text)
    wide = len(text) - len(_WIDE.sub("", text))
    zero = len(text) - len(_ZERO_WIDTH.sub("", text)) if _ZERO_WIDTH.search(text) else 0
    return len(text) + wide - zero


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format_number(value)
    return visible_line(str(value))


def _pad(text: str, width: int, right: bool) -> str:
    padding = " " * (width - display_width(text))
    return padding + text if right else text + padding


BLOCK = 1000
"""Rows are aligned in blocks: a listing of up to BLOCK rows exactly, a longer one as it streams (columns widen
when a later block needs it, never narrow)."""


def render_listing(listing: Listing) -> list[str]:
    return list(stream_listing(listing))


def stream_listing(listing: Listing) -> Iterator[str]:
    """The lines of one listing (without line ends), read and aligned a block of rows at a time."""
    if listing.title:
        yield visible_line(listing.title)
    rows = iter(listing.rows)
    block = list(itertools.islice(rows, BLOCK))
    if not block:
        yield visible_line(listing.empty_message)
    else:
        keys = [column.key for column in listing.columns]
        headers = [visible_line(column.header) for column in listing.columns]
        widths = [display_width(header) for header in headers]
        right = [column.numeric for column in listing.columns]
        last = len(widths) - 1

        def line(values: list[str]) -> str:
            padded = [
                _pad(value, widths[i], right[i]) if i < last or right[i] else value for i, value in enumerate(values)
            ]
            return GAP.join(padded).rstrip()

        group: str | None = None
        first = True
        while block:
            cells = [[_text(row.cells.get(key)) for key in keys] for row in block]
            for values in cells:
                for i, value in enumerate(values):
                    width = display_width(value)
                    if width > widths[i]:
                        widths[i] = width
            if first:
                yield line(headers)
                yield GAP.join("-" * width for width in widths)
                first = False
            for row, values in zip(block, cells, strict=True):
                if row.group is not None and row.group != group:
                    yield f"[{visible_line(row.group)}]"
                group = row.group
                yield line(values)
            block = list(itertools.islice(rows, BLOCK))
    if listing.note:
        yield visible_line(listing.note)


def render_plain(document: Document) -> str:
    """The document as aligned plain text, listings separated by a blank line."""
    return "".join(stream_plain(document))


def stream_plain(document: Document) -> Iterator[str]:
    """The document as aligned plain text, a line at a time."""
    for index, listing in enumerate(document.listings):
        if index:
            yield "\n"
        for text in stream_listing(listing):
            yield text + "\n"
