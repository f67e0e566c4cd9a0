"""Pinyin from an index: which facts may hold Chinese characters read as a run of syllables, found through
FTS5 without a regular expression per row and without pypinyin.

At build time each Chinese character of a fact's search text becomes one code: a private-use character naming
the set of syllables it can be read as (heteronyms included: 什 is one code for {shi, shen}). Every pair of
adjacent codes is a token of a contentless FTS5 table. A query spelled as syllables s1 s2 … sk (k ≥ 2) then
asks for facts holding, for each adjacent pair, a token whose first code can be read s_i and whose second
s_i+1: a superset of the facts the pinyin pattern matches, which the search then checks exactly. The codes
each syllable can stand for are kept in the snapshot's metadata, so a query needs neither pypinyin nor its
character table to choose its candidates.

The names and aliases of the gazetteer entities a fact lists are not coded with it: the fact holds each entity's
marker (core/store/sql.py) instead, and a query asks also for the markers of the entities whose names it matches.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

FIRST_CODE = 0xF0000  # Supplementary Private Use Area-A
TOKENIZER = "unicode61 categories 'Co'"  # only private-use characters make tokens: everything else separates


def code_table(syllable_chars: dict[str, str]) -> tuple[dict[int, str], dict[str, str]]:
    """(a str.translate table from each character to its code, the codes each syllable can stand for)."""
    readings: dict[str, list[str]] = {}
    for syllable, chars in syllable_chars.items():
        for char in chars:
            readings.setdefault(char, []).append(syllable)
    codes: dict[frozenset[str], str] = {}
    table: dict[int, str] = {}
    for char, syllables in readings.items():
        key = frozenset(syllables)
        code = codes.get(key)
        if code is None:
            code = codes[key] = chr(FIRST_CODE + len(codes))
        table[ord(char)] = code
    classes: dict[str, list[str]] = {}
    for key, code in codes.items():
        for syllable in key:
            classes.setdefault(syllable, []).append(code)
    return table, {syllable: "".join(found) for syllable, found in classes.items()}


_PAIRS = re.compile("(?=([\U000f0000-\U000ffffd]{2}))")
_RUNS = re.compile("[^\x00-\u02ff]{2,}")  # runs of two or more characters beyond Latin: where pairs can be


def pair_tokens(text: str, table: dict[int, str]) -> set[str]:
    """Every distinct pair of adjacent Chinese characters of a fact's search text, coded."""
    return set(_PAIRS.findall(" ".join(_RUNS.findall(text)).translate(table)))


def present_classes(classes: dict[str, str], pairs: set[str]) -> dict[str, str]:
    """The codes each syllable stands for, kept to the codes the fact base holds (a query then asks for few)."""
    present = {code for pair in pairs for code in pair}
    kept = {syllable: "".join(code for code in codes if code in present) for syllable, codes in classes.items()}
    return {syllable: codes for syllable, codes in kept.items() if codes}


def match_expression(spellings: Sequence[Sequence[str]], classes: dict[str, str]) -> str | None:
    """The FTS5 query for facts that may hold one of the spellings; "" when none can occur in the fact base;
    None when one that can has a single syllable: such a term cannot be narrowed by pairs."""
    alternatives = []
    for spelling in spellings:
        if any(syllable not in classes for syllable in spelling):
            continue  # a syllable no character of the fact base is read as
        if len(spelling) < 2:
            return None
        pairs = []
        for first, second in zip(spelling, spelling[1:], strict=False):
            tokens = sorted({a + b for a in classes[first] for b in classes[second]})
            pairs.append("(" + " OR ".join(f'"{token}"' for token in tokens) + ")")
        alternatives.append("(" + " AND ".join(pairs) + ")")
    return " OR ".join(alternatives)
