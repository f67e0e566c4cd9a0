"""TimelineJS3 JSON: the document present/timelinejs.py builds, as the text a TimelineJS page loads."""

from __future__ import annotations

import json
from typing import Any

from shenka_cli.render.json import json_escape
from shenka_cli.text.safety import UNSAFE


def render_timelinejs(timeline: dict[str, Any]) -> str:
    """The TimelineJS document as indented JSON (UTF-8 text, terminal-unsafe characters escaped)."""
    text = json.dumps(timeline, ensure_ascii=False, indent=2) + "\n"
    return UNSAFE.sub(json_escape, text)
