"""JSON output: the document's records, keys in their given order, text exactly as in the facts.

Text is kept exactly: JSON escapes C0 control characters itself, and the characters it would leave raw
but a terminal would act on (DEL, C1 controls, bidirectional overrides, line and paragraph separators)
are written as \\uXXXX escapes, so `json.loads` gives back the very same records.
"""

from __future__ import annotations

import json
import re

from shenka_cli.present.document import Document
from shenka_cli.text.safety import UNSAFE


def json_escape(match: re.Match[str]) -> str:
    """The JSON escape of one matched character."""
    return f"\\u{ord(match.group()):04x}"


def render_json(document: Document) -> str:
    """The records as a JSON array with one record per line, ending with a newline.

    One compact record a line reads well, greps well and is written by the json module's C encoder
    (an indented dump goes through its pure-Python encoder, several times slower on large results).
    """
    encode = json.JSONEncoder(ensure_ascii=False).encode
    records = document.json_records()
    if not records:
        return "[]\n"
    text = "[\n" + ",\n".join(encode(record) for record in records) + "\n]\n"
    # Raw unsafe characters can only stand inside JSON strings, where a \uXXXX escape means the same.
    return UNSAFE.sub(json_escape, text)
