"""Ranking from what the store keeps: rank_score and ranked_shown give exactly what search() gives a fact, and the
terms the store ranks in SQL are those whose score is the weight of the heaviest field that holds them."""

from __future__ import annotations

import pytest

from shenka_cli.core.loader import load
from shenka_cli.core.model import Fact
from shenka_cli.core.search import (
    FIELDS,
    REGIONS,
    WEIGHTS,
    NeedsFact,
    entity_names,
    parse_query,
    rank_score,
    rank_text,
    ranked_shown,
    region_starts,
    search,
    search_values,
    shown,
    simple_shown,
    simple_term,
)
from shenka_cli.core.search.query import compile_term
from tests.conftest import BUNDLED

QUERIES = [
    ["喀什"],
    ["援疆"],
    ["醫院"],
    ["新疆"],
    ["深圳市"],
    ["塔县"],
    ["医院", "喀什"],
    ["人"],
    ["“"],
    ["kashi"],
    ["hospital"],
    ["bus"],
    ["ka", "shi"],
    ["深圳", "学校"],
    ["5A"],
    ["ai"],
]


@pytest.fixture(scope="module")
def base():
    return load([BUNDLED]).base


@pytest.mark.parametrize("words", QUERIES, ids=" ".join)
def test_stored_texts_rank_and_show_each_hit_as_search_does(base, words: list[str]) -> None:
    names = entity_names(base.entities)
    query = parse_query(words)
    hits = search(base.facts, query, names)
    assert hits, words
    for hit in hits:
        ranking = rank_text(hit.fact, names)
        assert rank_score(query, ranking) == hit.score
        assert ranked_shown(query, ranking, search_values(hit.fact, names)) == shown(hit)
        if query.phrase is None and all(simple_term(term) for term in query.terms):
            starts = region_starts(ranking)
            assert starts is not None
            assert simple_shown(query, ranking, search_values(hit.fact, names), starts) == shown(hit)
            stored = search_values(hit.fact, names).encode("utf-8", "surrogatepass")  # as the store keeps them
            assert simple_shown(query, ranking, stored, starts) == shown(hit)
            assert simple_shown(query, ranking.encode(), stored, starts) == shown(hit)
    found = {hit.fact.id for hit in hits}
    assert all(rank_score(query, rank_text(fact, names)) is None for fact in base.facts if fact.id not in found)


@pytest.mark.parametrize(
    ("typed", "simple"),
    [("喀什", True), ("醫院", True), ("（援疆）", True), ("kashi", False), ("bus", False), ("5a", False),
     ("喀什1", False), ("喀什-", False), ("，", False), ("、", True), ("1,2", False)],
)  # fmt: skip
def test_simple_terms_are_those_scored_by_their_heaviest_field(typed: str, simple: bool) -> None:
    term = compile_term(typed)
    assert term is not None and simple_term(term) is simple


def _region_of(ranking: str, position: int) -> float:
    """The weight of the region of REGIONS that a 0-based position of a rank_text falls in."""
    starts = [0, *(region_starts(ranking) or [])]
    index = max(i for i, start in enumerate(starts) if start <= position)
    return REGIONS[index][1]


def test_regions_are_runs_of_equal_weight_and_their_starts_bound_each_value(base) -> None:
    assert [weight for _, weight in REGIONS] == [
        WEIGHTS[FIELDS[i]] for i in range(len(FIELDS)) if i == 0 or WEIGHTS[FIELDS[i]] != WEIGHTS[FIELDS[i - 1]]
    ]
    names = entity_names(base.entities)
    for fact in base.facts:
        ranking = rank_text(fact, names)
        head, _, blob = ranking.partition("\x1e")
        fields = [field for field, count in enumerate(map(int, head.split(","))) for _ in range(count)]
        start = len(head) + 1
        for field, value in zip(fields, blob.split("\x1f"), strict=True):
            for position in range(start, start + len(value)):
                assert _region_of(ranking, position) == WEIGHTS[FIELDS[field]], (fact.id, FIELDS[field], value)
            start += len(value) + 1


def test_a_value_holding_the_separator_is_left_to_the_fact(base) -> None:
    fact: Fact = base.facts[0]._replace(title="喀什\x1f援疆")
    query = parse_query(["喀什"])
    ranking = rank_text(fact)
    assert region_starts(ranking) is None
    with pytest.raises(NeedsFact):
        rank_score(query, ranking)
    with pytest.raises(NeedsFact):
        ranked_shown(query, ranking, search_values(fact))


@pytest.mark.parametrize(
    "words",
    [["hospitals"], ["hospital"], ["schools"], ["bus"], ["teachers", "Kashgar"], ["baineizhang"], ["kashi"], ["a"]],
    ids=" ".join,
)
def test_looking_only_where_an_english_word_occurs_changes_no_hit(base, words, monkeypatch) -> None:
    """_held narrows the values _best looks at for an English word to those where a form may occur: the hits,
    scores and matches are exactly those of looking at every value."""
    import shenka_cli.core.search as searching

    names = entity_names(base.entities)
    query = parse_query(words)
    narrowed = search(base.facts, query, names)
    scores = [rank_score(query, rank_text(fact, names)) for fact in base.facts]
    monkeypatch.setattr(searching, "_held", lambda term, folded, blob=None: None)
    assert search(base.facts, query, names) == narrowed
    assert [rank_score(query, rank_text(fact, names)) for fact in base.facts] == scores


def test_a_pinyin_term_matches_characters_outside_the_basic_plane() -> None:
    from shenka_cli.core.search.pinyin import pinyin_pattern, syllable_chars

    syllable, astral = next(
        (syllable, char) for syllable, chars in sorted(syllable_chars().items()) for char in chars if char > "\uffff"
    )
    pattern = pinyin_pattern(syllable)
    assert pattern is not None and pattern.search(f"abc{astral}") is not None
    assert pattern.search("abc") is None


def test_the_heaviest_region_is_found_alike_in_text_and_in_its_utf8_bytes() -> None:
    """simple_shown finds the heaviest region holding a term in the stored bytes by counting characters between
    occurrences: the same place as in the text, whatever the characters before it (one to four bytes each)."""
    import random

    from shenka_cli.core.search import _heaviest, _heaviest_in_bytes

    rng = random.Random(13)
    alphabet = "ab喀什深圳é𝄞 -"
    for _ in range(3000):
        counts = [rng.randint(0, 3) for _ in FIELDS]
        values = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6))) for _ in range(sum(counts))]
        text = ",".join(map(str, counts)) + "\x1e" + "\x1f".join(values)
        starts = region_starts(text)
        assert starts is not None
        variants = rng.choice([["喀什"], ["a"], ["喀什", "深圳"], ["𝄞"], ["é", "b"]])
        first = _heaviest(variants, text, starts)
        found = _heaviest_in_bytes([variant.encode() for variant in variants], text.encode(), starts)
        assert (first, found) == (-1, -1) or len(text.encode()[:found].decode()) == first >= 0, (text, variants)
