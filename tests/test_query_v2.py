"""Filters that speak both languages (--place with the places within it, --organisation, --person, --source),
and a timeline that keeps standing facts apart from events (issues 11 and 17)."""

from __future__ import annotations

import json

import pytest

from .conftest import DATA

V2 = str(DATA / "v2")


def ids_of(run, *args: str) -> set[str]:
    result = run("--facts", V2, "timeline", "--undated", "--format", "json", *args)
    assert result.exit_code in (0, 1), result.output
    return {record["id"] for record in json.loads(result.stdout or "[]")}


@pytest.mark.parametrize("name", ["Kashgar", "kashi", "喀什", "KASHGAR", "Ｋａｓｈｇａｒ"])
def test_a_place_by_any_name_includes_the_places_within_it(run, name):
    assert ids_of(run, "--place", name) == {"cadres-by-2020", "cadres-by-2025", "lab-node-opens", "border-guard-visit"}


@pytest.mark.parametrize("name", ["塔县", "Taxkorgan", "TASHKURGAN", "taxkorgan", "塔什库尔干塔吉克自治县"])
def test_a_county_by_any_of_its_names(run, name):
    assert ids_of(run, "--place", name) == {"cadres-by-2025", "border-guard-visit"}


def test_organisation_person_and_source_filters(run):
    assert ids_of(run, "--organisation", "鹏城实验室") == {"lab-node-opens"}
    assert ids_of(run, "--organisation", "peng cheng laboratory") == {"lab-node-opens"}
    assert ids_of(run, "--person", "Laqini Bayika") == {"border-guard-visit"}
    assert ids_of(run, "--source", "second-source") == {"cadres-by-2020"}
    assert ids_of(run, "--source", "test-source") == {
        "cadres-by-2020",
        "cadres-by-2025",
        "lab-node-opens",
        "border-guard-visit",
    }


@pytest.mark.parametrize(
    ("option", "name", "suggestion"),
    [
        ("--place", "Kashgr", "kashgar"),
        ("--organisation", "Pengcheng Lab", "peng-cheng-laboratory"),
        ("--person", "Laqini", "laqini-bayika"),
        ("--source", "second-sauce", "second-source"),
    ],
)
def test_an_unknown_name_is_a_usage_error_with_a_suggestion(run, option, name, suggestion):
    result = run("--facts", V2, "timeline", option, name)
    assert result.exit_code == 2, result.output
    assert name in result.stderr and suggestion in result.stderr
    assert "Traceback" not in result.stderr


def test_standing_facts_follow_the_events_under_as_of(run):
    result = run("--facts", V2, "--lang", "en", "timeline", "--format", "csv")
    assert result.exit_code == 0, result.output
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [row["id"] for row in rows] == ["cadres-by-2020", "lab-node-opens", "cadres-by-2025"]
    standing = rows[-1]
    assert (standing["date"], standing["as_of"], standing["period_start"]) == ("", "2025", "")
    table = run("--facts", V2, "--lang", "en", "timeline").stdout
    assert "As of 2025" in table and table.index("As of 2025") > table.index("2024-08")


def test_the_json_record_gives_as_of_every_citation_and_the_entities(run):
    records = json.loads(run("--facts", V2, "timeline", "--format", "json").stdout)
    by_id = {record["id"]: record for record in records}
    standing = by_id["cadres-by-2025"]
    assert (standing["as_of"], standing["date"], standing["period"]) == ("2025", None, None)
    assert standing["date_inferred"] is True
    assert standing["places"] == ["喀什市", "塔什库尔干塔吉克自治县", "深圳"]
    places = standing["entities"]["places"]
    assert places[1] == {
        "id": "taxkorgan",
        "name": "塔什库尔干塔吉克自治县",
        "name_en": "Taxkorgan Tajik Autonomous County",
        "kind": "county",
        "within": "kashgar-prefecture",
    }
    several = by_id["cadres-by-2020"]
    assert several["source"] == {"id": "second-source", "section": "para-2"}
    assert several["sources"] == [
        {"id": "second-source", "section": "para-2", "note": None},
        {"id": "test-source", "section": "导语", "note": "gives the total only"},
    ]
    assert by_id["lab-node-opens"]["as_of"] is None


def test_a_window_takes_a_standing_fact_by_its_as_of_date(run):
    assert ids_of(run, "--from", "2025") == {"cadres-by-2025"}
    assert ids_of(run, "--to", "2020") == {"cadres-by-2020"}
    assert ids_of(run, "--from", "2024", "--to", "2024") == {"lab-node-opens"}


def test_the_chart_and_sector_spans_count_events_and_periods_only():
    from shenka_cli.core.loader import load
    from shenka_cli.core.query import chronological, sector_summaries
    from shenka_cli.present.charts import timeline_chart

    base = load([DATA / "v2"]).base
    dated, _ = chronological(base.facts)
    chart = timeline_chart(dated, "en")
    labels = [bar.label for group in chart.groups for bar in group.bars]
    assert "2025" not in labels and "2024" in labels and "2010" in labels
    overview = next(s for s in sector_summaries(base, base.facts) if s.sector.id == "overview")
    assert (overview.first.iso, overview.last.iso) == ("2010", "2020-08")
