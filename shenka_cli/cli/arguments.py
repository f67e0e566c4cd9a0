"""The command line as words, before Typer reads it: the command names and the global options written after the
command, moved before it (`shenka timeline --lang en` is `shenka --lang en timeline`). Imports nothing, so a run can
look at its arguments before Typer loads (core/preload.py)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

# Each command and the function that implements it (module:function in shenka_cli.cli), in help order.
COMMANDS = {
    "timeline": "explore:timeline",
    "search": "explore:search",
    "sectors": "explore:sectors",
    "stats": "explore:stats",
    "show": "explore:show",
    "places": "lists:places",
    "organisations": "lists:organisations",
    "people": "lists:people",
    "tags": "lists:tags",
    "series": "series:series",
    "sources": "sources:sources",
    "report": "briefing:report",
    "export": "export:export",
    "coverage": "curate:coverage",
    "new": "curate:new",
    "validate": "validate:validate",
}


GLOBAL_VALUE_OPTIONS = ("--lang", "--facts", "--script")


def hoist_global_options(args: Sequence[str], commands: Iterable[str]) -> list[str]:
    """The arguments with global options written after the command moved before it.

    `shenka timeline --lang en` becomes `shenka --lang en timeline`. Nothing after `--` moves.
    """
    args = list(args)
    names = set(commands)
    command_at = None
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--":
            return args
        if arg in GLOBAL_VALUE_OPTIONS:
            index += 2
            continue
        if not arg.startswith("-"):
            command_at = index if arg in names else None
            break
        index += 1
    if command_at is None:
        return args
    moved: list[str] = []
    rest: list[str] = []
    index = command_at + 1
    while index < len(args):
        arg = args[index]
        if arg == "--":
            rest.extend(args[index:])
            break
        option = arg.split("=", 1)[0]
        if option in GLOBAL_VALUE_OPTIONS and "=" in arg:
            moved.append(arg)
        elif arg in GLOBAL_VALUE_OPTIONS and index + 1 < len(args):
            moved.extend(args[index : index + 2])
            index += 1
        else:
            rest.append(arg)
        index += 1
    return [*args[:command_at], *moved, args[command_at], *rest]
