"""Renderers: one module per format, each turning a Document into text (or a Rich renderable).

A command builds a Document (views.py) once; the format chosen with --format picks the renderer from
RENDERERS. Renderers never print or open files: the CLI writes what they return, once (or, for a renderer that
yields lines, as they come).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any

from shenka_cli.present.document import Document


class Format(StrEnum):
    TABLE = "table"
    MARKDOWN = "markdown"
    CSV = "csv"
    JSON = "json"
    JSONL = "jsonl"
    SVG = "svg"
    HTML = "html"


RECORD_FORMATS = (Format.JSON, Format.JSONL)
"""The formats that write a document's records rather than its listings."""

Renderer = Callable[[Document], Any]

# Each format's renderer, as (module, function): imported only when that format is used.
RENDERERS: dict[Format, tuple[str, str]] = {
    Format.TABLE: ("shenka_cli.render.table", "render_table"),
    Format.MARKDOWN: ("shenka_cli.render.markdown", "render_markdown"),
    Format.CSV: ("shenka_cli.render.csv", "render_csv"),
    Format.JSON: ("shenka_cli.render.json", "render_json"),
    Format.JSONL: ("shenka_cli.render.jsonl", "render_jsonl"),
    Format.SVG: ("shenka_cli.render.svg", "render_svg"),
    Format.HTML: ("shenka_cli.render.html", "render_html"),
}


# The formats that can be written a line at a time as the rows are read, and their streaming entry points.
STREAMERS: dict[Format, tuple[str, str]] = {
    Format.MARKDOWN: ("shenka_cli.render.markdown", "stream_markdown"),
    Format.CSV: ("shenka_cli.render.csv", "stream_csv"),
    Format.JSON: ("shenka_cli.render.json", "stream_json"),
    Format.JSONL: ("shenka_cli.render.jsonl", "render_jsonl"),
}
PIPED_TABLE = ("shenka_cli.render.plain", "stream_plain")  # the table format when the output is not a terminal


def streamer(format: Format, *, piped: bool = False) -> Callable[[Document], Any] | None:
    """The streaming entry point of a format (the plain table's when a table is piped), or None."""
    from importlib import import_module

    entry = PIPED_TABLE if format is Format.TABLE and piped else STREAMERS.get(format)
    if entry is None:
        return None
    return getattr(import_module(entry[0]), entry[1])


def renderer(format: Format) -> Renderer:
    """The renderer registered for a format."""
    from importlib import import_module

    module, function = RENDERERS[format]
    return getattr(import_module(module), function)
