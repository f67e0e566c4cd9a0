"""Terminal tables: one Rich table per listing, data always shown as plain text, never as markup.

Every cell is a rich.text.Text of `visible(value)`, so markup, emoji codes and escape sequences in the
data print literally. Text columns fold rather than truncate, so long Chinese text wraps to the screen.
Rich is imported inside render_table only: format_number is shared with the Markdown renderer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shenka_cli.present.document import Cell, Column, Document, Listing, Row
from shenka_cli.text.safety import visible

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.table import Table
    from rich.text import Text

HIGHLIGHT_STYLE = "bold reverse"


def format_number(value: int | float | None) -> str:
    """A number for reading: ints with thousands separators, floats with at most 6 decimals, None empty."""
    if value is None:
        return ""
    if isinstance(value, int):
        return f"{value:,}"
    text = f"{value:,.6f}".rstrip("0").rstrip(".")
    if text in ("0", "-0"):
        # Too small for six decimals: keep its six significant digits rather than print a false zero.
        return f"{value:.6g}" if value else "0"
    return text


def cell_text(value: Cell) -> str:
    """A cell's text as shown (before visible()): numbers formatted, None empty."""
    if value is None:
        return ""
    if isinstance(value, int | float):
        return format_number(value)
    return value


def _highlighted(value: str, spans: list[tuple[int, int]]) -> Text:
    """Visible text with the [start, end) ranges of the original text styled as highlights."""
    from rich.text import Text

    cuts = sorted({0, len(value), *(min(max(point, 0), len(value)) for span in spans for point in span)})
    text = Text()
    for start, end in zip(cuts, cuts[1:], strict=False):
        # visible() can lengthen text, so each piece is escaped on its own and styled as a whole.
        inside = any(low <= start and end <= high for low, high in spans)
        text.append(visible(value[start:end]), style=HIGHLIGHT_STYLE if inside else None)
    return text


def _cell(row: Row, column: Column) -> Text:
    """One cell as plain Rich text, with its highlights."""
    from rich.text import Text

    value = row.cells.get(column.key)
    spans = [(span.start, span.end) for span in row.highlights if span.column == column.key and span.end > span.start]
    if isinstance(value, str) and spans:
        return _highlighted(value, spans)
    return Text(visible(cell_text(value)))


def _table(listing: Listing) -> Table:
    """The Rich table of a listing that has rows."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE_HEAD, header_style="bold", show_edge=False, pad_edge=False)
    for column in listing.columns:
        table.add_column(
            Text(visible(column.header)),
            justify="right" if column.numeric else "left",
            overflow="fold",
            no_wrap=False,
        )
    group: str | None = None
    for index, row in enumerate(listing.rows):
        if row.group != group:
            if index:
                table.add_section()
            if row.group is not None:
                heading = [Text(visible(row.group), style="bold", justify="left")]
                table.add_row(*heading, *[Text() for _ in listing.columns[1:]])
            group = row.group
        table.add_row(*[_cell(row, column) for column in listing.columns])
    return table


def render_listing(listing: Listing) -> list[RenderableType]:
    """A listing's title line, table (or empty message) and note."""
    from rich.text import Text

    parts: list[RenderableType] = []
    if listing.title:
        parts.append(Text(visible(listing.title), style="bold"))
    if listing.rows and listing.columns:
        parts.append(_table(listing))
    else:
        parts.append(Text(visible(listing.empty_message)))
    if listing.note:
        parts.append(Text(visible(listing.note), style="dim"))
    return parts


def render_table(document: Document) -> RenderableType:
    """The document as Rich renderables: each listing's title, table and note, a blank line between listings."""
    from rich.console import Group
    from rich.text import Text

    parts: list[RenderableType] = []
    for index, listing in enumerate(document.listings):
        if index:
            parts.append(Text())
        parts.extend(render_listing(listing))
    return Group(*parts)
