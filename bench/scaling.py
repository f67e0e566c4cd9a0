"""How each command's time grows with the fact base: every command, warm, on two synthetic bases of which the second
is FACTOR times the first (one file per source article: 10 facts a file). Run it with the interpreter shenka is
installed in:

    python bench/scaling.py [--sizes 1000,10000] [--runs 3] [--out OUT.json]

A command's own time is its median wall time less that of the minimal Typer app measured in the same run (the
interpreter's start and imports, which do not grow). Its growth is the ratio of its own times at the two sizes;
work that grows with the base gives about FACTOR, and growth above 2 × FACTOR is flagged: quadratic work (a string
grown row by row, a list searched for each fact) shows up here long before anyone waits for it. Peak memory is the
process's own (ru_maxrss). No target is a pass or fail of the suite; the figures go to OUT.json (default
bench/results/scaling-latest.json).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
SHENKA = [sys.executable, "-m", "shenka_cli"]
FLOOR_APP = [sys.executable, str(BENCH / "minimal_app.py"), "hello"]
PER_FILE = 10
SUPERLINEAR = 2.0  # growth above this many times the growth of the base is flagged
COMMANDS: tuple[tuple[str, ...], ...] = (
    ("timeline",),
    ("timeline", "--format", "json"),
    ("timeline", "--format", "markdown"),
    ("search", "白内障"),
    ("search", "喀什", "--limit", "0", "--format", "csv"),
    ("search", "kashi", "--limit", "0", "--format", "json"),
    ("sectors",),
    ("sectors", "livelihood"),
    ("stats",),
    ("stats", "--format", "markdown"),
    ("places",),
    ("organisations",),
    ("people",),
    ("tags",),
    ("series",),
    ("sources",),
    ("report",),
    ("report", "--format", "html"),
    ("timeline", "--format", "timelinejs"),
    ("validate",),
)


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall seconds and peak KB of one run (its output to a pipe that is read and dropped)."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    assert process.stdout is not None
    while process.stdout.read(1 << 16):
        pass
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed ({status})")
    return wall, usage.ru_maxrss


def median_run(argv: list[str], env: dict[str, str], runs: int) -> tuple[float, int]:
    samples = [timed(argv, env) for _ in range(runs)]
    return statistics.median(wall for wall, _ in samples), max(peak for _, peak in samples)


def measure(sizes: list[int], runs: int, work: Path) -> dict:
    sys.path.insert(0, str(BENCH))
    import generate  # bench/generate.py

    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120", "XDG_CACHE_HOME": str(work / "cache")}
    for name in ("SHENKA_FACTS", "SHENKA_LANG", "SHENKA_CACHE"):
        env.pop(name, None)
    results: dict = {"sizes": sizes, "runs": runs, "per_file": PER_FILE, "commands": []}
    bases = []
    for size in sizes:
        base = work / f"facts-{size}"
        generate.generate(size, base, per_file=PER_FILE)
        timed([*SHENKA, "--facts", str(base), "timeline"], env)  # builds the cache
        bases.append(base)
    floors = [median_run(FLOOR_APP, env, runs)[0] for _ in sizes]
    floor = min(floors)
    results["floor_s"] = round(floor, 4)
    for command in COMMANDS:
        row: dict = {"command": " ".join(command), "wall_s": [], "own_s": [], "peak_mb": []}
        for base in bases:
            wall, peak = median_run([*SHENKA, "--facts", str(base), *command], env, runs)
            row["wall_s"].append(round(wall, 4))
            row["own_s"].append(round(max(wall - floor, 0.001), 4))
            row["peak_mb"].append(peak // 1024)
        base_growth = sizes[-1] / sizes[0]
        growth = row["own_s"][-1] / row["own_s"][0]
        row["growth"] = round(growth, 2)
        row["superlinear"] = growth > SUPERLINEAR * base_growth
        results["commands"].append(row)
        print(
            f"{row['command']:<44} {row['wall_s'][0]:>8.3f} s {row['wall_s'][-1]:>8.3f} s  ×{growth:<6.1f}"
            f"{row['peak_mb'][-1]:>6} MB{'  superlinear' if row['superlinear'] else ''}",
            flush=True,
        )
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="two sizes, smaller first (default: 1000,10000)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=BENCH / "results" / "scaling-latest.json")
    arguments = parser.parse_args(argv)
    sizes = [int(size) for size in arguments.sizes.split(",")]
    if len(sizes) != 2 or not 0 < sizes[0] < sizes[1]:
        parser.error("--sizes takes two sizes, the smaller first")
    print(f"{'command':<44} {sizes[0]:>10,} {sizes[1]:>10,}  growth (base ×{sizes[1] / sizes[0]:g}), peak")
    with tempfile.TemporaryDirectory(prefix="shenka-scaling-") as work:
        results = measure(sizes, arguments.runs, Path(work))
    arguments.out.parent.mkdir(parents=True, exist_ok=True)
    arguments.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    flagged = [row["command"] for row in results["commands"] if row["superlinear"]]
    print(f"superlinear: {', '.join(flagged) if flagged else 'none'}; figures in {arguments.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
