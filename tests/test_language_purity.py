"""One language at a time: every command, in every format it has, shows no Chinese under --lang en and no English
under --lang zh outside the places tests/purity.py names (the originals, quoted originals, ids and codes).

The commands are read from the Click group, so a command added later is swept as soon as it is registered; one
that needs an argument this file has no sample for fails until a sample is added to SAMPLES. The formats are the
choices of the command's --format; --chart and --undated are swept too, with the formats they take.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from shenka_cli.cli.app import app

from .conftest import REPO
from .purity import HAN, Checker, json_records, page_lines, unmarked

# Commands that show no presentation to sweep, and why.
NOT_SWEPT = {
    "export": "writes a SQLite database to a file, documented in English for Datasette; nothing is shown",
    "new": "prints a TOML skeleton for curators: its keys are the file format, its comments document it",
    "validate": "a curator's check of fact files: its problems name files, lines, fields and TOML keys",
}

# Values for the arguments of commands (by the argument's name): every value is swept; None runs without it.
SAMPLES: dict[str, list[str | None]] = {
    "fact_id": ["kashgar-light-journey-cataract", "aerospace-park-incubator"],
    "query": ["Kashgar", "白内障"],
    "sector": [None, "livelihood"],
    "source": [str(REPO / "docs" / "sample-article.txt")],
    "measure": [None, "aid-funds-cumulative"],
}
CHART_FORMATS = ("table", "svg", "html")
LANGS = ("en", "zh")


def _commands() -> Iterator[tuple[str, Any]]:
    """Every command of the app, as the Click group lists and builds it (the context is not needed to)."""
    group = typer.main.get_command(app)
    for name in group.list_commands(None):
        command = group.get_command(None, name)
        assert command is not None, name
        yield name, command


def _command(name: str) -> Any:
    return dict(_commands())[name]


def _formats(command: Any) -> list[str | None]:
    """The values of the command's --format (an enum), or [None] for a command without one."""
    option = next((param for param in command.params if param.name == "format"), None)
    if option is None:
        return [None]
    choices = option.type_descriptor.annotation
    assert issubclass(choices, Enum), choices
    return [str(choice.value) for choice in choices]


def _argument_values(name: str, command: Any) -> list[list[str]]:
    """Every combination of sample values for the command's arguments."""
    combinations: list[list[str]] = [[]]
    for param in command.params:
        if param.param_type_name != "argument":
            continue
        if param.name not in SAMPLES:
            pytest.fail(f"`shenka {name}` takes {param.name.upper()}: add sample values to SAMPLES in {__file__}")
        values = SAMPLES[param.name]
        if param.required:
            values = [value for value in values if value is not None]
        combinations = [[*done, value] for done in combinations for value in values if value is not None] + (
            [done for done in combinations] if None in values else []
        )
    return combinations


def sweep() -> list[tuple[str, ...]]:
    """Every (command, arguments…) run to sweep; formats are swept inside each test."""
    runs = []
    for name, command in _commands():
        if name in NOT_SWEPT:
            continue
        options = {param.name for param in command.params}
        for arguments in _argument_values(name, command):
            runs.append((name, *arguments))
            if "undated" in options:
                runs.append((name, *arguments, "--undated"))
            if "chart" in options:
                runs.append((name, *arguments, "--chart"))
    return runs


@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache for the whole sweep: the bundled facts are indexed once, not once a run."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="module")
def known_ids() -> set[str]:
    """The identifiers a Chinese text may show as they are: the ids of facts, sources and measures (what a command
    line names them by), and tags (slugs with no Chinese name)."""
    from shenka_cli.core.loader import load

    base = load().base
    ids = {fact.id for fact in base.facts} | {source.id for source in base.sources}
    return ids | {measure.id for measure in base.measures} | {tag for fact in base.facts for tag in fact.tags}


def _run(cache: Path, lang: str, command: tuple[str, ...], format: str | None):
    runner = CliRunner()
    args = ["--lang", lang, *command, *(["--format", format] if format else [])]
    result = runner.invoke(app, args, env={"XDG_CACHE_HOME": str(cache)}, catch_exceptions=False)
    assert result.exit_code == 0, (args, result.output)
    return result


def check_output(checker: Checker, format: str | None, text: str, where: str, originals: list[str]) -> None:
    """One output, read as its format is read."""
    if format == "markdown":
        checker.markdown(text, where)
    elif format == "csv":
        checker.csv(text, where)
    elif format in ("json", "timelinejs"):
        checker.records(json_records(text), where)
    elif format == "jsonl":
        import json

        checker.records((json.loads(line) for line in text.splitlines()), where)
    elif format in ("svg", "html"):
        checker.picture(page_lines(text), where, originals)
    else:  # the table, piped: aligned plain text (a chart: prose lines)
        checker.plain(text, where)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("command", sweep(), ids=" ".join)
def test_one_language_at_a_time(command: tuple[str, ...], lang: str, shared_cache: Path, known_ids: set[str]):
    formats = _formats(_command(command[0]))
    if "--chart" in command:
        formats = [format for format in formats if format in CHART_FORMATS]
    checker = Checker(lang, known_ids)
    # The Markdown output first: its original (and ID) cells are what the pictures may show as they are.
    ordered = sorted(formats, key=lambda format: format != "markdown")
    for format in ordered:
        result = _run(shared_cache, lang, command, format)
        where = f"shenka --lang {lang} {' '.join(command)} --format {format}"
        check_output(checker, format, result.stdout, where, list(checker.originals))
        for line in result.stderr.splitlines():
            if "fact cache" not in line:  # the cache's own maintenance notices are not about the data
                checker.text(line, f"{where} (stderr)")
    assert checker.problems == [], "\n".join(checker.problems[:40])


@pytest.mark.parametrize("command", sweep(), ids=" ".join)
def test_both_languages_show_both(command: tuple[str, ...], shared_cache: Path):
    """With --lang both, the title and headers name things in Chinese and in English."""
    formats = _formats(_command(command[0]))
    format = "table" if "table" in formats else formats[0]
    result = _run(shared_cache, "both", command, format)
    head = "\n".join(result.stdout.splitlines()[:2])
    assert HAN.search(head) and re.search(r"[A-Za-z]{3}", head), head


# Messages of the listing commands that carry data.


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    "command",
    [
        ("timeline", "--from", "2099"),
        ("stats", "--from", "2099"),
        ("sectors", "livelihood", "--from", "2099"),
        ("search", "不存在的词语"),
        ("search", "zebra"),
        ("report", "--from", "2099"),
        ("timeline", "--format", "timelinejs", "--from", "2099"),
    ],
    ids=" ".join,
)
def test_no_match_messages_are_in_the_language(command, lang, shared_cache: Path, known_ids: set[str]):
    result = CliRunner().invoke(
        app, ["--lang", lang, *command], env={"XDG_CACHE_HOME": str(shared_cache)}, catch_exceptions=False
    )
    assert result.exit_code == 1, result.output
    checker = Checker(lang, known_ids)
    for line in result.stderr.splitlines():
        if line.startswith("shenka: error: "):
            checker.text(line.removeprefix("shenka: error: "), " ".join(command))
        elif line.startswith("hint: ") and lang == "en" and command[-1].isascii():
            # did-you-mean hints are English only and quote the query as typed (README)
            checker.text(line.removeprefix("hint: "), " ".join(command))
    assert checker.problems == []


@pytest.mark.parametrize("lang", LANGS)
def test_the_report_names_its_filters_in_the_language(lang, shared_cache: Path, known_ids: set[str]):
    command = ("report", "--place", "喀什地区", "--organisation", "Peng Cheng Laboratory", "--tag", "computing")
    result = _run(shared_cache, lang, command, "markdown")
    checker = Checker(lang, known_ids)
    checker.markdown(result.stdout, " ".join(command))
    assert checker.problems == []
    assert ("Kashgar Prefecture" if lang == "en" else "地点 喀什地区") in result.stdout


def test_every_command_is_swept_or_excused():
    names = [name for name, _ in _commands()]
    swept = {run[0] for run in sweep()}
    assert set(names) == swept | set(NOT_SWEPT), "every command is swept, or NOT_SWEPT says why not"
    assert {"timeline", "search", "sectors", "stats", "show", "report", "coverage"} <= swept


# The checker fails when it should.


@pytest.mark.parametrize(
    ("lang", "text", "found"),
    [
        ("en", "Unit: 人", ["人"]),
        ("en", "2025 (推断)", ["推断"]),  # a parenthesis is an original only after English text
        ("en", "Kashgar (喀什)", []),
        ("en", "“目前” in an article", []),
        ("en", "“目前”", ["目前"]),
        ("zh", "民生 livelihood", ["livelihood"]),
        ("zh", "深圳援疆募捐AED", []),
        ("zh", "原因见 `shenka show 事实ID`", []),
        ("zh", "（原文：Shenzhen invests）", []),
        ("zh", "Shenzhen invests", ["Shenzhen", "invests"]),
    ],
)
def test_marks(lang, text, found):
    assert unmarked(text, lang) == found


def test_a_chinese_header_fails_the_english_table():
    table = "Statistics\nStatistic  单位\n---------  ----\nPeople     people\n"
    checker = Checker("en")
    checker.plain(table, "table")
    assert checker.problems and "单位" in checker.problems[0]


def test_a_chinese_cell_fails_unless_its_column_or_row_is_the_original():
    checker = Checker("en")
    checker.plain("Field               Value\n------------------  -----\nTitle               喀什\n", "t")
    assert len(checker.problems) == 1
    checker = Checker("en")
    checker.plain("Field               Value\n------------------  -----\nTitle (original)    喀什\n", "t")
    checker.plain("As written (original)  Figure\n---------------------  ------\n990余名                 990\n", "t")
    assert checker.problems == []


def test_a_mark_may_open_on_the_line_before_when_prose_wraps():
    checker = Checker("en")
    checker.plain("Units that cannot be compared: person-trips\n(人次) are counted apart.\n", "chart")
    assert checker.problems == []
    checker.plain("Unit:\n\n(人次) are counted apart.\n", "chart")  # a blank line ends the paragraph
    assert len(checker.problems) == 1
    checker = Checker("en")
    checker.picture(["cut at “他", "们……” (about 700 characters)"], "svg")  # a quotation closed on the next line
    assert checker.problems == []


def test_a_note_under_the_table_is_prose_not_a_cell():
    checker = Checker("en")
    checker.plain("Field  As written (original)\n-----  ---------------------\nA      喀什\nWhy: 今年 it is\n", "t")
    assert len(checker.problems) == 1 and "今年" in checker.problems[0]


def test_markdown_tables_and_prose_are_checked():
    checker = Checker("en")
    checker.markdown("# 标题\n\n| Statistic | As written (original) |\n| --- | --- |\n| People | 990余名 |\n", "md")
    assert len(checker.problems) == 1 and "'标题'" in checker.problems[0]


def test_records_allow_the_other_language_only_under_their_keys():
    checker = Checker("en")
    checker.records([{"title": "喀什", "title_en": "Kashgar", "headline": "援疆 126.56亿元"}], "json")
    assert len(checker.problems) == 2 and "援疆" in checker.problems[0]  # the display key's two runs
    checker = Checker("zh")
    checker.records([{"title_en": "Kashgar", "qualifier": "more_than", "headline": "Aid funds"}], "json")
    assert len(checker.problems) == 2


def test_pictures_allow_only_what_the_same_command_shows_as_original():
    checker = Checker("en")
    checker.picture(["Kashgar 990余名", "Unit: 人次"], "svg", originals=["990余名"])
    assert len(checker.problems) == 1 and "人次" in checker.problems[0]


def test_page_lines_read_svg_and_html_text():
    page = '<html><style>p{}</style><p>One</p><svg><text x="1">Two&#160;三</text></svg></html>'
    assert page_lines(page) == ["One", "Two 三"]
