"""Ranking in SQL the terms read as pinyin or as English words, which search.simple_term leaves out.

search._best scores a term in a fact by its best match: the field's weight times how well the match stands. For
such a term, every match is one of a few needles known before any fact is read: its variants as typed (anywhere,
scored by how they stand as words: search.word_ends), the forms of an English word that the fact base holds (the
words table; whole words only) and the runs of characters of the base that its pinyin can stand for (the
pinyin_pairs table, chained; anywhere, PINYIN_FACTOR). The term's score is then the value of the first of
(weight × quality, some region of search.REGIONS holds such a match) in falling order of value that holds: a CASE
over the regions the store keeps. Where a match's neighbours decide how it stands, a regular expression looks at
that region's text (shenka_bounded), in the facts and regions where it can decide the score and nowhere else.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, NamedTuple

from shenka_cli.core.store.rows import SEARCH_BYTES, region_sql, region_starts_sql

if TYPE_CHECKING:
    from shenka_cli.core.search import Query, Term
    from shenka_cli.core.store.snapshot import Snapshot

WORD_GLOB = "[0-9A-Za-z]"  # search._is_word_char, as GLOB writes it
LIMIT = 32  # needles of one kind for one term: beyond it, the term is ranked in Python
SAMPLE = 200  # facts a term's needles are looked for in, to tell whether it is broad
WORD_LIMIT = 20_000  # words of the base that start as a term's forms do, to look at for its forms

_GLOB_SPECIAL = re.compile(r"[*?\[]")


def _glob_literal(text: str) -> str:
    """Text as a GLOB pattern that matches it alone."""
    return _GLOB_SPECIAL.sub(r"[\g<0>]", text)


Sql = tuple[str, list[object]]  # a fragment of SQL and its parameters, in the order they are written


class Needles(NamedTuple):
    variants: tuple[str, ...]  # as typed (search.Term.variants): anywhere, scored by how they stand
    forms: tuple[str, ...]  # other forms of an English word held by the base: as whole words
    spelled: tuple[str, ...]  # runs of characters of the base its pinyin can stand for: anywhere


def term_needles(snapshot: Snapshot, term: Term) -> Needles | None:
    """A term's needles, or None when it is not ranked in SQL (a needle could lie in a rank_text's head or across
    values, or there are too many)."""
    from shenka_cli.core.search import form_start, forms, region_needle
    from shenka_cli.core.search.query import term_spoken

    if not all(map(region_needle, term.variants)):
        return None
    found: list[str] = []
    start = form_start(term)
    if start is not None:
        words = snapshot.words(start)
        if len(words) > WORD_LIMIT:
            return None
        found = forms(term, words)
    spelled: tuple[str, ...] | None = ()
    if term.pattern is not None:
        spelled = _spelled(snapshot, term_spoken(term.folded))
    if spelled is None or len(found) > LIMIT:
        return None
    return Needles(term.variants, tuple(found), spelled)


def phrase_needles(snapshot: Snapshot, query: Query) -> tuple[str, ...] | None:
    """What the phrase of a query is found through (any of them anywhere earns the phrase bonus), or None."""
    from shenka_cli.core.search import region_needle
    from shenka_cli.core.search.query import phrase_spoken

    phrase = query.phrase
    if phrase is None or not all(map(region_needle, phrase.variants)):
        return None
    spelled = _spelled(snapshot, phrase_spoken(query.terms)) if phrase.pattern is not None else ()
    return None if spelled is None else (*phrase.variants, *spelled)


def every_needle(needles: Needles) -> tuple[str, ...]:
    return (*needles.variants, *needles.forms, *needles.spelled)


def broad(sample: Sequence[str], needles: Needles) -> bool:
    """Whether at least half of a sample of the base's rank_texts hold one of a term's needles: then narrowing the
    facts down through the text indexes first costs more than it saves (the union of long lists of facts), and the
    ranking, which looks for each needle anyway, reads every fact."""
    every = every_needle(needles)
    return 2 * sum(any(needle in text for needle in every) for text in sample) >= len(sample) > 0


def common(sample: Sequence[str], needles: Sequence[str]) -> set[str]:
    """The needles that at least half of a sample of the base's rank_texts hold."""
    return {needle for needle in needles if 2 * sum(needle in text for text in sample) >= len(sample) > 0}


def _spelled(snapshot: Snapshot, spoken: str) -> tuple[str, ...] | None:
    """The runs of characters of the base that the pinyin pattern of `spoken` can match (a superset), or None."""
    from shenka_cli.core.search import region_needle
    from shenka_cli.core.search.pinyin import syllable_chars, term_spellings
    from shenka_cli.core.store.pinyin import first_codes, spelled_strings

    spellings = term_spellings(spoken, syllable_chars()) or []  # those of the pattern (pinyin.pinyin_pattern)
    classes = snapshot.pinyin_classes()
    found = spelled_strings(spellings, classes, snapshot.pinyin_pairs(first_codes(spellings, classes)), LIMIT)
    if found is None or not all(map(region_needle, found)):
        return None
    return tuple(found)


def _or(parts: Sequence[Sql]) -> Sql:
    return "(" + " OR ".join(text for text, _ in parts) + ")", [p for _, more in parts for p in more]


def _and(*parts: Sql) -> Sql:
    return "(" + " AND ".join(text for text, _ in parts) + ")", [p for _, more in parts for p in more]


class Scores:
    """Builds the SQL that scores spelled terms in a query reading fact_search: for each term, a column whose
    scalar subquery finds where each of its needles first occurs in the fact's rank_text (once: a subquery of its
    own) and from that, the fact's `regions` and its text, the term's score."""

    def __init__(self, common: Collection[str] = ()) -> None:
        """`common`: needles most facts hold, looked for without GLOB first."""
        self._common = common

        self.patterns: list[re.Pattern[str]] = []
        self._columns: list[str] = []
        self._column_parameters: list[object] = []
        self._positions: dict[str, str] = {}
        self._pattern_index: dict[str, int] = {}
        self._starts = region_starts_sql()

    def _column(self, score: Sql) -> Sql:
        """The score as a column: a subquery over where its needles first occur."""
        text = f"(SELECT {score[0]} FROM (SELECT {', '.join(self._columns)}))"
        parameters = [*score[1], *self._column_parameters]
        self._columns, self._column_parameters, self._positions = [], [], {}
        return text, parameters

    def bounded(self, text: bytes | None, index: int) -> bool:
        """shenka_bounded: whether the index-th pattern occurs in a region's text (its UTF-8 bytes)."""
        return text is not None and self.patterns[index].search(text.decode("utf-8")) is not None

    def _position(self, needle: str) -> str:
        """The column of where a needle first occurs in a fact's rank_text (its UTF-8 bytes, 1-based; 0 where it does
        not). GLOB tells first whether it occurs at all, several times faster than instr() in a text without it."""
        name = self._positions.get(needle)
        if name is None:
            name = self._positions[needle] = f"n{len(self._positions)}"
            if needle in self._common:
                self._columns.append(f"instr({SEARCH_BYTES}, ?) AS {name}")
                self._column_parameters.append(needle.encode())
            else:  # GLOB on the text: SQLite built with SQLITE_LIKE_DOESNT_MATCH_BLOBS matches no BLOB
                self._columns.append(f"CASE WHEN search GLOB ? THEN instr({SEARCH_BYTES}, ?) ELSE 0 END AS {name}")
                self._column_parameters += ["*" + _glob_literal(needle) + "*", needle.encode()]
        return name

    def _in(self, needle: str, index: int) -> Sql:
        """Whether the region holds the needle: where it first occurs tells, unless that is before the region."""
        position = self._position(needle)
        text = f"{position} > 0"
        if index + 1 < len(self._starts):
            text += f" AND {position} <= {self._starts[index + 1]}"
        if index == 0:
            return f"({text})", []
        return f"({text} AND ({position} > {self._starts[index]} OR instr({region_sql(index)}, ?) > 0))", [
            needle.encode()
        ]

    def _first_stands(self, needle: str, index: int, left: bool, right: bool) -> Sql:
        """Whether the needle's first occurrence lies in the region with no word character before it (when `left`)
        and none after it (when `right`): a cheap proof that the region holds it so (search._quality). Each
        neighbour is one byte (a word character is ASCII; no byte of another character is), taken as text for GLOB
        (see _position); past either end of the text, none."""
        position = self._position(needle)
        parts = [f"{position} > {self._starts[index]}"] if index else []
        if left:
            parts.append(f"CAST(substr({SEARCH_BYTES}, {position} - 1, 1) AS TEXT) NOT GLOB '{WORD_GLOB}'")
        if right:
            after = f"{position} + {len(needle.encode())}"
            parts.append(f"CAST(substr({SEARCH_BYTES}, {after}, 1) AS TEXT) NOT GLOB '{WORD_GLOB}'")
        return "(" + " AND ".join(parts) + ")", []

    def _stands(self, needles: Sequence[str], index: int, left: bool, right: bool, pattern: str) -> Sql:
        """Whether the region holds one of the needles with no word character before it (when `left`) and none
        after it (when `right`), `pattern` telling so of a region's text: from their first occurrences when these
        tell, else from the region's text."""
        found = [self._in(needle, index) for needle in needles]
        if not (left or right):
            return _or(found)
        firsts = [
            _and(held, self._first_stands(needle, index, left, right))
            for needle, held in zip(needles, found, strict=True)
        ]
        return _or([*firsts, _and(_or(found), self._bounded(index, pattern))])

    def _bounded(self, index: int, pattern: str) -> Sql:
        number = self._pattern_index.get(pattern)
        if number is None:
            number = self._pattern_index[pattern] = len(self.patterns)
            self.patterns.append(re.compile(pattern))
        return f"shenka_bounded({region_sql(index)}, {number})", []

    def term(self, needles: Needles) -> Sql:
        """A column of the term's score in a fact (NULL where it does not match)."""
        from shenka_cli.core.search import INSIDE, PINYIN_FACTOR, PREFIX, REGIONS, WORD, WORD_CHARACTER, word_ends

        before, after = f"(?<!{WORD_CHARACTER})", f"(?!{WORD_CHARACTER})"
        tiers: list[tuple[float, Sql]] = []
        for index, (_, weight) in enumerate(REGIONS):
            whole: list[Sql] = []
            start: list[Sql] = []
            inside: list[Sql] = []
            for variant in needles.variants:
                left, right = word_ends(variant)
                found = self._in(variant, index)
                if variant not in needles.forms:  # else a form: found below
                    pattern = before * left + re.escape(variant) + after * right
                    whole.append(self._stands([variant], index, left, right, pattern))
                if left and right:
                    start.append(self._stands([variant], index, True, False, before + re.escape(variant)))
                elif right:
                    start.append(found)
                if left:
                    inside.append(found)
            if needles.forms:
                pattern = before + "(?:" + "|".join(map(re.escape, needles.forms)) + ")" + after
                whole.append(self._stands(needles.forms, index, True, True, pattern))
            tiers.append((weight * WORD, _or(whole)))
            if needles.spelled:
                tiers.append((weight * PINYIN_FACTOR, _or([self._in(run, index) for run in needles.spelled])))
            if start:
                tiers.append((weight * PREFIX, _or(start)))
            if inside:
                tiers.append((weight * INSIDE, _or(inside)))
        tiers.sort(key=lambda tier: -tier[0])
        parameters: list[object] = []
        cases = []
        for value, (condition, more) in tiers:
            cases.append(f"WHEN {condition} THEN ?")
            parameters += [*more, value]
        return self._column((f"CASE {' '.join(cases)} END", parameters))

    def phrase(self, needles: Sequence[str], bonus: float) -> Sql:
        """A column of the phrase bonus a fact earns: where any of the phrase's needles occurs."""
        found = " OR ".join(f"{self._position(needle)} > 0" for needle in needles)
        return self._column((f"CASE WHEN {found} THEN ? ELSE 0.0 END", [bonus]))
