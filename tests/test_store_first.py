"""The first build of the cache: what it leaves out of its text indexes is still found, and what reading a file
skips when its text cannot hold a problem is still reported when it can."""

from __future__ import annotations

from pathlib import Path

import pytest

from shenka_cli.core import store
from shenka_cli.core.query import Filters
from shenka_cli.present.document import decoded

from .conftest import BUNDLED


def _listed_names(base) -> list[tuple[str, str]]:
    """(name or alias, folded) of the gazetteer entities the facts list, that no fact's own text holds."""
    from shenka_cli.core.gazetteer import Gazetteer
    from shenka_cli.core.model import EntityCategory
    from shenka_cli.core.search import search_terms, search_text

    own = "\x1f".join(search_text(fact) for fact in base.facts)
    gazetteer = Gazetteer(base.entities)
    found = {}
    for fact in base.facts:
        for category in EntityCategory:
            for entity in gazetteer.fact_entities(fact, category):
                if isinstance(entity, str):
                    continue
                for name in (entity.name, entity.name_en, *entity.aliases):
                    folded = search_terms(name or "")
                    if len(folded) >= 3 and folded not in own:
                        found[name] = folded
    return sorted(found.items())


@pytest.fixture(scope="module")
def catalogues(tmp_path_factory):
    import os

    from shenka_cli.cli.context import open_facts
    from shenka_cli.core.loader import load

    from .test_store import cached_records

    previous = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))
    try:
        cached = open_facts([BUNDLED])
    finally:
        if previous is None:
            del os.environ["XDG_CACHE_HOME"]
        else:
            os.environ["XDG_CACHE_HOME"] = previous
    assert isinstance(cached, store.Snapshot)
    base = load([BUNDLED]).base
    return cached, store.MemoryCatalogue(base, cached_records()), base


def test_names_the_text_index_leaves_out_are_found_through_the_entities(catalogues):
    """A name or alias that only the gazetteer gives (the fact's text does not) finds the facts that list it."""
    cached, memory, base = catalogues
    names = _listed_names(base)
    assert len(names) >= 5
    for name, _ in names[:: max(1, len(names) // 12)]:
        one, other = cached.search(Filters(), [name], 0), memory.search(Filters(), [name], 0)
        assert one.total == other.total > 0, name
        assert list(one.listed()) == list(other.listed()), name
        found = [decoded(record) for record in one.records()]
        assert found == [decoded(record) for record in other.records()], name


def test_names_the_pinyin_index_leaves_out_are_found_by_their_pinyin(catalogues):
    from pypinyin import lazy_pinyin

    from shenka_cli.core.gazetteer import written_in_chinese

    cached, memory, base = catalogues
    names = [name for name, _ in _listed_names(base)]
    chinese = [name for name in names if written_in_chinese(name) and name.isalpha() and len(name) <= 4]
    found = 0
    for name in chinese:
        spoken = "".join(lazy_pinyin(name))
        one, other = cached.search(Filters(), [spoken], 0), memory.search(Filters(), [spoken], 0)
        assert one.total == other.total, (name, spoken)
        assert list(one.listed()) == list(other.listed()), (name, spoken)
        assert [decoded(r) for r in one.records()] == [decoded(r) for r in other.records()], (name, spoken)
        found += one.total > 0
    assert found >= 3


ESCAPED = r"""
[[fact]]
id = "escaped"
sector = "industry"
title = "\u5f85\u586b\u5199"
title_en = "Lab opens"
summary = "摘要"
summary_en = "A lab\u202e opened with 1200 workers"
date = "2024-08"
source = { id = "s", section = "a" }
"""


@pytest.mark.parametrize("escaped", [False, True], ids=["written", "escaped"])
def test_placeholders_and_invisible_characters_are_reported_however_they_are_written(escaped):
    """A file whose text holds no placeholder and no invisible character skips looking for them in each value; one
    that writes them as escapes is still checked, and reports what the same file written out reports."""
    from shenka_cli.core.loader import read_file_content

    written = ESCAPED.replace(r"\u5f85\u586b\u5199", "待填写").replace(r"\u202e", "\u202e")
    text = ESCAPED if escaped else written
    problems = read_file_content(text.encode(), "f.toml").problems
    messages = sorted((problem.field, problem.message, problem.warning) for problem in problems)
    assert ("title", "contains the placeholder '待填写'", False) in messages
    assert any(field == "summary_en" and "invisible" in message and warning for field, message, warning in messages)
    assert any(field == "summary_en" and "1200" in message and warning for field, message, warning in messages)
    as_written = read_file_content(written.encode(), "f.toml").problems
    assert messages == sorted((problem.field, problem.message, problem.warning) for problem in as_written)
    clean = read_file_content(written.replace("待填写", "标题").replace("\u202e", "").encode(), "f.toml").problems
    assert [(problem.field, problem.warning) for problem in clean] == [("summary_en", True)]  # the count alone


def test_the_text_index_holds_no_gazetteer_names(catalogues, tmp_path: Path):
    """The index holds a fact's own text and its entities' markers; the stored search text keeps the names."""
    from shenka_cli.core.store.sql import entity_marker

    cached, _, base = catalogues
    name, folded = _listed_names(base)[0]
    rows = cached.connection.execute("SELECT rowid, search FROM fact_search").fetchall()
    assert any(folded in search for _, search in rows)
    query = "SELECT count(*) FROM facts_fts WHERE facts_fts MATCH ?"
    trigrams = " AND ".join('"' + folded[i : i + 3].replace('"', '""') + '"' for i in range(len(folded) - 2))
    assert cached.connection.execute(query, (trigrams,)).fetchone()[0] == 0, name
    markers = [entity_marker(index) for index in range(len(base.entities))]
    assert sum(cached.connection.execute(query, (f'"{marker}"',)).fetchone()[0] for marker in markers) >= len(rows)


def test_stored_json_escapes_every_character_a_terminal_would_act_on():
    """JSON escapes the controls below U+0020 itself; the store escapes the others text.safety names."""
    from shenka_cli.core.store.schema import ENCODE, stored_json
    from shenka_cli.text.safety import UNSAFE

    unsafe = [chr(code) for code in range(0x3000) if UNSAFE.match(chr(code))]
    assert len(unsafe) > 60
    for char in unsafe:
        stored = stored_json({"text": f"a{char}b", "list": [char]}).decode("utf-8")
        assert UNSAFE.search(stored) is None, hex(ord(char))
        expected = UNSAFE.sub(
            lambda match: f"\\u{ord(match.group()):04x}", ENCODE({"text": f"a{char}b", "list": [char]})
        )
        assert stored == expected, hex(ord(char))


@pytest.mark.parametrize(
    "text",
    [
        "[[fact]]\nid = 'a'\n[[fact.stat]]\n",
        "[[sector]]\nid = 'a'\n",
        "  [[ 'place' ]]\n",
        'x = 1\n\t[[ "unit"]]\n',
        "text = '[[sector]]'\n",  # a header's words inside a string: not a header
        "# [[source]]\n",
        "[[measure]]",
        "[[sectors]]\n",
    ],
)
def test_the_quick_test_for_table_headers_agrees_with_the_anchored_one(text):
    from shenka_cli.core.store.pipeline import TABLE_HEADER, _holds_tables

    data = text.encode()
    assert _holds_tables(data) == (TABLE_HEADER.search(data) is not None)
