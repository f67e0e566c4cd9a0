"""The one grammar of written dates, in fact files and on the command line: 2024, 2024-08 or 2024-08-09."""

from __future__ import annotations

import datetime as dt
import re

ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
EXAMPLES = "2024, 2024-08 or 2024-08-09"

DateParts = tuple[int, int | None, int | None]


def date_parts(text: str) -> DateParts | None:
    """Year, month and day (None when not given) of a date in the grammar, or None when it is not one.

    Raises ValueError, with the reason, for a date in the grammar that is not on the calendar (2024-02-30).
    """
    match = ISO_DATE.match(text)
    if match is None:
        return None
    year, month, day = (int(part) if part else None for part in match.groups())
    assert year is not None
    dt.date(year, month or 1, day or 1)
    return year, month, day
