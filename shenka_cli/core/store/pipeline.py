"""How a snapshot is written from the files without holding every fact in this process.

The tables every fact is checked against (sectors, sources, the gazetteer, units, measures) live in a few small
files: those are read here first. Every other file is then read, parsed, checked and turned into rows a batch of
files at a time, by forked workers on every core when there are many, which inherit the tables; this process
writes the rows as they come and keeps, of each fact, only its id and place (for duplicate ids). The problems come
out in the order `loader.assemble` gives them, so a cached run reports exactly what an uncached one does.

A file is taken for a table file when a [[sector]], [[source]], [[place]], [[organisation]], [[person]], [[unit]]
or [[measure]] header starts one of its lines. Should a file taken for facts alone turn out to define tables all
the same (written another way), the build starts again with every file read here first.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, NamedTuple

from shenka_cli.core.errors import Problem, errors_only
from shenka_cli.core.loader import PARALLEL_BYTES  # below it, files are read here rather than by workers
from shenka_cli.core.model import Location

if TYPE_CHECKING:
    from pathlib import Path

    from shenka_cli.core.files import FileIdentity
    from shenka_cli.core.loader import Checks, FileContent
    from shenka_cli.core.model import FactBase
    from shenka_cli.core.store.schema import Records

TABLE_HEADER = re.compile(
    rb"^[ \t]*\[\[[ \t]*[\"']?(?:sector|source|place|organisation|person|unit|measure)[\"']?[ \t]*\]\]", re.MULTILINE
)
# The same header anywhere in a line: a quick test that most files fail (anchored, the search is ten times slower).
TABLE_NAME = re.compile(rb"\[\[[ \t]*[\"']?(?:sector|source|place|organisation|person|unit|measure)[\"']?[ \t]*\]\]")
BATCH_BYTES = 600_000  # about 2,000 facts of files read by a worker
AHEAD = 3  # batches made ahead of those written: about 30 MB each, when rows are copied faster than written


class NeedsTables(Exception):
    """A file taken for facts alone defines tables: every file must be read before any fact is checked."""


class Planned(NamedTuple):
    """One file of the snapshot: its content when it was read here, else None (a worker reads it, or reads back
    what the previous snapshot keeps of it: `reused` is then its index there)."""

    identity: FileIdentity
    content: FileContent | None
    digest: str
    size: int
    reused: int | None = None


class Reuse(NamedTuple):
    """The snapshot a rebuild replaces: the files it holds unchanged have their rows copied from it (when `checks`
    allows: Snapshot.stored_rows) or their facts read back from it (Snapshot.stored_file) rather than parsed again,
    each by the worker that needs it, on a connection of its own."""

    database: Path
    version: str
    identity: tuple[bytes, bytes]  # Snapshot.identity: the database must still hold that snapshot
    files: dict[str, tuple[int, str]]  # by path: (index in the snapshot, digest)
    # What its facts were checked against (checks_fingerprint), when none of them had errors: while the new
    # snapshot's is the same, an unchanged file's rows are copied rather than made again. None: never copied.
    checks: str | None = None


class Batch(NamedTuple):
    files: list[tuple[int, str, str, tuple[Problem, ...]]]  # (index, digest, content JSON without facts, problems)
    facts: list[tuple[Any, ...]]  # rowid counted from 1 within the batch
    stats: list[tuple[Any, ...]]
    pinyin: list[tuple[int, str]]
    pairs: set[str]
    texts: list[tuple[int, str]]  # what the text index holds of each fact (rows.index_text and its entities' markers)
    ids: list[tuple[str, Location, tuple[Problem, ...]]]  # each fact's id, place and the problems its checks found
    words: set[str]  # the runs of ASCII letters of the facts' search texts


class Result(NamedTuple):
    base: FactBase  # without facts
    errors: list[Problem]
    checks: str  # checks_fingerprint


# What the workers work on, set before they are forked (they inherit it rather than receive it).
_job: dict[str, Any] = {}


def plan(
    identities: Sequence[FileIdentity], defaults: frozenset[str], reuse: Reuse | None, read_all: bool
) -> list[Planned]:
    """Each file, read here when it holds tables (or `read_all`), else marked for a worker: to be reused when the
    previous snapshot holds it unchanged, else read."""
    from shenka_cli.core.loader import FileContent, parse_files, read_file_content
    from shenka_cli.core.store.snapshot import digest

    planned: list[Planned] = []
    unparsed: list[tuple[int, bytes, str]] = []
    for identity in identities:
        try:
            with open(identity.path, "rb") as handle:
                data = handle.read()
        except OSError as error:
            problem = Problem(identity.path, None, f"cannot be read: {error.strerror or error}")
            planned.append(Planned(identity, FileContent(identity.path, problems=(problem,)), "", 0))
            continue
        here = read_all or identity.path in defaults or _holds_tables(data)
        file_digest = digest(data) if here or reuse else ""  # else the worker that reads the file hashes it
        stored = reuse.files.get(identity.path) if reuse is not None and not here else None
        reused = stored[0] if stored is not None and stored[1] == file_digest else None
        content = None
        if identity.path in defaults:
            content = replace(read_file_content(data, identity.path), facts=(), problems=())
        elif here and not read_all:
            content = read_file_content(data, identity.path)
        elif read_all:
            unparsed.append((len(planned), data, identity.path))
        planned.append(Planned(identity, content, file_digest, len(data), reused))
    for (index, _, _), parsed in zip(unparsed, parse_files([(data, path) for _, data, path in unparsed]), strict=True):
        planned[index] = planned[index]._replace(content=parsed)
    return planned


def _holds_tables(data: bytes) -> bool:
    return TABLE_NAME.search(data) is not None and TABLE_HEADER.search(data) is not None


def write_rows(
    connection: Any,
    planned: Sequence[Planned],
    defaults: frozenset[str],
    path_problems: Sequence[Problem],
    records: Records,
    table: dict[int, str],
    reuse: Reuse | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[Result, set[str], set[str]]:
    """Insert every file and every fact's rows; (the base without facts and its errors, the pinyin pairs seen, the
    runs of ASCII letters seen). `progress` is told (files written, files in all) after each batch.

    Raises NeedsTables when a file taken for facts alone defines tables."""
    from shenka_cli.core.loader import Registry, duplicate
    from shenka_cli.core.store.pinyin import pair_tokens
    from shenka_cli.core.store.rows import insert_facts, insert_stats
    from shenka_cli.core.store.sql import entity_forms

    registry = Registry()
    borrowed = Registry()
    own_problems: dict[int, list[Problem]] = {}
    for index, item in enumerate(planned):
        if item.content is None:
            continue
        if item.identity.path in defaults:
            borrowed.add(item.content, [])
        else:
            registry.add(item.content, own_problems.setdefault(index, []))
    registry.own = registry.kinds()
    registry.borrow(borrowed, registry.own)
    whole: list[Problem] = []
    checks = registry.checks(whole)
    fingerprint = checks_fingerprint(checks, table)
    copy = reuse is not None and reuse.checks == fingerprint
    file_problems: dict[int, tuple[Problem, ...]] = {}
    duplicates: list[Problem] = []
    checked: list[Problem] = []
    seen: dict[str, Location] = {}
    pairs: set[str] = set()
    words: set[str] = set()
    fact_count = files_done = 0
    for batch in _batches(planned, defaults, checks, records, table, reuse, copy):
        connection.executemany("INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?)", _file_rows(planned, batch))
        for index, _, _, problems in batch.files:
            file_problems[index] = problems
        offset = fact_count
        insert_facts(connection, offset, batch.facts, batch.texts)
        insert_stats(connection, [(offset + row[0], *row[1:]) for row in batch.stats])
        connection.executemany(
            "INSERT INTO facts_pinyin (rowid, pairs) VALUES (?, ?)", [(offset + r, p) for r, p in batch.pinyin]
        )
        pairs |= batch.pairs
        words |= batch.words
        fact_count += len(batch.facts)
        for fact_id, location, problems in batch.ids:
            if duplicate(seen, fact_id, location, duplicates) is None:
                seen[fact_id] = location
                checked.extend(problems)
        files_done += len(batch.files)
        if progress is not None:
            progress(files_done, len(planned))
    # The pinyin index holds entity names through markers: the codes of their characters are in the fact base too.
    forms = entity_forms(checks.base.entities)
    pairs |= pair_tokens("\x1f".join(form for names in forms for form in names), table)
    problems = list(path_problems)
    for index in range(len(planned)):
        problems += file_problems.get(index, ())
        problems += own_problems.get(index, ())
    problems += duplicates + whole + checked
    return Result(checks.base, errors_only(problems), fingerprint), pairs, words


def checks_fingerprint(checks: Checks, table: dict[int, str]) -> str:
    """What a fact's problems and rows depend on besides the fact: the tables it is checked against (the fact base
    without facts), how strictly, and the pinyin codes of its characters."""
    import hashlib

    from shenka_cli.core.model import FactBase
    from shenka_cli.core.store.codec import encoder
    from shenka_cli.core.store.schema import ENCODE

    whole = [
        encoder(FactBase)(checks.base),
        sorted((category.value, strict) for category, strict in checks.strict.items()),
        sorted(checks.unit_names),
        sorted(table.items()),
    ]
    return hashlib.sha256(ENCODE(whole).encode("utf-8", "surrogatepass")).hexdigest()


def _file_rows(planned: Sequence[Planned], batch: Batch) -> Iterator[tuple[Any, ...]]:
    for index, file_digest, content, _ in batch.files:
        yield (index, *planned[index].identity, file_digest, content)


def _batches(
    planned: Sequence[Planned],
    defaults: frozenset[str],
    checks: Checks,
    records: Records,
    table: dict[int, str],
    reuse: Reuse | None,
    copy: bool,
) -> Iterator[Batch]:
    """The rows of every file, in file order, a batch of files at a time: by forked workers when there is much
    to read, else here. With `copy`, the rows of the files `reuse` holds unchanged are copied from it."""
    from shenka_cli.core.gazetteer import gazetteer_for
    from shenka_cli.core.parallel import in_parallel, spans_by_size
    from shenka_cli.core.search import entity_names
    from shenka_cli.core.store.sql import entity_marker

    spans = spans_by_size([item.size for item in planned], BATCH_BYTES)
    _job.update(
        planned=planned,
        defaults=defaults,
        checks=checks,
        sector_order={sector.id: index for index, sector in enumerate(checks.base.sectors)},
        names=entity_names(checks.base.entities),
        gazetteer=gazetteer_for(checks.base.entities),
        records=records,
        units=records.units(checks.base.units),
        table=table,
        markers={(e.category, e.id): entity_marker(index) for index, e in enumerate(checks.base.entities)},
        reuse=reuse,
        copy=copy,
    )
    try:
        unread = sum(item.size for item in planned if item.content is None)
        if unread >= PARALLEL_BYTES:
            yield from in_parallel(_batch, spans, ahead=AHEAD)
        else:
            yield from map(_batch, spans)
    finally:
        _job.clear()
        _close_previous()


def _batch(span: tuple[int, int]) -> Batch:
    """One batch: each file read (unless it was read already), checked, and its facts made into rows."""
    from shenka_cli.core.loader import FileContent, read_file_content
    from shenka_cli.core.model import Fact, Statistic
    from shenka_cli.core.store.codec import encoder
    from shenka_cli.core.store.rows import fact_rows
    from shenka_cli.core.store.schema import ENCODE
    from shenka_cli.core.store.snapshot import digest

    planned: Sequence[Planned] = _job["planned"]
    checks: Checks = _job["checks"]
    content_json = encoder(FileContent)
    coders = (encoder(Fact), encoder(Statistic))
    batch = Batch([], [], [], [], set(), [], [], set())
    rowid = 0
    for index in range(*span):
        item = planned[index]
        content, file_digest = item.content, item.digest
        fetched = content is None  # here: read back from the previous snapshot, or read and parsed
        if fetched and item.reused is not None and _job["copy"]:
            copied = _copied(item.reused)
            if copied is not None:
                rowid = _add_copied(batch, index, item, rowid, *copied)
                continue
        if fetched and item.reused is not None:
            content = _stored(item.reused)
        if content is None:
            try:
                with open(item.identity.path, "rb") as handle:
                    data = handle.read()
            except OSError as error:
                problem = Problem(item.identity.path, None, f"cannot be read: {error.strerror or error}")
                content, file_digest = FileContent(item.identity.path, problems=(problem,)), ""
            else:
                content, file_digest = read_file_content(data, item.identity.path), digest(data)
        if fetched and (content.sectors or content.sources or content.entities or content.units or content.measures):
            raise NeedsTables(item.identity.path)
        batch.files.append((index, file_digest, ENCODE(content_json(replace(content, facts=()))), content.problems))
        for fact in content.facts:
            problems: list[Problem] = []
            checks.fact(fact, problems)
            batch.ids.append((fact.id, fact.location, tuple(problems)))
            rowid += 1
            fact_rows(batch, fact, rowid, index, _job, coders)
    return batch


# The previous snapshot as this process opened it: (process id, the snapshot or None when it cannot serve).
_previous: list[tuple[int, Any]] = []


def _stored(index: int) -> FileContent | None:
    """What the previous snapshot keeps of one of its files, or None (the file is then read and parsed)."""
    from shenka_cli.core.store.snapshot import READ_ERRORS

    previous = _previous_snapshot()
    if previous is None:
        return None
    try:
        content: FileContent = previous.stored_file(index)
    except READ_ERRORS:
        return None
    return content


def _copied(index: int) -> tuple[str, FileContent, list[tuple[Any, ...]], list[tuple[Any, ...]]] | None:
    """The rows the previous snapshot keeps of one of its files (Snapshot.stored_rows) and its content without
    facts, or None (the file is then read back or parsed)."""
    from shenka_cli.core.loader import FileContent
    from shenka_cli.core.store.codec import decoder
    from shenka_cli.core.store.snapshot import READ_ERRORS

    previous = _previous_snapshot()
    if previous is None:
        return None
    try:
        content, facts, stats = previous.stored_rows(index)
        return content, decoder(FileContent)(json.loads(content)), facts, stats
    except READ_ERRORS:
        return None


def _add_copied(
    batch: Batch,
    index: int,
    item: Planned,
    rowid: int,
    content_json: str,
    content: FileContent,
    facts: list[tuple[Any, ...]],
    stats: list[tuple[Any, ...]],
) -> int:
    """Add a file's copied rows to a batch, numbered on from `rowid` (the last rowid of the batch so far), as
    rows.fact_rows would have made them from its facts; the batch's last rowid now."""
    from shenka_cli.core.store.rows import add_index_entries
    from shenka_cli.core.store.sql import MARKER_LENGTH

    if content.sectors or content.sources or content.entities or content.units or content.measures:
        raise NeedsTables(item.identity.path)
    batch.files.append((index, item.digest, content_json, content.problems))
    renumbered: dict[int, int] = {}
    for row in facts:
        rowid += 1
        renumbered[row[0]] = rowid
        search, line, joined = row[11], row[20], row[21]
        markers = [joined[start : start + MARKER_LENGTH] for start in range(0, len(joined), MARKER_LENGTH)]
        add_index_entries(batch, rowid, search, markers, _job["table"])
        batch.ids.append((row[1], Location(item.identity.path, line), ()))
        batch.facts.append((rowid, index, *row[1:]))
    for row in stats:
        batch.stats.append((renumbered[row[0]], *row[1:]))
    return rowid


def _previous_snapshot() -> Any:
    """The previous snapshot as this process opened it, or None when it cannot serve: opened once in each
    process (a connection is never carried across a fork), and only while it holds the snapshot the rebuild
    began from."""
    from shenka_cli.core.store.snapshot import READ_ERRORS, Snapshot, Unusable

    reuse: Reuse | None = _job.get("reuse")
    if reuse is None:
        return None
    if not _previous or _previous[0][0] != os.getpid():
        snapshot = None
        with contextlib.suppress(Unusable, *READ_ERRORS):
            snapshot = Snapshot.holding(reuse.database, reuse.version, reuse.identity)
        _previous[:] = [(os.getpid(), snapshot)]
    return _previous[0][1]


def _close_previous() -> None:
    if _previous and _previous[0][0] == os.getpid() and _previous[0][1] is not None:
        _previous[0][1].close()
    _previous.clear()
