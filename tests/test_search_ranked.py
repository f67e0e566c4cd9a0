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
        stored = search_values(hit.fact, names).encode("utf-8", "surrogatepass")  # as the store keeps them
        assert ranked_shown(query, ranking.encode(), stored, hit.score) == shown(hit)  # looks where the score can be
        if query.phrase is None and all(simple_term(term) for term in query.terms):
            starts = region_starts(ranking)
            assert starts is not None
            assert simple_shown(query, ranking, search_values(hit.fact, names), starts) == shown(hit)
            assert simple_shown(query, ranking, stored, starts) == shown(hit)
            assert simple_shown(query, ranking.encode(), stored, starts) == shown(hit)
    found = {hit.fact.id for hit in hits}
    assert all(rank_score(query, rank_text(fact, names)) is None for fact in base.facts if fact.id not in found)


@pytest.mark.parametrize("words", [words for words in QUERIES if len(words) == 1], ids=" ".join)
def test_the_score_of_a_hit_of_one_term_is_enough_to_find_its_match(base, words, monkeypatch) -> None:
    """Given its score, a hit's match is found in the fields that can give it, without _best's pass over the rest."""
    import shenka_cli.core.search as searching

    names = entity_names(base.entities)
    query = parse_query(words)
    hits = search(base.facts, query, names)
    expected = [shown(hit) for hit in hits]
    monkeypatch.setattr(searching, "_best", lambda *_: pytest.fail("_best was called"))
    for hit, wanted in zip(hits, expected, strict=True):
        stored = search_values(hit.fact, names).encode("utf-8", "surrogatepass")
        assert ranked_shown(query, rank_text(hit.fact, names).encode(), stored, hit.score) == wanted


@pytest.mark.parametrize(
    ("typed", "simple"),
    [("喀什", True), ("醫院", True), ("（援疆）", True), ("kashi", False), ("bus", False), ("5a", False),
     ("喀什1", False), ("喀什-", False), ("，", False), ("、", True), ("1,2", False)],
)  # fmt: skip
def test_simple_terms_are_those_scored_by_their_heaviest_field(typed: str, simple: bool) -> None:
    term = compile_term(typed)
    assert term is not None and simple_term(term) is simple


def _region_of(ranking: str, position: int) -> float:
    """The weight of the region of REGIONS that a 0-based byte of a rank_text (in UTF-8) falls in."""
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
            size = len(value.encode())  # the starts count bytes
            for position in range(start, start + size):
                assert _region_of(ranking, position) == WEIGHTS[FIELDS[field]], (fact.id, FIELDS[field], value)
            start += size + 1


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


def _heaviest_in_text(variants: list[str], text: str) -> int:
    """Where the first occurrence of a variant in the heaviest region holding one starts in a rank_text, as a
    character offset, or -1: the regions found from the fields' sizes, value by value, in characters."""
    head, _, blob = text.partition("\x1e")
    fields = [field for field, count in enumerate(map(int, head.split(","))) for _ in range(count)]
    region_of_field = [max(r for r, (first, _) in enumerate(REGIONS) if first <= field) for field in range(len(FIELDS))]
    spans: dict[int, list[tuple[int, int]]] = {}
    start = len(head) + 1
    for field, value in zip(fields, blob.split("\x1f"), strict=True):
        spans.setdefault(region_of_field[field], []).append((start, start + len(value)))
        start += len(value) + 1
    for region in sorted(range(len(REGIONS)), key=lambda r: -REGIONS[r][1]):
        found = [
            position
            for low, high in spans.get(region, [])
            for variant in variants
            if (position := text.find(variant, low, high)) >= 0
        ]
        if found:
            return min(found)
    return -1


def test_the_heaviest_region_is_found_in_the_utf8_bytes_from_byte_starts() -> None:
    """simple_shown finds the heaviest region holding a term in the stored bytes from region starts that count
    bytes: the place the characters give, whatever the characters before it (one to four bytes each) and however
    long the variants' characters are in bytes."""
    import random

    from shenka_cli.core.search import _heaviest_in_bytes

    rng = random.Random(13)
    alphabet = "ab喀什深圳é𝄞𫝈 -"
    for _ in range(3000):
        counts = [rng.randint(0, 3) for _ in FIELDS]
        values = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6))) for _ in range(sum(counts))]
        text = ",".join(map(str, counts)) + "\x1e" + "\x1f".join(values)
        starts = region_starts(text)
        assert starts is not None
        variants = rng.choice([["喀什"], ["a"], ["喀什", "深圳"], ["𝄞"], ["é", "b"], ["𫝈", "什"], ["é𝄞", "喀"]])
        first = _heaviest_in_text(variants, text)
        found = _heaviest_in_bytes([variant.encode() for variant in variants], text.encode(), starts)
        assert found == (len(text[:first].encode()) if first >= 0 else -1), (text, variants)


def test_region_starts_count_the_bytes_before_each_region() -> None:
    values = ["é𝄞", "a", "id", "喀什", "", "", "", "", "", "", "", "x", "y"]  # one value per field
    text = ",".join("1" * len(FIELDS)) + "\x1e" + "\x1f".join(values)
    starts = region_starts(text)
    assert starts is not None
    for region, start in enumerate(starts, start=1):
        first = REGIONS[region][0]  # the region's first field: its value is the first-th
        assert text.encode()[start:].startswith(("\x1f".join(values[first:]) or "").encode())


def test_packed_region_starts_fit_a_positive_integer_and_sql_takes_them_apart() -> None:
    import random
    import sqlite3

    from shenka_cli.core.store.rows import REGION_WIDTHS, pack_regions, region_start_sql

    assert len(REGION_WIDTHS) == len(REGIONS) - 1 and sum(REGION_WIDTHS) <= 63
    rng = random.Random(7)
    connection = sqlite3.connect(":memory:")
    unpack = "SELECT " + ", ".join(region_start_sql(index, "?1") for index in range(len(REGION_WIDTHS)))
    largest = [(1 << width) - 1 for width in REGION_WIDTHS]
    for starts in [largest, [0] * len(REGION_WIDTHS)] + [
        sorted(rng.randrange(1 << width) for width in REGION_WIDTHS) for _ in range(200)
    ]:
        starts = [min(start, high) for start, high in zip(starts, largest, strict=True)]
        packed = pack_regions(starts)
        assert packed is not None and 0 <= packed < 1 << 63
        assert list(connection.execute(unpack, (packed,)).fetchone()) == starts
    for index, high in enumerate(largest):
        too_far = [0] * len(largest)
        too_far[index] = high + 1
        assert pack_regions(too_far) is None
    assert pack_regions(None) is None
