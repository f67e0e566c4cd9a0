"""places, organisations, people and tags (issue 11): the counts, the documents, and the commands end to end,
their output parsed back and compared with the facts."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from shenka_cli.core.gazetteer import Gazetteer
from shenka_cli.core.loader import load
from shenka_cli.core.model import EntityCategory
from shenka_cli.core.tally import entity_counts, tag_counts
from shenka_cli.present.entities import ENTITY_KEYS, KIND_NAMES, TAG_KEYS, entities_document, tags_document
from shenka_cli.render.csv import render_csv
from shenka_cli.render.markdown import render_markdown

from .conftest import BUNDLED, DATA
from .mdparse import markdown_blocks

V2 = DATA / "v2"
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


@pytest.fixture(scope="module")
def v2():
    return load([V2]).base


@pytest.fixture(scope="module")
def bundled():
    return load([BUNDLED]).base


def by_id(counts):
    return {(count.entity if isinstance(count.entity, str) else count.entity.id): count for count in counts}


# --- core/tally.py ---------------------------------------------------------------------------------------


def test_places_count_their_own_facts_and_those_of_the_places_within(v2):
    counts = by_id(entity_counts(Gazetteer(v2.entities), v2.facts, EntityCategory.PLACE))
    # cadres-by-2020 names Kashgar and Shenzhen; cadres-by-2025 喀什市, TAXKORGAN, 深圳; lab-node-opens
    # kashgar-city; border-guard-visit 塔县.
    assert (counts["kashgar"].facts, counts["kashgar"].facts_within) == (1, 4)
    assert (counts["kashgar-prefecture"].facts, counts["kashgar-prefecture"].facts_within) == (0, 3)
    assert (counts["kashgar-city"].facts, counts["kashgar-city"].facts_within) == (2, 2)
    assert (counts["taxkorgan"].facts, counts["taxkorgan"].facts_within) == (2, 2)
    assert (counts["xinjiang"].facts, counts["xinjiang"].facts_within) == (0, 4)
    assert (counts["shenzhen"].facts, counts["shenzhen"].facts_within) == (2, 2)


def test_places_are_listed_each_after_the_place_containing_it(v2):
    counts = entity_counts(Gazetteer(v2.entities), v2.facts, EntityCategory.PLACE)
    order = [count.entity.id for count in counts]
    depth = {count.entity.id: count.depth for count in counts}
    for entity in v2.entities:
        if entity.category is EntityCategory.PLACE and entity.within:
            assert order.index(entity.within) < order.index(entity.id)
            assert depth[entity.id] == depth[entity.within] + 1
    assert order[:4] == ["xinjiang", "kashgar", "kashgar-prefecture", "kashgar-city"]


def test_organisations_and_people_count_facts_and_have_no_within_count(v2):
    gazetteer = Gazetteer(v2.entities)
    organisations = by_id(entity_counts(gazetteer, v2.facts, EntityCategory.ORGANISATION))
    people = by_id(entity_counts(gazetteer, v2.facts, EntityCategory.PERSON))
    assert (organisations["peng-cheng-laboratory"].facts, organisations["peng-cheng-laboratory"].facts_within) == (
        1,
        None,
    )
    assert people["laqini-bayika"].facts == 1


def test_a_name_the_gazetteer_lacks_is_listed_as_written_once(v2):
    facts = [fact._replace(places=(*fact.places, "某某村", "某某 村")) for fact in v2.facts[:2]]
    counts = entity_counts(Gazetteer(v2.entities), facts, EntityCategory.PLACE)
    assert counts[-1].entity == "某某村" and counts[-1].facts == 2 == counts[-1].facts_within
    assert "某某 村" not in by_id(counts)  # the same name, folded


def test_with_filters_only_the_entries_of_the_facts_kept(v2):
    gazetteer = Gazetteer(v2.entities)
    kept = [fact for fact in v2.facts if fact.id == "border-guard-visit"]
    counts = entity_counts(gazetteer, kept, EntityCategory.PLACE, everything=False)
    assert [count.entity.id for count in counts] == ["xinjiang", "kashgar", "kashgar-prefecture", "taxkorgan"]
    everything = entity_counts(gazetteer, kept, EntityCategory.PLACE)
    assert len(everything) == len(gazetteer.of(EntityCategory.PLACE))


def test_tags_most_used_first_with_their_sectors(v2):
    counts = tag_counts(v2.facts, v2.sectors)
    assert [(count.tag, count.facts, count.sectors) for count in counts] == [
        ("cadres", 2, (("overview", 2),)),
        ("computing", 1, (("industry", 1),)),
    ]


# --- present/entities.py ---------------------------------------------------------------------------------


def test_every_kind_of_the_bundled_gazetteer_has_a_chinese_name(bundled):
    from shenka_cli.core.schema_tables import PLACE_KINDS

    kinds = {entity.kind for entity in bundled.entities if entity.kind}
    assert kinds <= set(KIND_NAMES)
    assert set(PLACE_KINDS) <= set(KIND_NAMES)
    assert all(CJK.search(name) and not LATIN_WORD.search(name) for name in KIND_NAMES.values())


def listing_of(base, category, lang, machine=False):
    gazetteer = Gazetteer(base.entities)
    counts = entity_counts(gazetteer, base.facts, category)
    return entities_document(counts, gazetteer, category, lang, machine=machine)


@pytest.mark.parametrize("category", list(EntityCategory))
def test_an_english_listing_has_chinese_only_in_its_original_column(bundled, category):
    document = listing_of(bundled, category, "en")
    listing = document.listings[0]
    original = [column for column in listing.columns if CJK.search(column.header) or "original" in column.header]
    assert [column.key for column in original] == ["name"] and original[0].header == "Chinese (original)"
    for row in listing.rows:
        for key, value in row.cells.items():
            if key != "name" and isinstance(value, str):
                assert not CJK.search(value), (key, value)
    assert not CJK.search(listing.title or "") and not CJK.search(listing.note or "")


@pytest.mark.parametrize("category", list(EntityCategory))
def test_a_chinese_listing_has_no_english_words_outside_ids(bundled, category):
    listing = listing_of(bundled, category, "zh").listings[0]
    assert all(not LATIN_WORD.search(column.header) or column.key == "id" for column in listing.columns)
    for row in listing.rows:
        for key, value in row.cells.items():
            if key not in ("id", "within_id") and isinstance(value, str):
                assert not LATIN_WORD.search(value), (key, value)


def test_both_languages_side_by_side(v2):
    listing = listing_of(v2, EntityCategory.PLACE, "both").listings[0]
    row = next(row for row in listing.rows if row.cells["id"] == "kashgar-city")
    assert row.cells["name"] == "喀什市" and row.cells["name_en"] == "Kashgar City"
    assert row.cells["kind"] == "城市 city" and row.cells["within"] == "喀什地区 (Kashgar Prefecture)"


def test_records_follow_the_contract(v2):
    records = listing_of(v2, EntityCategory.ORGANISATION, "zh").json_records()
    assert records == [
        {
            "id": "peng-cheng-laboratory",
            "name": "鹏城实验室",
            "name_en": "Peng Cheng Laboratory",
            "kind": "research institute",
            "within": "shenzhen",
            "aliases": ["Pengcheng Laboratory"],
            "description": None,
            "description_en": None,
            "facts": 1,
            "facts_within": None,
        }
    ]
    assert tuple(records[0]) == ENTITY_KEYS


def test_csv_holds_numbers_and_the_parent_id(v2):
    document = listing_of(v2, EntityCategory.PLACE, "en", machine=True)
    rows = list(csv.DictReader(io.StringIO(render_csv(document))))
    city = next(row for row in rows if row["id"] == "kashgar-city")
    assert city["within"] == "Kashgar Prefecture" and city["within_id"] == "kashgar-prefecture"
    assert (city["facts"], city["facts_within"], city["name"]) == ("2", "2", "喀什市")


def test_tags_document_in_each_language_and_as_csv(v2):
    counts = tag_counts(v2.facts, v2.sectors)
    zh = tags_document(counts, v2.sectors, "zh").listings[0]
    assert zh.rows[0].cells == {"tag": "cadres", "facts": 2, "sectors": "总体 2"}
    en = tags_document(counts, v2.sectors, "en").listings[0]
    assert en.rows[0].cells["sectors"] == "Overview 2"
    rows = list(csv.DictReader(io.StringIO(render_csv(tags_document(counts, v2.sectors, "en", machine=True)))))
    assert rows == [
        {"tag": "cadres", "facts": "2", "overview": "2", "industry": "0"},
        {"tag": "computing", "facts": "1", "overview": "0", "industry": "1"},
    ]
    assert tuple(tags_document(counts, v2.sectors, "en").json_records()[0]) == TAG_KEYS


def test_markdown_stays_a_table_whatever_the_names_hold(v2):
    facts = [v2.facts[0]._replace(places=("a | b", "[x](http://e.com) *y*"))]
    base = v2._replace(facts=tuple(facts))
    blocks = markdown_blocks(render_markdown(listing_of(base, EntityCategory.PLACE, "zh")))
    table = next(content for kind, content in blocks if kind == "table")
    names = [row[1] for row in table[1:]]
    assert "a | b" in names and "[x](http://e.com) *y*" in names


# --- the commands ----------------------------------------------------------------------------------------


def ok(result):
    assert result.exit_code == 0, result.output
    return result.stdout


def test_places_in_english_name_kashgar_and_its_parts_with_their_parents(run):
    """The issue's check: 喀什, 喀什市, 喀什地区 and 塔县 by their English names, with their parents."""
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(ok(run("--lang", "en", "places", "--format", "csv"))))}
    expected = {
        "kashgar": ("Kashgar", "Xinjiang Uygur Autonomous Region", "喀什"),
        "kashgar-city": ("Kashgar City", "Kashgar Prefecture", "喀什市"),
        "kashgar-prefecture": ("Kashgar Prefecture", "Kashgar", "喀什地区"),
        "taxkorgan": ("Taxkorgan Tajik Autonomous County", "Kashgar Prefecture", "塔什库尔干塔吉克自治县"),
    }
    for place_id, (name_en, within, name) in expected.items():
        assert (rows[place_id]["name_en"], rows[place_id]["within"], rows[place_id]["name"]) == (name_en, within, name)
    assert "Taxkorgan" in rows["taxkorgan"]["aliases"] and "塔县" not in rows["taxkorgan"]["aliases"]
    table = ok(run("--lang", "en", "places"))
    assert "Kashgar Prefecture" in table and "Incl. places within" in table


def test_place_counts_agree_with_the_place_filter(run):
    records = json.loads(ok(run("places", "--format", "json")))
    facts = json.loads(ok(run("timeline", "--undated", "--format", "json")))
    for record in records:
        if record["id"] in ("kashgar", "kashgar-prefecture", "taxkorgan", "shenzhen", "china"):
            found = run("timeline", "--undated", "--place", record["id"], "--format", "json")
            within = len(json.loads(found.stdout or "[]"))
            assert record["facts_within"] == within, record["id"]
        naming = [f for f in facts if record["id"] in [e["id"] for e in f["entities"]["places"]]]
        assert record["facts"] == len(naming), record["id"]


def test_organisation_counts_agree_with_the_facts_and_markdown_parses(run):
    facts = json.loads(ok(run("--lang", "en", "timeline", "--undated", "--format", "json")))
    blocks = markdown_blocks(ok(run("--lang", "en", "organisations", "--format", "markdown")))
    assert ("h2", "Organisations") in blocks
    table = next(content for kind, content in blocks if kind == "table")
    header, rows = table[0], table[1:]
    assert header[:5] == ["ID", "Name", "Kind", "Based in", "Facts"] and header[-1] == "Chinese (original)"
    for row in rows:
        named = [f for f in facts if row[0] in [e["id"] for e in f["entities"]["organisations"]]]
        assert int(row[4]) == len(named), row[0]
    assert any(row[1] == "Peng Cheng Laboratory" for row in rows)


def test_filters_narrow_the_counts_and_the_entries(run):
    records = json.loads(ok(run("people", "--place", "塔县", "--format", "json")))
    kept = json.loads(ok(run("timeline", "--undated", "--place", "塔县", "--format", "json")))
    named = [person["id"] for fact in kept for person in fact["entities"]["people"]]
    assert {record["id"]: record["facts"] for record in records} == {i: named.count(i) for i in set(named)}
    assert "laqini-bayika" in named
    industry = json.loads(ok(run("tags", "--sector", "industry", "--format", "json")))
    assert industry and all(set(record["sectors"]) == {"industry"} for record in industry)
    assert sum(record["facts"] for record in industry) >= industry[0]["facts"]


def test_tags_count_the_facts_that_carry_them(run, bundled):
    records = json.loads(ok(run("tags", "--format", "json")))
    assert [record["tag"] for record in records] == sorted(
        {tag for fact in bundled.facts for tag in fact.tags},
        key=lambda tag: (-sum(tag in fact.tags for fact in bundled.facts), tag),
    )
    for record in records:
        assert record["facts"] == sum(record["tag"] in fact.tags for fact in bundled.facts)
        assert sum(record["sectors"].values()) == record["facts"]


def test_fields_and_output_file(run, tmp_path):
    target = tmp_path / "places.csv"
    assert run("--lang", "en", "places", "--fields", "id,name_en,facts_within", "-o", str(target)).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert list(rows[0]) == ["id", "name_en", "facts_within"]
    lines = ok(run("tags", "--format", "jsonl", "--fields", "tag,facts")).splitlines()
    assert all(list(json.loads(line)) == ["tag", "facts"] for line in lines)
    bad = run("places", "--fields", "nonsense")
    assert bad.exit_code == 2 and "facts_within" in bad.stderr


@pytest.mark.parametrize(("lang", "message"), [("en", "no place is named"), ("zh", "没有提到任何地点")])
def test_nothing_kept_exits_1_with_a_message_in_the_language(run, lang, message):
    result = run("--lang", lang, "places", "--from", "2099")
    assert result.exit_code == 1 and message in result.stderr
    assert json.loads(run("places", "--from", "2099", "--format", "json").stdout) == []


def test_an_unknown_place_filter_suggests_the_closest(run):
    result = run("organisations", "--place", "Kashgr")
    assert result.exit_code == 2 and "kashgar" in result.stderr


def test_names_without_a_gazetteer_are_listed_as_written(run):
    result = run("--facts", str(DATA / "hostile"), "--lang", "en", "places", "--format", "json")
    records = json.loads(ok(result))
    unknown = [record for record in records if record["id"] is None]
    assert unknown and all(record["facts"] >= 1 and record["name_en"] is None for record in unknown)
    assert records[-len(unknown) :] == unknown  # after the gazetteer's places
    table = ok(run("--facts", str(DATA / "hostile"), "--lang", "en", "places"))
    assert "(not in the gazetteer)" in table and "\x1b" not in table
