"""What the streaming queries return: results read as they are written, the same from either catalogue.

Each part is a function that starts a fresh pass (a query), so a listing and the JSON records can each be read
once, lazily, and only the one the chosen format needs is read at all. A record is either a dict (built from
the model) or bytes: the same record as the store keeps it (core/store/schema.py stored_json), to be copied
to the output as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from shenka_cli.core.model import Fact, Statistic
    from shenka_cli.core.search import Shown

Record = dict[str, Any] | bytes


class Timeline(NamedTuple):
    """The facts in chronological order (dated ones, then undated ones when asked), and what its note says."""

    facts: Callable[[], Iterator[Fact]]
    records: Callable[[], Iterator[Record]]
    cells: Callable[[], Iterator[Record]]  # each fact's row in every language (present/cells.py)
    undated: int  # undated facts that match the filters, shown or not
    inferred: bool  # whether a dated fact that matches has an inferred date
    standing: int = 0  # standing facts that match (listed after the events, under "As of YEAR")


class Statistics(NamedTuple):
    """The statistics of the facts, grouped by unit and sorted (query.statistics), each with its fact's sector."""

    stats: Callable[[], Iterator[tuple[Statistic, str]]]
    records: Callable[[], Iterator[Record]]


class Found(NamedTuple):
    """A search's best hits, at most `limit` of them (all with limit 0), as a listing shows them and as records, and
    how many facts matched in all."""

    listed: Callable[[], Iterator[Shown]]
    records: Callable[[], Iterator[Record]]
    total: int
    shown: int
