"""Parse Markdown output back into headings, paragraphs and table cells, failing on any interpreted data."""

from __future__ import annotations

from markdown_it import MarkdownIt


def inline_text(token) -> str:
    """The literal text of an inline token; any interpreted Markdown fails the test."""
    parts = []
    for child in token.children:
        if child.type == "text":
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak") or (child.type, child.content) == ("html_inline", "<br>"):
            parts.append("\n")
        else:
            raise AssertionError(f"data was interpreted as Markdown: {child.type} {child.content!r}")
    return "".join(parts)


def markdown_blocks(markdown: str, *, fences: bool = False) -> list[tuple[str, object]]:
    """The parsed document as (kind, content): headings and paragraphs with text, tables with rows.

    Any data interpreted as Markdown fails; with fences=True, fenced code blocks are allowed, as
    ("fence", (info, text)).
    """
    tokens = MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(markdown)
    blocks: list[tuple[str, object]] = []
    table: list[list[str]] | None = None
    kind = None
    for index, token in enumerate(tokens):
        if token.type == "fence" and fences:
            blocks.append(("fence", (token.info, token.content)))
        elif token.type == "table_open":
            table = []
            blocks.append(("table", table))
        elif token.type == "table_close":
            table = None
        elif token.type == "tr_open":
            table.append([])
        elif token.type in ("th_open", "td_open"):
            table[-1].append(inline_text(tokens[index + 1]))
        elif token.type == "heading_open":
            kind = token.tag
        elif token.type == "paragraph_open":
            kind = "p"
        elif token.type == "inline" and table is None:
            blocks.append((kind, inline_text(token)))
        elif token.type in ("bullet_list_open", "ordered_list_open", "blockquote_open", "code_block", "fence", "hr"):
            raise AssertionError(f"data made a {token.type}")
    return blocks
