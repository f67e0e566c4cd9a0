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
    """The test facts and six more files of facts (seven files of facts, three of tables)."""
    target = tmp_path / "facts"
    shutil.copytree(VALID, target)
    original = (VALID / "facts.toml").read_text(encoding="utf-8")
    for number in range(6):
        text = re.sub(r'^id = "', f'id = "copy{number}-', original, flags=re.MULTILINE)
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


def test_workers_read_back_what_did_not_change(facts, monkeypatch):
    from shenka_cli.core.store import pipeline

    monkeypatch.setattr(pipeline, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(pipeline, "BATCH_BYTES", 3000)
    monkeypatch.setattr("shenka_cli.core.store.rows.workers", lambda: 2)
    snapshot_of(facts)
    edit(facts)
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
