"""The cache's JSON codec: every model value comes back equal, and data that does not fit its type is refused."""

from __future__ import annotations

import json

import pytest

from shenka_cli.core.errors import Problem
from shenka_cli.core.loader import FileContent, load
from shenka_cli.core.model import Fact, FactBase, Statistic
from shenka_cli.core.store.codec import compiled_decoder, decoder, encoder

from .conftest import BUNDLED


@pytest.mark.parametrize("make", [decoder, compiled_decoder], ids=["closures", "compiled"])
def test_every_bundled_fact_and_the_base_round_trip(make):
    base = load([BUNDLED]).base
    for fact in base.facts:
        again = make(Fact)(json.loads(json.dumps(encoder(Fact)(fact), ensure_ascii=False)))
        assert again == fact
        assert type(again.when) is type(fact.when)
        assert [type(stat.as_of) for stat in again.stats] == [type(stat.as_of) for stat in fact.stats]
    bare = base._replace(facts=())
    assert make(FactBase)(json.loads(json.dumps(encoder(FactBase)(bare)))) == bare
    content = FileContent("x.toml", base.sectors, base.sources, base.facts[:3], (Problem("x", 1, "m"),), (1,), (None,))
    assert make(FileContent)(json.loads(json.dumps(encoder(FileContent)(content)))) == content


@pytest.mark.parametrize("make", [decoder, compiled_decoder], ids=["closures", "compiled"])
@pytest.mark.parametrize(
    "data",
    [None, "x" * 12, [1] * 12, ["x"] * 11, ["l", "le", "w", 5, None, None, None, "u", "exact", "quantity", None, None]],
)
def test_data_that_does_not_fit_the_type_is_refused(make, data):
    with pytest.raises((ValueError, TypeError)):
        make(Statistic)(data)
