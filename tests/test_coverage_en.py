"""Coverage of English texts: core/coverage_en finds figures and dates of English lines; they match facts."""

from __future__ import annotations

import json

import pytest

from shenka_cli.core.coverage import find_all
from shenka_cli.core.model import Qualifier

TEXT = (
    "Updated: 2014-12-12 15:49\n"
    "The city plans to invest about 700 million yuan ($113.6 million) this year, 0.6 percent of its income.\n"
    "It has invested roughly 2.8 billion yuan in 127 projects since 2010, one of its 11 counties said on March 24.\n"
    "深圳累计派出援疆干部人才800多名\n"
)


def found_texts():
    return [(item.kind, item.text) for item in find_all(TEXT)]


def test_figures_and_dates_of_english_lines():
    assert found_texts() == [
        ("date", "2014-12-12"),
        ("quantity", "about 700 million"),
        ("quantity", "$113.6 million"),
        ("quantity", "0.6 percent"),
        ("quantity", "roughly 2.8 billion"),
        ("quantity", "127 projects"),
        ("date", "2010"),
        ("quantity", "11 counties"),
        ("date", "March 24"),
        ("quantity", "800多名"),
    ]


def test_what_each_says():
    by_text = {item.text: item for item in find_all(TEXT)}
    about = by_text["about 700 million"].figure
    assert (about.value, about.qualifier) == (700000000, Qualifier.ABOUT)
    assert by_text["127 projects"].figure.value == 127
    assert by_text["March 24"].date == (None, 3, 24)
    assert by_text["2014-12-12"].date == (2014, 12, 12)


@pytest.mark.parametrize(
    "line",
    ["Hainan Airlines flies the A330 there.", "It has one of the 5G networks.", "He said: two cities, one family."],
)
def test_not_figures(line):
    assert find_all(line + "\n") == []


def test_an_english_source_is_covered_by_its_facts(run):
    text = "The southern city has invested roughly 2.8 billion yuan in 127 projects since 2010, he added.\n"
    result = run("coverage", "-", "--source", "chinadaily-2014-shenzhen-invests", "--format", "json", input=text)
    assert result.exit_code == 0, result.output
    records = {record["text"]: record for record in json.loads(result.stdout)}
    assert records["roughly 2.8 billion"]["covered_by"] == ["aid-totals-2014"]
    assert records["127 projects"]["covered_by"] == ["aid-totals-2014"]


def test_an_english_figure_the_facts_lack_is_not_covered(run):
    result = run("coverage", "-", "--format", "json", input="Shenzhen sent about 9,999 volunteers to Kashgar.\n")
    assert result.exit_code == 1
    assert [record["covered_by"] for record in json.loads(result.stdout)] == [[]]
