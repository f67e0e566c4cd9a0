"""Where things are in a TOML file's text: the lines of [[table]] headers and keys, which tomli does not report."""

from __future__ import annotations

import bisect
import re


class LineIndex:
    """Finds the line of a [[table]] header or a key in the raw text (tomli does not report them).

    Header lines are found in one pass (every fact needs its line); key lines only when a problem asks.
    """

    HEADER = re.compile(r"^[ \t]*\[\[[ \t]*([A-Za-z_.]+(?:[ \t]*\.[ \t]*[A-Za-z_]+)*)[ \t]*\]\]", re.MULTILINE)
    KEY = re.compile(r"^[ \t]*([A-Za-z0-9_-]+)[ \t]*=", re.MULTILINE)

    def __init__(self, text: str) -> None:
        self.text = text
        self.headers: dict[str, list[int]] = {}
        self.all_headers: list[int] = []
        line, position = 1, 0
        for match in self.HEADER.finditer(text):
            line += text.count("\n", position, match.start())
            position = match.start()
            self.headers.setdefault(re.sub(r"\s", "", match.group(1)), []).append(line)
            self.all_headers.append(line)
        self.last_line = text.count("\n") + 1
        self._keys: dict[str, list[int]] | None = None

    def header(self, name: str, index: int, after: int = 0, before: int | None = None) -> int | None:
        lines = self.headers.get(name, [])
        position = bisect.bisect_right(lines, after) + index
        if position >= len(lines) or (before is not None and lines[position] >= before):
            return None
        return lines[position]

    def block_end(self, start: int) -> int:
        position = bisect.bisect_right(self.all_headers, start)
        return self.all_headers[position] if position < len(self.all_headers) else self.last_line + 1

    def key(self, name: str, start: int | None, end: int | None = None) -> int | None:
        """The first line after `start` and before `end` (default: the next header) that sets `name`."""
        if start is None:
            return None
        if self._keys is None:
            self._keys = {}
            line, position = 1, 0
            for match in self.KEY.finditer(self.text):
                line += self.text.count("\n", position, match.start())
                position = match.start()
                self._keys.setdefault(match.group(1), []).append(line)
        end = end if end is not None else self.block_end(start)
        lines = self._keys.get(name, [])
        position = bisect.bisect_right(lines, start)
        return lines[position] if position < len(lines) and lines[position] < end else start
