"""The table format when the output is not a terminal: aligned plain text, one line per row.

Piped output is read by grep, cut and people's scripts: a row never wraps onto a second line, nothing is
cropped, there are no box characters or colours, and Rich (slow to import) is not needed at all.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from shenka_cli.present.document import Cell, Document, Listing
from shenka_cli.render.table import format_number
from shenka_cli.text.safety import visible_line
from shenka_cli.text.width import screen_width

GAP = "  "


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format_number(value)
    return visible_line(str(value))


def _pad(text: str, width: int, right: bool) -> str:
    padding = " " * (width - screen_width(text))
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
        widths = [screen_width(header) for header in headers]
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
                    width = screen_width(value)
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
