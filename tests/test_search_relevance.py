"""The relevance set: every expected fact of every query in the first ten results; the measures computed right."""

from __future__ import annotations

import pytest

from tests.relevance import TOP, Case, Outcome, cases, evaluate, report, run, summary

CASES = cases()


def test_the_set_is_large_and_varied() -> None:
    assert len(CASES) >= 40
    kinds = {case.kind for case in CASES}
    assert kinds == {"chinese", "traditional", "pinyin", "english", "name", "alias"}
    chinese = [case.query for case in CASES if case.kind == "chinese"]
    assert {len(query) for query in chinese} >= {1, 2, 3, 4}
    assert len({case.query for case in CASES}) == len(CASES)


def test_every_expected_fact_exists(bundled_ids: set[str]) -> None:
    for case in CASES:
        assert case.expect, case.query
        assert set(case.expect) <= bundled_ids, case.query


@pytest.fixture(scope="module")
def outcomes() -> tuple[list[Outcome], list[Case]]:
    return run()


@pytest.fixture(scope="module")
def bundled_ids() -> set[str]:
    from shenka_cli.core.loader import load
    from tests.relevance import BUNDLED

    return {fact.id for fact in load([BUNDLED]).base.facts}


@pytest.mark.parametrize("case", CASES, ids=[case.query for case in CASES])
def test_expected_facts_are_in_the_top_ten(outcomes, case: Case) -> None:
    done, skipped = outcomes
    if case in skipped:
        pytest.skip("the bundled facts have no gazetteer yet: this query finds its facts through aliases")
    (outcome,) = [outcome for outcome in done if outcome.case == case]
    missing = {fact: rank for fact, rank in outcome.ranks.items() if rank is None or rank > TOP}
    assert not missing, f"{case.query!r}: {missing}"


def test_measures() -> None:
    case = Case("q", "english", ("a", "b", "c", "d"), None)
    outcome = Outcome(case, {"a": 3, "b": None, "c": 11, "d": 4})
    assert outcome.reciprocal_rank == pytest.approx(1 / 3)
    assert outcome.recall == pytest.approx(2 / 4)
    nothing = Outcome(case._replace(expect=("a",)), {"a": None})
    assert (nothing.reciprocal_rank, nothing.recall) == (0.0, 0.0)
    assert summary([outcome, nothing]) == pytest.approx(((1 / 3) / 2, 0.25))


def test_evaluate_ranks_by_the_search_order(template_facts) -> None:
    facts, first, second = template_facts
    outcome = evaluate(Case("白内障", "chinese", (second.id, first.id), None), facts, None)
    assert outcome.ranks == {first.id: 1, second.id: 2}


@pytest.fixture
def template_facts():
    from shenka_cli.core.loader import load

    from .conftest import VALID

    template = load([VALID]).base.facts[0]
    first = template._replace(id="in-title", title="白内障手术", summary="")
    second = template._replace(id="in-summary", title="别的", summary="白内障")
    return [second, first], first, second


def test_the_report_prints_both_measures(outcomes) -> None:
    text = report(*outcomes)
    last = next(line for line in text.splitlines() if line.startswith("all "))
    _, count, mrr, recall = last.split()
    assert int(count) == len(outcomes[0])
    assert (float(mrr), float(recall)) == pytest.approx(summary(outcomes[0]), abs=5e-4)
