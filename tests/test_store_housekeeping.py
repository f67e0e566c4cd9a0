"""The cache directory does not grow without end: a build removes the caches of fact directories that are gone and
the files of builds that were killed, and leaves everything else alone."""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from pathlib import Path

from shenka_cli.core import store
from shenka_cli.core.store.housekeeping import STALE_BUILD_SECONDS

from .conftest import VALID


def copy_of_facts(tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    shutil.copytree(VALID, target)
    return target


def cache_names() -> set[str]:
    return {path.name for path in store.cache_dir().iterdir()}


def test_a_build_removes_the_cache_of_a_directory_that_is_gone_and_keeps_the_others(run, tmp_path):
    gone, kept, new = (copy_of_facts(tmp_path, name) for name in ("gone", "kept", "new"))
    for facts in (gone, kept):
        assert run("--facts", str(facts), "timeline").exit_code == 0
    gone_cache, kept_cache = (store.database_path([facts]).name for facts in (gone, kept))
    assert {gone_cache, kept_cache} <= cache_names()
    shutil.rmtree(gone)

    warm = run("--facts", str(kept), "timeline")  # a warm run builds nothing, so removes nothing
    assert warm.exit_code == 0 and gone_cache in cache_names()

    assert run("--facts", str(new), "timeline").exit_code == 0  # a build does
    names = cache_names()
    assert gone_cache not in names
    assert {kept_cache, store.database_path([new]).name} <= names
    assert run("--facts", str(kept), "timeline").stderr == ""  # still warm: no rebuild, no warning


def test_a_cache_for_several_directories_stays_while_any_of_them_exists(run, tmp_path):
    first, second, new = (copy_of_facts(tmp_path, name) for name in ("first", "second", "new"))
    (first / "facts.toml").unlink()  # the tables in one directory, the facts in the other
    for table in ("gazetteer", "sectors", "sources"):
        (second / f"{table}.toml").unlink()
    assert run("--facts", str(first), "--facts", str(second), "timeline").exit_code == 0
    both = store.database_path([first, second]).name
    shutil.rmtree(first)
    assert run("--facts", str(new), "timeline").exit_code == 0
    assert both in cache_names()


def test_files_that_are_not_shenkas_caches_are_left_alone(run, tmp_path):
    directory = store.cache_dir()
    directory.mkdir(parents=True)
    (directory / "facts-0000000000000001.sqlite3").write_bytes(b"not a database at all")
    foreign = directory / "facts-0000000000000002.sqlite3"
    with sqlite3.connect(foreign) as connection:  # a database of someone else's, recording the same key
        connection.execute("CREATE TABLE meta (key TEXT, value TEXT)")
        connection.execute("INSERT INTO meta VALUES ('roots', ?)", ('["/no/such/directory"]',))
    connection.close()
    (directory / "notes.sqlite3").write_bytes(b"")
    (directory / "keep.txt").write_text("mine")

    assert run("--facts", str(copy_of_facts(tmp_path, "facts")), "timeline").exit_code == 0
    assert {foreign.name, "facts-0000000000000001.sqlite3", "notes.sqlite3", "keep.txt"} <= cache_names()


def test_a_killed_build_is_removed_after_a_day_and_a_running_one_is_not(run, tmp_path):
    directory = store.cache_dir()
    directory.mkdir(parents=True)
    killed, running = directory / ".build-killed.sqlite3", directory / ".build-running.sqlite3"
    killed.write_bytes(b"half a database")
    running.write_bytes(b"being written")
    day_ago = time.time() - STALE_BUILD_SECONDS - 60
    os.utime(killed, (day_ago, day_ago))

    assert run("--facts", str(copy_of_facts(tmp_path, "facts")), "timeline").exit_code == 0
    names = cache_names()
    assert killed.name not in names and running.name in names


def test_a_cache_whose_roots_are_unreadable_is_kept(run, tmp_path):
    gone = copy_of_facts(tmp_path, "gone")
    assert run("--facts", str(gone), "timeline").exit_code == 0
    database = store.database_path([gone])
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE meta SET value = 'not JSON' WHERE key = 'roots'")
    connection.close()
    shutil.rmtree(gone)
    assert run("--facts", str(copy_of_facts(tmp_path, "new")), "timeline").exit_code == 0
    assert database.name in cache_names()
