"""The documentation stays true: help texts, the README's commands and command list, CI's command."""

from __future__ import annotations

import re

import pytest
import typer

from shenka_cli.cli.app import app

from .conftest import REPO

GROUP = typer.main.get_command(app)
CONTEXT = typer.Context(GROUP)
COMMANDS = sorted(GROUP.list_commands(CONTEXT))  # type: ignore[attr-defined]


def readme() -> str:
    return (REPO / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_a_summary_and_an_example(name):
    command = GROUP.get_command(CONTEXT, name)  # type: ignore[attr-defined]
    assert command.help and command.help.strip().splitlines()[0].endswith(".")
    assert "Example:" in command.help


@pytest.mark.parametrize("name", COMMANDS)
def test_help_runs(run, name):
    result = run(name, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.stdout


def test_a_mistyped_command_names_the_closest(run):
    result = run("timelin")
    assert result.exit_code == 2
    assert "no such command 'timelin'. did you mean 'timeline'?" in result.stderr.lower()


def test_timeline_offers_every_format():
    from shenka_cli.cli.options import TimelineFormat
    from shenka_cli.render import Format

    assert {member.value for member in TimelineFormat} == {member.value for member in Format} | {"timelinejs"}


def test_readme_lists_every_command():
    listed = set(re.findall(r"^\| `shenka (\w+)", readme(), flags=re.MULTILINE))
    assert listed == set(COMMANDS)


def test_readme_opens_with_the_two_setup_commands_and_ci_runs_the_second():
    block = re.search(r"```sh\n(.*?)```", readme(), flags=re.DOTALL).group(1).strip().splitlines()
    assert len(block) == 2
    main_job, tests = block
    assert "shenka timeline" in main_job
    assert "pytest" in tests
    ci_lines = [line for line in (REPO / ".ci" / "run").read_text().splitlines() if line and not line.startswith("#")]
    assert tests in ci_lines


def test_readme_exit_status_table_lists_every_status():
    from markdown_it import MarkdownIt

    from shenka_cli.cli.status import ExitCode

    tokens = MarkdownIt("commonmark").enable("table").parse(readme())
    start = next(
        index
        for index, token in enumerate(tokens)
        if token.type == "inline" and token.content == "Exit status" and tokens[index - 1].tag == "h2"
    )
    table_end = next(index for index in range(start, len(tokens)) if tokens[index].type == "table_close")
    cells = [token.content for token in tokens[start:table_end] if token.type == "inline"]
    first_cells = [int(cell) for cell in cells[1:] if cell.isdigit()]
    assert first_cells == sorted(int(code) for code in ExitCode)
