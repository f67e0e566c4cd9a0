"""Work on forked workers (core/parallel.py): results in order, and a caller that stops early leaves no worker
behind and no task cut off."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

import pytest

from shenka_cli.core import parallel


def _slow_square(item: tuple[Path, int]) -> int:
    folder, number = item
    time.sleep(0.2)
    (folder / f"{number}.done").write_text("done", encoding="utf-8")
    return number * number


@pytest.fixture
def two_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "workers", lambda: 2)


def test_results_come_in_order(two_workers, tmp_path: Path) -> None:
    items = [(tmp_path, number) for number in range(7)]
    assert list(parallel.in_parallel(_slow_square, items, ahead=3)) == [number * number for number in range(7)]
    assert multiprocessing.active_children() == []


def test_a_caller_that_stops_early_lets_the_tasks_given_out_finish_and_leaves_no_worker(
    two_workers, tmp_path: Path
) -> None:
    """As a build that must start again does (pipeline.NeedsTables): the pool is closed, not terminated, so that no
    worker is killed in the middle of a task (and Pool.terminate cannot hang on its task thread)."""
    items = [(tmp_path, number) for number in range(20)]
    results = parallel.in_parallel(_slow_square, items, ahead=3)
    assert next(results) == 0
    results.close()
    assert multiprocessing.active_children() == []
    done = sorted(int(path.stem) for path in tmp_path.glob("*.done"))
    assert done == list(range(len(done))) and 4 <= len(done) < 20  # those given out, finished; none after
