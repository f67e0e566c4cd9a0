"""The shenka app: global options, the one place errors become messages and exit codes, the commands."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from shenka_cli import __version__
from shenka_cli.cli.context import Lang, Settings
from shenka_cli.errors import ShenkaError


class ShenkaGroup(TyperGroup):
    """Turns every ShenkaError raised by a command into a message on stderr and its exit code."""

    def invoke(self, ctx: typer.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ShenkaError as failure:
            from shenka_cli.console import error

            error(failure.message, failure.hint)
            raise typer.Exit(int(failure.exit_code)) from None


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
        typer.echo(f"shenka {__version__}")
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
        Lang, typer.Option("--lang", envvar="SHENKA_LANG", help="Language of the text shown: zh, en or both.")
    ] = Lang.ZH,
    version: Annotated[
        bool, typer.Option("--version", callback=_print_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """shenka: the facts of Shenzhen's aid to Kashgar, from a terminal."""
    ctx.obj = Settings(facts=list(facts or []), lang=lang)


from shenka_cli.cli import validate  # noqa: E402

validate.register(app)
from shenka_cli.cli import explore  # noqa: E402

explore.register(app)
from shenka_cli.cli import briefing, curate  # noqa: E402

briefing.register(app)
curate.register(app)
