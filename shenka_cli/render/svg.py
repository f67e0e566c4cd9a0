"""SVG snapshots: what the terminal table shows, recorded by a Rich console and exported as one SVG picture.

The console is fixed (100 cells wide, truecolor, no markup, emoji or highlighting, the environment's
NO_COLOR, COLUMNS and TERM ignored), so the same data gives the same picture on every machine. Data reaches it
only through render_table, which shows every cell as Text(visible(...)); Rich escapes &, < and > in
export_svg, and xml_safe replaces what XML 1.0 cannot hold at all, so the SVG is always valid XML. The
picture stands alone: no web font or other resource is fetched (SVG_FORMAT).
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

from shenka_cli.present.document import Document

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

# Rich's SVG template less its web fonts: Rich's own loads Fira Code from a public CDN, so an offline viewer
# waits on it. This one names fonts a machine has and fetches nothing; the placeholders are Rich's.
SVG_FORMAT = """\
<svg class="rich-terminal" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">
    <style>
    .{unique_id}-matrix {{
        font-family: "Fira Code", "DejaVu Sans Mono", Menlo, Consolas, "Noto Sans Mono CJK SC", monospace;
        font-size: {char_height}px;
        line-height: {line_height}px;
        font-variant-east-asian: full-width;
    }}

    .{unique_id}-title {{
        font-size: 18px;
        font-weight: bold;
        font-family: Arial, "DejaVu Sans", sans-serif;
    }}

    {styles}
    </style>

    <defs>
    <clipPath id="{unique_id}-clip-terminal">
      <rect x="0" y="0" width="{terminal_width}" height="{terminal_height}" />
    </clipPath>
    {lines}
    </defs>

    {chrome}
    <g transform="translate({terminal_x}, {terminal_y})" clip-path="url(#{unique_id}-clip-terminal)">
    {backgrounds}
    <g class="{unique_id}-matrix">
    {matrix}
    </g>
    </g>
</svg>
"""
WIDTH = 100
HEIGHT = 25
TITLE = "shenka"
# Characters XML 1.0 does not allow, even as references (C0 controls but tab and newlines, surrogates, U+FFFE/F).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_TEXT = re.compile(r'(<text\b[^>]*?\btextLength=")([0-9.e+-]+)("[^>]*>)([^<]*)(</text>)')


def recording_console(width: int = WIDTH) -> Console:
    """A console that records what it prints, the same whatever the environment."""
    import io

    from rich.console import Console

    return Console(
        record=True,
        file=io.StringIO(),
        width=width,
        height=HEIGHT,  # with both sizes given, not even TERM=dumb changes them
        force_terminal=True,
        force_jupyter=False,
        force_interactive=False,
        color_system="truecolor",
        no_color=False,
        markup=False,
        emoji=False,
        highlight=False,
        soft_wrap=False,
        legacy_windows=False,
    )


def record(renderable: RenderableType, width: int = WIDTH) -> Console:
    """A recording console that has printed the renderable."""
    console = recording_console(width)
    console.print(renderable)
    return console


def xml_safe(text: str) -> str:
    """Text with every character XML 1.0 cannot hold replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def _wide_text_lengths(svg: str) -> str:
    """Give each <text> the width of its screen cells: Rich sizes it by characters, squeezing Chinese into
    half its width (Textualize/rich#2742); a wide character takes two cells, as on the terminal."""
    from shenka_cli.text.width import screen_width

    def widen(match: re.Match[str]) -> str:
        text = html.unescape(match.group(4))
        if not text or screen_width(text) == len(text):
            return match.group(0)
        length = float(match.group(2)) / len(text) * screen_width(text)
        return f"{match.group(1)}{format(length, 'g')}{match.group(3)}{match.group(4)}{match.group(5)}"

    return _TEXT.sub(widen, svg)


def svg_of(renderable: RenderableType, *, title: str = TITLE, width: int = WIDTH) -> str:
    """Any renderable as an SVG picture of a terminal."""
    svg = record(renderable, width).export_svg(title=title, code_format=SVG_FORMAT)
    return xml_safe(_wide_text_lengths(svg))


def render_svg(document: Document) -> str:
    """The document as the terminal table shows it, as SVG text."""
    from shenka_cli.render.table import render_table

    return svg_of(render_table(document))
