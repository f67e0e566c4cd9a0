"""CSV output: the primary listing as one header row (the column keys) and one row per data row.

Numbers stay numbers; text goes through `visible()` and, against spreadsheet formula injection (OWASP),
a text cell starting with =, +, -, @, a tab or a carriage return gets a leading single quote. Lines end
with "\\n" rather than the csv module's default "\\r\\n", which suits standard output; no byte-order
mark is written (the CLI adds one when it writes to a file).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from decimal import Decimal

from shenka_cli.present.document import Cell, Document
from shenka_cli.text.safety import visible

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


class _Line:
    """A file-like target for csv.writer that keeps the last line written."""

    text = ""

    def write(self, text: str) -> None:
        self.text = text


def stream_csv(document: Document) -> Iterator[str]:
    """The primary listing as CSV, a line at a time: the header, then one line per row as it is read."""
    if not 0 <= document.primary < len(document.listings):
        return
    listing = document.listings[document.primary]
    line = _Line()
    writer = csv.writer(line, lineterminator="\n")
    writer.writerow([_text(column.key) for column in listing.columns])
    yield line.text
    keys = [column.key for column in listing.columns]
    for row in listing.rows:
        cells = row.cells
        writer.writerow([csv_cell(cells.get(key)) for key in keys])
        yield line.text
