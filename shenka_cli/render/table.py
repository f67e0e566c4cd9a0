"""Terminal tables: one Rich table per listing, data always shown as plain text, never as markup.

Every cell is a rich.text.Text of `visible(value)`, so markup, emoji codes and escape sequences in the
data print literally. Ids, dates, figures and numbers never break across lines (render/wrap.py): their
columns keep their width while titles and summaries wrap, and on a terminal too narrow for that the rows
are shown one below the other, a field a line.
Rich is imported inside render_table only: format_number is shared with the Markdown renderer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shenka_cli.present.document import Cell, Column, Document, Listing, Row
from shenka_cli.text.safety import visible

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
    from rich.measure import Measurement
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


# Cells that are read whole: ids, dates, figures, numbers and short codes never break across lines.
WHOLE_KEYS = frozenset(
    [
        "id",
        "fact",
        "sector",
        "date",
        "as_of",
        "first_date",
        "last_date",
        "text",
        "value",
        "low",
        "high",
        "unit",
        "qualifier",
        "kind",
        "line",
        "rank",
        "facts",
        "stats",
        "field",
        "name",
        "name_en",
    ]
)
WHOLE_LIMIT = 40  # a longer cell (a fact's summary in `show`) wraps, at the places `wrap` allows
ROOM = 24  # columns a wrapped cell asks for (12 Chinese characters a line); with less, rows become cards


def _is_whole(column: Column, text: str) -> bool:
    from shenka_cli.text.width import screen_width as display_width

    return (column.numeric or column.key in WHOLE_KEYS) and "\n" not in text and display_width(text) <= WHOLE_LIMIT


def _shown(row: Row, column: Column) -> RenderableType:
    """A cell as a renderable that never breaks an id, date, figure or number."""
    from shenka_cli.render.wrap import Whole, Wrapped

    text = _cell(row, column)
    return Whole(text) if _is_whole(column, text.plain) else Wrapped(text, room=ROOM)


def _table(listing: Listing) -> Table:
    """The Rich table of a listing that has rows: whole columns keep their width, the others wrap."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from shenka_cli.render.wrap import Wrapped

    table = Table(box=box.SIMPLE_HEAD, header_style="bold", show_edge=False, pad_edge=False)
    for column in listing.columns:
        whole = all(_is_whole(column, visible(cell_text(row.cells.get(column.key)))) for row in listing.rows)
        table.add_column(
            Wrapped(Text(visible(column.header), style="bold")),
            justify="right" if column.numeric else "left",
            no_wrap=whole,
        )
    group: str | None = None
    for index, row in enumerate(listing.rows):
        if row.group != group:
            if index:
                table.add_section()
            if row.group is not None:
                heading = [Wrapped(Text(visible(row.group), style="bold", justify="left"))]
                table.add_row(*heading, *[Text() for _ in listing.columns[1:]])
            group = row.group
        table.add_row(*[_shown(row, column) for column in listing.columns])
    return table


def _cards(listing: Listing) -> RenderableType:
    """The rows one below the other, each field on its own line: for terminals too narrow for the table."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from shenka_cli.render.wrap import Wrapped

    parts: list[RenderableType] = []
    group: str | None = None
    for row in listing.rows:
        if row.group is not None and row.group != group:
            parts.append(Wrapped(Text(visible(row.group), style="bold")))
        group = row.group
        card = Table.grid(padding=(0, 1))
        card.add_column(style="dim", no_wrap=True)
        card.add_column()
        for column in listing.columns:
            if row.cells.get(column.key) in (None, ""):
                continue
            card.add_row(Text(visible(column.header)), _shown(row, column))
        parts.extend([card, Text()])
    return Group(*parts[:-1])


# Columns a narrow terminal can spare, in the order they are left out: the qualifier is also in the value
# column (> 990, ≈ 100), the sector in the fact's id.
SPARE_COLUMNS = ("qualifier", "sector")


class FittedListing:
    """A listing's table when its whole cells fit the terminal side by side (leaving out the spare columns
    if need be), else its rows as cards."""

    def __init__(self, listing: Listing) -> None:
        self.listing = listing
        self.tables = [_table(listing)]
        keys = {column.key for column in listing.columns}
        spared: list[str] = []
        for key in SPARE_COLUMNS:
            if key in keys:
                spared.append(key)
                columns = tuple(column for column in listing.columns if column.key not in spared)
                self.tables.append(_table(listing._replace(columns=columns)))

    @staticmethod
    def _fits(table: Table, console: Console, options: ConsoleOptions) -> bool:
        from rich.measure import Measurement

        return Measurement.get(console, options.update_width(10**6), table).minimum <= options.max_width

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        from rich.measure import Measurement

        return Measurement.get(console, options, self.tables[0])

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        fitting = next((table for table in self.tables if self._fits(table, console, options)), None)
        yield fitting if fitting is not None else _cards(self.listing)


def render_listing(listing: Listing) -> list[RenderableType]:
    """A listing's title line, table (or empty message) and note."""
    from rich.text import Text

    from shenka_cli.render.wrap import Wrapped

    parts: list[RenderableType] = []
    if listing.title:
        parts.append(Wrapped(Text(visible(listing.title), style="bold")))
    if listing.rows and listing.columns:
        parts.append(FittedListing(listing))
    else:
        parts.append(Wrapped(Text(visible(listing.empty_message))))
    if listing.note:
        parts.append(Wrapped(Text(visible(listing.note), style="dim")))
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
