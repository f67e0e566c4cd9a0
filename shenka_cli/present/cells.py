"""A fact's timeline row in every language, for people and for machines, as one value the store can keep.

A listing of 100,000 facts in CSV or a piped table would otherwise build every fact from its stored model to
format a few cells. `fact_cell_sets` runs the very functions that make those rows (views.fact_cells and
views.year_group) for every --lang and for both kinds of listing, and keeps each cell once where the variants
agree; `rows_from_cell_sets` gives back the rows of one variant. Both catalogues go through both functions (the
one in memory without storing the value), so cached and uncached output cannot drift apart, whatever the
views make of a fact.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from shenka_cli.core.model import Fact
from shenka_cli.present.document import Row

LANGS = ("zh", "en", "both")
SHARED = ""  # the key of the cells every variant shows alike
NONE: dict[str, Any] = {}


def _variant(lang: str, machine: bool) -> str:
    return f"{lang}:machine" if machine else lang


def fact_cell_sets(fact: Fact) -> dict[str, Any]:
    """Every variant of the fact's timeline row: {"": shared cells, "own": {variant: its other cells}, "group": its
    year group, or {lang: year group}}. A cell with the same value in every variant that shows it is kept once."""
    from shenka_cli.present.views import fact_cells, year_group

    variants = {
        _variant(lang, machine): fact_cells(fact, lang, machine=machine) for lang in LANGS for machine in (False, True)
    }
    seen: dict[str, list[Any]] = {}
    for cells in variants.values():
        for key, value in cells.items():
            seen.setdefault(key, []).append(value)
    shared = {key: values[0] for key, values in seen.items() if all(value == values[0] for value in values)}
    own = {name: {key: value for key, value in cells.items() if key not in shared} for name, cells in variants.items()}
    groups = {lang: year_group(fact, lang) for lang in LANGS}
    return {
        SHARED: shared,
        "own": {name: cells for name, cells in own.items() if cells},
        "group": groups["zh"] if len(set(groups.values())) == 1 else groups,
    }


def rows_from_cell_sets(
    cell_sets: Iterable[dict[str, Any] | bytes],
    keys: Sequence[str],
    lang: str,
    *,
    by_year: bool,
    machine: bool,
    sector_name: Callable[[str], str] | None = None,
) -> Iterator[Row]:
    """The rows of one variant (--lang, for people or machines) with the cells of its listing's columns (`keys`),
    from values fact_cell_sets made (or the store kept); the sector (an id) named by `sector_name` when given."""
    name = _variant(lang, machine)
    decode = json.JSONDecoder().decode
    for cell_set in cell_sets:
        found = decode(cell_set.decode("utf-8")) if isinstance(cell_set, bytes) else cell_set
        shared, own, group = found[SHARED], found["own"].get(name, NONE), found["group"]
        cells = {key: own[key] if key in own else shared.get(key) for key in keys}
        if sector_name is not None and "sector" in cells:
            cells["sector"] = sector_name(str(cells["sector"]))
        yield Row(cells, group=(group if isinstance(group, str) else group[lang]) if by_year else None)
