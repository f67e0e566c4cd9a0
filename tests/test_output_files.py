"""Output files: the format from the extension, `-o -` as standard output, and CSV that holds everything."""

from __future__ import annotations

import csv
import io
import json

import pytest

from .mdparse import markdown_blocks


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


@pytest.fixture
def here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    ("command", "name"),
    [
        (["stats"], "stats.csv"),
        (["timeline"], "x.json"),
        (["search", "喀什"], "hits.jsonl"),
        (["sectors"], "sectors.md"),
        (["show", "pengcheng-lab-kashgar-node"], "fact.svg"),
        (["timeline"], "timeline.html"),
        (["timeline", "--chart"], "chart.svg"),
    ],
)
def test_the_extension_names_the_format(run, here, command, name):
    result = run(*command, "-o", name)
    assert result.exit_code == 0, result.output
    text = (here / name).read_text(encoding="utf-8")
    if name.endswith(".csv"):
        rows = csv_rows(text)
        assert rows and {"label", "text", "value", "unit", "qualifier", "fact"} <= set(rows[0])
        assert int(rows[0]["value"]) > 0  # a number, not display text such as "25,000"
    elif name.endswith(".json"):
        assert json.loads(text)[0]["id"]
    elif name.endswith(".jsonl"):
        assert all(json.loads(line)["id"] for line in text.splitlines())
    elif name.endswith(".md"):
        assert any(block[0] == "table" for block in markdown_blocks(text))
    elif name.endswith(".svg"):
        assert text.lstrip().startswith("<svg")
    else:
        assert "<html" in text.lower()


def test_an_explicit_format_that_contradicts_the_extension_is_a_usage_error(run, here):
    result = run("timeline", "--format", "csv", "-o", "y.json")
    assert result.exit_code == 2
    assert "--format csv" in result.stderr and "y.json" in result.stderr
    assert not (here / "y.json").exists()


def test_an_explicit_format_that_agrees_or_an_unknown_extension_is_fine(run, here):
    assert run("timeline", "--format", "json", "-o", "a.json").exit_code == 0
    json.loads((here / "a.json").read_text(encoding="utf-8"))
    assert run("timeline", "--format", "csv", "-o", "a.txt").exit_code == 0
    assert csv_rows((here / "a.txt").read_text(encoding="utf-8"))
    assert run("timeline", "-o", "plain.txt").exit_code == 0
    assert "aid-programme-since-2010" in (here / "plain.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "command",
    [
        ["timeline", "--format", "json"],
        ["stats", "--format", "csv"],
        ["report"],
        ["new", "--sector", "livelihood"],
        ["timeline", "--chart"],
    ],
)
def test_dash_is_standard_output(run, here, command):
    result = run(*command, "-o", "-")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip()
    assert not (here / "-").exists()
    if "json" in command:
        json.loads(result.stdout)


def test_timeline_csv_dates_are_iso_columns_as_in_json(run):
    rows = csv_rows(run("timeline", "--undated", "--format", "csv").stdout)
    records = json.loads(run("timeline", "--undated", "--format", "json").stdout)
    assert [row["id"] for row in rows] == [record["id"] for record in records]
    for row, record in zip(rows, records, strict=True):
        period = record["period"] or {}
        assert row["date"] == (record["date"] or "")
        assert row["period_start"] == period.get("start", "")
        assert row["period_end"] == period.get("end", "")
        assert row["date_precision"] == (record["date_precision"] or "")
        assert row["date_inferred"] == ("true" if record["date_inferred"] else "false")
    assert not any("推断" in value or "[" in value for row in rows for value in (row["date"], row["period_end"]))


def _stat_key(row: dict[str, str]) -> tuple[str, str, str]:
    return (row["id"], row["label"], row["text"])


@pytest.mark.parametrize("command", [["show", "aid-programme-since-2010"], ["sectors", "livelihood"]])
def test_show_and_sector_csv_hold_every_statistic_with_its_fact(run, command):
    text = run(*command, "--format", "csv").stdout
    header = text.splitlines()[0].split(",")
    assert len(header) == len(set(header)), header  # every column once
    rows = csv_rows(text)
    records = json.loads(run(*command, "--format", "json").stdout)
    expected_stats = {(r["id"], s["label"], s["text"]) for r in records for s in r["stats"]}
    assert expected_stats
    assert {_stat_key(row) for row in rows if row["text"]} == expected_stats
    assert {row["id"] for row in rows} == {record["id"] for record in records}  # facts without stats too
    by_id = {record["id"]: record for record in records}
    for row in rows:
        fact = by_id[row["id"]]
        assert row["date"] == (fact["date"] or "") and row["sector"] == fact["sector"]
        if row["text"]:
            stat = next(s for s in fact["stats"] if (s["label"], s["text"]) == (row["label"], row["text"]))
            assert row["value"] == ("" if stat["value"] is None else str(stat["value"]))
            assert row["qualifier"] == stat["qualifier"] and row["unit"] == stat["unit"]
            assert row["stat_as_of"] == (stat["as_of"] or "")


def test_sectors_json_has_the_headline_figures(run):
    records = json.loads(run("sectors", "--format", "json").stdout)
    rows = csv_rows(run("sectors", "--format", "csv").stdout)
    assert list(records[0])[:7] == ["id", "name", "name_en", "facts", "stats", "first_date", "last_date"]
    for record, row in zip(records, rows, strict=True):
        texts = [stat["label"] for stat in record["headline"]]  # each headline figure, by its label
        assert all(text in row["headline"] for text in texts)
        assert len(texts) == min(3, row["headline"].count("；") + 1 if row["headline"] else 0)
    assert any(record["headline"] for record in records)
