"""--format jsonl (the JSON records, one a line, streamed) and --fields (keys and columns chosen and ordered)."""

from __future__ import annotations

import csv
import io
import json

import pytest

from shenka_cli.core.loader import load
from shenka_cli.present.document import Column, Document, Listing, Row
from shenka_cli.present.views import FACT_KEYS, SECTOR_KEYS, STAT_KEYS, fact_record, sector_record, stat_record
from shenka_cli.render import Format, renderer
from shenka_cli.render.jsonl import render_jsonl

from .conftest import BUNDLED
from .helpers import FACT_KEYS as CONTRACT_FACT_KEYS
from .helpers import LISTING_COMMANDS
from .helpers import STAT_KEYS as CONTRACT_STAT_KEYS
from .mdparse import markdown_blocks


@pytest.fixture(scope="module")
def bundled():
    return load([BUNDLED]).base


def ok(result) -> str:
    assert result.exit_code == 0, result.output
    return result.stdout


def lines_of(text: str) -> list[dict]:
    assert text.endswith("\n") or not text
    return [json.loads(line) for line in text.splitlines()]


# --- JSON Lines -------------------------------------------------------------------------------------------


def test_jsonl_is_registered():
    assert renderer(Format.JSONL) is render_jsonl


@pytest.mark.parametrize("command", LISTING_COMMANDS, ids=" ".join)
def test_jsonl_holds_the_json_records_one_a_line(run, command):
    records = json.loads(ok(run(*command, "--format", "json")))
    assert lines_of(ok(run(*command, "--format", "jsonl"))) == records


def test_search_as_jsonl_gives_titles_to_jq(run, bundled):
    titles = [record["title"] for record in lines_of(ok(run("search", "喀什", "--format", "jsonl")))]
    assert titles and all(title in {fact.title for fact in bundled.facts} for title in titles)


def test_jsonl_streams_records_as_they_are_built():
    built: list[int] = []

    def records():
        for number in range(3):
            built.append(number)
            yield {"n": number, "text": "\u202eevil\x1b[31m"}

    lines = render_jsonl(Document((), records))
    first = next(lines)
    assert built == [0]  # nothing built beyond the first line
    assert json.loads(first) == {"n": 0, "text": "\u202eevil\x1b[31m"}
    assert "\u202e" not in first and "\x1b" not in first  # escaped, as in the JSON output
    assert [json.loads(line)["n"] for line in lines] == [1, 2]


def test_jsonl_to_a_file_and_nothing_found(run, tmp_path):
    target = tmp_path / "facts.jsonl"
    assert run("timeline", "--format", "jsonl", "-o", str(target)).exit_code == 0
    assert lines_of(target.read_text(encoding="utf-8")) == json.loads(ok(run("timeline", "--format", "json")))
    empty = run("search", "没有这个词语", "--format", "jsonl")
    assert (empty.exit_code, empty.stdout) == (1, "")


# --- declared keys ------------------------------------------------------------------------------------------


def test_declared_keys_are_the_keys_of_the_records(bundled):
    assert list(FACT_KEYS) == CONTRACT_FACT_KEYS and list(STAT_KEYS) == CONTRACT_STAT_KEYS
    for fact in bundled.facts:
        assert tuple(fact_record(fact)) == FACT_KEYS
        for stat in fact.stats:
            assert tuple(stat_record(stat, fact.sector)) == STAT_KEYS
    from shenka_cli.core.query import sector_summaries

    for summary in sector_summaries(bundled, bundled.facts):
        assert tuple(sector_record(summary)) == SECTOR_KEYS


@pytest.mark.parametrize("facts", ["bundled", "own units"])
@pytest.mark.parametrize("cache", ["1", "0"], ids=["cached", "uncached"])
def test_statistic_records_give_the_english_figure_and_unit_as_the_english_csv_does(run, facts, cache, tmp_path):
    """text_en and unit_en of every statistic object (stats, and within facts and sectors' headlines) are the
    English figure and unit name of the fact base's own unit table: what `--lang en` CSV holds."""
    import shutil

    from .conftest import REPO

    path = str(BUNDLED)
    if facts == "own units":  # a unit table that names 人 otherwise than the bundled one
        shutil.copytree(REPO / "tests" / "data" / "v2", tmp_path / "v2")
        units = tmp_path / "v2" / "units.toml"
        units.write_text(units.read_text(encoding="utf-8").replace('"people"', '"persons"'), encoding="utf-8")
        path = str(tmp_path / "v2")
    env = {"SHENKA_CACHE": cache, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    records = json.loads(ok(run("--facts", path, "stats", "--format", "json", env=env)))
    rows = list(
        csv.DictReader(io.StringIO(ok(run("--facts", path, "--lang", "en", "stats", "--format", "csv", env=env))))
    )
    assert len(records) == len(rows) > 1
    if facts == "own units":
        assert {record["unit_en"] for record in records} == {"persons"}
    english = [(row["fact"], row["text_en"], row["unit_en"]) for row in rows]
    assert [(record["fact"], record["text_en"], record["unit_en"]) for record in records] == english
    assert any(unit != f"({record['unit']})" for (_, _, unit), record in zip(english, records, strict=True))
    by_fact = {}
    for record in records:
        by_fact.setdefault(record["fact"], []).append((record["text_en"], record["unit_en"]))
    timeline = json.loads(ok(run("--facts", path, "timeline", "--undated", "--format", "json", env=env)))
    for fact in timeline:
        assert sorted((s["text_en"], s["unit_en"]) for s in fact["stats"]) == sorted(by_fact.get(fact["id"], []))
    for sector in json.loads(ok(run("--facts", path, "sectors", "--format", "json", env=env))):
        for stat in sector["headline"]:
            assert (stat["text_en"], stat["unit_en"]) in by_fact[stat["fact"]]


# --- --fields -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("format", ["json", "jsonl"])
def test_fields_choose_and_order_record_keys(run, format):
    full = json.loads(ok(run("timeline", "--format", "json")))
    text = ok(run("timeline", "--format", format, "--fields", "title,id,period"))
    records = json.loads(text) if format == "json" else lines_of(text)
    assert records == [{"title": r["title"], "id": r["id"], "period": r["period"]} for r in full]
    assert all(list(record) == ["title", "id", "period"] for record in records)


def test_fields_choose_and_order_csv_columns(run):
    full = list(csv.DictReader(io.StringIO(ok(run("stats", "--format", "csv")))))
    rows = list(csv.reader(io.StringIO(ok(run("stats", "--format", "csv", "--fields", "unit, value,fact")))))
    assert rows[0] == ["unit", "value", "fact"]
    assert rows[1:] == [[r["unit"], r["value"], r["fact"]] for r in full]


def test_fields_choose_and_order_table_columns(run):
    table = ok(run("--lang", "en", "timeline", "--fields", "id,date"))
    header = next(line for line in table.splitlines() if line.startswith("ID"))
    assert header.split() == ["ID", "Date"]
    assert "Title" not in table


def test_a_field_without_its_language_suffix_finds_the_chosen_language(run, bundled):
    table = ok(run("--lang", "both", "sectors", "--fields", "name", "--format", "csv"))
    assert table.splitlines()[0] == "name"  # with both languages sectors has both name columns: the exact key wins
    table = ok(run("--lang", "en", "sectors", "--fields", "name", "--format", "csv"))
    assert table.splitlines()[0] == "name_en"
    text = ok(run("--lang", "en", "timeline", "--format", "csv", "--fields", "title"))
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["title_en"]
    assert {row[0] for row in rows[1:]} <= {fact.title_en for fact in bundled.facts}


def test_fields_apply_to_every_listing_of_a_document(run):
    text = ok(run("--lang", "en", "sectors", "livelihood", "--format", "markdown", "--fields", "text,fact,id"))
    headers = [table[0] for kind, table in markdown_blocks(text) if kind == "table"]
    # the facts listing has only id, the statistics two
    assert headers == [["ID"], ["As written (original)", "Fact ID"]]


@pytest.mark.parametrize("format", ["json", "jsonl", "csv", "table"])
def test_unknown_field_is_a_usage_error_listing_the_valid_ones(run, format):
    result = run("stats", "--format", format, "--fields", "unit,colour")
    assert result.exit_code == 2 and result.stdout == ""
    assert "unknown field 'colour'" in result.stderr
    valid = result.stderr.split("valid fields: ")[1].strip().split(",")
    assert "unit" in valid and "value" in valid
    if format.startswith("json"):
        assert valid == list(STAT_KEYS)


def test_unknown_field_is_an_error_even_when_nothing_matches(run):
    result = run("timeline", "--from", "1990", "--to", "1991", "--format", "json", "--fields", "nope")
    assert result.exit_code == 2 and "valid fields: " + ",".join(FACT_KEYS) in result.stderr


@pytest.mark.parametrize("value", ["", " , "])
def test_no_field_is_a_usage_error(run, value):
    result = run("timeline", "--format", "json", "--fields", value)
    assert result.exit_code == 2 and "no field given" in result.stderr


def test_fields_with_a_chart_is_a_usage_error(run):
    result = run("stats", "--chart", "--fields", "unit")
    assert result.exit_code == 2 and "--fields" in result.stderr


def test_select_columns_keeps_the_primary_listing_for_csv():
    from shenka_cli.present.fields import select_columns

    first = Listing("a", (Column("x", "X"),), (Row({"x": 1}),))
    second = Listing("b", (Column("y", "Y"), Column("z", "Z")), (Row({"y": 2, "z": 3}),))
    narrowed = select_columns(Document((first, second), primary=1), ["z"], primary_only=True)
    assert [listing.title for listing in narrowed.listings] == ["b"]
    assert narrowed.primary == 0 and [c.key for c in narrowed.listings[0].columns] == ["z"]
