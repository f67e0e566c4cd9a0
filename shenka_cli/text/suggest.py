"""Did you mean…? The one way shenka guesses which known name a mistyped one meant."""

from __future__ import annotations

import difflib
import heapq
from collections import Counter
from collections.abc import Iterable
from operator import itemgetter

SHORTLIST_ABOVE = 5_000  # more names than this are narrowed down (_shortlist) before difflib compares them
SHORTLIST = 1_000
PIECES = 16  # at most this many of the wanted name's three-character pieces are looked for


def closest(
    wanted: str, known: Iterable[str], count: int = 1, *, cutoff: float = 0.6, containing: bool = False
) -> list[str]:
    """Up to count known names like wanted, most alike first; with containing, then the names that contain it."""
    names = list(dict.fromkeys(known))
    compared = _shortlist(wanted, names) if len(names) > SHORTLIST_ABOVE else names
    close = difflib.get_close_matches(wanted, compared, n=count, cutoff=cutoff)
    if containing:
        close += [name for name in names if wanted and wanted in name and name not in close]
    return close[:count]


def _shortlist(wanted: str, names: list[str]) -> list[str]:
    """The SHORTLIST names that hold the most of wanted's three-character pieces (spread along it; those most names
    hold are not counted), in their own order among equals: difflib compares every name it is given (`show` with a
    mistyped id took 7 s at 100,000 facts when no word of the id found a fact), and a name a few edits away from
    wanted keeps most of its pieces."""
    if len(wanted) < 3:
        return names
    starts = range(len(wanted) - 2)
    step = max(1, len(starts) // PIECES)
    pieces = dict.fromkeys(wanted[start : start + 3] for start in starts[::step])
    held: Counter[str] = Counter()
    for piece in pieces:
        holding = [name for name in names if piece in name]
        if len(holding) * 2 <= len(names):  # a piece most names hold tells hardly any apart
            held.update(holding)
    if not held:
        return names
    return [name for name, _ in heapq.nlargest(SHORTLIST, held.items(), key=itemgetter(1))]
