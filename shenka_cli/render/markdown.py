r"""GitHub-flavoured Markdown: per listing a "## title", a table (or its empty message) and its note.

Rows with a group print under a "### group" subheading, each group with its own table. Data shows literally
and cannot break a table, yet reads as written when pasted into Word, WeChat or a wiki: a character is escaped
only where it would change the meaning at that position -
- `|` in a table cell, and `\` before punctuation or at the end (where it would escape what follows);
- what opens an inline construct: `` ` `` (code), `*` (emphasis), `<` (HTML, autolinks), `[` (links, images),
  `_` at a word boundary (intraword `_`, as in title_en, is literal), `&` before an entity name (&amp;), and
  `~` or `$` when there are two of them (strikethrough, math);
- at the start of a paragraph, what opens a block: `#`, `>`, `-`, `+`, `1.`/`1)` and `---`; a heading's
  trailing `#`.
Ids (aid-programme-since-2010), figures (8.4亿元, 1,000), dates (2024-08-09, 2010 – 2025 (推断)) and
ordinary punctuation pass unescaped. Unsafe characters become visible escapes, newlines in cells become <br>
(spaces in titles and notes), and spaces at either end become entities (tables and headings would trim them).
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator

from shenka_cli.present.document import Cell, Document, Listing, Row
from shenka_cli.render.table import format_number
from shenka_cli.text.safety import visible

_NEWLINE = re.compile(r"\r\n?|\n")
_EDGE_SPACE = {" ": "&#32;", "\t": "&#9;"}
_ALWAYS = frozenset("`*<[")
_PAIRED = frozenset("~$")
_PUNCTUATION = frozenset(string.punctuation)
_ENTITY = re.compile(r"#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};")
# Block starts of a paragraph line (after inline escaping): ATX heading, quote, bullet, ordered item, rule.
_BLOCK_START = re.compile(r"^(?:#{1,6}(?=\s|$)|>|[-+](?=\s|$)|-(?=(?:\s*-){2,}\s*$))")
_ORDERED_START = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")
_CLOSING_HASHES = re.compile(r"(^|\s)(#+)(\s*)$")


def _protect_edges(text: str) -> str:
    """Spaces and tabs at either end of text as entities, which no trimming removes."""
    core = text.strip(" \t")
    if core == text:
        return text
    start = len(text) - len(text.lstrip(" \t"))
    lead, trail = text[:start], text[start + len(core) :]
    return "".join(_EDGE_SPACE[char] for char in lead) + core + "".join(_EDGE_SPACE[char] for char in trail)


def _word_inside(text: str, index: int) -> bool:
    """Whether the character at index has a letter or digit on both sides (an intraword _ is literal)."""
    return 0 < index < len(text) - 1 and text[index - 1].isalnum() and text[index + 1].isalnum()


# Text without any character _escape_inline looks at is returned as it is (most cells: ids, figures, dates, Chinese).
_LOOKED_AT = re.compile(r"[\\`*<\[~$|_&]")


def _escape_inline(text: str, *, cell: bool) -> str:
    if not _LOOKED_AT.search(text):
        return text
    paired = {char for char in _PAIRED if text.count(char) >= 2}
    out = []
    for index, char in enumerate(text):
        if char == "\\":
            following = text[index + 1 : index + 2]
            out.append("\\\\" if not following or following in _PUNCTUATION else char)
        elif char in _ALWAYS or char in paired or (char == "|" and cell):
            out.append("\\" + char)
        elif char == "_":
            out.append(char if _word_inside(text, index) else "\\_")
        elif char == "&" and _ENTITY.match(text, index + 1):
            out.append("&amp;")
        else:
            out.append(char)
    return "".join(out)


def escape(text: str, *, cell: bool = True) -> str:
    """One line of data as literal Markdown inline text (in a table cell unless cell is false)."""
    return _protect_edges(_escape_inline(visible(text), cell=cell))


def escape_line(text: str) -> str:
    """Data for a heading or paragraph: newlines become spaces, and block starts are escaped."""
    escaped = escape(_NEWLINE.sub(" ", text), cell=False)
    escaped = _BLOCK_START.sub(lambda match: "\\" + match.group(), escaped)
    escaped = _ORDERED_START.sub(r"\1\\\2", escaped)
    return _CLOSING_HASHES.sub(lambda match: match.group(1) + "\\" + match.group(2) + match.group(3), escaped)


def escape_cell(value: Cell) -> str:
    """A table cell: numbers formatted, text escaped with its newlines as <br>."""
    if value is None:
        return ""
    if isinstance(value, int | float):
        return format_number(value)
    return "<br>".join(escape(line) for line in _NEWLINE.split(value))


def _header(listing: Listing) -> tuple[str, str]:
    """A GFM table's header line and delimiter line."""
    return (
        "| " + " | ".join(escape(_NEWLINE.sub(" ", column.header)) for column in listing.columns) + " |",
        "| " + " | ".join("---:" if column.numeric else "---" for column in listing.columns) + " |",
    )


def _row(listing: Listing, row: Row) -> str:
    return "| " + " | ".join(escape_cell(row.cells.get(column.key)) for column in listing.columns) + " |"


_NO_GROUP = object()


def _parts(listing: Listing) -> Iterator[tuple[bool, str]]:
    """A listing line by line, each as (whether it starts a new block, the line): its heading, a table per run
    of rows with the same group (under a "### group" subheading), or its empty message, and its note."""
    if listing.title:
        yield True, "## " + escape_line(listing.title)
    if listing.rows and listing.columns:
        header, delimiter = _header(listing)
        group: object = _NO_GROUP
        for row in listing.rows:
            if row.group != group:
                if row.group is not None:
                    yield True, "### " + escape_line(row.group)
                yield True, header
                yield False, delimiter
                group = row.group
            yield False, _row(listing, row)
    else:
        yield True, escape_line(listing.empty_message)
    if listing.note:
        yield True, escape_line(listing.note)


def render_listing(listing: Listing) -> list[str]:
    """A listing's blocks (heading, tables, paragraphs), each a string of lines."""
    blocks: list[list[str]] = []
    for starts, line in _parts(listing):
        if starts:
            blocks.append([line])
        else:
            blocks[-1].append(line)  # joined once below: adding to a string each time copied it (quadratic)
    return ["\n".join(lines) for lines in blocks]


def stream_markdown(document: Document) -> Iterator[str]:
    """The document as GitHub-flavoured Markdown, blocks separated by blank lines, a line at a time as its rows
    are read."""
    separator = ""
    for listing in document.listings:
        for starts, line in _parts(listing):
            if starts:
                yield separator + line
                separator = "\n\n"
            else:
                yield "\n" + line
    if separator:
        yield "\n"


def render_markdown(document: Document) -> str:
    """The document as GitHub-flavoured Markdown, blocks separated by blank lines."""
    return "".join(stream_markdown(document))
