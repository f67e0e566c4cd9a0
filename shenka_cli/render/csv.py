"""CSV output: the primary listing as one header row (the column keys) and one row per data row.

Numbers stay numbers; text goes through `visible()` and, against spreadsheet formula injection (OWASP),
a text cell starting with =, +, -, @, a tab or a carriage return gets a leading single quote. Lines end
with "\\n" rather than the csv module's default "\\r\\n", which suits standard output; no byte-order
mark is written (the CLI adds one when it writes to a file).
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from shenka_cli.present.document import Cell, Document
from shenka_cli.text.safety import UNSAFE, visible

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _number(value: int | float) -> str:
    """A number as CSV text: ints in full, floats as their shortest repr, positional when sensible."""
    if isinstance(value, int):
        return str(value)
    text = repr(value)
    if "e" in text:
        exact = Decimal(text)
        if abs(exact.adjusted()) <= 30:
            text = format(exact, "f")
    return text


def _text(value: str) -> str:
    """Text made visible and neutralised against formula injection."""
    text = visible(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_cell(value: Cell) -> str:
    """One cell as CSV text."""
    if value is None:
        return ""
    if isinstance(value, int | float):
        return _number(value)
    return _text(value)


def render_csv(document: Document) -> str:
    """The primary listing as CSV text."""
    return "".join(stream_csv(document))


class _Lines:
    """A file-like target for csv.writer that gathers the lines written."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.write = self.lines.append


BLOCK = 512  # rows written as one chunk


def _block(writer: Any, target: _Lines, rows: list[dict[str, Cell]], keys: list[str]) -> str:
    """The CSV lines of a block of rows. When none of its text needs visible() (a character it would escape), the
    cells are written as they are; else, rarely, each cell goes through csv_cell."""
    target.lines.clear()
    writer.writerows(
        [
            [
                (
                    ("'" + value if value.startswith(FORMULA_STARTS) else value)
                    if type(value) is str
                    else csv_cell(value)
                )
                for value in map(cells.get, keys)
            ]  # csv_cell but for visible(), checked below for the block
            for cells in rows
        ]  # fmt: skip
    )
    text = "".join(target.lines)
    if UNSAFE.search(text) is None:
        return text
    target.lines.clear()
    writer.writerows([[csv_cell(cells.get(key)) for key in keys] for cells in rows])
    return "".join(target.lines)


def stream_csv(document: Document) -> Iterator[str]:
    """The primary listing as CSV, a block of lines at a time: the header, then the rows as they are read."""
    if not 0 <= document.primary < len(document.listings):
        return
    listing = document.listings[document.primary]
    target = _Lines()
    writer = csv.writer(target, lineterminator="\n")
    writer.writerow([_text(column.key) for column in listing.columns])
    yield target.lines[0]
    keys = [column.key for column in listing.columns]
    rows = iter(listing.rows)
    while block := [row.cells for row in itertools.islice(rows, BLOCK)]:
        yield _block(writer, target, block, keys)
