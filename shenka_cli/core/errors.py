"""Exit codes and the one exception family the CLI turns into messages."""

from __future__ import annotations

from enum import IntEnum
from typing import NamedTuple


class ExitCode(IntEnum):
    OK = 0
    NO_MATCH = 1  # also: validate found problems
    USAGE = 2  # also: the fact base is invalid
    INTERRUPTED = 130
    CLOSED_PIPE = 141  # the reader of the output went away (`| head`): quietly, as if killed by SIGPIPE


class ShenkaError(Exception):
    """An error the user can cause; carries its message and exit code."""

    def __init__(self, message: str, exit_code: ExitCode = ExitCode.USAGE, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code
        self.hint = hint


class NoMatch(ShenkaError):
    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message, ExitCode.NO_MATCH, hint)


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


class CacheDamaged(ShenkaError):
    """A row or value of the fact cache could not be read during a query; the cache file has been removed."""

    def __init__(self, message: str) -> None:
        super().__init__(message, ExitCode.USAGE, "run the command again: the cache will be rebuilt")


class InvalidFactBase(ShenkaError):
    """The fact base has errors; commands other than validate refuse to run on it."""

    def __init__(self, problems: list[Problem]) -> None:
        errors = [p for p in problems if not p.warning]
        shown = "\n".join(str(p) for p in errors[:10])
        more = f"\n… and {len(errors) - 10} more" if len(errors) > 10 else ""
        super().__init__(
            f"the fact base has {len(errors)} problem(s):\n{shown}{more}",
            ExitCode.USAGE,
            "run `shenka validate` to see every problem",
        )
        self.problems = problems
