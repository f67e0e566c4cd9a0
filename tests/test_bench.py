"""The benchmark runs end to end on a small base, so that it cannot rot. No timing is asserted."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

from shenka_cli.core.loader import load

from .conftest import REPO


def bench_module(name: str) -> ModuleType:
    """bench/NAME.py, imported by path (bench/ is not a package); the same name bench/run.py uses."""
    key = f"shenka_bench_{name}"
    if key not in sys.modules:
        spec = importlib.util.spec_from_file_location(key, REPO / "bench" / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[key] = module
        spec.loader.exec_module(module)
    return sys.modules[key]


def test_generate_and_run_the_benchmark(tmp_path: Path) -> None:
    generate = bench_module("generate")
    facts = tmp_path / "facts"
    generate.generate(200, facts, seed=3, per_file=80)
    names = sorted(path.name for path in facts.glob("*.toml"))
    assert names == ["facts-0001.toml", "facts-0002.toml", "facts-0003.toml", "sectors.toml", "sources.toml"]
    loaded = load([facts])
    assert loaded.errors == []
    assert len(loaded.base.facts) >= 200
    cataract = [fact for fact in loaded.base.facts if "白内障" in fact.summary]
    assert cataract and all("cataract" in fact.summary_en.lower() for fact in cataract)
    again = tmp_path / "again"
    generate.generate(200, again, seed=3, per_file=80)
    assert (again / "facts-0002.toml").read_bytes() == (facts / "facts-0002.toml").read_bytes()

    out = tmp_path / "results"
    results = bench_module("run").main(["--quick", "--out", str(out), "--work", str(tmp_path / "work")])
    written = json.loads((out / "latest.json").read_text(encoding="utf-8"))
    assert written["summary"] == results["summary"]
    assert len(list(out.glob("[0-9]*-[0-9]*.json"))) == 1
    assert results["sizes"] == [200] and results["machine"]["python"]
    groups = {m["group"] for m in results["measurements"]}
    assert groups == {"startup", "cold", "warm", "broad", "head", "pinyin", "racy"}
    failed = [(m["check"], m["failures"]) for m in results["measurements"] if not m["ok"]]
    assert failed == []
    for m in results["measurements"]:
        assert m["median_ms"] > 0 and m["floor_median_ms"] > 0 and m["peak_kib"] > 0 and m["time_ratio"] > 0
    assert len(results["equality"]) == 7 and len(results["pypinyin"]) == 2  # one per warm command
    broad = [m for m in results["measurements"] if m["group"] == "broad"]
    assert broad and all(m["items"] > 0 and m["items_per_s"] > 0 for m in broad)
    assert [p["ratio"] > 0 for p in results["pinyin_vs_chinese"]] == [True]
    (racy,) = [m for m in results["measurements"] if m["group"] == "racy"]
    assert racy["time_target"] == 1.3 and racy["exit_codes"] == [0]


def test_the_spot_check_measures_every_command(tmp_path: Path) -> None:
    """bench/spot.py runs end to end on a small base; no timing is asserted."""
    import subprocess

    facts = tmp_path / "facts"
    bench_module("generate").generate(120, facts, seed=2, per_file=20)
    cache = tmp_path / "cache"
    env = {"XDG_CACHE_HOME": str(cache), "NO_COLOR": "1", "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "-m", "shenka_cli", "--facts", str(facts), "timeline"], env=env, check=True)
    out = tmp_path / "spot.json"
    spot = bench_module("spot")
    spot.main(["1", str(out), str(facts), str(cache)])
    written = json.loads(out.read_text(encoding="utf-8"))
    checks = [m["check"] for m in written["measurements"]]
    assert checks[0] == "timeline | head -1" and checks[1:] == [c[0] for c in (*spot.SELECTIVE, *spot.BROAD)]
    broad = [m for m in written["measurements"] if "items" in m]
    assert len(broad) == len(spot.BROAD) == 10 and all(m["items"] > 0 and m["median_ms"] > 0 for m in broad)


def test_the_scaling_benchmark_measures_every_command_at_both_sizes(tmp_path: Path) -> None:
    """bench/scaling.py runs end to end on two small bases; no timing is asserted."""
    scaling = bench_module("scaling")
    out = tmp_path / "scaling.json"
    assert scaling.main(["--sizes", "20,60", "--runs", "1", "--out", str(out)]) == 0
    written = json.loads(out.read_text(encoding="utf-8"))
    assert written["sizes"] == [20, 60] and written["floor_s"] > 0
    assert [row["command"] for row in written["commands"]] == [" ".join(command) for command in scaling.COMMANDS]
    for row in written["commands"]:
        assert len(row["wall_s"]) == len(row["own_s"]) == len(row["peak_mb"]) == 2
        assert all(wall > 0 for wall in row["wall_s"]) and row["growth"] > 0
        assert isinstance(row["superlinear"], bool)
