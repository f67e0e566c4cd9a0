"""How the program ends (cli/__init__.py): once everything is written, at once, with the status the command chose;
a reader that went away is status 141; a failure to write what is left is Python's to report, as before."""

from __future__ import annotations

import errno
import io
import os
import subprocess
import sys

import pytest

from shenka_cli import cli

from .conftest import REPO


class Exited(Exception):
    def __init__(self, code: int) -> None:
        self.code = code


class Output(io.StringIO):
    def __init__(self, failure: OSError | None = None) -> None:
        super().__init__()
        self.failure = failure

    def flush(self) -> None:
        if self.failure is not None:
            raise self.failure


@pytest.fixture
def exits(monkeypatch: pytest.MonkeyPatch):
    def exit_now(code: int) -> None:
        raise Exited(code)

    monkeypatch.setattr(os, "_exit", exit_now)


@pytest.mark.parametrize(("code", "status"), [(None, 0), (0, 0), (1, 1), (2, 2), (130, 130), (141, 141)])
def test_the_commands_status_is_the_programs(exits, monkeypatch: pytest.MonkeyPatch, code, status: int) -> None:
    monkeypatch.setattr(sys, "stdout", Output())
    with pytest.raises(Exited) as ended:
        cli._leave(code)
    assert ended.value.code == status


def test_a_message_given_to_exit_is_printed_with_status_1(exits, monkeypatch, capsys) -> None:
    with pytest.raises(Exited) as ended:
        cli._leave("shenka: gone")
    assert ended.value.code == 1
    assert capsys.readouterr().err == "shenka: gone\n"


def test_output_left_for_a_reader_that_went_away_is_status_141(exits, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdout", Output(BrokenPipeError(errno.EPIPE, "Broken pipe")))
    with pytest.raises(Exited) as ended:
        cli._leave(0)
    assert ended.value.code == 141


def test_output_that_cannot_be_written_is_left_to_python_to_report(exits, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdout", Output(OSError(errno.ENOSPC, "No space left on device")))
    with pytest.raises(SystemExit) as ended:
        cli._leave(0)
    assert ended.value.code == 0  # Python then fails to flush standard output at exit, reports it and exits 120


@pytest.mark.parametrize("format", ["csv", "json", "html", "timelinejs"])
def test_a_full_disk_is_one_error_message_with_status_2(tmp_path, format: str) -> None:
    """Standard output on a device that takes nothing (streamed or written whole): no traceback, no success."""
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full on this system to write to")
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "shenka_cli", "--lang", "en", "timeline", "--format", format],
            stdout=full,
            stderr=subprocess.PIPE,
            env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "SHENKA_CACHE": "0"},
            cwd=REPO,
            timeout=120,
        )
    lines = result.stderr.decode("utf-8").splitlines()
    assert result.returncode == 2
    assert lines == [
        "shenka: error: cannot write to standard output: No space left on device",
        "hint: check where the output goes (a full disk?), or write it with --output FILE",
    ]


def test_a_profiled_run_ends_as_python_ends_it_so_the_profile_is_written(tmp_path) -> None:
    profile = tmp_path / "run.prof"
    result = subprocess.run(
        [sys.executable, "-m", "cProfile", "-o", str(profile), "-m", "shenka_cli", "sectors", "--format", "json"],
        capture_output=True,
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")},
        cwd=REPO,
        timeout=120,
    )
    assert result.returncode == 0 and result.stdout.startswith(b"[")
    assert profile.stat().st_size > 0


def test_a_run_looks_for_reference_cycles_less_often_than_python_does() -> None:
    script = (
        "import gc, shenka_cli.cli as cli, shenka_cli.cli.app as app; "
        "print(gc.get_threshold()); app.app = lambda **_: print(gc.get_threshold()); cli.main()"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert result.returncode == 0, result.stderr
    before, during = result.stdout.split("\n")[:2]
    assert during == str(cli.COLLECT_AFTER) != before
    assert cli.COLLECT_AFTER[0] > int(before.strip("()").split(",")[0])


# Commands whose output is written whole (or printed by Rich, or by Typer: help), not streamed.
WHOLE = [
    ["report"],
    ["report", "--format", "html"],
    ["validate"],
    ["series", "--chart"],
    ["new", "--sector", "livelihood"],
    ["--version"],
    ["--help"],
    ["timeline", "--help"],
]


def _run_into(stdout: int, tmp_path, arguments: list[str]) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "shenka_cli", "--lang", "both", *arguments],
        stdout=stdout,
        stderr=subprocess.PIPE,
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "NO_COLOR": "1", "COLUMNS": "100"},
        cwd=REPO,
        timeout=120,
    )


@pytest.mark.parametrize("arguments", WHOLE, ids=" ".join)
def test_every_kind_of_output_on_a_full_disk_is_one_error_message(tmp_path, arguments: list[str]) -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full on this system to write to")
    with open("/dev/full", "w") as full:
        result = _run_into(full.fileno(), tmp_path, arguments)
    assert result.stderr.decode("utf-8").splitlines() == [
        "shenka: error: cannot write to standard output: No space left on device",
        "hint: check where the output goes (a full disk?), or write it with --output FILE",
    ]
    assert result.returncode == 2


@pytest.mark.parametrize("arguments", WHOLE, ids=" ".join)
def test_every_kind_of_output_to_a_reader_gone_away_ends_quietly_with_141(tmp_path, arguments: list[str]) -> None:
    """The pipe's reading end is closed before the run starts: its first write fails, whatever its size."""
    reading, writing = os.pipe()
    os.close(reading)
    try:
        result = _run_into(writing, tmp_path, arguments)
    finally:
        os.close(writing)
    assert (result.returncode, result.stderr) == (141, b"")
