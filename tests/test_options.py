"""Options where people type them: global options after the command, any case, sectors by name, tags checked,
suggestions by meaning, one error style, and help without framework noise."""

from __future__ import annotations

import json

import pytest

from shenka_cli.cli.app import COMMANDS
from shenka_cli.cli.arguments import hoist_global_options

from .conftest import VALID


def assert_usage_error(result, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert lines[0].startswith("shenka: error: "), result.stderr
    assert lines[1].startswith("hint: "), result.stderr
    assert "╭" not in result.stderr and "Usage:" not in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["timeline", "--lang", "en"], ["--lang", "en", "timeline"]),
        (["timeline", "--lang=en", "--from", "2024"], ["--lang=en", "timeline", "--from", "2024"]),
        (["--facts", "x", "search", "a", "--facts", "y"], ["--facts", "x", "--facts", "y", "search", "a"]),
        (["search", "--", "--lang", "en"], ["search", "--", "--lang", "en"]),
        (["--lang", "timeline", "timeline"], ["--lang", "timeline", "timeline"]),
        (["nosuch", "--lang", "en"], ["nosuch", "--lang", "en"]),
        (["timeline", "--lang"], ["timeline", "--lang"]),
    ],
)
def test_global_options_move_before_the_command(args, expected):
    assert hoist_global_options(args, COMMANDS) == expected


def test_global_options_after_the_command(run):
    after = run("timeline", "--lang", "en", "--facts", str(VALID))
    before = run("--lang", "en", "--facts", str(VALID), "timeline")
    assert after.exit_code == 0, after.output
    assert after.stdout == before.stdout
    assert "Timeline" in after.stdout
    assert run("stats", "--lang=en").stdout == run("--lang", "en", "stats").stdout


@pytest.mark.parametrize(
    ("args", "same_as"),
    [
        (["--lang", "EN", "timeline"], ["--lang", "en", "timeline"]),
        (["timeline", "--format", "JSON"], ["timeline", "--format", "json"]),
        (["stats", "--sort", "VALUE"], ["stats", "--sort", "value"]),
        (["--lang", "Both", "stats"], ["--lang", "both", "stats"]),
    ],
)
def test_choices_are_case_insensitive(run, args, same_as):
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert result.stdout == run(*same_as).stdout


def test_an_error_names_the_environment_variable_only_when_it_is_set(run):
    typed = run("--lang", "xx", "timeline")
    assert_usage_error(typed, "--lang", "'xx'")
    assert "SHENKA_LANG" not in typed.stderr
    from_env = run("timeline", env={"SHENKA_LANG": "xx"})
    assert_usage_error(from_env, "$SHENKA_LANG", "'xx'")


@pytest.mark.parametrize("name", ["livelihood", "民生", "Livelihood", "LIVELIHOOD"])
def test_a_sector_by_its_id_or_either_name(run, name):
    expected = json.loads(run("stats", "--sector", "livelihood", "--format", "json").stdout)
    result = run("stats", "--sector", name, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == expected
    assert run("sectors", name, "--format", "json").stdout == run("sectors", "livelihood", "--format", "json").stdout


def test_an_unknown_sector_suggests_and_lists_them(run):
    assert_usage_error(run("stats", "--sector", "livelyhood"), "did you mean livelihood", "民生", "exchange")


@pytest.mark.parametrize(("tag", "suggestion"), [("medical", "medicine"), ("Medecine", "medicine")])
def test_an_unknown_tag_is_a_usage_error_with_did_you_mean_and_the_list(run, tag, suggestion):
    result = run("timeline", "--tag", tag)
    assert_usage_error(result, f"unknown tag '{tag}'", f"did you mean {suggestion}", "tags: ", "youth", "first")


def test_a_tag_in_another_case_is_found(run):
    result = run("timeline", "--tag", "Medicine", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == json.loads(run("timeline", "--tag", "medicine", "--format", "json").stdout)


def test_unknown_id_suggestions_search_titles_in_both_languages(run):
    result = run("show", "cataract")
    assert result.exit_code == 1
    hint = result.stderr.splitlines()[1]
    assert "kashgar-light-journey-cataract" in hint and "cataract-surgery-bayika" in hint
    assert "scia-kashgar-branch" not in hint  # spelt a little like it, means nothing like it
    assert "pengcheng-lab-kashgar-node" in run("show", "鹏城实验室").stderr


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["timeline", "--sort", "x"], ["no such option: --sort"]),
        (["timeline", "--plac", "x"], ["no such option: --plac", "did you mean --place"]),
        (["nosuch"], ["no such command"]),
        (["search"], ["missing argument QUERY"]),
        (["new"], ["missing option --sector"]),
        (["stats", "--sort", "sideways"], ["invalid value for --sort"]),
        (["timeline", "--from", "2024-13"], ["--from"]),
    ],
)
def test_one_error_style_for_usage_errors(run, args, fragments):
    assert_usage_error(run(*args), *fragments)


@pytest.mark.parametrize("command", [[], *([name] for name in COMMANDS)])
def test_help_has_clean_metavars_and_completion_options_once(run, command):
    result = run(*command, "--help")
    assert result.exit_code == 0, result.output
    for noise in ("<bool>", "<str>", "<list[", "<Path>", "<path>", "{query}", "{"):
        assert noise not in result.stdout, noise
    assert ("--install-completion" in result.stdout) == (command == [])


@pytest.mark.parametrize("command", ["timeline", "stats", "search", "report", "sectors"])
def test_sector_and_tag_help_name_the_valid_values(run, command):
    text = " ".join(run(command, "--help", env={"COLUMNS": "200"}).stdout.replace("│", " ").split())
    assert "overview, industry, livelihood, culture, exchange" in text
    assert "lists the tags in use" in text


def test_help_of_a_large_base_prints_at_once_and_lists_the_sectors_once_they_are_cached(run, tmp_path, monkeypatch):
    """Help never waits for a cache build (a minute at 100,000 facts): the sector ids come from a fresh cache, or
    from a base small enough to read at once. Every base counts as large here."""
    import shutil

    from shenka_cli.core import store

    monkeypatch.setattr(store, "SMALL_BASE_BYTES", 0)
    facts = tmp_path / "facts"
    shutil.copytree(VALID, facts)

    def sector_help() -> str:
        result = run("--facts", str(facts), "timeline", "--help", env={"COLUMNS": "200"})
        assert result.exit_code == 0, result.output
        return " ".join(result.stdout.replace("│", " ").split())

    assert "Sector ids: as `shenka sectors` lists them." in sector_help()
    assert not store.database_path([facts]).exists()  # nothing was built for it
    assert run("--facts", str(facts), "sectors").exit_code == 0  # a command builds the cache
    assert "Sector ids: overview, industry, livelihood, culture, exchange." in sector_help()
    (facts / "facts.toml").write_text((facts / "facts.toml").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    built = store.database_path([facts]).stat().st_mtime_ns
    assert "Sector ids: as `shenka sectors` lists them." in sector_help()  # stale: not rebuilt for help
    assert store.database_path([facts]).stat().st_mtime_ns == built


@pytest.mark.parametrize(
    "args",
    [
        ["喀什"],
        ["喀什", "--limit", "3", "--format", "json", "--from", "2020", "--tag", "first"],
        ["喀什", "-n", "0", "--output", "out.csv", "--force"],
    ],
    ids=["bare", "several set", "short names and a flag"],
)
def test_unset_options_build_no_coercion_and_every_value_is_what_typer_makes_it(args: list[str]) -> None:
    """Typer builds a pydantic adapter per option before it looks at the value; shenka's commands build one
    only for a value that needs it (cli/usage.py defer_coercion), and parse exactly as Typer alone does."""
    from typer.core import TyperCommand

    from shenka_cli.cli.app import _build_command
    from shenka_cli.cli.usage import _Deferred

    deferred, eager = _build_command("search"), _build_command("search")
    with deferred.make_context("search", list(args)) as context:
        parsed = dict(context.params)
    with eager.context_class(eager, info_name="search") as context:
        TyperCommand.parse_args(eager, context, list(args))
        assert parsed == context.params
    params = {param.name: param for param in deferred.params}
    unset = [name for name, value in parsed.items() if value in (None, ())]
    assert len(unset) >= 8 and all(isinstance(params[name]._runtime_param, _Deferred) for name in unset)
    assert parsed["limit"] == (50 if len(args) == 1 else int(args[2]))
    assert not isinstance(params["limit"]._runtime_param, _Deferred)


def test_a_bad_value_of_an_option_is_still_a_usage_error() -> None:
    from typer.testing import CliRunner

    from shenka_cli.cli.app import app

    result = CliRunner().invoke(app, ["search", "喀什", "--limit", "many"])
    assert result.exit_code == 2
    assert result.output.startswith("shenka: error: invalid value for --limit") and "integer" in result.output
