"""Turn one raw TOML table into a model object, recording a located Problem for every bad field."""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from typing import TYPE_CHECKING, Any

from shenka_cli.core.errors import Problem
from shenka_cli.core.figures import FigureError, canonical_unit, parse_figure, same_number
from shenka_cli.core.model import (
    Citation,
    Fact,
    FuzzyDate,
    Location,
    Period,
    Qualifier,
    Sector,
    Statistic,
    StatKind,
    When,
)
from shenka_cli.core.textcheck import PLACEHOLDER_MESSAGE, count_without_separator, placeholder
from shenka_cli.text.safety import UNSAFE, visible

if TYPE_CHECKING:
    from shenka_cli.core.loader import LineIndex

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

SECTOR_KEYS = {"id", "name", "name_en", "description", "description_en"}
CITATION_KEYS = {"id", "section", "note"}
ENGLISH_TEXT = {"title_en", "summary_en", "label_en"}
FACT_KEYS = {
    "id",
    "sector",
    "title",
    "title_en",
    "summary",
    "summary_en",
    "date",
    "date_inferred",
    "period",
    "as_of",
    "as_of_inferred",
    "places",
    "organisations",
    "people",
    "tags",
    "source",
    "sources",
    "stat",
}
PERIOD_KEYS = {"start", "end", "start_inferred", "end_inferred"}
STAT_KEYS = {
    "label",
    "label_en",
    "text",
    "value",
    "low",
    "high",
    "unit",
    "qualifier",
    "as_of",
    "as_of_inferred",
    "kind",
    "measure",
}
MISSING = object()


def _type_name(value: Any) -> str:
    names = {
        str: "a string",
        bool: "a boolean",
        int: "an integer",
        float: "a number",
        list: "an array",
        dict: "a table",
        dt.date: "a date",
        dt.datetime: "a date-time",
        dt.time: "a time",
    }
    return names.get(type(value), type(value).__name__)


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


class Fields:
    """Reads the fields of one table, recording problems with the line of the offending key."""

    def __init__(
        self,
        table: dict,
        path: str,
        line: int | None,
        lines: LineIndex,
        problems: list[Problem],
        *,
        fact: str | None = None,
        prefix: str = "",
        end: int | None = None,
    ) -> None:
        self.table, self.path, self.line, self.lines = table, path, line, lines
        self.problems, self.fact, self.prefix, self.end = problems, fact, prefix, end
        self.failed = False

    def problem(self, key: str, message: str, hint: str | None = None) -> None:
        self.failed = True
        line = self.lines.key(key.split(".")[0], self.line, self.end)
        self.problems.append(Problem(self.path, line, message, fact=self.fact, field=self.prefix + key, hint=hint))

    def check_text(self, key: str, value: str) -> None:
        """Placeholders left in are errors; a four-digit count in English text without its separator a warning."""
        line = self.lines.key(key.split(".")[0], self.line, self.end) if self.line is not None else None
        found = placeholder(value)
        if found is not None:  # an error, but the fact still loads: `shenka new` appends skeletons with them
            self.problems.append(
                Problem(
                    self.path,
                    line,
                    f"{PLACEHOLDER_MESSAGE} {found!r}",
                    fact=self.fact,
                    field=self.prefix + key,
                    hint="write the real value, or remove the field",
                )
            )
        if key.rsplit(".", 1)[-1] in ENGLISH_TEXT:
            number = count_without_separator(value)
            if number is not None:
                self.problems.append(
                    Problem(
                        self.path,
                        line,
                        f"the count {number!r} is written without a thousands separator",
                        fact=self.fact,
                        field=self.prefix + key,
                        hint=f"write {int(number):,} (a year has no separator; a count does)",
                        warning=True,
                    )
                )

    def check_characters(self, key: str, value: str) -> None:
        """A warning for control characters and bidi overrides, which shenka shows escaped."""
        self.check_text(key, value)
        if UNSAFE.search(value) is None:
            return
        found = sorted({visible(char) for char in UNSAFE.findall(value)})
        if found:
            line = self.lines.key(key.split(".")[0], self.line, self.end)
            self.problems.append(
                Problem(
                    self.path,
                    line,
                    "contains invisible or control characters: " + " ".join(found),
                    fact=self.fact,
                    field=self.prefix + key,
                    hint="shenka shows them escaped; remove them unless intended",
                    warning=True,
                )
            )

    def check_keys(self, allowed: set[str]) -> None:
        for key in self.table:
            if key not in allowed:
                guess = difflib.get_close_matches(key, sorted(allowed), n=1)
                self.problem(
                    key,
                    "unknown field",
                    f"did you mean {guess[0]!r}?" if guess else "allowed: " + ", ".join(sorted(allowed)),
                )

    def raw(self, key: str, required: bool) -> Any:
        value = self.table.get(key, MISSING)
        if value is MISSING and required:
            self.problem(key, "missing required field")
        return value

    def text(self, key: str, required: bool = True) -> str | None:
        value = self.raw(key, required)
        if value is MISSING:
            return None
        if not isinstance(value, str):
            self.problem(key, f"found {_type_name(value)} {_shown(value)}, expected a string")
            return None
        if required and not value.strip():
            self.problem(key, "is empty, expected text")
            return None
        self.check_characters(key, value)
        return value

    def slug(self, key: str) -> str | None:
        value = self.text(key)
        if value is not None and not SLUG.match(value):
            self.problem(key, f"found {_shown(value)}, expected a slug of lowercase letters, digits and hyphens")
            return None
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.raw(key, required=False)
        if value is MISSING:
            return ()
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.problem(key, f"found {_type_name(value)} {_shown(value)}, expected an array of strings")
            return ()
        for item in value:
            self.check_characters(key, item)
        return tuple(value)

    def number(self, key: str, required: bool) -> int | float | None:
        value = self.raw(key, required)
        if value is MISSING:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.problem(key, f"found {_type_name(value)} {_shown(value)}, expected a number")
            return None
        if isinstance(value, float) and not math.isfinite(value):
            self.problem(key, f"found {value}, expected a finite number")
            return None
        return value

    def choice(self, key: str, enum: type, default: Any) -> Any:
        value = self.raw(key, required=False)
        if value is MISSING:
            return default
        try:
            return enum(value)
        except ValueError:
            self.problem(key, f"found {_shown(value)}, expected one of: " + ", ".join(e.value for e in enum))
            return None

    def when(self, key: str, reason_key: str) -> tuple[When | None, str | None]:
        """A date (string) or a period ({start, end}) under key, with its inferred reason(s)."""
        value = self.raw(key, required=False)
        if value is MISSING:
            if reason_key in self.table:
                self.problem(reason_key, f"gives a reason for an inferred date, but there is no {key!r}")
            return None, None
        if isinstance(value, dict):
            if reason_key in self.table:
                self.problem(reason_key, "a period marks its inferred ends with start_inferred or end_inferred")
            return self.period(key, value)
        reason = self.text(reason_key, required=False)
        return self.date(key, value, inferred=reason is not None), reason

    def date(self, key: str, value: Any, inferred: bool) -> FuzzyDate | None:
        if isinstance(value, dt.datetime) or not isinstance(value, (str, dt.date)):
            self.problem(
                key,
                f'found {_type_name(value)} {_shown(value)}, expected a date such as "2024", "2024-09" or "2024-09-20"',
            )
            return None
        if isinstance(value, dt.date):
            return FuzzyDate(value.year, value.month, value.day, inferred)
        match = DATE.match(value)
        if not match:
            self.problem(key, f'found {_shown(value)}, expected a date such as "2024", "2024-09" or "2024-09-20"')
            return None
        year, month, day = (int(part) if part else None for part in match.groups())
        try:
            dt.date(year, month or 1, day or 1)
        except ValueError as error:
            self.problem(key, f"found {_shown(value)}, which is not a real date ({error})")
            return None
        return FuzzyDate(year, month, day, inferred)

    def period(self, key: str, value: dict) -> tuple[Period | None, str | None]:
        for extra in value:
            if extra not in PERIOD_KEYS:
                self.problem(f"{key}.{extra}", "unknown field", "allowed: " + ", ".join(sorted(PERIOD_KEYS)))
        reasons = {end: value.get(f"{end}_inferred") for end in ("start", "end")}
        for end, reason in reasons.items():
            if reason is not None and not isinstance(reason, str):
                self.problem(f"{key}.{end}_inferred", f"found {_type_name(reason)}, expected a string (the reason)")
        dates = {}
        for end in ("start", "end"):
            if end not in value:
                self.problem(f"{key}.{end}", "missing required field")
                continue
            dates[end] = self.date(f"{key}.{end}", value[end], inferred=isinstance(reasons[end], str))
        start, finish = dates.get("start"), dates.get("end")
        if start is None or finish is None:
            return None, None
        if start.first_day > finish.last_day:
            self.problem(key, f"starts ({start.iso}) after it ends ({finish.iso})")
            return None, None
        reason = "; ".join(f"{end}: {r}" for end, r in reasons.items() if isinstance(r, str)) or None
        return Period(start, finish), reason


def read_sector(table: dict, path: str, line: int | None, lines: LineIndex, problems: list[Problem]) -> Sector | None:
    fields = Fields(table, path, line, lines, problems)
    fields.check_keys(SECTOR_KEYS)
    values = {key: fields.text(key) for key in ("name", "name_en", "description", "description_en")}
    sector_id = fields.slug("id")
    if fields.failed or sector_id is None:
        return None
    return Sector(id=sector_id, **values)  # type: ignore[arg-type]


def read_fact(table: dict, path: str, line: int | None, lines: LineIndex, problems: list[Problem]) -> Fact | None:
    raw_id = table.get("id")
    fields = Fields(table, path, line, lines, problems, fact=raw_id if isinstance(raw_id, str) else None)
    fields.check_keys(FACT_KEYS)
    fact_id = fields.slug("id")
    sector = fields.text("sector")
    texts = {key: fields.text(key) for key in ("title", "title_en", "summary", "summary_en")}
    times = [key for key in ("date", "period", "as_of") if key in table]
    if len(times) > 1:
        fields.problem(times[1], f"a fact has one of date, period or as_of, not {' and '.join(times)}")
    date, date_reason = fields.when("date", "date_inferred")
    if isinstance(date, Period):
        fields.problem("date", "write a period as period = { start = …, end = … }")
    as_of, as_of_reason = fields.when("as_of", "as_of_inferred")
    if isinstance(as_of, Period):
        fields.problem("as_of", "a standing fact holds as of one date, not a period")
    period_raw = table.get("period", MISSING)
    period, period_reason = (None, None)
    if period_raw is not MISSING:
        if isinstance(period_raw, dict):
            period, period_reason = fields.period("period", period_raw)
        else:
            fields.problem("period", f"found {_type_name(period_raw)}, expected a table {{ start = …, end = … }}")
    lists = {key: fields.strings(key) for key in ("places", "organisations", "people", "tags")}
    for tag in lists["tags"]:
        if not SLUG.match(tag):
            fields.problem("tags", f"tag {_shown(tag)} is not a slug of lowercase letters, digits and hyphens")
    citations = _citations(fields)
    standing = as_of if isinstance(as_of, FuzzyDate) else None
    when: When | None = date if isinstance(date, FuzzyDate) else period if period is not None else standing
    stats = _read_stats(fields, fact_id or "?", when)
    if fields.failed or fact_id is None or sector is None or not citations:
        return None
    return Fact(
        id=fact_id,
        sector=sector,
        **texts,  # type: ignore[arg-type]
        date=date if isinstance(date, FuzzyDate) else None,
        period=period,
        inferred_reason=date_reason or period_reason or as_of_reason,
        sources=citations,
        stats=stats,
        location=Location(path, line or 0),
        as_of=standing,
        **lists,
    )


def _citations(fields: Fields) -> tuple[Citation, ...]:
    """`sources = [{ id, section, note }, …]`, or the single `source = { id, section }`."""
    if "source" in fields.table and "sources" in fields.table:
        fields.problem("sources", "a fact has `source` (one citation) or `sources` (a list), not both")
        return ()
    key = "sources" if "sources" in fields.table else "source"
    value = fields.raw(key, required=True)
    if value is MISSING:
        return ()
    if key == "source":
        if not isinstance(value, dict):
            fields.problem("source", f"found {_type_name(value)}, expected a table {{ id = …, section = … }}")
            return ()
        entries, prefixes = [value], ["source."]
    else:
        if not isinstance(value, list) or not value or not all(isinstance(item, dict) for item in value):
            fields.problem("sources", "expected a non-empty array of tables [{ id = …, section = … }, …]")
            return ()
        entries, prefixes = value, [f"sources[{index + 1}]." for index in range(len(value))]
    citations = []
    for entry, prefix in zip(entries, prefixes, strict=True):
        ref = Fields(entry, fields.path, fields.line, fields.lines, fields.problems, fact=fields.fact, prefix=prefix)
        ref.check_keys(CITATION_KEYS)
        source_id, section, note = ref.text("id"), ref.text("section"), ref.text("note", required=False)
        if ref.failed:
            fields.failed = True
            continue
        citations.append(Citation(source_id, section, note))  # type: ignore[arg-type]
    return tuple(citations)


def _read_stats(fields: Fields, fact_id: str, fact_when: When | None) -> tuple[Statistic, ...]:
    raw = fields.table.get("stat", [])
    if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
        fields.problem("stat", "must be an array of tables, written [[fact.stat]]")
        return ()
    fact_line = fields.line or 0
    next_fact = fields.lines.header("fact", 0, after=fact_line)
    stats = []
    for index, table in enumerate(raw):
        line = fields.lines.header("fact.stat", index, after=fact_line, before=next_fact) or fields.line
        reader = Fields(
            table, fields.path, line, fields.lines, fields.problems, fact=fields.fact, prefix=f"stat[{index + 1}]."
        )
        stat = _read_stat(reader, fact_id, fact_when)
        if reader.failed:
            fields.failed = True
        elif stat is not None:
            stats.append(stat)
    return tuple(stats)


def _read_stat(fields: Fields, fact_id: str, fact_when: When | None) -> Statistic | None:
    fields.check_keys(STAT_KEYS)
    label, label_en, written, unit = (
        fields.text("label"),
        fields.text("label_en"),
        fields.text("text"),
        fields.text("unit"),
    )
    qualifier = fields.choice("qualifier", Qualifier, Qualifier.EXACT)
    kind = fields.choice("kind", StatKind, StatKind.QUANTITY)
    is_range = qualifier is Qualifier.RANGE
    value = fields.number("value", required=not is_range)
    low = fields.number("low", required=is_range)
    high = fields.number("high", required=is_range)
    if is_range and value is not None:
        fields.problem("value", "a range has low and high, not value")
    if not is_range:
        for key in ("low", "high"):
            if key in fields.table:
                fields.problem(
                    key, f"only a range (qualifier = \"range\") has {key!r}; this figure's number is 'value'"
                )
    if is_range and low is not None and high is not None and low > high:
        fields.problem("low", f"the range's low end ({low}) is above its high end ({high})")
    as_of, reason = fields.when("as_of", "as_of_inferred")
    measure = fields.text("measure", required=False)
    if fields.failed:
        return None
    figure_ok = _check_figure(fields, written, value, low, high, unit, qualifier, kind)  # type: ignore[arg-type]
    if not figure_ok:
        return None
    if qualifier is Qualifier.EXACT:
        low = high = value
    elif qualifier is Qualifier.MORE_THAN:
        low, high = value, None
    elif qualifier is Qualifier.ABOUT:
        low = high = None
    elif qualifier is Qualifier.LESS_THAN:
        low, high = None, value
    return Statistic(
        fact_id,
        label,
        label_en,
        written,
        value,
        low,
        high,
        unit,  # type: ignore[arg-type]
        qualifier,
        kind,
        as_of if as_of is not None else fact_when,
        reason,
        measure,
    )


def _check_figure(
    fields: Fields, written: str, value, low, high, unit: str, qualifier: Qualifier, kind: StatKind
) -> bool:
    """The written figure must say what the stored value, unit, qualifier and kind say."""
    from shenka_cli.core.figures_en import is_english, parse_english_figure

    english = is_english(written)
    try:
        parsed = parse_english_figure(written) if english else parse_figure(written)
    except FigureError as error:
        fields.problem("text", str(error))
        return False
    if parsed.qualifier is Qualifier.RANGE:
        if qualifier is not Qualifier.RANGE:
            fields.problem(
                "qualifier",
                f"found {qualifier.value!r}, but {written!r} is a range",
                'use qualifier = "range" with low and high',
            )
        else:
            for key, stored, expected in (("low", low, parsed.low), ("high", high, parsed.high)):
                if not same_number(stored, expected):
                    fields.problem(key, f"found {stored}, but {written!r} says {expected}")
    else:
        if qualifier is not parsed.qualifier:
            fields.problem("qualifier", f"found {qualifier.value!r}, but {written!r} says {parsed.qualifier.value!r}")
        elif not same_number(value, parsed.value):
            fields.problem(
                "value",
                f"found {value}, but {written!r} says {parsed.value}",
                "value is the number in base units, e.g. 8.4亿元 → 840000000",
            )
    if canonical_unit(unit) != unit:
        fields.problem("unit", f"found {unit!r}, expected {canonical_unit(unit)!r} (the unit {unit} is stored as)")
    elif unit != parsed.unit and not english:  # English words after the number are not a measure word
        fields.problem("unit", f"found {unit!r}, but {written!r} counts in {parsed.unit!r}")
    if kind is not parsed.kind:
        expected = "an ordinal" if parsed.kind is StatKind.ORDINAL else "a quantity"
        fields.problem("kind", f"found {kind.value!r}, but {written!r} is {expected}")
    return not fields.failed
