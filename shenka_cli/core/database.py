"""The fact base as a relational SQLite database, for Datasette, sqlite-utils and any SQL reader.

The schema (SCHEMA below, documented table by table in TABLES, which also feeds Datasette's metadata):

    sectors ────────────────────── facts ─┬─ fact_places ──────── places (within: places)
    sources ─┬─ fact_sources ──────┘      ├─ fact_organisations ─ organisations (based in: places)
             └─ source_sections           ├─ fact_people ──────── people
                                          └─ statistics ──────── measures;  units
    facts_fts: a full-text index (FTS5) over the facts' titles and summaries, both languages
    views: statistics_by_fact (each figure with its fact's title and sector), timeline (the dated facts in
    order), fact_names (every place, organisation and person with the facts that name them)

Dates are ISO 8601 text at their own precision ("2024", "2024-08", "2024-08-09"), with the first and last
day they cover beside them, so that a reader can sort and compare without inventing precision. Places,
organisations and people are the gazetteer's entries (id, names, aliases, kind, the place they lie within or
are based in), joined to the facts that name them; a name the gazetteer does not know is a row of its own
whose id is the name. A standing fact (true as of a date rather than an event of it) has `as_of` and no
first or last day, so the timeline view leaves it out.
The full-text index uses FTS5's trigram tokenizer where SQLite has it (3.34 and later), so Chinese text,
which has no spaces between words, is found by any substring of three or more characters.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from shenka_cli.core.gazetteer import Gazetteer
from shenka_cli.core.model import EntityCategory, Fact, FactBase, FuzzyDate, Period, Qualifier, StatKind

SCHEMA_VERSION = 1


def _one_of(values: Iterable[str]) -> str:
    return ", ".join(f"'{value}'" for value in values)


SCHEMA = f"""
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
    language TEXT,
    url TEXT,
    reliability TEXT
);
CREATE TABLE source_sections (
    source_id TEXT NOT NULL REFERENCES sources(id),
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    name_en TEXT,
    position INTEGER NOT NULL,
    PRIMARY KEY (source_id, id)
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
    as_of TEXT,
    standing INTEGER NOT NULL CHECK (standing IN (0, 1)),
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
    qualifier TEXT NOT NULL CHECK (qualifier IN ({_one_of(Qualifier)})),
    kind TEXT NOT NULL CHECK (kind IN ({_one_of(StatKind)})),
    as_of TEXT,
    as_of_inferred INTEGER NOT NULL CHECK (as_of_inferred IN (0, 1)),
    as_of_reason TEXT,
    measure_id TEXT REFERENCES measures(id),
    UNIQUE (fact_id, position)
);
CREATE TABLE units (
    id TEXT PRIMARY KEY,
    name TEXT,
    name_en TEXT,
    plural_en TEXT,
    category TEXT,
    aliases TEXT NOT NULL,
    convert_to TEXT,
    convert_factor REAL
);
CREATE TABLE measures (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    name_en TEXT NOT NULL,
    unit TEXT NOT NULL,
    cumulative INTEGER NOT NULL CHECK (cumulative IN (0, 1)),
    description_en TEXT
);
CREATE TABLE places (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, name_en TEXT, aliases TEXT NOT NULL, kind TEXT,
    within TEXT REFERENCES places(id), description TEXT, description_en TEXT,
    in_gazetteer INTEGER NOT NULL CHECK (in_gazetteer IN (0, 1))
);
CREATE TABLE organisations (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, name_en TEXT, aliases TEXT NOT NULL, kind TEXT,
    based_in TEXT REFERENCES places(id), description TEXT, description_en TEXT,
    in_gazetteer INTEGER NOT NULL CHECK (in_gazetteer IN (0, 1))
);
CREATE TABLE people (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, name_en TEXT, aliases TEXT NOT NULL, kind TEXT,
    within TEXT, description TEXT, description_en TEXT,
    in_gazetteer INTEGER NOT NULL CHECK (in_gazetteer IN (0, 1))
);
CREATE TABLE fact_places (
    fact_id TEXT NOT NULL REFERENCES facts(id),
    place_id TEXT NOT NULL REFERENCES places(id),
    position INTEGER NOT NULL,
    PRIMARY KEY (fact_id, place_id)
);
CREATE TABLE fact_organisations (
    fact_id TEXT NOT NULL REFERENCES facts(id),
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    position INTEGER NOT NULL,
    PRIMARY KEY (fact_id, organisation_id)
);
CREATE TABLE fact_people (
    fact_id TEXT NOT NULL REFERENCES facts(id),
    person_id TEXT NOT NULL REFERENCES people(id),
    position INTEGER NOT NULL,
    PRIMARY KEY (fact_id, person_id)
);
CREATE TABLE fact_sources (
    fact_id TEXT NOT NULL REFERENCES facts(id),
    source_id TEXT NOT NULL REFERENCES sources(id),
    section TEXT,
    section_id TEXT,
    note TEXT,
    position INTEGER NOT NULL,
    PRIMARY KEY (fact_id, position),
    FOREIGN KEY (source_id, section_id) REFERENCES source_sections(source_id, id)
);
CREATE INDEX facts_sector ON facts(sector_id);
CREATE INDEX facts_first_day ON facts(first_day);
CREATE INDEX statistics_fact ON statistics(fact_id);
CREATE INDEX statistics_unit ON statistics(unit, value);
CREATE INDEX fact_places_place ON fact_places(place_id);
CREATE INDEX fact_organisations_organisation ON fact_organisations(organisation_id);
CREATE INDEX fact_people_person ON fact_people(person_id);
CREATE INDEX fact_sources_source ON fact_sources(source_id);
CREATE INDEX statistics_measure ON statistics(measure_id);
CREATE INDEX places_within ON places(within);
CREATE INDEX organisations_based_in ON organisations(based_in);
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


NAME_COLUMNS = {
    "id": "the gazetteer's id (or the name itself, for a name the gazetteer does not know)",
    "name": "the name in Chinese",
    "name_en": "the name in English",
    "aliases": "JSON array of other names and spellings",
    "kind": "what kind of place, organisation or person",
    "description": "description in Chinese",
    "description_en": "description in English",
    "in_gazetteer": "1 for an entry of the gazetteer, 0 for a name only a fact gives",
}
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
            "as_of": "for a standing fact: the date it holds as of (ISO at its precision)",
            "standing": "1 for a standing fact (true as of a date, not an event of it)",
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
            "qualifier": "exact, more_than (a lower bound: 余, 多), about, less_than (an upper bound: 不到) or range",
            "kind": "quantity or ordinal (第十一批, 首届)",
            "as_of": "the date or period (ISO interval) the figure holds for",
            "as_of_inferred": "1 when that date was inferred",
            "as_of_reason": "why a date differing from the fact's applies",
            "measure_id": "the measure the figure is a value of, tracked across sources (measures.id)",
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
            "language": "the language it is written in",
            "url": "where it can be read",
            "reliability": "how far it can be trusted, and why",
        },
        facets=("outlet",),
        label_column="title_en",
    ),
    "source_sections": Table(
        "Sections of sources",
        "The parts of each source that facts cite.",
        {
            "source_id": "sources.id",
            "id": "the section's id",
            "name": "its heading",
            "name_en": "its heading in English",
            "position": "order in the source",
        },
    ),
    "places": Table(
        "Places",
        "The gazetteer's places, and any place a fact names that it does not know.",
        {**NAME_COLUMNS, "within": "the place it lies within (places.id)"},
        facets=("kind", "within"),
        label_column="name_en",
    ),
    "organisations": Table(
        "Organisations",
        "The gazetteer's organisations, and any a fact names that it does not know.",
        {**NAME_COLUMNS, "based_in": "the place it is based in (places.id)"},
        facets=("kind", "based_in"),
        label_column="name_en",
    ),
    "people": Table(
        "People",
        "The gazetteer's people, and any a fact names that it does not know.",
        {**NAME_COLUMNS, "within": "unused for people"},
        label_column="name_en",
    ),
    "units": Table(
        "Units",
        "The measure words of the statistics and how they read in English.",
        {
            "id": "the unit as written (元, 人, 个…)",
            "name": "its Chinese display name",
            "name_en": "English name",
            "plural_en": "English plural",
            "category": "what it measures (money, people, count…)",
            "aliases": "JSON array of other measure words counted as this one",
            "convert_to": "a unit it converts to",
            "convert_factor": "the factor of that conversion",
        },
        facets=("category",),
        label_column="name_en",
    ),
    "measures": Table(
        "Measures",
        "Quantities tracked across sources and years (statistics.measure_id).",
        {
            "id": "identifier",
            "name": "name in Chinese",
            "name_en": "name in English",
            "unit": "its unit",
            "cumulative": "1 when it adds up over the years",
            "description_en": "what it counts",
        },
        label_column="name_en",
    ),
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
        {
            **LINK,
            "source_id": "sources.id",
            "section": "the section as the fact cites it",
            "section_id": "that section (source_sections.id), where the source declares it",
            "note": "a note on the citation",
            "position": "order of citation",
        },
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


def _json(items: Iterable[str]) -> str:
    return json.dumps(list(items), ensure_ascii=False)


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
        _iso(fact.as_of),
        int(fact.as_of is not None),
        _json(fact.tags),
        Path(fact.location.path).name if fact.location.path else None,
        fact.location.line or None,
        position,
    )


def _statistic_rows(fact: Fact, measures: set[str]) -> Iterator[tuple[Any, ...]]:
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
            stat.measure if stat.measure in measures else None,
        )


def _insert(connection: sqlite3.Connection, table: str, rows: Iterable[tuple[Any, ...]], width: int) -> None:
    marks = ", ".join("?" * width)
    connection.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)


ENTITY_TABLES = (
    (EntityCategory.PLACE, "places", "place_id"),
    (EntityCategory.ORGANISATION, "organisations", "organisation_id"),
    (EntityCategory.PERSON, "people", "person_id"),
)


def _entities(connection: sqlite3.Connection, base: FactBase, gazetteer: Gazetteer) -> None:
    """Each category's gazetteer entries, then the names facts give that it does not know, and the joins."""
    place_ids = {entity.id for entity in gazetteer.of(EntityCategory.PLACE)}
    for category, table, _ in ENTITY_TABLES:
        rows: dict[str, tuple[Any, ...]] = {}
        for entity in gazetteer.of(category):
            parent = entity.within if entity.within in place_ids and category is not EntityCategory.PERSON else None
            rows.setdefault(
                entity.id,
                (
                    entity.id,
                    entity.name,
                    entity.name_en,
                    _json(entity.aliases),
                    entity.kind,
                    parent,
                    entity.description,
                    entity.description_en,
                    1,
                ),
            )
        links: dict[tuple[str, str], int] = {}
        for fact in base.facts:
            for position, named in enumerate(gazetteer.fact_entities(fact, category)):
                if isinstance(named, str):
                    rows.setdefault(named, (named, named, None, "[]", None, None, None, None, 0))
                    key = named
                else:
                    key = named.id
                links.setdefault((fact.id, key), position)
        _insert(connection, table, rows.values(), 9)
        _insert(connection, f"fact_{table}", ((fact, key, position) for (fact, key), position in links.items()), 3)


def _sources(connection: sqlite3.Connection, base: FactBase) -> None:
    """The sources (a row with only the id for one cited but not defined), their sections, and the citations."""
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
                _json(author.name for author in s.authors),
                _iso(s.date),
                s.date.precision.value if s.date else None,
                s.date_reason,
                s.language,
                s.url,
                s.reliability,
            )
            for s in base.sources
        ),
        12,
    )
    _insert(
        connection,
        "source_sections",
        dict.fromkeys(
            (s.id, section.id, section.name, section.name_en, position)
            for s in base.sources
            for position, section in enumerate(s.sections)
        ),
        5,
    )
    known = {source.id: source for source in base.sources}
    cited = dict.fromkeys(citation.id for fact in base.facts for citation in fact.sources)
    connection.executemany("INSERT INTO sources (id) VALUES (?)", ((i,) for i in cited if i not in known))
    rows = []
    for fact in base.facts:
        for position, citation in enumerate(fact.sources):
            source = known.get(citation.id)
            section = source.section(citation.section) if source else None
            rows.append(
                (fact.id, citation.id, citation.section, section.id if section else None, citation.note, position)
            )
    _insert(connection, "fact_sources", rows, 6)


def _registries(connection: sqlite3.Connection, base: FactBase) -> None:
    _insert(
        connection,
        "units",
        (
            (
                unit.id,
                unit.name or unit.id,
                unit.name_en,
                unit.plural_en,
                unit.category,
                _json(unit.aliases),
                unit.convert.unit if unit.convert else None,
                unit.convert.factor if unit.convert else None,
            )
            for unit in base.units
        ),
        8,
    )
    _insert(
        connection,
        "measures",
        ((m.id, m.name, m.name_en, m.unit, int(m.cumulative), m.description_en) for m in base.measures),
        6,
    )


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
        connection.execute("PRAGMA defer_foreign_keys = ON")  # a place may come before the place it lies within
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
    # A fact of a sector the base does not define still gets a row to point to (its id only).
    for missing in dict.fromkeys(fact.sector for fact in base.facts if fact.sector not in sectors):
        connection.execute(
            "INSERT INTO sectors (id, position) VALUES (?, (SELECT COUNT(*) FROM sectors))",
            (missing,),
        )
    _registries(connection, base)
    _sources(connection, base)
    _insert(connection, "facts", (_fact_row(fact, position) for position, fact in enumerate(base.facts)), 20)
    measures = {measure.id for measure in base.measures}
    connection.executemany(
        "INSERT INTO statistics (fact_id, position, label, label_en, text, value, low, high, unit, qualifier, kind,"
        " as_of, as_of_inferred, as_of_reason, measure_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (row for fact in base.facts for row in _statistic_rows(fact, measures)),
    )
    _entities(connection, base, Gazetteer(base.entities))


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
    addresses = [source.url for source in base.sources if source.url]
    where = {"source_url": addresses[0]} if len(base.sources) == 1 and addresses else {}
    return {
        "title": "深圳对口援疆喀什 · Shenzhen's counterpart aid to Kashgar",
        "description": description,
        "source": source,
        **where,
        "license": LICENCE,
        "databases": {
            database: {"title": "shenka fact base", "description": description, "source": source, "tables": tables}
        },
    }
