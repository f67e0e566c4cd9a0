"""A generic reader of one raw TOML table: typed values out, a located Problem for every bad field.

It knows TOML's types and shenka's value grammars (text, slugs, numbers, dates, periods) and the checks every
text gets (placeholders, invisible characters); which fields a table has is core/schema.py's business.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from enum import Enum
from typing import Any, Literal, TypeVar, overload

from shenka_cli.core.errors import Problem
from shenka_cli.core.lines import LineIndex
from shenka_cli.core.model import FuzzyDate, Period, When
from shenka_cli.core.textcheck import PLACEHOLDER_MESSAGE, PLACEHOLDER_WORDS, count_without_separator, placeholder
from shenka_cli.text.dates import date_parts
from shenka_cli.text.safety import UNSAFE, visible
from shenka_cli.text.slug import SLUG
from shenka_cli.text.suggest import closest

E = TypeVar("E", bound=Enum)
PERIOD_KEYS = {"start", "end", "start_inferred", "end_inferred"}
ENGLISH_TEXT = {"title_en", "summary_en", "label_en"}
MISSING = object()


def type_name(value: Any) -> str:
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


def shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


@functools.lru_cache(maxsize=4)
def _plain(lines: LineIndex) -> bool:
    """Whether no string of the file can hold a placeholder or an invisible character: its text holds none, and no
    backslash, so that every string value is a piece of the text as it is written (no escape makes a character)."""
    text = lines.text
    return "\\" not in text and not any(word in text for word in PLACEHOLDER_WORDS) and UNSAFE.search(text) is None


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
        self.plain = _plain(lines)

    def problem(self, key: str, message: str, hint: str | None = None) -> None:
        self.failed = True
        line = self.lines.key(key.split(".")[0], self.line, self.end)
        self.problems.append(Problem(self.path, line, message, fact=self.fact, field=self.prefix + key, hint=hint))

    def key_line(self, key: str) -> int | None:
        """The line that sets the key (found only when a problem needs it)."""
        return self.lines.key(key.split(".")[0], self.line, self.end) if self.line is not None else None

    def check_text(self, key: str, value: str) -> None:
        """Placeholders left in are errors; a four-digit count in English text without its separator a warning."""
        found = None if self.plain else placeholder(value)
        if found is not None:  # an error, but the fact still loads: `shenka new` appends skeletons with them
            self.problems.append(
                Problem(
                    self.path,
                    self.key_line(key),
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
                        self.key_line(key),
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
        if self.plain or UNSAFE.search(value) is None:
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
                guess = closest(key, sorted(allowed))
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

    @overload
    def text(self, key: str, required: Literal[True] = True) -> str: ...

    @overload
    def text(self, key: str, required: bool) -> str | None: ...

    def text(self, key: str, required: bool = True) -> str | None:
        """A string field; a required one is "" when it is missing or bad (a problem says so, the table fails)."""
        value = self._text(key, required)
        return "" if value is None and required else value

    def _text(self, key: str, required: bool) -> str | None:
        value = self.raw(key, required)
        if value is MISSING:
            return None
        if not isinstance(value, str):
            self.problem(key, f"found {type_name(value)} {shown(value)}, expected a string")
            return None
        if required and not value.strip():
            self.problem(key, "is empty, expected text")
            return None
        self.check_characters(key, value)
        return value

    def slug(self, key: str) -> str | None:
        value = self._text(key, required=True)
        if value is not None and not SLUG.match(value):
            self.problem(key, f"found {shown(value)}, expected a slug of lowercase letters, digits and hyphens")
            return None
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.raw(key, required=False)
        if value is MISSING:
            return ()
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.problem(key, f"found {type_name(value)} {shown(value)}, expected an array of strings")
            return ()
        for item in value:
            self.check_characters(key, item)
        return tuple(value)

    def number(self, key: str, required: bool) -> int | float | None:
        value = self.raw(key, required)
        if value is MISSING:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.problem(key, f"found {type_name(value)} {shown(value)}, expected a number")
            return None
        if isinstance(value, float) and not math.isfinite(value):
            self.problem(key, f"found {value}, expected a finite number")
            return None
        return value

    def choice(self, key: str, enum: type[E], default: E) -> E | None:
        value = self.raw(key, required=False)
        if value is MISSING:
            return default
        try:
            return enum(value)
        except ValueError:
            self.problem(key, f"found {shown(value)}, expected one of: " + ", ".join(str(e.value) for e in enum))
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
                f'found {type_name(value)} {shown(value)}, expected a date such as "2024", "2024-09" or "2024-09-20"',
            )
            return None
        if isinstance(value, dt.date):
            return FuzzyDate(value.year, value.month, value.day, inferred)
        try:
            parts = date_parts(value)
        except ValueError as error:
            self.problem(key, f"found {shown(value)}, which is not a real date ({error})")
            return None
        if parts is None:
            self.problem(key, f'found {shown(value)}, expected a date such as "2024", "2024-09" or "2024-09-20"')
            return None
        return FuzzyDate(*parts, inferred)

    def period(self, key: str, value: dict) -> tuple[Period | None, str | None]:
        for extra in value:
            if extra not in PERIOD_KEYS:
                self.problem(f"{key}.{extra}", "unknown field", "allowed: " + ", ".join(sorted(PERIOD_KEYS)))
        reasons = {end: value.get(f"{end}_inferred") for end in ("start", "end")}
        for end, reason in reasons.items():
            if reason is not None and not isinstance(reason, str):
                self.problem(f"{key}.{end}_inferred", f"found {type_name(reason)}, expected a string (the reason)")
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
