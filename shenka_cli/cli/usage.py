"""Options where people type them, errors in one style, and help without framework noise.

- Global options (--lang, --facts, --script) are accepted after the command too: cli/arguments.py moves them.
- A usage error (unknown option, bad value, missing argument) is `shenka: error: …` and a hint line, exit 2,
  like every other error; it names an environment variable only when that variable is set.
- Help shows plain metavars (QUERY..., SECTOR) instead of Python types (<list[str]>, {query}).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from typer.core import TyperCommand

if TYPE_CHECKING:
    from typer import _click as click


class _Deferred:
    """Typer (0.29) builds each parameter's coercion, a pydantic adapter (about 0.5 ms), before it looks at the
    value; a search has 20 options and a run sets two or three. An option left unset is None (or () when it takes
    several values), as Typer's own coercion makes it, and builds nothing; a set one builds Typer's and uses it."""

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        if value is None:
            return () if param.multiple or param.nargs == -1 else None
        from typer.core import build_runtime_param

        param._runtime_param = build_runtime_param(param.type_descriptor)
        return param._runtime_param.coerce(value, param=param, ctx=ctx)


_DEFERRED = _Deferred()


def defer_coercion(params: Iterable[Any]) -> None:
    """Each parameter's coercion built only for a value that needs it (see _Deferred); a parameter of another
    kind, or from a Typer without lazy coercion, is left as it is."""
    for param in params:
        if getattr(param, "_runtime_param", _DEFERRED) is None and hasattr(param, "type_descriptor"):
            param._runtime_param = _DEFERRED


def default_hint(exit_code: int) -> str | None:
    """The hint of a usage error that has none of its own: where the help is."""
    from typer._click.globals import get_current_context

    ctx = get_current_context(silent=True)
    if exit_code != 2 or ctx is None:
        return None
    command = " ".join(filter(None, [ctx.command_path, getattr(ctx, "invoked_subcommand", None)]))
    return f"see '{command} --help'"


def usage_message(error: click.exceptions.UsageError) -> tuple[str, str]:
    """The message and hint of a usage error, in shenka's words."""
    from typer._click.exceptions import BadParameter, NoSuchOption

    ctx = error.ctx
    command = ctx.command_path if ctx is not None else "shenka"
    hint = f"see '{command} --help'"
    if isinstance(error, BadParameter) and error.param is not None and not error.param_hint:
        param = error.param
        name = "/".join(param.opts) if param.param_type_name == "option" else (param.metavar or param.name or "")
        envvar = param.envvar if isinstance(param.envvar, str) else None
        source = f" (from ${envvar})" if envvar and os.environ.get(envvar) else ""
        detail = error.message.removeprefix("Value error, ")
        if type(error).__name__ == "MissingParameter":
            return f"missing {param.param_type_name} {name}", hint
        return f"invalid value for {name}{source}: {detail}", hint
    message = error.format_message().removeprefix("Value error, ")
    if isinstance(error, NoSuchOption) and error.possibilities:
        message = f"no such option: {error.option_name}"
        hint = "did you mean " + " or ".join(sorted(error.possibilities)) + f"? ({hint})"
    return message[:1].lower() + message[1:], hint


def tidy_parameters(params: list[Any]) -> list[Any]:
    """Plain metavars for help: none for flags, NAME for text options, NAME... for arguments."""
    from typer.core import TyperArgument, TyperOption  # noqa: F811 - typer.core is imported already

    for param in params:
        if isinstance(param, TyperOption) and param.metavar is None:
            if param.is_flag or param.count:
                param.metavar = ""
            elif param.display_type_rich(None) == "<str>":  # type: ignore[arg-type]
                param.metavar = (param.name or "value").upper()
        elif isinstance(param, TyperArgument) and not getattr(param, "_shenka_tidy", False):
            shown = param.metavar or (param.name or "").upper()
            several = "..." if param.nargs != 1 else ""
            usage = shown + several if param.required else f"[{shown}]{several}"
            param.metavar = shown + several
            setattr(param, "display_type_rich", lambda ctx: None)  # noqa: B010 - the name says it; no Python type
            setattr(param, "_usage_display_name", lambda usage=usage: usage)  # noqa: B010
            setattr(param, "_shenka_tidy", True)  # noqa: B010
    return params


class ShenkaCommand(TyperCommand):
    """A command whose help shows plain metavars, and the sector ids of the fact base in use."""

    def get_params(self, ctx: click.Context) -> list[Any]:
        return tidy_parameters(super().get_params(ctx))

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        defer_coercion(self.params)
        return super().parse_args(ctx, args)

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        ids = _sector_ids(ctx)
        for param in self.params:
            text = getattr(param, "help", None)
            if param.name == "sector" and text and "Sector ids:" not in text:
                listed = ", ".join(ids) if ids else "as `shenka sectors` lists them"
                setattr(param, "help", f"{text} Sector ids: {listed}.")  # noqa: B010
        from shenka_cli.cli.console import closed_pipe_ends_quietly

        closed_pipe_ends_quietly()
        super().format_help(ctx, formatter)


def _sector_ids(ctx: click.Context) -> list[str]:
    """The sector ids of the fact base in use; none when it cannot be read, or not at once (a large base whose cache
    is not fresh: help prints without waiting for a build)."""
    from shenka_cli.cli.context import catalogue, settings
    from shenka_cli.core.store import at_once

    try:
        if not at_once(settings(ctx).fact_paths()):  # type: ignore[arg-type]
            return []
        return [sector.id for sector in catalogue(ctx).sectors]  # type: ignore[arg-type]
    except Exception:  # noqa: BLE001 - help is best effort
        return []
