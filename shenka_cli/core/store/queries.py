"""The streaming queries of a cached snapshot: timeline, statistics and search, ordered and ranked in SQL or from
stored columns, read row by row. Each gives exactly what the same query gives on the facts in memory
(core/store/memory.py); the tests compare the two byte for byte."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from shenka_cli.core.store.codec import compiled_decoder as decoder
from shenka_cli.core.store.results import Found, Record, Statistics, Timeline
from shenka_cli.core.store.schema import STANDING_KEY, checksum
from shenka_cli.core.store.snapshot import READ_ERRORS
from shenka_cli.core.store.sql import filter_sql, substring_sql

if TYPE_CHECKING:
    from shenka_cli.core.query import Filters, StatSort
    from shenka_cli.core.search import Hit
    from shenka_cli.core.search.query import Term
    from shenka_cli.core.store.snapshot import Snapshot


def _rows(snapshot: Snapshot, sql: str, parameters: Sequence[object]) -> Iterator[tuple[Any, ...]]:
    """The rows of a query selecting (a stored JSON value, its checksum, …), each value checked."""
    try:
        for row in snapshot.connection.execute(sql, parameters):
            if checksum(row[0]) != row[1]:
                raise ValueError("a stored value does not match its checksum")
            yield row
    except READ_ERRORS as error:
        raise snapshot.damaged(error) from None


def _values(snapshot: Snapshot, sql: str, parameters: Sequence[object]) -> Iterator[bytes]:
    return (row[0] for row in _rows(snapshot, sql, parameters))


def _models(snapshot: Snapshot, kind: type, rows: Iterator[tuple[Any, ...]]) -> Iterator[Any]:
    build = decoder(kind)
    try:
        for row in rows:
            yield build(json.loads(row[0]))
    except READ_ERRORS as error:
        raise snapshot.damaged(error) from None


def _where(snapshot: Snapshot, filters: Filters) -> tuple[str, list[object]]:
    from shenka_cli.core.query import check_filters

    filters = check_filters(snapshot.base, filters)  # names resolved through the gazetteer
    clauses, parameters = filter_sql(filters)
    return " AND ".join(clauses), parameters


def timeline(snapshot: Snapshot, filters: Filters, undated: bool) -> Timeline:
    from shenka_cli.core.model import Fact

    where, parameters = _where(snapshot, filters)
    try:
        count, inferred, held = snapshot.connection.execute(
            "SELECT coalesce(sum(sort_key IS NULL), 0), coalesce(max(inferred * (sort_key IS NOT NULL)), 0), "
            f"coalesce(sum(sort_key >= {STANDING_KEY}), 0) FROM facts WHERE {where}",
            parameters,
        ).fetchone()
    except READ_ERRORS as error:
        raise snapshot.damaged(error) from None
    queries = [f"FROM facts WHERE {where} AND sort_key IS NOT NULL ORDER BY sort_key, rowid"]
    if undated:
        queries.append(f"FROM facts WHERE {where} AND sort_key IS NULL ORDER BY rowid")

    def rows(columns: str) -> Iterator[tuple[Any, ...]]:
        for sql in queries:
            yield from _rows(snapshot, f"SELECT {columns} {sql}", parameters)

    return Timeline(
        lambda: _models(snapshot, Fact, rows("model, model_check")),
        lambda: (row[0] for row in rows("record, record_check")),
        lambda: (row[0] for row in rows("cells, cells_check")),
        int(count),
        bool(inferred),
        int(held),
    )


_WITHIN = {"unit": "", "value": "-coalesce(s.number, 0), ", "date": "s.as_of_key IS NULL, s.as_of_key, ",
           "sector": "s.sector_order, "}  # fmt: skip


def statistics(snapshot: Snapshot, filters: Filters, sort: StatSort) -> Statistics:
    from shenka_cli.core.model import Statistic

    where, parameters = _where(snapshot, filters)
    sql = (
        "WITH s AS (SELECT stats.rowid AS r, stats.unit AS unit, stats.number AS number, stats.as_of_key AS as_of_key, "
        "facts.sector_order AS sector_order, facts.sector AS fact_sector, stats.model AS model, "
        "stats.model_check AS model_check, stats.record AS record, stats.record_check AS record_check "
        f"FROM stats JOIN facts ON facts.rowid = stats.fact WHERE {where}), "
        "u AS (SELECT unit, min(r) AS first FROM s GROUP BY unit) "
        "SELECT {} FROM s JOIN u ON u.unit = s.unit "
        f"ORDER BY u.first, {_WITHIN[sort.value]}s.r"
    )

    def stats() -> Iterator[tuple[Statistic, str]]:
        rows = _rows(snapshot, sql.format("s.model, s.model_check, s.fact_sector"), parameters)
        build = decoder(Statistic)
        try:
            for row in rows:
                yield build(json.loads(row[0])), row[2]
        except READ_ERRORS as error:
            raise snapshot.damaged(error) from None

    return Statistics(stats, lambda: _values(snapshot, sql.format("s.record, s.record_check"), parameters))


def _term_sql(snapshot: Snapshot, term: Term) -> tuple[str, list[object]]:
    """A clause for the facts that may match a term: where one of its needles occurs (another form of the word,
    another script), or, for a term that reads as pinyin, where the pinyin index has its syllables' pairs."""
    alternatives = [substring_sql(needle) for needle in term.needles]
    parameters = [parameter for _, more in alternatives for parameter in more]
    clauses = [clause for clause, _ in alternatives]
    if term.pattern is not None:
        from shenka_cli.core.search.pinyin import term_spellings
        from shenka_cli.core.search.query import toneless
        from shenka_cli.core.store.pinyin import match_expression

        classes = snapshot.pinyin_classes()
        spellings = term_spellings(toneless(term.folded), classes) or []
        expression = match_expression(spellings, classes)
        if expression is None:
            return "1", []  # a single syllable: every fact is a candidate, checked exactly
        if expression:
            clauses.append("rowid IN (SELECT rowid FROM facts_pinyin WHERE facts_pinyin MATCH ?)")
            parameters.append(expression)
    return "(" + " OR ".join(clauses) + ")", parameters


def search(snapshot: Snapshot, filters: Filters, terms: Sequence[str], limit: int) -> Found:
    """Rank every candidate from its stored ranking text (no fact is built), keep the best `limit`, and read only
    those back, in rank order, through a temporary table."""
    from shenka_cli.core.model import Fact
    from shenka_cli.core.search import NeedsFact, entity_names, parse_query, rank_score, stored_hit
    from shenka_cli.core.search import search as exact

    where, parameters = _where(snapshot, filters)
    query = parse_query(terms)
    if not query.terms:
        return Found(lambda: iter(()), lambda: iter(()), 0, 0)
    names = entity_names(snapshot.base.entities)
    clauses = [where]
    for term in query.terms:
        clause, more = _term_sql(snapshot, term)
        clauses.append(clause)
        parameters += more
    scored: list[tuple[float, int]] = []
    build = decoder(Fact)
    sql = f"SELECT rowid, search, model FROM facts WHERE {' AND '.join(clauses)} ORDER BY rowid"
    try:
        for rowid, text, model in snapshot.connection.execute(sql, parameters):
            try:
                score = rank_score(query, text)
            except NeedsFact:
                hits = exact([build(json.loads(model))], query, names)
                score = hits[0].score if hits else None
            if score is not None:
                scored.append((-score, rowid))
    except READ_ERRORS as error:
        raise snapshot.damaged(error) from None
    scored.sort()
    shown = scored[:limit] if limit else scored
    connection = snapshot.connection
    connection.execute("CREATE TEMP TABLE IF NOT EXISTS ranked (position INTEGER PRIMARY KEY, fact INTEGER NOT NULL)")
    connection.execute("DELETE FROM temp.ranked")
    connection.executemany("INSERT INTO temp.ranked (fact) VALUES (?)", ((rowid,) for _, rowid in shown))
    ranked = "SELECT {} FROM temp.ranked JOIN facts ON facts.rowid = ranked.fact ORDER BY ranked.position"

    def hits() -> Iterator[Hit]:
        rows = _rows(snapshot, ranked.format("facts.model, facts.model_check, facts.search"), ())
        try:
            for row in rows:
                hit = stored_hit(build(json.loads(row[0])), query, names, row[2])
                if hit is not None:
                    yield hit
        except READ_ERRORS as error:
            raise snapshot.damaged(error) from None

    def records() -> Iterator[Record]:
        return _values(snapshot, ranked.format("facts.record, facts.record_check"), ())

    return Found(hits, records, len(scored), len(shown))
