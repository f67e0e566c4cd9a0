"""A rebuild after an edit: the files that did not change are read back from the snapshot it replaces (by the
workers, each on its own connection), the others parsed; the result is what a build from nothing gives, whatever
state the old snapshot is in."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from shenka_cli.core import store
from shenka_cli.core.query import Filters

from .conftest import VALID


@pytest.fixture
def facts(tmp_path: Path) -> Path:
    """The test facts and six more files of facts (seven files of facts, three of tables), each copy's summaries
    with words and characters of its own (for the indexes of words and pinyin pairs)."""
    target = tmp_path / "facts"
    shutil.copytree(VALID, target)
    original = (VALID / "facts.toml").read_text(encoding="utf-8")
    words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot"]
    characters = ["甲乙", "丙丁", "戊己", "庚辛", "壬癸", "子丑"]
    for number in range(6):
        text = re.sub(r'^id = "', f'id = "copy{number}-', original, flags=re.MULTILINE)
        text = re.sub(r'^summary_en = "', f'summary_en = "{words[number]} ', text, flags=re.MULTILINE)
        text = re.sub(r'^summary = "', f'summary = "{characters[number]}', text, flags=re.MULTILINE)
        (target / f"copy-{number}.toml").write_text(text, encoding="utf-8")
    return target


@pytest.fixture
def parsed(monkeypatch) -> list[str]:
    """The paths of the files parsed (loader.read_file_content) in this process."""
    from shenka_cli.core import loader

    paths: list[str] = []
    read = loader.read_file_content

    def counted(data: bytes, path: str):
        paths.append(Path(path).name)
        return read(data, path)

    monkeypatch.setattr(loader, "read_file_content", counted)
    return paths


def snapshot_of(facts: Path) -> list[object]:
    """What the catalogue gives of everything: facts, records, the timeline's cells, a search's listing."""
    from shenka_cli.cli.context import open_facts

    catalogue = open_facts([facts])
    assert isinstance(catalogue, store.Snapshot)
    timeline = catalogue.timeline(Filters(), True)
    return [
        catalogue.select(Filters()),
        [bytes(record) for record in timeline.records()],
        [bytes(cells) for cells in timeline.cells()],
        list(catalogue.search(Filters(), ["喀什"], 0).listed()),
        list(catalogue.search(Filters(), ["kashi"], 0).listed()),
        list(catalogue.search(Filters(), ["hospital"], 0).listed()),
    ]


def from_nothing(facts: Path) -> list[object]:
    for database in sorted(store.cache_dir().glob("facts-*.sqlite3")):
        database.unlink()
    return snapshot_of(facts)


def edit(facts: Path) -> None:
    target = facts / "copy-3.toml"
    text = target.read_text(encoding="utf-8")
    target.write_text(
        text.replace("华大南疆精准医学实验室投入使用", "华大南疆精准医学实验室正式启用"), encoding="utf-8"
    )


def test_a_rebuild_parses_only_what_changed(facts, parsed):
    snapshot_of(facts)
    assert {name for name in parsed if name.startswith("copy")} == {f"copy-{number}.toml" for number in range(6)}
    parsed.clear()
    edit(facts)
    rebuilt = snapshot_of(facts)
    assert [name for name in parsed if name.endswith("facts.toml") or name.startswith("copy")] == ["copy-3.toml"]
    assert any(fact.title == "华大南疆精准医学实验室正式启用" for fact in rebuilt[0])
    assert rebuilt == from_nothing(facts)


@pytest.fixture
def two_workers(monkeypatch) -> None:
    """Every build on two forked workers, a batch of a file or two each."""
    from shenka_cli.core.store import pipeline

    monkeypatch.setattr(pipeline, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(pipeline, "BATCH_BYTES", 3000)
    monkeypatch.setattr("shenka_cli.core.parallel.workers", lambda: 2)


def edit_a_table(facts: Path) -> None:
    sectors = facts / "sectors.toml"
    sectors.write_text(sectors.read_text(encoding="utf-8").replace('"Livelihood"', '"Livelihoods"'), encoding="utf-8")


def test_workers_read_back_the_facts_of_what_did_not_change(facts, two_workers):
    """A table edited: the facts of the files that did not change are read back (not parsed) and checked again."""
    snapshot_of(facts)
    edit(facts)
    edit_a_table(facts)
    assert snapshot_of(facts) == from_nothing(facts)


def damage_one_fact_row(database: Path) -> None:
    with sqlite3.connect(database) as connection:
        connection.execute(
            "UPDATE fact_models SET model = substr(model, 1, 30) || x'41' "
            "WHERE rowid = (SELECT f.rowid FROM facts f JOIN files ON files.idx = f.file "
            "WHERE files.path LIKE '%copy-1.toml' LIMIT 1)"
        )


def replace_with_another_snapshot(database: Path) -> None:
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE listing SET stamp = x'00'")


@pytest.mark.parametrize("spoil", [damage_one_fact_row, replace_with_another_snapshot], ids=["damaged", "replaced"])
def test_what_cannot_be_read_back_is_parsed_again(facts, parsed, monkeypatch, spoil):
    from shenka_cli.core.store import Snapshot

    snapshot_of(facts)
    (database,) = sorted(store.cache_dir().glob("facts-*.sqlite3"))
    identity = Snapshot.identity
    if spoil is replace_with_another_snapshot:  # the database holds another snapshot once the rebuild has begun
        calls: list[int] = []

        def changed(self: Snapshot) -> tuple[bytes, bytes]:
            calls.append(1)
            if len(calls) > 1:
                spoil(database)
            return identity(self)

        monkeypatch.setattr(Snapshot, "identity", changed)
    else:
        spoil(database)
    edit(facts)
    parsed.clear()
    rebuilt = snapshot_of(facts)
    monkeypatch.setattr(Snapshot, "identity", identity)
    expected = {"copy-1.toml", "copy-3.toml"} if spoil is damage_one_fact_row else {f"copy-{n}.toml" for n in range(6)}
    assert {name for name in parsed if name.startswith("copy")} == expected
    assert rebuilt == from_nothing(facts)


@pytest.fixture
def made(monkeypatch) -> list[str]:
    """The ids of the facts whose rows were made from the fact (rows.fact_rows) in this process."""
    from shenka_cli.core.store import rows

    ids: list[str] = []
    make = rows.fact_rows

    def counted(batch, fact, *rest):
        ids.append(fact.id)
        return make(batch, fact, *rest)

    monkeypatch.setattr(rows, "fact_rows", counted)
    return ids


def tables_of(database: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table of a snapshot but its stamps, and each text index's terms with the number of facts holding them."""
    found: dict[str, list[tuple[object, ...]]] = {}
    with sqlite3.connect(database) as connection:
        names = connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'"
        )
        for (name,) in names.fetchall():
            if name.startswith("facts_fts") or name.startswith("facts_pinyin") or name == "listing":
                continue
            where = " WHERE key != 'built_ns'" if name == "meta" else ""
            found[name] = connection.execute(f"SELECT * FROM {name}{where} ORDER BY 1").fetchall()
        for index in ("facts_fts", "facts_pinyin"):
            connection.execute(f"CREATE VIRTUAL TABLE temp.{index}_terms USING fts5vocab(main, {index}, 'row')")
            found[index] = connection.execute(f"SELECT term, doc FROM temp.{index}_terms ORDER BY term").fetchall()
    found["files"] = [row[:1] + row[2:3] + row[6:] for row in found["files"]]  # not the files' times and inodes
    return found


def database() -> Path:
    (found,) = sorted(store.cache_dir().glob("facts-*.sqlite3"))
    return found


def fact_ids(path: Path) -> list[str]:
    return re.findall(r'^id = "([^"]+)"', path.read_text(encoding="utf-8"), flags=re.MULTILINE)


def test_a_rebuild_copies_the_rows_of_the_files_that_did_not_change(facts, made):
    snapshot_of(facts)
    made.clear()
    edit(facts)
    rebuilt, tables = snapshot_of(facts), tables_of(database())
    assert made == fact_ids(facts / "copy-3.toml")
    assert rebuilt == from_nothing(facts)
    assert tables == tables_of(database())


def test_workers_copy_the_rows_of_what_did_not_change(facts, two_workers):
    snapshot_of(facts)
    edit(facts)
    (facts / "copy-1.toml").unlink()  # the files after it are renumbered, and so are their facts and statistics
    rebuilt, tables = snapshot_of(facts), tables_of(database())
    assert rebuilt == from_nothing(facts)
    assert tables == tables_of(database())


def test_an_edited_table_has_every_fact_made_again(facts, made):
    snapshot_of(facts)
    every = list(made)
    made.clear()
    edit_a_table(facts)
    rebuilt, tables = snapshot_of(facts), tables_of(database())
    assert sorted(made) == sorted(every)
    assert rebuilt == from_nothing(facts)
    assert tables == tables_of(database())


def test_a_snapshot_with_errors_has_its_facts_checked_again(facts, made):
    from shenka_cli.core.errors import InvalidFactBase

    broken = facts / "copy-2.toml"
    original = broken.read_text(encoding="utf-8")
    broken.write_text(original.replace('sector = "', 'sector = "no-such-', 1), encoding="utf-8")
    with pytest.raises(InvalidFactBase):
        snapshot_of(facts)
    made.clear()
    broken.write_text(original, encoding="utf-8")
    rebuilt = snapshot_of(facts)
    assert len(made) == len(rebuilt[0])
    assert rebuilt == from_nothing(facts)


def test_an_edit_that_repeats_a_copied_id_is_reported_as_from_nothing(facts, made):
    from shenka_cli.core.errors import InvalidFactBase

    snapshot_of(facts)
    repeated = fact_ids(facts / "copy-1.toml")[1]
    target = facts / "copy-3.toml"
    first = fact_ids(target)[0]
    target.write_text(target.read_text(encoding="utf-8").replace(f'id = "{first}"', f'id = "{repeated}"'), "utf-8")
    made.clear()
    with pytest.raises(InvalidFactBase) as rebuilt:
        snapshot_of(facts)
    assert made == fact_ids(target)
    with pytest.raises(InvalidFactBase) as fresh:
        from_nothing(facts)
    assert rebuilt.value.problems == fresh.value.problems
    assert any("duplicate fact id, first defined at" in problem.message for problem in rebuilt.value.problems)


@pytest.mark.parametrize(
    "damage",
    [
        "UPDATE fact_records SET record = substr(record, 1, 30) || x'41'",
        "UPDATE fact_rebuild SET markers = substr(markers, 2) || 'x'",
        "UPDATE fact_rebuild SET line = 'three'",
        "UPDATE fact_search SET search = x'00ff'",
    ],
    ids=["record", "markers", "line", "search text"],
)
def test_a_damaged_row_is_made_again_from_the_fact_read_back(facts, made, parsed, damage):
    snapshot_of(facts)
    with sqlite3.connect(database()) as connection:
        connection.execute(
            f"{damage} WHERE rowid = (SELECT f.rowid FROM facts f JOIN files ON files.idx = f.file "
            "JOIN fact_rebuild b ON b.rowid = f.rowid WHERE files.path LIKE '%copy-1.toml' AND b.markers != '' "
            "LIMIT 1)"
        )
    edit(facts)
    made.clear()
    parsed.clear()
    rebuilt = snapshot_of(facts)
    assert sorted(made) == sorted(fact_ids(facts / "copy-1.toml") + fact_ids(facts / "copy-3.toml"))
    assert [name for name in parsed if name.startswith("copy")] == ["copy-3.toml"]  # copy-1's facts read back
    assert rebuilt == from_nothing(facts)
