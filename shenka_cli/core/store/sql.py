"""Filters and search terms as SQL over the facts table's typed columns."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shenka_cli.core.query import Filters

TAG_SEPARATOR = "\x1f"


def tag_column(tags: Sequence[str]) -> str:
    """The tags column: every tag between separators, so that one tag is found with instr()."""
    return TAG_SEPARATOR + TAG_SEPARATOR.join(tags) + TAG_SEPARATOR


def filter_sql(filters: Filters) -> tuple[list[str], list[object]]:
    """WHERE clauses (joined with AND) and their parameters for the filters; the tag and sector are exact,
    the place a folded substring of the folded places, the dates an overlap of whole days."""
    clauses: list[str] = ["1"]
    parameters: list[object] = []
    if filters.sector is not None:
        clauses.append("sector = ?")
        parameters.append(filters.sector)
    if filters.tag is not None:
        clauses.append("instr(tags, ?) > 0")
        parameters.append(tag_column([filters.tag]))
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


def substring_sql(folded: str) -> tuple[str, list[object]]:
    """A clause for facts whose search text may hold a folded term: every trigram of it through the FTS5 index
    (detail='none' keeps no positions, so this is a superset that the search checks exactly), else instr()."""
    if len(folded) >= 3:
        trigrams = sorted({folded[i : i + 3] for i in range(len(folded) - 2)})
        match = " AND ".join('"' + gram.replace('"', '""') + '"' for gram in trigrams)
        return "rowid IN (SELECT rowid FROM facts_fts WHERE facts_fts MATCH ?)", [match]
    return "instr(search, ?) > 0", [folded]
