"""A search query as typed, parsed once: each term's folded forms, English stem and pinyin pattern.

Pure and cheap for Chinese: a query without ASCII letters imports neither the stemmer nor pinyin, and one
without a character that differs between the scripts does not import the converter.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from shenka_cli.core.search.normalise import fold

if TYPE_CHECKING:
    from shenka_cli.core.search.pinyin import PinyinPattern

_TONE_NUMBERS = re.compile(r"(?:[a-zv:ü]+[0-5])+[a-zv:ü]*")
_LETTERS = re.compile(r"[a-z]")


class Term(NamedTuple):
    """One word of a query."""

    typed: str
    folded: str  # NFKC, case-folded
    variants: tuple[str, ...]  # folded forms found as substrings: as typed, and in simplified characters
    stem: str | None  # for an English word: its Snowball stem
    prefix: str | None  # a prefix every form of that word starts with
    pattern: PinyinPattern | None  # pinyin: Chinese characters read as the term's syllables

    @property
    def needles(self) -> tuple[str, ...]:
        """A term can match a text only where one of these occurs in it, or its pattern matches."""
        return self.variants if self.prefix is None else (*self.variants, self.prefix)


class Query(NamedTuple):
    terms: tuple[Term, ...]
    phrase: Term | None  # two or more terms typed together: found adjacent, they rank first


def toneless(term: str) -> str:
    """Pinyin as typed with tone marks (kā), tone numbers (ka1) or ü, as plain letters (ka, lv)."""
    decomposed = unicodedata.normalize("NFD", term).replace("u\u0308", "v")
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    if _TONE_NUMBERS.fullmatch(plain):
        plain = re.sub(r"(?<=[a-zv:])[0-5]", "", plain)
    return plain.replace("u:", "v").replace("ü", "v")


def _is_chinese(text: str) -> bool:
    """Whether the text is all CJK ideographs (then it has no pinyin to read, and NFD is not needed)."""
    return all("\u3400" <= char <= "\u9fff" for char in text)


def needs_pinyin(term: str) -> bool:
    """True when the normalised term contains ASCII letters."""
    return _LETTERS.search(toneless(fold(term))) is not None


def compile_term(typed: str) -> Term | None:
    """The parsed term, or None when it is blank."""
    folded = fold(typed).strip()
    if not folded:
        return None
    variants = [folded]
    from shenka_cli.core.search.script import has_traditional

    if has_traditional(folded):
        from shenka_cli.core.search.script import to_simplified

        simplified = to_simplified(folded)
        if simplified != folded:
            variants.append(simplified)
    stem = prefix = None
    if folded.isascii() and folded.isalpha():  # one English word: its other forms count as it
        from shenka_cli.core.search.english import stem as stem_of
        from shenka_cli.core.search.english import stem_prefix

        stem = stem_of(folded)
        prefix = stem_prefix(stem)
        if prefix == folded:
            prefix = None
    pattern = None
    spoken = term_spoken(folded)
    if _LETTERS.search(spoken):
        from shenka_cli.core.search.pinyin import pinyin_pattern

        pattern = pinyin_pattern(spoken)
    return Term(typed, folded, tuple(variants), stem, prefix, pattern)


def term_spoken(folded: str) -> str:
    """What a folded term's pinyin pattern reads: the term without tone marks or numbers (unless it is all Chinese)."""
    return toneless(folded) if not _is_chinese(folded) else folded


def phrase_spoken(terms: Sequence[Term]) -> str:
    """What the pinyin pattern of the terms' phrase reads."""
    return " ".join(toneless(term.folded) for term in terms)


def _phrase(terms: Sequence[Term]) -> Term | None:
    """The terms as one phrase: words adjacent in English, syllables of consecutive characters in pinyin."""
    if len(terms) < 2 or not all(_LETTERS.search(toneless(term.folded)) for term in terms):
        return None
    from shenka_cli.core.search.pinyin import pinyin_pattern

    typed = " ".join(term.typed for term in terms)
    folded = " ".join(term.folded for term in terms)
    return Term(typed, folded, (folded,), None, None, pinyin_pattern(phrase_spoken(terms)))


def parse_query(words: str | Sequence[str]) -> Query:
    """A query from the words typed (a string is split at white space)."""
    if isinstance(words, str):
        words = [words]
    terms = tuple(term for word in words for part in word.split() if (term := compile_term(part)) is not None)
    return Query(terms, _phrase(terms))
