"""Exit statuses, and the one place an exception becomes a message on standard error and a status."""

from __future__ import annotations

from enum import IntEnum

from shenka_cli.core.errors import NoMatch, ShenkaError


class ExitCode(IntEnum):
    OK = 0
    NO_MATCH = 1  # also: validate found problems
    USAGE = 2  # also: the fact base is invalid
    INTERRUPTED = 130
    CLOSED_PIPE = 141  # the reader of the output went away (`| head`): quietly, as if killed by SIGPIPE


def exit_code_of(failure: ShenkaError) -> ExitCode:
    """Nothing matched is 1, as grep has it; every other problem the user can fix is a usage error."""
    return ExitCode.NO_MATCH if isinstance(failure, NoMatch) else ExitCode.USAGE


def report(failure: ShenkaError) -> ExitCode:
    """Show the failure on standard error; the status the run ends with."""
    from shenka_cli.cli.console import error

    error(failure.message, failure.hint)
    return exit_code_of(failure)
