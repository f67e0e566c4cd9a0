"""JSON Lines output: one record a line, the same objects as the JSON output, written as they are built.

Each line is what render/json.py writes for that record (the same escapes), so `jq` or a line-by-line
reader gets exactly the JSON contract; nothing is held back, so `| head` returns at once.
"""

from __future__ import annotations

from collections.abc import Iterator

from shenka_cli.present.document import Document
from shenka_cli.render.json import json_line


def render_jsonl(document: Document) -> Iterator[str | bytes]:
    """The records as JSON Lines, one line (ending with a newline) at a time; no records, no lines."""
    for record in document.iter_records():
        line = json_line(record)
        yield line + b"\n" if isinstance(line, bytes) else line + "\n"
