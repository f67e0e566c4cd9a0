"""Filters and search terms as SQL over the facts table's typed columns."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shenka_cli.core.model import Entity
    from shenka_cli.core.query import Filters

TAG_SEPARATOR = "\x1f"


def tag_column(tags: Sequence[str]) -> str:
    """The tags column: every tag between separators, so that one tag is found with instr()."""
    return TAG_SEPARATOR + TAG_SEPARATOR.join(tags) + TAG_SEPARATOR


def column_values(column: str) -> list[str]:
    """The values a tag_column holds (tags, or entity tokens), in order."""
    return column[1:-1].split(TAG_SEPARATOR) if len(column) > 2 else []


def bindable(text: str) -> bool:
    """Whether SQLite can be given the text. A command-line argument that was not valid UTF-8 (its bytes kept as
    lone surrogates) cannot, and is in no fact either: the query it is part of finds nothing."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def filter_sql(filters: Filters) -> tuple[list[str], list[object]]:
    """WHERE clauses (joined with AND) and their parameters for the filters; the tag and sector are exact,
    an entity or source a token of the entities column, the dates an overlap of whole days. A text that is not
    valid UTF-8 (bindable) passes no fact."""
    clauses: list[str] = ["1"]
    parameters: list[object] = []
    if filters.sector is not None:
        clauses.append("sector = ?")
        parameters.append(filters.sector)
    if filters.tag is not None:
        clauses.append("instr(tags, ?) > 0")
        parameters.append(tag_column([filters.tag]))
    for token in filters.tokens:  # resolved entities and the source (query.entity_tokens)
        clauses.append("instr(entities, ?) > 0")
        parameters.append(tag_column([token]))
    for wanted, keys, prefix in (
        (filters.place, filters.place_keys, "p~"),
        (filters.organisation, filters.organisation_keys, "o~"),
        (filters.person, filters.person_keys, "r~"),
    ):
        if wanted is not None and keys is None:  # no gazetteer entries of the kind: part of a name as written
            from shenka_cli.core.gazetteer import name_key

            clauses.append("shenka_names_part(entities, ?, ?)")
            parameters += [prefix, name_key(wanted)]
    if filters.start is not None:
        clauses.append("last_day >= ?")
        parameters.append(filters.start.first_day.toordinal())
    if filters.end is not None:
        clauses.append("first_day <= ?")
        parameters.append(filters.end.last_day.toordinal())
    if not all(bindable(parameter) for parameter in parameters if isinstance(parameter, str)):
        return ["0"], []  # a filter no fact can pass
    return clauses, parameters


# Set once Ctrl-C has come (note_interrupt). In one of shenka's SQL functions, the KeyboardInterrupt it raises
# becomes an error of the statement ("user-defined function raised exception") and is lost; Snapshot.damaged then
# raises it again rather than take the cache for damaged.
INTERRUPTED: list[bool] = []


def note_interrupt(signum: int, frame: object) -> None:
    """The SIGINT handler the CLI installs: Python's own (KeyboardInterrupt), which also sets INTERRUPTED."""
    INTERRUPTED.append(True)
    raise KeyboardInterrupt


def names_part(entities: str, prefix: str, part: str) -> bool:
    """Whether a name as written (a token `prefix` + folded name of the entities column) contains `part`."""
    return any(token.startswith(prefix) and part in token[len(prefix) :] for token in entities.split(TAG_SEPARATOR))


def substring_sql(folded: str, markers: Sequence[str] = ()) -> tuple[str, list[object]]:
    """A clause for facts whose search text may hold a folded term: every trigram of it through the FTS5 index
    (detail='none' keeps no positions, so this is a superset that the search checks exactly), or the marker of an
    entity they list whose names hold it (`markers`: the index leaves the names out); else instr()."""
    if len(folded) >= 3:
        trigrams = sorted({folded[i : i + 3] for i in range(len(folded) - 2)})
        match = "(" + " AND ".join(_quoted(gram) for gram in trigrams) + ")"
        match = " OR ".join([match, *map(_quoted, markers)])
        return "rowid IN (SELECT rowid FROM facts_fts WHERE facts_fts MATCH ?)", [match]
    return "rowid IN (SELECT rowid FROM fact_search WHERE instr(search, ?) > 0)", [folded]


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


MARKER = "\uf8ff"  # with two more private-use characters, an entity's marker in the text indexes (one trigram)
MARKER_LENGTH = 3  # characters: MARKER and two of the entity's index (entity_marker)
_MARKER_BASE, _MARKER_DIGITS = 0xE000, 6000


def entity_marker(index: int) -> str:
    """What stands, in the text indexes of a fact that lists it, for the index-th entity of the fact base."""
    high, low = divmod(index, _MARKER_DIGITS)
    return MARKER + chr(_MARKER_BASE + high) + chr(_MARKER_BASE + low)


def entity_forms(entities: Sequence[Entity]) -> list[tuple[str, ...]]:
    """Each entity's names as a fact's search text may hold them (folded; in simplified characters too)."""
    from shenka_cli.core.search import search_terms
    from shenka_cli.core.search.normalise import fold

    return [
        tuple({form: None for name in (entity.name, entity.name_en, *entity.aliases) if name
               for form in (fold(name), search_terms(name))})
        for entity in entities
    ]  # fmt: skip


def entity_markers(forms: Sequence[tuple[str, ...]], test: Callable[[str], bool]) -> list[str]:
    """The markers of the entities (by their `forms`) one of whose names passes `test`."""
    return [entity_marker(index) for index, names in enumerate(forms) if any(map(test, names))]
