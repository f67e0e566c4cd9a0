"""A spot check of the large-base targets (issue 13) on one fact base whose cache is already built, without the
whole benchmark: each command alternated with the minimal Typer app, medians of RUNS, wall and CPU time, and
items per second for the broad results. Run it with the interpreter shenka is installed in:

    python bench/spot.py RUNS OUT.json FACTS_DIR CACHE_DIR

The commands run with XDG_CACHE_HOME=CACHE_DIR (build it first with any command), NO_COLOR=1 and COLUMNS=120,
output to a pipe. Rates are items over the whole run's wall time, start-up included (as bench/streams.py counts).
"""

from __future__ import annotations

import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path

SELECTIVE = (
    ("selective search 白内障 --format json", "search 白内障 --format json", None),
    ("search 白内障 (table)", "search 白内障", None),
    ("search baineizhang (table)", "search baineizhang", None),
    ("timeline --from 2024-08 --to 2024-08", "timeline --from 2024-08 --to 2024-08", None),
    ("search kashi", "search kashi", None),
    ("search hospitals", "search hospitals", None),
)
BROAD = (
    ("search 喀什 --limit 0 --format json", "search 喀什 --limit 0 --format json", "json"),
    ("search 喀什 --limit 0 --format csv", "search 喀什 --limit 0 --format csv", "csv"),
    ("search 喀什 --limit 0 (piped table)", "search 喀什 --limit 0", "table"),
    # The same hits found through pinyin: each hit's match is found in Python (core/search ranked_shown).
    ("search kashi --limit 0 --format json", "search kashi --limit 0 --format json", "json"),
    ("search kashi --limit 0 --format csv", "search kashi --limit 0 --format csv", "csv"),
    ("search kashi --limit 0 (piped table)", "search kashi --limit 0", "table"),
    ("stats --sector livelihood --format json", "stats --sector livelihood --format json", "json"),
    ("timeline --format json", "timeline --format json", "json"),
    ("timeline --format csv", "timeline --format csv", "csv"),
    ("timeline (piped table)", "timeline", "table"),
)
HEADERS = {"json": 2, "csv": 1, "table": 4}  # lines that are not items: '[' and ']', the header, title and rules


def run(command: str, env: dict[str, str]) -> tuple[float, float, bytes]:
    """(wall seconds, CPU seconds of the process and its children, standard output) of a shell command."""
    start = time.perf_counter()
    process = subprocess.Popen(["sh", "-c", command], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    assert process.stdout is not None
    data = process.stdout.read()
    _, _, usage = os.wait4(process.pid, 0)
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime, data


def compare(label: str, command: str, floor: str, runs: int, env: dict[str, str], kind: str | None) -> dict:
    run(floor, env)
    run(command, env)
    floor_wall, floor_cpu, wall, cpu = [], [], [], []
    last = b""
    for _ in range(runs):
        seconds, used, _ = run(floor, env)
        floor_wall.append(seconds)
        floor_cpu.append(used)
        seconds, used, last = run(command, env)
        wall.append(seconds)
        cpu.append(used)
    result = {
        "check": label,
        "command": command,
        "floor": floor,
        "runs": runs,
        "median_ms": round(statistics.median(wall) * 1000, 1),
        "floor_median_ms": round(statistics.median(floor_wall) * 1000, 1),
        "cpu_ms": round(statistics.median(cpu) * 1000, 1),
        "floor_cpu_ms": round(statistics.median(floor_cpu) * 1000, 1),
        "samples_ms": [round(value * 1000, 1) for value in wall],
        "floor_samples_ms": [round(value * 1000, 1) for value in floor_wall],
    }
    result["time_ratio"] = round(result["median_ms"] / result["floor_median_ms"], 3)
    result["cpu_ratio"] = round(result["cpu_ms"] / result["floor_cpu_ms"], 3)
    if kind is not None:
        result["items"] = max(last.count(b"\n") - HEADERS[kind], 0)
        result["items_per_s"] = round(result["items"] / (result["median_ms"] / 1000))
    print(json.dumps(result, ensure_ascii=False), file=sys.stderr, flush=True)
    return result


def main(argv: list[str]) -> None:
    runs, out, facts, cache = int(argv[0]), argv[1], argv[2], argv[3]
    env = {key: value for key, value in os.environ.items() if key not in ("SHENKA_FACTS", "SHENKA_LANG", "FORCE_COLOR")}
    env.update(NO_COLOR="1", COLUMNS="120", XDG_CACHE_HOME=cache)
    shenka = f"{shlex.quote(sys.executable)} -m shenka_cli --facts {shlex.quote(facts)}"
    floor_app = Path(__file__).resolve().parent / "minimal_app.py"
    floor = f"{shlex.quote(sys.executable)} {shlex.quote(str(floor_app))} hello"
    results = {
        "date": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime()),
        "load_before": os.getloadavg(),
        "python": platform.python_version(),
        "facts": facts,
        "runs": runs,
        "measurements": [],
    }
    measured = results["measurements"]
    head = compare("timeline | head -1", f"{shenka} timeline | head -1", f"{floor} | head -1", runs, env, None)
    measured.append(head)
    for label, arguments, kind in (*SELECTIVE, *BROAD):
        measured.append(compare(label, f"{shenka} {arguments}", floor, runs, env, kind))
    results["load_after"] = os.getloadavg()
    with open(out, "w", encoding="utf-8") as handle:
        json.dump(results, handle, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main(sys.argv[1:])
