"""The streaming queries of a cached snapshot: timeline, statistics and search, ordered and ranked in SQL or from
stored columns, read row by row. Each gives exactly what the same query gives on the facts in memory
(core/store/memory.py); the tests compare the two byte for byte."""

from __future__ import annotations

import itertools
import json
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from shenka_cli.core.store.codec import compiled_decoder as decoder
from shenka_cli.core.store.results import Found, Record, Statistics, Timeline
from shenka_cli.core.store.rows import SEARCH_BYTES, region_sql, region_starts_sql, search_bytes
from shenka_cli.core.store.schema import TIMELINE_COUNTS, checksum
from shenka_cli.core.store.snapshot import READ_ERRORS
from shenka_cli.core.store.sql import bindable, filter_sql, substring_sql

if TYPE_CHECKING:
    import sqlite3

    from shenka_cli.core.model import Fact
    from shenka_cli.core.query import Filters, StatSort
    from shenka_cli.core.search import Query, Shown
    from shenka_cli.core.search.query import Term
    from shenka_cli.core.store.snapshot import Snapshot
    from shenka_cli.core.store.spelled import Needles


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
    """The values of a query selecting (a stored JSON value, its checksum), each checked (_rows, without a tuple
    handed on per row: a listing of 100,000 records reads little else)."""
    try:
        for value, check in snapshot.connection.execute(sql, parameters):
            if checksum(value) != check:
                raise ValueError("a stored value does not match its checksum")
            yield value
    except READ_ERRORS as error:
        raise snapshot.damaged(error) from None


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
        count, inferred, held = (
            snapshot.timeline_counts
            if where == "1"
            else snapshot.connection.execute(TIMELINE_COUNTS.format(where), parameters).fetchone()
        )
    except READ_ERRORS as error:
        raise snapshot.damaged(error) from None
    queries = [f"WHERE {where} AND sort_key IS NOT NULL ORDER BY facts.sort_key, facts.rowid"]
    if undated:
        queries.append(f"WHERE {where} AND sort_key IS NULL ORDER BY facts.rowid")

    def rows(table: str, column: str) -> Iterator[tuple[Any, ...]]:
        """A narrow table's value (and its checksum) for each fact in the timeline's order."""
        for sql in queries:
            yield from _rows(snapshot, select(table, column, sql), parameters)

    def select(table: str, column: str, sql: str) -> str:
        return f"SELECT x.{column}, x.{column}_check FROM facts JOIN {table} x ON x.rowid = facts.rowid {sql}"

    def values(table: str, column: str) -> Iterator[bytes]:
        selects = (select(table, column, sql) for sql in queries)
        return itertools.chain.from_iterable(_values(snapshot, sql, parameters) for sql in selects)

    return Timeline(
        lambda: _models(snapshot, Fact, rows("fact_models", "model")),
        lambda: values("fact_records", "record"),
        lambda: values("fact_cells", "cells"),
        int(count),
        bool(inferred),
        int(held),
    )


_WITHIN = {"unit": "", "value": "-coalesce(s.number, 0), ", "date": "s.as_of_key IS NULL, s.as_of_key, ",
           "sector": "s.sector_order, "}  # fmt: skip


def statistics(snapshot: Snapshot, filters: Filters, sort: StatSort) -> Statistics:
    from shenka_cli.core.model import Statistic

    where, parameters = _where(snapshot, filters)
    # The order is found from the typed columns alone, into a temporary table of its own; each statistic's JSON is
    # then read in that order as it is printed (sorted with the JSON, the rows cost twice as much).
    table = f"temp.stat_order_{next(_ORDERS)}"
    try:
        snapshot.connection.execute(
            f"CREATE TABLE {table} (position INTEGER PRIMARY KEY, stat INTEGER NOT NULL, sector TEXT NOT NULL)"
        )
        # A unit's group comes where its first statistic would (the least rowid among those that match).
        snapshot.connection.execute(
            "WITH s AS (SELECT stats.rowid AS r, stats.unit AS unit, stats.number AS number, "
            "stats.as_of_key AS as_of_key, facts.sector_order AS sector_order, facts.sector AS fact_sector "
            f"FROM facts JOIN stats ON stats.fact = facts.rowid WHERE {where}) "
            f"INSERT INTO {table} (stat, sector) SELECT s.r, s.fact_sector FROM s "
            f"ORDER BY min(s.r) OVER (PARTITION BY s.unit), {_WITHIN[sort.value]}s.r",
            parameters,
        )
    except READ_ERRORS as error:
        raise snapshot.damaged(error) from None
    sql = f"SELECT {{}} FROM {table} k JOIN {{}} AS x ON x.rowid = k.stat ORDER BY k.position"

    def stats() -> Iterator[tuple[Statistic, str]]:
        rows = _rows(snapshot, sql.format("x.model, x.model_check, k.sector", "stat_models"), ())
        build = decoder(Statistic)
        try:
            for row in rows:
                yield build(json.loads(row[0])), row[2]
        except READ_ERRORS as error:
            raise snapshot.damaged(error) from None

    return Statistics(stats, lambda: _values(snapshot, sql.format("x.record, x.record_check", "stat_records"), ()))


_ORDERS = itertools.count()


def _term_sql(snapshot: Snapshot, term: Term) -> tuple[str, list[object]]:
    """A clause for the facts that may match a term: where one of its needles occurs (another form of the word,
    another script), or, for a term that reads as pinyin, where the pinyin index has its syllables' pairs."""
    alternatives = [substring_sql(needle, snapshot.needle_markers(needle)) for needle in term.needles]
    parameters = [parameter for _, more in alternatives for parameter in more]
    clauses = [clause for clause, _ in alternatives]
    if term.pattern is not None:
        from shenka_cli.core.search.pinyin import term_spellings
        from shenka_cli.core.search.query import toneless
        from shenka_cli.core.store.pinyin import first_codes, match_expression

        classes = snapshot.pinyin_classes()
        spellings = term_spellings(toneless(term.folded), classes) or []
        expression = match_expression(spellings, classes, snapshot.pinyin_pairs(first_codes(spellings, classes)))
        if expression is None:
            return "1", []  # a single syllable: every fact is a candidate, checked exactly
        pattern = term.pattern
        named = snapshot.entity_markers(lambda form: pattern.search(form) is not None)  # the index leaves names out
        expression = " OR ".join([f"({expression})"] * bool(expression) + [f'"{marker}"' for marker in named])
        if expression:
            clauses.append("rowid IN (SELECT rowid FROM facts_pinyin WHERE facts_pinyin MATCH ?)")
            parameters.append(expression)
    return "(" + " OR ".join(clauses) + ")", parameters


# The hits of a search in rank order, with their scores, on the connection that ranked them (or a child's, for its
# chunks).
RANKED_TABLE = (
    "CREATE TEMP TABLE IF NOT EXISTS ranked (position INTEGER PRIMARY KEY, fact INTEGER NOT NULL, score REAL NOT NULL)"
)


def _insert_all(connection: sqlite3.Connection, sql: str, rows: Iterable[tuple[Any, ...]]) -> None:
    """Insert rows into a temporary table in one transaction: on a snapshot's connection (autocommit) each row would
    otherwise be a transaction of its own, about 9 µs a row instead of 0.7."""
    connection.execute("BEGIN")
    with connection:  # commits, or rolls back on an error
        connection.executemany(sql, rows)


def search(snapshot: Snapshot, filters: Filters, terms: Sequence[str], limit: int) -> Found:
    """Rank every candidate without building a fact: a query of simple terms, or of terms read as pinyin or English
    words whose needles the base's words and pairs give (core/store/spelled.py), in SQL (_sql_ranked), any other from
    each fact's stored ranking text in Python; the hits go into a temporary table in rank order, from which the
    best `limit` are read back."""
    from shenka_cli.core.search import parse_query, simple_term
    from shenka_cli.core.store.spelled import broad

    where, parameters = _where(snapshot, filters)
    query = parse_query(terms)
    if not query.terms or not all(map(bindable, terms)):
        return Found(lambda: iter(()), lambda: iter(()), 0, 0)
    simple = query.phrase is None and all(simple_term(term) for term in query.terms)
    spelled = None if simple else _spelled(snapshot, query)
    clauses = [where] if where != "1" else []
    for index, term in enumerate(query.terms):
        in_sql = simple or spelled is not None
        if in_sql and (spelled is None or index not in spelled.terms) and any(len(n) < 3 for n in term.needles):
            continue  # no index narrows the facts down for it: the ranking itself looks for the term
        if spelled is not None and index in spelled.terms and broad(spelled.sample, spelled.terms[index]):
            continue
        clause, more = _term_sql(snapshot, term)
        clauses.append(clause)
        parameters += more
    candidates = " AND ".join(clauses) or "1"
    connection = snapshot.connection
    try:
        connection.execute(RANKED_TABLE)
        connection.execute("DELETE FROM temp.ranked")
        if simple or spelled is not None:
            total = _sql_ranked(snapshot, query, candidates, parameters, spelled)
        else:
            scored = sorted((-score, rowid) for rowid, score in _python_scores(snapshot, query, candidates, parameters))
            rows = ((rowid, -negated) for negated, rowid in scored)
            _insert_all(connection, "INSERT INTO temp.ranked (fact, score) VALUES (?, ?)", rows)
            total = len(scored)
    except READ_ERRORS as error:
        raise snapshot.damaged(error) from None
    shown = min(total, limit) if limit else total

    def listed() -> Iterator[Shown]:
        """What a listing shows of each hit, from its ranking text and its values as written: on every core when
        there are many (core/store/fanout.py)."""
        from shenka_cli.core.store import fanout

        if shown >= EVERY_CORE_HITS and (count := fanout.processes()) > 1:
            return _listed_on_every_core(snapshot, query, simple, shown, count)
        return _listed(snapshot, query, simple, 1, shown)

    def records() -> Iterator[Record]:
        sql = "SELECT x.record, x.record_check FROM temp.ranked k JOIN fact_records x ON x.rowid = k.fact "
        return _values(snapshot, sql + "WHERE k.position <= ? ORDER BY k.position", (shown,))

    return Found(listed, records, total, shown)


EVERY_CORE_HITS = 10_000  # a listing of this many hits is made on every core
CHUNK_HITS = 4_000  # the hits of a listing each child makes at a time


def _listed(snapshot: Snapshot, query: Query, simple: bool, first: int, last: int) -> Iterator[Shown]:
    """What a listing shows of the hits ranked `first` to `last` (temp.ranked's positions), from each one's ranking
    text and its values as written."""
    from shenka_cli.core.search import NeedsFact, ranked_shown, simple_shown

    # Both texts as UTF-8 bytes, of which only the values looked at are decoded (simple_shown, ranked_shown); the
    # region starts only for simple_shown (reading them costs about 1 µs a row).
    starts = "".join(f", {start}" for start in region_starts_sql("f.regions")[1:]) if simple else ""
    sql = (
        f"SELECT x.texts, x.texts_check, {search_bytes('f.search')}, k.score, f.rowid, f.regions{starts} "
        "FROM temp.ranked k JOIN fact_search f ON f.rowid = k.fact JOIN fact_texts x ON x.rowid = k.fact "
        "WHERE k.position BETWEEN ? AND ? ORDER BY k.position"
    )
    rows = _rows(snapshot, sql, (first, last))
    try:
        for values, _, ranking, score, rowid, regions, *region_starts in rows:
            try:
                if simple and regions is not None:
                    yield simple_shown(query, ranking, values, region_starts)
                else:
                    yield ranked_shown(query, ranking, values, score)
            except NeedsFact:
                yield _shown_from_fact(snapshot, query, rowid)
    except READ_ERRORS as error:
        raise snapshot.damaged(error) from None


def _listed_on_every_core(snapshot: Snapshot, query: Query, simple: bool, shown: int, count: int) -> Iterator[Shown]:
    """_listed for the best `shown` hits, a chunk of CHUNK_HITS at a time, made by `count` forked children, each on
    its own connection to the same snapshot (or here, should one of them fail)."""
    from shenka_cli.core.search import Match, Shown
    from shenka_cli.core.store.fanout import Chunk, ordered

    try:
        ranked = snapshot.connection.execute(
            "SELECT fact, score FROM temp.ranked WHERE position <= ? ORDER BY position", (shown,)
        )
        facts, scores = array("q"), array("d")  # in rank order: 16 bytes a hit (a list of tuples takes 100)
        for fact, score in ranked:
            facts.append(fact)
            scores.append(score)
        identity = snapshot.identity()
    except READ_ERRORS as error:
        raise snapshot.damaged(error) from None
    chunks = -(-shown // CHUNK_HITS)

    def span(chunk: int) -> tuple[int, int]:
        return chunk * CHUNK_HITS + 1, min((chunk + 1) * CHUNK_HITS, shown)

    def plain(listed: Iterator[Shown]) -> Chunk:
        return [(*shown[:3], tuple(shown.match)) for shown in listed]

    def start(chunks_of_child: range) -> Callable[[int], Chunk]:
        child = snapshot.reopened(identity)
        mine = [position for chunk in chunks_of_child for position in range(span(chunk)[0], span(chunk)[1] + 1)]
        child.connection.execute(RANKED_TABLE)
        rows = [(p, facts[p - 1], scores[p - 1]) for p in mine]
        _insert_all(child.connection, "INSERT INTO temp.ranked VALUES (?, ?, ?)", rows)
        return lambda chunk: plain(_listed(child, query, simple, *span(chunk)))

    new = tuple.__new__  # the named tuples built as they are, without a call of their own per hit
    for made in ordered(chunks, start, lambda chunk: plain(_listed(snapshot, query, simple, *span(chunk))), count):
        for item in made:
            yield new(Shown, (item[0], item[1], item[2], new(Match, item[3])))


def _python_scores(
    snapshot: Snapshot, query: Query, candidates: str, parameters: Sequence[object], unpacked: bool = False
) -> Iterator[tuple[int, float]]:
    """(rowid, score) of each candidate that matches (only those without packed regions, when `unpacked`), scored
    from its ranking text (search.rank_score), or from its fact when only the fact can tell."""
    from shenka_cli.core.search import NeedsFact, rank_score

    sql = f"SELECT rowid, search FROM fact_search WHERE rowid IN (SELECT rowid FROM facts WHERE {candidates})"
    if unpacked:  # the few facts without region starts, through their index (not a pass over every search text)
        sql = sql.replace("WHERE rowid IN", "WHERE regions IS NULL AND +rowid IN")
    for rowid, text in snapshot.connection.execute(sql, parameters):
        try:
            score = rank_score(query, text)
        except NeedsFact:
            score = _fact_score(snapshot, query, rowid)
        if score is not None:
            yield rowid, score


def _fact(snapshot: Snapshot, rowid: int) -> Fact:
    from shenka_cli.core.model import Fact

    sql = "SELECT model, model_check FROM fact_models WHERE rowid = ?"
    return next(_models(snapshot, Fact, _rows(snapshot, sql, (rowid,))))


def _fact_score(snapshot: Snapshot, query: Query, rowid: int) -> float | None:
    from shenka_cli.core.search import entity_names
    from shenka_cli.core.search import search as exact

    hits = exact([_fact(snapshot, rowid)], query, entity_names(snapshot.base.entities))
    return hits[0].score if hits else None


def _shown_from_fact(snapshot: Snapshot, query: Query, rowid: int) -> Shown:
    from shenka_cli.core.search import entity_names, search, shown

    (hit,) = search([_fact(snapshot, rowid)], query, entity_names(snapshot.base.entities))
    return shown(hit)


class _Spelled(NamedTuple):
    terms: dict[int, Needles]  # by the term's index in the query: its needles, for those not simple
    phrase: tuple[str, ...] | None
    sample: list[str]  # the rank_texts of a few facts spread over the base (spelled.broad, spelled.common)


def _spelled(snapshot: Snapshot, query: Query) -> _Spelled | None:
    """The needles of a query's terms that are not simple (and of its phrase), when every one is ranked in SQL."""
    from shenka_cli.core.search import simple_term
    from shenka_cli.core.store.spelled import SAMPLE, phrase_needles, term_needles

    terms = {}
    for index, term in enumerate(query.terms):
        if not simple_term(term):
            needles = term_needles(snapshot, term)
            if needles is None:
                return None
            terms[index] = needles
    phrase = None
    if query.phrase is not None:
        phrase = phrase_needles(snapshot, query)
        if phrase is None:
            return None
    return _Spelled(terms, phrase, snapshot.sample_texts(SAMPLE))


def _sql_ranked(
    snapshot: Snapshot, query: Query, candidates: str, parameters: Sequence[object], spelled: _Spelled | None
) -> int:
    """Rank the candidates into temp.ranked in SQL, for a query of simple terms (search.simple_term) and of
    `spelled` ones (core/store/spelled.py): a simple term's score in a fact is the weight of the heaviest run of
    fields (search.REGIONS) that holds one of its variants, found with instr() between the region starts the store
    kept (rows.pack_regions), all in the text's UTF-8 bytes (a valid UTF-8 needle occurs in valid UTF-8 bytes only
    where its characters do, and bytes keep the characters' order; substr() on bytes counts nothing). A term of one
    variant is looked for once in the whole text: the region of its first occurrence gives its score, unless a later
    region weighs more and holds it too. A fact without region starts is scored in Python first. Gives the hits'
    number."""
    from shenka_cli.core.search import PHRASE_BONUS, REGIONS
    from shenka_cli.core.store.spelled import Scores, common, every_needle

    connection = snapshot.connection
    unpacked = dict(_python_scores(snapshot, query, candidates, parameters, unpacked=True))
    needles = [] if spelled is None else [n for term in spelled.terms.values() for n in every_needle(term)]
    spelled_scores = Scores(common(spelled.sample, needles) if spelled is not None else ())

    def functions(connection: sqlite3.Connection) -> None:
        connection.create_function("shenka_unpacked_score", 1, unpacked.get, deterministic=True)
        connection.create_function("shenka_bounded", 2, spelled_scores.bounded, deterministic=True)

    functions(connection)
    starts = region_starts_sql()
    weights = [float(weight) for _, weight in REGIONS]
    count = len(REGIONS)

    # Regions that weigh more than one before them: a first occurrence before them does not settle the score.
    heavier_later = [index for index in range(count) if any(weights[k] < weights[index] for k in range(index))]
    inner = ["rowid AS fact", "regions"]
    inner_parameters: list[object] = []
    scores = []
    for t, term in enumerate(query.terms):
        if spelled is not None and t in spelled.terms:
            column, more = spelled_scores.term(spelled.terms[t])
            inner.append(f"{column} AS s{t}")
            inner_parameters += more
            scores.append(f"s{t}")
            continue
        single = len(term.variants) == 1
        encoded = [variant.encode() for variant in term.variants]  # blobs: instr() on bytes
        flagged = heavier_later if single else list(range(count))
        for index in flagged:
            held = " OR ".join([f"instr({region_sql(index)}, ?) > 0"] * len(term.variants))
            inner.append(f"({held}) AS h{t}_{index}")
            inner_parameters += encoded
        if not single:
            cases = [
                f"WHEN h{t}_{index} THEN {weights[index]!r}" for index in sorted(flagged, key=lambda i: -weights[i])
            ]
            scores.append(f"(CASE {' '.join(cases)} END)")
            continue
        inner.append(f"instr({SEARCH_BYTES}, ?) AS p{t}")
        inner_parameters.append(encoded[0])
        cases = [f"WHEN p{t} = 0 THEN NULL"]
        for index in range(count):
            value = f"{weights[index]!r}"
            heavier = sorted(
                (later for later in heavier_later if later > index and weights[later] > weights[index]),
                key=lambda later: -weights[later],
            )
            if heavier:
                found = " ".join(f"WHEN h{t}_{later} THEN {weights[later]!r}" for later in heavier)
                value = f"CASE {found} ELSE {value} END"
            cases.append(f"WHEN p{t} <= {starts[index + 1]} THEN {value}" if index + 1 < count else f"ELSE {value}")
        scores.append(f"(CASE {' '.join(cases)} END)")
    if spelled is not None and spelled.phrase is not None:
        column, more = spelled_scores.phrase(spelled.phrase, PHRASE_BONUS * (len(query.terms) - 1))
        inner.append(f"{column} AS bonus")
        inner_parameters += more
        scores.append("bonus")
    score = f"CASE WHEN regions IS NULL THEN shenka_unpacked_score(fact) ELSE {' + '.join(scores)} END"

    def scored(where: str) -> str:
        return (
            f"WITH m AS MATERIALIZED (SELECT {', '.join(inner)} FROM fact_search {where}), "
            f"scored AS MATERIALIZED (SELECT fact, {score} AS score FROM m) "
        )

    hit = "SELECT fact, score FROM scored WHERE score IS NOT NULL"
    # A term read in every fact of a large base (no text index narrows it down) is scored on every core.
    if candidates == "1" and (spans := _rowid_spans(snapshot)) is not None:
        _score_on_every_core(snapshot, scored("WHERE rowid BETWEEN ? AND ?") + hit, inner_parameters, spans, functions)
        connection.execute(
            "INSERT INTO temp.ranked (fact, score) SELECT fact, score FROM temp.scores ORDER BY score DESC, fact"
        )
    else:
        where = "" if candidates == "1" else f"WHERE rowid IN (SELECT rowid FROM facts WHERE {candidates})"
        connection.execute(
            scored(where) + f"INSERT INTO temp.ranked (fact, score) {hit} ORDER BY score DESC, fact",
            [*inner_parameters, *(parameters if where else ())],
        )
    return connection.execute("SELECT count(*) FROM temp.ranked").fetchone()[0]


EVERY_CORE_FACTS = 20_000  # a term read in every fact of a base this large is scored on every core
SCORES_COLUMNS = "(fact INTEGER NOT NULL, score REAL NOT NULL)"
SCORES_TABLE = f"CREATE TEMP TABLE IF NOT EXISTS scores {SCORES_COLUMNS}"


def _rowid_spans(snapshot: Snapshot) -> list[tuple[int, int]] | None:
    """The facts' rowids in as many spans as there are cores (each about as long), or None when the base is too
    small for more than one process to pay, or there is only one core."""
    from shenka_cli.core.store import fanout

    first, last = snapshot.connection.execute(  # each a lookup (together, in one SELECT: a scan)
        "SELECT (SELECT min(rowid) FROM fact_search), (SELECT max(rowid) FROM fact_search)"
    ).fetchone()
    count = fanout.processes()
    if first is None or last - first + 1 < EVERY_CORE_FACTS or count < 2:
        return None
    size = -(-(last - first + 1) // count)
    return [(start, min(start + size - 1, last)) for start in range(first, last + 1, size)]


def _score_on_every_core(
    snapshot: Snapshot,
    sql: str,
    parameters: Sequence[object],
    spans: Sequence[tuple[int, int]],
    functions: Callable[[sqlite3.Connection], None],
) -> None:
    """The hits and scores of `sql` (rowids BETWEEN its last two parameters) for each span of rowids, into
    temp.scores: the first span scored here while forked children, each on a connection of its own, score the
    others (core/store/fanout.py), each span into a database file of its own in a private temporary directory,
    which this process then copies in SQL: no hit goes through Python. A span whose file cannot be made or read is
    scored here."""
    import shutil
    import sqlite3
    import tempfile
    from pathlib import Path

    from shenka_cli.core.store.fanout import Chunk, ordered
    from shenka_cli.core.store.snapshot import uri

    connection = snapshot.connection
    connection.execute(SCORES_TABLE)
    connection.execute("DELETE FROM temp.scores")
    identity = snapshot.identity()

    def here(span: int) -> Chunk:
        connection.execute(f"INSERT INTO temp.scores {sql}", [*parameters, *spans[span]])
        return []

    try:
        folder = Path(tempfile.mkdtemp(prefix="shenka-scores-"))
    except OSError:
        for span in range(len(spans)):
            here(span)
        return

    def scores_of(span: int, mode: str) -> str:
        return uri(folder / f"{span}.sqlite3", mode)

    def start(spans_of_child: range) -> Callable[[int], Chunk]:
        child = snapshot.reopened(identity)
        functions(child.connection)

        def score(span: int) -> Chunk:
            execute = child.connection.execute
            execute("ATTACH DATABASE ? AS hits", (scores_of(span, "rwc"),))
            execute("PRAGMA hits.journal_mode = OFF")  # a file left half written is never read: see below
            execute("PRAGMA hits.synchronous = OFF")
            execute(f"CREATE TABLE hits.scores {SCORES_COLUMNS}")
            execute(f"INSERT INTO hits.scores {sql}", [*parameters, *spans[span]])
            execute("DETACH DATABASE hits")
            return [span]  # read only once this comes back: the child finished the file

        return score

    try:
        for made in ordered(len(spans), start, here, len(spans) - 1):
            for span in made:
                try:
                    connection.execute("ATTACH DATABASE ? AS hits", (scores_of(span, "ro"),))
                    try:
                        connection.execute("INSERT INTO temp.scores SELECT fact, score FROM hits.scores")
                    finally:
                        connection.execute("DETACH DATABASE hits")
                except sqlite3.Error:  # not the snapshot's damage: the statement left temp.scores as it was
                    here(span)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
