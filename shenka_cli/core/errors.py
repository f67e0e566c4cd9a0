"""The one family of domain exceptions; cli/ decides how each is shown and its exit status."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple


class ShenkaError(Exception):
    """A problem the user can fix: bad input, an unknown name, an unreadable file."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class NoMatch(ShenkaError):
    """Nothing matched: a search, filters, an unknown fact id."""


class BadDate(ShenkaError):
    """A date not written as 2024, 2024-08 or 2024-08-09; cli/ names the option it came from."""

    def __init__(self, text: str) -> None:
        super().__init__(f"{text!r}: expected a date such as 2024, 2024-08 or 2024-08-09")
        self.text = text


class EmptyWindow(ShenkaError):
    """A date window whose start is after its end."""

    def __init__(self, start: str, end: str) -> None:
        super().__init__(f"the window starts ({start}) after it ends ({end})")
        self.start, self.end = start, end


class Problem(NamedTuple):
    """One thing wrong (or suspicious) in a fact file, located as precisely as the input allows."""

    path: str
    line: int | None
    message: str
    fact: str | None = None
    field: str | None = None
    hint: str | None = None
    warning: bool = False

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        parts = [where + ":", "warning:" if self.warning else "error:"]
        if self.fact:
            parts.append(f"fact {self.fact!r}")
        if self.field:
            parts.append(f"field {self.field!r}:")
        elif self.fact:
            parts[-1] += ":"
        parts.append(self.message)
        text = " ".join(parts)
        return f"{text} (hint: {self.hint})" if self.hint else text


def errors_only(problems: Iterable[Problem]) -> list[Problem]:
    """The errors among problems; warnings never make a fact base invalid."""
    return [problem for problem in problems if not problem.warning]


class CacheDamaged(ShenkaError):
    """A row or value of the fact cache could not be read during a query; the cache file has been removed."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "run the command again: the cache will be rebuilt")


class InvalidFactBase(ShenkaError):
    """The fact base has errors; commands other than validate refuse to run on it."""

    def __init__(self, problems: list[Problem]) -> None:
        errors = errors_only(problems)
        shown = "\n".join(str(p) for p in errors[:10])
        more = f"\n… and {len(errors) - 10} more" if len(errors) > 10 else ""
        super().__init__(
            f"the fact base has {len(errors)} {'problem' if len(errors) == 1 else 'problems'}:\n{shown}{more}",
            "run `shenka validate` to see every problem",
        )
        self.problems = problems
