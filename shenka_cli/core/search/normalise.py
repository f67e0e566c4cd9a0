"""Search normalisation shared by queries and data: NFKC, then case folding, with a map back to the original text."""

from __future__ import annotations

import unicodedata

_WIDE_PUNCTUATION = (("，", ","), ("：", ":"), ("；", ";"), ("（", "("), ("）", ")"), ("！", "!"), ("？", "?"))


def _narrowed(text: str) -> tuple[str, bool]:
    """Common full-width punctuation replaced by its NFKC form, and whether the result is then NFKC already."""
    if unicodedata.is_normalized("NFKC", text):
        return text, True
    for wide, narrow in _WIDE_PUNCTUATION:
        if wide in text:
            text = text.replace(wide, narrow)
    return text, unicodedata.is_normalized("NFKC", text)


def fold(text: str) -> str:
    """NFKC, then case-fold; ASCII and already-normal text (after common punctuation) skip the slow NFKC."""
    if text.isascii():
        return text.lower()
    narrowed, normal = _narrowed(text)
    return (narrowed if normal else unicodedata.normalize("NFKC", narrowed)).casefold()


def _attaches(char: str) -> bool:
    """Whether a character normalises together with the one before it (combining marks, Hangul vowel and final jamo)."""
    return unicodedata.combining(char) != 0 or "\u1160" <= char <= "\u11ff" or "\ud7b0" <= char <= "\ud7ff"


def fold_with_offsets(text: str) -> tuple[str, list[int], list[int]]:
    """The text folded cluster by cluster, with the [start, end) in `text` that each folded character came from."""
    if text.isascii():
        positions = list(range(len(text)))
        return text.lower(), positions, [p + 1 for p in positions]
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i, size = 0, len(text)
    while i < size:
        j = i + 1
        while j < size and _attaches(text[j]):
            j += 1
        piece = unicodedata.normalize("NFKC", text[i:j]).casefold()
        pieces.append(piece)
        starts.extend([i] * len(piece))
        ends.extend([j] * len(piece))
        i = j
    return "".join(pieces), starts, ends


def is_aligned(text: str, folded: str) -> bool:
    """Whether every character of `text` folds to exactly one character, so offsets carry over unchanged."""
    if text.isascii():
        return True
    return len(folded) == len(text) and _narrowed(text)[1]


def to_original(text: str, folded: str, start: int, end: int) -> tuple[int, int] | None:
    """Map [start, end) in `folded` (= fold(text)) back into `text`; None if a cluster-wise fold disagrees."""
    if is_aligned(text, folded):
        return start, end
    mapped, starts, ends = fold_with_offsets(text)
    if mapped != folded:
        return None
    return span_in_original(starts, ends, start, end, len(text))


def span_in_original(starts: list[int], ends: list[int], start: int, end: int, size: int) -> tuple[int, int]:
    """Widen a folded [start, end) to the whole original characters it came from."""
    if start >= end:
        position = starts[start] if start < len(starts) else size
        return position, position
    return starts[start], ends[end - 1]
