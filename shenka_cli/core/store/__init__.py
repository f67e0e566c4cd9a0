"""Where commands get facts from: a cached, indexed snapshot of the fact base, or the files themselves.

The cache is one SQLite file per set of fact directories, in $XDG_CACHE_HOME/shenka (never in the fact
directories), holding plain SQL and JSON only (no pickles: a file placed in the cache directory is read as
data, never run). A snapshot is never rebuilt in place: a rebuild (of only the changed files) writes a new
database beside the old one, syncs it and renames it over it, so concurrent runs read either the old or the
new snapshot, whole. A cache that is damaged, of another version or not shenka's is rebuilt; one that cannot
be written is bypassed. The store never prints: what went wrong comes back as one-line `warnings`.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import tempfile
import time
import zlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from shenka_cli.core.errors import CacheDamaged, InvalidFactBase, Problem
from shenka_cli.core.files import FileIdentity, Listing, scan
from shenka_cli.core.paths import cache_dir, default_facts_dirs
from shenka_cli.core.store.memory import MemoryCatalogue
from shenka_cli.core.store.schema import FORMAT_VERSION, Records
from shenka_cli.core.store.snapshot import Snapshot, Unusable

if TYPE_CHECKING:
    from shenka_cli.core.model import Fact, FactBase, Sector, Source
    from shenka_cli.core.query import Filters, StatSort
    from shenka_cli.core.store.results import Found, Statistics, Timeline

__all__ = [
    "CACHE_ENV",
    "FORMAT_VERSION",
    "CacheDamaged",
    "Catalogue",
    "MemoryCatalogue",
    "Records",
    "Snapshot",
    "cache_dir",
    "open_catalogue",
]

CACHE_ENV = "SHENKA_CACHE"  # "0" turns the cache off
Progress = Callable[[int, int], None]  # told (files done, files in all) as a snapshot is written


class Catalogue(Protocol):
    """What commands query: sectors, sources, facts selected by filters or by search terms."""

    warnings: list[str]

    @property
    def sectors(self) -> tuple[Sector, ...]: ...

    @property
    def sources(self) -> tuple[Source, ...]: ...

    def base_without_facts(self) -> FactBase: ...

    def select(self, filters: Filters) -> list[Fact]: ...

    def each(self, filters: Filters) -> Iterator[Fact]: ...

    def sample(self, filters: Filters, count: int) -> list[Fact]: ...

    def fact(self, fact_id: str) -> Fact | None: ...

    def ids(self) -> list[str]: ...

    def tags(self) -> list[str]: ...

    def citing_counts(self) -> dict[str, int]: ...

    def tagged(self) -> Iterator[tuple[str, tuple[str, ...]]]: ...

    def timeline(self, filters: Filters, undated: bool) -> Timeline: ...

    def statistics(self, filters: Filters, sort: StatSort) -> Statistics: ...

    def search(self, filters: Filters, terms: Sequence[str], limit: int) -> Found: ...


def database_path(paths: Sequence[Path]) -> Path:
    key = "\x00".join(os.path.abspath(path) for path in paths).encode()
    return cache_dir() / f"facts-{zlib.crc32(key):08x}{zlib.adler32(key):08x}.sqlite3"


def cache_version() -> str:
    """What a snapshot must have been written by: this format, this Python, and this code.

    The code is fingerprinted by the size and mtime of shenka's modules (one scandir per package directory),
    so that an edited model, schema or record in a development install never meets a snapshot built before.
    """
    package = Path(__file__).resolve().parent.parent.parent
    parts = [f"{FORMAT_VERSION}", f"{sys.version_info[0]}.{sys.version_info[1]}"]
    pending = [str(package)]
    while pending:
        directory = pending.pop()
        with os.scandir(directory) as listing:
            for entry in sorted(listing, key=lambda entry: entry.name):
                if entry.is_dir() and not entry.name.startswith((".", "__")):
                    pending.append(entry.path)
                elif entry.name.endswith(".py"):
                    info = entry.stat()
                    parts.append(f"{entry.path[len(str(package)) :]}:{info.st_size}:{info.st_mtime_ns}")
    return f"{zlib.crc32(chr(0).join(parts).encode()):08x}-{FORMAT_VERSION}"


def open_catalogue(paths: Sequence[Path] | None, records: Records, progress: Progress | None = None) -> Catalogue:
    """The fact base for commands: a fresh cached snapshot when possible, else the files read directly.

    `records` builds each fact's JSON record at build time; `progress` hears how far a snapshot being written has
    got. Raises InvalidFactBase when the facts have errors.
    """
    from shenka_cli.core.paths import default_files
    from shenka_cli.core.preload import take

    paths = list(paths) if paths else default_facts_dirs()
    bundled = default_files(paths)
    listing = (take(paths) or scan(paths)).extended(bundled)
    defaults = frozenset(map(str, bundled))
    path_problems = listing.problems
    warnings: list[str] = []
    if os.environ.get(CACHE_ENV) != "0":
        try:
            return _cached(paths, listing, defaults, records, warnings, progress)
        except (OSError, sqlite3.Error, ValueError, TypeError, Unusable) as error:
            reason = error if isinstance(error, Unusable) else f"{type(error).__name__}: {error}"
            warnings.append(f"fact cache unusable ({reason}); reading the fact files directly")
    return uncached(listing.identities(), defaults, path_problems, records, warnings)


SMALL_BASE_BYTES = 1_000_000  # fact files this large are read (or cached) in about a second


def at_once(paths: Sequence[Path] | None) -> bool:
    """Whether open_catalogue would return without a noticeable wait: the fact files are small, or their cached
    snapshot is fresh. Help asks (it shows the sector ids) since it must print at once, not after a build."""
    from shenka_cli.core.files import FIELDS
    from shenka_cli.core.paths import default_files

    paths = list(paths) if paths else default_facts_dirs()
    listing = scan(paths).extended(default_files(paths))
    if sum(listing.numbers[0::FIELDS]) <= SMALL_BASE_BYTES:
        return True
    database = database_path(paths)
    if os.environ.get(CACHE_ENV) == "0" or not database.exists():
        return False
    try:
        snapshot = Snapshot.open(database, cache_version())
    except Unusable:
        return False
    try:
        return snapshot.is_fresh(listing)
    except (sqlite3.Error, ValueError, TypeError):
        return False
    finally:
        snapshot.close()


def uncached(
    identities: Sequence[FileIdentity],
    defaults: frozenset[str],
    path_problems: list[Problem],
    records: Records,
    warnings: list[str],
) -> Catalogue:
    """The fact base read from the files; `defaults` are the bundled files, for what the others lack."""
    from shenka_cli.core.loader import assemble, read_default, read_paths

    own = read_paths(Path(identity.path) for identity in identities if identity.path not in defaults)
    bundled = (read_default(Path(identity.path)) for identity in identities if identity.path in defaults)
    result = assemble(own, path_problems, bundled)
    if result.errors:
        raise InvalidFactBase(result.problems)
    return MemoryCatalogue(result.base, records, warnings)


def _cached(
    paths: list[Path],
    listing: Listing,
    defaults: frozenset[str],
    records: Records,
    warnings: list[str],
    progress: Progress | None = None,
) -> Snapshot:
    database = database_path(paths)
    roots = [os.path.abspath(path) for path in paths]
    version = cache_version()
    snapshot: Snapshot | None = None
    if database.exists():
        try:
            snapshot = Snapshot.open(database, version)
        except Unusable as reason:
            warnings.append(f"{reason}; rebuilding it")
    if snapshot is not None:
        try:
            fresh = snapshot.is_fresh(listing)
        except (sqlite3.Error, ValueError, TypeError) as error:
            warnings.append(f"the fact cache is damaged ({type(error).__name__}: {error}); rebuilding it")
            snapshot.close()
            snapshot, fresh = None, False
        if not fresh and snapshot is not None:
            try:
                snapshot = build(database, listing, snapshot, version, records, defaults, progress, roots)
            except CacheDamaged as damage:
                warnings.append(f"{damage}; rebuilding it")
                snapshot = None
    if snapshot is None:
        snapshot = build(database, listing, None, version, records, defaults, progress, roots)
    snapshot.warnings = warnings
    if snapshot.errors:
        raise InvalidFactBase(snapshot.errors)
    return snapshot


def build(
    database: Path,
    listing: Listing,
    previous: Snapshot | None,
    version: str,
    records: Records,
    defaults: frozenset[str] = frozenset(),
    progress: Progress | None = None,
    roots: Sequence[str] = (),
) -> Snapshot:
    """Parse what changed, reuse what did not, write a new database and rename it into place; then clear the
    cache directory of what no run will use again (housekeeping.prune).

    The `defaults` (bundled files) supply only the tables the others lack: their facts are not stored. `roots`
    are the fact paths the snapshot is for, as given (absolute).
    """
    from shenka_cli.core.store import schema
    from shenka_cli.core.store.pipeline import NeedsTables, Reuse, plan
    from shenka_cli.core.store.snapshot import READ_ERRORS

    reuse = None
    if previous is not None:
        try:
            checks = None if previous.errors else previous.checks
            reuse = Reuse(previous.database, version, previous.identity(), previous.stored_files(), checks)
        except READ_ERRORS:
            reuse = None  # every file is parsed again
        finally:
            previous.close()
    built_ns = time.time_ns()
    database.parent.mkdir(parents=True, exist_ok=True)
    identities = listing.identities()
    for read_all in (False, True):
        planned = plan(identities, defaults, reuse, read_all)
        descriptor, temporary = tempfile.mkstemp(dir=database.parent, prefix=".build-", suffix=".sqlite3")
        os.close(descriptor)
        try:
            schema.write(temporary, planned, defaults, listing, built_ns, version, records, reuse, progress, roots)
            os.replace(temporary, database)
            break
        except NeedsTables:
            continue
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
    _sync_directory(database.parent)
    from shenka_cli.core.store.housekeeping import prune

    prune(database.parent, keep=database)
    return Snapshot.open(database, version)


def _sync_directory(directory: Path) -> None:
    """Make a rename in the directory durable (where the system allows opening a directory)."""
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
