"""Benchmark shenka against its floors: whole-process wall time and peak memory, as medians and ratios.

    python bench/run.py [--sizes 1000,10000,100000] [--runs 7] [--quick] [--out DIR] [--work DIR]

Every shenka command is compared with a floor measured in the same run, alternating the two (floor, command,
floor, command, …) after one warm-up of each, so that drift in the machine's speed hits both alike:

- start-up on the bundled facts, cache warm: `timeline --format json` and `timeline` vs a minimal Typer app;
- per size N, on a synthetic fact base (bench/generate.py): `search 白内障` with nothing cached (a fresh
  XDG_CACHE_HOME per run) vs parsing the same files with tomli alone (bench/tomli_floor.py); four commands
  with the cache warm vs the minimal Typer app; whether each warm command prints what it prints cold; and
  whether `search` imports pypinyin.

Both shenka and the floors run as `sys.executable …` so they pay the same interpreter start. Results are
printed as a table and written as JSON to bench/results/latest.json and a timestamped copy.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import importlib.util
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
DEFAULT_SIZES = (1000, 10000, 100000)
DEFAULT_RUNS = 7
SEED = 1
PER_FILE = 1000
SLOW_RUN_S = 2.0  # a command whose warm-up takes longer than this is measured min(runs, 3) times
SLOW_RUNS = 3
BIG_N = 100_000  # cold runs at this size and above are measured min(runs, 3) times
OK_EXIT = (0, 1)  # 1 is "nothing matched", not a failure
CORPUS_META = ".bench-corpus.json"  # hidden: shenka and the tomli floor skip hidden files

SHENKA = [sys.executable, "-m", "shenka_cli"]
SHENKA_SHOWN = "python -m shenka_cli"
FLOOR_APP = [sys.executable, str(BENCH / "minimal_app.py"), "hello"]
FLOOR_APP_SHOWN = "python bench/minimal_app.py hello"
TOMLI_FLOOR = [sys.executable, str(BENCH / "tomli_floor.py")]
TOMLI_FLOOR_SHOWN = "python bench/tomli_floor.py DIR"

STARTUP = (
    ("timeline-json", ["timeline", "--format", "json"], 1.15),
    ("timeline-table", ["timeline"], 1.3),
)
COLD = ("search", ["search", "白内障"], 1.5)
WARM = (
    ("search-json", ["search", "白内障", "--format", "json"]),
    ("search-pinyin", ["search", "kashi"]),
    ("search-pinyin-phrase", ["search", "kā", "shí"]),
    ("search-traditional", ["search", "醫院"]),
    ("search-english-form", ["search", "hospitals"]),
    ("timeline-month", ["timeline", "--from", "2024-08", "--to", "2024-08"]),
    ("stats-sector", ["stats", "--sector", "livelihood"]),
)
WARM_TIME_TARGET = 1.5
SELECTIVE_MANY_FILES = 1.3  # a selective query on a base of many small files (issue 13)
LAYOUTS = (PER_FILE, 10)  # facts per file: a few large files, and one file per source article
WARM_MEM_TARGET = 1.5
PINYIN_QUERIES = ("白内障", "kashi")
ENV_DROPPED = ("SHENKA_FACTS", "SHENKA_LANG", "FORCE_COLOR", "PYTHONPROFILEIMPORTTIME", "PYTHONSTARTUP")
ENV_SET = {"NO_COLOR": "1", "COLUMNS": "120"}


# --- running one process -----------------------------------------------------------------------------------


@dataclass
class Sample:
    wall_ms: float
    peak_kib: int
    exit: int
    stdout: bytes
    stderr: bytes


# The child's ru_maxrss counts the memory of the process that started it (Linux records the old address
# space's peak at exec, and a forked or vforked child starts with its parent's pages), so a bench process
# holding large outputs would inflate every later figure. Children are therefore started by this small
# long-lived launcher (about 11 MB, below every measured process), which times them, reaps them with
# os.wait4 and streams their stdout and stderr pipes to files, so its own memory never grows.
LAUNCHER = r"""
import json, os, selectors, subprocess, sys, time

def drain(proc, out, err):
    targets = {proc.stdout: out, proc.stderr: err}
    with selectors.DefaultSelector() as selector:
        for stream in targets:
            selector.register(stream, selectors.EVENT_READ)
        while selector.get_map():
            for key, _ in selector.select():
                data = os.read(key.fd, 65536)
                if data:
                    targets[key.fileobj].write(data)
                else:
                    selector.unregister(key.fileobj)
                    key.fileobj.close()

for line in sys.stdin:
    job = json.loads(line)
    with open(job["stdout"], "wb") as out, open(job["stderr"], "wb") as err:
        started = time.perf_counter()
        try:
            proc = subprocess.Popen(job["argv"], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, env=job["env"], cwd=job["cwd"])
        except OSError as error:
            reply = {"error": str(error)}
        else:
            drain(proc, out, err)
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - started
            proc.returncode = os.waitstatus_to_exitcode(status)
            reply = {"wall_ms": wall * 1000, "peak_kib": usage.ru_maxrss, "exit": proc.returncode}
    sys.stdout.write(json.dumps(reply) + "\n")
    sys.stdout.flush()
"""


class Runner:
    """Runs one command at a time through the launcher: wall time (perf_counter around the whole process),
    peak RSS (ru_maxrss from os.wait4, KiB on Linux), exit status and the captured stdout and stderr."""

    def __init__(self, work: Path) -> None:
        self.cwd = work
        self.stdout, self.stderr = work / "stdout.bin", work / "stderr.bin"
        self.launcher = subprocess.Popen(
            [sys.executable, "-S", "-c", LAUNCHER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=work,
        )

    def run(self, argv: list[str], env: dict[str, str]) -> Sample:
        assert self.launcher.stdin is not None and self.launcher.stdout is not None
        job = {"argv": argv, "env": env, "cwd": str(self.cwd), "stdout": str(self.stdout), "stderr": str(self.stderr)}
        self.launcher.stdin.write(json.dumps(job) + "\n")
        self.launcher.stdin.flush()
        line = self.launcher.stdout.readline()
        if not line:
            raise RuntimeError("the benchmark's launcher process died")
        reply = json.loads(line)
        if "error" in reply:
            return Sample(0.0, 0, 127, b"", reply["error"].encode())
        return Sample(
            reply["wall_ms"], reply["peak_kib"], reply["exit"], self.stdout.read_bytes(), self.stderr.read_bytes()
        )

    def close(self) -> None:
        if self.launcher.stdin:
            self.launcher.stdin.close()
        self.launcher.wait(timeout=30)
        if self.launcher.stdout:
            self.launcher.stdout.close()
        for path in (self.stdout, self.stderr):
            path.unlink(missing_ok=True)


def make_env(cache: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in ENV_DROPPED}
    env.update(ENV_SET)
    env["XDG_CACHE_HOME"] = str(cache)
    return env


class Caches:
    """The bench-owned XDG_CACHE_HOME directories: fresh empty ones (cold) and named kept ones (warm)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)

    @contextmanager
    def cold(self) -> Iterator[Path]:
        path = Path(tempfile.mkdtemp(prefix="cold-", dir=self.root))
        try:
            yield path
        finally:
            shutil.rmtree(path, ignore_errors=True)

    def warm(self, name: str) -> Path:
        path = self.root / f"warm-{name}"
        path.mkdir(exist_ok=True)
        return path


# --- one comparison ------------------------------------------------------------------------------------------


def _failure(argv: list[str], sample: Sample) -> dict:
    return {
        "argv": argv,
        "exit": sample.exit,
        "stderr": sample.stderr.decode("utf-8", "replace")[-2000:],
    }


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 3) if a is not None and b else None


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def compare(
    *,
    check: str,
    group: str,
    size: int | None,
    label: str,
    argv: list[str],
    floor: str,
    floor_argv: list[str],
    env_for: Callable[[], Iterator[dict[str, str]]],
    runs: int,
    runner: Runner,
    time_target: float,
    mem_target: float | None,
    big: bool = False,
) -> tuple[dict, Sample | None]:
    """Warm up both, then alternate floor and command `runs` times; medians, ratios and pass/fail."""
    floor_samples: list[Sample] = []
    samples: list[Sample] = []
    failures: list[dict] = []

    def measure(command: list[str], into: list[Sample] | None, ok: tuple[int, ...]) -> Sample:
        with env_for() as env:
            sample = runner.run(command, env)
        if sample.exit not in ok:
            failures.append(_failure(command, sample))
        if into is not None:
            into.append(sample)
        return sample

    measure(floor_argv, None, (0,))
    warmup = measure(argv, None, OK_EXIT)
    if big or warmup.wall_ms > SLOW_RUN_S * 1000:
        runs = min(runs, SLOW_RUNS)
    for _ in range(runs):
        measure(floor_argv, floor_samples, (0,))
        measure(argv, samples, OK_EXIT)
    median_ms = _median([s.wall_ms for s in samples])
    floor_ms = _median([s.wall_ms for s in floor_samples])
    peak = _median([s.peak_kib for s in samples])
    floor_peak = _median([s.peak_kib for s in floor_samples])
    peak = round(peak) if peak is not None else None
    floor_peak = round(floor_peak) if floor_peak is not None else None
    time_ratio, mem_ratio = _ratio(median_ms, floor_ms), _ratio(peak, floor_peak)
    ok = not failures
    last = samples[-1] if samples else None
    result = {
        "check": check,
        "group": group,
        "size": size,
        "command": label,
        "argv": argv,
        "floor": floor,
        "floor_argv": floor_argv,
        "runs": runs,
        "median_ms": round(median_ms, 1) if median_ms is not None else None,
        "floor_median_ms": round(floor_ms, 1) if floor_ms is not None else None,
        "time_ratio": time_ratio,
        "time_target": time_target,
        "time_pass": ok and time_ratio is not None and (time_target is None or time_ratio <= time_target),
        "peak_kib": peak,
        "floor_peak_kib": floor_peak,
        "mem_ratio": mem_ratio,
        "mem_target": mem_target,
        "mem_pass": None if mem_target is None else ok and mem_ratio is not None and mem_ratio <= mem_target,
        "samples_ms": [round(s.wall_ms, 1) for s in samples],
        "floor_samples_ms": [round(s.wall_ms, 1) for s in floor_samples],
        "samples_kib": [s.peak_kib for s in samples],
        "floor_samples_kib": [s.peak_kib for s in floor_samples],
        "warmup_ms": round(warmup.wall_ms, 1),
        "exit_codes": sorted({s.exit for s in samples}),
        "stdout_bytes": len(last.stdout) if last else None,
        "ok": ok,
        "failures": failures[:3],
    }
    failed = "" if ok else f", FAILED (exit {failures[0]['exit']})"
    _progress(
        f"  {label}: {result['median_ms']} vs {result['floor_median_ms']} ms (×{time_ratio}), "
        f"{result['peak_kib']} vs {result['floor_peak_kib']} KiB (×{mem_ratio}), {runs} runs{failed}"
    )
    return result, last


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- the synthetic fact bases ---------------------------------------------------------------------------------


def _streams() -> ModuleType:
    """bench/streams.py (bench/ is not a package)."""
    name = "shenka_bench_streams"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, BENCH / "streams.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def _load_generate() -> ModuleType:
    name = "shenka_bench_generate"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, BENCH / "generate.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def _generator_fingerprint() -> str:
    digest = hashlib.sha256((BENCH / "generate.py").read_bytes())
    for path in sorted((REPO / "facts").glob("*.toml")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def corpus(work: Path, n: int, seed: int, per_file: int = PER_FILE) -> dict:
    """The synthetic base of n facts under work/n: reused when made with the same n, seed and generator."""
    directory = _streams().corpus_dir(work, n, per_file, PER_FILE)
    meta = {"n": n, "seed": seed, "per_file": per_file, "generator": _generator_fingerprint()}
    meta_path = directory / CORPUS_META
    generated, seconds = False, None
    try:
        reuse = json.loads(meta_path.read_text()) == meta
    except (OSError, ValueError):
        reuse = False
    if not reuse:
        _progress(f"generating {n} facts into {directory} …")
        shutil.rmtree(directory, ignore_errors=True)
        started = time.perf_counter()
        _load_generate().generate(n, directory, seed=seed, per_file=per_file)
        seconds = round(time.perf_counter() - started, 2)
        meta_path.write_text(json.dumps(meta))
        generated = True
    files = [p for p in directory.glob("*.toml") if not p.name.startswith(".")]
    return {
        "path": str(directory),
        "facts": n,
        "seed": seed,
        "files": len(files),
        "bytes": sum(p.stat().st_size for p in files),
        "generated": generated,
        "generate_s": seconds,
    }


# --- the benchmark ------------------------------------------------------------------------------------------


def machine() -> dict:
    cpu = None
    mem_kib = None
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            cpu = next((line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")), None)
        with open("/proc/meminfo", encoding="utf-8") as handle:
            line = next((line for line in handle if line.startswith("MemTotal:")), "")
            mem_kib = int(line.split()[1]) if line else None
    except OSError:
        pass
    nproc = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "executable": sys.executable,
        "nproc": nproc,
        "cpu_count": os.cpu_count(),
        "cpu_model": cpu or platform.processor() or None,
        "mem_total_kib": mem_kib,
    }


def git_state() -> dict:
    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True, check=False)
        except OSError:
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    status = git("status", "--porcelain")
    return {"commit": git("rev-parse", "HEAD"), "dirty": bool(status) if status is not None else None}


def bench_startup(caches: Caches, runs: int, runner: Runner) -> list[dict]:
    _progress("start-up on the bundled facts (cache warm)")
    warm = caches.warm("bundled")
    runner.run([*SHENKA, "timeline", "--format", "json"], make_env(warm))  # fill the cache

    @contextmanager
    def env_for() -> Iterator[dict[str, str]]:
        yield make_env(warm)

    results = []
    for name, args, target in STARTUP:
        result, _ = compare(
            check=f"startup/{name}",
            group="startup",
            size=None,
            label="shenka " + " ".join(args),
            argv=[*SHENKA, *args],
            floor="minimal Typer app",
            floor_argv=FLOOR_APP,
            env_for=env_for,
            runs=runs,
            runner=runner,
            time_target=target,
            mem_target=None,
        )
        results.append(result)
    return results


def bench_size(
    n: int, facts: Path, caches: Caches, runs: int, runner: Runner, layout: str = "", equality_up_to: int | None = None
) -> tuple[list[dict], list[dict], list[dict], list[dict]]:
    measurements: list[dict] = []
    facts_args = ["--facts", str(facts)]
    tag = f"{n}{layout}"

    @contextmanager
    def cold_env() -> Iterator[dict[str, str]]:
        with caches.cold() as path:
            yield make_env(path)

    warm = caches.warm(tag)

    @contextmanager
    def warm_env() -> Iterator[dict[str, str]]:
        yield make_env(warm)

    _progress(f"N = {tag}: first run (nothing cached)")
    name, args, target = COLD
    result, _ = compare(
        check=f"cold/{tag}/{name}",
        group="cold",
        size=n,
        label="shenka " + " ".join(args),
        argv=[*SHENKA, *facts_args, *args],
        floor="tomli parse of the same files",
        floor_argv=[*TOMLI_FLOOR, str(facts)],
        env_for=cold_env,
        runs=runs,
        runner=runner,
        time_target=target,
        mem_target=None,
        big=n >= BIG_N,
    )
    measurements.append(result)

    _progress(f"N = {tag}: cache warm")
    runner.run([*SHENKA, *facts_args, *COLD[1]], make_env(warm))  # fill the cache once
    equality = []
    for name, args in WARM:
        argv = [*SHENKA, *facts_args, *args]
        result, last = compare(
            check=f"warm/{tag}/{name}",
            group="warm",
            size=n,
            label="shenka " + " ".join(args),
            argv=argv,
            floor="minimal Typer app",
            floor_argv=FLOOR_APP,
            env_for=warm_env,
            runs=runs,
            runner=runner,
            time_target=SELECTIVE_MANY_FILES if layout and name == "search-json" else WARM_TIME_TARGET,
            mem_target=WARM_MEM_TARGET,
        )
        if last is not None and "json" in args:
            try:
                result["json_items"] = len(json.loads(last.stdout))
            except ValueError:
                result["json_items"] = None
        measurements.append(result)
        if equality_up_to is not None and n > equality_up_to:
            continue  # each check costs a first run; --equality-up-to leaves them to the smaller sizes
        with cold_env() as env:
            cold = runner.run(argv, env)
        equal = last is not None and last.stdout == cold.stdout and last.exit == cold.exit
        equality.append(
            {
                "check": f"equal/{tag}/{name}",
                "size": n,
                "command": "shenka " + " ".join(args),
                "equal": equal,
                "warm_exit": last.exit if last else None,
                "cold_exit": cold.exit,
                "warm_bytes": len(last.stdout) if last else None,
                "cold_bytes": len(cold.stdout),
                "cold_ms": round(cold.wall_ms, 1),
                "pass": equal,
            }
        )
        _progress(f"  cold output equals warm output: {equal}")

    pinyin = []
    for query in PINYIN_QUERIES:
        argv = [sys.executable, "-X", "importtime", "-m", "shenka_cli", *facts_args, "search", query]
        sample = runner.run(argv, make_env(warm))
        imported = b"pypinyin" in sample.stderr
        entry = {
            "check": f"pypinyin/{tag}/{query}",
            "size": n,
            "command": f"python -X importtime -m shenka_cli search {query}",
            "imported": imported,
            "exit": sample.exit,
            "pass": not imported and sample.exit in OK_EXIT,
        }
        if sample.exit not in OK_EXIT:
            entry["failure"] = _failure(argv, sample)
        pinyin.append(entry)
        _progress(f"  search {query} (warm) imports pypinyin: {imported}")
    streamed, versus = _streams().bench_streams(
        size=n,
        layout=layout,
        facts_args=facts_args,
        shenka=SHENKA,
        floor_app=FLOOR_APP,
        compare=compare,
        env_for=warm_env,
        runs=runs,
        runner=runner,
        progress=_progress,
    )
    if layout:  # many small files: the layout whose clean check is a stat per file
        streamed.append(
            _streams().bench_racy(
                size=n,
                layout=layout,
                facts=facts,
                facts_args=facts_args,
                shenka=SHENKA,
                floor_app=FLOOR_APP,
                compare=compare,
                env=make_env(caches.warm(f"{tag}-racy")),
                runs=runs,
                runner=runner,
                progress=_progress,
            )
        )
    return measurements + streamed, equality, pinyin, versus


def _checks(results: dict) -> list[tuple[str, bool]]:
    checks = []
    for m in results["measurements"]:
        checks.append((m["check"] + " time", bool(m["time_pass"])))
        if m["mem_target"] is not None:
            checks.append((m["check"] + " memory", bool(m["mem_pass"])))
    checks += [(e["check"], e["pass"]) for e in results["equality"]]
    checks += [(p["check"], p["pass"]) for p in results["pypinyin"]]
    checks += [(p["check"], p["pass"]) for p in results["pinyin_vs_chinese"]]
    return checks


# --- the report ---------------------------------------------------------------------------------------------


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _table(rows: list[list[str]], right: set[int]) -> str:
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for index, row in enumerate(rows):
        cells = []
        for i, cell in enumerate(row):
            pad = " " * (widths[i] - _width(cell))
            cells.append(pad + cell if i in right else cell + pad)
        lines.append("  ".join(cells).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _num(value: float | int | None, digits: int = 0) -> str:
    if value is None:
        return "-"
    return f"{value:,.{digits}f}"


def _verdict(passed: bool | None) -> str:
    return "-" if passed is None else ("pass" if passed else "FAIL")


def report(results: dict) -> str:
    header = ["check", "N", "runs", "ms", "floor ms", "×time", "target", "KiB", "floor KiB", "×mem", "target", "result"]
    rows = [header]
    for m in results["measurements"]:
        verdicts = [m["time_pass"]] + ([m["mem_pass"]] if m["mem_target"] is not None else [])
        result = "pass" if all(verdicts) else "FAIL"
        if not m["ok"]:
            result = f"FAIL (exit {m['failures'][0]['exit']})"
        rows.append(
            [
                f"{m['group']:<7} {m['command']}",
                "bundled" if m["size"] is None else str(m["size"]),
                str(m["runs"]),
                _num(m["median_ms"], 1),
                _num(m["floor_median_ms"], 1),
                _num(m["time_ratio"], 2),
                f"≤{m['time_target']}" if m["time_target"] is not None else f"≥{m.get('rate_target', '-')}/s",
                _num(m["peak_kib"]),
                _num(m["floor_peak_kib"]),
                _num(m["mem_ratio"], 2),
                "-" if m["mem_target"] is None else f"≤{m['mem_target']}",
                result,
            ]
        )
    out = [
        f"shenka benchmark, {results['date']}",
        f"machine: {results['machine']['cpu_model']}, {results['machine']['nproc']} CPUs, "
        f"Python {results['machine']['python']}, {results['machine']['platform']}",
        f"shenka run as `{SHENKA_SHOWN} …`; floors: `{FLOOR_APP_SHOWN}` (startup, warm) and "
        f"`{TOMLI_FLOOR_SHOWN}` (cold); medians of alternated runs after one warm-up; "
        f"env NO_COLOR=1 COLUMNS=120, stdout piped, XDG_CACHE_HOME per run under {results['cache_root']}",
        "",
        _table(rows, right={2, 3, 4, 5, 7, 8, 9}),
        "",
    ]
    rows = [["check", "N", "result", "detail"]]
    for e in results["equality"]:
        detail = f"warm {e['warm_bytes']} B exit {e['warm_exit']}, cold {e['cold_bytes']} B exit {e['cold_exit']}"
        rows.append([f"warm == cold: {e['command']}", str(e["size"]), str(e["equal"]).lower(), detail])
    for p in results["pypinyin"]:
        detail = f"exit {p['exit']}" + ("" if p["exit"] in OK_EXIT else " (failed)")
        rows.append(
            [
                f"pypinyin imported: search {p['check'].rsplit('/', 1)[1]} (warm)",
                str(p["size"]),
                str(p["imported"]).lower(),
                detail,
            ]
        )
    for m in results["measurements"]:
        if m["group"] == "broad":
            rows.append(
                [
                    f"broad: {m['command']}",
                    str(m["size"]),
                    _verdict(m["time_pass"]),
                    f"{m['items']:,} items, {_num(m.get('items_per_s'))}/s (target ≥{m['rate_target']:,}/s)",
                ]
            )
    for p in results["pinyin_vs_chinese"]:
        detail = f"{p['pinyin_ms']} vs {p['chinese_ms']} ms: ×{p['ratio']} (target ≤{p['target']})"
        rows.append([f"pinyin vs Chinese: {p['check'].split('/', 1)[1]}", str(p["size"]), _verdict(p["pass"]), detail])
    if len(rows) > 1:
        out += [_table(rows, right=set()), ""]
    summary = results["summary"]
    out.append(
        f"{summary['passed']} of {summary['checks']} checks pass"
        + ("; failing: " + ", ".join(summary["failing"]) if summary["failing"] else "")
    )
    return "\n".join(out)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="comma-separated fact counts")
    parser.add_argument("--runs", type=int, default=DEFAULT_RUNS, help="measured runs per command (median)")
    parser.add_argument("--seed", type=int, default=SEED, help="seed of the synthetic fact bases")
    parser.add_argument(
        "--layouts", default=",".join(map(str, LAYOUTS)), help="facts per file, comma-separated (one base each)"
    )
    parser.add_argument(
        "--equality-up-to",
        type=int,
        default=None,
        metavar="N",
        help="check that warm output equals cold output only at sizes up to N (each check is a first run)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="size 200 in files of 20, 2 runs: checks that the benchmark works"
    )
    parser.add_argument("--out", type=Path, default=BENCH / "results", help="results directory")
    parser.add_argument("--work", type=Path, default=BENCH / "corpus", help="generated facts and caches")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.runs, args.layouts = "200", 2, "20"  # many small files: every check runs
    try:
        args.sizes = [int(size) for size in str(args.sizes).split(",") if size.strip()]
    except ValueError:
        parser.error(f"--sizes must be comma-separated integers, found {args.sizes!r}")
    try:
        args.layouts = [int(per_file) for per_file in str(args.layouts).split(",") if per_file.strip()]
    except ValueError:
        parser.error(f"--layouts must be comma-separated integers, found {args.layouts!r}")
    if args.runs < 1 or any(size < 1 for size in args.sizes) or any(per_file < 1 for per_file in args.layouts):
        parser.error("--runs and every size must be at least 1")
    return args


def compile_package() -> str:
    """Compile shenka's bytecode first, as `pip install` does, so that no run pays for compiling its source.

    Without this, an editable install under PYTHONDONTWRITEBYTECODE=1 recompiles every module on every run,
    while Typer, the floor, was compiled when it was installed.
    """
    import compileall

    import shenka_cli

    package = Path(shenka_cli.__file__).parent
    compileall.compile_dir(str(package), quiet=1)
    return f"compiled {package} with compileall before measuring"


def main(argv: list[str] | None = None) -> dict:
    args = parse_args(argv)
    started = dt.datetime.now().astimezone()
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    caches = Caches(work / "cache")
    results: dict = {
        "date": started.isoformat(timespec="seconds"),
        "machine": machine(),
        "git": git_state(),
        "shenka": SHENKA_SHOWN,
        "floors": {"startup_and_warm": FLOOR_APP_SHOWN, "cold": TOMLI_FLOOR_SHOWN},
        "env": {**ENV_SET, "XDG_CACHE_HOME": "a bench-owned directory per run", "stdout": "pipe"},
        "cache_root": str(caches.root),
        "sizes": args.sizes,
        "runs": args.runs,
        "seed": args.seed,
        "quick": args.quick,
        "corpora": {},
        "measurements": [],
        "equality": [],
        "pypinyin": [],
        "pinyin_vs_chinese": [],
        "layouts": args.layouts,
        "equality_up_to": args.equality_up_to,
    }
    results["bytecode"] = compile_package()
    runner = Runner(work)
    try:
        results["measurements"] += bench_startup(caches, args.runs, runner)
        for n in args.sizes:
            for per_file in args.layouts:
                layout = _streams().layout_name(per_file, PER_FILE)
                info = corpus(work, n, args.seed, per_file)
                results["corpora"][f"{n}{layout}"] = info
                measurements, equality, pinyin, versus = bench_size(
                    n, Path(info["path"]), caches, args.runs, runner, layout, args.equality_up_to
                )
                results["measurements"] += measurements
                results["equality"] += equality
                results["pypinyin"] += pinyin
                results["pinyin_vs_chinese"] += versus
    finally:
        runner.close()
        shutil.rmtree(caches.root, ignore_errors=True)
    checks = _checks(results)
    results["summary"] = {
        "checks": len(checks),
        "passed": sum(ok for _, ok in checks),
        "failing": [name for name, ok in checks if not ok],
        "seconds": round((dt.datetime.now().astimezone() - started).total_seconds(), 1),
    }
    print(report(results), flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    text = json.dumps(results, ensure_ascii=False, indent=2) + "\n"
    (args.out / "latest.json").write_text(text, encoding="utf-8")
    (args.out / f"{started:%Y%m%d-%H%M%S}.json").write_text(text, encoding="utf-8")
    _progress(f"results written to {args.out / 'latest.json'} ({results['summary']['seconds']} s)")
    return results


if __name__ == "__main__":
    main()
