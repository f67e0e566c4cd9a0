"""The search relevance set (relevance.toml) and its measures: mean reciprocal rank and recall at 10.

python -m tests.relevance prints them, overall and by kind of query.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

import tomli

HERE = Path(__file__).parent
QUERIES = HERE / "relevance.toml"
BUNDLED = HERE.parent / "facts"
TOP = 10


class Case(NamedTuple):
    query: str
    kind: str
    expect: tuple[str, ...]
    needs: str | None


class Outcome(NamedTuple):
    case: Case
    ranks: dict[str, int | None]  # each expected fact's 1-based rank, None when not found

    @property
    def reciprocal_rank(self) -> float:
        """1 / the rank of the first expected fact found (0 if none is)."""
        found = [rank for rank in self.ranks.values() if rank is not None]
        return 1 / min(found) if found else 0.0

    @property
    def recall(self) -> float:
        """The share of the expected facts found in the first TOP results."""
        hits = sum(1 for rank in self.ranks.values() if rank is not None and rank <= TOP)
        return hits / len(self.ranks)


def cases(path: Path = QUERIES) -> list[Case]:
    with path.open("rb") as handle:
        table = tomli.load(handle)
    return [Case(item["q"], item["kind"], tuple(item["expect"]), item.get("needs")) for item in table["query"]]


def evaluate(case: Case, facts: Sequence, names) -> Outcome:
    from shenka_cli.core.search import parse_query, search

    order = [hit.fact.id for hit in search(facts, parse_query(case.query), names)]
    return Outcome(case, {fact: order.index(fact) + 1 if fact in order else None for fact in case.expect})


def run(path: Path = BUNDLED) -> tuple[list[Outcome], list[Case]]:
    """Every case evaluated on the facts at `path`; the cases skipped for want of a gazetteer apart."""
    from shenka_cli.core.loader import load
    from shenka_cli.core.search import entity_names

    base = load([path]).base
    names = entity_names(base.entities)
    usable = [case for case in cases() if case.needs != "gazetteer" or base.entities]
    skipped = [case for case in cases() if case not in usable]
    return [evaluate(case, base.facts, names) for case in usable], skipped


def summary(outcomes: Sequence[Outcome]) -> tuple[float, float]:
    """(mean reciprocal rank, mean recall at TOP)."""
    count = len(outcomes) or 1
    return sum(o.reciprocal_rank for o in outcomes) / count, sum(o.recall for o in outcomes) / count


def report(outcomes: Sequence[Outcome], skipped: Sequence[Case]) -> str:
    lines = [f"{'kind':<12} {'queries':>7} {'MRR':>6} {'recall@10':>9}"]
    for kind in dict.fromkeys(outcome.case.kind for outcome in outcomes):
        chosen = [outcome for outcome in outcomes if outcome.case.kind == kind]
        mrr, recall = summary(chosen)
        lines.append(f"{kind:<12} {len(chosen):>7} {mrr:>6.3f} {recall:>9.3f}")
    mrr, recall = summary(outcomes)
    lines.append(f"{'all':<12} {len(outcomes):>7} {mrr:>6.3f} {recall:>9.3f}")
    if skipped:
        lines.append(f"skipped (the facts have no gazetteer): {', '.join(case.query for case in skipped)}")
    for outcome in outcomes:
        if outcome.recall < 1 or outcome.reciprocal_rank < 1:
            ranks = ", ".join(f"{fact} {rank or '-'}" for fact, rank in outcome.ranks.items())
            lines.append(f"  {outcome.case.query!r}: {ranks}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(report(*run(Path(sys.argv[1]) if len(sys.argv) > 1 else BUNDLED)))
