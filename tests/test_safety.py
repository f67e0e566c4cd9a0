"""Hostile input: nothing crashes, nothing is lost, nothing reaches the terminal raw."""

from __future__ import annotations

import copy
import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import tomli
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from shenka_cli.core.loader import load
from shenka_cli.core.textcheck import placeholder
from shenka_cli.text import files
from shenka_cli.text.safety import UNSAFE, visible_line

from .conftest import BUNDLED, DATA, VALID
from .tomlwrite import facts_document

HOSTILE = DATA / "hostile"
MARKUP = [
    "[bold red]x[/]",
    "[bold]label[/bold]",
    "[link=http://example.com]y[/link]",
    ":smile:",
    "[red]org[/red]",
    ":thumbs_up:",
]
COMMANDS = [
    ["timeline"],
    ["search", "标题"],
    ["sectors"],
    ["sectors", "industry"],
    ["stats"],
    ["show", "hostile-markup"],
]
SAFE_CONTROLS = {"\n", "\t", "\r"}  # newlines and tabs; \r only where CSV quoting puts it in a line ending


def raw_unsafe(text: str) -> set[str]:
    return {char for char in UNSAFE.findall(text) if char not in SAFE_CONTROLS}


@pytest.fixture
def hostile(run):
    def invoke(*args: str):
        return run("--facts", str(HOSTILE), "--lang", "both", *args, env={"COLUMNS": "400"})

    return invoke


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
@pytest.mark.parametrize("format", ["table", "markdown", "csv"])
def test_no_control_character_reaches_the_output(hostile, command, format):
    result = hostile(*command, "--format", format)
    assert result.exit_code == 0, result.output
    assert raw_unsafe(result.stdout) == set()
    assert "\r" not in result.stdout.replace("\r\n", "")


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_markup_prints_literally_in_tables(hostile, command):
    result = hostile(*command)
    shown = [text for text in MARKUP if text in result.stdout]
    assert shown, "the hostile titles or names should appear"
    assert "\x1b" not in result.stdout


def test_escapes_are_visible(hostile):
    result = hostile("show", "hostile-markup")
    for escaped in (
        "\\x1b[31mred",
        "\\x1b]8;;http://evil.example",
        "\\x1b]52;c;",
        "\\x07",
        "\\x9b31m",
        "\\u202eevil",
        "\\u2066",
        "\\u200e",
        "\\u061c",
        "\\x7f",
        "\\x08",
        "\\x0d",
    ):
        assert escaped in result.stdout
    for literal in MARKUP:
        assert literal in result.stdout


def test_json_keeps_the_exact_text(hostile):
    fact = load([HOSTILE]).base.fact("hostile-markup")
    record = json.loads(hostile("show", "hostile-markup", "--format", "json").stdout)[0]
    assert (record["title"], record["summary"], record["summary_en"]) == (fact.title, fact.summary, fact.summary_en)
    assert record["places"] == list(fact.places)


def test_csv_neutralises_formulas_and_keeps_numbers(hostile):
    rows = list(csv.DictReader(io.StringIO(hostile("stats", "--format", "csv").stdout)))
    assert rows[0]["label"] == "'=1+1 [bold]label[/bold]"
    assert rows[0]["label_en"] == "'-2 \\x1b[5mblink"
    assert rows[0]["value"] == "11"
    titles = list(csv.DictReader(io.StringIO(hostile("timeline", "--format", "csv").stdout)))
    assert titles[0]["title_en"].startswith("'=HYPERLINK(")


def test_validate_warns_about_control_characters_with_file_and_line(run):
    result = run("validate", str(HOSTILE))
    assert result.exit_code == 0
    warnings = [line for line in result.stdout.splitlines() if "warning:" in line]
    assert any(line.startswith(f"{HOSTILE / 'hostile.toml'}:8: warning:") and "\\x1b" in line for line in warnings)
    assert any(":9: warning:" in line and "\\u202e" in line for line in warnings)
    assert raw_unsafe(result.stdout) == set()


def test_raw_bidi_override_in_a_comment_is_reported(run, tmp_path):
    for name in ("sectors.toml", "sources.toml", "facts.toml"):
        (tmp_path / name).write_text((VALID / name).read_text(encoding="utf-8"), encoding="utf-8")
    with (tmp_path / "facts.toml").open("a", encoding="utf-8") as handle:
        handle.write("# looks harmless \u202e })lanigiro\n")
    result = run("validate", str(tmp_path))
    assert "\\u202e" in result.stdout and "warning" in result.stdout
    assert raw_unsafe(result.stdout) == set()


def test_file_names_with_escapes_are_shown_escaped(run, tmp_path):
    evil = tmp_path / "evil\x1b]0;pwned\x07.toml"
    evil.write_text('[[fact]]\nid = "x"\n', encoding="utf-8")
    result = run("validate", str(VALID), str(evil))
    assert result.exit_code == 1
    assert "evil\\x1b]0;pwned\\x07.toml" in result.stdout
    assert raw_unsafe(result.stdout) == set()
    failing = run("--facts", str(VALID), "--facts", str(evil), "timeline")
    assert failing.exit_code == 2
    assert raw_unsafe(failing.stderr) == set()
    assert "\\x1b" in failing.stderr


@pytest.mark.parametrize("format", ["table", "json", "csv", "markdown"])
def test_a_stdout_that_cannot_encode_chinese_gets_replacement_characters(tmp_path, format):
    environment = {**os.environ, "PYTHONIOENCODING": "ascii", "XDG_CACHE_HOME": str(tmp_path), "NO_COLOR": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "shenka_cli", "--facts", str(BUNDLED), "timeline", "--format", format],
        capture_output=True,
        env=environment,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert b"Traceback" not in result.stderr
    assert b"?" in result.stdout
    result.stdout.decode("ascii")


# --- Exports: -o refuses to overwrite, writes atomically ---------------------------------------------------------


def test_output_refuses_to_overwrite_without_force(run, tmp_path):
    target = tmp_path / "report.md"
    target.write_text("precious")
    result = run("timeline", "--format", "markdown", "-o", str(target))
    assert result.exit_code == 2
    assert "already exists" in result.stderr and "--force" in result.stderr
    assert target.read_text() == "precious"
    assert run("timeline", "--format", "markdown", "-o", str(target), "--force").exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("## ")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["cache", "report.md"]


@pytest.mark.parametrize(
    ("failure", "exit_code"),
    [(KeyboardInterrupt(), 130), (OSError(28, "No space left on device"), 2)],
    ids=["ctrl-c", "disk-full"],
)
def test_an_interrupted_export_leaves_the_old_file_intact(run, tmp_path, monkeypatch, failure, exit_code):
    target = tmp_path / "stats.csv"
    target.write_bytes(b"old contents\n")
    real_fsync = os.fsync

    def fail_half_way(descriptor: int) -> None:
        assert os.fstat(descriptor).st_size > 0  # the new data is half-way: written, not yet in place
        raise failure

    monkeypatch.setattr(files.os, "fsync", fail_half_way)
    result = run("stats", "--format", "csv", "-o", str(target), "--force")
    monkeypatch.setattr(files.os, "fsync", real_fsync)
    assert result.exit_code == exit_code
    assert target.read_bytes() == b"old contents\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["cache", "stats.csv"]


def test_a_killed_export_never_leaves_a_partial_file(tmp_path):
    target = tmp_path / "timeline.json"
    target.write_text("[]\n")
    environment = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    command = [
        sys.executable,
        "-m",
        "shenka_cli",
        "--facts",
        str(BUNDLED),
        "timeline",
        "--undated",
        "-f",
        "json",
        "-o",
        str(target),
        "--force",
    ]
    subprocess.run(command, env=environment, check=True)
    complete = target.read_text(encoding="utf-8")
    for delay in (0.05, 0.15, 0.3, 0.5):
        target.write_text("[]\n")
        process = subprocess.Popen(command, env=environment)
        try:
            process.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        assert target.read_text(encoding="utf-8") in ("[]\n", complete)
    assert json.loads(complete)


# --- Exit codes ----------------------------------------------------------------------------------------------------


def test_ctrl_c_exits_130(run, monkeypatch):
    from shenka_cli.core import store

    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(store, "open_catalogue", interrupted)
    result = run("timeline")
    assert result.exit_code == 130


# --- Hostile fact files ----------------------------------------------------------------------------------------------


def base_files(directory: Path) -> None:
    for name in ("sectors.toml", "sources.toml"):
        (directory / name).write_text((VALID / name).read_text(encoding="utf-8"), encoding="utf-8")


def validate(run, directory: Path):
    result = run("validate", str(directory))
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 1)
    return result


def test_symlink_loop(run, tmp_path):
    base_files(tmp_path)
    (tmp_path / "a.toml").symlink_to(tmp_path / "b.toml")
    (tmp_path / "b.toml").symlink_to(tmp_path / "a.toml")
    result = validate(run, tmp_path)
    assert result.exit_code == 1
    assert "a.toml: error: cannot be read" in result.stdout


def test_directory_named_like_a_fact_file(run, tmp_path):
    base_files(tmp_path)
    (tmp_path / "x.toml").mkdir()
    result = validate(run, tmp_path)
    assert result.exit_code == 0
    assert "x.toml: warning: is a directory" in result.stdout


def test_a_30_mb_string(run, tmp_path):
    base_files(tmp_path)
    text = (VALID / "facts.toml").read_text(encoding="utf-8")
    (tmp_path / "facts.toml").write_text(text.replace("孵化基地2024年投入使用", "长" * 30_000_000, 1), encoding="utf-8")
    result = validate(run, tmp_path)
    assert result.exit_code == 0
    assert "6 facts" in result.stdout


def test_nesting_5000_levels_deep(run, tmp_path):
    base_files(tmp_path)
    (tmp_path / "deep.toml").write_text("x = " + "[" * 5000 + "]" * 5000 + "\n")
    (tmp_path / "deeper.toml").write_text("x = " + "{ a = " * 5000 + "1" + " }" * 5000 + "\n")
    result = validate(run, tmp_path)
    assert result.stdout.count("too deeply") == 2


def test_nul_bytes_and_binary_files(run, tmp_path):
    base_files(tmp_path)
    (tmp_path / "nul.toml").write_bytes(b'[[fact]]\nid = "a\x00b"\n')
    (tmp_path / "image.toml").write_bytes(bytes(range(256)) * 4)
    result = validate(run, tmp_path)
    assert result.stdout.count("not a text file") == 2


# --- Property-based: arbitrary text, arbitrary mutations ----------------------------------------------------------

TEXT_FIELDS = ["title", "title_en", "summary", "summary_en"]
unicode_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=200)
PROPERTY_SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def valid_facts() -> list[dict]:
    return tomli.loads((VALID / "facts.toml").read_text(encoding="utf-8"))["fact"]


def load_text(directory: Path, text: str):
    (directory / "facts.toml").write_text(text, encoding="utf-8")
    return load([directory])


@PROPERTY_SETTINGS
@given(
    texts=st.fixed_dictionaries({name: unicode_text for name in TEXT_FIELDS}), places=st.lists(unicode_text, max_size=3)
)
@example(texts={"title": "待填写", "title_en": "a TODO", "summary": "x", "summary_en": " "}, places=[])
def test_arbitrary_unicode_in_every_text_field(tmp_path_factory, texts, places):
    directory = tmp_path_factory.mktemp("facts")
    base_files(directory)
    facts = valid_facts()
    facts[0].update(texts)
    facts[0]["places"] = places
    result = load_text(directory, facts_document(facts))
    # A blank field is an error that rejects the fact; a placeholder such as TODO is an error the fact loads with.
    empty = [name for name in TEXT_FIELDS if not texts[name].strip()]
    unfilled = [name for name in TEXT_FIELDS if texts[name].strip() and placeholder(texts[name])]
    errors = result.errors
    assert len(errors) == len(empty) + len(unfilled)
    if not empty:
        fact = result.base.fact(facts[0]["id"])
        assert (fact.title, fact.summary_en, list(fact.places)) == (texts["title"], texts["summary_en"], places)
    from shenka_cli.present.views import show_document

    if not errors:
        from shenka_cli.cli.console import render_to_text
        from shenka_cli.render.markdown import render_markdown
        from shenka_cli.render.table import render_table

        document = show_document(result.base, result.base.fact(facts[0]["id"]), "both", machine=False)
        for shown in (render_to_text(render_table(document), width=80), render_markdown(document)):
            assert raw_unsafe(shown) == set()


hostile_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    unicode_text,
    st.integers(min_value=10_000, max_value=200_000).map(lambda size: "长" * size),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.sampled_from(["start", "end", "id", "x"]), unicode_text, max_size=3),
)


@st.composite
def mutated_facts(draw):
    facts = valid_facts()
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        fact = draw(st.sampled_from(facts))
        target = fact
        stats = fact.get("stat")
        # An earlier mutation may have replaced the statistics with something that is not a list of tables.
        if isinstance(stats, list) and stats and all(isinstance(stat, dict) for stat in stats) and draw(st.booleans()):
            target = draw(st.sampled_from(stats))
        if not target:
            continue
        name = draw(st.sampled_from(sorted(target)))
        replacement = draw(hostile_values)
        if replacement is None:
            del target[name]
        else:
            target[name] = replacement
    return facts


@PROPERTY_SETTINGS
@given(facts=mutated_facts())
def test_mutated_files_load_or_report_clean_errors(tmp_path_factory, run, facts):
    directory = tmp_path_factory.mktemp("facts")
    base_files(directory)
    text = facts_document(copy.deepcopy(facts))
    first = load_text(directory, text)
    second = load_text(directory, text)
    assert [str(p) for p in first.problems] == [str(p) for p in second.problems]
    for problem in first.problems:
        assert problem.path.endswith(".toml")
        assert problem.message
    loaded = {fact.id for fact in first.base.facts}
    if any(not isinstance(fact.get("id"), str) or fact["id"] not in loaded for fact in facts):
        assert first.errors, "a fact was rejected without a problem saying why"
    for problem in first.errors:
        assert problem.line is not None, f"not located: {problem}"
    result = run("validate", str(directory))  # in-process, exceptions not caught: a traceback fails the test
    assert result.exit_code == (1 if first.errors else 0), result.output
    shown = result.stdout.splitlines()
    for problem in first.problems:
        assert visible_line(str(problem)) in shown
