"""Did you mean: the words of the fact base closest to a query term that matches nothing, in the term's language.

Only a query that found nothing comes here, so the vocabulary is gathered from the facts' texts on demand.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from shenka_cli.core.model import Fact
from shenka_cli.core.search import Names
from shenka_cli.core.search.normalise import fold
from shenka_cli.core.search.query import Term

_ENGLISH = re.compile(r"[a-z][a-z0-9]+")
_CHINESE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


def searched_texts(facts: Iterable[Fact], names: Names | None = None) -> list[str]:
    """Every searched value of the facts (the gazetteer's names of their entities too): the vocabulary."""
    from shenka_cli.core.search import _values

    return [text for fact in facts for text in _values(fact, names(fact) if names is not None else ((), ()))]


def english_words(texts: Iterable[str]) -> Counter[str]:
    """Every English word of the texts, folded, with how often it occurs."""
    return Counter(word for text in texts for word in _ENGLISH.findall(fold(text)))


def chinese_ngrams(texts: Iterable[str], size: int) -> Counter[str]:
    """Every run of `size` Chinese characters in the texts, with how often it occurs."""
    from shenka_cli.core.search.script import to_simplified

    found: Counter[str] = Counter()
    for text in texts:
        for run in _CHINESE.findall(to_simplified(text)):
            found.update(run[i : i + size] for i in range(len(run) - size + 1))
    return found


def _readings() -> dict[str, set[str]]:
    """Each Chinese character and the toneless syllables it is read as."""
    from shenka_cli.core.search.pinyin import syllable_chars

    readings: dict[str, set[str]] = {}
    for syllable, chars in syllable_chars().items():
        for char in chars:
            readings.setdefault(char, set()).add(syllable)
    return readings


def _closest_chinese(term: str, texts: Sequence[str], limit: int) -> list[str]:
    """Runs of as many characters that share all but one with the term, place by place; a character read like
    the one it replaces (a typing slip of the same pinyin) counts for more; frequent words first."""
    if len(term) < 2 or not _CHINESE.fullmatch(term):
        return []
    readings = _readings()

    def likeness(word: str) -> float:
        score = 0.0
        for typed, found in zip(term, word, strict=True):
            if typed == found:
                score += 1
            elif readings.get(typed, set()) & readings.get(found, set()):
                score += 0.5
        return score

    counts = chinese_ngrams(texts, len(term))
    scored = [(likeness(word), count, word) for word, count in counts.items()]
    close = [item for item in scored if item[0] >= len(term) - 1]
    close.sort(key=lambda item: (-item[0], -item[1]))
    return [word for _, _, word in close[:limit]]


def _closest_english(term: str, texts: Sequence[str], limit: int) -> list[str]:
    import difflib

    counts = english_words(texts)
    close = difflib.get_close_matches(term, list(counts), n=limit * 3, cutoff=0.7)
    ratio = {word: difflib.SequenceMatcher(None, term, word).ratio() for word in close}
    return sorted(close, key=lambda word: (-ratio[word], -counts[word]))[:limit]


def suggestions(term: Term, texts: Sequence[str], limit: int = 3) -> list[str]:
    """Words of the facts close to a term that matches nothing: English for Latin letters, else Chinese."""
    text = term.variants[-1]  # in simplified characters when typed in traditional ones
    if text.isascii():
        return _closest_english(text, texts, limit)
    close = _closest_chinese(text, texts, limit)
    if len(term.variants) > 1:  # typed in traditional characters: suggested in them too
        from shenka_cli.core.search.script import to_traditional

        return [to_traditional(word) for word in close]
    return close


def did_you_mean(terms: Sequence[Term], texts: Sequence[str], lone_hits: Sequence[bool]) -> str | None:
    """A hint for a query that found nothing: the closest words for each term that matches nothing on its own."""
    replaced = []
    offered: list[str] = []
    for term, found in zip(terms, lone_hits, strict=True):
        if found:
            replaced.append(term.typed)
            continue
        close = suggestions(term, texts)
        if not close:
            return f"no fact holds {term.typed!r} or a word like it"
        replaced.append(close[0])
        offered = close if len(terms) == 1 else offered
    if not offered and replaced == [term.typed for term in terms]:
        return None
    if len(terms) == 1:
        return "did you mean " + _or(offered) + "?"
    return "did you mean " + " ".join(replaced) + "?"


def _or(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]
