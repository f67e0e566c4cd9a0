"""The cache database: its schema, how a snapshot is written, and the JSON that its columns hold.

Every value is plain SQL or JSON: typed columns for filtering and ordering, each fact as JSON of its model
(core/store/codec.py) and its JSON record as the presentation layer builds it for the README's contract,
encoded once at build time and copied to the output as it is. A row's `checksum` (CRC-32 of its JSON) tells
a damaged row from a good one. The file carries shenka's application id and its format version.
"""

from __future__ import annotations

import json
import os
import sqlite3
import zlib
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from shenka_cli.core.store.codec import encoder
from shenka_cli.core.store.sql import tag_column

if TYPE_CHECKING:
    from shenka_cli.core.errors import Problem
    from shenka_cli.core.loader import FileContent, LoadResult
    from shenka_cli.core.model import Fact, FactBase, Statistic
    from shenka_cli.core.store.files import FileIdentity

FORMAT_VERSION = 5
APPLICATION_ID = 0x73686B61  # "shka"
ENCODE = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode


class Records(NamedTuple):
    """How the presentation layer builds the JSON records of a fact and of a statistic (the README's contract)."""

    fact: Callable[[Fact], dict[str, Any]]
    stat: Callable[[Statistic, str], dict[str, Any]]


SCHEMA = f"""
PRAGMA application_id = {APPLICATION_ID};
PRAGMA user_version = {FORMAT_VERSION};
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE files (idx INTEGER PRIMARY KEY, path TEXT NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
                    ctime_ns INTEGER NOT NULL, inode INTEGER NOT NULL, digest TEXT NOT NULL, content TEXT NOT NULL);
CREATE TABLE facts (rowid INTEGER PRIMARY KEY, file INTEGER NOT NULL, id TEXT NOT NULL, sector TEXT NOT NULL,
                    first_day INTEGER, last_day INTEGER, sort_key INTEGER, tags TEXT NOT NULL,
                    places TEXT NOT NULL, search TEXT NOT NULL, model TEXT NOT NULL, record TEXT NOT NULL,
                    checksum INTEGER NOT NULL);
CREATE INDEX facts_id ON facts (id);
CREATE INDEX facts_when ON facts (sort_key);
CREATE VIRTUAL TABLE facts_fts USING fts5 (search, content='facts', content_rowid='rowid', tokenize='trigram',
                                          detail='none');
"""


def checksum(*texts: str) -> int:
    """CRC-32 of a row's JSON texts."""
    value = 0
    for text in texts:
        value = zlib.crc32(text.encode("utf-8", "surrogatepass"), value)
    return value


def sort_key(fact: Fact) -> int | None:
    """The fact's date order as one integer: a year before its months, a month before its days."""
    when = fact.when
    if when is None:
        return None
    year, month, day = when.sort_key
    return year * 10_000 + month * 100 + day


def _fact_rows(
    contents: Sequence[FileContent], file_index: dict[str, int], records: Records, base: FactBase
) -> Iterator[tuple]:
    from shenka_cli.core.model import Fact
    from shenka_cli.core.search import entity_names, search_text
    from shenka_cli.core.search.normalise import fold

    names = entity_names(base.entities)  # searched too: the gazetteer's names and aliases of each entity
    model = encoder(Fact)
    for content in contents:
        for fact in content.facts:
            when = fact.when
            stored = ENCODE(model(fact))
            record = ENCODE(records.fact(fact))
            yield (
                file_index[content.path],
                fact.id,
                fact.sector,
                when.first_day.toordinal() if when else None,
                when.last_day.toordinal() if when else None,
                sort_key(fact),
                tag_column(fact.tags),
                fold("\x1f".join(fact.places)),
                search_text(fact, names),
                stored,
                record,
                checksum(stored, record),
            )


def write(
    database: str,
    identities: Sequence[FileIdentity],
    digests: Sequence[str],
    contents: Sequence[FileContent],
    result: LoadResult,
    path_problems: Sequence[Problem],
    built_ns: int,
    version: str,
    records: Records,
) -> None:
    """Write a whole snapshot into a new database file and sync it to disk (the caller renames it into place)."""
    from dataclasses import replace

    from shenka_cli.core.errors import Problem
    from shenka_cli.core.loader import FileContent
    from shenka_cli.core.model import FactBase

    connection = sqlite3.connect(database)
    try:
        # No journal while writing a file nobody else sees yet; it is synced before it is renamed into place.
        connection.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + SCHEMA)
        problems = encoder(tuple[Problem, ...])
        meta = {
            "version": ENCODE(version),
            "built_ns": ENCODE(built_ns),
            "base": ENCODE(encoder(FactBase)(result.base._replace(facts=()))),
            "problems": ENCODE(problems(tuple(result.problems))),
            "path_problems": ENCODE(problems(tuple(path_problems))),
        }
        connection.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
        content_json = encoder(FileContent)
        file_index: dict[str, int] = {}
        for index, (identity, digest, content) in enumerate(zip(identities, digests, contents, strict=True)):
            file_index[identity.path] = index
            connection.execute(
                "INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (index, *identity, digest, ENCODE(content_json(replace(content, facts=())))),
            )
        # Every file's facts, duplicates included, so that a rebuild can reuse each file's own result;
        # a generator, so that the rows are never all in memory at once.
        connection.executemany(
            "INSERT INTO facts (file, id, sector, first_day, last_day, sort_key, tags, places, search, model, record, "
            "checksum) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            _fact_rows(contents, file_index, records, result.base),
        )
        connection.execute("INSERT INTO facts_fts (facts_fts) VALUES ('rebuild')")
        connection.commit()
    finally:
        connection.close()
    descriptor = os.open(database, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
