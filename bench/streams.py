"""Benchmark checks added for large fact bases (issue 13): broad results streamed, `timeline | head -1`, and a
pinyin query against the same query in Chinese. Imported by bench/run.py, which owns the runner and floors."""

from __future__ import annotations

import os
import shlex
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

# (name, arguments, how the output counts its items, facts-or-rows per second at least)
BROAD = (
    ("search-all-json", ["search", "喀什", "--limit", "0", "--format", "json"], "json", 100_000),
    ("search-all-csv", ["search", "喀什", "--limit", "0", "--format", "csv"], "csv", 50_000),
    ("search-all-table", ["search", "喀什", "--limit", "0"], "table", 50_000),
    ("stats-sector-json", ["stats", "--sector", "livelihood", "--format", "json"], "json", 100_000),
    ("timeline-json", ["timeline", "--format", "json"], "json", 100_000),
    ("timeline-csv", ["timeline", "--format", "csv"], "csv", 50_000),
)
BROAD_MEM_TARGET = 2.0
HEAD_TARGET = 1.5
PINYIN_PAIR = ("白内障", "baineizhang")
PINYIN_TARGET = 1.5
RACY_QUERY = ["search", "白内障", "--format", "json"]
RACY_TARGET = 1.3
RACY_WAIT_S = 3.5  # shenka's racy window (core/store/snapshot.py RACY_NS) and a margin


def items(kind: str, stdout: bytes) -> int:
    """How many facts or rows a broad command printed."""
    lines = stdout.count(b"\n")
    if kind == "json":
        return max(lines - 2, 0)  # '[' and ']'
    if kind == "csv":
        return max(lines - 1, 0)  # the header
    return max(lines - 4, 0)  # title, header, rule, note


def piped(argv: list[str]) -> list[str]:
    """A command whose output goes through `head -1`, as a shell runs it."""
    return ["sh", "-c", f"{shlex.join(argv)} | head -1"]


def bench_streams(
    *,
    size: int,
    layout: str,
    facts_args: list[str],
    shenka: list[str],
    floor_app: list[str],
    compare: Callable[..., tuple[dict, Any]],
    env_for: Callable[[], Iterator[dict[str, str]]],
    runs: int,
    runner: Any,
    progress: Callable[[str], None],
) -> tuple[list[dict], list[dict]]:
    """The broad, head and pinyin measurements at one size; (measurements, pinyin comparisons)."""
    measurements = []
    progress(f"N = {size} ({layout}): broad results, timeline | head -1, pinyin")
    for name, args, kind, rate in BROAD:
        result, last = compare(
            check=f"broad/{size}{layout}/{name}",
            group="broad",
            size=size,
            label="shenka " + " ".join(args),
            argv=[*shenka, *facts_args, *args],
            floor="minimal Typer app",
            floor_argv=floor_app,
            env_for=env_for,
            runs=runs,
            runner=runner,
            time_target=None,
            mem_target=BROAD_MEM_TARGET,
        )
        count = items(kind, last.stdout) if last is not None else 0
        seconds = (result["median_ms"] or 0) / 1000
        result["items"] = count
        result["items_per_s"] = round(count / seconds) if seconds else None
        result["rate_target"] = rate
        result["time_pass"] = bool(result["ok"] and count and result["items_per_s"] >= rate)
        measurements.append(result)
    result, _ = compare(
        check=f"head/{size}{layout}/timeline",
        group="head",
        size=size,
        label="shenka timeline | head -1",
        argv=piped([*shenka, *facts_args, "timeline"]),
        floor="minimal Typer app | head -1",
        floor_argv=piped(floor_app),
        env_for=env_for,
        runs=runs,
        runner=runner,
        time_target=HEAD_TARGET,
        mem_target=None,
    )
    measurements.append(result)
    pair = []
    for query in PINYIN_PAIR:
        result, _ = compare(
            check=f"pinyin/{size}{layout}/{query}",
            group="pinyin",
            size=size,
            label=f"shenka search {query}",
            argv=[*shenka, *facts_args, "search", query],
            floor="minimal Typer app",
            floor_argv=floor_app,
            env_for=env_for,
            runs=runs,
            runner=runner,
            time_target=None,
            mem_target=None,
        )
        result["time_pass"] = result["ok"]
        measurements.append(result)
        pair.append(result)
    chinese, pinyin = pair
    ratio = round(pinyin["median_ms"] / chinese["median_ms"], 3) if chinese["median_ms"] else None
    comparison = {
        "check": f"pinyin-vs-chinese/{size}{layout}",
        "size": size,
        "chinese_ms": chinese["median_ms"],
        "pinyin_ms": pinyin["median_ms"],
        "ratio": ratio,
        "target": PINYIN_TARGET,
        "pass": ratio is not None and ratio <= PINYIN_TARGET,
    }
    progress(f"  pinyin / Chinese: ×{ratio}")
    return measurements, [comparison]


def layout_name(per_file: int, default: int) -> str:
    return "" if per_file == default else f"x{per_file}"


def corpus_dir(work: Path, n: int, per_file: int, default: int) -> Path:
    return work / (str(n) if per_file == default else f"{n}-per-file-{per_file}")


def bench_racy(
    *,
    size: int,
    layout: str,
    facts: Path,
    facts_args: list[str],
    shenka: list[str],
    floor_app: list[str],
    compare: Callable[..., tuple[dict, Any]],
    env: dict[str, str],
    runs: int,
    runner: Any,
    progress: Callable[[str], None],
) -> dict:
    """A selective query on a base whose files were all written just before its first run (a git clone, an
    unpacked archive): every file's mtime set to now and the cache built at once, so that every file is racy;
    then, once the racy window has passed, the query against the Typer app like any warm one. The first run
    after the window hashes the files once more and re-stamps the snapshot; the runs measured come after it."""
    progress(f"N = {size} ({layout}): files written just before the first run")
    now = time.time_ns()
    for path in facts.iterdir():
        if path.suffix == ".toml" and not path.name.startswith("."):
            os.utime(path, ns=(now, now))
    runner.run([*shenka, *facts_args, *RACY_QUERY], env)  # the first run: builds the cache
    time.sleep(RACY_WAIT_S)

    def env_for() -> Iterator[dict[str, str]]:
        yield env

    result, _ = compare(
        check=f"racy/{size}{layout}/search-json",
        group="racy",
        size=size,
        label="shenka " + " ".join(RACY_QUERY) + " (files written just before the first run)",
        argv=[*shenka, *facts_args, *RACY_QUERY],
        floor="minimal Typer app",
        floor_argv=floor_app,
        env_for=contextmanager(env_for),
        runs=runs,
        runner=runner,
        time_target=RACY_TARGET,
        mem_target=None,
    )
    return result
