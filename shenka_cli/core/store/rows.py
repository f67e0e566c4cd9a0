"""The rows of a snapshot's facts, stats and pinyin tables (core/store/pipeline.py makes them a batch of files at a
time)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from shenka_cli.core.model import EntityCategory
from shenka_cli.core.search import _COUNTS_END as COUNTS_END
from shenka_cli.core.search import _SEPARATOR as SEPARATOR
from shenka_cli.core.search import FIELDS
from shenka_cli.core.store.pinyin import pair_tokens
from shenka_cli.core.store.schema import Records, checksum, sort_key, stored_json
from shenka_cli.core.store.sql import tag_column

if TYPE_CHECKING:
    from shenka_cli.core.model import Fact, Statistic


def _number(stat: Statistic) -> float | None:
    """The number a statistic sorts by (query.number_of), as SQLite's REAL."""
    from shenka_cli.core.query import number_of

    number = number_of(stat)
    return None if number is None else float(number)


def fact_rows(batch: Any, fact: Fact, rowid: int, file: int, job: dict[str, Any], coders: tuple[Any, Any]) -> None:
    """Add the rows of one fact (and of its statistics) to a batch (pipeline.Batch)."""
    from shenka_cli.core.query import entity_tokens
    from shenka_cli.core.search import rank_text, region_starts, search_values

    records: Records = job["records"]
    sector_order: dict[str, int] = job["sector_order"]
    gazetteer = job["gazetteer"]
    model, stat_model = coders
    when = fact.dated  # a standing fact is filtered and ordered by its as-of date
    stored = stored_json(model(fact))
    units = job["units"]
    record = stored_json(records.fact(fact, gazetteer, units))
    cells = stored_json(records.cells(fact))
    for stat in fact.stats:
        stat_stored = stored_json(stat_model(stat))
        stat_record = stored_json(records.stat(stat, fact.sector, units))
        key = stat.as_of.sort_key if stat.as_of is not None else None
        batch.stats.append(
            (
                rowid,
                stat.unit,
                _number(stat),
                key[0] * 10_000 + key[1] * 100 + key[2] if key else None,
                checksum(stat_record),
                stat_record,
                checksum(stat_stored),
                stat_stored,
            )
        )
    names = job["names"]
    if names is not None:  # the fact's entity names, found once for both texts
        groups = names(fact)
        names = lambda _: groups  # noqa: E731
    ranking = rank_text(fact, names)
    texts = search_values(fact, names).encode("utf-8", "surrogatepass")
    marker_of: dict[tuple[Any, str], str] = job["markers"]
    markers = [
        marker_of[(category, entity.id)]
        for category in EntityCategory
        for entity in gazetteer.fact_entities(fact, category)
        if not isinstance(entity, str)
    ]
    add_index_entries(batch, rowid, ranking, markers, job["table"])
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
            pack_regions(region_starts(ranking)),
            ranking,
            checksum(stored),
            stored,
            checksum(record),
            record,
            checksum(cells),
            cells,
            checksum(texts),
            texts,
            fact.location.line,
            "".join(markers),
        )
    )


def add_index_entries(batch: Any, rowid: int, ranking: str, markers: list[str], table: dict[int, str]) -> None:
    """Add what the text indexes and the words and pinyin-pair tables hold of one fact (its ranking text and its
    entities' markers) to a batch (pipeline.Batch): for a fact made here, or one whose rows a rebuild copies."""
    indexed = index_text(ranking)
    pairs = pair_tokens(indexed, table)
    batch.pairs.update(pairs)
    batch.words.update(LETTERS.findall(ranking))
    batch.pinyin.append((rowid, " ".join([*pairs, *markers])))
    batch.texts.append((rowid, SEPARATOR.join([indexed, *markers])))


FACT_COLUMNS = 11  # the facts table's own columns, first in each row fact_rows makes; then the narrow tables' two each
NARROW_TABLES = ("fact_search", "fact_models", "fact_records", "fact_cells", "fact_texts", "fact_rebuild")
LETTERS = re.compile("[a-z]+")  # the words table: every English word of a search text is such a run (folded)
# The bits of each region's start in a packed `regions` value: 63 in all (a positive SQLite integer). The starts are
# byte offsets and grow from region to region, most of all over the names of the fact's gazetteer entities.
REGION_WIDTHS = (11, 12, 12, 14, 14)
_SHIFTS = [sum(REGION_WIDTHS[:index]) for index in range(len(REGION_WIDTHS))]


def pack_regions(starts: list[int] | None) -> int | None:
    """Where each region of a fact's ranking text starts (search.region_starts), as one integer SQL can take
    apart (region_start_sql); None (the fact is then ranked in Python) when there are none or one does not fit."""
    if starts is None or any(start >= 1 << width for start, width in zip(starts, REGION_WIDTHS, strict=True)):
        return None
    return sum(start << shift for start, shift in zip(starts, _SHIFTS, strict=True))


def search_bytes(column: str = "search") -> str:
    """A fact's ranking text in SQL as its UTF-8 bytes, where substr() and instr() count bytes."""
    return f"CAST({column} AS BLOB)"


SEARCH_BYTES = search_bytes()


def region_start_sql(index: int, column: str = "regions") -> str:
    """SQL for where the region after the index-th starts in a fact's ranking text (its UTF-8 bytes, 0-based), from
    a packed `regions` value."""
    return f"(({column} >> {_SHIFTS[index]}) & {(1 << REGION_WIDTHS[index]) - 1})"


def region_starts_sql(column: str = "regions") -> list[str]:
    """SQL for where each region of a fact's ranking text starts (region_start_sql; the first at 0)."""
    return ["0", *(region_start_sql(index, column) for index in range(len(REGION_WIDTHS)))]


def region_sql(index: int) -> str:
    """SQL for the index-th region of a fact's ranking text, as its UTF-8 bytes."""
    starts = region_starts_sql()
    length = f", {starts[index + 1]} - {starts[index]}" if index + 1 < len(starts) else ""
    return f"substr({SEARCH_BYTES}, {starts[index]} + 1{length})"


def insert_stats(connection: Any, rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert the statistics' rows fact_rows made (each with its fact's rowid) into the stats table and its
    narrow tables, numbered on from those inserted already."""
    (last,) = connection.execute("SELECT coalesce(max(rowid), 0) FROM stats").fetchone()
    numbered = list(enumerate(rows, start=last + 1))
    connection.executemany("INSERT INTO stats VALUES (?, ?, ?, ?, ?)", [(rowid, *row[:4]) for rowid, row in numbered])
    connection.executemany("INSERT INTO stat_records VALUES (?, ?, ?)", [(rowid, *row[4:6]) for rowid, row in numbered])
    connection.executemany("INSERT INTO stat_models VALUES (?, ?, ?)", [(rowid, *row[6:8]) for rowid, row in numbered])


def insert_facts(
    connection: Any, offset: int, rows: Sequence[tuple[Any, ...]], texts: Sequence[tuple[int, str]]
) -> None:
    """Insert the rows fact_rows made (rowids counted from offset + 1) into the facts table, its narrow tables
    and its text index (`texts`: each fact's index_text and its entities' markers)."""
    connection.executemany(
        f"INSERT INTO facts VALUES ({', '.join('?' * FACT_COLUMNS)})",
        [(offset + row[0], *row[1:FACT_COLUMNS]) for row in rows],
    )
    for index, table in enumerate(NARROW_TABLES):
        first = FACT_COLUMNS + 2 * index
        connection.executemany(
            f"INSERT INTO {table} VALUES (?, ?, ?)", [(offset + row[0], row[first], row[first + 1]) for row in rows]
        )
    connection.executemany(
        "INSERT INTO facts_fts (rowid, search) VALUES (?, ?)",
        [(offset + rowid, text) for rowid, text in texts],
    )


_NAMES = (FIELDS.index("names.title"), FIELDS.index("names") + 1)  # the fields of the names the gazetteer adds


def index_text(ranking: str) -> str:
    """The text of a fact that its search indexes hold: its ranking text (core/search rank_text) without the names
    and aliases of the gazetteer entities it lists, which every fact listing them repeats (the indexes hold each
    entity's marker instead); the whole text when the sizes of its fields are not known."""
    head, _, blob = ranking.partition(COUNTS_END)
    if head == "-":
        return blob
    counts = [int(count) for count in head.split(",")]
    start, stop = sum(counts[: _NAMES[0]]), sum(counts[: _NAMES[1]])
    if start == stop:
        return blob
    values = blob.split(SEPARATOR)
    return SEPARATOR.join(values[:start] + values[stop:])
