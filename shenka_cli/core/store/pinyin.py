"""Pinyin from an index: which facts may hold Chinese characters read as a run of syllables, found through
FTS5 without a regular expression per row and without pypinyin.

At build time each Chinese character of a fact's search text becomes one code: a private-use character of its
own. Every pair of adjacent codes is a token of a contentless FTS5 table, and every distinct pair of the fact base
is kept with the two characters it codes (the `pinyin_pairs` table). A query spelled as syllables s1 s2 … sk
(k ≥ 2) then asks for facts holding, for each adjacent pair, one of the base's pairs whose first character can be
read s_i and whose second s_i+1: a superset of the facts the pinyin pattern matches, which the search then checks
exactly. The same pairs, chained, give every run of characters of the base that the spelling can stand for
(spelled_strings): the store ranks such a term as if those runs had been typed. The codes each syllable can stand
for are kept in the snapshot's metadata, so a query needs neither pypinyin nor its character table to choose its
candidates.

The names and aliases of the gazetteer entities a fact lists are not coded with it: the fact holds each entity's
marker (core/store/sql.py) instead, and a query asks also for the markers of the entities whose names it matches.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

FIRST_CODE, LAST_CODE = 0xF0000, 0xFFFFD  # Supplementary Private Use Area-A
TOKENIZER = "unicode61 categories 'Co'"  # only private-use characters make tokens: everything else separates


def code_table(syllable_chars: dict[str, str]) -> tuple[dict[int, str], dict[str, str]]:
    """(a str.translate table from each character to its code, the codes each syllable can stand for)."""
    table: dict[int, str] = {}
    classes: dict[str, list[str]] = {}
    for syllable, chars in syllable_chars.items():
        for char in chars:
            code = table.get(ord(char))
            if code is None:
                code = table[ord(char)] = chr(FIRST_CODE + len(table))
            classes.setdefault(syllable, []).append(code)
    if len(table) > LAST_CODE - FIRST_CODE + 1:
        raise ValueError("more characters with a reading than private-use codes")
    return table, {syllable: "".join(dict.fromkeys(codes)) for syllable, codes in classes.items()}


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


def _present(spellings: Sequence[Sequence[str]], classes: dict[str, str]) -> list[Sequence[str]]:
    """The spellings of two or more syllables each of which some character of the fact base is read as."""
    return [spelling for spelling in spellings if len(spelling) >= 2 and all(s in classes for s in spelling)]


def first_codes(spellings: Sequence[Sequence[str]], classes: dict[str, str]) -> set[str]:
    """The codes the base's pairs of a spelling's characters can start with (for pinyin_pairs to look up)."""
    present = _present(spellings, classes)
    return {code for spelling in present for syllable in spelling[:-1] for code in classes[syllable]}


def _links(spelling: Sequence[str], classes: dict[str, str], pairs: dict[str, str]) -> list[list[str]]:
    """For each adjacent pair of a spelling's syllables, the base's coded pairs that can be read so."""
    by_first: dict[str, list[str]] = {}
    for pair in pairs:
        by_first.setdefault(pair[0], []).append(pair)
    links = []
    for first, second in zip(spelling, spelling[1:], strict=False):
        seconds = set(classes[second])
        links.append([pair for code in classes[first] for pair in by_first.get(code, ()) if pair[1] in seconds])
    return links


def match_expression(spellings: Sequence[Sequence[str]], classes: dict[str, str], pairs: dict[str, str]) -> str | None:
    """The FTS5 query for facts that may hold one of the spellings, given the base's coded pairs that start with
    first_codes (`pairs`); "" when none can occur in the fact base; None when one that can has a single syllable:
    such a term cannot be narrowed by pairs."""
    if any(len(spelling) < 2 and all(s in classes for s in spelling) for spelling in spellings):
        return None
    alternatives = []
    for spelling in _present(spellings, classes):
        links = _links(spelling, classes, pairs)
        if all(links):
            ors = ["(" + " OR ".join(f'"{token}"' for token in sorted(tokens)) + ")" for tokens in links]
            alternatives.append("(" + " AND ".join(ors) + ")")
    return " OR ".join(alternatives)


def spelled_strings(
    spellings: Sequence[Sequence[str]], classes: dict[str, str], pairs: dict[str, str], limit: int
) -> list[str] | None:
    """Every run of characters that the base's pairs chain into and that one of the spellings reads as (a superset
    of the runs the base holds), given the base's coded pairs that start with first_codes and their characters
    (`pairs`); None when there are more than `limit` or a spelling has a single syllable (single characters are not
    kept)."""
    if any(len(spelling) < 2 for spelling in spellings):
        return None
    found: dict[str, None] = {}
    for spelling in _present(spellings, classes):
        links = _links(spelling, classes, pairs)
        chains = {pair: pairs[pair] for pair in links[0]}
        for link in links[1:]:
            following: dict[str, list[str]] = {}
            for pair in link:
                following.setdefault(pair[0], []).append(pair)
            chains = {
                codes + pair[1]: chars + pairs[pair][1]
                for codes, chars in chains.items()
                for pair in following.get(codes[-1], ())
            }
            if len(chains) > limit:
                return None
        found.update(dict.fromkeys(chains.values()))
        if len(found) > limit:
            return None
    return list(found)
