"""A small TOML writer for the property tests: facts as [[fact]] tables with [[fact.stat]] sub-tables."""

from __future__ import annotations

import json
import math
import re
from typing import Any

BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def key(name: str) -> str:
    return name if BARE_KEY.match(name) else string(name)


def string(text: str) -> str:
    # JSON's escapes are valid TOML escapes; DEL must be escaped in TOML too.
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def value(item: Any) -> str:
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, int):
        return str(item)
    if isinstance(item, float):
        if math.isnan(item):
            return "nan"
        if math.isinf(item):
            return "inf" if item > 0 else "-inf"
        return repr(item)
    if isinstance(item, str):
        return string(item)
    if isinstance(item, list):
        return "[" + ", ".join(value(element) for element in item) + "]"
    if isinstance(item, dict):
        return "{ " + ", ".join(f"{key(k)} = {value(v)}" for k, v in item.items()) + " }"
    raise TypeError(type(item))


def facts_document(facts: list[dict[str, Any]]) -> str:
    lines: list[str] = []
    for fact in facts:
        lines.append("[[fact]]")
        stats = fact.get("stat")
        for name, item in fact.items():
            if name == "stat" and isinstance(stats, list) and all(isinstance(s, dict) for s in stats):
                continue
            lines.append(f"{key(name)} = {value(item)}")
        if isinstance(stats, list) and all(isinstance(s, dict) for s in stats):
            for stat in stats:
                lines.append("")
                lines.append("[[fact.stat]]")
                lines.extend(f"{key(name)} = {value(item)}" for name, item in stat.items())
        lines.append("")
    return "\n".join(lines)
