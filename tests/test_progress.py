"""The status line of a long cache build: counted by the store, drawn on a terminal only, erased before output."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest

from shenka_cli.cli.progress import ERASE_LINE, BuildProgress

from .conftest import VALID


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def many_files(tmp_path: Path) -> Path:
    """The test facts and twelve more files of facts."""
    target = tmp_path / "facts"
    shutil.copytree(VALID, target)
    original = (VALID / "facts.toml").read_text(encoding="utf-8")
    for number in range(12):
        text = re.sub(r'^id = "', f'id = "copy{number}-', original, flags=re.MULTILINE)
        (target / f"copy-{number:02}.toml").write_text(text, encoding="utf-8")
    return target


def test_a_build_reports_every_file_it_writes_and_a_fresh_cache_reports_nothing(many_files, monkeypatch):
    from shenka_cli.cli.context import open_facts
    from shenka_cli.core.store import pipeline

    monkeypatch.setattr(pipeline, "BATCH_BYTES", 1)  # a batch of one file: a report after each
    heard: list[tuple[int, int]] = []
    open_facts([many_files], lambda done, total: heard.append((done, total)))
    totals = {total for _, total in heard}
    assert len(totals) == 1
    (total,) = totals
    listed = sorted(path.name for path in many_files.glob("*.toml"))
    assert total >= len(listed)  # the bundled tables the base lacks are read too
    assert [done for done, _ in heard] == list(range(1, total + 1))
    heard.clear()
    open_facts([many_files], lambda done, total: heard.append((done, total)))
    assert heard == []


def test_the_line_appears_after_the_delay_is_throttled_and_is_erased():
    terminal, clock = Terminal(), Clock()
    progress = BuildProgress("en", terminal, delay=1.0, interval=0.1, clock=clock)
    clock.now += 0.5
    progress(100, 10_000)
    assert terminal.getvalue() == ""  # a short build says nothing
    progress.close()
    assert terminal.getvalue() == ""
    clock.now += 0.6
    progress(4_200, 10_000)
    assert terminal.getvalue() == f"{ERASE_LINE}shenka: building the fact cache: 4,200 of 10,000 files read"
    clock.now += 0.05
    progress(4_400, 10_000)  # within the interval: not drawn again
    assert terminal.getvalue().count("shenka:") == 1
    progress(10_000, 10_000)  # the last count is always drawn
    assert terminal.getvalue().endswith("10,000 of 10,000 files read")
    progress.close()
    assert terminal.getvalue().endswith(ERASE_LINE)
    assert "\n" not in terminal.getvalue()


def test_the_line_speaks_the_chosen_language():
    terminal, clock = Terminal(), Clock()
    progress = BuildProgress("zh", terminal, delay=0, clock=clock)
    progress(3, 7)
    assert terminal.getvalue() == f"{ERASE_LINE}shenka: 正在建立事实缓存：已读 3 / 7 个文件"


def test_nothing_is_drawn_on_a_pipe_or_a_file():
    stream, clock = io.StringIO(), Clock()
    progress = BuildProgress("en", stream, delay=0, clock=clock)
    progress(1, 2)
    progress(2, 2)
    progress.close()
    assert stream.getvalue() == ""


def test_a_terminal_that_fails_stops_the_line_and_not_the_run():
    class Broken(Terminal):
        def write(self, text: str) -> int:
            raise OSError("gone")

    progress = BuildProgress("en", Broken(), delay=0, clock=Clock())
    progress(1, 2)
    progress(2, 2)
    progress.close()


def test_a_command_on_a_pipe_writes_no_status_line(run, many_files):
    result = run("--facts", str(many_files), "timeline", "--format", "json")
    assert result.exit_code == 0
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        (80, "shenka: building the fact cache: 4,200 of 10,000 files read"),
        (40, "shenka: 4,200/10,000"),
        (12, "shenka: 4,2"),
    ],
)
def test_the_line_never_wraps(monkeypatch, columns, expected):
    """A line wider than the terminal would wrap, and erasing it would leave its first part on the screen."""
    monkeypatch.setenv("COLUMNS", str(columns))
    terminal = Terminal()
    progress = BuildProgress("en", terminal, delay=0, clock=Clock())
    progress(4_200, 10_000)
    assert terminal.getvalue() == ERASE_LINE + expected


def test_a_chinese_line_is_measured_in_columns(monkeypatch):
    monkeypatch.setenv("COLUMNS", "40")  # the Chinese line is 43 columns wide in 29 characters
    terminal = Terminal()
    BuildProgress("zh", terminal, delay=0, clock=Clock())(3, 7)
    assert terminal.getvalue() == f"{ERASE_LINE}shenka: 3/7"


@pytest.mark.parametrize("spread", [False, True], ids=["here", "two workers"])
def test_validate_reports_every_file_it_parses(many_files, monkeypatch, spread):
    from shenka_cli.core import loader

    if spread:
        monkeypatch.setattr(loader, "PARALLEL_BYTES", 0)
        monkeypatch.setattr(loader, "PARSED_TOGETHER", 1)
        monkeypatch.setattr("shenka_cli.core.parallel.workers", lambda: 2)
    heard: list[tuple[int, int]] = []
    result = loader.load([many_files], lambda done, total: heard.append((done, total)))
    assert heard == [(done, result.files) for done in range(1, result.files + 1)]


def test_validate_on_a_terminal_speaks_its_own_line(many_files, monkeypatch):
    from shenka_cli.cli import progress as module

    drawn: list[str] = []

    class Recording(module.BuildProgress):
        def __init__(self, lang, **options):
            super().__init__(lang, Terminal(), delay=0, clock=Clock(), **options)
            drawn.append("")
            self._stream.write = lambda text: drawn.append(text) or len(text)

    monkeypatch.setattr(module, "BuildProgress", Recording)
    from typer.testing import CliRunner

    from shenka_cli.cli.app import app

    result = CliRunner().invoke(app, ["--lang", "en", "validate", str(many_files)])
    assert result.exit_code == 0
    lines = [text for text in drawn if text.startswith(ERASE_LINE + "shenka:")]
    assert lines and all("checking the fact files:" in line and "files read" in line for line in lines)
    assert drawn[-1] == ERASE_LINE  # erased before the report is written


def test_a_terminal_too_narrow_for_a_character_gets_no_line(monkeypatch):
    monkeypatch.setenv("COLUMNS", "1")
    terminal = Terminal()
    progress = BuildProgress("en", terminal, delay=0, clock=Clock())
    progress(1, 2)
    progress.close()
    assert terminal.getvalue() == ""
