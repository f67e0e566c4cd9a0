"""The fact cache: same results as reading the files, every edit seen, damage and concurrency survived."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from shenka_cli.core import store
from shenka_cli.core.query import Filters

from .conftest import BUNDLED, VALID

COMMANDS = [
    ["timeline", "--undated", "--format", "json"],
    ["timeline", "--from", "2024-08", "--to", "2024-08", "--format", "json"],
    ["search", "白内障", "--format", "json"],
    ["search", "kashi", "--format", "json"],
    ["search", "喀什", "援疆", "--format", "json"],
    ["search", "cataract", "--format", "json"],
    ["stats", "--sector", "livelihood", "--format", "json"],
    ["sectors", "--format", "json"],
    ["sectors", "industry", "--place", "kashgar", "--format", "json"],
    ["timeline", "--tag", "first", "--format", "csv"],
    ["show", "pengcheng-lab-kashgar-node", "--format", "json"],
    ["timeline", "--undated"],
    ["timeline", "--format", "jsonl"],
    ["--lang", "en", "timeline", "--format", "csv"],
    ["search", "喀什", "--limit", "3", "--format", "csv"],
    ["search", "喀什", "--limit", "0"],
    ["search", "kashi", "--limit", "0", "--format", "jsonl"],
    ["stats", "--sort", "value", "--format", "csv"],
    ["stats", "--sort", "date"],
    ["stats", "--sort", "sector", "--format", "json"],
    ["stats", "--place", "kashgar", "--format", "csv"],
    ["tags", "--format", "json"],
    ["tags", "--place", "kashgar", "--format", "csv"],
    ["sources", "--format", "json"],
    ["series", "--format", "json"],
    ["sectors", "--tag", "first", "--format", "csv"],
]


# Every streamed listing, in every format and language and in another script: the store keeps records and
# timeline cells made by the presentation layer, so these pin cached output to what the views make of a fact.
@pytest.mark.parametrize(
    "command", [["timeline", "--undated"], ["stats"], ["search", "喀什", "--limit", "0"]], ids=" ".join
)
def test_cached_and_uncached_output_are_equal_in_every_format_and_language(run, command):
    run(*command)
    for lang in ("zh", "en", "both"):
        for script in ([], ["--script", "traditional"]):
            for format in ("table", "csv", "json"):  # markdown reads the rows a table does, jsonl the records
                argv = ["--lang", lang, *script, *command, "--format", format]
                uncached, warm = run(*argv, env={"SHENKA_CACHE": "0"}), run(*argv)
                assert uncached.exit_code == warm.exit_code == 0, argv
                assert (uncached.stdout, uncached.stderr) == (warm.stdout, warm.stderr), argv


@pytest.fixture
def facts(tmp_path: Path) -> Path:
    """A private copy of the test facts that a test may edit."""
    target = tmp_path / "facts"
    shutil.copytree(VALID, target)
    return target


def cache_files() -> list[Path]:
    return sorted(store.cache_dir().glob("facts-*.sqlite3"))


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_cached_and_uncached_results_are_equal(run, command):
    uncached = run(*command, env={"SHENKA_CACHE": "0"})
    cold = run(*command)
    warm = run(*command)
    assert cache_files()
    assert uncached.exit_code == cold.exit_code == warm.exit_code == 0
    assert uncached.stdout == cold.stdout == warm.stdout
    assert uncached.stderr == cold.stderr == warm.stderr


def test_the_cache_lives_in_the_user_cache_directory_not_the_facts(run, facts, tmp_path):
    before = sorted(p.name for p in facts.iterdir())
    assert run("--facts", str(facts), "timeline").exit_code == 0
    assert sorted(p.name for p in facts.iterdir()) == before
    assert cache_files() and cache_files()[0].is_relative_to(tmp_path / "cache")


def test_an_edit_of_the_same_size_in_the_same_second_is_seen(run, facts):
    target = facts / "facts.toml"
    first = run("--facts", str(facts), "show", "lab-opens", "--format", "json")
    stat = target.stat()
    text = target.read_text(encoding="utf-8")
    edited = text.replace("华大南疆精准医学实验室投入使用", "华大南疆精准医学实验室正式启用")
    assert len(edited.encode()) == len(text.encode())
    target.write_text(edited, encoding="utf-8")
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # as on a file system with coarse timestamps
    assert target.stat().st_size == stat.st_size and target.stat().st_mtime_ns == stat.st_mtime_ns
    second = run("--facts", str(facts), "show", "lab-opens", "--format", "json")
    assert json.loads(first.stdout)[0]["title"] == "华大南疆精准医学实验室投入使用"
    assert json.loads(second.stdout)[0]["title"] == "华大南疆精准医学实验室正式启用"


def test_added_and_deleted_files_are_seen(run, facts):
    extra = facts / "more.toml"
    original = (VALID / "facts.toml").read_text(encoding="utf-8")
    extra.write_text(re.sub(r'^id = "', 'id = "more-', original, flags=re.MULTILINE), encoding="utf-8")
    assert len(json.loads(run("--facts", str(facts), "timeline", "--undated", "-f", "json").stdout)) == 12
    extra.unlink()
    assert len(json.loads(run("--facts", str(facts), "timeline", "--undated", "-f", "json").stdout)) == 6


def test_an_error_introduced_after_caching_is_reported(run, facts):
    assert run("--facts", str(facts), "timeline").exit_code == 0
    (facts / "facts.toml").write_text('[[fact]]\nid = "broken"\n', encoding="utf-8")
    result = run("--facts", str(facts), "timeline")
    assert result.exit_code == 2
    assert "missing required field" in result.stderr


@pytest.mark.parametrize(
    "damage",
    [
        lambda path: path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2]),
        lambda path: path.write_bytes(b"this is not a database" * 100),
        lambda path: path.write_bytes(b""),
    ],
    ids=["truncated", "garbage", "empty"],
)
def test_damaged_cache_is_rebuilt(run, damage):
    expected = run("timeline", "--undated", "--format", "json").stdout
    (database,) = cache_files()
    damage(database)
    result = run("timeline", "--undated", "--format", "json")
    assert result.exit_code == 0
    assert result.stdout == expected
    assert result.stderr.count("\n") <= 1


def test_cache_of_another_format_is_rebuilt_with_one_warning(run, monkeypatch):
    expected = run("stats", "--format", "json").stdout
    monkeypatch.setattr(store, "FORMAT_VERSION", store.FORMAT_VERSION + 1)
    result = run("stats", "--format", "json")
    assert (result.exit_code, result.stdout) == (0, expected)
    assert result.stderr.count("\n") == 1 and "another version" in result.stderr
    assert run("stats", "--format", "json").stderr == ""


def test_schema_of_another_version_is_rebuilt_with_one_warning(run):
    expected = run("timeline", "--format", "json").stdout
    (database,) = cache_files()
    with sqlite3.connect(database) as connection:
        connection.execute("PRAGMA user_version = 3")
    result = run("timeline", "--format", "json")
    assert (result.exit_code, result.stdout) == (0, expected)
    assert result.stderr.count("\n") == 1 and "another version" in result.stderr
    assert run("timeline", "--format", "json").stderr == ""


@pytest.mark.parametrize(
    ("table", "column", "format"),
    [
        ("fact_models", "model", "table"),
        ("fact_cells", "cells", "table"),
        ("fact_cells", "cells", "csv"),
        ("fact_records", "record", "json"),
        ("fact_texts", "texts", "csv"),
        ("fact_texts", "texts", "table"),
        ("stat_models", "model", "csv"),
        ("stat_records", "record", "json"),
    ],
)
def test_a_corrupt_row_is_rebuilt_with_one_warning(run, table, column, format):
    command = ("timeline", "--undated") if table.startswith("fact_") else ("stats",)
    if table == "fact_models":  # the timeline reads its cells; sectors reads models
        command = ("sectors",)
    if table == "fact_texts":  # what a listing of search hits shows of each
        command = ("search", "喀什", "--limit", "0")
    expected = run(*command, "--format", format).stdout
    (database,) = cache_files()
    with sqlite3.connect(database) as connection:
        # a row printed first: damage found after output began cannot be undone, and ends the run (exit 2)
        first = "(SELECT rowid FROM facts ORDER BY sort_key IS NULL, sort_key LIMIT 1)"
        if table == "fact_texts":
            best = json.loads(run("search", "喀什", "--format", "json").stdout)[0]["id"]
            first = f"(SELECT rowid FROM facts WHERE id = '{best}')"
        elif table.startswith("stat_"):
            first = "3"
        connection.execute(f"UPDATE {table} SET {column} = substr({column}, 1, 40) || x'41' WHERE rowid = {first}")
    result = run(*command, "--format", format)
    assert (result.exit_code, result.stdout) == (0, expected)
    assert result.stderr.count("\n") == 1 and "damaged" in result.stderr and "Traceback" not in result.stderr
    again = run(*command, "--format", format)
    assert (again.stdout, again.stderr) == (expected, "")


def test_an_undecodable_value_is_rebuilt_with_one_warning(run):
    expected = run("search", "白内障", "--format", "json").stdout
    (database,) = cache_files()
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE fact_records SET record = CAST(x'fffe5b22' AS TEXT)")
    result = run("search", "白内障", "--format", "json")
    assert (result.exit_code, result.stdout) == (0, expected)
    assert result.stderr.count("\n") == 1 and "damaged" in result.stderr


def test_damaged_metadata_is_rebuilt_with_one_warning(run):
    expected = run("sectors", "--format", "json").stdout
    (database,) = cache_files()
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE meta SET value = '[1, 2' WHERE key = 'base'")
    result = run("sectors", "--format", "json")
    assert (result.exit_code, result.stdout) == (0, expected)
    assert result.stderr.count("\n") == 1 and "damaged" in result.stderr


@pytest.mark.parametrize("foreign", ["sqlite", "bytes"])
def test_a_file_that_is_not_shenkas_is_replaced_with_one_warning(run, foreign):
    expected = run("timeline", "--format", "json").stdout
    (database,) = cache_files()
    database.unlink()
    if foreign == "sqlite":
        with sqlite3.connect(database) as connection:
            connection.execute("CREATE TABLE meta (key, value)")
            connection.execute("INSERT INTO meta VALUES ('version', 'someone else')")
    else:
        database.write_bytes(b"#!/bin/sh\necho not a database\n" * 200)
    result = run("timeline", "--format", "json")
    assert (result.exit_code, result.stdout) == (0, expected)
    assert result.stderr.count("\n") == 1 and "warning" in result.stderr and "Traceback" not in result.stderr
    assert run("timeline", "--format", "json").stderr == ""


def test_no_pickle_anywhere_in_the_package():
    import shenka_cli

    package = Path(shenka_cli.__file__).parent
    sources = {path: path.read_text(encoding="utf-8") for path in package.rglob("*.py")}
    assert [path for path, text in sources.items() if re.search(r"^\s*(import|from)\s+c?pickle", text, re.M)] == []


UNDECODABLE = "\udcffab"  # what Python makes of the bytes 0xff 'a' 'b' on a command line: not valid UTF-8


@pytest.mark.parametrize(
    "command",
    [
        ["search", UNDECODABLE],
        ["search", "喀什", UNDECODABLE + "喀什"],
        ["search", UNDECODABLE, "--format", "json"],
        ["timeline", "--tag", UNDECODABLE],
        ["timeline", "--tag", UNDECODABLE, "--format", "json"],
        ["show", UNDECODABLE],
        ["stats", "--tag", UNDECODABLE, "--format", "csv"],
    ],
    ids=lambda command: " ".join(command).encode("ascii", "backslashreplace").decode(),
)
def test_an_argument_that_is_not_valid_utf8_finds_nothing_and_leaves_the_cache_alone(run, command):
    """Such an argument can be in no fact: the cached run says what the uncached one says (no match, no such fact,
    an empty listing), where it once took the cache for damaged and removed it."""
    assert run("timeline").exit_code == 0
    (database,) = cache_files()
    uncached = run(*command, env={"SHENKA_CACHE": "0"})
    cached = run(*command)
    assert (cached.exit_code, cached.stdout, cached.stderr) == (uncached.exit_code, uncached.stdout, uncached.stderr)
    assert "damaged" not in cached.stderr and cache_files() == [database]


@pytest.mark.parametrize("name", ["with#hash", "with?question", "with%25percent", "with space"])
def test_a_cache_directory_with_uri_characters_is_used_without_rebuilds(run, tmp_path, monkeypatch, name):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / name))
    builds = []
    real = store.build
    monkeypatch.setattr(store, "build", lambda *args: builds.append(1) or real(*args))
    first = run("timeline", "--format", "json")
    second = run("timeline", "--format", "json")
    assert (first.exit_code, first.stderr, second.stderr) == (0, "", "")
    assert first.stdout == second.stdout
    assert len(builds) == 1
    assert list((tmp_path / name / "shenka").glob("facts-*.sqlite3"))


def test_the_snapshot_is_restamped_once_its_files_are_no_longer_racy(run, facts, monkeypatch):
    from shenka_cli.core.store import snapshot

    # The clock is the test's: on a loaded machine a real second run may start after the racy window has passed.
    written = snapshot.time.time_ns()
    for path in facts.iterdir():
        os.utime(path, ns=(written, written))  # written just now, as by a git clone: racy
    monkeypatch.setattr(snapshot.time, "time_ns", lambda: written + 1_000_000_000)
    assert run("--facts", str(facts), "timeline").exit_code == 0
    hashed = []
    real_digest = snapshot.digest
    monkeypatch.setattr(snapshot, "digest", lambda data: hashed.append(1) or real_digest(data))
    assert run("--facts", str(facts), "timeline").exit_code == 0
    assert hashed  # still within the racy window: compared by content
    hashed.clear()
    later = written + 1_000_000_000 + 2 * snapshot.RACY_NS
    monkeypatch.setattr(snapshot.time, "time_ns", lambda: later)
    assert run("--facts", str(facts), "timeline").exit_code == 0
    assert hashed  # hashed once more, and the stamp moved forward
    hashed.clear()
    assert run("--facts", str(facts), "timeline").exit_code == 0
    assert hashed == []  # a clean check is now a stat per file


def test_the_cache_is_synced_before_it_is_renamed(run, monkeypatch):
    events = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: events.append("fsync") or real_fsync(fd))
    monkeypatch.setattr(os, "replace", lambda a, b: events.append(f"replace {Path(b).suffix}") or real_replace(a, b))
    assert run("timeline").exit_code == 0
    # (Run first in its process, the pinyin table is written to the cache directory before the snapshot.)
    assert events[events.index("replace .sqlite3") - 1] == "fsync"


def test_unwritable_cache_runs_without_it_with_one_warning(run, tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    result = run("timeline", "--format", "json", env={"XDG_CACHE_HOME": str(blocker / "cache")})
    assert result.exit_code == 0
    assert json.loads(result.stdout)
    assert result.stderr.count("\n") == 1
    assert "warning" in result.stderr


def test_full_disk_while_writing_the_cache_falls_back(run, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store.schema, "write", full)
    result = run("timeline", "--format", "json")
    assert result.exit_code == 0
    assert "No space left on device" in result.stderr
    assert not list(store.cache_dir().glob(".build-*"))


def test_a_file_deleted_while_reading_gives_a_clear_error(run, facts, monkeypatch):
    real = store.scan

    def listing_then_deletion(paths):
        listing = real(paths)
        (facts / "facts.toml").unlink()
        return listing

    monkeypatch.setattr(store, "scan", listing_then_deletion)
    result = run("--facts", str(facts), "timeline")
    assert result.exit_code == 2
    assert "facts.toml" in result.stderr and "cannot be read" in result.stderr
    assert "Traceback" not in result.stderr


def test_eight_processes_on_a_cold_cache(tmp_path):
    environment = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cold"), "NO_COLOR": "1"}
    command = [sys.executable, "-m", "shenka_cli", "--facts", str(BUNDLED), "timeline", "--undated", "-f", "json"]
    processes = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment) for _ in range(8)
    ]
    results = [process.communicate(timeout=120) for process in processes]
    assert [process.returncode for process in processes] == [0] * 8
    outputs = {stdout for stdout, _ in results}
    assert len(outputs) == 1
    assert len(json.loads(outputs.pop())) > 40
    assert all(stderr == b"" for _, stderr in results)


def test_the_tags_of_a_fact_without_tags_are_none(facts):
    from shenka_cli.cli.context import open_facts

    path = facts / "facts.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('tags = ["cadres"]\n', "", 1), encoding="utf-8")
    cached = open_facts([facts])
    assert isinstance(cached, store.Snapshot)
    assert () in {tags for _, tags in cached.tagged()} and "" not in cached.tags()
    assert "cadres" not in cached.tags()


def test_memory_and_cached_catalogues_answer_the_same(facts):
    from shenka_cli.cli.context import open_facts
    from shenka_cli.core.loader import load
    from shenka_cli.core.query import StatSort
    from shenka_cli.present.document import decoded
    from shenka_cli.present.sources import citing_counts

    cached = open_facts([facts])
    assert isinstance(cached, store.Snapshot)
    memory = store.MemoryCatalogue(load([facts]).base, cached_records())
    for filters in (Filters(), Filters(sector="industry"), Filters(place="塔什库尔干"), Filters(tag="first")):
        assert (
            cached.select(filters) == memory.select(filters) == list(cached.each(filters)) == list(memory.each(filters))
        )
        assert cached.sample(filters, 10**6) == memory.sample(filters, 10**6) == memory.select(filters)
        few = cached.sample(filters, 2)
        assert few == memory.sample(filters, 2) and len(few) <= 2 and set(few) <= set(memory.select(filters))
        for undated in (False, True):
            one, other = cached.timeline(filters, undated), memory.timeline(filters, undated)
            assert list(one.facts()) == list(other.facts())
            assert [decoded(r) for r in one.records()] == [decoded(r) for r in other.records()]
            assert [decoded(c) for c in one.cells()] == [decoded(c) for c in other.cells()]
            assert (one.undated, one.inferred, one.standing) == (other.undated, other.inferred, other.standing)
        for sort in StatSort:
            one, other = cached.statistics(filters, sort), memory.statistics(filters, sort)
            assert list(one.stats()) == list(other.stats())
            assert [decoded(r) for r in one.records()] == [decoded(r) for r in other.records()]
        for terms, limit in ((["喀什"], 0), (["喀什"], 2), (["kashi"], 3), (["援疆", "医院"], 0), (["zz"], 5)):
            one, other = cached.search(filters, terms, limit), memory.search(filters, terms, limit)
            assert (one.total, one.shown) == (other.total, other.shown)
            assert list(one.listed()) == list(other.listed())
            assert [decoded(r) for r in one.records()] == [decoded(r) for r in other.records()]
    assert cached.ids() == memory.ids()
    assert cached.tags() == memory.tags() == sorted({tag for fact in memory.select(Filters()) for tag in fact.tags})
    assert cached.tags()  # the test facts have tags
    assert cached.citing_counts() == memory.citing_counts() == citing_counts(memory.select(Filters()))
    assert list(cached.tagged()) == list(memory.tagged()) == [(f.sector, f.tags) for f in memory.select(Filters())]
    assert sum(cached.citing_counts().values()) >= len(memory.select(Filters()))  # every fact cites a source
    assert cached.fact("lab-opens") == memory.fact("lab-opens")


def cached_records():
    from shenka_cli.present.cells import fact_cell_sets
    from shenka_cli.present.views import fact_record, stat_record, unit_registry

    return store.Records(fact_record, stat_record, fact_cell_sets, unit_registry)


def test_timeline_rows_from_stored_cells_are_the_views_own_rows():
    """The cells the store keeps give back exactly the rows views.fact_rows makes, in every variant."""
    from shenka_cli.core.loader import load
    from shenka_cli.core.store.schema import stored_json
    from shenka_cli.present.cells import fact_cell_sets, rows_from_cell_sets
    from shenka_cli.present.views import fact_columns, fact_rows

    facts = load([BUNDLED]).base.facts
    assert facts
    stored = [stored_json(fact_cell_sets(fact)) for fact in facts]
    for lang in ("zh", "en", "both"):
        for machine in (False, True):
            keys = [column.key for column in fact_columns(lang, machine=machine)]
            expected = list(fact_rows(facts, lang, by_year=True, machine=machine))
            assert list(rows_from_cell_sets(stored, keys, lang, by_year=True, machine=machine)) == expected


def _problem_base(facts: Path) -> None:
    """Problems of every kind the build gathers from different places: a duplicate id in another file, an unknown
    sector, and a sector defined as an inline array (not a [[sector]] header) in a file that also holds facts."""
    original = (VALID / "facts.toml").read_text(encoding="utf-8")
    (facts / "again.toml").write_text(original.replace('sector = "industry"', 'sector = "industri"'), encoding="utf-8")
    inline = 'sector = [{ id = "extra", name = "额外", name_en = "Extra", description = "d", description_en = "d" }]\n'
    (facts / "0-inline.toml").write_text(inline, encoding="utf-8")


def test_problems_are_reported_alike_cached_and_uncached(run, facts):
    _problem_base(facts)
    uncached = run("--facts", str(facts), "timeline", env={"SHENKA_CACHE": "0"})
    cold, warm = run("--facts", str(facts), "timeline"), run("--facts", str(facts), "timeline")
    assert uncached.exit_code == cold.exit_code == warm.exit_code == 2
    assert "duplicate fact id" in uncached.stderr and "unknown sector 'industri'" in uncached.stderr
    assert uncached.stderr == cold.stderr == warm.stderr


@pytest.mark.parametrize("problems", [False, True])
def test_the_workers_build_what_this_process_builds(facts, monkeypatch, problems):
    """Files read by forked workers, a few files a batch, give the snapshot that reading them here gives."""
    from shenka_cli.cli.context import open_facts
    from shenka_cli.core.errors import InvalidFactBase
    from shenka_cli.core.store import pipeline

    for number in range(6):
        original = (VALID / "facts.toml").read_text(encoding="utf-8")
        text = re.sub(r'^id = "', f'id = "copy{number}-', original, flags=re.MULTILINE)
        (facts / f"copy-{number}.toml").write_text(text, encoding="utf-8")
    if problems:
        _problem_base(facts)

    def opened() -> object:
        try:
            catalogue = open_facts([facts])
        except InvalidFactBase as error:
            return str(error)
        return [catalogue.select(Filters()), [bytes(r) for r in catalogue.timeline(Filters(), True).records()]]

    here = opened()
    for database in cache_files():
        database.unlink()
    monkeypatch.setattr(pipeline, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(pipeline, "BATCH_BYTES", 3000)
    monkeypatch.setattr("shenka_cli.core.parallel.workers", lambda: 2)
    assert opened() == here


SQL_RANKED = [["喀什"], ["醫院"], ["援疆", "医院"], ["喀什", "--sector", "livelihood"], ["深圳市", "--from", "2020"]]


def test_search_ranks_alike_in_sql_from_region_starts_and_in_python_without_them(run):
    """Simple terms are ranked in SQL from each fact's region starts; a fact without them (a value too long for
    them) is ranked in Python: either way, what the facts read directly give."""
    argv = [["search", *words, "--limit", "0", "--format", "csv"] for words in SQL_RANKED]
    expected = [run(*args, env={"SHENKA_CACHE": "0"}).stdout for args in argv]
    assert all(text.count("\n") > 2 for text in expected)
    assert [run(*args).stdout for args in argv] == expected
    (database,) = cache_files()
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE fact_search SET regions = NULL WHERE rowid % 3 = 0")
    assert [run(*args).stdout for args in argv] == expected


def test_facts_ranked_in_python_are_found_through_their_index(facts):
    """A query ranked in SQL first scores the few facts without region starts in Python: they are found through a
    partial index, not by a pass over every search text."""
    from shenka_cli.cli.context import open_facts

    catalogue = open_facts([facts])
    assert isinstance(catalogue, store.Snapshot)
    statements: list[str] = []
    catalogue.connection.set_trace_callback(statements.append)
    found = catalogue.search(Filters(), ["喀什"], 0)
    assert found.total > 2
    (unpacked,) = [sql for sql in statements if "regions IS NULL" in sql and sql.startswith("SELECT")]
    plan = " ".join(str(row) for row in catalogue.connection.execute("EXPLAIN QUERY PLAN " + unpacked))
    assert "fact_search_unpacked" in plan


# A term's characters in every region of a fact, after text whose characters take one to four bytes in UTF-8, so
# that a region starts at another byte than character: 㑮 is 𫝈 in simplified characters (three bytes, then four).
NEEDLES = "é喀什𝄞㑮Ω"
FILL = "ü中𠀀a ·"


def _bytes_fact(fact_id: str, title: str, title_en: str, **more) -> dict:
    source = {"id": "test-source", "section": "导语"}
    return {"id": fact_id, "sector": "overview", "title": title, "title_en": title_en, "summary": "概述。",
            "summary_en": "A summary.", "date": "2024", "source": source, **more}  # fmt: skip


BYTES_FACTS = [
    _bytes_fact("in-title", f"{FILL}{NEEDLES}", "In the title"),
    _bytes_fact("in-place", f"标题{FILL}", "In a place", places=[f"ü{NEEDLES}"]),  # an alias of zhong-place
    _bytes_fact("in-named-entity", "中𠀀地的项目", "An entity the title names", places=["中𠀀地"]),
    _bytes_fact("in-listed-entity", f"标题{FILL}", "An entity listed", organisations=["中𠀀机构"]),
    _bytes_fact(
        "in-stat-label",
        f"标题{FILL}",
        "In a statistic's label",
        stat=[{"label": f"{FILL}{NEEDLES}", "label_en": "Beds", "text": "500人", "value": 500, "unit": "人"}],
    ),
    _bytes_fact("in-summary", f"标题{FILL}", "In the summary", summary=FILL * 40 + NEEDLES),
    _bytes_fact("heavier-later", "中𠀀地工作", "Heavier later", places=[f"ü{NEEDLES}"], summary=NEEDLES),
    _bytes_fact("mixed", f"ASCII and 中文 {FILL}", "Mixed ASCII and CJK", summary=f"Text 中文 mixed {NEEDLES} end"),
    # Its title takes 2,400 bytes (600 characters): its region starts do not fit, it is ranked in Python.
    _bytes_fact("too-long-in-bytes", "𠀀" * 600 + "标题", "Too long in bytes", summary=FILL + NEEDLES),
]
BYTES_ENTITIES = f"""
[[place]]
id = "zhong-place"
name = "中𠀀地"
name_en = "Zhong Place"
aliases = ["ü{NEEDLES}"]
kind = "city"

[[organisation]]
id = "zhong-body"
name = "中𠀀机构"
name_en = "Zhong Body"
aliases = ["𠀀{NEEDLES}"]
kind = "company"
"""
BYTES_QUERIES = [["é"], ["喀什"], ["𝄞"], ["㑮"], ["𫝈"], ["Ω"], ["什𝄞㑮"], ["𝄞𫝈ω"], ["喀什", "𝄞"], ["ω", "é"], ["in"]]


def test_search_ranks_alike_whatever_the_bytes_of_the_characters_before_a_match(run, facts):
    """Region starts count bytes: a term of characters of any length in UTF-8, in any region, after characters of
    any length, ranks and shows as the facts read directly give; a fact whose starts do not fit is ranked in
    Python."""
    import csv
    import io

    from .tomlwrite import facts_document

    (facts / "bytes.toml").write_text(facts_document(BYTES_FACTS), encoding="utf-8")
    with (facts / "gazetteer.toml").open("a", encoding="utf-8") as gazetteer:
        gazetteer.write(BYTES_ENTITIES)
    argv = [
        ["--facts", str(facts), "--lang", "en", "search", *words, "--limit", "0", "--format", format]
        for words in BYTES_QUERIES
        for format in ("csv", "json")
    ]
    expected = [run(*args, env={"SHENKA_CACHE": "0"}) for args in argv]
    assert all(result.exit_code == 0 for result in expected), [result.stderr for result in expected]

    listed = expected[2 * BYTES_QUERIES.index(["𝄞"])]  # its CSV
    fields = {row["id"]: row["field"] for row in csv.DictReader(io.StringIO(listed.stdout))}
    assert list(fields.items()) == [
        ("in-title", "title (original)"),
        ("in-named-entity", "names in the title"),
        ("heavier-later", "names in the title"),
        ("in-place", "places"),
        ("in-listed-entity", "names"),
        ("in-stat-label", "statistic (original)"),
        ("in-summary", "summary (original)"),
        ("mixed", "summary (original)"),
        ("too-long-in-bytes", "summary (original)"),
    ]
    assert [run(*args).stdout for args in argv] == [result.stdout for result in expected]
    (database,) = cache_files()
    with sqlite3.connect(database) as connection:
        unpacked = connection.execute(
            "SELECT facts.id FROM facts JOIN fact_search f ON f.rowid = facts.rowid WHERE f.regions IS NULL"
        ).fetchall()
    assert unpacked == [("too-long-in-bytes",)]


# Under pytest the KeyboardInterrupt SQLite swallows reaches sys.unraisablehook, which pytest reports as a warning
# (a run of shenka in a terminal, interrupted in the same function, writes nothing to standard error).
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_ctrl_c_in_an_sql_function_stops_the_run_and_keeps_the_cache(run, monkeypatch):
    """SQLite reports a KeyboardInterrupt raised in one of shenka's SQL functions (here the one an English word is
    ranked with) as an error of the statement: the run must end as interrupted (130), not take the cache for
    damaged, remove it and start again."""
    import signal

    from shenka_cli.core.store import spelled, sql

    assert run("timeline").exit_code == 0
    (database,) = cache_files()
    monkeypatch.setattr(sql, "INTERRUPTED", [])
    calls: list[int] = []
    bounded = spelled.Scores.bounded

    def interrupted(self, text, index):
        calls.append(1)
        if len(calls) == 1:
            os.kill(os.getpid(), signal.SIGINT)  # handled at the function's next instruction, as Ctrl-C is
        return bounded(self, text, index)

    monkeypatch.setattr(spelled.Scores, "bounded", interrupted)
    previous = signal.signal(signal.SIGINT, sql.note_interrupt)
    try:
        result = run("search", "Kashgar")
    finally:
        signal.signal(signal.SIGINT, previous)
    assert calls
    assert result.exit_code == 130
    assert "damaged" not in result.stderr
    assert cache_files() == [database]


def test_ctrl_c_before_a_command_runs_ends_quietly_as_interrupted():
    code = (
        "import shenka_cli.cli as cli\n"
        "def interrupted():\n"
        "    raise KeyboardInterrupt\n"
        "cli._main = interrupted\n"
        "cli.main()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stderr) == (130, "")


def test_ctrl_c_during_a_build_on_every_core_ends_quietly(tmp_path):
    """Ctrl-C reaches the whole process group: the workers leave it to the run, which stops them and ends as
    interrupted, with no traceback from any of them and no half-written database left."""
    import signal
    import time

    started = tmp_path / "started"
    code = f"""
import sys, time
from pathlib import Path
from shenka_cli.core import parallel
from shenka_cli.core.store import pipeline, rows
pipeline.PARALLEL_BYTES = 0
pipeline.BATCH_BYTES = 1
parallel.workers = lambda: 2
make = rows.fact_rows
def slow(*args):
    Path({str(started)!r}).touch()
    time.sleep(0.2)
    return make(*args)
rows.fact_rows = slow
sys.argv = ["shenka", "--facts", {str(VALID)!r}, "timeline"]
import shenka_cli.cli as cli
cli.main()
"""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    process = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True
    )
    deadline = time.monotonic() + 60
    while not started.exists() and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert (process.returncode, stderr.decode()) == (130, "")
    assert not list((tmp_path / "cache").rglob("*.sqlite3"))
