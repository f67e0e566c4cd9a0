"""Measures tracked across sources and years: each measure's values in time order, and what a reader must know.

Pure: facts and the measure registry in, series out. A point is one statistic tagged with a measure, placed at
its date (the statistic's as-of date, else its fact's date; a period counts at its end), with every source its
fact cites. Values in different units are never joined: a statistic whose unit is not its measure's starts a
series of its own, flagged. Flags:

- conflict: two facts give different values for the same date;
- decrease: a cumulative series goes down (a value is certainly below one of a certainly earlier date, bounds
  considered: 'more than 800' may be any number above 800);
- unit: the same measure in two units, or two measures that count the same thing in units that cannot be
  compared (人 people and 人次 person-trips, see COUNTERPART_UNITS): each series names the other.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import NamedTuple

from shenka_cli.core.errors import ShenkaError
from shenka_cli.core.model import Citation, Fact, FuzzyDate, Measure, Qualifier, Statistic, When

# Units that count the same people in ways that cannot be compared: 人次 counts postings (a person sent twice
# counts twice), 人 counts people. Series of these units with the same cumulative flag are flagged as apart.
COUNTERPART_UNITS = frozenset({frozenset({"人", "人次"})})


class FlagKind(StrEnum):
    CONFLICT = "conflict"
    DECREASE = "decrease"
    UNIT = "unit"


class Point(NamedTuple):
    """One value of a measure: when it holds, the figure and every source its fact cites."""

    date: FuzzyDate  # where it stands in time: the as-of date, or the end of a period
    when: When  # the date or period as given
    value: int | float | None
    low: int | float | None
    high: int | float | None
    unit: str
    qualifier: Qualifier
    written: str
    label: str
    label_en: str
    fact_id: str
    sources: tuple[Citation, ...]

    @property
    def bounds(self) -> tuple[float, float]:
        """The least and the most the figure can be: 'more than 800' is (800, ∞), 'less than 5' (−∞, 5)."""
        value = self.value if self.value is not None else self.low
        low = self.low if self.low is not None else value
        high = self.high if self.high is not None else value
        if self.qualifier is Qualifier.MORE_THAN:
            return float(value if value is not None else 0), math.inf
        if self.qualifier is Qualifier.LESS_THAN:
            return -math.inf, float(value if value is not None else 0)
        return float(low if low is not None else 0), float(high if high is not None else 0)


class Flag(NamedTuple):
    """Something a careful reader of a series must know, with the dates and facts it concerns."""

    kind: FlagKind
    dates: tuple[str, ...]
    facts: tuple[str, ...]
    units: tuple[str, ...] = ()
    other: str | None = None  # the series a unit flag sets this one apart from


class Series(NamedTuple):
    """One measure's points in one unit, in time order, with its flags."""

    id: str  # the measure id; `measure@unit` for a unit other than the measure's
    measure: Measure
    unit: str
    points: tuple[Point, ...]
    flags: tuple[Flag, ...] = ()

    @property
    def own_unit(self) -> bool:
        return self.unit == self.measure.unit


class UnknownMeasure(ShenkaError):
    """A measure named by the user that the registry does not have (exit 2, with a did-you-mean)."""


def point_of(stat: Statistic, fact: Fact) -> Point | None:
    """The statistic as a point of its measure's series, or None when neither it nor its fact has a date."""
    when = stat.as_of if stat.as_of is not None else fact.dated
    if when is None:
        return None
    return Point(
        when.end,
        when,
        stat.value,
        stat.low,
        stat.high,
        stat.unit,
        stat.qualifier,
        stat.written,
        stat.label,
        stat.label_en,
        fact.id,
        fact.sources,
    )


def build_series(measures: Sequence[Measure], facts: Iterable[Fact], chosen: str | None = None) -> tuple[Series, ...]:
    """Every measure's series (or only `chosen`'s), in registry order, each unit apart, with its flags.

    A measure no dated statistic reports has a series with no points. Undated statistics are left out.
    """
    by_measure: dict[str, dict[str, list[Point]]] = {measure.id: {} for measure in measures}
    for fact in facts:
        for stat in fact.stats:
            if stat.measure is None or stat.measure not in by_measure:
                continue
            point = point_of(stat, fact)
            if point is not None:
                by_measure[stat.measure].setdefault(stat.unit, []).append(point)
    found: list[Series] = []
    for measure in measures:
        units = by_measure[measure.id]
        order = [measure.unit, *sorted(unit for unit in units if unit != measure.unit)]
        for unit in order:
            if unit != measure.unit and unit not in units:
                continue
            points = tuple(sorted(units.get(unit, ()), key=lambda point: (point.date.sort_key, point.fact_id)))
            series_id = measure.id if unit == measure.unit else f"{measure.id}@{unit}"
            series = Series(series_id, measure, unit, points)
            found.append(series._replace(flags=(*conflicts(points), *decreases(series))))
    found = _unit_flags(found)
    if chosen is not None:
        found = [series for series in found if series.measure.id == chosen]
    return tuple(found)


def conflicts(points: Sequence[Point]) -> list[Flag]:
    """Dates for which facts give different figures (the same figure from two facts is no conflict)."""
    by_date: dict[str, list[Point]] = {}
    for point in points:
        by_date.setdefault(point.date.iso, []).append(point)
    flags = []
    for iso, same in by_date.items():
        figures = {(point.value, point.low, point.high, point.qualifier) for point in same}
        if len(figures) > 1:
            flags.append(Flag(FlagKind.CONFLICT, (iso,), tuple(dict.fromkeys(point.fact_id for point in same))))
    return flags


def decreases(series: Series) -> list[Flag]:
    """For a cumulative series: each point certainly below a point of an earlier date."""
    if not series.measure.cumulative:
        return []
    flags = []
    for index, point in enumerate(series.points):
        earlier = [
            before
            for before in series.points[:index]
            if before.date.last_day < point.date.first_day and before.bounds[0] > point.bounds[1]
        ]
        if earlier:
            highest = max(earlier, key=lambda before: before.bounds[0])
            flags.append(Flag(FlagKind.DECREASE, (highest.date.iso, point.date.iso), (highest.fact_id, point.fact_id)))
    return flags


def _unit_flags(found: list[Series]) -> list[Series]:
    """Flag each series against every series it must not be joined with: the same measure in another unit,
    and a measure of a counterpart unit (人 and 人次) that is cumulative alike, when both have values."""
    result = []
    for series in found:
        flags = list(series.flags)
        for other in found:
            if other is series or other.unit == series.unit:
                continue
            same_measure = other.measure.id == series.measure.id
            counterpart = (
                frozenset({series.unit, other.unit}) in COUNTERPART_UNITS
                and other.measure.cumulative == series.measure.cumulative
                and bool(series.points and other.points)
            )
            if same_measure or counterpart:
                flags.append(Flag(FlagKind.UNIT, (), (), (series.unit, other.unit), other.id))
        result.append(series._replace(flags=tuple(flags)))
    return result


def find_measure(measures: Sequence[Measure], wanted: str) -> Measure:
    """A measure by its id or either name (case- and space-insensitive); UnknownMeasure with the closest names."""
    from shenka_cli.text.suggest import closest

    folded = "".join(wanted.split()).casefold()
    for measure in measures:
        if folded in ("".join(name.split()).casefold() for name in (measure.id, measure.name, measure.name_en)):
            return measure
    names = [name for measure in measures for name in (measure.id, measure.name, measure.name_en)]
    close = closest(wanted, names, 3, cutoff=0.4, containing=True)
    ids = list(dict.fromkeys(m.id for name in close for m in measures if name in (m.id, m.name, m.name_en)))
    hint = f"did you mean {', '.join(ids)}?" if ids else "known measures: " + ", ".join(m.id for m in measures)
    raise UnknownMeasure(f"no measure {wanted!r}", hint=hint)
