"""English words for search: a word's forms fold to one stem (hospitals, hospital → hospit) through Snowball.

PyStemmer (Snowball's C build) stems; a small table first maps the forms Snowball leaves apart
(buses → buse but bus → bus) and common irregular forms onto a form that stems like the others.
"""

from __future__ import annotations

import functools
import re

WORD = re.compile(r"[a-z0-9]+")

IRREGULAR: dict[str, str] = {
    "buses": "bus",
    "busses": "bus",
    "gases": "gas",
    "children": "child",
    "women": "woman",
    "men": "man",
    "built": "build",
    "taught": "teach",
    "held": "hold",
    "bought": "buy",
    "brought": "bring",
    "grew": "grow",
    "grown": "grow",
    "began": "begin",
    "begun": "begin",
    "gave": "give",
    "given": "give",
    "took": "take",
    "taken": "take",
    "made": "make",
    "sent": "send",
    "spent": "spend",
    "won": "win",
    "ran": "run",
    "went": "go",
    "gone": "go",
    "paid": "pay",
}


@functools.cache
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


@functools.lru_cache(maxsize=4096)
def stem(word: str) -> str:
    """The stem of one folded (lower-case) English word; numbers, and stems under 3 letters (aed → a), stay whole."""
    if not word.isalpha():
        return word
    stemmed = _stemmer().stemWord(IRREGULAR.get(word, word))
    return stemmed if len(stemmed) >= 3 else word


def stem_prefix(word_stem: str) -> str:
    """A prefix that every word with this stem starts with (Snowball writes a final y as i: city → citi)."""
    for irregular, regular in IRREGULAR.items():
        if stem(regular) == word_stem:
            return _common_prefix(word_stem, irregular)
    return word_stem[:-1] if word_stem.endswith(("i", "e")) else word_stem


def _common_prefix(first: str, second: str) -> str:
    size = 0
    while size < min(len(first), len(second)) and first[size] == second[size]:
        size += 1
    return first[:size]
