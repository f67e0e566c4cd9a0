"""The presentation model: what a command shows, as listings of rows and the records of its JSON output.

Built once by present/ and turned into text by a renderer of render/.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple

Cell = str | int | float | None
"""A cell: text, a number (kept a number in CSV and JSON), or None for empty."""


class Column(NamedTuple):
    key: str
    header: str
    numeric: bool = False  # right-aligned in tables


class Span(NamedTuple):
    """A highlighted [start, end) range of the text of one cell (search matches)."""

    column: str
    start: int
    end: int


class Row(NamedTuple):
    cells: dict[str, Cell]
    group: str | None = None  # rows with the same group print under one heading (a year, a unit)
    highlights: tuple[Span, ...] = ()


class LazyRows:
    """Rows built as they are read: each pass over them starts afresh (a query of the store), so a listing of
    100,000 facts is never all in memory. Truth is the count when it is known, else a peek at the first row."""

    def __init__(self, start: Callable[[], Iterable[Row]], count: int | None = None) -> None:
        self.start = start
        self.count = count  # how many rows there are, when the query knows it already

    def __iter__(self) -> Iterator[Row]:
        return iter(self.start())

    def __bool__(self) -> bool:
        if self.count is not None:
            return self.count > 0
        return next(iter(self), None) is not None


class Listing(NamedTuple):
    """One table: a title, its columns, its rows (a tuple, or LazyRows) and an optional closing note."""

    title: str | None
    columns: tuple[Column, ...]
    rows: tuple[Row, ...] | LazyRows
    note: str | None = None
    empty_message: str = "nothing to show"


class Document(NamedTuple):
    """What a command shows: one or more listings, and the records its JSON output is made of.

    `records` follows the JSON contract of the README exactly. It may be given as a function that builds
    them, so that a command shown as a table never builds records it does not print. A record is a dict,
    or bytes holding it already encoded as UTF-8 JSON (as the store keeps it), copied to the output as it is.
    `primary` is the index of the listing that the CSV output holds (CSV has room for one table). `keys`
    names the keys of every record (for --fields, even when there are no records); empty, they are read
    off the first record.
    """

    listings: tuple[Listing, ...]
    records: list[dict[str, Any]] | tuple[()] | Callable[[], Iterable[dict[str, Any] | bytes]] = ()
    primary: int = 0
    keys: tuple[str, ...] = ()

    def json_records(self) -> list[dict[str, Any]]:
        return [decoded(record) for record in self.iter_records()]

    def iter_records(self) -> Iterator[dict[str, Any] | bytes]:
        """The records one at a time, built (or read) as they are asked for: the JSON formats stream them."""
        return iter(self.records() if callable(self.records) else self.records)

    def has_records(self) -> bool:
        return next(self.iter_records(), None) is not None


def decoded(record: dict[str, Any] | bytes) -> dict[str, Any]:
    """A record as a dict, whether it came as one or already encoded as JSON."""
    if isinstance(record, bytes):
        import json

        return json.loads(record)
    return record
