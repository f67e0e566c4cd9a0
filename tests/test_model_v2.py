"""Format v2: the gazetteer, units, measures, sources with authors and sections, standing facts, several
citations per fact, and the validator's checks of issues 11, 12 and 17 (each with a fact that breaks it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from shenka_cli.core.gazetteer import Gazetteer
from shenka_cli.core.loader import load
from shenka_cli.core.model import Citation, EntityCategory, FuzzyDate, Period

from .conftest import DATA

V2 = DATA / "v2"
CASES = DATA / "invalid-v2"
REGISTRIES = [V2 / name for name in ("sectors.toml", "sources.toml", "gazetteer.toml", "units.toml")]


def problems_of(case: str, *, warnings: bool = False) -> list:
    result = load([*REGISTRIES, CASES / case])
    return [p for p in result.problems if p.warning is warnings]


def only(case: str, *, warning: bool = False):
    found = problems_of(case, warnings=warning)
    assert len(found) == 1, [str(p) for p in found]
    assert found[0].path.endswith(case)
    return found[0]


def test_the_v2_fixture_loads_cleanly_into_the_model():
    result = load([V2])
    assert [str(p) for p in result.problems] == []
    base = result.base
    assert {e.id for e in base.entities if e.category is EntityCategory.PLACE} >= {"kashgar", "taxkorgan"}
    source = base.source("test-source")
    assert source.authors[0].name_en == "Xie Qingyun" and source.authors[0].role_en == "reporter"
    assert [s.id for s in source.sections] == ["lead", "industry"]
    assert (source.language, source.reliability, source.read) == ("zh", "A made-up source for the tests.", "full text")
    by_2020 = base.fact("cadres-by-2020")
    assert by_2020.period == Period(FuzzyDate(2010), FuzzyDate(2020, 8)) and by_2020.as_of is None
    assert by_2020.sources == (
        Citation("second-source", "para-2"),
        Citation("test-source", "导语", "gives the total only"),
    )
    assert by_2020.source == by_2020.sources[0]
    standing = base.fact("cadres-by-2025")
    assert standing.as_of == FuzzyDate(2025, inferred=True)
    assert (standing.when, standing.date, standing.period) == (None, None, None)
    assert standing.inferred_reason.startswith("“截至目前”")
    assert standing.stats[0].as_of == standing.as_of
    assert standing.stats[0].measure == "cadres-sent-cumulative"
    assert base.measures[0].cumulative is True
    mu = next(unit for unit in base.units if unit.id == "亩")
    assert mu.convert is not None and mu.convert.unit == "ha"


def test_facts_name_entities_by_id_name_or_alias_in_any_case_and_width():
    base = load([V2]).base
    gazetteer = Gazetteer(base.entities)
    for name in ("taxkorgan", "塔县", "TAXKORGAN", "Ｔａｘｋｏｒｇａｎ", "tash kurgan", "塔什库尔干塔吉克自治县"):
        assert gazetteer.resolve(EntityCategory.PLACE, name).id == "taxkorgan", name
    kashgar = gazetteer.resolve(EntityCategory.PLACE, "Kashi")
    assert {e.id for e in gazetteer.with_descendants(kashgar)} == {
        "kashgar",
        "kashgar-prefecture",
        "kashgar-city",
        "taxkorgan",
    }
    lab = base.fact("lab-node-opens")
    assert gazetteer.fact_entities(lab, EntityCategory.ORGANISATION)[0].id == "peng-cheng-laboratory"
    names = gazetteer.fact_names(base.fact("border-guard-visit"))
    assert {"塔县", "Tashkurgan", "Laqini Bayika", "拉齐尼·巴依卡"} <= set(names)


@pytest.mark.parametrize(
    ("case", "field", "words", "hint"),
    [
        ("unknown-place.toml", "places", "unknown place 'Kashgr'", "kashgar (喀什, Kashgar)"),
        ("unknown-organisation.toml", "organisations", "unknown organisation", "peng-cheng-laboratory"),
        ("undeclared-section.toml", "source.section", "'交往交流交融' is not a section", "lead (导语)"),
        ("second-citation-section.toml", "sources[2].section", "'para-9' is not a section", "para-2"),
        ("unknown-measure.toml", "stat[1].measure", "unknown measure 'cadres-sent'", "cadres-sent-cumulative"),
        ("placeholder.toml", "title", "contains the placeholder '待填写'", "real value"),
        ("date-and-as-of.toml", "as_of", "one of date, period or as_of", None),
        ("scale-word-exact.toml", "stat[1].qualifier", "found 'exact', but '万亩' says 'about'", None),
    ],
)
def test_each_error_names_file_line_fact_field_and_a_hint(case, field, words, hint):
    problem = only(case)
    assert problem.fact == case.removesuffix(".toml")
    assert problem.field == field
    assert problem.line is not None and problem.line > 1
    assert words in problem.message, problem.message
    if hint is not None:
        assert hint in (problem.hint or ""), problem.hint


def test_an_unknown_name_is_reported_on_the_line_of_its_field():
    problem = only("unknown-place.toml")
    lines = (CASES / "unknown-place.toml").read_text(encoding="utf-8").splitlines()
    assert lines[problem.line - 1].startswith("places = ")
    assert "did you mean" in problem.hint


def test_an_alias_claimed_by_two_entries_is_an_error():
    problem = only("alias-claimed-twice.toml")
    assert "'kashi'" in problem.message and "'kashgar'" in problem.message
    assert problem.field == "aliases" and problem.line == 1


def test_a_place_within_an_unknown_place_is_an_error():
    problem = only("unknown-within.toml")
    assert (problem.field, problem.message) == ("within", "unknown place 'kashgar-county'")


def test_an_entity_named_in_the_title_but_missing_from_the_lists_is_a_warning_on_its_line():
    assert problems_of("missing-from-lists.toml") == []
    problem = only("missing-from-lists.toml", warning=True)
    assert problem.field == "places" and "'taxkorgan'" in problem.message
    lines = (CASES / "missing-from-lists.toml").read_text(encoding="utf-8").splitlines()
    assert lines[problem.line - 1].startswith("title = ")


def test_a_wider_place_named_in_the_title_is_covered_by_a_place_within_it():
    # lab-node-opens says 喀什 in its title and lists only 喀什市, which lies within 喀什.
    assert [p for p in load([V2]).problems if p.fact == "lab-node-opens"] == []


def test_a_four_digit_count_without_separator_in_english_is_a_warning_but_a_year_is_not():
    problem = only("count-without-separator.toml", warning=True)
    assert problem.field == "title_en" and "2023" in problem.message and "2,023" in problem.hint
    assert problems_of("count-without-separator.toml") == []


@pytest.fixture
def bundled_v2(monkeypatch: pytest.MonkeyPatch) -> None:
    """The v2 fixture stands in for the bundled base that a directory borrows from."""
    monkeypatch.setattr("shenka_cli.core.paths.bundled_facts_dir", lambda: V2)


def test_names_unknown_to_a_borrowed_gazetteer_are_warnings(tmp_path: Path, bundled_v2):
    """A directory without its own gazetteer uses the bundled one; its unknown names do not block it."""
    for name in ("sectors.toml", "sources.toml"):
        (tmp_path / name).write_text((V2 / name).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "facts.toml").write_text((CASES / "unknown-place.toml").read_text(encoding="utf-8"), encoding="utf-8")
    result = load([tmp_path])
    assert result.errors == []
    assert any("unknown place 'Kashgr'" in p.message and p.warning for p in result.problems)
    assert any(e.id == "kashgar" for e in result.base.entities)


def test_a_directory_with_only_facts_borrows_the_bundled_sectors_and_sources(tmp_path: Path, bundled_v2):
    (tmp_path / "mine.toml").write_text(
        '[[fact]]\nid = "mine"\nsector = "industry"\ntitle = "标题"\ntitle_en = "Title"\nsummary = "摘要"\n'
        'summary_en = "Summary"\nsource = { id = "test-source", section = "导语" }\n',
        encoding="utf-8",
    )
    result = load([tmp_path])
    assert result.errors == []
    assert [fact.id for fact in result.base.facts] == ["mine"]
    assert result.base.sector("industry") is not None and result.base.units


@pytest.mark.parametrize(
    ("written", "value", "unit", "kind"),
    [
        ("10.3万", 103000, "", "quantity"),  # the noun follows in the text: 10.3万建档立卡贫困人口
        ("第一", 1, "", "ordinal"),
        ("第一位", 1, "位", "ordinal"),  # a rank: 位 is not a person here
        ("5A级", 5, "级", "ordinal"),
        ("双双", 2, "", "quantity"),
    ],
)
def test_figures_the_new_sources_write(written, value, unit, kind):
    from shenka_cli.core.figures import parse_figure

    parsed = parse_figure(written)
    assert (parsed.value, parsed.unit, parsed.kind.value) == (value, unit, kind)


@pytest.mark.parametrize(
    ("written", "value", "qualifier"),
    [
        ("680 million yuan", 680_000_000, "exact"),
        ("more than 5,000 km", 5000, "more_than"),
        ("about eight hours", 8, "about"),
        ("roughly 2.8 billion yuan", 2_800_000_000, "about"),
        ("$113.6 million", 113_600_000, "exact"),
    ],
)
def test_english_written_figures(written, value, qualifier):
    from shenka_cli.core.figures_en import is_english, parse_english_figure

    assert is_english(written)
    parsed = parse_english_figure(written)
    assert (parsed.value, parsed.qualifier.value) == (value, qualifier)
