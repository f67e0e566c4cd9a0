"""JSON output: the document's records, keys in their given order, text exactly as in the facts.

Text is kept exactly: JSON escapes C0 control characters itself, and the characters it would leave raw
but a terminal would act on (DEL, C1 controls, bidirectional overrides, line and paragraph separators)
are written as \\uXXXX escapes, so `json.loads` gives back the very same records.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from shenka_cli.present.document import Document
from shenka_cli.text.safety import UNSAFE


def json_escape(match: re.Match[str]) -> str:
    """The JSON escape of one matched character."""
    return f"\\u{ord(match.group()):04x}"


def render_json(document: Document) -> str:
    """The records as a JSON array with one record per line, ending with a newline."""
    return joined(stream_json(document))


def joined(chunks: Iterable[str | bytes]) -> str:
    """Streamed chunks as one text (records the store kept are UTF-8 bytes)."""
    return "".join(chunk.decode("utf-8") if isinstance(chunk, bytes) else chunk for chunk in chunks)


def stream_json(document: Document) -> Iterator[str | bytes]:
    """The JSON array a line at a time: '[', one compact record a line, ']' (or '[]' without records).

    One compact record a line reads well, greps well and is written by the json module's C encoder (an
    indented dump goes through its pure-Python encoder, several times slower); a record the store keeps
    encoded already is copied as it is.
    """
    records = document.iter_records()
    first = next(records, None)
    if first is None:
        yield "[]\n"
        return
    yield "[\n"
    yield json_line(first)
    # Records a block at a time: those the store kept (bytes) are joined in one step, not handed on one by one.
    while block := list(itertools.islice(records, BLOCK)):
        try:
            joined = b",\n".join(block)  # type: ignore[arg-type]
        except TypeError:  # records built as dicts
            joined = None
        if joined is not None:
            yield b",\n" + joined
            continue
        for record in block:
            yield ",\n"
            yield json_line(record)
    yield "\n]\n"


BLOCK = 256
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode


def json_line(record: dict[str, Any] | bytes) -> str | bytes:
    """One record as compact JSON, with the raw characters a terminal would act on escaped; a record the store
    kept (bytes, escaped in the same way when it was stored) as it is."""
    if isinstance(record, bytes):
        return record
    text = _ENCODE(record)
    # Raw unsafe characters can only stand inside JSON strings, where a \uXXXX escape means the same.
    return UNSAFE.sub(json_escape, text) if UNSAFE.search(text) else text
