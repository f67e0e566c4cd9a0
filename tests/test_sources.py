"""`shenka sources` (present/sources and end to end) and `show` listing every citation."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from shenka_cli.core.loader import load
from shenka_cli.present.sources import by_date, citation_lines, citing_counts

from .conftest import BUNDLED, DATA
from .mdparse import markdown_blocks

V2 = DATA / "v2"
HAN = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture(scope="module")
def bundled():
    return load([BUNDLED]).base


def test_counts_and_order():
    base = load([V2]).base
    counts = citing_counts(base.facts)
    assert counts == {"test-source": 4, "second-source": 1}
    assert [source.id for source in by_date(base.sources)] == ["second-source", "test-source"]


def test_citation_lines_name_every_source_and_section():
    base = load([V2]).base
    lines = citation_lines(base.sources, base.fact("cadres-by-2020")).splitlines()
    assert lines[0].startswith("[1] second-source: 新华社: 第二来源 (2020-08-26); 第二段 Paragraph 2")
    assert lines[1].startswith("[2] test-source: 测试报: 测试来源 (2025); 导语 Lead (gives the total only)")


def test_bundled_sources_span_2010_to_2025(run, bundled):
    records = json.loads(run("sources", "--format", "json").stdout)
    assert len(records) >= 7
    years = [int(record["date"][:4]) for record in records]
    assert years == sorted(years) and years[0] == 2010 and years[-1] == 2025
    counts = citing_counts(bundled.facts)
    for record in records:
        assert record["facts"] == counts.get(record["id"], 0) > 0
        assert record["outlet"] and record["outlet_en"] and record["title"] and record["title_en"]
        assert record["reliability_en"] and record["read_en"]
        assert record["date_precision"] in ("day", "month", "year")
    assert list(records[0]) == [
        "id",
        "date",
        "date_precision",
        "date_inferred",
        "date_inferred_reason_en",
        "outlet",
        "outlet_en",
        "title",
        "title_en",
        "language",
        "url",
        "authors",
        "reliability_en",
        "read_en",
        "sections",
        "facts",
    ]


def test_csv_and_markdown(run):
    rows = list(csv.DictReader(io.StringIO(run("--lang", "en", "sources", "-f", "csv").stdout.lstrip("\ufeff"))))
    assert {"id", "date", "date_precision", "outlet_en", "title_en", "reliability_en", "read_en", "facts"} <= set(
        rows[0]
    )
    assert rows[0]["date"] == "2010-06-07" and int(rows[0]["facts"]) > 0
    blocks = markdown_blocks(run("--lang", "en", "sources", "-f", "markdown").stdout)
    header, *body = next(content for kind, content in blocks if kind == "table")
    assert header[:4] == ["ID", "Date", "Outlet", "Title"] and len(body) == len(rows)


def test_chinese_leaves_the_english_notes_out_and_says_where_they_are(run):
    result = run("--lang", "zh", "sources", "-f", "markdown")
    blocks = markdown_blocks(result.stdout)
    header, *_ = next(content for kind, content in blocks if kind == "table")
    assert "可靠性" not in header and "Reliability" not in header
    assert any("reliability_en" in content for kind, content in blocks if kind == "p")


def test_english_titles_and_outlets(run):
    blocks = markdown_blocks(run("--lang", "en", "sources", "-f", "markdown").stdout)
    header, *body = next(content for kind, content in blocks if kind == "table")
    for row in body:
        cells = dict(zip(header, row, strict=True))
        for column in ("Outlet", "Title", "Language", "Authors"):
            assert not HAN.search(cells[column]), (column, cells[column])


def test_fields(run):
    records = json.loads(run("sources", "-f", "json", "--fields", "id,facts").stdout)
    assert all(list(record) == ["id", "facts"] for record in records)


def test_show_lists_every_citation(run):
    result = run("--facts", str(V2), "--lang", "both", "show", "cadres-by-2020", "--format", "markdown")
    assert result.exit_code == 0, result.output
    table = next(content for kind, content in markdown_blocks(result.stdout) if kind == "table")
    cited = dict((row[0], row[1]) for row in table[1:])["出处 Sources"]
    assert "[1] second-source" in cited and "第二段 Paragraph 2" in cited
    assert "[2] test-source" in cited and "(gives the total only)" in cited


def test_bundled_show_of_a_fact_with_two_sources(run):
    text = run("show", "anniversaries-2025", "--format", "markdown").stdout
    assert "szqb-kunlun-2025" in text and "szxczx-2025-new-chapter" in text


def coverage_of(run, text: str, *args: str):
    result = run("--facts", str(V2), "coverage", "-", *args, "--format", "json", input=text)
    return result.exit_code, {record["text"]: record["covered_by"] for record in json.loads(result.stdout)}


def test_coverage_of_one_source_counts_only_its_facts(run):
    text = "截至目前共2023人。\n"
    assert coverage_of(run, text, "--source", "test-source") == (0, {"2023人": ["cadres-by-2025"]})
    assert coverage_of(run, text, "--source", "second-source") == (1, {"2023人": []})


def test_coverage_counts_every_citation_of_a_fact(run):
    """1188人 is held by a fact whose first citation is another source: the text is its second source."""
    status, covered = coverage_of(run, "其中有1188人。\n", "--source", "test-source")
    assert (status, covered) == (0, {"1188人": ["cadres-by-2020"]})
    assert coverage_of(run, "其中有1188人。\n")[1] == {"1188人": []}


def test_coverage_of_an_unknown_source_is_a_usage_error(run):
    result = run("--facts", str(V2), "coverage", "-", "--source", "test-sourse", input="2023人\n")
    assert result.exit_code == 2 and "test-source" in result.stderr
