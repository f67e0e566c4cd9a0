"""A long search listing made on every core (core/store/fanout.py): the same hits in the same order as one process
makes them, whatever the children do, and no child left behind."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from shenka_cli.core.query import Filters
from shenka_cli.core.store import fanout, queries

from .test_bench import bench_module

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="children are forked")


@pytest.fixture
def forked(monkeypatch) -> list[int]:
    """The pids of the children fanout forks."""
    pids: list[int] = []
    fork = fanout._fork

    def recorded(*arguments):
        child = fork(*arguments)
        if child is not None:
            pids.append(child[0])
        return child

    monkeypatch.setattr(fanout, "_fork", recorded)
    return pids


def reaped(pids: list[int]) -> bool:
    """Whether every one of these children has ended and been waited for."""
    for pid in pids:
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            continue
        return False
    return True


def chunk_of(chunk: int) -> fanout.Chunk:
    return [(chunk, item, f"{chunk}-{item}", None, True) for item in range(chunk % 4)]


def made_here() -> tuple[list[int], Callable[[int], fanout.Chunk]]:
    """A fallback that makes each chunk as chunk_of does, and the list of the chunks it made."""
    here: list[int] = []

    def fallback(chunk: int) -> fanout.Chunk:
        here.append(chunk)
        return chunk_of(chunk)

    return here, fallback


def made_by(failing: Callable[[int, int], None]) -> Callable[[range], Callable[[int], fanout.Chunk]]:
    """A child's start(): each chunk as chunk_of makes it, after failing(child, chunk) has had its say (the child
    named by its first chunk; chunk -1 when it starts)."""

    def start(mine: range) -> Callable[[int], fanout.Chunk]:
        failing(mine.start, -1)

        def make(chunk: int) -> fanout.Chunk:
            failing(mine.start, chunk)
            return chunk_of(chunk)

        return make

    return start


def never(child: int, chunk: int) -> None:
    pass


def test_chunks_come_back_in_order_from_every_child(forked):
    here, fallback = made_here()
    made = list(fanout.ordered(11, made_by(never), fallback, 3))
    assert made == [chunk_of(chunk) for chunk in range(11)]
    assert here == [0] and len(forked) == 3 and reaped(forked)  # the first while the children start


def raise_at_start(child: int, chunk: int) -> None:
    if child == 2 and chunk == -1:  # the second child, whose chunks are 2, 5, 8
        raise RuntimeError("no snapshot")


def raise_at_chunk_7(child: int, chunk: int) -> None:
    if chunk == 7:
        raise sqlite3.DatabaseError("damaged")


def leave_at_chunk_4(child: int, chunk: int) -> None:
    if chunk == 4:
        os._exit(3)


@pytest.mark.parametrize(
    ("failing", "first_here"), [(raise_at_start, 2), (raise_at_chunk_7, 7), (leave_at_chunk_4, 4)], ids=lambda x: ""
)
def test_from_the_first_chunk_a_child_cannot_make_this_process_makes_the_rest(forked, failing, first_here):
    here, fallback = made_here()
    made = list(fanout.ordered(11, made_by(failing), fallback, 3))
    assert made == [chunk_of(chunk) for chunk in range(11)]
    assert here == [0, *range(first_here, 11)]
    assert reaped(forked)


def test_no_more_children_than_chunks_to_make(forked):
    here, fallback = made_here()
    assert list(fanout.ordered(3, made_by(never), fallback, 8)) == [chunk_of(chunk) for chunk in range(3)]
    assert here == [0] and len(forked) == 2 and reaped(forked)
    assert list(fanout.ordered(1, made_by(never), fallback, 8)) == [chunk_of(0)]
    assert here == [0, 0] and len(forked) == 2


def test_a_listing_left_unread_ends_its_children(forked):
    listing = fanout.ordered(50, made_by(never), chunk_of, 2)
    assert next(listing) == chunk_of(0)
    assert next(listing) == chunk_of(1)
    listing.close()  # as a closed pipe leaves it
    assert len(forked) == 2 and reaped(forked)


def test_without_every_child_this_process_makes_every_chunk(forked, monkeypatch):
    """Each child's chunks are fixed when it starts: should one of them not fork, none of them serve."""
    fork = fanout._fork
    calls: list[int] = []

    def second_fails(*arguments):
        calls.append(1)
        return None if len(calls) == 2 else fork(*arguments)

    monkeypatch.setattr(fanout, "_fork", second_fails)
    here, fallback = made_here()
    assert list(fanout.ordered(9, made_by(never), fallback, 2)) == [chunk_of(chunk) for chunk in range(9)]
    assert here == list(range(9)) and reaped(forked)


@pytest.fixture
def base(tmp_path: Path, monkeypatch) -> Path:
    facts = tmp_path / "facts"
    bench_module("generate").generate(400, facts, seed=11, per_file=40)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return facts


QUERIES = [["喀什"], ["深圳", "医院"], ["kashi"], ["hospitals"], ["shenzhen", "喀什"], ["shi"], ["2024"]]


@pytest.mark.parametrize("terms", QUERIES, ids=" ".join)
def test_a_listing_on_every_core_is_the_listing_of_one_process(base, monkeypatch, forked, terms):
    from shenka_cli.cli.context import open_facts
    from shenka_cli.core.store import Snapshot

    snapshot = open_facts([base])
    assert isinstance(snapshot, Snapshot)
    alone = {limit: list(snapshot.search(Filters(), terms, limit).listed()) for limit in (0, 7)}
    assert not forked and len(alone[0]) > 20
    monkeypatch.setattr(queries, "EVERY_CORE_HITS", 1)
    monkeypatch.setattr(queries, "CHUNK_HITS", 3)
    monkeypatch.setattr(fanout, "processes", lambda: 2)
    for limit in (0, 7):
        assert list(snapshot.search(Filters(), terms, limit).listed()) == alone[limit]
    assert len(forked) == 4 and reaped(forked)


def test_children_that_find_another_snapshot_leave_the_listing_to_this_process(base, monkeypatch, forked):
    from shenka_cli.cli.context import open_facts
    from shenka_cli.core.store import Snapshot, snapshot

    facts = open_facts([base])
    assert isinstance(facts, Snapshot)
    alone = list(facts.search(Filters(), ["喀什"], 0).listed())
    monkeypatch.setattr(queries, "EVERY_CORE_HITS", 1)
    monkeypatch.setattr(queries, "CHUNK_HITS", 5)
    monkeypatch.setattr(fanout, "processes", lambda: 2)

    def rebuilt(self: Snapshot) -> tuple[bytes, bytes]:
        return (b"other files", b"")

    monkeypatch.setattr(snapshot.Snapshot, "identity", rebuilt)
    with pytest.raises(snapshot.Unusable):
        facts.reopened((b"", b""))
    assert list(facts.search(Filters(), ["喀什"], 0).listed()) == alone
    assert forked and reaped(forked)


def test_a_damaged_hit_made_by_a_child_is_reported_as_one_process_reports_it(base, run, monkeypatch, forked):
    expected = run("--facts", str(base), "search", "喀什", "--limit", "0", "--format", "csv").stdout
    ranked = json.loads(run("--facts", str(base), "search", "喀什", "--limit", "0", "--format", "json").stdout)
    monkeypatch.setattr(queries, "EVERY_CORE_HITS", 1)
    monkeypatch.setattr(queries, "CHUNK_HITS", 4)
    monkeypatch.setattr(fanout, "processes", lambda: 2)
    (database,) = (Path(os.environ["XDG_CACHE_HOME"]) / "shenka").glob("*.sqlite3")
    with sqlite3.connect(database) as connection:  # the sixth hit: in the second chunk, a child's
        connection.execute(
            "UPDATE fact_texts SET texts = substr(texts, 1, 40) || x'41' "
            "WHERE rowid = (SELECT rowid FROM facts WHERE id = ?)",
            (ranked[5]["id"],),
        )
    result = run("--facts", str(base), "search", "喀什", "--limit", "0", "--format", "csv")
    assert (result.exit_code, result.stdout) == (0, expected)
    assert result.stderr.count("\n") == 1 and "damaged" in result.stderr
    assert forked and reaped(forked)


@pytest.mark.parametrize("terms", QUERIES, ids=" ".join)
def test_scores_made_on_every_core_rank_the_hits_as_one_process_does(base, monkeypatch, forked, terms):
    from shenka_cli.cli.context import open_facts
    from shenka_cli.core.store import Snapshot

    snapshot = open_facts([base])
    assert isinstance(snapshot, Snapshot)

    def ranked() -> tuple[int, list, list[bytes]]:
        found = snapshot.search(Filters(), terms, 0)
        return found.total, list(found.listed()), list(found.records())

    alone = ranked()
    assert not forked and alone[0] > 20
    monkeypatch.setattr(queries, "EVERY_CORE_FACTS", 1)
    for cores in (2, 3):
        monkeypatch.setattr(fanout, "processes", lambda cores=cores: cores)
        assert ranked() == alone
    if terms in (["kashi"], ["喀什"]):  # read in every fact: no text index narrows a pinyin or two-character term down
        assert len(forked) == 1 + 2
    assert reaped(forked)


def kashi_alone_then_on_cores(base: Path, monkeypatch, cores: int) -> tuple[Any, list]:
    """The snapshot of `base` and its listing of a pinyin term read in every fact, made in this process; from then
    on, such a term is scored on `cores` cores."""
    from shenka_cli.cli.context import open_facts
    from shenka_cli.core.store import Snapshot

    facts = open_facts([base])
    assert isinstance(facts, Snapshot)
    alone = list(facts.search(Filters(), ["kashi"], 0).listed())
    monkeypatch.setattr(queries, "EVERY_CORE_FACTS", 1)
    monkeypatch.setattr(fanout, "processes", lambda: cores)
    return facts, alone


def test_spans_a_child_cannot_score_are_scored_here(base, monkeypatch, forked):
    from shenka_cli.core.store import Snapshot, snapshot

    facts, alone = kashi_alone_then_on_cores(base, monkeypatch, 3)

    def rebuilt(self: Snapshot, identity: tuple[bytes, bytes]) -> Snapshot:
        raise snapshot.Unusable("the fact cache was rebuilt meanwhile")

    monkeypatch.setattr(snapshot.Snapshot, "reopened", rebuilt)
    assert list(facts.search(Filters(), ["kashi"], 0).listed()) == alone
    assert forked and reaped(forked)


def test_the_scores_children_hand_over_in_files_leave_no_file_behind(base, monkeypatch, forked, tmp_path):
    import tempfile

    facts, alone = kashi_alone_then_on_cores(base, monkeypatch, 3)
    temporary = tmp_path / "temporary"
    temporary.mkdir()
    made: list[str] = []
    make_folder = tempfile.mkdtemp

    def recorded(*arguments, **options):
        made.append(make_folder(*arguments, **options, dir=temporary))
        return made[-1]

    monkeypatch.setattr(tempfile, "mkdtemp", recorded)
    assert list(facts.search(Filters(), ["kashi"], 0).listed()) == alone
    assert len(made) == 1 and list(temporary.iterdir()) == []
    assert len(forked) == 2 and reaped(forked)


def test_without_a_temporary_folder_every_span_is_scored_here(base, monkeypatch, forked):
    import tempfile

    facts, alone = kashi_alone_then_on_cores(base, monkeypatch, 3)

    def full(*arguments, **options):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tempfile, "mkdtemp", full)
    assert list(facts.search(Filters(), ["kashi"], 0).listed()) == alone
    assert forked == []


def test_a_span_whose_file_cannot_be_read_is_scored_here(base, monkeypatch, forked):
    from shenka_cli.core.store import snapshot

    facts, alone = kashi_alone_then_on_cores(base, monkeypatch, 3)
    spoiled: list[Path] = []
    real_uri = snapshot.uri

    def spoiling(database: Path, mode: str) -> str:
        if database.parent.name.startswith("shenka-scores-") and mode == "ro":
            database.write_bytes(b"not a database " * 512)  # a child's file, damaged before this process reads it
            spoiled.append(database)
        return real_uri(database, mode)

    monkeypatch.setattr(snapshot, "uri", spoiling)
    assert list(facts.search(Filters(), ["kashi"], 0).listed()) == alone
    assert len(spoiled) == 2 and not any(path.exists() for path in spoiled)
    assert reaped(forked)
