"""Keyword search over facts: NFKC- and case-insensitive substrings, pinyin for ASCII terms, weighted by field."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import NamedTuple

from shenka_cli.core.model import Fact
from shenka_cli.core.search.normalise import fold, fold_with_offsets, span_in_original, to_original

__all__ = [
    "FIELDS",
    "PINYIN_FACTOR",
    "WEIGHTS",
    "Hit",
    "Match",
    "compile_terms",
    "may_match",
    "needs_pinyin",
    "search",
    "search_text",
    "snippet",
]

FIELDS: tuple[str, ...] = (
    "title",
    "title_en",
    "id",
    "places",
    "organisations",
    "people",
    "tags",
    "stat.label",
    "stat.label_en",
    "summary",
    "summary_en",
)
WEIGHTS: dict[str, float] = {
    "id": 10,
    "title": 10,
    "title_en": 10,
    "places": 6,
    "organisations": 6,
    "people": 6,
    "tags": 6,
    "stat.label": 4,
    "stat.label_en": 4,
    "summary": 2,
    "summary_en": 2,
}
PINYIN_FACTOR = 0.9
_SEPARATOR = "\x1f"  # SQLite stops reading text at NUL, so not "\x00"
_ELLIPSIS = "…"


class Match(NamedTuple):
    field: str
    text: str
    start: int
    end: int
    via_pinyin: bool


class Hit(NamedTuple):
    fact: Fact
    score: float
    matches: tuple[Match, ...]


class _Term(NamedTuple):
    folded: str
    pattern: re.Pattern[str] | None


def needs_pinyin(term: str) -> bool:
    """True when the normalised term contains ASCII letters."""
    return any("a" <= char <= "z" for char in fold(term))


def _values(fact: Fact) -> list[str]:
    """Every searched value of a fact, grouped by field in FIELDS order."""
    return [
        fact.title,
        fact.title_en,
        fact.id,
        *fact.places,
        *fact.organisations,
        *fact.people,
        *fact.tags,
        *(stat.label for stat in fact.stats),
        *(stat.label_en for stat in fact.stats),
        fact.summary,
        fact.summary_en,
    ]


def _field_ranges(fact: Fact) -> list[tuple[int, int]]:
    """For each field in FIELDS order, its [start, stop) within _values(fact)."""
    stats = len(fact.stats)
    counts = (1, 1, 1, len(fact.places), len(fact.organisations), len(fact.people), len(fact.tags), stats, stats, 1, 1)
    ranges = []
    position = 0
    for count in counts:
        ranges.append((position, position + count))
        position += count
    return ranges


def _candidate_order() -> list[tuple[float, int, bool]]:
    """(score, field index, via pinyin), best first; a plain match wins a tie with a pinyin one."""
    plain = [(float(WEIGHTS[name]), index, False) for index, name in enumerate(FIELDS)]
    spoken = [(WEIGHTS[name] * PINYIN_FACTOR, index, True) for index, name in enumerate(FIELDS)]
    return sorted(plain + spoken, key=lambda candidate: -candidate[0])


def compile_terms(terms: Sequence[str]) -> list[_Term]:
    """Fold each non-empty term; ASCII-letter terms also get their pinyin pattern (the only pypinyin use)."""
    compiled = []
    for term in terms:
        folded = fold(term).strip()
        if not folded:
            continue
        pattern = None
        if needs_pinyin(folded):
            from shenka_cli.core.search.pinyin import pinyin_pattern

            pattern = pinyin_pattern(folded)
        compiled.append(_Term(folded, pattern))
    return compiled


def _find(term: _Term, folded: str, via_pinyin: bool) -> tuple[int, int] | None:
    """The first [start, end) of the term in a folded value, as a substring or through pinyin."""
    if not via_pinyin:
        position = folded.find(term.folded)
        return None if position < 0 else (position, position + len(term.folded))
    if term.pattern is None or folded.isascii():
        return None
    found = term.pattern.search(folded)
    return None if found is None else found.span()


def search_text(fact: Fact) -> str:
    """The folded text a fact is first checked against: all its searched values joined (the cache indexes it)."""
    return fold(_SEPARATOR.join(_values(fact)))


def may_match(terms: Sequence[_Term], blob: str) -> bool:
    """Whether every term occurs somewhere in a fact's search_text: a cheap filter before scoring."""
    return all(_may_match(term, blob) for term in terms)


def _may_match(term: _Term, blob: str) -> bool:
    """Whether the term occurs anywhere in a fact's folded values joined together: a cheap filter before scoring."""
    return term.folded in blob or (term.pattern is not None and term.pattern.search(blob) is not None)


def _match(field: str, text: str, folded: str, span: tuple[int, int], term: _Term, via_pinyin: bool) -> Match:
    """A Match with offsets carried back into the original text."""
    original = to_original(text, folded, *span)
    if original is None:
        mapped, starts, ends = fold_with_offsets(text)
        again = _find(term, mapped, via_pinyin)
        original = (0, len(text)) if again is None else span_in_original(starts, ends, *again, len(text))
    return Match(field, text, original[0], original[1], via_pinyin)


def _score(
    fact: Fact, values: list[str], folded: list[str], terms: list[_Term], order: list[tuple[float, int, bool]]
) -> Hit | None:
    """The fact's hit: the best-weighted match of every term, or None when a term matches nowhere."""
    ranges = _field_ranges(fact)
    total = 0.0
    matches = []
    for term in terms:
        best = None
        for weight, field_index, via_pinyin in order:
            if via_pinyin and term.pattern is None:
                continue
            start, stop = ranges[field_index]
            for index in range(start, stop):
                span = _find(term, folded[index], via_pinyin)
                if span is not None:
                    best = (weight, field_index, index, span, via_pinyin)
                    break
            if best is not None:
                break
        if best is None:
            return None
        weight, field_index, index, span, via_pinyin = best
        total += weight
        matches.append(_match(FIELDS[field_index], values[index], folded[index], span, term, via_pinyin))
    return Hit(fact, total, tuple(matches))


def search(facts: Sequence[Fact], terms: Sequence[str]) -> list[Hit]:
    """Facts matching every term, best score first; equal scores keep the input order."""
    compiled = compile_terms(terms)
    if not compiled:
        return []
    order = _candidate_order()
    hits = []
    for fact in facts:
        blob = search_text(fact)
        if not may_match(compiled, blob):
            continue
        values = _values(fact)
        folded = blob.split(_SEPARATOR)
        if len(folded) != len(values):
            folded = [fold(value) for value in values]
        hit = _score(fact, values, folded, compiled, order)
        if hit is not None:
            hits.append(hit)
    hits.sort(key=lambda hit: -hit.score)
    return hits


def snippet(match: Match, context: int = 20) -> tuple[str, int, int]:
    """A window of match.text, ≤ `context` characters each side of the match ('…' where cut), and the match in it."""
    text = match.text
    left = max(0, match.start - context)
    right = min(len(text), match.end + context)
    while left < match.start and unicodedata.combining(text[left]):
        left += 1
    while right > match.end and right < len(text) and unicodedata.combining(text[right]):
        right -= 1
    prefix = _ELLIPSIS if left > 0 else ""
    suffix = _ELLIPSIS if right < len(text) else ""
    offset = len(prefix) - left
    return prefix + text[left:right] + suffix, match.start + offset, match.end + offset
