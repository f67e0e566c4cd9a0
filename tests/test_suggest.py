"""Did you mean…? (text/suggest.py): a large list of names is narrowed down before difflib compares it, and the best
suggestion stays the one difflib gives when it compares every name."""

from __future__ import annotations

import difflib
import random

import pytest

from shenka_cli.text import suggest
from shenka_cli.text.suggest import closest

WORDS = ["cataract", "surgery", "for", "people", "kashgar", "shenzhen", "aid", "hospital", "school", "youth"]


def ids(count: int) -> list[str]:
    """Fact ids of a large generated base: numbered, then a few words, many of them alike."""
    rng = random.Random(7)
    return [f"synthetic-{number:06d}-{'-'.join(rng.sample(WORDS, 4))}" for number in range(1, count + 1)]


def mistyped(name: str, rng: random.Random) -> str:
    position = rng.randrange(1, len(name) - 1)
    kind = rng.choice(("drop", "swap", "replace", "insert"))
    if kind == "drop":
        return name[:position] + name[position + 1 :]
    if kind == "swap":
        return name[: position - 1] + name[position] + name[position - 1] + name[position + 1 :]
    letter = rng.choice("abcdefghijklmnopqrstuvwxyz")
    return name[:position] + letter + name[position + (kind == "replace") :]


def test_a_mistyped_name_among_many_gets_the_suggestions_difflib_gives_comparing_every_name(monkeypatch):
    # At the real sizes (a shortlist of 1,000 among more than 5,000) difflib alone takes too long for a test.
    monkeypatch.setattr(suggest, "SHORTLIST_ABOVE", 500)
    monkeypatch.setattr(suggest, "SHORTLIST", 100)
    names = ids(2_500)
    rng = random.Random(11)
    for name in rng.sample(names, 12):
        wanted = mistyped(name, rng)
        everything = difflib.get_close_matches(wanted, names, n=3, cutoff=0.4)
        found = closest(wanted, names, 3, cutoff=0.4)
        assert found[:1] == everything[:1]  # the best is difflib's best
        ratios = [difflib.SequenceMatcher(None, wanted, name).ratio() for name in found]
        assert len(found) == len(everything) and ratios == sorted(ratios, reverse=True) and min(ratios) >= 0.4


def test_difflib_compares_a_shortlist_of_a_large_list_and_every_name_of_a_small_one(monkeypatch):
    compared: list[int] = []
    real = difflib.get_close_matches

    def counted(wanted, names, n, cutoff):
        compared.append(len(names))
        return real(wanted, names, n, cutoff)

    monkeypatch.setattr(suggest.difflib, "get_close_matches", counted)
    names = ids(20_000)
    assert closest("synthetic-000042-cataract-surgery", names, 3, cutoff=0.4)
    assert closest("synthetic-000042-cataract-surgery", names[:900], 3, cutoff=0.4)
    assert compared == [suggest.SHORTLIST, 900]


@pytest.mark.parametrize("wanted", ["", "a", "zz", "漢字"])
def test_a_name_too_short_or_unlike_any_is_compared_as_it_always_was(wanted):
    names = ids(6_000)
    assert closest(wanted, names, 3, cutoff=0.4) == difflib.get_close_matches(wanted, names, n=3, cutoff=0.4)


def test_names_that_contain_the_wanted_one_still_come_after_the_alike_ones():
    names = ids(6_000)
    found = closest("cataract-surgery-for-people", names, 3, cutoff=0.99, containing=True)
    assert found == [name for name in names if "cataract-surgery-for-people" in name][:3]
