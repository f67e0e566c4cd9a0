"""The table format when the output is not a terminal: aligned plain text, one line per row.

Piped output is read by grep, cut and people's scripts: a row never wraps onto a second line, nothing is
cropped, there are no box characters or colours, and Rich (slow to import) is not needed at all.
"""

from __future__ import annotations

import unicodedata

from shenka_cli.render import Cell, Document, Listing
from shenka_cli.render.table import format_number
from shenka_cli.textsafety import visible_line

GAP = "  "


def display_width(text: str) -> int:
    """Columns a string takes on a terminal: East Asian wide and full-width characters take two."""
    if text.isascii():
        return len(text)
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in "WF" else 1
    return width


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format_number(value)
    return visible_line(str(value))


def _pad(text: str, width: int, right: bool) -> str:
    padding = " " * (width - display_width(text))
    return padding + text if right else text + padding


def render_listing(listing: Listing) -> list[str]:
    lines = [visible_line(listing.title)] if listing.title else []
    if not listing.rows:
        lines.append(visible_line(listing.empty_message))
    else:
        headers = [visible_line(column.header) for column in listing.columns]
        cells = [[_text(row.cells.get(column.key)) for column in listing.columns] for row in listing.rows]
        widths = [max([display_width(header)] + [display_width(row[i]) for row in cells])
                  for i, header in enumerate(headers)]
        right = [column.numeric for column in listing.columns]
        last = len(widths) - 1

        def line(values: list[str]) -> str:
            padded = [_pad(value, widths[i], right[i]) if i < last or right[i] else value
                      for i, value in enumerate(values)]
            return GAP.join(padded).rstrip()

        lines.append(line(headers))
        lines.append(GAP.join("-" * width for width in widths))
        group: str | None = None
        for row, values in zip(listing.rows, cells, strict=True):
            if row.group is not None and row.group != group:
                lines.append(f"[{visible_line(row.group)}]")
            group = row.group
            lines.append(line(values))
    if listing.note:
        lines.append(visible_line(listing.note))
    return lines


def render_plain(document: Document) -> str:
    """The document as aligned plain text, listings separated by a blank line."""
    blocks = ["\n".join(render_listing(listing)) for listing in document.listings]
    return "\n\n".join(blocks) + "\n"
