"""Search finds what people type: traditional characters, pinyin in its written forms, English word forms."""

from __future__ import annotations

import subprocess
import sys

import pytest

from shenka_cli.core.loader import load
from shenka_cli.core.model import Fact
from shenka_cli.core.search import INSIDE, PREFIX, WORD, Hit, parse_query, search, search_terms
from shenka_cli.core.search.english import stem
from shenka_cli.core.search.query import toneless
from shenka_cli.core.search.script import SHORT, has_traditional, to_simplified, to_traditional
from shenka_cli.core.search.traditional import TRADITIONAL_ONLY
from tests.conftest import BUNDLED, REPO, VALID


@pytest.fixture(scope="module")
def bundled() -> tuple[Fact, ...]:
    return load([BUNDLED]).base.facts


@pytest.fixture(scope="module")
def template() -> Fact:
    return load([VALID]).base.facts[0]


def make(template: Fact, fact_id: str, **fields: object) -> Fact:
    blank: dict[str, object] = dict.fromkeys(("title", "title_en", "summary", "summary_en"), "")
    blank |= dict.fromkeys(("places", "organisations", "people", "tags", "stats"), ())
    return template._replace(id=fact_id, **(blank | fields))


def ids(hits: list[Hit]) -> list[str]:
    return [hit.fact.id for hit in hits]


def matched(hit: Hit, index: int = 0) -> str:
    match = hit.matches[index]
    return match.text[match.start : match.end]


# --- traditional and simplified ---


@pytest.mark.parametrize(("traditional", "simplified"), [("醫療", "医疗"), ("醫院", "医院"), ("學校", "学校")])
def test_traditional_query_finds_the_simplified_text(bundled, traditional: str, simplified: str) -> None:
    expected = ids(search(bundled, [simplified]))
    assert expected
    hits = search(bundled, [traditional])
    assert ids(hits) == expected
    assert all(matched(hit) == simplified for hit in hits)


def test_traditional_text_is_found_by_a_simplified_query(template) -> None:
    fact = make(template, "hk", title="香港醫院義診")
    (hit,) = search([fact], ["医院"])
    assert matched(hit) == "醫院"
    (hit,) = search([fact], ["醫院"])
    assert matched(hit) == "醫院"


def test_the_converter_is_opencc_and_character_for_character() -> None:
    assert to_simplified("醫療醫院喀什") == "医疗医院喀什"
    assert to_simplified("喀什") == "喀什"
    assert to_traditional("深圳援建喀什科技馆") == "深圳援建喀什科技館"
    assert search_terms("ＡＢ醫院") == "ab医院"


def test_the_traditional_set_agrees_with_the_installed_opencc() -> None:
    import opencc

    converter = opencc.OpenCC("t2s")
    assert len(TRADITIONAL_ONLY) > 2000
    assert all(converter.convert(char) != char for char in TRADITIONAL_ONLY)
    sample = "醫療學國東與們這個說時會為"
    assert all(has_traditional(char) for char in sample)
    for char in "医疗院学国东与们这个说时会为喀什深圳abc":
        assert has_traditional(char) is (converter.convert(char) != char), char


@pytest.mark.parametrize("padding", ["", "医院" * SHORT], ids=["short, scanned plainly", "long, by character class"])
def test_the_long_text_scan_agrees_with_the_set(padding: str) -> None:
    from shenka_cli.core.search.script import holds_traditional

    assert all(holds_traditional(padding + "医院" + char) for char in TRADITIONAL_ONLY)
    for text in ("医院喀什", "abc", "\U00020000医院", "Café 深圳", ""):
        assert holds_traditional(padding + text) is has_traditional(padding + text) is False, text
    astral = [char for char in TRADITIONAL_ONLY if char > "\uffff"]
    assert astral
    assert holds_traditional(padding + "医院" + astral[0]) and has_traditional(padding + "医院" + astral[0])


# --- pinyin as people write it ---


@pytest.mark.parametrize("typed", ["kashi", "Kashi", "KASHI", "kā shí", "ka1 shi2", "ka1shi2", "ka shi", "ka'shi"])
def test_every_written_form_of_kashi_finds_kashgar_first(bundled, typed: str) -> None:
    hits = search(bundled, parse_query(typed))
    assert hits
    assert "喀什" in hits[0].fact.title
    assert matched(hits[0]) == "喀什" or matched(hits[0]).lower() == "kashi"  # the pinyin, or the name in English


def test_toneless() -> None:
    assert toneless("kā shí") == "ka shi"
    assert toneless("ka1shi2") == "kashi"
    assert toneless("lü4") == toneless("lv4") == "lv"
    assert toneless("nü3") == "nv"
    assert toneless("5g") == "5g"
    assert toneless("g20") == "g20"


def test_adjacent_syllables_rank_above_syllables_apart(template) -> None:
    apart = make(template, "apart", title="咖啡城市")  # ka … shi, not together
    together = make(template, "together", summary="在喀什")
    hits = search([apart, together], parse_query("ka shi"))
    assert ids(hits) == ["together", "apart"]
    assert matched(hits[0]) == "喀什"
    assert hits[0].score > hits[1].score


def test_xian_with_an_apostrophe_is_two_syllables(template) -> None:
    xian = make(template, "xian", title="西安")
    first = make(template, "first", title="先")
    assert ids(search([xian, first], ["xi'an"])) == ["xian"]
    assert ids(search([xian, first], parse_query("xī ān"))) == ["xian"]


# --- English as words ---


@pytest.mark.parametrize(
    ("one", "other"),
    [("hospitals", "hospital"), ("buses", "bus"), ("trained", "training"), ("cities", "city"), ("children", "child")],
)
def test_word_forms_share_a_stem(one: str, other: str) -> None:
    assert stem(one) == stem(other)


def test_stems_keep_short_words_and_acronyms_whole() -> None:
    assert stem("aed") == "aed"
    assert stem("bus") == "bus"
    assert stem("business") != stem("bus")


@pytest.mark.parametrize(("query", "text"), [("hospitals", "Hospital"), ("buses", "Bus"), ("trained", "training")])
def test_an_inflected_query_finds_the_other_form(template, query: str, text: str) -> None:
    fact = make(template, "f", title_en=f"A {text} story")
    (hit,) = search([fact], [query])
    assert matched(hit) == text
    assert hit.score == pytest.approx(10 * WORD)


def test_whole_word_above_start_of_word_above_inside_a_word(template) -> None:
    inside = make(template, "inside", title_en="Smart classics")
    start = make(template, "start", title_en="Shenzhen artists")
    whole = make(template, "whole", title_en="Folk art")
    hits = search([inside, start, whole], ["art"])
    assert ids(hits) == ["whole", "start", "inside"]
    assert [hit.score for hit in hits] == pytest.approx([10 * WORD, 10 * PREFIX, 10 * INSIDE])


def test_art_finds_artists_before_smart_in_the_bundled_facts(bundled) -> None:
    found = ids(search(bundled, ["art"]))
    assert found.index("shenzhen-artists-in-kashgar") < found.index("smart-guoxue-care-action")


def test_bus_is_not_a_form_of_business(template) -> None:
    fact = make(template, "f", title_en="Business park")
    (hit,) = search([fact], ["bus"])
    assert hit.score == pytest.approx(10 * PREFIX)
    assert search([fact], ["buses"]) == []


def test_a_kind_of_match_outranks_any_weaker_kind_whatever_the_field(template) -> None:
    whole_in_summary = make(template, "whole-summary", summary_en="New bus stops")
    start_in_title = make(template, "start-title", title_en="Business associations")
    start_in_summary = make(template, "start-summary", summary_en="Business park")
    inside_in_title = make(template, "inside-title", title_en="Minibus routes")
    hits = search([inside_in_title, start_in_summary, start_in_title, whole_in_summary], ["bus"])
    assert ids(hits) == ["whole-summary", "start-title", "start-summary", "inside-title"]


def test_bus_finds_buses_before_business_in_the_bundled_facts(bundled) -> None:
    found = ids(search(bundled, ["bus"]))
    assert found.index("transit-metropolis-demo-city") < found.index("investment-promotion-2024-2025")


def test_english_words_typed_together_rank_above_words_apart(template) -> None:
    apart = make(template, "apart", title_en="Eye centre and children's hospital")
    together = make(template, "together", title_en="Shenzhen Eye Hospital")
    assert ids(search([apart, together], parse_query("eye hospital"))) == ["together", "apart"]


# --- what a query imports ---


def _imported(term: str, modules: tuple[str, ...]) -> dict[str, bool]:
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from shenka_cli.core.loader import load\n"
        "from shenka_cli.core.search import search\n"
        f"watched = {modules!r}\n"
        "assert not any(name in sys.modules for name in watched)\n"
        "hits = search(load([Path(sys.argv[1])]).base.facts, [sys.argv[2]])\n"
        "assert hits, 'no hits'\n"
        "print(' '.join(name for name in watched if name in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(BUNDLED), term], capture_output=True, text=True, cwd=REPO, check=True
    )
    found = set(result.stdout.split())
    return {name: name in found for name in modules}


WATCHED = ("opencc", "Stemmer", "pypinyin")


def test_a_simplified_chinese_query_imports_no_converter_stemmer_or_pypinyin() -> None:
    assert _imported("白内障", WATCHED) == {"opencc": False, "Stemmer": False, "pypinyin": False}


def test_a_traditional_query_imports_the_converter_only() -> None:
    assert _imported("醫院", WATCHED) == {"opencc": True, "Stemmer": False, "pypinyin": False}


def test_an_english_query_imports_the_stemmer_but_not_the_converter() -> None:
    imported = _imported("hospitals", WATCHED)
    assert imported["Stemmer"] is True
    assert imported["opencc"] is False


# --- did you mean ---


def test_a_chinese_slip_of_the_same_pinyin_is_suggested_first() -> None:
    from shenka_cli.core.search.suggest import suggestions

    texts = ["医学院的医学", "医学", "医院"]
    (term,) = parse_query("医园").terms  # 园 is read yuan, as 院 is
    assert suggestions(term, texts)[0] == "医院"
    (term,) = parse_query("医字").terms  # no reading shared: the more frequent word first
    assert suggestions(term, texts)[0] == "医学"


def test_an_english_slip_is_suggested_and_nothing_far_from_every_word() -> None:
    from shenka_cli.core.search.suggest import did_you_mean

    texts = ["Kashgar City People's Hospital", "Bus stops rebuilt"]
    terms = parse_query("hosptal buss").terms
    assert did_you_mean(terms, texts, [False, False]) == "did you mean hospital bus?"
    (term,) = parse_query("zebra").terms
    assert did_you_mean([term], texts, [False]) == "no fact holds 'zebra' or a word like it"


def test_entity_names_are_folded_without_compiling_the_long_text_classes() -> None:
    """A warm search folds every entity's names (core/store/sql.py); compiling the long-text character classes
    for them would cost ~10 ms a run, more than scanning the names plainly."""
    from shenka_cli.core.search.script import _traditional_patterns
    from shenka_cli.core.store.sql import entity_forms

    entities = load([BUNDLED]).base.entities
    assert entities and max(len(name) for entity in entities for name in (entity.name, *entity.aliases)) < SHORT
    _traditional_patterns.cache_clear()
    forms = entity_forms(entities)
    assert _traditional_patterns.cache_info().currsize == 0
    assert all(search_terms(entity.name) in names for entity, names in zip(entities, forms, strict=True))


def test_a_pinyin_pattern_finds_what_its_whole_regex_finds_with_or_without_astral_characters() -> None:
    """Text below U+10000 is searched with classes of such characters only (much faster in Python's re); text
    holding an astral character with the whole pattern. Either way the match is the whole regex's."""
    import re

    from shenka_cli.core.search.pinyin import pinyin_pattern, syllable_chars

    astral = next(char for char in syllable_chars()["shen"] if char >= "\U00010000")
    texts = [
        "深圳援疆十五年",
        "在喀什市人民医院",
        f"前{astral}后",  # an astral character read shen
        f"{astral}圳",
        "\udcff深圳",  # a lone surrogate (bytes that were not UTF-8), below U+10000
        "plain ascii",
        "",
    ]
    for term in ("shen", "shen zhen", "ka shi", "jiang", "yi yuan", "xian", "shenzhen"):
        pattern = pinyin_pattern(term)
        assert pattern is not None
        whole = re.compile(pattern.pattern)
        for text in texts:
            found, expected = pattern.search(text), whole.search(text)
            assert (found and found.span()) == (expected and expected.span()), (term, text)
    assert pinyin_pattern("shen").search(f"前{astral}后") is not None
    assert pinyin_pattern("shen zhen").search(f"{astral}圳") is not None
