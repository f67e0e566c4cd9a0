"""Measures across the years: core/series (points, order, flags), present/series and `shenka series` end to end."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from shenka_cli.core.loader import load
from shenka_cli.core.model import Qualifier
from shenka_cli.core.series import FlagKind, UnknownMeasure, build_series, find_measure

from .conftest import DATA
from .mdparse import markdown_blocks

SERIES = DATA / "series"
HAN = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture(scope="module")
def base():
    loaded = load([SERIES])
    assert loaded.errors == []
    return loaded.base


def by_id(found):
    return {series.id: series for series in found}


def test_points_in_time_order_with_every_source(base):
    funds = by_id(build_series(base.measures, base.facts))["aid-funds-cumulative"]
    assert [point.date.iso for point in funds.points] == ["2019-05-07", "2020-08-26", "2020-08-26", "2023"]
    first = funds.points[0]
    assert (first.value, first.qualifier, first.fact_id) == (8000000000, Qualifier.MORE_THAN, "funds-2019")
    cited = next(point for point in funds.points if point.fact_id == "totals-2020")
    assert [citation.id for citation in cited.sources] == ["second-source", "test-source"]


def test_a_period_counts_at_its_end(base):
    cadres = by_id(build_series(base.measures, base.facts))["cadres-sent-cumulative"]
    last = cadres.points[-1]
    assert (last.date.iso, str(last.when), last.value) == ("2025", "2010 – 2025", 2023)


def test_conflict_and_decrease_are_flagged(base):
    funds = by_id(build_series(base.measures, base.facts))["aid-funds-cumulative"]
    kinds = {flag.kind: flag for flag in funds.flags}
    assert kinds[FlagKind.CONFLICT].dates == ("2020-08-26",)
    assert set(kinds[FlagKind.CONFLICT].facts) == {"funds-2020-other", "totals-2020"}
    assert kinds[FlagKind.DECREASE].dates == ("2020-08-26", "2023")
    assert kinds[FlagKind.DECREASE].facts[1] == "funds-2023"


def test_a_lower_bound_never_makes_a_decrease(base):
    """'more than 8 billion' in 2019 may be any larger number: no later figure is certainly below it."""
    funds = by_id(build_series(base.measures, base.facts))["aid-funds-cumulative"]
    decrease = next(flag for flag in funds.flags if flag.kind is FlagKind.DECREASE)
    assert "funds-2019" not in decrease.facts


def test_units_are_never_joined(base):
    found = by_id(build_series(base.measures, base.facts))
    people, apart, trips = (
        found["cadres-sent-cumulative"],
        found["cadres-sent-cumulative@人次"],
        found["cadres-sent-trips-cumulative"],
    )
    assert {point.unit for point in people.points} == {"人"}
    assert [point.value for point in apart.points] == [1500] and apart.unit == "人次"
    assert [point.value for point in trips.points] == [1629]
    others = {flag.other for flag in people.flags if flag.kind is FlagKind.UNIT}
    assert others == {"cadres-sent-cumulative@人次", "cadres-sent-trips-cumulative"}
    assert [flag.units for flag in trips.flags] == [("人次", "人")]


def test_undated_values_are_left_out_and_one_measure_chosen(base):
    annual = build_series(base.measures, base.facts, "aid-funds-annual")
    assert [series.id for series in annual] == ["aid-funds-annual"] and annual[0].points == ()


@pytest.mark.parametrize("name", ["aid-funds-cumulative", "累计投入援疆资金", "aid funds, CUMULATIVE"])
def test_a_measure_by_id_or_either_name(base, name):
    assert find_measure(base.measures, name).id == "aid-funds-cumulative"


def test_an_unknown_measure_suggests(base):
    with pytest.raises(UnknownMeasure) as raised:
        find_measure(base.measures, "aid-fund-cumulativ")
    assert "aid-funds-cumulative" in (raised.value.hint or "")


# End to end.


def series_json(run, *args):
    result = run("--facts", str(SERIES), "series", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_json_contract(run):
    records = series_json(run)
    assert [record["series"] for record in records][:3] == [
        "cadres-sent-cumulative",
        "cadres-sent-cumulative@人次",
        "cadres-sent-trips-cumulative",
    ]
    funds = next(record for record in records if record["series"] == "aid-funds-cumulative")
    assert list(funds) == [
        "series",
        "measure",
        "name",
        "name_en",
        "unit",
        "measure_unit",
        "cumulative",
        "points",
        "flags",
    ]
    point = funds["points"][2]
    assert point["fact"] == "totals-2020" and point["value"] == 12300000000
    assert point["sources"] == [
        {"id": "second-source", "section": "para-2", "note": None},
        {"id": "test-source", "section": "industry", "note": "repeats the totals"},
    ]
    assert funds["points"][0]["qualifier"] == "more_than" and funds["points"][0]["high"] is None
    kinds = [flag["kind"] for flag in funds["flags"]]
    assert kinds == ["conflict", "decrease"]
    assert all(flag["note"] and flag["note_en"] for flag in funds["flags"])


def test_csv_one_row_per_point(run):
    result = run("--facts", str(SERIES), "--lang", "en", "series", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    funds = [row for row in rows if row["series"] == "aid-funds-cumulative"]
    assert [row["value"] for row in funds] == ["8000000000", "12000000000", "12300000000", "10000000000"]
    assert funds[2]["sources"] == "second-source#para-2; test-source#industry"
    assert funds[0]["flags"] == "conflict decrease"
    assert {row["unit"] for row in rows if row["series"] == "cadres-sent-cumulative@人次"} == {"人次"}


def test_markdown_tables_and_flags(run):
    result = run("--facts", str(SERIES), "--lang", "en", "series", "aid-funds-cumulative", "--format", "markdown")
    blocks = markdown_blocks(result.stdout)
    tables = [content for kind, content in blocks if kind == "table"]
    assert len(tables) == 1
    header, *rows = tables[0]
    assert header[:2] == ["Date", "Value"] and len(rows) == 4
    assert rows[0][1] == "more than CNY 8 billion"  # in English words, from the unit registry (issue 11)
    chinese = run("--facts", str(SERIES), "series", "aid-funds-cumulative", "--format", "markdown").stdout
    assert [content for kind, content in markdown_blocks(chinese) if kind == "table"][0][1][1] == "> 8,000,000,000"
    text = " ".join(content for kind, content in blocks if kind == "p")
    assert "Sources disagree" in text and "goes down" in text


def test_fields_and_output_file(run, tmp_path):
    target = tmp_path / "funds.csv"
    result = run(
        "--facts", str(SERIES), "series", "aid-funds-cumulative", "--fields", "date,value,fact", "-o", str(target)
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["date", "value", "fact"] and rows[1] == ["2019-05-07", "8000000000", "funds-2019"]
    keys = json.loads(run("--facts", str(SERIES), "series", "--format", "json", "--fields", "series,flags").stdout)
    assert all(list(record) == ["series", "flags"] for record in keys)


def test_unknown_measure_is_a_usage_error_with_a_suggestion(run):
    result = run("--facts", str(SERIES), "series", "aid-fund-cumulativ")
    assert result.exit_code == 2
    assert "did you mean aid-funds-cumulative" in result.stderr


def test_a_measure_with_no_value_finds_nothing(run):
    result = run("--facts", str(SERIES), "series", "年度援疆资金", "--format", "json")
    assert (result.exit_code, json.loads(result.stdout)) == (1, [])


def test_chart_marks_lower_bounds_and_flags(run):
    result = run("--facts", str(SERIES), "--lang", "en", "series", "--chart")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    bound = next(line for line in lines if "funds-2019" in line)
    assert "≥ 8,000,000,000" in bound and "+" in bound
    assert any(line.startswith("+ and ≥: a lower bound") for line in lines)
    assert any(line.startswith("! Sources disagree") for line in lines)
    assert sum("Not comparable" in line for line in lines) >= 3


def test_chart_is_not_data(run):
    assert run("--facts", str(SERIES), "series", "--chart", "--format", "csv").exit_code == 2


def without_originals(text: str) -> str:
    """Text less what may be Chinese in English output: originals in parentheses, the unit in a series id."""
    return re.sub(r"\([^()]*\)", "", text.replace("@人次", ""))


def test_english_markdown_has_chinese_only_as_the_original(run):
    result = run("--lang", "en", "series", "--format", "markdown")
    for kind, content in markdown_blocks(result.stdout):
        if kind != "table":
            assert not HAN.search(without_originals(content)), content
            continue
        header, *rows = content
        for row in rows:
            for title, cell in zip(header, row, strict=True):
                if title != "As written (original)":
                    assert not HAN.search(without_originals(cell)), (title, cell)


def test_english_csv_has_chinese_only_as_the_original(run):
    result = run("--lang", "en", "series", "--format", "csv")
    for row in csv.DictReader(io.StringIO(result.stdout.lstrip("\ufeff"))):
        for key, cell in row.items():
            if key not in ("text", "unit"):  # the figure as written and the unit as stored
                assert not HAN.search(without_originals(cell)), (key, cell)


def test_bundled_series_grow_and_are_cited(run):
    """The issue's done-when: cadres, funds and projects grow from 2019 on, every point cited, 人/人次 apart."""
    records = {record["series"]: record for record in json.loads(run("series", "--format", "json").stdout)}
    for name in ("cadres-sent-cumulative", "aid-funds-cumulative", "aid-projects-cumulative"):
        points = [point for point in records[name]["points"] if point["date"] >= "2019"]
        assert len(points) >= 3, name
        values = [point["value"] for point in points]
        assert values == sorted(values), name
        assert all(point["sources"] for point in points)
        assert not [flag for flag in records[name]["flags"] if flag["kind"] == "decrease"]
    assert records["cadres-sent-cumulative"]["points"][-1]["date"] == "2025"
    assert records["aid-projects-cumulative"]["points"][-1]["date"] == "2025"
    trips = records["cadres-sent-trips-cumulative"]
    assert trips["unit"] == "人次"
    assert any(flag["kind"] == "unit" and flag["other"] == "cadres-sent-cumulative" for flag in trips["flags"])


# The briefing's series section and the HTML page's drawings.


def test_report_has_a_series_section_citing_every_point(run):
    from .mdparse import markdown_blocks as blocks_of

    result = run("--facts", str(SERIES), "--lang", "en", "report")
    assert result.exit_code == 0, result.output
    blocks = blocks_of(result.stdout, fences=True)
    headings = [content for kind, content in blocks if kind == "h2"]
    assert headings.index("Series") == headings.index("Headline figures") + 1
    start = blocks.index(("h2", "Series"))
    end = next(index for index, block in enumerate(blocks) if index > start and block[0] == "h2")
    section = blocks[start:end]
    titles = [content for kind, content in section if kind == "h3"]
    assert titles[0].startswith("Cadres sent, cumulative [cadres-sent-cumulative]")
    tables = [content for kind, content in section if kind == "table"]
    funds = tables[titles.index(next(t for t in titles if "[aid-funds-cumulative]" in t))]
    assert [row[4] for row in funds[1:]] == ["funds-2019", "funds-2020-other", "totals-2020", "funds-2023"]
    assert funds[3][5] == "second-source, Paragraph 2; test-source, Strengthening industry"
    notes = [content for kind, content in section if kind == "p"]
    assert any(note.startswith("! Sources disagree") for note in notes)
    assert sum(note.startswith("! Not comparable") for note in notes) >= 3


def test_the_html_page_draws_each_series(run):
    import xml.etree.ElementTree as ElementTree

    page = run("--facts", str(SERIES), "--lang", "en", "report", "--format", "html").stdout
    section = page[page.index('<section id="series">') :]
    section = section[: section.index("</section>")]
    svgs = re.findall(r'<svg [^>]*class="series".*?</svg>', section, flags=re.DOTALL)
    assert len(svgs) == 4  # the four series with dated values
    funds = next(svg for svg in svgs if "funds-2019" in svg)
    root = ElementTree.fromstring(funds)
    links = root.findall("{http://www.w3.org/2000/svg}a")
    assert [link.get("data-fact") for link in links] == ["funds-2019", "funds-2020-other", "totals-2020", "funds-2023"]
    assert links[0].get("class") == "point lower-bound" and "≥ 8,000,000,000" in funds
    assert 'href="#series"' in page and "https://" not in section and "http://www.w3.org/2000/svg" in section


def test_series_of_a_filtered_briefing_hold_only_its_facts(run):
    text = run("--facts", str(SERIES), "--lang", "en", "report", "--source", "second-source").stdout
    assert "funds-2019" not in text.split("## Series")[1].split("\n## ")[0]
