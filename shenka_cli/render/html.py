"""HTML snapshots: what the terminal table shows, recorded by a Rich console and exported as one HTML page.

The same fixed recording console as the SVG snapshots (render/svg.py); styles are inline, so the page
stands alone. Rich escapes &, < and > in export_html; characters XML and HTML cannot hold are replaced.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shenka_cli.present.document import Document

if TYPE_CHECKING:
    from rich.console import RenderableType


def html_of(renderable: RenderableType) -> str:
    """Any renderable as a standalone HTML page of what a terminal would show."""
    from shenka_cli.render.svg import record, xml_safe

    return xml_safe(record(renderable).export_html(inline_styles=True))


def render_html(document: Document) -> str:
    """The document as the terminal table shows it, as HTML text."""
    from shenka_cli.render.table import render_table

    return html_of(render_table(document))
