"""The cache database: its schema, how a snapshot is written, and the JSON that its columns hold.

Every value is plain SQL or JSON: typed columns for filtering and ordering, each fact as JSON of its model
(core/store/codec.py) and its JSON record as the presentation layer builds it for the README's contract,
encoded once at build time (UTF-8 bytes) and copied to the output as it is. Each JSON value has its CRC-32
beside it, which tells a damaged row from a good one. The file carries shenka's application id and format
version.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import zlib
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from shenka_cli.core.store.codec import encoder
from shenka_cli.core.store.pinyin import TOKENIZER as PINYIN_TOKENIZER
from shenka_cli.text.safety import _BIDI as BIDI
from shenka_cli.text.safety import UNSAFE

if TYPE_CHECKING:
    from shenka_cli.core.files import Listing
    from shenka_cli.core.gazetteer import Gazetteer
    from shenka_cli.core.model import Fact, Statistic, Unit
    from shenka_cli.core.store.pipeline import Planned, Reuse

FORMAT_VERSION = 17
APPLICATION_ID = 0x73686B61  # "shka"
ENCODE = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode


class Records(NamedTuple):
    """How the presentation layer builds the JSON records of a fact and of a statistic (the README's contract),
    and the cells of a fact's timeline row in every language (present/cells.py), which the store keeps too.
    A record's English figures need the fact base's unit registry, which `units` makes from its unit table."""

    fact: Callable[[Fact, Gazetteer, Any], dict[str, Any]]
    stat: Callable[[Statistic, str, Any], dict[str, Any]]
    cells: Callable[[Fact], dict[str, Any]]
    units: Callable[[Sequence[Unit]], Any]


SCHEMA = f"""
PRAGMA application_id = {APPLICATION_ID};
PRAGMA user_version = {FORMAT_VERSION};
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE listing (paths BLOB NOT NULL, stamp BLOB NOT NULL);  -- what a clean check compares (files.Listing)
CREATE TABLE files (idx INTEGER PRIMARY KEY, path TEXT NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
                    ctime_ns INTEGER NOT NULL, inode INTEGER NOT NULL, digest TEXT NOT NULL, content TEXT NOT NULL);
CREATE TABLE facts (rowid INTEGER PRIMARY KEY, file INTEGER NOT NULL, id TEXT NOT NULL, sector TEXT NOT NULL,
                    sector_order INTEGER NOT NULL, first_day INTEGER, last_day INTEGER, sort_key INTEGER,
                    inferred INTEGER NOT NULL, tags TEXT NOT NULL, entities TEXT NOT NULL);
-- Each fact's larger values in narrow tables of their own (keyed by the fact's rowid), so that a scan reads only
-- what it needs: filters the small typed columns above, a search the ranking text, a timeline in JSON its records,
-- in CSV its cells.
-- fact_search.regions: where the regions of its ranking text start, as byte offsets (core/store/rows.py pack_regions).
CREATE TABLE fact_search (rowid INTEGER PRIMARY KEY, regions INTEGER, search TEXT NOT NULL);
CREATE TABLE fact_models (rowid INTEGER PRIMARY KEY, model_check INTEGER NOT NULL, model BLOB NOT NULL);
CREATE TABLE fact_records (rowid INTEGER PRIMARY KEY, record_check INTEGER NOT NULL, record BLOB NOT NULL);
CREATE TABLE fact_cells (rowid INTEGER PRIMARY KEY, cells_check INTEGER NOT NULL, cells BLOB NOT NULL);
CREATE TABLE fact_texts (rowid INTEGER PRIMARY KEY, texts_check INTEGER NOT NULL, texts BLOB NOT NULL);
-- What a rebuild needs to copy a fact's rows rather than check and encode its fact again: the line the fact starts
-- at (for duplicate ids) and the markers of the entities it lists, which its text indexes hold (core/store/sql.py).
CREATE TABLE fact_rebuild (rowid INTEGER PRIMARY KEY, line INTEGER NOT NULL, markers TEXT NOT NULL);
CREATE INDEX fact_search_unpacked ON fact_search (rowid) WHERE regions IS NULL;  -- those ranked in Python
CREATE INDEX facts_id ON facts (id);
CREATE INDEX facts_file ON facts (file);  -- a file's facts, for a rebuild that reuses them (Snapshot.stored_file)
CREATE INDEX facts_when ON facts (sort_key);
CREATE INDEX facts_dated ON facts (inferred, sort_key);  -- the timeline's counts, without reading the facts' rows
CREATE TABLE stats (rowid INTEGER PRIMARY KEY, fact INTEGER NOT NULL, unit TEXT NOT NULL, number REAL,
                    as_of_key INTEGER);
CREATE TABLE stat_records (rowid INTEGER PRIMARY KEY, record_check INTEGER NOT NULL, record BLOB NOT NULL);
CREATE TABLE stat_models (rowid INTEGER PRIMARY KEY, model_check INTEGER NOT NULL, model BLOB NOT NULL);
CREATE INDEX stats_fact ON stats (fact);
CREATE VIRTUAL TABLE facts_pinyin USING fts5 (pairs, content='', columnsize=0, detail='none',
                                             tokenize="{PINYIN_TOKENIZER}");
-- The text index holds each fact's search text without the names of the gazetteer entities it lists (a marker of
-- each instead: core/store/rows.py index_text). That text and the terms looked up in it are folded already
-- (core/search), so the tokenizer does not fold again; segments are merged only when many pile up, not after
-- every batch of a bulk build.
CREATE VIRTUAL TABLE facts_fts USING fts5 (search, content='', columnsize=0, tokenize='trigram case_sensitive 1',
                                          detail='none');
INSERT INTO facts_fts (facts_fts, rank) VALUES ('automerge', 0);
-- What the fact base's search texts are made of, for ranking a pinyin or English term in SQL (core/store/spelled.py):
-- each distinct pair of the pinyin index (coded) with its two characters, and each distinct run of ASCII letters.
CREATE TABLE pinyin_pairs (code TEXT PRIMARY KEY, chars TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE words (word TEXT PRIMARY KEY) WITHOUT ROWID;
"""


def checksum(data: bytes) -> int:
    """CRC-32 of a stored JSON value: a damaged one never reaches the output."""
    return zlib.crc32(data)


# The characters of text.safety.UNSAFE that JSON leaves as they are (it escapes every one below U+0020 itself).
_UNSAFE_IN_JSON = re.compile(f"[\x7f-\x9f{BIDI}\u2028\u2029]")


def stored_json(value: Any) -> bytes:
    """A value as the store keeps it: compact JSON in UTF-8, with the characters a terminal would act on written
    as \\uXXXX escapes (as render/json.py writes them), so a record can be copied to the output as it is."""
    text = ENCODE(value)
    if _UNSAFE_IN_JSON.search(text):
        text = UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
    return text.encode("utf-8", "surrogatepass")


STANDING_KEY = 10**9  # standing facts sort after every event and period (whose keys stay below 10**8)

# The timeline's note: how many undated facts match, whether a dated one has an inferred date, how many standing
# facts match. Kept for the whole base at build time too, so a timeline without filters starts without a scan.
TIMELINE_COUNTS = (
    "SELECT coalesce(sum(sort_key IS NULL), 0), coalesce(max(inferred * (sort_key IS NOT NULL)), 0), "
    f"coalesce(sum(sort_key >= {STANDING_KEY}), 0) FROM facts WHERE {{}}"
)


def sort_key(fact: Fact) -> int | None:
    """The fact's place in the timeline as one integer: a year before its months, a month before its days; a
    standing fact after all events and periods, by its as-of date; None for an undated fact."""
    when = fact.dated
    if when is None:
        return None
    year, month, day = when.sort_key
    return (STANDING_KEY if fact.when is None else 0) + year * 10_000 + month * 100 + day


def write(
    database: str,
    planned: Sequence[Planned],
    defaults: frozenset[str],
    listing: Listing,
    built_ns: int,
    version: str,
    records: Records,
    reuse: Reuse | None = None,
    progress: Callable[[int, int], None] | None = None,
    roots: Sequence[str] = (),
) -> None:
    """Write a whole snapshot into a new database file and sync it to disk (the caller renames it into place),
    reading back from `reuse` what it keeps of the files that did not change. Raises pipeline.NeedsTables when
    every file must be read before any fact is checked."""
    from shenka_cli.core.errors import Problem
    from shenka_cli.core.model import FactBase
    from shenka_cli.core.search.pinyin import syllable_chars
    from shenka_cli.core.store.pinyin import code_table, present_classes
    from shenka_cli.core.store.pipeline import write_rows

    connection = sqlite3.connect(database)
    try:
        # No journal while writing a file nobody else sees yet; it is synced before it is renamed into place.
        # Small pages: a listing reads rows in date order, not in the order they were written, and each row read
        # costs its pages (with 64 KiB pages a timeline read 2.5 times slower). The small columns come first and
        # the larger ones in the order listings want them, since a long row continues on overflow pages.
        connection.executescript(
            "PRAGMA page_size = 4096; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + SCHEMA
        )
        table, classes = code_table(syllable_chars())
        path_problems = listing.problems
        result, pairs, words = write_rows(connection, planned, defaults, path_problems, records, table, reuse, progress)
        characters = {code: chr(char) for char, code in table.items()}
        connection.executemany(
            "INSERT INTO pinyin_pairs VALUES (?, ?)",
            sorted((pair, "".join(characters.get(code, code) for code in pair)) for pair in pairs),
        )
        connection.executemany("INSERT INTO words VALUES (?)", sorted((word,) for word in words))
        problems = encoder(tuple[Problem, ...])
        meta = {
            "version": ENCODE(version),
            "built_ns": ENCODE(built_ns),
            "base": ENCODE(encoder(FactBase)(result.base)),
            # Only the errors: a warm run needs them to refuse an invalid base; warnings are validate's business.
            "errors": ENCODE(problems(tuple(result.errors))),
            "path_problems": ENCODE(problems(tuple(path_problems))),
            "pinyin": ENCODE(present_classes(classes, pairs)),
            "timeline_counts": ENCODE(list(connection.execute(TIMELINE_COUNTS.format("1")).fetchone())),
            "checks": ENCODE(result.checks),
            "roots": ENCODE(list(roots)),  # the fact paths it is for: once none exists, housekeeping.prune drops it
        }
        connection.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
        connection.execute("INSERT INTO listing VALUES (?, ?)", (listing.path_bytes(), listing.stamp()))
        connection.commit()
    finally:
        connection.close()
    descriptor = os.open(database, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
