"""Pinyin and English terms ranked in SQL (core/store/spelled.py): the same hits, in the same order, with the same
matches as the facts read directly give, whatever field holds a term's best match and however it stands."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from shenka_cli.core import store
from shenka_cli.core.search import forms, parse_query
from shenka_cli.core.search.pinyin import syllable_chars
from shenka_cli.core.search.query import compile_term
from shenka_cli.core.store.pinyin import code_table, first_codes, pair_tokens, spelled_strings

from .conftest import VALID
from .tomlwrite import facts_document


def _fact(fact_id: str, title: str, title_en: str, summary: str = "概述。", summary_en: str = "A summary.", **more):
    source = {"id": "test-source", "section": "导语"}
    return {"id": fact_id, "sector": "overview", "title": title, "title_en": title_en, "summary": summary,
            "summary_en": summary_en, "date": "2024", "source": source, **more}  # fmt: skip


# Each fact holds a term's best match in another field, or holds it another way: a whole word, another form of the
# word, the start of a word, inside a word, or in Chinese characters its pinyin spells.
FACTS = [
    _fact("title-pinyin", "喀什的医院", "A new ward opens"),
    _fact("summary-form", "学校建成", "Schools built", summary_en="Two hospitals were built in the city."),
    _fact("word-start", "培训", "Hospitalise the patients", summary="在喀什举办。"),
    _fact("another-form", "培训", "Hospitality training"),
    _fact("inside-word", "急救", "Prehospital care in Kashgar"),
    _fact("tag-word", "标签", "Tagged", tags=["hospital"]),
    _fact(
        "stat-label",
        "床位",
        "Beds",
        stat=[{"label": "床位", "label_en": "Hospital beds", "text": "500张", "value": 500, "unit": "张"}],
    ),  # fmt: skip
    _fact("kashi-hospital-in-id", "编号", "Named by its id"),
    _fact("prefix-beats-nothing", "其他", "Kashiwa sister city", summary="无关。"),
    _fact("pinyin-beats-prefix", "其他", "Kashiwa exchange", summary="喀什医院的交流。"),
    _fact("place-alias", "医院落成", "A ward is finished", places=["喀什市"]),
    _fact("both-words", "医院", "Kashi hospital's new wing", summary="喀什医院扩建。"),
    _fact("apostrophe", "其他", "The hospital's yard"),
    _fact("glob-characters", "符号", "Hospital* and [ward]? signs"),
]

QUERIES = [
    ["kashi"],
    ["hospital"],
    ["hospitals"],
    ["Hospital"],
    ["hospital's"],
    ["hospital*", "[ward]"],
    ["yiyuan"],
    ["kashi", "hospital"],
    ["kashi", "yiyuan"],
    ["喀什", "hospital"],
    ["hospital", "喀什"],
    ["kashi", "医院"],
    ["kā", "shí"],
    ["ka1shi2"],
    ["kashiwa"],
    ["kash"],
    ["ital"],
    ["schools", "built"],
]


@pytest.fixture
def base(tmp_path: Path) -> Path:
    target = tmp_path / "facts"
    shutil.copytree(VALID, target)
    (target / "spelled.toml").write_text(facts_document(FACTS), encoding="utf-8")
    return target


def _listings(run, base: Path, env: dict[str, str] | None = None) -> list[str]:
    listings = []
    for words in QUERIES:
        for format in ("csv", "json"):
            result = run("--facts", str(base), "search", *words, "--limit", "0", "--format", format, env=env)
            assert result.exit_code == 0, (words, result.stderr)
            listings.append(result.stdout)
    return listings


def test_spelled_terms_rank_in_sql_exactly_as_the_facts_read_directly_do(run, base, monkeypatch) -> None:
    expected = _listings(run, base, env={"SHENKA_CACHE": "0"})
    assert sum(text.count("\n") for text in expected) > 100
    import shenka_cli.core.store.queries as queries

    ranked_in_python = []  # the queries whose every candidate is scored in Python (not only those without regions)
    python_scores = queries._python_scores

    def recorded(snapshot, query, candidates, parameters, unpacked=False):
        if not unpacked:
            ranked_in_python.append(query)
        return python_scores(snapshot, query, candidates, parameters, unpacked)

    monkeypatch.setattr(queries, "_python_scores", recorded)
    assert _listings(run, base) == expected
    assert {term.typed for query in ranked_in_python for term in query.terms} == {"kā", "shí"}  # one syllable each


def test_spelled_terms_rank_alike_for_facts_without_region_starts(run, base) -> None:
    expected = _listings(run, base, env={"SHENKA_CACHE": "0"})
    run("--facts", str(base), "search", "kashi")
    (database,) = sorted(store.cache_dir().glob("facts-*.sqlite3"))
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE fact_search SET regions = NULL WHERE rowid % 3 = 0")
    assert _listings(run, base) == expected


def _ranked(run, base: Path, *words: str) -> dict[str, str]:
    """Each hit's id and the field of its match shown, in rank order."""
    import csv
    import io

    result = run("--lang", "en", "--facts", str(base), "search", *words, "--limit", "0", "--format", "csv")
    return {row["id"]: row["field"] for row in csv.DictReader(io.StringIO(result.stdout))}


def test_the_best_match_of_each_fact_is_in_the_field_it_was_written_for(run, base) -> None:
    """Each hit's best match: a form of the word in a title before one in an id, a tag, a statistic's label and a
    summary, then the start of a word in a title, then inside a word; pinyin in a summary before the start of a
    word in a title."""
    fields = _ranked(run, base, "hospital")
    assert [fields[fact_id] for fact_id in ("another-form", "kashi-hospital-in-id", "tag-word", "stat-label")] == [
        "title", "id", "tags", "statistic"
    ]  # fmt: skip
    assert (fields["summary-form"], fields["word-start"], fields["inside-word"]) == ("summary", "title", "title")
    order = list(fields)
    assert order.index("another-form") < order.index("tag-word") < order.index("stat-label")
    assert order.index("stat-label") < order.index("summary-form") < order.index("word-start")
    assert order.index("word-start") < order.index("inside-word") == len(order) - 1
    fields = _ranked(run, base, "kashi")
    assert (fields["pinyin-beats-prefix"], fields["prefix-beats-nothing"]) == ("summary (original)", "title")
    order = list(fields)
    assert order.index("pinyin-beats-prefix") < order.index("prefix-beats-nothing")


def test_a_pinyin_term_stands_for_the_runs_of_characters_its_pairs_chain_into() -> None:
    table, classes = code_table(syllable_chars())
    texts = ["喀什市人民医院", "卡什么", "医院\x1f喀什"]
    pairs = set().union(*(pair_tokens(text, table) for text in texts))
    characters = {code: chr(char) for char, code in table.items()}
    decoded = {pair: "".join(characters[code] for code in pair) for pair in pairs}
    present = {
        syllable: "".join(c for c in codes if any(c in pair for pair in pairs)) for syllable, codes in classes.items()
    }
    present = {syllable: codes for syllable, codes in present.items() if codes}
    spellings = [("ka", "shi"), ("yi", "yuan")]
    found = spelled_strings(
        spellings, present, {p: decoded[p] for p in pairs if p[0] in first_codes(spellings, present)}, 32
    )
    assert found is not None and {"喀什", "卡什", "医院"} <= set(found)
    assert all(any(run in text for text in texts) for run in found)
    assert spelled_strings([("ka",)], present, decoded, 32) is None  # single characters are not kept
    assert spelled_strings(spellings, present, decoded, 1) is None


def test_each_character_has_a_code_of_its_own() -> None:
    table, classes = code_table(syllable_chars())
    assert len(set(table.values())) == len(table)
    assert table[ord("什")] in classes["shi"] and table[ord("什")] in classes["shen"]


def test_the_forms_of_an_english_word_are_those_with_its_stem() -> None:
    term = compile_term("hospitals")
    assert term is not None
    assert forms(term, ["hospital", "hospitals", "hospitalise", "hostel", "hospice"]) == ["hospital", "hospitals"]
    term = compile_term("喀什")
    assert term is not None and forms(term, ["kashi"]) == []
    assert parse_query(["kashi", "hospital"]).phrase is not None


# English and pinyin terms beside characters of one to four bytes in UTF-8, in every region: the SQL finds them and
# their neighbours by byte, the facts read directly by character.
BYTES_FACTS = [
    _fact("cjk-neighbours", "中hospital中", "Ünïcode title"),
    _fact("astral-before", "𠀀标题", "𠀀Hospitals 𝄞 ü"),
    _fact("word-at-the-end", "标题ü", "Ünicode", summary_en="Built by the 中𠀀 hospital"),
    _fact("prefix-after-cjk", "标题", "Ünicode", summary_en="𠀀ü hospitalisation 中"),
    _fact("inside-after-cjk", "标题", "Ünicode", summary_en="中xhospital𠀀"),
    _fact("pinyin-after-astral", "𠀀𠀀ü喀什", "Ünicode"),
    _fact(
        "pinyin-in-stat",
        "标题𠀀",
        "Ünicode",
        stat=[{"label": "𠀀ü·喀什医院", "label_en": "Beds ü", "text": "500人", "value": 500, "unit": "人"}],
    ),
    _fact("place-alias", "标题𠀀ü", "Ünicode", places=["喀什市"]),
    # Its title takes 2,400 bytes: its region starts do not fit, it is ranked in Python.
    _fact("too-long-in-bytes", "𠀀" * 600, "Hospital too long", summary="喀什医院"),
]
BYTES_QUERIES = [["hospital"], ["hospitals"], ["kashi"], ["yiyuan"], ["kashi", "hospital"], ["kashi", "yiyuan"],
                 ["hospital", "𠀀"], ["ital"]]  # fmt: skip


def test_spelled_terms_rank_alike_beside_characters_of_any_length_in_bytes(run, tmp_path: Path) -> None:
    base = tmp_path / "facts"
    shutil.copytree(VALID, base)
    (base / "bytes.toml").write_text(facts_document(BYTES_FACTS), encoding="utf-8")
    argv = [
        ["--facts", str(base), "search", *words, "--limit", "0", "--format", format]
        for words in BYTES_QUERIES
        for format in ("csv", "json")
    ]
    expected = [run(*args, env={"SHENKA_CACHE": "0"}) for args in argv]
    assert all(result.exit_code == 0 for result in expected), [result.stderr for result in expected]
    ids = [fact["id"] for fact in BYTES_FACTS]
    assert all(any(fact_id in result.stdout for result in expected) for fact_id in ids)
    assert [run(*args).stdout for args in argv] == [result.stdout for result in expected]
    (database,) = sorted(store.cache_dir().glob("facts-*.sqlite3"))
    with sqlite3.connect(database) as connection:
        unpacked = connection.execute(
            "SELECT facts.id FROM facts JOIN fact_search f ON f.rowid = facts.rowid WHERE f.regions IS NULL"
        ).fetchall()
    assert unpacked == [("too-long-in-bytes",)]
    fields = _ranked(run, base, "hospital")
    assert [fields[fact_id] for fact_id in ids[:5]] == ["title (original)", "title", "summary", "summary", "summary"]
