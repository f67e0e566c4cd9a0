"""The fact base as typed, immutable values. No I/O here."""

from __future__ import annotations

import calendar
import datetime as dt
from enum import StrEnum
from typing import NamedTuple


class Precision(StrEnum):
    YEAR = "year"
    MONTH = "month"
    DAY = "day"


class Qualifier(StrEnum):
    EXACT = "exact"
    MORE_THAN = "more_than"
    ABOUT = "about"
    RANGE = "range"
    LESS_THAN = "less_than"  # 不到, 不足: the number is the high end


class StatKind(StrEnum):
    QUANTITY = "quantity"
    ORDINAL = "ordinal"


class FuzzyDate(NamedTuple):
    """A date known to a year, a month or a day; never padded with invented parts."""

    year: int
    month: int | None = None
    day: int | None = None
    inferred: bool = False

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return Precision.DAY
        return Precision.MONTH if self.month is not None else Precision.YEAR

    @property
    def iso(self) -> str:
        parts = [f"{self.year:04d}"]
        if self.month is not None:
            parts.append(f"{self.month:02d}")
        if self.day is not None:
            parts.append(f"{self.day:02d}")
        return "-".join(parts)

    @property
    def sort_key(self) -> tuple[int, int, int]:
        """A year sorts before its months, a month before its days."""
        return (self.year, self.month or 0, self.day or 0)

    @property
    def start(self) -> FuzzyDate:
        """A date is its own start and end, as a Period has them: `when.start` for either."""
        return self

    @property
    def end(self) -> FuzzyDate:
        return self

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> dt.date:
        month = self.month or 12
        day = self.day or calendar.monthrange(self.year, month)[1]
        return dt.date(self.year, month, day)

    def __str__(self) -> str:
        return self.iso


class Period(NamedTuple):
    """A span from a start to an end, each at its own precision."""

    start: FuzzyDate
    end: FuzzyDate

    @property
    def inferred(self) -> bool:
        return self.start.inferred or self.end.inferred

    @property
    def iso(self) -> str:
        """ISO 8601 interval notation: 2010/2025."""
        return f"{self.start.iso}/{self.end.iso}"

    @property
    def sort_key(self) -> tuple[int, int, int]:
        return self.start.sort_key

    @property
    def first_day(self) -> dt.date:
        return self.start.first_day

    @property
    def last_day(self) -> dt.date:
        return self.end.last_day

    def __str__(self) -> str:
        return f"{self.start.iso} – {self.end.iso}"


When = FuzzyDate | Period


class Statistic(NamedTuple):
    """One figure of a fact: as written, in base units, with its unit, qualifier and date."""

    fact_id: str
    label: str
    label_en: str
    written: str
    value: int | float | None
    low: int | float | None
    high: int | float | None
    unit: str
    qualifier: Qualifier
    kind: StatKind
    as_of: When | None
    as_of_reason: str | None = None
    measure: str | None = None


class Citation(NamedTuple):
    """A fact's reference to a source: the source id, a section (id or name) and an optional note."""

    id: str
    section: str
    note: str | None = None


SourceRef = Citation


class Location(NamedTuple):
    """Where something was defined: a file and a 1-based line."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


class Fact(NamedTuple):
    id: str
    sector: str
    title: str
    title_en: str
    summary: str
    summary_en: str
    date: FuzzyDate | None
    period: Period | None
    inferred_reason: str | None
    places: tuple[str, ...]
    organisations: tuple[str, ...]
    people: tuple[str, ...]
    tags: tuple[str, ...]
    sources: tuple[Citation, ...]
    stats: tuple[Statistic, ...]
    location: Location
    as_of: FuzzyDate | None = None

    @property
    def when(self) -> When | None:
        """The event's date or the period: None for a standing fact or an undated one."""
        return self.date if self.date is not None else self.period

    @property
    def source(self) -> Citation:
        """The first citation (every fact has at least one)."""
        return self.sources[0]

    @property
    def standing(self) -> bool:
        """Holds as of a date with no known start (近年来, 截至目前, cumulative figures)."""
        return self.as_of is not None

    @property
    def dated(self) -> When | None:
        """What a date window compares: the event's date, the period, or the as-of date of a standing fact."""
        return self.when if self.when is not None else self.as_of

    def entity_refs(self, category: EntityCategory) -> tuple[str, ...]:
        """The names or ids the fact gives for entities of one category."""
        return {
            EntityCategory.PLACE: self.places,
            EntityCategory.ORGANISATION: self.organisations,
            EntityCategory.PERSON: self.people,
        }[category]


class Sector(NamedTuple):
    id: str
    name: str
    name_en: str
    description: str
    description_en: str


class Author(NamedTuple):
    name: str
    name_en: str | None = None
    role: str | None = None
    role_en: str | None = None


class Section(NamedTuple):
    """A part of a source: an id (a slug, or the name itself in old files), its name and English name."""

    id: str
    name: str
    name_en: str | None = None

    def matches(self, ref: str) -> bool:
        return ref in (self.id, self.name, self.name_en)


class Source(NamedTuple):
    id: str
    title: str
    title_en: str
    outlet: str
    outlet_en: str | None
    authors: tuple[Author, ...]
    date: FuzzyDate | None
    date_reason: str | None
    sections: tuple[Section, ...]
    language: str | None = None
    url: str | None = None
    reliability: str | None = None
    read: str | None = None

    def section(self, ref: str) -> Section | None:
        """The section a citation names by id, Chinese or English name."""
        return next((section for section in self.sections if section.matches(ref)), None)


class EntityCategory(StrEnum):
    PLACE = "place"
    ORGANISATION = "organisation"
    PERSON = "person"

    @property
    def plural(self) -> str:
        return {"place": "places", "organisation": "organisations", "person": "people"}[self.value]


class Entity(NamedTuple):
    """A place, an organisation or a person of the gazetteer."""

    category: EntityCategory
    id: str
    name: str
    name_en: str
    aliases: tuple[str, ...]
    kind: str | None
    within: str | None  # a place's containing place; an organisation's base (based_in)
    description: str | None
    description_en: str | None
    location: Location

    @property
    def names(self) -> tuple[str, ...]:
        return (self.id, self.name, self.name_en, *self.aliases)


class Conversion(NamedTuple):
    unit: str
    factor: float


class Unit(NamedTuple):
    """How a unit's figures are written in English."""

    id: str
    name_en: str
    plural_en: str
    format_en: str
    category: str
    aliases: tuple[str, ...]
    convert: Conversion | None
    name: str | None = None  # the Chinese display name, default the id


class Measure(NamedTuple):
    """A quantity tracked across sources and years."""

    id: str
    name: str
    name_en: str
    unit: str
    cumulative: bool
    description_en: str | None = None


class FactBase(NamedTuple):
    sectors: tuple[Sector, ...]
    sources: tuple[Source, ...]
    facts: tuple[Fact, ...]
    entities: tuple[Entity, ...] = ()
    units: tuple[Unit, ...] = ()
    measures: tuple[Measure, ...] = ()

    def without_facts(self) -> FactBase:
        return self._replace(facts=())

    @property
    def stats(self) -> tuple[Statistic, ...]:
        return tuple(stat for fact in self.facts for stat in fact.stats)

    def sector(self, sector_id: str) -> Sector | None:
        return next((s for s in self.sectors if s.id == sector_id), None)

    def source(self, source_id: str) -> Source | None:
        return next((s for s in self.sources if s.id == source_id), None)

    def fact(self, fact_id: str) -> Fact | None:
        return next((f for f in self.facts if f.id == fact_id), None)
