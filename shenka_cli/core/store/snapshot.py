"""One cache database, read-only: is it shenka's, of this version, whole, and fresh? Its facts, read back.

A run trusts a file whose identity (size, mtime and ctime in nanoseconds, inode) is unchanged, unless it was
modified within RACY_NS of the snapshot's stamp, when the content hash is compared too (git's "racily clean"
files): an edit in the same second, even of the same size, is always seen. Once such files are older than the
window, the stamp is moved forward (as git re-stamps its index), so the next clean check is a stat per file.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shenka_cli.core.errors import CacheDamaged, Problem
from shenka_cli.core.files import Listing
from shenka_cli.core.store import schema
from shenka_cli.core.store.codec import compiled_decoder, decoder

if TYPE_CHECKING:
    from shenka_cli.core.loader import FileContent
    from shenka_cli.core.model import Fact, FactBase, Sector, Source

RACY_NS = 3_000_000_000
READ_ERRORS = (sqlite3.Error, ValueError, TypeError, KeyError, IndexError, UnicodeError)


# A file's rows in the order rows.fact_rows makes them (the rowid first, the file index left out), and its statistics'.
_STORED_FACT_ROWS = """SELECT f.rowid, f.id, f.sector, f.sector_order, f.first_day, f.last_day, f.sort_key,
       f.inferred, f.tags, f.entities, s.regions, s.search, m.model_check, m.model, r.record_check, r.record,
       c.cells_check, c.cells, t.texts_check, t.texts, b.line, b.markers
FROM facts f JOIN fact_search s ON s.rowid = f.rowid JOIN fact_models m ON m.rowid = f.rowid
JOIN fact_records r ON r.rowid = f.rowid JOIN fact_cells c ON c.rowid = f.rowid JOIN fact_texts t ON t.rowid = f.rowid
JOIN fact_rebuild b ON b.rowid = f.rowid
WHERE f.file = ? ORDER BY f.rowid"""
_STORED_STAT_ROWS = """SELECT st.fact, st.unit, st.number, st.as_of_key, r.record_check, r.record, m.model_check,
       m.model
FROM stats st JOIN stat_records r ON r.rowid = st.rowid JOIN stat_models m ON m.rowid = st.rowid
WHERE st.fact IN (SELECT rowid FROM facts WHERE file = ?) ORDER BY st.rowid"""


class Unusable(Exception):
    """The database cannot serve as a snapshot; the message says why, for a one-line warning."""


def uri(database: Path, mode: str) -> str:
    """The database as an SQLite URI: '#', '?' and '%' in the cache directory's path are percent-encoded."""
    return f"{database.absolute().as_uri()}?mode={mode}"


def digest(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


class Snapshot:
    """A read-only view of one cache database."""

    def __init__(self, connection: sqlite3.Connection, database: Path, version: str) -> None:
        self.connection = connection
        self.database = database
        self.version = version
        self.warnings: list[str] = []
        self._entity_forms: list[tuple[str, ...]] | None = None
        try:
            application_id, user_version = (
                connection.execute("PRAGMA application_id").fetchone()[0],
                connection.execute("PRAGMA user_version").fetchone()[0],
            )
        except sqlite3.DatabaseError as error:
            raise Unusable(f"the fact cache is damaged ({error})") from None
        if application_id != schema.APPLICATION_ID:
            raise Unusable(f"{database.name} in the cache directory is not a shenka fact cache")
        try:
            meta = dict(connection.execute("SELECT key, value FROM meta"))
            if user_version != schema.FORMAT_VERSION or json.loads(meta["version"]) != version:
                raise Unusable("the fact cache was written by another version of shenka")
            from shenka_cli.core.model import FactBase

            self.built_ns: int = decoder(int)(json.loads(meta["built_ns"]))
            self._pinyin_json: str = meta["pinyin"]
            self.timeline_counts: tuple[int, int, int] = decoder(tuple[int, int, int])(
                json.loads(meta["timeline_counts"])
            )
            self.base: FactBase = decoder(FactBase)(json.loads(meta["base"]))
            problems = decoder(tuple[Problem, ...])
            self.errors: list[Problem] = list(problems(json.loads(meta["errors"])))
            self.path_problems: list[Problem] = list(problems(json.loads(meta["path_problems"])))
            self.checks: str = decoder(str)(json.loads(meta["checks"]))
        except Unusable:
            raise
        except READ_ERRORS as error:
            raise Unusable(f"the fact cache is damaged ({type(error).__name__}: {error})") from None

    @classmethod
    def open(cls, database: Path, version: str) -> Snapshot:
        """The snapshot in a database; Unusable when it is not shenka's, from another version or damaged."""
        try:
            connection = sqlite3.connect(uri(database, "ro"), uri=True, check_same_thread=False, isolation_level=None)
        except sqlite3.Error as error:
            raise Unusable(f"the fact cache cannot be opened ({error})") from None
        from shenka_cli.core.store.sql import names_part

        connection.create_function("shenka_names_part", 3, names_part, deterministic=True)
        try:
            return cls(connection, database, version)
        except BaseException:
            connection.close()
            raise

    @property
    def sectors(self) -> tuple[Sector, ...]:
        return self.base.sectors

    @property
    def sources(self) -> tuple[Source, ...]:
        return self.base.sources

    def pinyin_classes(self) -> dict[str, str]:
        """The codes each syllable stands for in the pinyin index (core/store/pinyin.py)."""
        try:
            return decoder(dict[str, str])(json.loads(self._pinyin_json))
        except READ_ERRORS as error:
            raise self.damaged(error) from None

    def pinyin_pairs(self, firsts: Collection[str]) -> dict[str, str]:
        """The fact base's coded pairs of characters (core/store/pinyin.py) that start with one of the codes, and the
        characters each codes."""
        sql = "SELECT p.code, p.chars FROM json_each(?) f "
        sql += "JOIN pinyin_pairs p ON p.code > f.value AND p.code < f.value || ?"
        codes = json.dumps(sorted(firsts), ensure_ascii=False)
        try:
            return dict(self.connection.execute(sql, (codes, "\U0010ffff")))
        except READ_ERRORS as error:
            raise self.damaged(error) from None

    def sample_texts(self, count: int) -> list[str]:
        """The ranking texts of at most `count` facts spread evenly over the base."""
        try:
            (last,) = self.connection.execute("SELECT coalesce(max(rowid), 0) FROM fact_search").fetchone()
            rowids = json.dumps(list(range(1, last + 1, max(1, last // count)))[:count])
            sql = "SELECT search FROM fact_search WHERE rowid IN (SELECT value FROM json_each(?))"
            return [text for (text,) in self.connection.execute(sql, (rowids,))]
        except READ_ERRORS as error:
            raise self.damaged(error) from None

    def words(self, start: str) -> list[str]:
        """The runs of ASCII letters of the fact base's search texts that start with a run of ASCII letters."""
        try:
            rows = self.connection.execute("SELECT word FROM words WHERE word >= ? AND word < ?", (start, start + "{"))
            return [word for (word,) in rows]
        except READ_ERRORS as error:
            raise self.damaged(error) from None

    def entity_markers(self, test: Callable[[str], bool]) -> list[str]:
        """The markers, in the text indexes, of the entities one of whose names passes `test` (core/store/sql.py)."""
        from shenka_cli.core.store.sql import entity_forms, entity_markers

        if self._entity_forms is None:
            self._entity_forms = entity_forms(self.base.entities)
        return entity_markers(self._entity_forms, test)

    def needle_markers(self, needle: str) -> list[str]:
        """The markers of the entities one of whose names holds a folded needle (none for a needle too short for
        the trigram index, which substring_sql looks for in the whole search text)."""
        return self.entity_markers(lambda form: needle in form) if len(needle) >= 3 else []

    def close(self) -> None:
        self.connection.close()

    def identity(self) -> tuple[bytes, bytes]:
        """What tells this snapshot from another of the same version: the files it holds, as they were."""
        row: tuple[bytes, bytes] = self.connection.execute("SELECT paths, stamp FROM listing").fetchone()
        return row

    def reopened(self, identity: tuple[bytes, bytes]) -> Snapshot:
        """The same snapshot on a connection of its own, for a forked process (a connection is never carried across
        a fork); Unusable when the database now holds another one (it was rebuilt since: `identity` differs)."""
        return Snapshot.holding(self.database, self.version, identity)

    @staticmethod
    def holding(database: Path, version: str, identity: tuple[bytes, bytes]) -> Snapshot:
        """The snapshot in a database, on a connection of its own, when it is still the one with this identity;
        else Unusable (it was rebuilt since)."""
        other = Snapshot.open(database, version)
        try:
            if other.identity() != identity:
                raise Unusable("the fact cache was rebuilt meanwhile")
        except BaseException:
            other.close()
            raise
        return other

    def damaged(self, error: BaseException) -> CacheDamaged:
        """Remove the damaged database (the next run rebuilds it) and describe the damage; KeyboardInterrupt
        instead when the error was Ctrl-C stopping one of shenka's SQL functions (sql.INTERRUPTED)."""
        from shenka_cli.core.store.sql import INTERRUPTED

        if INTERRUPTED:
            raise KeyboardInterrupt
        with contextlib.suppress(OSError):
            os.unlink(self.database)
        return CacheDamaged(f"the fact cache is damaged ({type(error).__name__}: {error}); it has been removed")

    # Freshness

    def is_fresh(self, listing: Listing) -> bool:
        """Whether the snapshot holds exactly these files as they are now (re-stamping it when that helps)."""
        if listing.problems != self.path_problems:
            return False
        stored = self.connection.execute("SELECT paths, stamp FROM listing").fetchone()
        if stored is None or stored != (listing.path_bytes(), listing.stamp()):
            return False
        racy_since = self.built_ns - RACY_NS
        if listing.latest_mtime_ns() < racy_since:
            return True
        checked_ns = time.time_ns()
        digests = dict(self.connection.execute("SELECT idx, digest FROM files"))
        hashed: list[int] = []
        for index, path in enumerate(listing.paths):
            mtime_ns = listing.mtime_ns(index)
            if mtime_ns >= racy_since:
                try:
                    with open(path, "rb") as handle:
                        if digest(handle.read()) != digests.get(index):
                            return False
                except OSError:
                    return False
                hashed.append(mtime_ns)
        if min(hashed) < checked_ns - RACY_NS:
            self._restamp(checked_ns)
        return True

    def _restamp(self, stamp_ns: int) -> None:
        """Move the stamp to the time this clean check began; best effort, in a journalled transaction."""
        try:
            writer = sqlite3.connect(uri(self.database, "rw"), uri=True, timeout=0.1)
        except sqlite3.Error:
            return
        try:
            with writer:
                writer.execute("PRAGMA synchronous = FULL")
                writer.execute("UPDATE meta SET value = ? WHERE key = 'built_ns'", (json.dumps(stamp_ns),))
        except sqlite3.Error:
            pass
        finally:
            writer.close()

    def stored_files(self) -> dict[str, tuple[int, str]]:
        """Each file's index in this snapshot and the digest of its content, by path: what a rebuild can reuse."""
        rows = self.connection.execute("SELECT path, idx, digest FROM files")
        return {path: (index, stored_digest) for path, index, stored_digest in rows}

    def stored_file(self, index: int) -> FileContent:
        """The parse result this snapshot keeps of one file (by its index), facts and all, for a rebuild to reuse
        rather than parse the file again; one of READ_ERRORS when it cannot be read back whole (the caller then
        parses the file: nothing is removed here)."""
        from dataclasses import replace

        from shenka_cli.core.loader import FileContent

        (content,) = self.connection.execute("SELECT content FROM files WHERE idx = ?", (index,)).fetchone()
        sql = "SELECT f.rowid, m.model, m.model_check FROM facts f JOIN fact_models m ON m.rowid = f.rowid "
        facts = tuple(fact for _, fact in self._checked(sql + "WHERE f.file = ? ORDER BY f.rowid", (index,)))
        return replace(decoder(FileContent)(json.loads(content)), facts=facts)

    def stored_rows(self, index: int) -> tuple[str, list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        """What this snapshot keeps of one of its files (by its index), as rows a rebuild can copy when the tables
        the facts were checked against have not changed: (the file's content without facts, as stored; each
        fact's row as rows.fact_rows made it, its old rowid first and no file index; each statistic's row, its
        fact's old rowid first). One of READ_ERRORS when a value does not match its checksum or is not of its type
        (the caller then reads the file another way: nothing is removed here)."""
        from shenka_cli.core.store.sql import MARKER, MARKER_LENGTH

        (content,) = self.connection.execute("SELECT content FROM files WHERE idx = ?", (index,)).fetchone()
        if not isinstance(content, str):
            raise TypeError("a file's content is not text")
        facts = self.connection.execute(_STORED_FACT_ROWS, (index,)).fetchall()
        stats = self.connection.execute(_STORED_STAT_ROWS, (index,)).fetchall()
        checksum = schema.checksum
        for row in facts:
            if any(checksum(row[column + 1]) != row[column] for column in (12, 14, 16, 18)):
                raise ValueError("a fact row does not match its checksum")
            fact_id, search, line, markers = row[1], row[11], row[20], row[21]
            if not (isinstance(fact_id, str) and isinstance(search, str) and isinstance(line, int)):
                raise TypeError("a fact's id, search text or line is damaged")
            if not isinstance(markers, str) or len(markers) % MARKER_LENGTH:
                raise ValueError("a fact's markers are damaged")
            if markers[::MARKER_LENGTH].count(MARKER) != len(markers) // MARKER_LENGTH:
                raise ValueError("a fact's markers are damaged")
        rowids = {row[0] for row in facts}
        for row in stats:
            if checksum(row[5]) != row[4] or checksum(row[7]) != row[6]:
                raise ValueError("a statistic row does not match its checksum")
            if row[0] not in rowids:
                raise ValueError("a statistic's fact is not the file's")
        return content, facts, stats

    # Reading facts

    def _decoded(self, sql: str, parameters: Sequence[object]) -> Iterator[tuple[Any, Fact]]:
        """(first column, Fact) for each row of a query selecting (anything, model, model_check); a row that cannot
        be read back whole is damage."""
        try:
            yield from self._checked(sql, parameters)
        except READ_ERRORS as error:
            raise self.damaged(error) from None

    def _checked(self, sql: str, parameters: Sequence[object]) -> Iterator[tuple[Any, Fact]]:
        """_decoded, raising one of READ_ERRORS for a row that cannot be read back whole."""
        from shenka_cli.core.model import Fact

        build = compiled_decoder(Fact)
        for key, model, check in self.connection.execute(sql, parameters):
            if schema.checksum(model) != check:
                raise ValueError("a fact row does not match its checksum")
            yield key, build(json.loads(model))

    def facts(self, where: str, parameters: Sequence[object]) -> list[Fact]:
        return list(self._each_fact(where, parameters))

    def _each_fact(self, where: str, parameters: Sequence[object]) -> Iterator[Fact]:
        sql = (
            f"SELECT rowid, model, model_check FROM fact_models WHERE rowid IN (SELECT rowid FROM facts WHERE {where})"
        )
        sql += " ORDER BY rowid"
        return (fact for _, fact in self._decoded(sql, parameters))

    def fact(self, fact_id: str) -> Fact | None:
        from shenka_cli.core.store.sql import bindable

        if not bindable(fact_id):
            return None
        sql = (
            "SELECT rowid, model, model_check FROM fact_models "
            "WHERE rowid = (SELECT rowid FROM facts WHERE id = ? ORDER BY rowid LIMIT 1)"
        )
        found = [fact for _, fact in self._decoded(sql, (fact_id,))]
        return found[0] if found else None

    def ids(self) -> list[str]:
        try:
            return [fact_id for (fact_id,) in self.connection.execute("SELECT id FROM facts ORDER BY rowid")]
        except READ_ERRORS as error:
            raise self.damaged(error) from None

    def tags(self) -> list[str]:
        """The tags in use, sorted: from the facts' tag columns (few distinct), without decoding a fact."""
        from shenka_cli.core.store.sql import column_values

        try:
            rows = self.connection.execute("SELECT DISTINCT tags FROM facts").fetchall()
        except READ_ERRORS as error:
            raise self.damaged(error) from None
        return sorted({tag for (column,) in rows for tag in column_values(column)})

    def tagged(self) -> Iterator[tuple[str, tuple[str, ...]]]:
        """Each fact's sector and tags, in order, from the facts' columns without decoding a fact."""
        from shenka_cli.core.store.sql import column_values

        try:
            for sector, column in self.connection.execute("SELECT sector, tags FROM facts ORDER BY rowid"):
                yield sector, tuple(column_values(column))
        except READ_ERRORS as error:
            raise self.damaged(error) from None

    def citing_counts(self) -> dict[str, int]:
        """How many facts cite each source (present/sources.citing_counts), from the sources' tokens in the facts'
        entities columns (query.entity_tokens: each source once per fact), without decoding a fact."""
        from shenka_cli.core.query import SOURCE_TOKEN
        from shenka_cli.core.store.sql import column_values

        counts: dict[str, int] = {}
        try:
            for (column,) in self.connection.execute("SELECT entities FROM facts ORDER BY rowid"):
                for token in column_values(column):
                    if token.startswith(SOURCE_TOKEN):
                        source_id = token[len(SOURCE_TOKEN) :]
                        counts[source_id] = counts.get(source_id, 0) + 1
        except READ_ERRORS as error:
            raise self.damaged(error) from None
        return counts

    # The catalogue

    def base_without_facts(self) -> FactBase:
        return self.base

    def select(self, filters: Any) -> list[Fact]:
        return list(self.each(filters))

    def each(self, filters: Any) -> Iterator[Fact]:
        """The facts select() gives, decoded one at a time (memory stays flat however many there are)."""
        from shenka_cli.core.query import check_filters
        from shenka_cli.core.store.sql import filter_sql

        filters = check_filters(self.base, filters)
        clauses, parameters = filter_sql(filters)
        return (fact for fact in self._each_fact(" AND ".join(clauses), parameters) if filters.admits(fact))

    def sample(self, filters: Any, count: int) -> list[Fact]:
        """Every step-th fact the filters' SQL selects, so that at most `count` are decoded (all of them when
        there are no more): the words of a did-you-mean hint, which must not decode every fact of a large base."""
        from shenka_cli.core.query import check_filters
        from shenka_cli.core.store.sql import filter_sql

        filters = check_filters(self.base, filters)
        clauses, parameters = filter_sql(filters)
        where = " AND ".join(clauses)
        try:
            (total,) = self.connection.execute(f"SELECT count(*) FROM facts WHERE {where}", parameters).fetchone()
        except READ_ERRORS as error:
            raise self.damaged(error) from None
        step = max(1, -(-total // count))
        spread = (
            "rowid IN (SELECT rowid FROM (SELECT rowid, row_number() OVER (ORDER BY rowid) AS n "
            f"FROM facts WHERE {where}) WHERE (n - 1) % {step} = 0)"
        )
        return [fact for fact in self.facts(spread, parameters) if filters.admits(fact)]

    def timeline(self, filters: Any, undated: bool) -> Any:
        from shenka_cli.core.store.queries import timeline

        return timeline(self, filters, undated)

    def statistics(self, filters: Any, sort: Any) -> Any:
        from shenka_cli.core.store.queries import statistics

        return statistics(self, filters, sort)

    def search(self, filters: Any, terms: Sequence[str], limit: int) -> Any:
        from shenka_cli.core.store.queries import search

        return search(self, filters, terms, limit)
