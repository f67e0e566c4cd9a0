"""Renderers: one module per format, each turning a Document into text (or a Rich renderable).

A command builds a Document (views.py) once; the format chosen with --format picks the renderer from
RENDERERS. Renderers never print or open files: the CLI writes what they return, once.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any, NamedTuple


class Format(StrEnum):
    TABLE = "table"
    MARKDOWN = "markdown"
    CSV = "csv"
    JSON = "json"
    SVG = "svg"
    HTML = "html"


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


class Listing(NamedTuple):
    """One table: a title, its columns, its rows and an optional closing note."""

    title: str | None
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    note: str | None = None
    empty_message: str = "nothing to show"


class Document(NamedTuple):
    """What a command shows: one or more listings, and the records its JSON output is made of.

    `records` follows the JSON contract of the README exactly. It may be given as a function that builds
    them, so that a command shown as a table never builds records it does not print. `primary` is the index
    of the listing that the CSV output holds (CSV has room for one table).
    """

    listings: tuple[Listing, ...]
    records: list[dict[str, Any]] | tuple[()] | Callable[[], list[dict[str, Any]]] = ()
    primary: int = 0

    def json_records(self) -> list[dict[str, Any]]:
        return self.records() if callable(self.records) else list(self.records)


Renderer = Callable[[Document], Any]

# Each format's renderer, as (module, function): imported only when that format is used.
RENDERERS: dict[Format, tuple[str, str]] = {
    Format.TABLE: ("shenka_cli.render.table", "render_table"),
    Format.MARKDOWN: ("shenka_cli.render.markdown", "render_markdown"),
    Format.CSV: ("shenka_cli.render.csv", "render_csv"),
    Format.JSON: ("shenka_cli.render.json", "render_json"),
    Format.SVG: ("shenka_cli.render.svg", "render_svg"),
    Format.HTML: ("shenka_cli.render.html", "render_html"),
}


def renderer(format: Format) -> Renderer:
    """The renderer registered for a format."""
    from importlib import import_module

    module, function = RENDERERS[format]
    return getattr(import_module(module), function)
