"""End-to-end: every command in every format on real fact files, parsed back and compared with the data."""

from __future__ import annotations

import csv
import io
import json

import pytest

from shenka_cli.core.loader import load
from shenka_cli.core.model import Qualifier

from .conftest import BUNDLED, VALID
from .helpers import FACT_KEYS, LISTING_COMMANDS, STAT_KEYS
from .mdparse import markdown_blocks


@pytest.fixture(scope="module")
def bundled():
    return load([BUNDLED]).base


def as_json(result):
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize("command", LISTING_COMMANDS, ids=" ".join)
@pytest.mark.parametrize("format", ["table", "markdown", "csv", "json"])
def test_every_command_in_every_format(run, command, format):
    result = run(*command, "--format", format)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip()
    assert "\x1b" not in result.stdout
    if format == "json":
        json.loads(result.stdout)
    elif format == "csv":
        rows = list(csv.reader(io.StringIO(result.stdout)))
        assert len({len(row) for row in rows}) == 1
    elif format == "markdown":
        assert any(kind == "table" for kind, _ in markdown_blocks(result.stdout))


def test_json_fact_contract(run, bundled):
    records = as_json(run("timeline", "--undated", "--format", "json"))
    assert len(records) == len(bundled.facts)
    for record in records:
        assert list(record) == FACT_KEYS
        fact = bundled.fact(record["id"])
        assert record["title"] == fact.title and record["summary_en"] == fact.summary_en
        assert record["date_precision"] in ("day", "month", "year", None)
        if fact.date:
            assert record["date"] == fact.date.iso and record["period"] is None
        if fact.period:
            assert record["date"] is None
            assert record["period"] == {"start": fact.period.start.iso, "end": fact.period.end.iso}
        # the date of an event or a period, or the as-of date of a standing fact
        assert record["date_inferred"] == bool(fact.dated and fact.dated.inferred)
        assert record["source"] == {"id": fact.source.id, "section": fact.source.section}
        assert [stat["text"] for stat in record["stats"]] == [stat.written for stat in fact.stats]
    dated = [r for r in records if r["date"] or r["period"]]
    assert dated[0]["id"] == "aid-programme-since-2010"
    assert dated[0]["period"]["start"] == "2010"


def test_json_stat_contract_and_every_figure(run, bundled):
    records = as_json(run("stats", "--format", "json"))
    assert len(records) == len(bundled.stats)
    by_text = {(r["fact"], r["text"]): r for r in records}
    for stat in bundled.stats:
        record = by_text[(stat.fact_id, stat.written)]
        assert list(record) == STAT_KEYS
        if stat.qualifier is Qualifier.RANGE:
            assert (record["value"], record["low"], record["high"]) == (None, stat.low, stat.high)
        elif stat.qualifier is Qualifier.MORE_THAN:
            assert (record["value"], record["low"], record["high"]) == (stat.value, stat.value, None)
        elif stat.qualifier is Qualifier.EXACT:
            assert record["value"] == record["low"] == record["high"] == stat.value
    investment = next(r for r in records if r["text"] == "8.4亿元")
    assert (investment["value"], investment["unit"], investment["qualifier"]) == (840000000, "元", "exact")
    reading = next(r for r in records if r["text"] == "2.5万台")
    assert reading["value"] == 25000
    people = next(r for r in records if r["text"] == "990余名")
    assert (people["unit"], people["qualifier"], people["low"], people["high"]) == ("人", "more_than", 990, None)


def test_sectors_json_contract(run, bundled):
    records = as_json(run("sectors", "--format", "json"))
    assert [r["id"] for r in records] == [s.id for s in bundled.sectors]
    assert list(records[0]) == ["id", "name", "name_en", "facts", "stats", "first_date", "last_date", "headline"]
    assert sum(r["facts"] for r in records) == len(bundled.facts)
    assert sum(r["stats"] for r in records) == len(bundled.stats)


def test_markdown_stats_cells_match_the_data(run, bundled):
    # In Chinese the value column is the number in base units with its qualifier's sign (English writes the
    # figure in words: tests/test_language_purity.py).
    result = run("--lang", "zh", "stats", "--format", "markdown")
    tables = [content for kind, content in markdown_blocks(result.stdout) if kind == "table"]
    rows = [row for table in tables for row in table[1:]]
    header = tables[0][0]
    assert header == ["指标", "原文", "数值", "单位", "限定", "时间", "领域", "事实 ID"]
    assert len(rows) == len(bundled.stats)
    expected = {(stat.fact_id, stat.written, stat.label): stat for stat in bundled.stats}
    assert len(expected) == len(bundled.stats)
    for label, written, value, unit, qualifier, _as_of, sector, fact_id in rows:
        stat = expected.pop((fact_id, written, label))
        assert (unit, sector) == (stat.unit, bundled.sector(bundled.fact(fact_id).sector).name)
        assert qualifier == {"exact": "精确", "more_than": "以上", "about": "约", "range": "区间"}[stat.qualifier.value]
        if stat.qualifier is Qualifier.MORE_THAN:
            assert value == f"> {stat.value:,}"
        elif stat.qualifier is Qualifier.RANGE:
            assert value == f"{stat.low:,} – {stat.high:,}"
        elif stat.qualifier is Qualifier.ABOUT:
            assert value == f"≈ {stat.value:,}"
        else:
            assert value == f"{stat.value:,}"
    assert expected == {}


def test_markdown_timeline_parses_back_to_the_facts(run, bundled):
    result = run("timeline", "--format", "markdown")
    blocks = markdown_blocks(result.stdout)
    tables = [content for kind, content in blocks if kind == "table"]
    years = [content for kind, content in blocks if kind == "h3"]
    assert years == sorted(years) and years[0] == "2010"
    rows = [row for table in tables for row in table[1:]]
    assert [row[3] for row in rows] == [r["id"] for r in as_json(run("timeline", "--format", "json"))]
    for date, title, sector, fact_id in rows:
        fact = bundled.fact(fact_id)
        assert (title, sector) == (fact.title, bundled.sector(fact.sector).name)  # the sector by its name
        if fact.when is not None:
            assert date.startswith(str(fact.when))
        else:  # standing facts close the timeline, shown "as of" their date
            assert date.startswith(f"截至 {fact.as_of}")


def test_csv_stats_numbers_and_bom_only_in_files(run, tmp_path):
    result = run("stats", "--format", "csv")
    assert not result.stdout.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    investment = next(row for row in rows if row["text"] == "8.4亿元")
    assert (investment["value"], investment["low"], investment["high"]) == ("840000000", "840000000", "840000000")
    target = tmp_path / "stats.csv"
    assert run("stats", "--format", "csv", "-o", str(target)).exit_code == 0
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig") == result.stdout


def test_timeline_dates_at_their_precision_and_undated_mentioned(run):
    result = run("--lang", "en", "timeline")
    assert "2023-04 – 2025 (inferred)" in result.stdout
    assert "2025-08-09" in result.stdout
    assert "2023-04-01" not in result.stdout
    assert "undated facts not shown (use --undated" in result.stdout
    assert "Undated" in run("--lang", "en", "timeline", "--undated").stdout


def test_timeline_window_filters(run):
    records = as_json(
        run("--facts", str(VALID), "timeline", "--from", "2024-08", "--to", "2024-08", "--format", "json")
    )
    assert [r["id"] for r in records] == ["programme-since-2010", "incubator-opens", "cataract-surgery"]


def test_search_finds_the_same_cataract_facts_three_ways(run):
    found = [
        {r["id"] for r in as_json(run("search", query, "--format", "json"))}
        for query in ("白内障", "cataract", "baineizhang")
    ]
    assert found[0] and found[0] == found[1] == found[2]


def test_search_no_match_exits_1(run):
    result = run("--lang", "en", "search", "不存在的词语")
    assert result.exit_code == 1
    assert "no fact matches" in result.stderr
    assert "没有事实匹配" in run("search", "不存在的词语").stderr  # in the language chosen
    assert result.stdout == ""
    assert json.loads(run("search", "不存在的词语", "--format", "json").stdout) == []


def test_show_in_both_languages_with_source(run, bundled):
    result = run("--lang", "both", "show", "pengcheng-lab-kashgar-node")
    fact = bundled.fact("pengcheng-lab-kashgar-node")
    section = bundled.source(fact.source.id).section(fact.source.section)
    text = "".join(result.stdout.split())
    for expected in (fact.title, fact.title_en, fact.summary, fact.summary_en, "深圳侨报", section.name, "2025-08-09"):
        assert "".join(expected.split()) in text


def test_show_gives_the_reason_a_figure_is_dated_as_it_is(run):
    result = run("--facts", str(VALID), "--lang", "en", "show", "incubator-opens")
    assert result.exit_code == 0
    # The figure in English (its original is in the table above); the reason quotes the source as written.
    assert "Why a date is inferred: CNY 840 million: “目前” in an article written in 2025" in " ".join(
        result.stdout.split()
    )


@pytest.mark.parametrize("columns", ["abc", "-5", "0", ""])
@pytest.mark.parametrize("args", [["stats", "--chart"], ["timeline", "--chart"], ["timeline"], ["stats"]])
def test_an_unusable_columns_variable_is_ignored(run, columns, args):
    result = run(*args, env={"COLUMNS": columns})
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) > 5 and max(map(len, lines)) > 20


def test_unknown_id_names_the_closest(run):
    result = run("show", "pengcheng-lab")
    assert result.exit_code == 1
    assert "pengcheng-lab-kashgar-node" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["timeline", "--from", "2024-13"],
        ["timeline", "--sector", "nope"],
        ["timeline", "--format", "yaml"],
        ["stats", "--sort", "size"],
        ["--lang", "fr", "timeline"],
        ["--facts", "/nonexistent/dir", "timeline"],
    ],
)
def test_usage_errors_exit_2(run, args):
    result = run(*args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_lang_environment_variable(run):
    english = run("timeline", env={"SHENKA_LANG": "en"})
    assert "Timeline" in english.stdout
    both = as_json(run("--lang", "both", "search", "喀什", "--format", "json"))
    assert both


def test_sector_filter_on_stats(run, bundled):
    records = as_json(run("stats", "--sector", "livelihood", "--format", "json"))
    assert records and {r["sector"] for r in records} == {"livelihood"}


def test_invalid_fact_base_exits_2_with_the_problems(run, tmp_path):
    broken = tmp_path / "facts"
    broken.mkdir()
    for name in ("sectors.toml", "sources.toml"):
        (broken / name).write_text((VALID / name).read_text())
    (broken / "facts.toml").write_text('[[fact]]\nid = "x"\n')
    result = run("--facts", str(broken), "timeline")
    assert result.exit_code == 2
    assert "missing required field" in result.stderr
    validate = run("validate", str(broken))
    assert validate.exit_code == 1
    assert validate.stdout.strip().splitlines()[-1].startswith("3 files, 0 facts, 0 statistics,")


def test_validate_counts_one_of_each_in_the_singular(run, tmp_path):
    mine = tmp_path / "my-facts"
    assert run("new", "--sector", "livelihood", "--from-figure", "990余名", "-o", str(mine / "new.toml")).exit_code == 0
    validate = run("validate", str(mine))
    assert "1 file, 1 fact, 1 statistic, 6 problems, 0 warnings" in validate.stdout.splitlines()


def test_validate_bundled_counts(run):
    result = run("validate")
    assert result.exit_code == 0
    summary = result.stdout.strip().splitlines()[-1]
    files, facts, stats = (int(part.split()[0]) for part in summary.split(", ")[:3])
    assert facts >= 40 and stats >= 30


def test_validate_usage_error_for_missing_path(run):
    assert run("validate", "/nonexistent/facts").exit_code == 2


def test_version(run):
    from shenka_cli import __version__

    assert run("--version").stdout.strip() == f"shenka {__version__}"


def test_shell_completion_offers_sectors_facts_places_and_tags(run):
    from shenka_cli.cli import options

    class Root:
        params = {"facts": [str(VALID)]}

    class Context:
        def find_root(self):
            return Root()

    context = Context()
    assert options.complete_sector(context, "li") == ["livelihood"]
    assert options.complete_fact(context, "cata") == ["cataract-surgery"]
    assert options.complete_place(context, "塔") == ["塔什库尔干塔吉克自治县"]
    assert options.complete_tag(context, "fi") == ["first"]
    completion = run("--help")
    assert "--install-completion" in completion.stdout


def test_shell_completion_never_waits_for_a_cache_build(run, tmp_path, monkeypatch):
    """A large base (here every base counts as large) is completed from its cache once that is fresh, and not at
    all before: a Tab must not wait a minute for a build."""
    import shutil

    from shenka_cli.cli import options
    from shenka_cli.core import store

    monkeypatch.setattr(store, "SMALL_BASE_BYTES", 0)
    facts = tmp_path / "facts"
    shutil.copytree(VALID, facts)

    class Root:
        params = {"facts": [str(facts)]}

    class Context:
        def find_root(self):
            return Root()

    assert options.complete_sector(Context(), "li") == []
    assert not store.database_path([facts]).exists()
    assert run("--facts", str(facts), "sectors").exit_code == 0
    assert options.complete_sector(Context(), "li") == ["livelihood"]
