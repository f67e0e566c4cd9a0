"""The rows of a snapshot's facts, stats and pinyin tables, made in batches of files: by forked workers on
every core when there are many facts (the first run of a large fact base), else in this process."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from shenka_cli.core.store.codec import encoder
from shenka_cli.core.store.pinyin import pair_tokens
from shenka_cli.core.store.schema import Records, checksum, sort_key, stored_json
from shenka_cli.core.store.sql import tag_column

if TYPE_CHECKING:
    from shenka_cli.core.loader import FileContent
    from shenka_cli.core.model import FactBase, Statistic

BATCH_FACTS = 2000
PARALLEL_FACTS = 5000  # fewer facts than this are not worth starting workers for


class Batch(NamedTuple):
    facts: list[tuple[Any, ...]]
    stats: list[tuple[Any, ...]]
    pinyin: list[tuple[int, str]]
    pairs: set[str]


# What a batch is made from, set before the workers are forked (they inherit it rather than receive it).
_job: dict[str, Any] = {}


def workers() -> int:
    """How many processes may share the work: the cores this process may use, where fork is available."""
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def in_parallel(function: Callable[[Any], Any], items: Sequence[Any], chunksize: int = 1) -> Iterator[Any]:
    """function over items, in order: by forked workers when several cores are free, else here."""
    count = min(workers(), len(items))
    if count < 2:
        yield from map(function, items)
        return
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(count) as pool:
        yield from pool.imap(function, items, chunksize)


def batches(
    contents: Sequence[FileContent],
    file_index: dict[str, int],
    base: FactBase,
    records: Records,
    table: dict[int, str],
) -> Iterator[Batch]:
    """The rows of every file's facts, in file order, a batch of about BATCH_FACTS facts at a time."""
    from shenka_cli.core.gazetteer import gazetteer_for
    from shenka_cli.core.search import entity_names

    spans: list[tuple[int, int, int]] = []  # (first content, last content + 1, rowid before the first fact)
    start = rowid = size = 0
    for index, content in enumerate(contents):
        size += len(content.facts)
        if size >= BATCH_FACTS or index == len(contents) - 1:
            spans.append((start, index + 1, rowid))
            rowid += size
            start, size = index + 1, 0
    _job.update(
        contents=contents,
        file_index=file_index,
        sector_order={sector.id: index for index, sector in enumerate(base.sectors)},
        names=entity_names(base.entities),
        gazetteer=gazetteer_for(base.entities),
        records=records,
        table=table,
    )
    try:
        if rowid >= PARALLEL_FACTS:
            yield from in_parallel(_batch, spans)
        else:
            yield from map(_batch, spans)
    finally:
        _job.clear()


def _number(stat: Statistic) -> float | None:
    """The number a statistic sorts by (query.number_of), as SQLite's REAL."""
    from shenka_cli.core.query import number_of

    number = number_of(stat)
    return None if number is None else float(number)


def _batch(span: tuple[int, int, int]) -> Batch:
    from shenka_cli.core.model import Fact, Statistic
    from shenka_cli.core.query import entity_tokens
    from shenka_cli.core.search import rank_text

    first, stop, rowid = span
    contents: Sequence[FileContent] = _job["contents"]
    records: Records = _job["records"]
    sector_order: dict[str, int] = _job["sector_order"]
    table: dict[int, str] = _job["table"]
    names = _job["names"]
    gazetteer = _job["gazetteer"]
    model, stat_model = encoder(Fact), encoder(Statistic)
    batch = Batch([], [], [], set())
    for content in contents[first:stop]:
        file = _job["file_index"][content.path]
        for fact in content.facts:
            rowid += 1
            when = fact.dated  # a standing fact is filtered and ordered by its as-of date
            stored = stored_json(model(fact))
            record = stored_json(records.fact(fact, gazetteer))
            cells = stored_json(records.cells(fact))
            for stat in fact.stats:
                stat_stored = stored_json(stat_model(stat))
                stat_record = stored_json(records.stat(stat, fact.sector))
                key = stat.as_of.sort_key if stat.as_of is not None else None
                batch.stats.append(
                    (
                        rowid,
                        stat.unit,
                        _number(stat),
                        key[0] * 10_000 + key[1] * 100 + key[2] if key else None,
                        checksum(stat_record),
                        checksum(stat_stored),
                        stat_record,
                        stat_stored,
                    )
                )
            ranking = rank_text(fact, names)
            pairs = pair_tokens(ranking, table)
            batch.pairs.update(pairs)
            batch.pinyin.append((rowid, " ".join(pairs)))
            batch.facts.append(
                (
                    rowid,
                    file,
                    fact.id,
                    fact.sector,
                    sector_order.get(fact.sector, len(sector_order)),
                    when.first_day.toordinal() if when else None,
                    when.last_day.toordinal() if when else None,
                    sort_key(fact),
                    int(bool(when and when.inferred)),
                    tag_column(fact.tags),
                    tag_column(entity_tokens(fact, gazetteer)),
                    checksum(cells),
                    checksum(record),
                    checksum(stored),
                    cells,
                    record,
                    stored,
                    ranking,
                )
            )
    return batch


def parse_all(files: Iterable[tuple[bytes, str]]) -> Iterator[FileContent]:
    """Each file parsed and checked on its own (loader.read_file_content), in order, on every core."""
    items = list(files)
    if sum(len(data) for data, _ in items) < 2_000_000:
        return map(_parse, items)
    return in_parallel(_parse, items, chunksize=8)


def _parse(item: tuple[bytes, str]) -> FileContent:
    from shenka_cli.core.loader import read_file_content

    return read_file_content(*item)
