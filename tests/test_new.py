"""shenka new (the fact skeleton, printed or appended safely) and fact bases combined from several directories."""

from __future__ import annotations

import json
import os
import re
import shutil

import pytest
import tomli

from shenka_cli.core.loader import load

from .conftest import BUNDLED, VALID


@pytest.fixture
def mine(tmp_path):
    """A directory of the user's own facts, to combine with the bundled ones: facts only, no sectors or sources."""
    directory = tmp_path / "mine"
    directory.mkdir()
    return directory


def non_placeholder_errors(loaded) -> list[str]:
    """The errors besides the skeleton's placeholders (errors until the curator fills them in, issue 12)."""
    return [str(p) for p in loaded.errors if "contains the placeholder" not in p.message]


def bundled_count() -> int:
    return len(load([BUNDLED]).base.facts)


def fact_of(text: str, fact_id: str) -> dict:
    return next(fact for fact in tomli.loads(text)["fact"] if fact["id"] == fact_id)


def test_the_skeleton_has_every_field_and_only_its_placeholders_are_errors(run, mine):
    result = run("new", "--sector", "culture")
    assert result.exit_code == 0, result.output
    fact = fact_of(result.stdout, "new-fact")
    assert fact["sector"] == "culture"
    assert fact["source"] == {"id": "szqb-kunlun-2025", "section": "lead"}
    for field in ("title", "title_en", "summary", "summary_en", "places", "organisations", "people", "tags"):
        assert field in fact
    for commented in ("# date =", "# date_inferred =", "# period =", "# [[fact.stat]]", "# as_of ="):
        assert commented in result.stdout
    assert "overview, industry, livelihood, culture, exchange" in result.stdout
    (mine / "new.toml").write_text(result.stdout, encoding="utf-8")
    checked = run("validate", str(BUNDLED), str(mine))
    assert checked.exit_code == 1, checked.stdout  # issue 12: placeholders left in are errors
    errors = [line for line in checked.stdout.splitlines() if ": error:" in line]
    assert errors and all("new.toml" in line and "contains the placeholder" in line for line in errors), errors
    assert {re.search(r"field '([a-z_]+)'", line).group(1) for line in errors} == {
        "title",
        "title_en",
        "summary",
        "summary_en",
    }


@pytest.mark.parametrize(
    ("figure", "expected"),
    [
        ("8.4亿元", {"text": "8.4亿元", "value": 840000000, "unit": "元", "qualifier": "exact", "kind": "quantity"}),
        ("1000余个", {"text": "1000余个", "value": 1000, "unit": "个", "qualifier": "more_than", "kind": "quantity"}),
        ("7-10天", {"text": "7-10天", "low": 7, "high": 10, "unit": "天", "qualifier": "range", "kind": "quantity"}),
        ("第四届", {"text": "第四届", "value": 4, "unit": "届", "qualifier": "exact", "kind": "ordinal"}),
        ("990余名", {"text": "990余名", "value": 990, "unit": "人", "qualifier": "more_than", "kind": "quantity"}),
    ],
)
def test_from_figure_fills_in_one_statistic(run, mine, figure, expected):
    target = mine / "new.toml"
    result = run("new", "--sector", "industry", "--id", "my-figure", "--from-figure", figure, "-o", str(target))
    assert result.exit_code == 0, result.output
    (stat,) = fact_of(target.read_text(encoding="utf-8"), "my-figure")["stat"]
    assert {key: stat[key] for key in expected} == expected
    assert ("value" in stat) is ("value" in expected)
    checked = run("validate", str(BUNDLED), str(mine))
    errors = [line for line in checked.stdout.splitlines() if ": error:" in line]
    assert errors and all("contains the placeholder" in line for line in errors), errors


def test_appending_keeps_the_file_valid_and_its_facts(run, tmp_path):
    facts = tmp_path / "facts"
    shutil.copytree(VALID, facts)
    target = facts / "facts.toml"
    old = target.read_text(encoding="utf-8")
    old_ids = [fact.id for fact in load([facts]).base.facts]
    result = run("--facts", str(facts), "new", "--sector", "livelihood", "--from-figure", "2.5万台", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert "appended fact 'new-fact'" in result.stderr
    new = target.read_text(encoding="utf-8")
    assert new.startswith(old)
    loaded = load([facts])
    assert non_placeholder_errors(loaded) == []
    assert [fact.id for fact in loaded.base.facts] == [*old_ids, "new-fact"]
    # A second one gets a free id.
    assert run("--facts", str(facts), "new", "--sector", "culture", "-o", str(target)).exit_code == 0
    assert [fact.id for fact in load([facts]).base.facts][-2:] == ["new-fact", "new-fact-2"]
    assert non_placeholder_errors(load([facts])) == []


def test_an_existing_id_is_refused_and_the_file_untouched(run, tmp_path):
    facts = tmp_path / "facts"
    shutil.copytree(VALID, facts)
    target = facts / "facts.toml"
    before = target.read_bytes()
    result = run("--facts", str(facts), "new", "--sector", "industry", "--id", "incubator-opens", "-o", str(target))
    assert result.exit_code == 2
    assert "incubator-opens" in result.stderr and "already exists" in result.stderr
    assert target.read_bytes() == before
    # Also when the file is outside the fact base in use, and when printing.
    outside = tmp_path / "other.toml"
    outside.write_bytes(before)
    refused = run("new", "--sector", "industry", "--id", "incubator-opens", "-o", str(outside))
    assert refused.exit_code == 2 and outside.read_bytes() == before
    assert run("new", "--sector", "industry", "--id", "aerospace-park-incubator").exit_code == 2


def test_a_file_that_would_gain_problems_is_untouched(run, tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text('[[fact]]\nid = "x"\ntitle = \n', encoding="utf-8")
    before = broken.read_bytes()
    result = run("new", "--sector", "culture", "-o", str(broken))
    assert result.exit_code == 2
    assert "cannot be read" in result.stderr
    assert broken.read_bytes() == before
    assert "Traceback" not in result.output


def test_line_endings_byte_order_mark_and_a_missing_final_newline_are_kept(run, tmp_path):
    facts = tmp_path / "facts"
    shutil.copytree(VALID, facts)
    target = facts / "facts.toml"
    old = "\ufeff" + target.read_text(encoding="utf-8").replace("\n", "\r\n").rstrip("\r\n")
    target.write_bytes(old.encode("utf-8"))
    assert run("--facts", str(facts), "new", "--sector", "culture", "-o", str(target)).exit_code == 0
    data = target.read_bytes()
    assert data.startswith(old.encode("utf-8") + b"\r\n\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert non_placeholder_errors(load([facts])) == []


def test_a_new_file_is_created(run, mine):
    target = mine / "new.toml"
    assert run("new", "--sector", "exchange", "-o", str(target)).exit_code == 0
    loaded = load([BUNDLED, mine])
    assert loaded.base.fact("new-fact") is not None
    assert non_placeholder_errors(loaded) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--sector", "nope"], "sectors: overview (总体, Overview), industry (产业, Industry)"),
        (["--sector", "culture", "--from-figure", "abc"], "cannot read 'abc' as a figure"),
        (["--sector", "culture", "--from-figure", "7-3天"], "low end is above its high end"),
        (["--sector", "culture", "--id", "Not A Slug"], "expected a slug"),
        (["--sector", "culture", "-o", "notes.txt"], "ends in .toml"),
        ([], "--sector"),
    ],
)
def test_usage_errors(run, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    result = run("new", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "notes.txt").exists()


# Several fact directories.


def my_fact(fact_id: str = "my-own-fact") -> str:
    return f"""
[[fact]]
id = "{fact_id}"
sector = "culture"
title = "我的事实"
title_en = "My fact"
summary = "一条自己的事实。"
summary_en = "A fact of my own."
date = "2025-01"
source = {{ id = "szqb-kunlun-2025", section = "文旅融合润民心" }}
"""


def test_facts_bundled_and_a_directory_combine(run, mine):
    (mine / "mine.toml").write_text(my_fact(), encoding="utf-8")
    records = json.loads(run("--facts", "bundled", "--facts", str(mine), "timeline", "--format", "json").stdout)
    ids = [record["id"] for record in records]
    assert "my-own-fact" in ids and "pengcheng-lab-kashgar-node" in ids
    undated = run("--facts", "bundled", "--facts", str(mine), "timeline", "--undated", "--format", "json")
    assert len(json.loads(undated.stdout)) == bundled_count() + 1


def test_shenka_facts_lists_several_directories(run, mine):
    (mine / "mine.toml").write_text(my_fact(), encoding="utf-8")
    env = {"SHENKA_FACTS": os.pathsep.join([str(BUNDLED), str(mine)])}
    result = run("timeline", "--undated", "--format", "json", env=env)
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)) == bundled_count() + 1
    assert run("show", "my-own-fact", env=env).exit_code == 0


def test_a_duplicate_id_across_directories_names_both_places(run, mine):
    (mine / "mine.toml").write_text("# my facts\n" + my_fact("pengcheng-lab-kashgar-node"), encoding="utf-8")
    result = run("--facts", "bundled", "--facts", str(mine), "timeline")
    assert result.exit_code == 2
    first = next(fact for fact in load([BUNDLED]).base.facts if fact.id == "pengcheng-lab-kashgar-node")
    assert f"{first.location.path}:{first.location.line}" in result.stderr
    assert f"{mine / 'mine.toml'}:3" in result.stderr
    assert "duplicate fact id" in result.stderr


def test_an_id_of_a_broken_fact_in_the_target_is_taken_too(run, mine):
    target = mine / "draft.toml"
    target.write_text('[[fact]]\nid = "new-fact"\nsector = "culture"\n', encoding="utf-8")  # incomplete
    before = target.read_bytes()
    refused = run("new", "--sector", "culture", "--id", "new-fact", "-o", str(target))
    assert refused.exit_code == 2 and target.read_bytes() == before
    assert run("new", "--sector", "culture", "-o", str(target)).exit_code == 0
    assert 'id = "new-fact-2"' in target.read_text(encoding="utf-8")


def test_a_fact_that_would_add_problems_is_refused(tmp_path):
    from shenka_cli.cli.curate import _append
    from shenka_cli.core.errors import ShenkaError
    from shenka_cli.core.loader import read_path
    from shenka_cli.core.paths import fact_files

    facts = tmp_path / "facts"
    shutil.copytree(VALID, facts)
    target = facts / "facts.toml"
    before = target.read_bytes()
    files, problems = fact_files([facts])
    contents = [read_path(path) for path in files]
    bad = '[[fact]]\nid = "half-done"\nsector = "culture"\n'
    with pytest.raises(ShenkaError) as refused:
        _append(target, bad, "half-done", contents, problems)
    assert "left untouched" in refused.value.message and "missing required field" in refused.value.message
    assert target.read_bytes() == before


def test_appending_through_a_symbolic_link_keeps_the_link(run, mine):
    real = mine / "real.toml"
    assert run("new", "--sector", "culture", "-o", str(real)).exit_code == 0
    link = mine / "link.toml"
    link.symlink_to("real.toml")
    assert run("new", "--sector", "culture", "-o", str(link)).exit_code == 0
    assert link.is_symlink()
    assert [table["id"] for table in tomli.loads(real.read_text(encoding="utf-8"))["fact"]] == [
        "new-fact",
        "new-fact-2",
    ]


# Gazetteer entries (issue 11): shenka new place|organisation|person.


def entries_of(text: str, table: str) -> list[dict]:
    return tomli.loads(text)[table]


@pytest.mark.parametrize(
    ("what", "fields"),
    [
        ("place", {"name", "name_en", "kind"}),
        ("organisation", {"name", "name_en", "kind"}),
        ("person", {"name", "name_en", "description", "description_en"}),
    ],
)
def test_a_gazetteer_skeleton_is_an_entry_whose_only_errors_are_its_placeholders(run, mine, what, fields):
    result = run("new", what)
    assert result.exit_code == 0, result.output
    (entry,) = entries_of(result.stdout, what)
    assert entry["id"] == f"new-{what}" and entry["aliases"] == []
    (mine / "gazetteer.toml").write_text(result.stdout, encoding="utf-8")
    checked = run("--facts", "bundled", "--facts", str(mine), "validate")
    assert checked.exit_code == 1
    errors = [line for line in checked.stdout.splitlines() if ": error:" in line]
    assert all("contains the placeholder" in line for line in errors), errors
    assert {re.search(r"field '([a-z_]+)'", line).group(1) for line in errors} == fields


def test_a_new_place_appended_filled_in_and_named_by_a_fact(run, mine):
    target = mine / "gazetteer.toml"
    result = run("new", "place", "--id", "shufu-county", "--within", "喀什地区", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert "appended place 'shufu-county'" in result.stderr
    (entry,) = entries_of(target.read_text(encoding="utf-8"), "place")
    assert entry["within"] == "kashgar-prefecture"
    filled = (
        target.read_text(encoding="utf-8")
        .replace("待填写：shufu-county的中文名称", "疏附县")
        .replace("TODO: English name of shufu-county", "Shufu County")
        .replace('"TODO: kind"', '"county"')
        .replace("aliases = []", 'aliases = ["Shufu", "Kona Sheher"]')
    )
    target.write_text(filled, encoding="utf-8")
    (mine / "facts.toml").write_text(my_fact().replace('date = "2025-01"', 'places = ["Shufu"]'), encoding="utf-8")
    checked = run("--facts", "bundled", "--facts", str(mine), "validate")
    assert checked.exit_code == 0, checked.stdout
    both = ("--facts", "bundled", "--facts", str(mine))
    found = run(*both, "timeline", "--undated", "--place", "喀什地区", "--format", "json")
    assert "my-own-fact" in [record["id"] for record in json.loads(found.stdout)]
    places = json.loads(run(*both, "places", "--format", "json").stdout)
    shufu = next(record for record in places if record["id"] == "shufu-county")
    assert (shufu["name_en"], shufu["within"], shufu["facts"]) == ("Shufu County", "kashgar-prefecture", 1)


def test_new_entries_get_free_ids_and_never_claim_each_others_names(run, mine):
    target = mine / "gazetteer.toml"
    for what in ("organisation", "organisation", "person", "place", "place"):
        result = run("new", what, "-o", str(target))
        assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert [entry["id"] for entry in entries_of(text, "organisation")] == ["new-organisation", "new-organisation-2"]
    assert [entry["id"] for entry in entries_of(text, "place")] == ["new-place", "new-place-2"]
    checked = run("--facts", "bundled", "--facts", str(mine), "validate")
    errors = [line for line in checked.stdout.splitlines() if ": error:" in line]
    assert errors and all("contains the placeholder" in line for line in errors), errors


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["place", "--id", "kashgar"], "place id 'kashgar' already exists"),
        (["organisation", "--id", "peng-cheng-laboratory"], "already exists"),
        (["place", "--within", "Kashgr"], "did you mean kashgar"),
        (["person", "--within", "喀什"], "--within goes with a new place or organisation"),
        (["place", "--sector", "culture"], "--sector goes with a new fact"),
        (["person", "--from-figure", "8.4亿元"], "--from-figure goes with a new fact"),
        (["--sector", "culture", "--within", "喀什"], "--within goes with a new place or organisation"),
        (["planet"], "planet"),
        (["place", "--id", "Not A Slug"], "expected a slug"),
    ],
)
def test_gazetteer_usage_errors(run, args, message):
    result = run("new", *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_a_place_kind_placeholder_is_reported_once(run, mine):
    (mine / "gazetteer.toml").write_text(run("new", "place").stdout, encoding="utf-8")
    checked = run("--facts", "bundled", "--facts", str(mine), "validate")
    kind_lines = [line for line in checked.stdout.splitlines() if "field 'kind'" in line]
    assert len(kind_lines) == 1 and "contains the placeholder" in kind_lines[0]
    (mine / "gazetteer.toml").write_text(run("new", "place").stdout.replace("TODO: kind", "hamlet"), encoding="utf-8")
    checked = run("--facts", "bundled", "--facts", str(mine), "validate")
    assert "found 'hamlet', expected one of: country" in checked.stdout
