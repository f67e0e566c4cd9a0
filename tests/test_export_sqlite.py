"""shenka export sqlite: the fact base as a relational database, checked with sqlite3 and served by Datasette."""

from __future__ import annotations

import asyncio
import json
import shutil
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from shenka_cli.core.database import TABLES, datasette_metadata, write_database
from shenka_cli.core.gazetteer import Gazetteer
from shenka_cli.core.loader import load
from shenka_cli.core.model import EntityCategory

from .conftest import BUNDLED, VALID
from .tomlwrite import facts_document

ENTITIES = {"places": "place_id", "organisations": "organisation_id", "people": "person_id"}
CATEGORIES = {
    "places": EntityCategory.PLACE,
    "organisations": EntityCategory.ORGANISATION,
    "people": EntityCategory.PERSON,
}
GAZETTEER = """
[[place]]
id = "xinjiang"
name = "新疆维吾尔自治区"
name_en = "Xinjiang Uygur Autonomous Region"
aliases = ["新疆"]
kind = "region"

[[place]]
id = "kashgar"
name = "喀什地区"
name_en = "Kashgar Prefecture"
aliases = ["喀什"]
kind = "prefecture"
within = "xinjiang"

[[organisation]]
id = "pcl"
name = "鹏城实验室"
name_en = "Peng Cheng Laboratory"
aliases = ["PCL"]
based_in = "kashgar"
"""


@pytest.fixture(scope="module")
def base():
    return load([BUNDLED]).base


@pytest.fixture(scope="module")
def database(base, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("export") / "facts.db"
    write_database(base, path)
    return path


@pytest.fixture
def db(database):
    connection = sqlite3.connect(database)
    yield connection
    connection.close()


def one(db, sql: str, *parameters):
    return db.execute(sql, parameters).fetchone()[0]


def test_counts_match_the_fact_base(db, base):
    assert one(db, "SELECT COUNT(*) FROM facts") == len(base.facts)
    assert one(db, "SELECT COUNT(*) FROM statistics") == len(base.stats)
    assert one(db, "SELECT COUNT(*) FROM sectors") == len(base.sectors)
    assert one(db, "SELECT COUNT(*) FROM sources") == len(base.sources)
    assert one(db, "SELECT COUNT(*) FROM fact_sources") == sum(len(fact.sources) for fact in base.facts)
    gazetteer = Gazetteer(base.entities)
    for field, category in CATEGORIES.items():
        keys = [
            [entity if isinstance(entity, str) else entity.id for entity in gazetteer.fact_entities(fact, category)]
            for fact in base.facts
        ]
        known = {entity.id for entity in gazetteer.of(category)}
        assert one(db, f"SELECT COUNT(*) FROM {field}") == len(known | {key for fact in keys for key in fact})
        assert one(db, f"SELECT COUNT(*) FROM fact_{field}") == sum(len(set(fact)) for fact in keys)


def test_keys_indexes_and_integrity(db):
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    references = {
        (table, row[3], row[2])  # (table, from column, referenced table)
        for table in ("facts", "statistics", "fact_places", "fact_organisations", "fact_people", "fact_sources")
        for row in db.execute(f"PRAGMA foreign_key_list({table})")
    }
    assert {
        ("facts", "sector_id", "sectors"),
        ("statistics", "fact_id", "facts"),
        ("fact_sources", "source_id", "sources"),
        ("fact_sources", "fact_id", "facts"),
        *((f"fact_{table}", column, table) for table, column in ENTITIES.items()),
        *((f"fact_{table}", "fact_id", "facts") for table in ENTITIES),
    } <= references
    primary = {row[1] for row in db.execute("PRAGMA table_info(facts)") if row[5]}
    assert primary == {"id"}
    indexed = {row[0] for row in db.execute("SELECT tbl_name FROM sqlite_master WHERE type = 'index'")}
    assert {"facts", "statistics", "fact_places", "fact_sources"} <= indexed
    assert one(db, "PRAGMA user_version") == 1


def test_facts_keep_their_text_and_dates(db, base):
    for fact in base.facts:
        row = db.execute(
            "SELECT sector_id, title, title_en, summary_en, date, date_precision, period_start, period_end,"
            " first_day, last_day, date_inferred, tags FROM facts WHERE id = ?",
            (fact.id,),
        ).fetchone()
        sector, title, title_en, summary_en, date, precision, start, end, first, last, inferred, tags = row
        assert (sector, title, title_en, summary_en) == (fact.sector, fact.title, fact.title_en, fact.summary_en)
        assert date == (fact.date.iso if fact.date else None)
        assert precision == (fact.date.precision.value if fact.date else None)
        assert (start, end) == ((fact.period.start.iso, fact.period.end.iso) if fact.period else (None, None))
        if fact.when is None:
            assert first is None and last is None
        else:
            assert (first, last) == (fact.when.first_day.isoformat(), fact.when.last_day.isoformat())
        assert inferred == int(bool(fact.when and fact.when.inferred))
        assert json.loads(tags) == list(fact.tags)


def test_a_join_gives_each_statistic_its_fact_and_sector(db, base):
    rows = db.execute(
        "SELECT s.fact_id, s.text, s.value, s.unit, f.title, sec.name_en FROM statistics s"
        " JOIN facts f ON f.id = s.fact_id JOIN sectors sec ON sec.id = f.sector_id ORDER BY s.id"
    ).fetchall()
    expected = []
    for fact in base.facts:
        sector = base.sector(fact.sector)
        for stat in fact.stats:
            value = None if stat.qualifier.value == "range" else stat.value
            expected.append((fact.id, stat.written, value, stat.unit, fact.title, sector.name_en))
    assert rows == expected
    view = db.execute("SELECT fact_id, text, fact_title, sector_name_en FROM statistics_by_fact").fetchall()
    assert sorted(view) == sorted((r[0], r[1], r[4], r[5]) for r in rows)


def test_the_place_join_finds_the_facts_naming_a_place(db, base):
    counts = Counter(name for fact in base.facts for name in set(fact.places))
    place, count = counts.most_common(1)[0]
    ids = {
        row[0]
        for row in db.execute(
            "SELECT fp.fact_id FROM fact_places fp JOIN places p ON p.id = fp.place_id WHERE p.id = ?", (place,)
        )
    }
    assert ids == {fact.id for fact in base.facts if place in fact.places} and len(ids) == count
    name = Gazetteer(base.entities).get(EntityCategory.PLACE, place).name
    assert one(db, "SELECT COUNT(*) FROM fact_names WHERE kind = 'place' AND name = ?", name) == count


def test_the_timeline_view_is_in_date_order(db, base):
    rows = db.execute('SELECT id, "when", first_day FROM timeline').fetchall()
    assert len(rows) == sum(1 for fact in base.facts if fact.when is not None)
    assert [row[2] for row in rows] == sorted(row[2] for row in rows)


@pytest.mark.parametrize("query", ["喀什市", "cataract"])
def test_full_text_index_finds_substrings(db, base, query):
    found = {
        row[0]
        for row in db.execute(
            "SELECT id FROM facts WHERE rowid IN (SELECT rowid FROM facts_fts WHERE facts_fts MATCH ?)",
            (f'"{query}"',),
        )
    }
    expected = {
        fact.id
        for fact in base.facts
        if any(
            query.casefold() in text.casefold() for text in (fact.title, fact.title_en, fact.summary, fact.summary_en)
        )
    }
    assert found == expected and found


def test_metadata_documents_every_table_and_column(db, base):
    metadata = datasette_metadata(base, "facts")
    tables = metadata["databases"]["facts"]["tables"]
    for name, table in tables.items():
        columns = [row[1] for row in db.execute(f"PRAGMA table_info({name})")]
        assert columns, name
        assert set(table["columns"]) <= set(columns), name
        if name in ("facts", "statistics", "sectors", "sources", "places"):
            assert set(table["columns"]) == set(columns), name  # every column of the base tables described
        assert set(table.get("facets", [])) <= set(columns)
    assert set(TABLES) == set(tables)
    assert metadata["license"] and metadata["source"]


def test_gazetteer_entries_and_their_places(tmp_path):
    directory = tmp_path / "facts"
    directory.mkdir()
    for name in ("sectors.toml", "sources.toml"):
        shutil.copy(VALID / name, directory / name)
    (directory / "gazetteer.toml").write_text(GAZETTEER, encoding="utf-8")
    fact = {
        "id": "node",
        "sector": "industry",
        "title": "鹏城实验室喀什网点",
        "title_en": "Peng Cheng Laboratory node",
        "summary": "鹏城实验室在喀什设立网点。",
        "summary_en": "Peng Cheng Laboratory opened a node in Kashgar.",
        "date": "2025-08-09",
        "places": ["喀什"],
        "organisations": ["PCL"],
        "tags": [],
        "source": {"id": "test-source", "section": "导语"},
    }
    standing = {**fact, "id": "standing", "as_of": "2025", "title": "网点运行", "title_en": "The node runs"}
    del standing["date"]
    (directory / "facts.toml").write_text(facts_document([fact, standing]), encoding="utf-8")
    loaded = load([directory])
    assert loaded.errors == [], loaded.errors
    path = tmp_path / "g.db"
    write_database(loaded.base, path)
    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT id, name_en, within, in_gazetteer FROM places ORDER BY id").fetchall()
        assert rows == [
            ("kashgar", "Kashgar Prefecture", "xinjiang", 1),
            ("xinjiang", "Xinjiang Uygur Autonomous Region", None, 1),
        ]
        links = connection.execute("SELECT fact_id, place_id FROM fact_places ORDER BY fact_id").fetchall()
        assert links == [("node", "kashgar"), ("standing", "kashgar")]
        joined = connection.execute(
            "SELECT o.name_en, p.name_en FROM fact_organisations fo JOIN organisations o ON o.id = fo.organisation_id"
            " JOIN places p ON p.id = o.based_in"
        ).fetchall()
        assert joined == [("Peng Cheng Laboratory", "Kashgar Prefecture")] * 2
        assert json.loads(one(connection, "SELECT aliases FROM organisations")) == ["PCL"]
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        facts = connection.execute("SELECT id, standing, as_of, first_day FROM facts ORDER BY id").fetchall()
        assert facts == [("node", 0, None, "2025-08-09"), ("standing", 1, "2025", None)]
        assert connection.execute("SELECT id FROM timeline").fetchall() == [("node",)]  # a standing fact is no event


# --- the command ---------------------------------------------------------------------------------------------


def test_the_command_writes_the_database_and_its_metadata(run, tmp_path, base):
    target = tmp_path / "facts.db"
    result = run("export", "sqlite", str(target))
    assert result.exit_code == 0, result.output
    assert f"datasette {target} -m {tmp_path / 'facts.metadata.json'}" in result.stdout
    metadata = json.loads((tmp_path / "facts.metadata.json").read_text(encoding="utf-8"))
    assert list(metadata["databases"]) == ["facts"]
    with sqlite3.connect(target) as connection:
        assert one(connection, "SELECT COUNT(*) FROM facts") == len(base.facts)
    assert not [path for path in tmp_path.iterdir() if path.name.startswith(".")]  # no temporary left


def test_every_qualifier_and_kind_a_valid_base_can_hold_is_exported(tmp_path):
    """The CHECK constraints name every qualifier and kind of the model: a "less than" figure (不到420台) was once
    refused by them."""
    from shenka_cli.core.model import Qualifier, StatKind

    facts = tmp_path / "facts"
    shutil.copytree(BUNDLED, facts)
    livelihood = facts / "livelihood.toml"
    written = 'text = "420台"\nvalue = 420\nunit = "台"\nqualifier = "exact"'
    text = livelihood.read_text(encoding="utf-8")
    assert written in text
    livelihood.write_text(
        text.replace(written, written.replace('"420台"', '"不到420台"').replace("exact", "less_than"))
    )
    result = load([facts])
    assert not result.errors
    target = tmp_path / "facts.db"
    write_database(result.base, target)
    with sqlite3.connect(target) as connection:
        assert one(connection, "SELECT qualifier FROM statistics WHERE text = '不到420台'") == "less_than"
        held = {qualifier for (qualifier,) in connection.execute("SELECT DISTINCT qualifier FROM statistics")}
        schema = one(connection, "SELECT sql FROM sqlite_master WHERE name = 'statistics'")
    assert held == {stat.qualifier.value for fact in result.base.facts for stat in fact.stats}
    assert all(f"'{value}'" in schema for value in (*Qualifier, *StatKind))


def test_an_existing_file_is_kept_without_force(run, tmp_path):
    target = tmp_path / "facts.db"
    target.write_text("precious")
    result = run("export", "sqlite", str(target))
    assert result.exit_code == 2 and "already exists" in result.stderr
    assert target.read_text() == "precious" and not (tmp_path / "facts.metadata.json").exists()
    assert run("export", "sqlite", str(target), "--force").exit_code == 0
    with sqlite3.connect(target) as connection:
        assert one(connection, "SELECT COUNT(*) FROM sectors") > 0


def test_unknown_kind_and_directory_are_usage_errors(run, tmp_path):
    assert run("export", "parquet", str(tmp_path / "x")).exit_code == 2
    assert run("export", "sqlite", str(tmp_path)).exit_code == 2


# --- Datasette ------------------------------------------------------------------------------------------------


def datasette_get(database: Path, metadata: dict, *paths: str) -> list:
    """GET each path from Datasette's in-process client: (status, body) pairs, JSON parsed when it is JSON."""
    datasette_app = pytest.importorskip("datasette.app")

    async def fetch():
        served = datasette_app.Datasette([str(database)], metadata=metadata)
        if hasattr(served, "invoke_startup"):
            await served.invoke_startup()
        answers = []
        for path in paths:
            response = await served.client.get(path)
            body = response.json() if ".json" in path else response.text
            answers.append((response.status_code, body))
        return answers

    return asyncio.run(fetch())


def test_datasette_serves_the_facts_with_facets_and_search(database, base):
    metadata = datasette_metadata(base, database.stem)
    (facts_status, facts), (facet_status, statistics), (search_status, found), (page_status, page) = datasette_get(
        database,
        metadata,
        "/facts/facts.json?_shape=objects&_size=max",
        "/facts/statistics.json?_shape=objects&_facet=qualifier&unit=人",
        "/facts/facts.json?_shape=objects&_search=喀什市",
        "/facts/facts",
    )
    assert (facts_status, facet_status, search_status, page_status) == (200, 200, 200, 200)
    assert {row["id"] for row in facts["rows"]} == {fact.id for fact in base.facts}
    sectors = {r["value"]: r["count"] for r in facts["facet_results"]["sector_id"]["results"]}
    assert sectors == Counter(fact.sector for fact in base.facts)  # a default facet from the metadata
    people = [stat for stat in base.stats if stat.unit == "人"]
    assert statistics["filtered_table_rows_count"] == len(people)
    qualifiers = {r["value"]: r["count"] for r in statistics["facet_results"]["qualifier"]["results"]}
    assert qualifiers == Counter(stat.qualifier.value for stat in people)
    assert found["rows"] and all(
        "喀什市" in row["title"] + row["summary"] + row["title_en"] + row["summary_en"] for row in found["rows"]
    )
    assert TABLES["facts"].description in page and TABLES["facts"].columns["first_day"] in page
