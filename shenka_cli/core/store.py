"""Where commands get facts from: a cached, indexed snapshot of the fact base, or the files themselves.

The cache is one SQLite file per set of fact directories, in $XDG_CACHE_HOME/shenka (never in the fact
directories). It holds every file's identity (path, size, mtime and ctime in nanoseconds, inode, SHA-256),
the per-file parse results, and one row per fact: its pickled model object, its filter columns and its
folded search text (with an FTS5 trigram index). A run trusts a file whose stat is unchanged, unless the
file was modified within RACY_NS of the snapshot being taken, when it compares the content hash too (as
git does for "racily clean" files): an edit in the same second, even of the same size, is always seen.

A snapshot is never changed in place: a rebuild (of only the changed files' parse results) writes a new
database beside the old one and renames it over it, so concurrent runs read either the old or the new
snapshot, whole. Any cache failure falls back to reading the files, with at most a one-line warning.
"""

from __future__ import annotations

import os
import pickle
import sqlite3
import sys
import tempfile
import time
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from shenka_cli.core.errors import InvalidFactBase, Problem
from shenka_cli.core.paths import cache_dir, default_facts_dirs, fact_files

if TYPE_CHECKING:
    from typing import Protocol

    from shenka_cli.core.loader import FileContent
    from shenka_cli.core.model import Fact, FactBase, Sector, Source
    from shenka_cli.core.query import Filters

    class Catalogue(Protocol):
        """What commands query: sectors, sources, facts selected by filters or by search terms."""

        sectors: tuple[Sector, ...]
        sources: tuple[Source, ...]

        def select(self, filters: Filters) -> list[Fact]: ...

        def search_candidates(self, filters: Filters, terms: Sequence[str]) -> list[Fact]: ...

        def fact(self, fact_id: str) -> Fact | None: ...

        def ids(self) -> list[str]: ...


FORMAT_VERSION = 3
RACY_NS = 3_000_000_000
CACHE_ENV = "SHENKA_CACHE"  # "0" turns the cache off


class MemoryCatalogue:
    """The fact base held in memory, as the loader returns it."""

    def __init__(self, base: FactBase) -> None:
        self.base = base

    @property
    def sectors(self) -> tuple[Sector, ...]:
        return self.base.sectors

    @property
    def sources(self) -> tuple[Source, ...]:
        return self.base.sources

    def select(self, filters: Filters) -> list[Fact]:
        from shenka_cli.core.query import select

        return select(self.base, filters)

    def search_candidates(self, filters: Filters, terms: Sequence[str]) -> list[Fact]:
        return self.select(filters)

    def fact(self, fact_id: str) -> Fact | None:
        return self.base.fact(fact_id)

    def ids(self) -> list[str]:
        return [fact.id for fact in self.base.facts]


def _database_path(paths: Sequence[Path]) -> Path:
    key = "\x00".join(os.path.abspath(path) for path in paths).encode()
    return cache_dir() / f"facts-{zlib.crc32(key):08x}{zlib.adler32(key):08x}.sqlite3"


def _warn(message: str) -> None:
    from shenka_cli.cli.console import write_text
    from shenka_cli.text.safety import visible_line

    write_text(f"shenka: warning: {visible_line(message)}\n", sys.stderr)


class FileIdentity(NamedTuple):
    path: str
    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int

    @classmethod
    def of(cls, path: Path) -> FileIdentity:
        info = path.stat()
        return cls(str(path), info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def _digest(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def open_catalogue(paths: Sequence[Path] | None) -> Catalogue:
    """The fact base for commands: a fresh cached snapshot when possible, else the files read directly.

    Raises InvalidFactBase when the facts have errors.
    """
    paths = list(paths) if paths else default_facts_dirs()
    files, path_problems = fact_files(paths)
    if os.environ.get(CACHE_ENV) != "0":
        try:
            return _cached(paths, files, path_problems)
        except (OSError, sqlite3.Error, pickle.UnpicklingError, EOFError, AttributeError, ValueError) as error:
            _warn(f"fact cache unusable ({type(error).__name__}: {error}); reading the fact files directly")
    return _uncached(files, path_problems)


def _uncached(files: list[Path], path_problems: list[Problem]) -> Catalogue:
    from shenka_cli.core.loader import assemble, read_path

    result = assemble((read_path(path) for path in files), path_problems)
    if result.errors:
        raise InvalidFactBase(result.problems)
    return MemoryCatalogue(result.base)


def _cached(paths: list[Path], files: list[Path], path_problems: list[Problem]) -> Catalogue:
    database = _database_path(paths)
    snapshot = Snapshot.open(database) if database.exists() else None
    identities = [FileIdentity.of(path) for path in files]
    if snapshot is not None and not snapshot.is_fresh(identities, path_problems):
        snapshot = snapshot.close_and_rebuild(database, identities, path_problems)
    elif snapshot is None:
        snapshot = Snapshot.build(database, identities, path_problems, previous=None)
    if snapshot.errors:
        raise InvalidFactBase(snapshot.problems)
    return snapshot


class Snapshot:
    """A read-only view of one cache database."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection
        meta = dict(connection.execute("SELECT key, value FROM meta"))
        if pickle.loads(meta["version"]) != (FORMAT_VERSION, sys.version_info[:2]):
            raise ValueError("the cache was written by another version")
        self.built_ns: int = pickle.loads(meta["built_ns"])
        self.sectors, self.sources = pickle.loads(meta["catalogue"])
        self.problems: list[Problem] = pickle.loads(meta["problems"])
        self.path_problems: list[Problem] = pickle.loads(meta["path_problems"])

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if not problem.warning]

    @classmethod
    def open(cls, database: Path) -> Snapshot | None:
        """The snapshot in a database, or None when it is missing, from another version or damaged."""
        try:
            connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True, check_same_thread=False)
            return cls(connection)
        except (sqlite3.Error, KeyError, ValueError, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
            return None

    def stored_files(self) -> list[tuple[FileIdentity, str]]:
        rows = self.connection.execute("SELECT path, size, mtime_ns, ctime_ns, inode, digest FROM files ORDER BY idx")
        return [(FileIdentity(*row[:5]), row[5]) for row in rows]

    def is_fresh(self, identities: list[FileIdentity], path_problems: list[Problem]) -> bool:
        if path_problems != self.path_problems:
            return False
        stored = self.stored_files()
        if [identity.path for identity in identities] != [identity.path for identity, _ in stored]:
            return False
        for identity, (old, digest) in zip(identities, stored, strict=True):
            if identity != old:
                return False
            if identity.mtime_ns >= self.built_ns - RACY_NS and _digest(Path(identity.path).read_bytes()) != digest:
                return False
        return True

    def close_and_rebuild(
        self, database: Path, identities: list[FileIdentity], path_problems: list[Problem]
    ) -> Snapshot:
        try:
            return Snapshot.build(database, identities, path_problems, previous=self)
        finally:
            self.connection.close()

    def file_contents(self) -> dict[tuple[str, str], FileContent]:
        """The stored parse result of every file, keyed by (path, digest)."""
        from dataclasses import replace

        contents = {}
        facts_by_file: dict[int, list[Fact]] = {}
        for file_index, blob in self.connection.execute("SELECT file, blob FROM facts ORDER BY rowid"):
            facts_by_file.setdefault(file_index, []).append(pickle.loads(blob))
        rows = self.connection.execute("SELECT idx, path, digest, content FROM files")
        for index, path, digest, content in rows:
            contents[(path, digest)] = replace(pickle.loads(content), facts=tuple(facts_by_file.get(index, ())))
        return contents

    @classmethod
    def build(
        cls, database: Path, identities: list[FileIdentity], path_problems: list[Problem], previous: Snapshot | None
    ) -> Snapshot:
        """Parse what changed, reuse what did not, write a new database and rename it into place."""
        from shenka_cli.core.loader import assemble, read_file_content

        reusable = previous.file_contents() if previous is not None else {}
        built_ns = time.time_ns()
        contents: list[FileContent] = []
        digests: list[str] = []
        for identity in identities:
            data = Path(identity.path).read_bytes()
            digest = _digest(data)
            content = reusable.get((identity.path, digest)) or read_file_content(data, identity.path)
            contents.append(content)
            digests.append(digest)
        result = assemble(contents, path_problems)
        database.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=database.parent, prefix=".build-", suffix=".sqlite3")
        os.close(descriptor)
        try:
            _write(Path(temporary), identities, digests, contents, result, path_problems, built_ns)
            os.replace(temporary, database)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
        snapshot = cls.open(database)
        if snapshot is None:
            raise sqlite3.DatabaseError("the cache just written cannot be read back")
        return snapshot

    # Catalogue

    def _facts(self, where: str, parameters: Sequence[object]) -> list[Fact]:
        rows = self.connection.execute(f"SELECT blob FROM facts WHERE {where} ORDER BY rowid", parameters)
        return [pickle.loads(blob) for (blob,) in rows]

    def _filter_sql(self, filters: Filters) -> tuple[list[str], list[object]]:
        clauses: list[str] = ["1"]
        parameters: list[object] = []
        if filters.sector is not None:
            clauses.append("sector = ?")
            parameters.append(filters.sector)
        if filters.tag is not None:
            clauses.append("instr(tags, ?) > 0")
            parameters.append(f"\x1f{filters.tag}\x1f")
        if filters.place is not None:
            from shenka_cli.core.search.normalise import fold

            clauses.append("instr(places, ?) > 0")
            parameters.append(fold(filters.place))
        if filters.start is not None:
            clauses.append("last_day >= ?")
            parameters.append(filters.start.first_day.toordinal())
        if filters.end is not None:
            clauses.append("first_day <= ?")
            parameters.append(filters.end.last_day.toordinal())
        return clauses, parameters

    def select(self, filters: Filters) -> list[Fact]:
        from shenka_cli.core.query import check_filters

        check_filters(self._base_without_facts(), filters)
        clauses, parameters = self._filter_sql(filters)
        return [fact for fact in self._facts(" AND ".join(clauses), parameters) if filters.admits(fact)]

    def search_candidates(self, filters: Filters, terms: Sequence[str]) -> list[Fact]:
        """Facts that may match every term (a superset; search() ranks and checks them exactly)."""
        from shenka_cli.core.query import check_filters
        from shenka_cli.core.search import compile_terms, may_match

        check_filters(self._base_without_facts(), filters)
        clauses, parameters = self._filter_sql(filters)
        compiled = compile_terms(terms)
        if any(term.pattern is not None for term in compiled):
            self.connection.create_function(
                "shenka_may_match", 1, lambda blob: may_match(compiled, blob), deterministic=True
            )
            clauses.append("shenka_may_match(search)")
        else:
            for term in compiled:
                if len(term.folded) >= 3:
                    # Every trigram of the term (detail='none' keeps no positions: a superset, checked later).
                    trigrams = {term.folded[i : i + 3] for i in range(len(term.folded) - 2)}
                    clauses.append("rowid IN (SELECT rowid FROM facts_fts WHERE facts_fts MATCH ?)")
                    parameters.append(" AND ".join('"' + gram.replace('"', '""') + '"' for gram in sorted(trigrams)))
                else:
                    clauses.append("instr(search, ?) > 0")
                    parameters.append(term.folded)
        return [fact for fact in self._facts(" AND ".join(clauses), parameters) if filters.admits(fact)]

    def fact(self, fact_id: str) -> Fact | None:
        row = self.connection.execute("SELECT blob FROM facts WHERE id = ?", (fact_id,)).fetchone()
        return pickle.loads(row[0]) if row else None

    def ids(self) -> list[str]:
        return [fact_id for (fact_id,) in self.connection.execute("SELECT id FROM facts ORDER BY rowid")]

    def _base_without_facts(self) -> FactBase:
        from shenka_cli.core.model import FactBase

        return FactBase(self.sectors, self.sources, ())


SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE files (idx INTEGER PRIMARY KEY, path TEXT NOT NULL, size INTEGER, mtime_ns INTEGER, ctime_ns INTEGER,
                    inode INTEGER, digest TEXT NOT NULL, content BLOB NOT NULL);
CREATE TABLE facts (rowid INTEGER PRIMARY KEY, file INTEGER NOT NULL, id TEXT NOT NULL, sector TEXT NOT NULL,
                    first_day INTEGER, last_day INTEGER, tags TEXT NOT NULL, places TEXT NOT NULL,
                    search TEXT NOT NULL, blob BLOB NOT NULL);
CREATE INDEX facts_id ON facts (id);
CREATE VIRTUAL TABLE facts_fts USING fts5 (search, content='facts', content_rowid='rowid', tokenize='trigram',
                                          detail='none');
"""


def _write(
    database: Path,
    identities: list[FileIdentity],
    digests: list[str],
    contents: list[FileContent],
    result,
    path_problems: list[Problem],
    built_ns: int,
) -> None:
    from dataclasses import replace

    from shenka_cli.core.search import search_text
    from shenka_cli.core.search.normalise import fold

    connection = sqlite3.connect(database)
    try:
        connection.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + SCHEMA)
        dump = pickle.dumps
        meta = {
            "version": (FORMAT_VERSION, sys.version_info[:2]),
            "built_ns": built_ns,
            "catalogue": (result.base.sectors, result.base.sources),
            "problems": result.problems,
            "path_problems": path_problems,
        }
        connection.executemany("INSERT INTO meta VALUES (?, ?)", [(k, dump(v)) for k, v in meta.items()])
        file_index: dict[str, int] = {}
        for index, (identity, digest, content) in enumerate(zip(identities, digests, contents, strict=True)):
            file_index[identity.path] = index
            connection.execute(
                "INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    index,
                    identity.path,
                    identity.size,
                    identity.mtime_ns,
                    identity.ctime_ns,
                    identity.inode,
                    digest,
                    dump(replace(content, facts=())),
                ),
            )
        # Every file's facts, duplicates included, so that a rebuild can reuse each file's own result.
        # A generator, so that the rows (with their pickles) are never all in memory at once.
        rows = (
            (
                file_index[content.path],
                fact.id,
                fact.sector,
                fact.when.first_day.toordinal() if fact.when else None,
                fact.when.last_day.toordinal() if fact.when else None,
                "\x1f" + "\x1f".join(fact.tags) + "\x1f",
                fold("\x1f".join(fact.places)),
                search_text(fact),
                dump(fact),
            )
            for content in contents
            for fact in content.facts
        )
        connection.executemany(
            "INSERT INTO facts (file, id, sector, first_day, last_day, tags, places, search, blob) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        connection.execute("INSERT INTO facts_fts (facts_fts) VALUES ('rebuild')")
        connection.commit()
    finally:
        connection.close()
