"""The search command as a new user tries it, no-match suggestions, and --script for every command."""

from __future__ import annotations

import csv
import io
import json

import pytest

from shenka_cli.core.loader import load
from shenka_cli.core.search.script import to_traditional

from .conftest import BUNDLED
from .mdparse import markdown_blocks


@pytest.fixture(scope="module")
def facts():
    return {fact.id: fact for fact in load([BUNDLED]).base.facts}


def search_ids(run, *words: str) -> list[str]:
    result = run("search", *words, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return [record["id"] for record in json.loads(result.stdout)]


@pytest.mark.parametrize(
    ("words", "first"),
    [
        (["醫療"], "medical-team-kashgar-peoples-hospital"),
        (["醫院"], "medical-team-kashgar-peoples-hospital"),
        (["art"], "shenzhen-artists-in-kashgar"),
        (["buses"], "bus-stops-and-charging"),
        (["hospitals"], "medical-team-kashgar-peoples-hospital"),
    ],
)
def test_the_issue_queries_find_the_expected_fact_first(run, words: list[str], first: str) -> None:
    assert search_ids(run, *words)[0] == first


@pytest.mark.parametrize("typed", [["kā", "shí"], ["ka shi"], ["Kashi"], ["KASHI"], ["ka1", "shi2"]])
def test_pinyin_of_kashgar_puts_kashgar_facts_first(run, facts, typed: list[str]) -> None:
    found = search_ids(run, *typed)
    assert "喀什" in facts[found[0]].title


def test_hospital_and_hospitals_find_the_same_facts(run) -> None:
    assert sorted(search_ids(run, "hospital")) == sorted(search_ids(run, "hospitals"))
    # "bus" also starts "business" (a weaker, start-of-word match); every form of the word finds the bus facts
    buses = search_ids(run, "buses")
    assert {"bus-stops-and-charging", "transit-metropolis-demo-city"} <= set(buses) <= set(search_ids(run, "bus"))


@pytest.mark.parametrize(
    ("typed", "suggested"), [("医阮", "医院"), ("醫阮", "醫院"), ("hosptal", "hospital"), ("kashgr", "kashgar")]
)
def test_no_match_suggests_an_existing_word_and_exits_1(run, typed: str, suggested: str) -> None:
    result = run("search", typed)
    assert result.exit_code == 1
    assert result.stdout == ""
    hint = next(line for line in result.stderr.splitlines() if line.startswith("hint: "))
    assert hint.startswith("hint: did you mean ")
    words = hint.removeprefix("hint: did you mean ").rstrip("?").replace(" or ", ", ").split(", ")
    assert words[0] == suggested
    assert search_ids(run, suggested)


def test_no_match_in_json_still_writes_an_empty_list(run) -> None:
    result = run("search", "hosptal", "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == []
    assert "did you mean hospital" in result.stderr


def test_a_word_like_nothing_says_so(run) -> None:
    result = run("search", "hospital", "xyzzyq")
    assert result.exit_code == 1
    assert "no fact holds 'xyzzyq'" in result.stderr


# --- --script ---


def _timeline_titles(markdown: str) -> list[str]:
    titles = []
    for kind, content in markdown_blocks(markdown):
        if kind == "table":
            header, *rows = content
            column = header.index("標題") if "標題" in header else header.index("标题")
            titles += [row[column] for row in rows]
    return titles


def test_script_traditional_prints_the_timeline_in_traditional_characters(run, facts) -> None:
    source = run("timeline", "--format", "markdown")
    converted = run("--script", "traditional", "timeline", "--format", "markdown")
    assert converted.exit_code == 0
    titles = _timeline_titles(source.stdout)
    traditional = _timeline_titles(converted.stdout)
    assert len(titles) == len(traditional) > 10
    assert traditional == [to_traditional(title) for title in titles]
    assert traditional != titles
    assert "時間線" in converted.stdout
    assert "2010年以來深圳對口援疆喀什總體情況" in traditional


def test_script_after_the_command_and_from_the_environment(run) -> None:
    after = run("timeline", "--script", "traditional")
    from_env = run("timeline", env={"SHENKA_SCRIPT": "traditional"})
    assert after.exit_code == from_env.exit_code == 0
    assert after.stdout == from_env.stdout
    assert "時間線" in after.stdout


def test_json_keeps_the_source_text_whatever_the_script(run) -> None:
    for command in (["timeline"], ["search", "医院"], ["stats"]):
        source = run(*command, "--format", "json")
        converted = run("--script", "traditional", *command, "--format", "json")
        assert json.loads(converted.stdout) == json.loads(source.stdout)


def test_csv_is_converted_cell_by_cell(run) -> None:
    source = list(csv.DictReader(io.StringIO(run("search", "医院", "--format", "csv").stdout)))
    result = run("--script", "traditional", "search", "医院", "--format", "csv")
    converted = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [row["id"] for row in converted] == [row["id"] for row in source]
    assert [row["title"] for row in converted] == [to_traditional(row["title"]) for row in source]


@pytest.mark.parametrize(("script", "config"), [("traditional-hk", "s2hk"), ("traditional-tw", "s2tw")])
def test_script_for_hong_kong_and_taiwan_readers(run, script: str, config: str) -> None:
    source = list(csv.DictReader(io.StringIO(run("search", "启动", "--format", "csv").stdout)))
    result = run("--script", script, "search", "启动", "--format", "csv")
    converted = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [row["title"] for row in converted] == [to_traditional(row["title"], config) for row in source]
    assert ("啟動" in result.stdout) is (config == "s2tw")  # Taiwan writes 啟, Hong Kong 啓


def test_script_simplified_and_source_leave_simplified_facts_alone(run) -> None:
    source = run("timeline").stdout
    assert run("--script", "simplified", "timeline").stdout == source
    assert run("--script", "source", "timeline").stdout == source


# --- the gazetteer's names and aliases ---

GAZETTEER = """
[[place]]
id = "kashgar-city"
name = "喀什市"
name_en = "Kashgar City"
aliases = ["Kashi City", "Kaxgar"]
kind = "city"

[[place]]
id = "taxkorgan"
name = "塔什库尔干塔吉克自治县"
name_en = "Taxkorgan Tajik Autonomous County"
aliases = ["Tashkurgan", "塔县"]
kind = "county"
"""


@pytest.fixture
def with_gazetteer(tmp_path):
    import shutil

    from .conftest import VALID

    for path in VALID.glob("*.toml"):
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "gazetteer.toml").write_text(GAZETTEER, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("cache", ["1", "0"])
def test_aliases_of_the_gazetteer_are_searched(run, with_gazetteer, cache: str) -> None:
    expected = {fact.id for fact in load([with_gazetteer]).base.facts if "塔什库尔干塔吉克自治县" in fact.places}
    assert expected
    for typed in ("Tashkurgan", "taxkorgan", "塔县"):
        result = run("--facts", str(with_gazetteer), "search", typed, "--format", "json", env={"SHENKA_CACHE": cache})
        assert result.exit_code == 0, result.stderr
        assert {record["id"] for record in json.loads(result.stdout)} == expected, typed
    result = run("--facts", str(with_gazetteer), "search", "tashkurgn", env={"SHENKA_CACHE": cache})
    assert result.exit_code == 1
    assert "did you mean tashkurgan?" in result.stderr


def test_search_takes_the_names_of_entities(with_gazetteer) -> None:
    from shenka_cli.core.search import entity_names, search

    base = load([with_gazetteer]).base
    names = entity_names(base.entities)
    assert search(base.facts, ["Kaxgar"]) == []
    hits = search(base.facts, ["Kaxgar"], names)
    assert {hit.fact.id for hit in hits} == {fact.id for fact in base.facts if "喀什市" in fact.places}
    assert all(hit.matches[0].field == "names" for hit in hits)
    assert entity_names(()) is None


# --- what a warm query imports, through the CLI and the cache ---


def _warm_imports(tmp_path, *words: str) -> set[str]:
    import os
    import subprocess
    import sys

    from .conftest import REPO

    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "NO_COLOR": "1"}
    command = [sys.executable, "-m", "shenka_cli", "--facts", str(BUNDLED), "search", *words, "--format", "json"]
    subprocess.run(command, env=env, cwd=REPO, capture_output=True, check=True)  # fills the cache
    warm = subprocess.run(
        [sys.executable, "-X", "importtime", *command[1:]], env=env, cwd=REPO, capture_output=True, text=True
    )
    assert warm.returncode == 0, warm.stderr
    assert json.loads(warm.stdout)
    imported = {line.rsplit("|", 1)[-1].strip() for line in warm.stderr.splitlines() if line.startswith("import time")}
    return {name for name in ("opencc", "Stemmer", "pypinyin") if name in imported}


def test_a_warm_chinese_query_imports_no_converter_stemmer_or_pypinyin(tmp_path) -> None:
    assert _warm_imports(tmp_path, "白内障") == set()


def test_a_warm_traditional_query_imports_only_the_converter(tmp_path) -> None:
    assert _warm_imports(tmp_path, "醫院") == {"opencc"}


def test_a_warm_english_or_pinyin_query_imports_only_the_stemmer(tmp_path) -> None:
    assert _warm_imports(tmp_path, "hospitals") == {"Stemmer"}
    assert _warm_imports(tmp_path, "kā", "shí") == set()
