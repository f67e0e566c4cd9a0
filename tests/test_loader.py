import os
from pathlib import Path

import pytest

from shenka_cli.core.loader import load
from shenka_cli.core.model import FuzzyDate, Period, Precision, Qualifier

from .conftest import BUNDLED, INVALID, VALID

BASE = [VALID / "sectors.toml", VALID / "sources.toml"]


def problems_of(*files: Path):
    result = load([*BASE, *files])
    return [p for p in result.problems if not p.warning]


def only_problem(*files: Path):
    problems = problems_of(*files)
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


def test_valid_base_loads_into_typed_model():
    result = load([VALID])
    assert result.problems == []
    base = result.base
    assert [f.id for f in base.facts][:2] == ["programme-since-2010", "incubator-opens"]
    programme = base.fact("programme-since-2010")
    assert programme.period == Period(FuzzyDate(2010), FuzzyDate(2025, inferred=True))
    assert programme.inferred_reason.startswith("end:")
    assert programme.places == ("喀什市", "塔什库尔干塔吉克自治县")
    more = programme.stats[1]
    assert (more.written, more.value, more.low, more.high, more.qualifier) == (
        "1000余个",
        1000,
        1000,
        None,
        Qualifier.MORE_THAN,
    )
    assert more.as_of == programme.period
    investment = base.fact("incubator-opens").stats[0]
    assert investment.as_of == FuzzyDate(2025, inferred=True)
    assert base.fact("cataract-surgery").date.precision is Precision.MONTH
    assert base.fact("logistics-port").when is None
    delivery = base.fact("logistics-port").stats[0]
    assert (delivery.value, delivery.low, delivery.high) == (None, 7, 10)


def test_bundled_base_is_clean_and_complete():
    result = load([BUNDLED])
    assert [str(p) for p in result.problems] == []
    assert len(result.base.facts) >= 40
    assert len(result.base.stats) >= 30


@pytest.mark.parametrize(
    ("case", "line", "fact", "field", "words"),
    [
        ("syntax-error.toml", 13, None, None, "TOML syntax error"),
        ("missing-field.toml", 1, "no-summary", "summary", "missing required field"),
        ("wrong-type.toml", 9, "wrong-type", "places", "expected an array of strings"),
        ("unknown-sector.toml", 1, "unknown-sector", "sector", "unknown sector 'industy'"),
        ("unknown-source.toml", 8, "unknown-source", "source.id", "unknown source 'nope'"),
        ("bad-month.toml", 9, "bad-month", "date", "not a real date"),
        ("bad-day.toml", 9, "bad-day", "date", "not a real date"),
        ("range-low-above-high.toml", 15, "bad-range", "stat[1].low", "above its high end"),
        ("figure-disagrees.toml", 14, "bad-figure", "stat[1].value", "found 84000000, but '8.4亿元' says 840000000"),
        ("empty.toml", None, None, None, "the file is empty"),
    ],
)
def test_bad_input_is_located(case, line, fact, field, words):
    problem = only_problem(INVALID / case)
    assert problem.path.endswith(case)
    assert (problem.line, problem.fact, problem.field) == (line, fact, field)
    assert words in problem.message


@pytest.mark.parametrize(("case", "hint"), [("full-width-equals.toml", "＝"), ("curly-quotes.toml", "“ ”")])
def test_chinese_input_method_characters_get_a_hint(case, hint):
    problem = only_problem(INVALID / case)
    assert problem.line == 2
    assert hint in problem.hint


def test_duplicate_ids_name_both_places():
    within = only_problem(INVALID / "duplicate-within.toml")
    assert (within.line, within.fact) == (19, "twice")
    assert "duplicate-within.toml:1" in within.message
    across = load([VALID, INVALID / "duplicate-across.toml"]).errors
    assert len(across) == 1
    assert across[0].path.endswith("duplicate-across.toml")
    assert f"{VALID / 'facts.toml'}:31" in across[0].message


def test_nan_and_inf_are_rejected():
    problems = problems_of(INVALID / "nan-inf.toml")
    assert [(p.line, p.field) for p in problems] == [(14, "stat[1].value"), (21, "stat[2].value")]
    assert all("finite number" in p.message for p in problems)


def test_every_problem_of_every_file_in_one_run():
    files = sorted(INVALID.glob("*.toml"))
    problems = problems_of(VALID / "facts.toml", *files)
    assert {Path(p.path).name for p in problems} == {f.name for f in files}


def test_gbk_file_is_reported_with_a_hint(tmp_path):
    gbk = tmp_path / "gbk.toml"
    gbk.write_bytes('[[fact]]\nid = "gbk"\ntitle = "喀什市"\n'.encode("gbk"))
    problem = only_problem(gbk)
    assert problem.line == 3
    assert "not valid UTF-8" in problem.message
    assert "GBK" in problem.hint


def test_utf8_bom_is_accepted(tmp_path):
    text = (INVALID.parent / "valid" / "facts.toml").read_text(encoding="utf-8")
    bom = tmp_path / "bom.toml"
    bom.write_bytes(b"\xef\xbb\xbf" + text.encode())
    result = load([*BASE, bom])
    assert result.errors == []
    assert len(result.base.facts) == 6


def test_nesting_deep_enough_to_exhaust_recursion(tmp_path):
    deep = tmp_path / "deep.toml"
    deep.write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n")
    problem = only_problem(deep)
    assert "deep" in problem.message or "nest" in problem.message


def test_nul_bytes_mean_not_a_text_file(tmp_path):
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    assert "not a text file" in only_problem(binary).message


def test_unknown_field_suggests_the_closest(tmp_path):
    typo = tmp_path / "typo.toml"
    typo.write_text((INVALID / "wrong-type.toml").read_text().replace('places = "喀什市"', 'summery = "x"'))
    problem = only_problem(typo)
    assert (problem.field, problem.message) == ("summery", "unknown field")
    assert "summary" in problem.hint


def test_range_needs_low_and_high_and_qualifier_must_match(tmp_path):
    wrong = tmp_path / "wrong.toml"
    wrong.write_text((INVALID / "figure-disagrees.toml").read_text().replace("8.4亿元", "1000余亿元"))
    problem = only_problem(wrong)
    assert problem.field == "stat[1].qualifier"
    assert "more_than" in problem.message


def test_period_that_ends_before_it_starts(tmp_path):
    backwards = tmp_path / "backwards.toml"
    backwards.write_text(
        (INVALID / "bad-day.toml")
        .read_text()
        .replace('date = "2024-02-30"', 'period = { start = "2025", end = "2024-06" }')
    )
    problem = only_problem(backwards)
    assert problem.field == "period"
    assert "after it ends" in problem.message


@pytest.mark.parametrize("base", [INVALID, VALID], ids=["invalid", "valid"])
def test_files_parsed_on_two_workers_load_as_in_one_process(base, monkeypatch, run, tmp_path):
    """shenka validate (and the uncached path) parse many files on every core: the same facts and the same problems,
    in the same order, with an unreadable file in the middle."""
    import shutil

    from shenka_cli.core import loader

    target = tmp_path / "facts"
    shutil.copytree(base, target)
    unreadable = target / "m-unreadable.toml"
    unreadable.mkdir()  # a directory named .toml: read_bytes fails, as for a file without permission
    here, loaded = run("validate", str(target)), load([target])
    monkeypatch.setattr(loader, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(loader, "PARSED_TOGETHER", 1)  # a file at a time
    monkeypatch.setattr("shenka_cli.core.parallel.workers", lambda: 2)
    parsers = tmp_path / "parsers"
    parsers.mkdir()
    parse = loader.read_file_content

    def noted(data, path):  # inherited by the forked workers
        with open(parsers / str(os.getpid()), "a", encoding="utf-8") as noted_paths:
            noted_paths.write(path + "\n")
        return parse(data, path)

    monkeypatch.setattr(loader, "read_file_content", noted)
    spread = run("validate", str(target))
    assert (spread.exit_code, spread.stdout) == (here.exit_code, here.stdout)
    assert "m-unreadable.toml" in here.stdout
    assert load([target]) == loaded
    mine = parsers / str(os.getpid())
    parsed_here = set(mine.read_text(encoding="utf-8").splitlines()) if mine.exists() else set()
    own = {str(path) for path in target.glob("*.toml") if path.is_file()}
    assert own and not own & parsed_here  # parsed by the workers (here: only the bundled tables the base lacks)
