"""Did you mean…? The one way shenka guesses which known name a mistyped one meant."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(
    wanted: str, known: Iterable[str], count: int = 1, *, cutoff: float = 0.6, containing: bool = False
) -> list[str]:
    """Up to count known names like wanted, most alike first; with containing, then the names that contain it."""
    names = list(dict.fromkeys(known))
    close = difflib.get_close_matches(wanted, names, n=count, cutoff=cutoff)
    if containing:
        close += [name for name in names if wanted and wanted in name and name not in close]
    return close[:count]
