"""The early scan of a large fact base (core/preload.py): a child scans what the command line names while the
run starts, and the run takes its listing only when it is exactly the one the run would have made."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from shenka_cli.cli.arguments import COMMANDS, GLOBAL_VALUE_OPTIONS, hoist_global_options
from shenka_cli.core import preload
from shenka_cli.core.files import scan
from shenka_cli.core.paths import FACTS_ENV

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the early scan forks; without fork it never runs")


@pytest.fixture(autouse=True)
def no_pending_child():
    """Each test starts and ends with no child pending (a test that fails midway still reaps its child)."""
    yield
    preload.take([])


@pytest.fixture
def base(tmp_path: Path) -> Path:
    directory = tmp_path / "facts #1"
    directory.mkdir()
    for index in range(30):
        (directory / f"facts-{index:03}.toml").write_text(f"# {index}\n" * index, encoding="utf-8")
    return directory


@pytest.mark.parametrize(
    ("arguments", "environ", "expected"),
    [
        (["--facts", "big", "search", "x"], {}, ["big"]),
        (["--facts=big", "--facts", "more", "timeline"], {}, ["big", "more"]),
        (["--lang", "en", "--facts", "big", "stats"], {}, ["big"]),
        (["--script=traditional", "--lang=en", "--facts", "big", "stats"], {}, ["big"]),
        (["search", "x"], {FACTS_ENV: f"one{os.pathsep}two"}, ["one", "two"]),
        (["--facts", "big", "search", "--", "--facts", "other"], {}, ["big"]),
        (["search", "x"], {}, []),  # the bundled facts: a few files
        (["--facts", "bundled", "search"], {}, []),
        (["--version"], {FACTS_ENV: "one"}, []),
        (["--help"], {}, []),
        (["search", "x", "--facts", "big", "--lang", "en"], {FACTS_ENV: "one"}, ["big"]),  # moved before it
        (["search", "--place", "喀什", "--facts=big"], {}, ["big"]),
        (["--facts"], {}, []),
        (["--unknown", "x", "search"], {}, []),
    ],
)
def test_the_paths_are_guessed_from_the_global_options_only(
    arguments: list[str], environ: dict[str, str], expected: list[str]
) -> None:
    assert preload.guessed_paths(hoist_global_options(arguments, COMMANDS), environ, GLOBAL_VALUE_OPTIONS) == [
        Path(item) for item in expected
    ]


def test_the_childs_listing_is_the_scan_of_the_same_paths(base: Path, tmp_path: Path) -> None:
    single = tmp_path / "single.toml"
    single.write_text("# one\n", encoding="utf-8")
    preload.fork_scan([base, single])
    taken = preload.take([base, single])
    expected = scan([base, single])
    assert taken is not None
    assert taken.paths == expected.paths and taken.numbers == expected.numbers and taken.problems == []


def test_a_listing_of_other_paths_is_not_taken_and_the_child_is_reaped(base: Path, tmp_path: Path) -> None:
    preload.fork_scan([base])
    pid = preload._started.pid if preload._started else None
    assert preload.take([tmp_path]) is None
    assert pid is not None
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, 0)
    assert preload.take([base]) is None  # taken once: the run scans for itself after that


def test_a_base_with_a_problem_is_left_to_the_run_to_scan_and_report(base: Path) -> None:
    (base / "sub.toml").mkdir()
    preload.fork_scan([base])
    assert preload.take([base]) is None
    assert scan([base]).problems  # what the run reports


def test_only_a_large_directory_on_a_machine_with_another_core_is_worth_a_fork(
    base: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    assert not preload._worth_it([base])  # 30 files
    monkeypatch.setattr(preload, "LARGE_DIRECTORY", 1)
    assert preload._worth_it([base])
    assert not preload._worth_it([base / "facts-001.toml"])  # a file is listed at no cost
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})
    assert not preload._worth_it([base])


def test_a_run_started_early_reads_the_same_base_and_sees_an_edit(
    base: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The command line's path through main(): start() at once, the catalogue takes the child's listing."""
    from shenka_cli.cli.context import open_facts
    from shenka_cli.core.query import Filters

    facts = Path(__file__).parent / "data" / "valid"
    many = tmp_path / "valid copy"
    many.mkdir()
    for source in sorted(facts.glob("*.toml")):
        (many / source.name).write_bytes(source.read_bytes())
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    monkeypatch.setattr(preload, "LARGE_DIRECTORY", 1)
    taken: list[bool] = []
    real_take = preload.take

    def spying_take(paths):
        listing = real_take(paths)
        taken.append(listing is not None)
        return listing

    monkeypatch.setattr(preload, "take", spying_take)

    def titles() -> list[str]:
        preload.start(["--facts", str(many), "timeline"], {}, GLOBAL_VALUE_OPTIONS)
        return sorted(fact.title for fact in open_facts([many]).select(Filters()))

    first = titles()
    target = sorted(many.glob("*.toml"))[0]
    text = target.read_text(encoding="utf-8")
    assert first and first[0] in text
    target.write_text(text.replace(first[0], first[0] + "（已修订）"), encoding="utf-8")
    assert titles() == sorted([first[0] + "（已修订）", *first[1:]])
    assert taken == [True, True]
