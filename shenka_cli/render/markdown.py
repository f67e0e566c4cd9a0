"""GitHub-flavoured Markdown: per listing a "## title", a table (or its empty message) and its note.

Rows with a group print under a "### group" subheading, each group with its own table. All data is
escaped so that it shows literally and cannot break a table: unsafe characters become visible escapes,
Markdown punctuation gets a backslash, & becomes &amp;, newlines in cells become <br> (spaces in titles
and notes), and spaces at either end become entities (tables and headings would trim them).
"""

from __future__ import annotations

import re

from shenka_cli.present.document import Cell, Document, Listing, Row
from shenka_cli.render.table import format_number
from shenka_cli.text.safety import visible

# The ASCII punctuation Markdown (with GitHub's tables, strikethrough and math) could interpret.
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~$])")
_NEWLINE = re.compile(r"\r\n?|\n")
_EDGE_SPACE = {" ": "&#32;", "\t": "&#9;"}


def _protect_edges(text: str) -> str:
    """Spaces and tabs at either end of text as entities, which no trimming removes."""
    core = text.strip(" \t")
    if core == text:
        return text
    start = len(text) - len(text.lstrip(" \t"))
    lead, trail = text[:start], text[start + len(core) :]
    return "".join(map(_EDGE_SPACE.get, lead)) + core + "".join(map(_EDGE_SPACE.get, trail))


def escape(text: str) -> str:
    """One line of data as literal Markdown inline text."""
    return _protect_edges(_SPECIAL.sub(r"\\\1", visible(text).replace("&", "&amp;")))


def escape_line(text: str) -> str:
    """Data for a heading or paragraph: newlines become spaces."""
    return escape(_NEWLINE.sub(" ", text))


def escape_cell(value: Cell) -> str:
    """A table cell: numbers formatted, text escaped with its newlines as <br>."""
    if value is None:
        return ""
    if isinstance(value, int | float):
        return format_number(value)
    return "<br>".join(escape(line) for line in _NEWLINE.split(value))


def _table(listing: Listing, rows: list[Row]) -> list[str]:
    """The lines of one GFM table."""
    lines = [
        "| " + " | ".join(escape_line(column.header) for column in listing.columns) + " |",
        "| " + " | ".join("---:" if column.numeric else "---" for column in listing.columns) + " |",
    ]
    for row in rows:
        lines.append("| " + " | ".join(escape_cell(row.cells.get(column.key)) for column in listing.columns) + " |")
    return lines


def _groups(rows: tuple[Row, ...]) -> list[tuple[str | None, list[Row]]]:
    """Consecutive rows with the same group, in order."""
    groups: list[tuple[str | None, list[Row]]] = []
    for row in rows:
        if groups and groups[-1][0] == row.group:
            groups[-1][1].append(row)
        else:
            groups.append((row.group, [row]))
    return groups


def render_listing(listing: Listing) -> list[str]:
    """A listing's blocks (heading, tables, paragraphs), each a string of lines."""
    blocks: list[str] = []
    if listing.title:
        blocks.append("## " + escape_line(listing.title))
    if listing.rows and listing.columns:
        for group, rows in _groups(listing.rows):
            if group is not None:
                blocks.append("### " + escape_line(group))
            blocks.append("\n".join(_table(listing, rows)))
    else:
        blocks.append(escape_line(listing.empty_message))
    if listing.note:
        blocks.append(escape_line(listing.note))
    return blocks


def render_markdown(document: Document) -> str:
    """The document as GitHub-flavoured Markdown, blocks separated by blank lines."""
    blocks = [block for listing in document.listings for block in render_listing(listing)]
    return "\n\n".join(blocks) + "\n" if blocks else ""
