from __future__ import annotations

import re
import subprocess
import sys
import unicodedata
from collections.abc import Iterator

import pytest

from shenka_cli.core.loader import load
from shenka_cli.core.model import Fact, Statistic
from shenka_cli.core.search import Hit, Match, needs_pinyin, search, snippet
from shenka_cli.core.search.normalise import fold, fold_with_offsets
from tests.conftest import BUNDLED, REPO, VALID


@pytest.fixture(scope="module")
def bundled() -> tuple[Fact, ...]:
    facts = load([BUNDLED]).base.facts
    assert facts
    return facts


@pytest.fixture(scope="module")
def valid() -> tuple[Fact, ...]:
    return load([VALID]).base.facts


@pytest.fixture(scope="module")
def template(valid: tuple[Fact, ...]) -> Fact:
    return valid[0]


def make(template: Fact, fact_id: str, **fields: object) -> Fact:
    """A fact with every searched text field blank except those given."""
    blank: dict[str, object] = dict.fromkeys(("title", "title_en", "summary", "summary_en"), "")
    blank |= dict.fromkeys(("places", "organisations", "people", "tags", "stats"), ())
    return template._replace(id=fact_id, **(blank | fields))


def stat(template: Fact, label: str, label_en: str = "") -> Statistic:
    return template.stats[0]._replace(label=label, label_en=label_en)


def searched_values(fact: Fact) -> Iterator[str]:
    """Every searched field value, written out independently of the search module."""
    yield from (fact.id, fact.title, fact.title_en, fact.summary, fact.summary_en)
    yield from (*fact.places, *fact.organisations, *fact.people, *fact.tags)
    for statistic in fact.stats:
        yield from (statistic.label, statistic.label_en)


def ids(hits: list[Hit]) -> list[str]:
    return [hit.fact.id for hit in hits]


def matched(match: Match) -> str:
    return match.text[match.start : match.end]


# --- Chinese, English and pinyin find the same facts ---


def test_cataract_in_chinese_english_and_pinyin_finds_the_same_facts(bundled: tuple[Fact, ...]) -> None:
    chinese = set(ids(search(bundled, ["白内障"])))
    assert chinese == {f.id for f in bundled if any("白内障" in v for v in searched_values(f))}
    assert len(chinese) >= 2
    assert set(ids(search(bundled, ["cataract"]))) == chinese
    assert set(ids(search(bundled, ["baineizhang"]))) == chinese
    assert set(ids(search(bundled, ["BaiNeiZhang"]))) == chinese


def test_pinyin_match_points_at_the_chinese_characters(bundled: tuple[Fact, ...]) -> None:
    for hit in search(bundled, ["baineizhang"]):
        (match,) = hit.matches
        assert match.via_pinyin
        assert matched(match) == "白内障"
        assert match.field == "title"
        assert hit.score == pytest.approx(9.0)


# --- substrings of Chinese, brute-forced ---


@pytest.mark.parametrize("term", ["喀什", "援疆", "医疗", "深圳", "疆"])
def test_short_chinese_terms_find_every_fact_containing_them(bundled: tuple[Fact, ...], term: str) -> None:
    expected = {f.id for f in bundled if any(term in value for value in searched_values(f))}
    hits = search(bundled, [term])
    assert set(ids(hits)) == expected
    assert len(ids(hits)) == len(expected)
    for hit in hits:
        assert [matched(m) for m in hit.matches] == [term]
        assert not hit.matches[0].via_pinyin


@pytest.mark.parametrize("term", ["喀什", "援疆"])
def test_chinese_terms_are_found_in_the_valid_base_too(valid: tuple[Fact, ...], term: str) -> None:
    expected = {f.id for f in valid if any(term in value for value in searched_values(f))}
    assert expected
    assert set(ids(search(valid, [term]))) == expected


def test_every_field_is_searched(template: Fact) -> None:
    fact = make(
        template,
        "the-id",
        title="标题甲",
        title_en="Title alpha",
        summary="摘要乙",
        summary_en="Summary beta",
        places=("地点丙",),
        organisations=("机构丁",),
        people=("人物戊",),
        tags=("tag-gamma",),
        stats=(stat(template, "标签己", "Label delta"),),
    )
    expected = {
        "the-id": "id",
        "甲": "title",
        "alpha": "title_en",
        "乙": "summary",
        "beta": "summary_en",
        "丙": "places",
        "丁": "organisations",
        "戊": "people",
        "gamma": "tags",
        "己": "stat.label",
        "delta": "stat.label_en",
    }
    for term, field in expected.items():
        (hit,) = search([fact], [term])
        assert hit.matches[0].field == field
        assert matched(hit.matches[0]) == term


# --- NFKC and case folding ---


def test_full_width_query_finds_ascii_text(bundled: tuple[Fact, ...]) -> None:
    expected = {f.id for f in bundled if any("byd" in value.casefold() for value in searched_values(f))}
    assert expected
    hits = search(bundled, ["Ｂｙｄ"])
    assert set(ids(hits)) == expected
    assert set(ids(search(bundled, ["BYD"]))) == expected
    for hit in hits:
        assert matched(hit.matches[0]).casefold() == "byd"


def test_full_width_aed_finds_aed(bundled: tuple[Fact, ...]) -> None:
    hits = search(bundled, ["ＡＥＤ"])
    assert hits
    assert all(matched(hit.matches[0]) in {"AED", "aed"} for hit in hits)


def test_fold_with_offsets_maps_each_folded_character_to_its_source() -> None:
    assert fold_with_offsets("①ＢＹＤ") == ("1byd", [0, 1, 2, 3], [1, 2, 3, 4])
    assert fold_with_offsets("5㎏") == ("5kg", [0, 1, 1], [1, 2, 2])
    assert fold_with_offsets("Cafe\u0301") == ("café", [0, 1, 2, 3], [1, 2, 3, 5])
    assert fold_with_offsets("ABC") == ("abc", [0, 1, 2], [1, 2, 3])


def test_fold_is_nfkc_then_casefold() -> None:
    for text in ("①ＢＹＤ，（喀什）", "Straße", "＝\u0338，", "ﬁ：", "e\u0301；x", "ＡＥＤ！", "plain"):
        assert fold(text) == unicodedata.normalize("NFKC", text).casefold()


def test_offsets_point_into_the_original_text_when_nfkc_changes_lengths(template: Fact) -> None:
    fact = make(template, "f", title="①ＢＹＤ汽车，5㎏，Cafe\u0301")
    (hit,) = search([fact], ["byd"])
    assert (hit.matches[0].start, hit.matches[0].end) == (1, 4)
    assert matched(hit.matches[0]) == "ＢＹＤ"
    (hit,) = search([fact], ["1BYD汽车"])
    assert matched(hit.matches[0]) == "①ＢＹＤ汽车"
    (hit,) = search([fact], ["g"])
    assert matched(hit.matches[0]) == "㎏"
    (hit,) = search([fact], ["café"])
    assert matched(hit.matches[0]) == "Cafe\u0301"
    (hit,) = search([fact], ["汽车,5"])
    assert matched(hit.matches[0]) == "汽车，5"


def test_a_composition_across_clusters_still_gives_a_valid_span(template: Fact) -> None:
    text = "x\u0b47\u0b3ey，"
    (hit,) = search([make(template, "f", title=text)], ["\u0b4b"])
    match = hit.matches[0]
    assert 0 <= match.start < match.end <= len(text)
    assert "\u0b47\u0b3e" in matched(match)


# --- pinyin ---


def test_pinyin_must_cover_whole_syllables(template: Fact) -> None:
    fact = make(template, "f", title="喀什")
    assert search([fact], ["kash"]) == []
    assert search([fact], ["ashi"]) == []
    (hit,) = search([fact], ["kashi"])
    assert hit.matches[0].via_pinyin
    assert matched(hit.matches[0]) == "喀什"
    (hit,) = search([fact], ["ka"])
    assert matched(hit.matches[0]) == "喀"


def test_kash_matches_english_but_never_via_pinyin(valid: tuple[Fact, ...]) -> None:
    hits = search(valid, ["kash"])
    assert hits
    for hit in hits:
        assert not hit.matches[0].via_pinyin
        assert matched(hit.matches[0]).casefold() == "kash"
    pinyin_ids = {hit.fact.id for hit in search(valid, ["kashi"]) if hit.matches[0].via_pinyin}
    assert "pengcheng-lab-node" in pinyin_ids


def test_pinyin_does_not_cross_non_chinese_characters(template: Fact) -> None:
    assert search([make(template, "f", title="喀·什")], ["kashi"]) == []
    assert search([make(template, "f", title="喀 什")], ["kashi"]) == []


def test_heteronyms_and_syllable_separators(template: Fact) -> None:
    bank = make(template, "bank", title="银行")
    for term in ("yinhang", "yinxing", "hang", "xing"):
        assert ids(search([bank], [term])) == ["bank"], term
    xian = make(template, "xian", title="西安")
    first = make(template, "first", title="先")
    assert ids(search([xian, first], ["xian"])) == ["xian", "first"]
    assert ids(search([xian, first], ["xi'an"])) == ["xian"]
    green = make(template, "green", title="绿")
    assert ids(search([green], ["lv"])) == ids(search([green], ["lu"])) == ["green"]


def test_pinyin_agrees_with_lazy_pinyin_on_every_bundled_title(bundled: tuple[Fact, ...]) -> None:
    from pypinyin import Style, lazy_pinyin

    checked = 0
    for fact in bundled:
        run = re.search(r"[\u4e00-\u9fff]{2,3}", fact.title)
        if run is None:
            continue
        term = "".join(lazy_pinyin(run.group(), style=Style.NORMAL))
        found = [hit for hit in search(bundled, [term]) if hit.fact.id == fact.id]
        assert found, (fact.id, run.group(), term)
        checked += 1
    assert checked >= len(bundled) // 2


def test_needs_pinyin() -> None:
    assert needs_pinyin("kashi")
    assert needs_pinyin("ＫＡＳＨＩ")
    assert needs_pinyin("5G")
    assert not needs_pinyin("喀什")
    assert not needs_pinyin("2024")
    assert needs_pinyin("é")  # pinyin with a tone mark: é is e, second tone (鹅)
    assert needs_pinyin("kā")
    assert not needs_pinyin("й")


def _pypinyin_imported_after(term: str) -> bool:
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "import shenka_cli.core.search\n"
        "assert 'pypinyin' not in sys.modules\n"
        "from shenka_cli.core.loader import load\n"
        "from shenka_cli.core.search import search\n"
        "hits = search(load([Path(sys.argv[1])]).base.facts, [sys.argv[2]])\n"
        "assert hits, 'no hits'\n"
        "print('pypinyin' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(BUNDLED), term], capture_output=True, text=True, cwd=REPO, check=True
    )
    return {"True": True, "False": False}[result.stdout.strip()]


def test_a_chinese_query_does_not_import_pypinyin() -> None:
    assert _pypinyin_imported_after("白内障") is False
    assert _pypinyin_imported_after("kashi") is True


# --- several terms, ranking ---


def test_terms_are_anded(bundled: tuple[Fact, ...]) -> None:
    kashgar = set(ids(search(bundled, ["喀什"])))
    cataract = set(ids(search(bundled, ["cataract"])))
    both = search(bundled, ["喀什", "cataract"])
    assert set(ids(both)) == kashgar & cataract
    assert both
    for hit in both:
        assert [matched(m) for m in hit.matches][0] == "喀什"
        assert matched(hit.matches[1]).casefold() == "cataract"
    assert search(bundled, ["白内障", "no-such-word"]) == []


def test_title_hit_ranks_above_summary_hit(template: Fact) -> None:
    in_summary = make(template, "in-summary", title="别的", summary="为老人实施白内障手术")
    in_title = make(template, "in-title", title="白内障手术")
    hits = search([in_summary, in_title], ["白内障"])
    assert ids(hits) == ["in-title", "in-summary"]
    assert [hit.score for hit in hits] == [10, 2]
    assert [hit.matches[0].field for hit in hits] == ["title", "summary"]


def test_best_match_per_term_is_reported(template: Fact) -> None:
    fact = make(template, "f", summary="白内障", tags=("白内障",), stats=(stat(template, "白内障"),))
    (hit,) = search([fact], ["白内障"])
    assert hit.matches[0].field == "tags"
    assert hit.score == 6


def test_plain_beats_pinyin_at_equal_weight_and_pinyin_title_beats_plain_tag(template: Fact) -> None:
    pinyin_title = make(template, "pinyin-title", title="喀什")
    plain_title = make(template, "plain-title", title_en="Kashi city")
    plain_tag = make(template, "plain-tag", tags=("kashi",))
    hits = search([plain_tag, pinyin_title, plain_title], ["kashi"])
    assert ids(hits) == ["plain-title", "pinyin-title", "plain-tag"]
    assert [hit.score for hit in hits] == pytest.approx([10, 9, 6])
    assert [hit.matches[0].via_pinyin for hit in hits] == [False, True, False]


def test_pinyin_in_a_title_beats_plain_text_in_a_summary(template: Fact) -> None:
    (hit,) = search([make(template, "f", title="喀什", summary_en="Kashi city")], ["kashi"])
    assert (hit.matches[0].field, hit.matches[0].via_pinyin, hit.score) == ("title", True, pytest.approx(9))


def test_scores_add_up_over_terms_and_ties_keep_input_order(template: Fact) -> None:
    a = make(template, "a", title="深圳", summary="喀什")
    b = make(template, "b", title="深圳喀什")
    c = make(template, "c", summary="深圳", title="喀什")
    hits = search([a, b, c], ["深圳", "喀什"])
    assert ids(hits) == ["b", "a", "c"]
    assert [hit.score for hit in hits] == [20, 12, 12]


def test_empty_terms_find_nothing(bundled: tuple[Fact, ...]) -> None:
    assert search(bundled, []) == []
    assert search(bundled, ["", "  "]) == []
    assert ids(search(bundled, [" 白内障 "])) == ids(search(bundled, ["白内障"]))


def test_hits_are_sorted_by_score(bundled: tuple[Fact, ...]) -> None:
    scores = [hit.score for hit in search(bundled, ["喀什"])]
    assert scores == sorted(scores, reverse=True)
    assert len(set(scores)) > 1


# --- snippets ---


def test_snippet_cuts_both_sides_with_ellipses() -> None:
    text = "0123456789abcdefghij白内障klmnopqrstuvwxyz"
    match = Match("summary", text, 20, 23, False)
    window, start, end = snippet(match, context=5)
    assert window == "…fghij白内障klmno…"
    assert window[start:end] == "白内障"
    assert (start, end) == (6, 9)


def test_snippet_without_cuts_and_at_the_edges() -> None:
    text = "白内障手术"
    assert snippet(Match("title", text, 0, 3, False)) == (text, 0, 3)
    window, start, end = snippet(Match("title", "x" * 30 + "白内障", 30, 33, False), context=4)
    assert (window, start, end) == ("…xxxx白内障", 5, 8)
    window, start, end = snippet(Match("title", "白内障" + "y" * 30, 0, 3, False), context=2)
    assert (window, start, end) == ("白内障yy…", 0, 3)


def test_snippet_does_not_split_a_combining_mark_from_its_letter() -> None:
    text = "Cafe\u0301 " + "z" * 10
    window, start, end = snippet(Match("title", text, 0, 3, False), context=1)
    assert window == "Caf…"
    assert window[start:end] == "Caf"


def test_snippet_of_a_real_hit(bundled: tuple[Fact, ...]) -> None:
    hit = next(h for h in search(bundled, ["白内障"]) if h.matches[0].field == "title")
    window, start, end = snippet(hit.matches[0], context=3)
    assert window[start:end] == "白内障"
    assert len(window) <= 3 + 3 + 3 + 2


def test_a_short_value_is_shown_whole_as_the_window_would_show_it() -> None:
    """snippet gives a value short enough around its match at once: what the windowing gives, combining marks at
    the start included."""
    from shenka_cli.core.search import _window

    for text in ("白内障手术", "\u0301白内障", "a\u0301bc", "x" * 20 + "白内障" + "y" * 20, "\u0301" * 3 + "z" * 30):
        for start in range(len(text)):
            for end in range(start, min(len(text), start + 4) + 1):
                for context in (0, 1, 2, 20):
                    match = Match("title", text, start, end, False)
                    assert snippet(match, context) == _window(match, context), (text, start, end, context)
