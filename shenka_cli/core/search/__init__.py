"""Keyword search over facts, best first: Chinese in either script, English words and their forms, pinyin.

A term matches a field as a whole word (or another form of the word), at the start of a word, inside a
word, or through pinyin; its score is the field's weight times that quality, and a fact's score adds up
its terms' best matches. Terms typed together that occur together (ka shi in 喀什) add a phrase bonus.
"""

from __future__ import annotations

import itertools
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from shenka_cli.core.model import Entity, Fact
from shenka_cli.core.search.normalise import fold, fold_with_offsets, span_in_original, to_original
from shenka_cli.core.search.query import Query, Term, needs_pinyin, parse_query
from shenka_cli.core.search.script import to_simplified

__all__ = [
    "FIELDS",
    "INSIDE",
    "PHRASE_BONUS",
    "PINYIN_FACTOR",
    "PREFIX",
    "WEIGHTS",
    "WORD",
    "WORD_CHARACTER",
    "Hit",
    "Match",
    "NeedsFact",
    "Query",
    "Shown",
    "Term",
    "entity_names",
    "form_start",
    "forms",
    "may_match",
    "needs_pinyin",
    "parse_query",
    "rank_score",
    "rank_text",
    "ranked_shown",
    "region_needle",
    "region_starts",
    "REGIONS",
    "simple_shown",
    "simple_term",
    "search",
    "search_terms",
    "search_values",
    "shown",
    "search_text",
    "snippet",
    "word_ends",
    "stored_hit",
]

FIELDS: tuple[str, ...] = (
    "title",
    "title_en",
    "id",
    "places",
    "organisations",
    "people",
    "names.title",
    "names",
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
    "names.title": 8,  # names of an entity that the fact's title names in full: the fact is about it
    "names": 6,
    "tags": 6,
    "stat.label": 4,
    "stat.label_en": 4,
    "summary": 2,
    "summary_en": 2,
}
WORD = 1.0  # a whole word, another form of it, or any Chinese substring
PINYIN_FACTOR = 0.9
# A weaker kind of match never outranks a stronger one, whatever the fields: the start of a word in a title
# (10 × 0.17) scores below a whole word or pinyin in a summary (2 × 0.9), inside a word in a title (10 × 0.03)
# below the start of a word in a summary (2 × 0.17), so "bus" finds buses before business.
PREFIX = 0.17  # the start of a longer word: art in artists
INSIDE = 0.03  # inside a word: art in smart
PHRASE_BONUS = 20.0  # per further term: above two terms apart at full weight, so adjacent ranks first
_BY_WEIGHT = sorted(range(len(FIELDS)), key=lambda index: -WEIGHTS[FIELDS[index]])
Names = Callable[[Fact], tuple[Sequence[str], Sequence[str]]]
_SEPARATOR = "\x1f"  # SQLite stops reading text at NUL, so not "\x00"
_SEPARATOR_BYTES = _SEPARATOR.encode()
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


class Shown(NamedTuple):
    """What a listing of hits shows of one: its fact's id and titles, and its first match (Hit.matches[0])."""

    fact_id: str
    title: str
    title_en: str
    match: Match


class _Found(NamedTuple):
    score: float
    field_index: int
    index: int
    start: int
    end: int
    via_pinyin: bool


def entity_names(entities: Sequence[Entity]) -> Names | None:
    """The names and aliases of each fact's places, organisations and people, from the gazetteer, or None
    without one: those of the entities its title names in full (by name or English name), and the others.
    Search then finds 新疆维吾尔自治区 under Uyghur when the gazetteer gives that alias."""
    if not entities:
        return None
    from shenka_cli.core.gazetteer import Gazetteer
    from shenka_cli.core.model import EntityCategory

    gazetteer = Gazetteer(entities)
    known: dict[int, tuple[tuple[str, ...], tuple[str, ...]]] = {}  # per entity: its folded names, all its names

    def forms(entity: Entity) -> tuple[tuple[str, ...], tuple[str, ...]]:
        found = known.get(id(entity))
        if found is None:
            folded = tuple(fold(name) for name in (entity.name, entity.name_en) if name)
            found = known[id(entity)] = (folded, tuple(dict.fromkeys((entity.name, entity.name_en, *entity.aliases))))
        return found

    def names(fact: Fact) -> tuple[list[str], list[str]]:
        titled: dict[str, None] = {}
        other: dict[str, None] = {}
        title = fold(fact.title + _SEPARATOR + fact.title_en)
        for category in EntityCategory:
            for entity in gazetteer.fact_entities(fact, category):
                if isinstance(entity, str):
                    other[entity] = None
                    continue
                folded, every = forms(entity)
                named = any(name in title for name in folded)
                (titled if named else other).update(dict.fromkeys(every))
        return list(titled), [name for name in other if name not in titled]

    return names


def search_terms(text: str) -> str:
    """Text as search compares it: NFKC, case-folded, in simplified characters (character for character)."""
    return to_simplified(fold(text))


def _values(fact: Fact, names: tuple[Sequence[str], Sequence[str]] = ((), ())) -> list[str]:
    """Every searched value of a fact, grouped by field in FIELDS order (names: see entity_names)."""
    return [
        fact.title,
        fact.title_en,
        fact.id,
        *fact.places,
        *fact.organisations,
        *fact.people,
        *names[0],
        *names[1],
        *fact.tags,
        *(stat.label for stat in fact.stats),
        *(stat.label_en for stat in fact.stats),
        fact.summary,
        fact.summary_en,
    ]


def _field_ranges(fact: Fact, names: tuple[int, int]) -> list[tuple[int, int]]:
    """For each field in FIELDS order, its [start, stop) within _values(fact)."""
    stats = len(fact.stats)
    counts = (1, 1, 1, len(fact.places), len(fact.organisations), len(fact.people), *names, len(fact.tags))
    ranges = []
    position = 0
    for count in (*counts, stats, stats, 1, 1):
        ranges.append((position, position + count))
        position += count
    return ranges


def search_text(fact: Fact, names: Names | None = None) -> str:
    """The folded text a fact is first checked against: all its searched values joined (the cache indexes it)."""
    return search_terms(_SEPARATOR.join(_values(fact, names(fact) if names is not None else ((), ()))))


def may_match(terms: Sequence[Term], blob: str) -> bool:
    """Whether every term may occur in a fact's search_text: a cheap filter before scoring."""
    return all(_may_match(term, blob) for term in terms)


def _may_match(term: Term, blob: str) -> bool:
    return any(needle in blob for needle in term.needles) or (
        term.pattern is not None and term.pattern.search(blob) is not None
    )


def _is_word_char(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _quality(folded: str, start: int, end: int) -> float:
    """How well [start, end) of a folded value stands as a word: whole, at a word's start, or inside one."""
    if not (_is_word_char(folded[start]) or _is_word_char(folded[end - 1])):
        return WORD
    left = start == 0 or not _is_word_char(folded[start - 1]) or not _is_word_char(folded[start])
    right = end == len(folded) or not _is_word_char(folded[end]) or not _is_word_char(folded[end - 1])
    if left and right:
        return WORD
    return PREFIX if left else INSIDE


def _plain(term: Term, folded: str) -> tuple[float, int, int] | None:
    """The best (quality, start, end) of the term in a folded value, as a substring or a form of the word."""
    best: tuple[float, int, int] | None = None
    for variant in term.variants:
        position = folded.find(variant)
        while position >= 0:
            end = position + len(variant)
            quality = _quality(folded, position, end)
            if quality == WORD:
                return quality, position, end
            if best is None or quality > best[0]:
                best = (quality, position, end)
            position = folded.find(variant, position + 1)
    if term.stem is not None:
        form = _form(term, folded)
        if form is not None:
            return WORD, *form
    return best


def _form(term: Term, folded: str) -> tuple[int, int] | None:
    """The first whole word of a folded value with the term's stem (hospitals for hospital)."""
    from shenka_cli.core.search.english import WORD as WORD_PATTERN
    from shenka_cli.core.search.english import stem

    start = term.prefix or term.folded
    position = folded.find(start)
    while position >= 0:
        if position == 0 or not _is_word_char(folded[position - 1]):
            word = WORD_PATTERN.match(folded, position)
            if word is not None and stem(word.group()) == term.stem:
                return word.span()
        position = folded.find(start, position + 1)
    return None


def _pinyin(term: Term, folded: str) -> tuple[int, int] | None:
    if term.pattern is None or folded.isascii():
        return None
    found = term.pattern.search(folded)
    return None if found is None else found.span()


def _held(term: Term, folded: list[str], blob: str | None = None) -> set[int] | None:
    """For an English word (whose forms _plain looks for word by word), the values of a fact that may hold it:
    where one of its variants or the start of its forms occurs, found in the values joined (`blob`, when the
    caller has it): one scan instead of one per value. None for any other term, or when a needle is empty or
    holds the separator."""
    if term.stem is None:
        return None
    needles = (*term.variants, term.prefix or term.folded)
    if any(not needle or _SEPARATOR in needle for needle in needles):
        return None
    if blob is None:
        blob = _SEPARATOR.join(folded)
    held: set[int] = set()
    for needle in needles:
        index = counted = 0
        position = blob.find(needle)
        while position >= 0:
            index += blob.count(_SEPARATOR, counted, position)  # the value the needle is in
            counted = position
            held.add(index)
            following = blob.find(_SEPARATOR, position)  # where that value ends
            position = blob.find(needle, following + 1) if following >= 0 else -1
    return held


def _best(term: Term, folded: list[str], ranges: list[tuple[int, int]], blob: str | None = None) -> _Found | None:
    """The term's best-scoring match in a fact: higher weights first, plain before pinyin at equal score.
    `blob`: the values joined, when the caller has them."""
    best: _Found | None = None
    held = _held(term, folded, blob)
    for field_index in _BY_WEIGHT:
        weight = WEIGHTS[FIELDS[field_index]]
        if best is not None and best.score >= weight:
            break
        for index in range(*ranges[field_index]):
            plain = _plain(term, folded[index]) if held is None or index in held else None
            if plain is not None and (best is None or weight * plain[0] > best.score):
                best = _Found(weight * plain[0], field_index, index, plain[1], plain[2], False)
            if (plain is None or plain[0] < PINYIN_FACTOR) and (best is None or weight * PINYIN_FACTOR > best.score):
                spoken = _pinyin(term, folded[index])
                if spoken is not None:
                    best = _Found(weight * PINYIN_FACTOR, field_index, index, *spoken, True)
    return best


_FACTORS = (WORD, PINYIN_FACTOR, PREFIX, INSIDE)  # how well a match can stand: its score is a field's weight times one


def _scoring(
    term: Term, values: Sequence[bytes], starts: Sequence[int], fields: Sequence[tuple[int, bool]], score: float
) -> _Found | None:
    """_best, given the score of the term's best match and the fields that can give it (_fields_scoring), over a
    fact's folded values in UTF-8 (`starts`: where each field's values start, and where one more field would):
    _best keeps a match only when it scores more than the one it has, so its result is the first value, heaviest
    fields first, in which a match scores that much (a plain one before one through pinyin, as _best looks)."""
    plains, spokens = _MATCHES.of(term)
    for field_index, spoken_scores in fields:
        weight = WEIGHTS[FIELDS[field_index]]
        for index in range(starts[field_index], starts[field_index + 1]):
            value = values[index]
            plain = plains.get(value, _UNKNOWN)
            if plain is _UNKNOWN:
                plain = plains[value] = _plain(term, value.decode("utf-8", "surrogatepass"))
            if plain is not None and weight * plain[0] == score:
                return _Found(score, field_index, index, plain[1], plain[2], False)
            if spoken_scores and (plain is None or plain[0] < PINYIN_FACTOR):
                spoken = spokens.get(value, _UNKNOWN)
                if spoken is _UNKNOWN:
                    spoken = spokens[value] = _pinyin(term, value.decode("utf-8", "surrogatepass"))
                if spoken is not None:
                    return _Found(score, field_index, index, *spoken, True)
    return None


_UNKNOWN: Any = object()
# Every fact has one title, one English title and one id, its first three values (_values): where its head starts
# with these sizes, a match in them is found without reading the rest of the head.
_FIRST_SIZES = b"1,1,1,"
_FIRST_STARTS = (0, 1, 2, 3)


class _Matches:
    """_plain and _pinyin of the values (in UTF-8) of one term's listing, kept: the names of the gazetteer's entities
    recur from fact to fact (every fact in Kashgar lists its names), and an English word's forms are looked for word
    by word. At most SIZE values are kept, for one term at a time."""

    SIZE = 4_096

    def __init__(self) -> None:
        self._term: Term | None = None
        self._plain: dict[bytes, tuple[float, int, int] | None] = {}
        self._spoken: dict[bytes, tuple[int, int] | None] = {}

    def of(self, term: Term) -> tuple[dict[bytes, Any], dict[bytes, Any]]:
        if term is not self._term or len(self._plain) + len(self._spoken) > self.SIZE:
            self._term, self._plain, self._spoken = term, {}, {}
        return self._plain, self._spoken


_MATCHES = _Matches()


_SCORING: dict[float, tuple[tuple[tuple[int, bool], ...], int]] = {}


def _fields_scoring(score: float) -> tuple[tuple[tuple[int, bool], ...], int]:
    """The fields (in _best's order) whose weight times how well a match stands can make a score, each with whether
    a match through pinyin makes it, and the last of them in FIELDS (-1 for none)."""
    found = _SCORING.get(score)
    if found is None:
        if len(_SCORING) > 256:
            _SCORING.clear()
        weights = [(index, WEIGHTS[FIELDS[index]]) for index in _BY_WEIGHT]
        fields = tuple(
            (index, weight * PINYIN_FACTOR == score)
            for index, weight in weights
            if any(weight * factor == score for factor in _FACTORS)
        )
        found = _SCORING[score] = (fields, max((index for index, _ in fields), default=-1))
    return found


def _finder(term: Term, via_pinyin: bool) -> Callable[[str], tuple[int, int] | None]:
    if via_pinyin:
        return lambda folded: _pinyin(term, folded)

    def plain(folded: str) -> tuple[int, int] | None:
        found = _plain(term, folded)
        return None if found is None else found[1:]

    return plain


def _match(found: _Found, term: Term, values: list[str], folded: list[str]) -> Match:
    """A Match with offsets carried back into the original text."""
    return _match_in(found, term, values[found.index], folded[found.index])


def _match_in(found: _Found, term: Term, text: str, folded: str) -> Match:
    original = to_original(text, folded, found.start, found.end)
    if original is None:
        mapped, starts, ends = fold_with_offsets(text)
        again = _finder(term, found.via_pinyin)(mapped)
        original = (0, len(text)) if again is None else span_in_original(starts, ends, *again, len(text))
    return Match(FIELDS[found.field_index], text, original[0], original[1], found.via_pinyin)


def _score(fact: Fact, values: list[str], folded: list[str], query: Query, names: tuple[int, int]) -> Hit | None:
    """The fact's hit: the best match of every term (and of the phrase), or None when a term matches nowhere."""
    ranges = _field_ranges(fact, names)
    total = 0.0
    matches = []
    for term in query.terms:
        found = _best(term, folded, ranges)
        if found is None:
            return None
        total += found.score
        matches.append(_match(found, term, values, folded))
    if query.phrase is not None:
        found = _best(query.phrase, folded, ranges)
        if found is not None:
            total += PHRASE_BONUS * (len(query.terms) - 1)
            matches.insert(0, _match(found, query.phrase, values, folded))
    return Hit(fact, total, tuple(matches))


def search(facts: Sequence[Fact], terms: Sequence[str] | Query, names: Names | None = None) -> list[Hit]:
    """Facts matching every term, best score first; equal scores keep the input order. `names` gives the
    gazetteer's names and aliases of a fact's entities (see entity_names)."""
    query = terms if isinstance(terms, Query) else parse_query(terms)
    if not query.terms:
        return []
    hits = []
    for fact in facts:
        hit = _hit(fact, query, names)
        if hit is not None:
            hits.append(hit)
    hits.sort(key=lambda hit: -hit.score)
    return hits


def _hit(fact: Fact, query: Query, names: Names | None, blob: str | None = None) -> Hit | None:
    """The fact's hit, or None; `blob` is its search_text when it is known already."""
    groups = names(fact) if names is not None else ((), ())
    values = _values(fact, groups)
    if blob is None:
        blob = search_terms(_SEPARATOR.join(values))
    if not may_match(query.terms, blob):
        return None
    folded = blob.split(_SEPARATOR)
    if len(folded) != len(values):
        folded = [search_terms(value) for value in values]
    return _score(fact, values, folded, query, (len(groups[0]), len(groups[1])))


def stored_hit(fact: Fact, query: Query, names: Names | None, ranking: str) -> Hit | None:
    """The hit search() gives the fact, from the rank_text the store kept for it (its text is not folded again)."""
    head, _, blob = ranking.partition(_COUNTS_END)
    return _hit(fact, query, names, None if head == "-" else blob)


class NeedsFact(Exception):
    """rank_score cannot score this stored text alone (a value held the separator): score the fact itself."""


_COUNTS_END = "\x1e"
_COUNTS_END_BYTES = _COUNTS_END.encode()


def rank_text(fact: Fact, names: Names | None = None) -> str:
    """What the store keeps to rank a fact without building it: its fields' sizes, then its search_text."""
    groups = names(fact) if names is not None else ((), ())
    values = _values(fact, groups)
    blob = search_terms(_SEPARATOR.join(values))
    if len(blob.split(_SEPARATOR)) != len(values):
        return "-" + _COUNTS_END + blob
    ranges = _field_ranges(fact, (len(groups[0]), len(groups[1])))
    return ",".join(str(stop - start) for start, stop in ranges) + _COUNTS_END + blob


def _field_starts(head: str | bytes, fields: int | None = None) -> list[int]:
    """Where each field's values start among a rank_text's values, and where one more field's would: from the sizes
    at its head (as text or UTF-8); of its first `fields` fields only, when given (the rest is not read)."""
    separator = "," if isinstance(head, str) else b","
    sizes = head.split(separator) if fields is None else head.split(separator, fields)[:fields]
    return list(itertools.accumulate(map(int, sizes), initial=0))


def _ranges(head: str) -> list[tuple[int, int]]:
    """Each field's values as a range of indexes, from the sizes at the head of a rank_text."""
    return list(itertools.pairwise(_field_starts(head)))


def rank_score(query: Query, text: str) -> float | None:
    """The score search() gives the fact whose rank_text this is, or None when it does not match every term.

    Raises NeedsFact when only the fact itself can tell.
    """
    head, _, blob = text.partition(_COUNTS_END)
    # The cheap part of may_match: a term with a pinyin pattern is looked for value by value below anyway.
    if not all(term.pattern is not None or any(needle in blob for needle in term.needles) for term in query.terms):
        return None
    if head == "-":
        raise NeedsFact
    ranges = _ranges(head)
    folded = blob.split(_SEPARATOR)
    total = 0.0
    for term in query.terms:
        found = _best(term, folded, ranges, blob)
        if found is None:
            return None
        total += found.score
    if query.phrase is not None and _best(query.phrase, folded, ranges, blob) is not None:
        total += PHRASE_BONUS * (len(query.terms) - 1)
    return total


# Runs of neighbouring FIELDS of equal weight, as (index of the run's first field, weight): the store ranks a
# query of simple terms (simple_term) in SQL from where each run starts in a fact's rank_text (region_starts).
REGIONS: tuple[tuple[int, float], ...] = tuple(
    (index, WEIGHTS[field])
    for index, field in enumerate(FIELDS)
    if index == 0 or WEIGHTS[FIELDS[index - 1]] != WEIGHTS[field]
)
_BY_REGION_WEIGHT = sorted(range(len(REGIONS)), key=lambda index: -REGIONS[index][1])
_HEAD_CHARS = frozenset("0123456789,-" + _COUNTS_END + _SEPARATOR)


def simple_term(term: Term) -> bool:
    """Whether every occurrence of the term in a field scores that field's whole weight (no stem, no pinyin, no
    variant that starts or ends inside a word) and no occurrence can lie in a rank_text's head or span two values:
    then its score in a fact is the weight of the heaviest field that holds one of its variants."""
    return (
        term.stem is None
        and term.pattern is None
        and all(
            variant
            and not _is_word_char(variant[0])
            and not _is_word_char(variant[-1])
            and not _HEAD_CHARS.intersection(variant)
            for variant in term.variants
        )
    )


def region_needle(needle: str) -> bool:
    """Whether a folded needle's occurrences in a rank_text lie within one value (not in its head, not across a
    separator): then where it occurs says which region of REGIONS holds it."""
    return bool(needle) and not _HEAD_CHARS.issuperset(needle) and not {_COUNTS_END, _SEPARATOR, "\x00"} & set(needle)


def word_ends(variant: str) -> tuple[bool, bool]:
    """Whether a variant's first and last characters are word characters: how an occurrence of it scores depends on
    its neighbours only where one is (_quality): a whole word needs neither neighbour to be one, the start of a word
    (PREFIX) not the one before it; else it is INSIDE a word."""
    return _is_word_char(variant[0]), _is_word_char(variant[-1])


WORD_CHARACTER = "[0-9A-Za-z]"  # _is_word_char as a regular expression's class


def forms(term: Term, words: Sequence[str]) -> list[str]:
    """Those of the words (runs of ASCII letters) that _form takes for a form of the term (hospitals for hospital):
    where one occurs as a whole word, the term scores WORD."""
    if term.stem is None:
        return []
    from shenka_cli.core.search.english import stem

    start = term.prefix or term.folded
    return [word for word in words if word.startswith(start) and stem(word) == term.stem]


def form_start(term: Term) -> str | None:
    """What every form of an English word starts with (None for another term)."""
    return None if term.stem is None else term.prefix or term.folded


def region_starts(text: str) -> list[int] | None:
    """Where each of REGIONS but the first starts in a rank_text, as 0-based offsets of its bytes in UTF-8 (where
    SQLite's substr() and instr() on a BLOB count, and a listing looks in the text as stored), or None when the text
    is of a fact rank_score cannot score alone."""
    encoded = text.encode("utf-8", "surrogatepass")
    head_end = encoded.find(_COUNTS_END_BYTES)
    if head_end < 0 or encoded[:head_end] == b"-":
        return None
    offsets = [head_end + 1]  # where each value starts, and where one more would
    for part in encoded[head_end + 1 :].split(_SEPARATOR_BYTES):
        offsets.append(offsets[-1] + len(part) + 1)
    firsts = _field_starts(encoded[:head_end])  # each field's first value
    return [offsets[firsts[field]] for field, _ in REGIONS[1:]]


def search_values(fact: Fact, names: Names | None = None) -> str:
    """A fact's searched values as it writes them, in the order of its rank_text (for ranked_match)."""
    return _SEPARATOR.join(_values(fact, names(fact) if names is not None else ((), ())))


def shown(hit: Hit) -> Shown:
    return Shown(hit.fact.id, hit.fact.title, hit.fact.title_en, hit.matches[0])


def ranked_shown(query: Query, ranking: str | bytes, values: str | bytes, score: float | None = None) -> Shown:
    """What a listing shows of the hit search() gives a fact (its phrase's match, else its first term's), from its
    rank_text and search_values, without building the fact; either text may be given in UTF-8, as the store keeps
    them. `score`, the hit's (rank_score's), tells for a query of one term where its best match can be (_scoring):
    then only the values looked at are split off and decoded. Raises NeedsFact when these cannot tell."""
    if score is not None and len(query.terms) == 1 and query.phrase is None:
        found_shown = _shown_scoring(query.terms[0], _utf8(ranking), _utf8(values), score)
        if found_shown is not None:
            return found_shown
    if isinstance(ranking, bytes):
        ranking = ranking.decode("utf-8", "surrogatepass")
    if isinstance(values, bytes):
        values = values.decode("utf-8", "surrogatepass")
    head, _, blob = ranking.partition(_COUNTS_END)
    originals = values.split(_SEPARATOR)
    folded = blob.split(_SEPARATOR)
    if head == "-" or len(originals) != len(folded) or len(originals) < 3:
        raise NeedsFact
    ranges = _ranges(head)
    found = None
    if query.phrase is not None:
        found = _best(query.phrase, folded, ranges, blob)
        term = query.phrase
    if found is None:
        term = query.terms[0]
        found = _best(term, folded, ranges, blob)
    if found is None:
        raise NeedsFact
    title, title_en, fact_id = originals[:3]  # the first values of every fact (_values)
    return Shown(fact_id, title, title_en, _match(found, term, originals, folded))


def _utf8(text: str | bytes) -> bytes:
    return text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")


def _shown_scoring(term: Term, ranking: bytes, values: bytes, score: float) -> Shown | None:
    """ranked_shown for a query of one term whose best match scores `score`, or None when the texts do not tell:
    only the values before the end of the last field that can hold such a match are split off, and only those
    looked at (and not known already) are decoded. (A rank_text whose values do not line up with the fact's has
    the head "-": see rank_text.)"""
    head_end = ranking.find(_COUNTS_END_BYTES)
    fields, last = _fields_scoring(score)
    if head_end < 0 or last < 0:
        return None
    if last < len(_FIRST_STARTS) - 1 and ranking.startswith(_FIRST_SIZES):
        starts: Sequence[int] = _FIRST_STARTS
    else:  # the sizes of the fields up to the last one looked in, of a head that has one for every field
        head = ranking[:head_end]
        if head.count(b",") != len(FIELDS) - 1:
            return None  # "-", or not a head
        starts = _field_starts(head, last + 1)
    folded = ranking.split(_SEPARATOR_BYTES, starts[last + 1])
    folded[0] = folded[0][head_end + 1 :]  # the first value, without the head (rather than a copy of all the rest)
    found = _scoring(term, folded, starts, fields, score)
    if found is None:
        return None
    index = found.index
    originals = values.split(_SEPARATOR_BYTES, max(index, 2) + 1)
    if len(originals) <= max(index, 2):
        return None
    text = originals[index].decode("utf-8", "surrogatepass")
    match = _match_in(found, term, text, folded[index].decode("utf-8", "surrogatepass"))
    fact_id = originals[2].decode("utf-8", "surrogatepass")
    return Shown(
        fact_id, originals[0].decode("utf-8", "surrogatepass"), originals[1].decode("utf-8", "surrogatepass"), match
    )


def simple_shown(query: Query, ranking: str | bytes, values: str | bytes, starts: Sequence[int]) -> Shown:
    """ranked_shown for a query of simple terms (simple_term, no phrase), given where each of REGIONS but the first
    starts in the rank_text (region_starts: offsets of its UTF-8 bytes): the first value of the heaviest region
    holding a variant of the first term is the match's, and is found without splitting either text. Either text may
    be given encoded in UTF-8 (as the store keeps them: only the values shown are decoded). Raises NeedsFact when
    these cannot tell."""
    term = query.terms[0]
    ranking = _utf8(ranking)
    encoded = _ENCODED.get(term.variants)
    if encoded is None:
        if len(_ENCODED) > 64:
            _ENCODED.clear()
        encoded = _ENCODED[term.variants] = [variant.encode() for variant in term.variants]
    first = _heaviest_in_bytes(encoded, ranking, starts)
    value, index, head = _value_at(ranking, first, _SEPARATOR_BYTES, _COUNTS_END_BYTES)
    folded, counts = value.decode("utf-8"), head.decode("utf-8")
    variants = term.variants
    if len(variants) == 1:
        variant = variants[0]
        start = folded.find(variant)
    else:
        start, variant = next((folded.find(v), v) for v in variants if v in folded)  # _plain's choice
    field = 0
    total = 0
    for field, count in enumerate(map(int, counts.split(","))):  # noqa: B007 - the field is the result
        total += count
        if index < total:
            break
    if isinstance(values, bytes):
        parts = values.split(_SEPARATOR_BYTES, 3)
        if len(parts) < 3 or (index > 2 and len(parts) < 4):
            raise NeedsFact
        title = parts[0].decode("utf-8", "surrogatepass")
        title_en = parts[1].decode("utf-8", "surrogatepass")
        fact_id = parts[2].decode("utf-8", "surrogatepass")
        if index < 3:
            text = (title, title_en, fact_id)[index]
        else:
            rest = parts[3].split(_SEPARATOR_BYTES, index - 2)
            if len(rest) <= index - 3:
                raise NeedsFact
            text = rest[index - 3].decode("utf-8", "surrogatepass")
    else:
        originals = values.split(_SEPARATOR, max(index, 2) + 1)
        if len(originals) <= max(index, 2):
            raise NeedsFact
        title, title_en, fact_id = originals[:3]
        text = originals[index]
    end = start + len(variant)
    original = to_original(text, folded, start, end)
    if original is not None:
        return Shown(fact_id, title, title_en, Match(FIELDS[field], text, original[0], original[1], False))
    where = _Found(WEIGHTS[FIELDS[field]], field, index, start, end, False)
    return Shown(fact_id, title, title_en, _match_in(where, term, text, folded))


def _value_at(ranking: bytes, first: int, separator: bytes, counts_end: bytes) -> tuple[bytes, int, bytes]:
    """The value of a rank_text in which `first` lies, its index among the values, and the text's head (the fields'
    sizes). Raises NeedsFact for a `first` of -1 or a text without a head."""
    head_end = ranking.find(counts_end)
    if first < 0 or head_end < 0:
        raise NeedsFact
    value_start = max(ranking.rfind(separator, head_end, first), head_end) + 1
    value_end = ranking.find(separator, first)
    value = ranking[value_start : value_end if value_end >= 0 else len(ranking)]
    return value, ranking.count(separator, head_end, value_start), ranking[:head_end]


_PRIORITY = [_BY_REGION_WEIGHT.index(region) for region in range(len(REGIONS))]  # 0 for the heaviest region
_BEST_AFTER = [min(_PRIORITY[region + 1 :], default=len(REGIONS)) for region in range(len(REGIONS))]
_ENCODED: dict[tuple[str, ...], list[bytes]] = {}  # a term's variants in UTF-8, for a listing's every hit


def _heaviest_in_bytes(variants: Sequence[bytes], ranking: bytes, starts: Sequence[int]) -> int:
    """Where the first occurrence of a variant in the heaviest region holding one starts in a rank_text encoded in
    UTF-8 (a byte offset, as are the region starts), or -1: the occurrences are visited in order until no region
    after the one of the best so far weighs more. (A valid UTF-8 needle found in valid UTF-8 bytes is found where
    its characters are: no character is cut.)"""
    best, best_priority = -1, len(REGIONS)
    single = variants[0] if len(variants) == 1 else None
    position = ranking.find(single) if single is not None else _next_of(variants, ranking, 0)
    while position >= 0:
        region = bisect_right(starts, position)
        if _PRIORITY[region] < best_priority:
            best, best_priority = position, _PRIORITY[region]
        if _BEST_AFTER[region] >= best_priority:
            break
        after = position + 1
        position = ranking.find(single, after) if single is not None else _next_of(variants, ranking, after)
    return best


def _next_of(variants: Sequence[bytes], ranking: bytes, start: int) -> int:
    """Where the first occurrence of any of the variants from `start` on starts, or -1."""
    return min((found for variant in variants if (found := ranking.find(variant, start)) >= 0), default=-1)


def snippet(match: Match, context: int = 20) -> tuple[str, int, int]:
    """A window of match.text, ≤ `context` characters each side of the match ('…' where cut), and the match in it."""
    text = match.text
    whole = match.start <= context and len(text) - match.end <= context
    if whole and (match.start == 0 or not unicodedata.combining(text[0])):
        return text, match.start, match.end  # all of it: what _window gives such a match
    return _window(match, context)


def _window(match: Match, context: int) -> tuple[str, int, int]:
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
