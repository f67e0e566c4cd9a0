"""The shenka app: global options, the one place errors become messages and exit codes, the commands."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib import import_module
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from shenka_cli import __version__
from shenka_cli.cli.arguments import COMMANDS, hoist_global_options
from shenka_cli.cli.context import CATALOGUE_KEY, Lang, Script, Settings
from shenka_cli.cli.usage import ShenkaCommand, defer_coercion, tidy_parameters, usage_message
from shenka_cli.core.errors import CacheDamaged, ShenkaError

if TYPE_CHECKING:
    from shenka_cli.cli.status import ExitCode


def _build_command(name: str) -> Any:
    """The Click command for one shenka command, imported and built only when it is used."""
    module_name, function_name = COMMANDS[name].split(":")
    function = getattr(import_module(f"shenka_cli.cli.{module_name}"), function_name)
    single = typer.Typer(rich_markup_mode="rich", add_completion=False)  # completion options: the app's only
    single.command(name, cls=ShenkaCommand)(function)
    return typer.main.get_command(single)


class ShenkaGroup(TyperGroup):
    """Click's lazily loading group (list_commands and get_command, as Click's documentation shows): a run
    imports and builds only the command it runs. Every ShenkaError becomes a message and its exit status."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in COMMANDS and cmd_name not in self.commands:
            self.commands[cmd_name] = _build_command(cmd_name)
        return super().get_command(ctx, cmd_name)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args and args[0] not in COMMANDS and not args[0].startswith("-"):
            from shenka_cli.text.suggest import closest

            close = closest(args[0], COMMANDS)
            ctx.fail(f"No such command {args[0]!r}." + (f" Did you mean {close[0]!r}?" if close else ""))
        return super().resolve_command(ctx, args)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        defer_coercion(self.params)
        return super().parse_args(ctx, hoist_global_options(args, COMMANDS))

    def get_params(self, ctx: Any) -> list[Any]:
        return tidy_parameters(super().get_params(ctx))

    def format_help(self, ctx: Any, formatter: Any) -> None:
        from shenka_cli.cli.console import closed_pipe_ends_quietly

        closed_pipe_ends_quietly()
        super().format_help(ctx, formatter)

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        with _one_error_style():
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx: Any) -> Any:
        from shenka_cli.cli import output

        arguments = (list(getattr(ctx, "_protected_args", [])), list(ctx.args))
        output.reset()
        with _one_error_style():
            try:
                return super().invoke(ctx)
            except CacheDamaged as damage:
                if output.started():
                    raise
                # Nothing was written yet: the damaged cache is gone, so the command runs again on a new one.
                from shenka_cli.cli.console import warn

                warn(damage.message)
                ctx.meta.pop(CATALOGUE_KEY, None)
                ctx._protected_args, ctx.args = arguments
                return super().invoke(ctx)


@contextmanager
def _one_error_style() -> Iterator[None]:
    """Every ShenkaError and usage error as `shenka: error: …` with a hint line, and its exit status."""
    from typer._click.exceptions import NoArgsIsHelpError, UsageError

    status: ExitCode
    try:
        yield
        return
    except ShenkaError as failure:
        from shenka_cli.cli.console import error
        from shenka_cli.cli.status import exit_code_of
        from shenka_cli.cli.usage import default_hint

        status = exit_code_of(failure)
        error(failure.message, failure.hint or default_hint(status))
    except KeyboardInterrupt:
        from shenka_cli.cli.status import ExitCode

        status = ExitCode.INTERRUPTED
    except UsageError as failure:
        if isinstance(failure, NoArgsIsHelpError):
            raise
        from shenka_cli.cli.console import error

        error(*usage_message(failure))
        raise typer.Exit(int(failure.exit_code)) from None
    except OSError as failure:
        if not isinstance(failure, BrokenPipeError) and not _stdout_failed():
            raise
        from shenka_cli.cli.output import stdout_failed
        from shenka_cli.cli.status import report

        try:
            stdout_failed(failure)  # a closed pipe ends the run quietly here
        except ShenkaError as unwritable:
            status = report(unwritable)
    raise typer.Exit(int(status))


def _stdout_failed() -> bool:
    """Whether standard output is what failed (Typer printing help to a full disk: its writes are not shenka's):
    standard output that failed still holds what it could not write, and fails again. (A closed pipe is told by
    its BrokenPipeError: what could not be written may be gone.)"""
    import sys

    try:
        sys.stdout.flush()
    except OSError:
        return True
    return False


app = typer.Typer(
    cls=ShenkaGroup,
    name="shenka",
    help="Explore the sourced, bilingual facts of Shenzhen's counterpart aid to Kashgar (深圳对口援疆喀什).",
    no_args_is_help=True,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)


def _print_version(value: bool) -> None:
    if value:
        from shenka_cli.cli.console import write_text

        write_text(f"shenka {__version__}\n")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    facts: Annotated[
        list[str] | None,
        typer.Option(
            "--facts",
            help="Fact directory or file; repeat to combine several. 'bundled' names the bundled facts. "
            "Default: $SHENKA_FACTS (directories separated by ':') or the bundled facts.",
            metavar="DIR",
        ),
    ] = None,
    lang: Annotated[
        Lang,
        typer.Option(
            "--lang",
            envvar="SHENKA_LANG",
            case_sensitive=False,
            help="Language of the text shown: zh, en or both (default: $SHENKA_LANG, or zh). "
            "Also accepted after the command.",
        ),
    ] = Lang.ZH,
    script: Annotated[
        Script,
        typer.Option(
            "--script",
            envvar="SHENKA_SCRIPT",
            case_sensitive=False,
            help="Chinese characters of the output: source (as the facts write them), traditional (OpenCC's "
            "standard), traditional-hk, traditional-tw or simplified. JSON keeps the source's own text.",
        ),
    ] = Script.SOURCE,
    version: Annotated[
        bool, typer.Option("--version", callback=_print_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """shenka: the facts of Shenzhen's aid to Kashgar, from a terminal."""
    from shenka_cli.cli.console import set_script

    set_script(script.converter())
    ctx.obj = Settings(facts=list(facts or []), lang=lang)
