"""Every example in the READMEs and in --help runs verbatim, in order, in a fresh copy of the repository."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from importlib import import_module
from pathlib import Path

import pytest

from shenka_cli.cli.app import COMMANDS

from .conftest import REPO

READMES = [REPO / "README.md", REPO / "facts" / "README.md"]
# Examples whose documented exit status is not 0.
EXPECTED_STATUS = {
    "printf '喀什新建了5个公园和12个广场，2025年7月开放。\\n' | shenka coverage -": 1,
    "shenka validate my-facts": 1,  # the new fact's placeholders are still to be filled in
    "shenka --facts bundled --facts my-facts validate": 1,  # and the new place's
    "shenka search hosptal": 1,  # no match: the hint suggests hospital
}
_SPAN = re.compile(r"`([^`\n]*\bshenka [^`\n]*)`")
_BOLD = re.compile(r"\[bold\](.*?)\[/bold\]")
_PLACEHOLDER = re.compile(r"[A-Z][A-Z_]*(?:\.[a-z]+)?|.*[…\[\]|].*")
_SHELL_SPLIT = re.compile(r"\s(\||&&)\s")


def _is_runnable(command: str) -> bool:
    """A shenka command line without placeholders (SECTOR, QUERY…, [PATH…], zh|en|both)."""
    try:
        tokens = shlex.split(command)
    except ValueError:
        return False
    return bool(tokens) and tokens[0] == "shenka" and not any(_PLACEHOLDER.fullmatch(token) for token in tokens[1:])


def _example(line: str) -> str | None:
    """The line to run for an example, or None: the shenka parts only when the other programs are missing."""
    line = re.sub(r"\s+#\s.*$", "", line).strip()
    parts = _SHELL_SPLIT.split(line)
    commands = parts[::2]
    shenka = [command for command in commands if command.startswith("shenka ") or command == "shenka"]
    if not shenka or not all(_is_runnable(command) for command in shenka):
        return None
    if line.startswith("printf ") and len(commands) == 2:
        return line
    missing = [c for c in commands if c not in shenka and shutil.which(shlex.split(c)[0]) is None]
    if missing:
        return " && ".join(shenka)
    return line


def readme_examples(path: Path) -> list[str]:
    """The shell lines of ```sh blocks and the inline `shenka …` spans with arguments, in the order they appear."""
    examples: list[str] = []
    in_block = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            in_block = line.strip() == "```sh"
            continue
        # In prose, `shenka search` alone names a command; an inline example has arguments.
        candidates = [line] if in_block else [span for span in _SPAN.findall(line) if len(span.split()) > 2]
        for candidate in candidates:
            if "pip install" in candidate:
                continue  # the installation line: the tests run inside an installed environment
            example = _example(candidate)
            if example and example not in examples:
                examples.append(example)
    return examples


def help_examples() -> list[str]:
    """The [bold]shenka …[/bold] examples of every command's help, in help order."""
    examples: list[str] = []
    for target in COMMANDS.values():
        module, function = target.split(":")
        doc = getattr(import_module(f"shenka_cli.cli.{module}"), function).__doc__ or ""
        for candidate in _BOLD.findall(doc):
            example = _example(candidate)
            if example and example not in examples:
                examples.append(example)
    return examples


def fresh_clone(tmp_path: Path) -> Path:
    """The files git would give a fresh clone (tracked, and new ones not ignored), copied."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.decode()
    clone = tmp_path / "shenka"
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if source.is_file():
            target = clone / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return clone


def run_all(examples: list[str], tmp_path: Path) -> None:
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("needs a git checkout")
    clone = fresh_clone(tmp_path)
    env = {key: value for key, value in os.environ.items() if not key.startswith("SHENKA_")}
    env |= {
        "PATH": str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", ""),
        "HOME": str(tmp_path / "home"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }
    assert shutil.which("shenka", path=env["PATH"]), "shenka is not installed beside the test interpreter"
    for example in examples:
        done = subprocess.run(["bash", "-c", example], cwd=clone, env=env, capture_output=True, timeout=120)
        expected = EXPECTED_STATUS.get(example, 0)
        stderr = done.stderr.decode("utf-8", "replace")
        assert done.returncode == expected, f"{example}\nexit {done.returncode}\n{stderr}"
        assert "Traceback" not in stderr
        if example.startswith("shenka validate "):  # only the placeholders of `new`: sectors and sources are known
            problems = [line for line in done.stdout.decode().splitlines() if ": error: " in line]
            assert all("placeholder" in line for line in problems), problems
            fill_in_placeholders(clone / "my-facts")


def fill_in_placeholders(directory: Path) -> None:
    """What the curator does next, as the README says: write real text where `new` left 待填写/TODO."""
    for path in directory.glob("*.toml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("待填写：", "示例").replace("TODO: ", "Example "), encoding="utf-8")


def test_readme_examples_are_found():
    examples = [example for path in READMES for example in readme_examples(path)]
    assert "shenka new --sector livelihood --from-figure 990余名 -o my-facts/livelihood.toml" in examples
    assert "shenka --facts bundled --facts my-facts timeline" in examples
    assert "shenka search 白内障" in examples  # the comment after it is not run
    assert not any("QUERY" in example or "SECTOR" in example for example in examples)


def test_every_readme_example_runs_in_a_fresh_clone(tmp_path):
    run_all([example for path in READMES for example in readme_examples(path)], tmp_path)


def test_every_help_example_runs_in_a_fresh_clone(tmp_path):
    examples = help_examples()
    assert "shenka validate my-facts" in examples
    run_all(examples, tmp_path)
