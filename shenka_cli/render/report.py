"""The briefing (present/report.py's blocks) as one Markdown document.

All data goes through the Markdown renderer's escaping (render/markdown.py) and tables through its table
builder, so data shows literally and cannot break the document. Inside the Mermaid fence, data is made safe
for the timeline grammar instead (mermaid_text). The same blocks give byte-identical output.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from shenka_cli.core.model import FactBase
from shenka_cli.core.query import Filters
from shenka_cli.present.report import Block, Heading, Paragraph, Timeline, build_report
from shenka_cli.render.markdown import escape_line, render_listing
from shenka_cli.text.safety import visible

# Mermaid's timeline grammar: a period or section ends at ":" and "#" starts a comment; an event ends at
# ": " (and at ";" or "#" in older renderers); "%%" starts a comment anywhere. There is no escape for
# ":", so these become their full-width forms, as do the characters Mermaid would read as HTML or entities
# (< > &) and the backtick, which could close the Markdown fence.
MERMAID_REPLACEMENTS = str.maketrans(
    {":": "：", ";": "；", "#": "＃", "%": "％", "<": "＜", ">": "＞", "&": "＆", "`": "｀", "{": "｛", "}": "｝"}
)
_WHITESPACE = re.compile(r"\s+")
_NEWLINE = re.compile(r"\r\n?|\n")


def mermaid_text(text: str, fallback: str = "…") -> str:
    """Data as one line that the Mermaid timeline grammar reads as plain text (see MERMAID_REPLACEMENTS)."""
    line = _WHITESPACE.sub(" ", visible(_NEWLINE.sub(" ", text)).translate(MERMAID_REPLACEMENTS)).strip()
    return line or fallback


def mermaid_timeline(timeline: Timeline) -> str:
    """A Mermaid timeline: a section per year, a period per date, an event per fact."""
    lines = ["timeline", "    title " + mermaid_text(timeline.title)]
    year: int | None = None
    period: str | None = None
    for event in timeline.events:
        if event.year != year:
            year = event.year
            lines.append(f"    section {year}")
            period = None
        when = mermaid_text(event.when)
        text = mermaid_text(event.text, event.fact_id)
        if when == period:
            lines.append(" " * (8 + len(when)) + " : " + text)
        else:
            lines.append(f"        {when} : {text}")
            period = when
    return "```mermaid\n" + "\n".join(lines) + "\n```"


def _block(block: Block) -> str:
    if isinstance(block, Heading):
        return "#" * block.level + " " + escape_line(block.text)
    if isinstance(block, Paragraph):
        return escape_line(block.text)
    if isinstance(block, Timeline):
        return mermaid_timeline(block)
    return "\n\n".join(render_listing(block))


def render_report(blocks: Sequence[Block]) -> str:
    """The briefing as Markdown: blocks separated by blank lines."""
    return "\n\n".join(_block(block) for block in blocks) + "\n"


def markdown_report(base: FactBase, lang: str, filters: Filters | None = None) -> str:
    """The briefing of base.facts as Markdown."""
    return render_report(build_report(base, lang, filters))
