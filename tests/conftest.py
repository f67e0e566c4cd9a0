from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

DATA = Path(__file__).parent / "data"
VALID = DATA / "valid"
INVALID = DATA / "invalid"
REPO = Path(__file__).parent.parent
BUNDLED = REPO / "facts"
# The 2025 article's facts as they stood before the gazetteer: a fixed base for tests of layout and drawing.
ARTICLE_BASE = DATA / "article-2025"
ARTICLE = REPO.parent / "shared" / "source" / "article-zh.txt"


def as_seen(written: str) -> str:
    """What a terminal shows of text written to it in which a line was drawn and erased (a status line on standard
    error, drawn while a build lasts: carriage return and erase-line, cli/progress.py), with its line ends as
    newlines."""
    written = written.replace("\r\n", "\n")
    return re.sub(r"[^\n]*\r\x1b\[K", "", written)


@pytest.fixture(autouse=True)
def isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Deterministic output and a private cache: fixed width, no colour, no inherited settings."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("NO_COLOR", "1")
    for name in ("SHENKA_FACTS", "SHENKA_LANG", "SHENKA_SCRIPT", "FORCE_COLOR", "TERM"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def run() -> Callable[..., object]:
    """Run the CLI in-process; returns the Click result (stdout, stderr, exit_code)."""
    from shenka_cli.cli.app import app

    runner = CliRunner()

    def invoke(*args: str, env: dict[str, str] | None = None, input: str | None = None):
        return runner.invoke(app, list(args), env=env, input=input, catch_exceptions=False)

    return invoke
