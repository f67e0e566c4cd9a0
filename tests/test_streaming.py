"""Streamed output: --limit on search in every format, large listings written as they are read, a closed pipe."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from shenka_cli.text.width import screen_width

from .conftest import BUNDLED, REPO
from .mdparse import markdown_blocks
from .test_bench import bench_module


def matching(run, *terms: str, facts: Path = BUNDLED) -> list[str]:
    """The ids of every fact matching, best first."""
    result = run("--facts", str(facts), "search", *terms, "--limit", "0", "--format", "json")
    return [record["id"] for record in json.loads(result.stdout)]


def shown_ids(format: str, text: str) -> list[str]:
    if format == "json":
        return [record["id"] for record in json.loads(text)]
    if format == "jsonl":
        return [json.loads(line)["id"] for line in text.splitlines()]
    if format == "csv":
        return [row["id"] for row in csv.DictReader(io.StringIO(text))]
    if format == "markdown":
        table = next(content for kind, content in markdown_blocks(text) if kind == "table")
        return [row[-1] for row in table[1:]]
    return [line.split()[-1] for line in text.splitlines()[3:] if line.strip()]


@pytest.mark.parametrize("format", ["json", "jsonl", "csv", "markdown", "table"])
def test_every_format_obeys_the_limit_and_the_note_counts_the_rest(run, format):
    everything = matching(run, "喀什")
    assert len(everything) > 5
    result = run("--lang", "en", "search", "喀什", "--limit", "3", "--format", format)
    assert result.exit_code == 0
    assert shown_ids(format, result.stdout) == everything[:3]
    assert (
        result.stderr == f"shenka: {len(everything) - 3} more facts match (showing the best 3; --limit 0 shows all)\n"
    )


def test_the_default_limit_is_50_and_limit_0_shows_all(run, tmp_path):
    facts = tmp_path / "facts"
    bench_module("generate").generate(300, facts, seed=5, per_file=100)
    everything = matching(run, "喀什", facts=facts)
    assert len(everything) > 60
    default = run("--facts", str(facts), "--lang", "en", "search", "喀什", "--format", "json")
    assert [record["id"] for record in json.loads(default.stdout)] == everything[:50]
    assert f"{len(everything) - 50} more facts match" in default.stderr
    every = run("--facts", str(facts), "search", "喀什", "--limit", "0", "--format", "csv")
    assert len(list(csv.DictReader(io.StringIO(every.stdout)))) == len(everything)
    assert every.stderr == ""


def test_a_long_piped_table_is_aligned_block_by_block_and_keeps_every_row(run, tmp_path):
    from shenka_cli.render import plain

    facts = tmp_path / "facts"
    bench_module("generate").generate(plain.BLOCK + 500, facts, seed=2, per_file=500)
    result = run("--facts", str(facts), "--lang", "en", "timeline", "--undated")
    lines = result.stdout.splitlines()
    ids = [
        record["id"] for record in json.loads(run("--facts", str(facts), "timeline", "--undated", "-f", "json").stdout)
    ]
    rows = [line for line in lines[3:] if line and not line.startswith("[")][: len(ids)]
    assert [row.split()[-1] for row in rows] == ids
    header = lines[1]
    first_block = rows[: plain.BLOCK]
    id_column = header.index("ID")
    assert all(screen_width(row[: row.rindex(" ") + 1]) == id_column for row in first_block)
    assert all(screen_width(row[: row.rindex(" ") + 1]) >= id_column for row in rows)


def test_a_closed_pipe_ends_the_run_quietly(tmp_path):
    facts = tmp_path / "facts"
    bench_module("generate").generate(1500, facts, seed=4, per_file=500)
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "NO_COLOR": "1"}
    for arguments in (
        ["timeline"],
        ["timeline", "--format", "json"],
        ["stats", "--format", "csv"],
        ["timeline", "--format", "markdown"],
    ):
        command = [sys.executable, "-m", "shenka_cli", "--facts", str(facts), *arguments]
        shenka = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=REPO)
        assert shenka.stdout is not None and shenka.stderr is not None
        first = shenka.stdout.readline()
        shenka.stdout.close()  # as `| head -1` does
        errors = shenka.stderr.read()
        assert shenka.wait(timeout=120) == 141
        assert first.strip()
        assert errors == b""


def test_a_closed_pipe_ends_at_once_and_keeps_the_warnings_already_given(tmp_path):
    """The run ends without Python's clean-up when its reader goes away (cli/__init__.py); what it said on standard
    error before (here: the cache cannot be used, as its directory is a file) is not lost."""
    facts = tmp_path / "facts"
    bench_module("generate").generate(1500, facts, seed=4, per_file=500)
    not_a_directory = tmp_path / "cache"
    not_a_directory.write_text("a file where the cache directory would be", encoding="utf-8")
    env = {**os.environ, "XDG_CACHE_HOME": str(not_a_directory), "NO_COLOR": "1"}
    command = [sys.executable, "-m", "shenka_cli", "--facts", str(facts), "timeline", "--format", "csv"]
    shenka = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=REPO)
    assert shenka.stdout is not None and shenka.stderr is not None
    assert shenka.stdout.readline().startswith(b"date,")
    shenka.stdout.close()
    errors = shenka.stderr.read().decode("utf-8")
    assert shenka.wait(timeout=120) == 141
    assert errors.startswith("shenka: warning: fact cache unusable") and errors.count("\n") == 1


@pytest.mark.parametrize("unbuffered", ["", "1"], ids=["buffered", "PYTHONUNBUFFERED"])
def test_a_document_written_whole_is_written_whole_or_ends_quietly(tmp_path, unbuffered):
    """Under PYTHONUNBUFFERED a write the system takes in part must not lose the rest silently (exit 0 with
    half a page): all of it reaches a reader that reads it all, and a reader that goes away gets status 141."""
    facts = tmp_path / "facts"
    bench_module("generate").generate(1500, facts, seed=4, per_file=500)
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "NO_COLOR": "1", "PYTHONUNBUFFERED": unbuffered}
    command = [sys.executable, "-m", "shenka_cli", "--facts", str(facts), "timeline", "--format", "html"]
    whole = subprocess.run(command, capture_output=True, env=env, cwd=REPO, timeout=300)
    assert whole.returncode == 0 and whole.stdout.rstrip().endswith(b"</html>") and len(whole.stdout) > 200_000
    shenka = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=REPO)
    assert shenka.stdout is not None and shenka.stderr is not None
    assert shenka.stdout.readline().startswith(b"<!DOCTYPE html>")
    shenka.stdout.close()
    assert shenka.stderr.read() == b""
    assert shenka.wait(timeout=120) == 141


def _pipe_size(descriptor: int) -> int:
    import fcntl

    return fcntl.fcntl(descriptor, fcntl.F_GETPIPE_SZ)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="pipe buffer sizes are set on Linux only")
def test_a_long_output_to_a_pipe_asks_for_a_larger_pipe_buffer_and_a_short_one_does_not(tmp_path):
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "NO_COLOR": "1"}
    shenka = [sys.executable, "-m", "shenka_cli", "--facts", str(BUNDLED)]
    sizes = {}
    for name, arguments in (("long", ["timeline", "--format", "json"]), ("short", ["sectors", "--format", "json"])):
        process = subprocess.Popen([*shenka, *arguments], stdout=subprocess.PIPE, env=env, cwd=REPO)
        assert process.stdout is not None
        before = _pipe_size(process.stdout.fileno())
        data = process.stdout.read()
        assert process.wait(timeout=120) == 0
        sizes[name] = (before, _pipe_size(process.stdout.fileno()), len(data))
        assert isinstance(json.loads(data), list)  # whole
    (long_before, long_after, long_size), (short_before, short_after, short_size) = sizes["long"], sizes["short"]
    assert long_size > 65536 > short_size
    assert long_after == 1 << 20 and long_before < long_after
    assert short_after == short_before


def test_output_to_a_file_is_streamed_into_it(run, tmp_path):
    target = tmp_path / "out.csv"
    result = run("--facts", str(BUNDLED), "timeline", "--format", "csv", "-o", str(target))
    assert result.exit_code == 0
    data = target.read_bytes()
    assert data.startswith("\ufeff".encode())
    assert data.decode("utf-8-sig") == run("--facts", str(BUNDLED), "timeline", "--format", "csv").stdout


def test_no_file_of_the_package_imports_pickle():
    package = Path(REPO / "shenka_cli")
    assert not [p for p in package.rglob("*.py") if "import pickle" in p.read_text(encoding="utf-8")]
