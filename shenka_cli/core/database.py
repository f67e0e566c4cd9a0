"""The fact base as a relational SQLite database, for Datasette, sqlite-utils and any SQL reader.

The schema (SCHEMA below, documented table by table in TABLES, which also feeds Datasette's metadata):

    sectors ─┐                     ┌─ fact_places ──────── places
    sources ─┼─ fact_sources ── facts ─ fact_organisations ─ organisations
             │                     ├─ fact_people ──────── people
             │                     └─ statistics
    facts_fts: a full-text index (FTS5) over the facts' titles and summaries, both languages
    views: statistics_by_fact (each figure with its fact's title and sector), timeline (the dated facts in
    order), fact_names (every place, organisation and person with the facts that name them)

Dates are ISO 8601 text at their own precision ("2024", "2024-08", "2024-08-09"), with the first and last
day they cover beside them, so that a reader can sort and compare without inventing precision. Places,
organisations and people are rows of their own, joined to the facts that name them.
The full-text index uses FTS5's trigram tokenizer where SQLite has it (3.34 and later), so Chinese text,
which has no spaces between words, is found by any substring of three or more characters.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from shenka_cli.core.model import Fact, FactBase, FuzzyDate, Period, Qualifier

SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE sectors (
    id TEXT PRIMARY KEY,
    name TEXT,
    name_en TEXT,
    description TEXT,
    description_en TEXT,
    position INTEGER NOT NULL
);
CREATE TABLE sources (
    id TEXT PRIMARY KEY,
    title TEXT,
    title_en TEXT,
    outlet TEXT,
    outlet_en TEXT,
    authors TEXT,
    date TEXT,
    date_precision TEXT CHECK (date_precision IN ('year', 'month', 'day')),
    date_reason TEXT,
    sections TEXT
);
CREATE TABLE facts (
    id TEXT PRIMARY KEY,
    sector_id TEXT NOT NULL REFERENCES sectors(id),
    title TEXT NOT NULL,
    title_en TEXT NOT NULL,
    summary TEXT NOT NULL,
    summary_en TEXT NOT NULL,
    date TEXT,
    date_precision TEXT CHECK (date_precision IN ('year', 'month', 'day')),
    period_start TEXT,
    period_end TEXT,
    first_day TEXT,
    last_day TEXT,
    date_inferred INTEGER NOT NULL CHECK (date_inferred IN (0, 1)),
    date_inferred_reason TEXT,
    tags TEXT NOT NULL,
    file TEXT,
    line INTEGER,
    position INTEGER NOT NULL
);
CREATE TABLE statistics (
    id INTEGER PRIMARY KEY,
    fact_id TEXT NOT NULL REFERENCES facts(id),
    position INTEGER NOT NULL,
    label TEXT NOT NULL,
    label_en TEXT NOT NULL,
    text TEXT NOT NULL,
    value NUMERIC,
    low NUMERIC,
    high NUMERIC,
    unit TEXT NOT NULL,
    qualifier TEXT NOT NULL CHECK (qualifier IN ('exact', 'more_than', 'about', 'range')),
    kind TEXT NOT NULL CHECK (kind IN ('quantity', 'ordinal')),
    as_of TEXT,
    as_of_inferred INTEGER NOT NULL CHECK (as_of_inferred IN (0, 1)),
    as_of_reason TEXT,
    UNIQUE (fact_id, position)
);
CREATE TABLE places (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, name_en TEXT);
CREATE TABLE organisations (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, name_en TEXT);
CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, name_en TEXT);
CREATE TABLE fact_places (
    fact_id TEXT NOT NULL REFERENCES facts(id),
    place_id INTEGER NOT NULL REFERENCES places(id),
    position INTEGER NOT NULL,
    PRIMARY KEY (fact_id, place_id)
);
CREATE TABLE fact_organisations (
    fact_id TEXT NOT NULL REFERENCES facts(id),
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    position INTEGER NOT NULL,
    PRIMARY KEY (fact_id, organisation_id)
);
CREATE TABLE fact_people (
    fact_id TEXT NOT NULL REFERENCES facts(id),
    person_id INTEGER NOT NULL REFERENCES people(id),
    position INTEGER NOT NULL,
    PRIMARY KEY (fact_id, person_id)
);
CREATE TABLE fact_sources (
    fact_id TEXT NOT NULL REFERENCES facts(id),
    source_id TEXT NOT NULL REFERENCES sources(id),
    section TEXT,
    position INTEGER NOT NULL,
    PRIMARY KEY (fact_id, position)
);
CREATE INDEX facts_sector ON facts(sector_id);
CREATE INDEX facts_first_day ON facts(first_day);
CREATE INDEX statistics_fact ON statistics(fact_id);
CREATE INDEX statistics_unit ON statistics(unit, value);
CREATE INDEX fact_places_place ON fact_places(place_id);
CREATE INDEX fact_organisations_organisation ON fact_organisations(organisation_id);
CREATE INDEX fact_people_person ON fact_people(person_id);
CREATE INDEX fact_sources_source ON fact_sources(source_id);
CREATE VIEW statistics_by_fact AS
SELECT statistics.id, statistics.fact_id, facts.title AS fact_title, facts.title_en AS fact_title_en,
       facts.sector_id, sectors.name AS sector_name, sectors.name_en AS sector_name_en,
       statistics.label, statistics.label_en, statistics.text, statistics.value, statistics.low, statistics.high,
       statistics.unit, statistics.qualifier, statistics.kind, statistics.as_of
FROM statistics
JOIN facts ON facts.id = statistics.fact_id
LEFT JOIN sectors ON sectors.id = facts.sector_id
ORDER BY sectors.position, facts.position, statistics.position;
CREATE VIEW timeline AS
SELECT facts.id, COALESCE(facts.date, facts.period_start || '/' || facts.period_end) AS "when",
       facts.first_day, facts.last_day, facts.date_inferred, facts.title, facts.title_en,
       facts.sector_id, sectors.name AS sector_name, sectors.name_en AS sector_name_en
FROM facts
LEFT JOIN sectors ON sectors.id = facts.sector_id
WHERE facts.first_day IS NOT NULL
ORDER BY facts.first_day, facts.last_day, facts.position;
CREATE VIEW fact_names AS
SELECT 'place' AS kind, places.name, places.name_en, facts.id AS fact_id, facts.title AS fact_title
FROM fact_places JOIN places ON places.id = fact_places.place_id JOIN facts ON facts.id = fact_places.fact_id
UNION ALL
SELECT 'organisation', organisations.name, organisations.name_en, facts.id, facts.title
FROM fact_organisations
JOIN organisations ON organisations.id = fact_organisations.organisation_id
JOIN facts ON facts.id = fact_organisations.fact_id
UNION ALL
SELECT 'person', people.name, people.name_en, facts.id, facts.title
FROM fact_people JOIN people ON people.id = fact_people.person_id JOIN facts ON facts.id = fact_people.fact_id;
"""

FTS_COLUMNS = ("title", "title_en", "summary", "summary_en")
# Datasette finds a table's full-text index by this form of declaration (content="facts").
FTS = 'CREATE VIRTUAL TABLE facts_fts USING fts5 ({columns}, content="facts", tokenize="{tokenizer}")'


class Table(NamedTuple):
    title: str
    description: str
    columns: dict[str, str]
    facets: tuple[str, ...] = ()
    label_column: str | None = None


NAME_COLUMNS = {"id": "row id", "name": "the name as the sources write it", "name_en": "English name, where known"}
LINK = {"fact_id": "the fact (facts.id)", "position": "order in which the fact lists it"}
TABLES: dict[str, Table] = {
    "facts": Table(
        "Facts",
        "One sourced fact each, in Chinese and English, with its date at the precision the source gives.",
        {
            "id": "stable identifier of the fact",
            "sector_id": "the sector it belongs to (sectors.id)",
            "title": "title in Chinese",
            "title_en": "title in English",
            "summary": "summary in Chinese",
            "summary_en": "summary in English",
            "date": "ISO date at its precision (2024, 2024-08, 2024-08-09); null for a period or no date",
            "date_precision": "year, month or day",
            "period_start": "start of the period the fact spans, ISO at its precision",
            "period_end": "end of that period, ISO at its precision",
            "first_day": "first day the date or period covers (YYYY-MM-DD), for sorting and ranges",
            "last_day": "last day the date or period covers (YYYY-MM-DD)",
            "date_inferred": "1 when the date was worked out from relative wording (今年, 截至目前)",
            "date_inferred_reason": "why the date was inferred",
            "tags": "JSON array of tags",
            "file": "the fact file it was read from",
            "line": "the line of that file where it starts",
            "position": "order in the fact base",
        },
        facets=("sector_id", "date_precision", "date_inferred"),
        label_column="title",
    ),
    "statistics": Table(
        "Statistics",
        "Every figure of every fact: as written, in base units, with its unit, qualifier and date.",
        {
            "id": "row id",
            "fact_id": "the fact that gives the figure (facts.id)",
            "position": "order within the fact",
            "label": "what is counted, in Chinese",
            "label_en": "what is counted, in English",
            "text": "the figure as written (8.4亿元, 1000余个, 7-10天)",
            "value": "the stated number in base units; null for a range",
            "low": "lower bound where known (equals value when exact; the value for 'more than')",
            "high": "upper bound where known",
            "unit": "the measure word (元, 人, 个, 台, 天…)",
            "qualifier": "exact, more_than (a lower bound: 余, 多), about or range",
            "kind": "quantity or ordinal (第十一批, 首届)",
            "as_of": "the date or period (ISO interval) the figure holds for",
            "as_of_inferred": "1 when that date was inferred",
            "as_of_reason": "why a date differing from the fact's applies",
        },
        facets=("unit", "qualifier", "kind"),
        label_column="label",
    ),
    "sectors": Table(
        "Sectors",
        "The fields of the aid programme the facts are grouped in.",
        {
            "id": "identifier",
            "name": "name in Chinese",
            "name_en": "name in English",
            "description": "description in Chinese",
            "description_en": "description in English",
            "position": "order in the fact base",
        },
        label_column="name_en",
    ),
    "sources": Table(
        "Sources",
        "The articles and documents the facts cite.",
        {
            "id": "identifier",
            "title": "title in the original language",
            "title_en": "title in English",
            "outlet": "where it was published",
            "outlet_en": "the outlet in English",
            "authors": "JSON array of authors",
            "date": "publication date, ISO at its precision",
            "date_precision": "year, month or day",
            "date_reason": "why the date was inferred, when it is not printed",
            "sections": "JSON array of the source's sections",
        },
        facets=("outlet",),
        label_column="title_en",
    ),
    "places": Table("Places", "Places named by the facts.", NAME_COLUMNS, label_column="name"),
    "organisations": Table("Organisations", "Organisations named by the facts.", NAME_COLUMNS, label_column="name"),
    "people": Table("People", "People named by the facts.", NAME_COLUMNS, label_column="name"),
    "fact_places": Table("Facts and places", "Which facts name which places.", {**LINK, "place_id": "places.id"}),
    "fact_organisations": Table(
        "Facts and organisations",
        "Which facts name which organisations.",
        {**LINK, "organisation_id": "organisations.id"},
    ),
    "fact_people": Table("Facts and people", "Which facts name which people.", {**LINK, "person_id": "people.id"}),
    "fact_sources": Table(
        "Facts and sources",
        "Which source (and which section of it) each fact cites.",
        {**LINK, "source_id": "sources.id", "section": "the section of the source", "position": "order of citation"},
        facets=("source_id",),
    ),
    "statistics_by_fact": Table(
        "Statistics with their facts",
        "Each figure with its fact's title and sector (a view).",
        {"fact_title": "title of the fact", "sector_name": "the fact's sector in Chinese"},
        facets=("sector_id", "unit", "qualifier"),
    ),
    "timeline": Table(
        "Timeline",
        "The dated facts in order of their first day (a view).",
        {"when": "the date or period, ISO at its precision"},
        facets=("sector_id",),
    ),
    "fact_names": Table(
        "Names in the facts",
        "Every place, organisation and person with the facts that name them (a view).",
        {"kind": "place, organisation or person"},
        facets=("kind",),
    ),
}


def _days(when: FuzzyDate | Period | None) -> tuple[str | None, str | None]:
    if when is None:
        return None, None
    return when.first_day.isoformat(), when.last_day.isoformat()


def _iso(when: FuzzyDate | Period | None) -> str | None:
    return when.iso if when is not None else None


def _name(entity: Any) -> tuple[str, str | None]:
    """An entity's (name, English name): a plain string today, an object with name and name_en tomorrow."""
    if isinstance(entity, str):
        return entity, None
    return entity.name, getattr(entity, "name_en", None)


def _fact_row(fact: Fact, position: int) -> tuple[Any, ...]:
    first, last = _days(fact.when)
    period = fact.period
    return (
        fact.id,
        fact.sector,
        fact.title,
        fact.title_en,
        fact.summary,
        fact.summary_en,
        _iso(fact.date),
        fact.date.precision.value if fact.date else None,
        period.start.iso if period else None,
        period.end.iso if period else None,
        first,
        last,
        int(bool(fact.when and fact.when.inferred)),
        fact.inferred_reason,
        json.dumps(list(fact.tags), ensure_ascii=False),
        Path(fact.location.path).name if fact.location.path else None,
        fact.location.line or None,
        position,
    )


def _statistic_rows(fact: Fact) -> Iterator[tuple[Any, ...]]:
    for position, stat in enumerate(fact.stats):
        yield (
            fact.id,
            position,
            stat.label,
            stat.label_en,
            stat.written,
            stat.value if stat.qualifier is not Qualifier.RANGE else None,
            stat.low,
            stat.high,
            stat.unit,
            stat.qualifier.value,
            stat.kind.value,
            _iso(stat.as_of),
            int(bool(stat.as_of and stat.as_of.inferred)),
            stat.as_of_reason,
        )


def _citations(fact: Fact) -> list[tuple[str, str | None]]:
    """The (source id, section) pairs a fact cites, in order: one source today, several once facts have them."""
    sources = getattr(fact, "sources", None) or [fact.source]
    return [(ref.id, ref.section) for ref in sources]


def _insert(connection: sqlite3.Connection, table: str, rows: Iterable[tuple[Any, ...]], width: int) -> None:
    marks = ", ".join("?" * width)
    connection.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)


def _entities(connection: sqlite3.Connection, base: FactBase, field: str, table: str) -> None:
    """One row per distinct entity (by name, in order of first mention) and the join rows to its facts."""
    ids: dict[str, int] = {}
    names: list[tuple[int, str, str | None]] = []
    links: list[tuple[str, int, int]] = []
    for fact in base.facts:
        for position, entity in enumerate(getattr(fact, field)):
            name, name_en = _name(entity)
            if name not in ids:
                ids[name] = len(ids) + 1
                names.append((ids[name], name, name_en))
            links.append((fact.id, ids[name], position))
    _insert(connection, table, names, 3)
    connection.executemany(f"INSERT OR IGNORE INTO fact_{table} VALUES (?, ?, ?)", links)


def _fts_tokenizer(connection: sqlite3.Connection) -> str:
    """trigram where this SQLite has it; unicode61 (words between spaces and punctuation) otherwise."""
    try:
        connection.execute("CREATE VIRTUAL TABLE temp.probe USING fts5(x, tokenize='trigram')")
        connection.execute("DROP TABLE temp.probe")
        return "trigram"
    except sqlite3.OperationalError:
        return "unicode61"


def write_database(base: FactBase, path: Path) -> None:
    """Write the fact base to a new SQLite database at `path` (which must not exist yet)."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute("BEGIN")
        for statement in SCHEMA.split(";\n"):
            if statement.strip():
                connection.execute(statement)
        _fill(connection, base)
        columns = ", ".join(FTS_COLUMNS)
        connection.execute(FTS.format(columns=columns, tokenizer=_fts_tokenizer(connection)))
        connection.execute(f"INSERT INTO facts_fts (rowid, {columns}) SELECT rowid, {columns} FROM facts")
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        problems = connection.execute("PRAGMA foreign_key_check").fetchall()
        if problems:  # every row is written with its keys, so this is a bug in this module, not in the data
            raise RuntimeError(f"foreign key check failed: {problems[:5]}")
        connection.execute("COMMIT")
        connection.execute("VACUUM")
    finally:
        connection.close()


def _fill(connection: sqlite3.Connection, base: FactBase) -> None:
    sectors = {sector.id for sector in base.sectors}
    _insert(
        connection,
        "sectors",
        (
            (s.id, s.name, s.name_en, s.description, s.description_en, position)
            for position, s in enumerate(base.sectors)
        ),
        6,
    )
    # A fact of a sector or source the base does not define still gets a row to point to (ids only).
    for missing in dict.fromkeys(fact.sector for fact in base.facts if fact.sector not in sectors):
        connection.execute(
            "INSERT INTO sectors (id, position) VALUES (?, (SELECT COUNT(*) FROM sectors))",
            (missing,),
        )
    _insert(
        connection,
        "sources",
        (
            (
                s.id,
                s.title,
                s.title_en,
                s.outlet,
                s.outlet_en,
                json.dumps(list(s.authors), ensure_ascii=False),
                _iso(s.date),
                s.date.precision.value if s.date else None,
                s.date_reason,
                json.dumps(list(s.sections), ensure_ascii=False),
            )
            for s in base.sources
        ),
        10,
    )
    known = {source.id for source in base.sources}
    cited = dict.fromkeys(source_id for fact in base.facts for source_id, _ in _citations(fact))
    connection.executemany("INSERT INTO sources (id) VALUES (?)", ((i,) for i in cited if i not in known))
    _insert(connection, "facts", (_fact_row(fact, position) for position, fact in enumerate(base.facts)), 18)
    connection.executemany(
        "INSERT INTO statistics (fact_id, position, label, label_en, text, value, low, high, unit, qualifier, kind,"
        " as_of, as_of_inferred, as_of_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (row for fact in base.facts for row in _statistic_rows(fact)),
    )
    for field in ("places", "organisations", "people"):
        _entities(connection, base, field, field)
    connection.executemany(
        "INSERT INTO fact_sources VALUES (?, ?, ?, ?)",
        (
            (fact.id, source_id, section, position)
            for fact in base.facts
            for position, (source_id, section) in enumerate(_citations(fact))
        ),
    )


LICENCE = "shenka: MIT. Each fact summarises and cites its source; the sources' texts remain their publishers'."


def datasette_metadata(base: FactBase, database: str) -> dict[str, Any]:
    """Datasette's metadata for the database named `database` (the file's stem): titles, descriptions,
    source and licence, column descriptions, default facets and label columns."""
    tables: dict[str, Any] = {}
    for name, table in TABLES.items():
        entry: dict[str, Any] = {"title": table.title, "description": table.description, "columns": table.columns}
        if table.facets:
            entry["facets"] = list(table.facets)
        if table.label_column:
            entry["label_column"] = table.label_column
        tables[name] = entry
    tables["facts"] |= {"fts_table": "facts_fts", "sort": "first_day"}
    outlets = list(dict.fromkeys(source.outlet for source in base.sources if source.outlet))
    source = f"{len(base.sources)} sources cited fact by fact (the sources table)"
    if outlets:
        source += ": " + ", ".join(outlets)
    description = (
        f"{len(base.facts)} sourced, bilingual facts of Shenzhen's counterpart aid to Kashgar (深圳对口援疆喀什), "
        f"with their {sum(len(fact.stats) for fact in base.facts)} statistics, in {len(base.sectors)} sectors. "
        "Written by `shenka export sqlite`."
    )
    return {
        "title": "深圳对口援疆喀什 · Shenzhen's counterpart aid to Kashgar",
        "description": description,
        "source": source,
        "license": LICENCE,
        "databases": {
            database: {"title": "shenka fact base", "description": description, "source": source, "tables": tables}
        },
    }
