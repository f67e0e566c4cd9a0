"""The table format when the output is not a terminal: aligned plain text, one line per row.

Piped output is read by grep, cut and people's scripts: a row never wraps onto a second line, nothing is
cropped, there are no box characters or colours, and Rich (slow to import) is not needed at all.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from shenka_cli.present.document import Cell, Document, Listing, Row
from shenka_cli.render.table import format_number
from shenka_cli.text.safety import UNSAFE, visible_line
from shenka_cli.text.width import screen_width

GAP = "  "


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format_number(value)
    return visible_line(str(value))


def _block_columns(block: list[Row], keys: list[str]) -> list[list[str]]:
    """Each column's cells in the block as _text gives them. Text goes as it is when nothing in the block needs
    visible_line (an unsafe character, a newline or a tab, looked for in the whole block at once); else each cell
    goes through it."""
    cells = [row.cells for row in block]
    columns = [
        [
            value if type(value) is str else f"{value:,}" if type(value) is int else _text(value)  # as _text formats
            for value in map(dict.get, cells, itertools.repeat(key))
        ]
        for key in keys
    ]
    joined = " ".join(" ".join(values) for values in columns)
    if UNSAFE.search(joined) is None and "\n" not in joined and "\t" not in joined:
        return columns
    return [[_text(row.cells.get(key)) for row in block] for key in keys]


BLOCK = 1000
"""Rows are aligned in blocks: a listing of up to BLOCK rows exactly, a longer one as it streams (columns widen
when a later block needs it, never narrow)."""


def render_listing(listing: Listing) -> list[str]:
    return [line for text in stream_listing(listing) for line in text.split("\n")]


def stream_listing(listing: Listing) -> Iterator[str]:
    """The lines of one listing (without line ends; a block of rows' lines joined by them), read and aligned a block
    of rows at a time."""
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

        def padded(column: int, values: list[str], sizes: list[int]) -> list[str]:
            width = widths[column]
            if right[column]:
                return [" " * (width - size) + value for value, size in zip(values, sizes, strict=True)]
            if column < last:
                return [value + " " * (width - size) for value, size in zip(values, sizes, strict=True)]
            return values

        group: str | None = None
        first = True
        while block:
            columns = _block_columns(block, keys)
            sizes = [list(map(len if "".join(values).isascii() else screen_width, values)) for values in columns]
            for i, measured in enumerate(sizes):
                widths[i] = max(widths[i], *measured)
            if first:
                yield GAP.join(padded(i, [h], [screen_width(h)])[0] for i, h in enumerate(headers)).rstrip()
                yield GAP.join("-" * width for width in widths)
                first = False
            cut = [padded(i, values, measured) for i, (values, measured) in enumerate(zip(columns, sizes, strict=True))]
            lines = [GAP.join(parts).rstrip() for parts in zip(*cut, strict=True)]
            if any(row.group is not None for row in block):
                grouped = []
                for row, text in zip(block, lines, strict=True):
                    if row.group is not None and row.group != group:
                        grouped.append(f"[{visible_line(row.group)}]")
                    group = row.group
                    grouped.append(text)
                lines = grouped
            else:
                group = None
            yield "\n".join(lines)
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
