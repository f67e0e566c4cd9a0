"""The first run and the rebuild after an edit, on a copy of one fact base: tomli's own parse of the files (the
floor, bench/tomli_floor.py), the first run with nothing cached, then RUNS rebuilds, each after one more fact file
(spread over the base) has had a summary edited. Run it with the interpreter shenka is installed in:

    python bench/rebuild.py RUNS OUT.json FACTS_DIR

Wall and CPU time (the process and its workers) and the peak memory of the run's own process (its workers each
peak below it). The command is `search 白内障 --format json`, output to a pipe; the copy and its cache are removed
at the end.
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COMMAND = ["search", "白内障", "--format", "json"]
SUMMARY = re.compile(r'^summary = "', re.MULTILINE)


def timed(argv: list[str], env: dict[str, str]) -> dict[str, float]:
    """Wall seconds, CPU seconds (with children) and peak MB of the process itself, of one run."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({status})")
    # wait4: the process's own peak (ru_maxrss, KB on Linux); its CPU time with that of the workers it waited for.
    cpu = usage.ru_utime + usage.ru_stime
    return {"wall_s": round(wall, 3), "cpu_s": round(cpu, 2), "peak_mb": usage.ru_maxrss // 1024}


def edit(path: Path, number: int) -> None:
    """Change the first summary of a file (so its facts are checked again), keeping it valid."""
    text = path.read_text(encoding="utf-8")
    path.write_text(SUMMARY.sub(f'summary = "改{number} ', text, count=1), encoding="utf-8")


def main(argv: list[str]) -> None:
    runs, out, facts = int(argv[0]), Path(argv[1]), Path(argv[2])
    shenka = str(Path(sys.executable).with_name("shenka"))
    bench = Path(__file__).resolve().parent
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(bench.parent / "shenka_cli")], check=True)
    work = Path(tempfile.mkdtemp(prefix="shenka-rebuild-"))
    try:
        base = work / "facts"
        shutil.copytree(facts, base)
        env = {**os.environ, "XDG_CACHE_HOME": str(work / "cache"), "NO_COLOR": "1"}
        time.sleep(3.5)  # the copies out of the racy window, as files written well before a first run are
        floor = timed([sys.executable, str(bench / "tomli_floor.py"), str(base)], env)
        first = timed([shenka, "--facts", str(base), *COMMAND], env)
        files = sorted(path for path in base.glob("*.toml") if SUMMARY.search(path.read_text(encoding="utf-8")))
        rebuilds = []
        for number in range(1, runs + 1):
            edit(files[number * len(files) // (runs + 1)], number)
            rebuilds.append(timed([shenka, "--facts", str(base), *COMMAND], env))
        result = {
            "facts_dir": str(facts),
            "files": len(list(base.glob("*.toml"))),
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "load": os.getloadavg()},
            "command": COMMAND,
            "tomli_floor": floor,
            "first_run": first,
            "first_run_ratio": round(first["wall_s"] / floor["wall_s"], 2),
            "rebuilds_after_one_edit": rebuilds,
            "rebuild_median_s": statistics.median(run["wall_s"] for run in rebuilds) if rebuilds else None,
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
