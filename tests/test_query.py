import pytest

from shenka_cli.core.errors import BadDate, EmptyWindow, NoMatch, ShenkaError
from shenka_cli.core.loader import load
from shenka_cli.core.model import FuzzyDate
from shenka_cli.core.query import (
    Filters,
    StatSort,
    chronological,
    closest_ids,
    find_fact,
    parse_bound,
    sector_summaries,
    select,
    statistics,
)

from .conftest import BUNDLED, VALID


@pytest.fixture(scope="module")
def base():
    return load([VALID]).base


@pytest.fixture(scope="module")
def bundled():
    return load([BUNDLED]).base


def ids(facts):
    return [fact.id for fact in facts]


def test_chronological_order_year_before_its_months(base):
    dated, undated = chronological(base.facts)
    assert ids(dated) == [
        "programme-since-2010",
        "incubator-opens",
        "cataract-surgery",
        "lab-opens",
        "pengcheng-lab-node",
    ]
    assert ids(undated) == ["logistics-port"]


def test_bundled_timeline_starts_in_2010_and_day_sorts_after_month(bundled):
    dated, _ = chronological(bundled.facts)
    first = dated[0]
    assert first.when.start == FuzzyDate(2010)
    order = [fact.when.sort_key for fact in dated]
    assert order == sorted(order)
    position = {fact.when.iso: index for index, fact in reversed(list(enumerate(dated)))}
    assert position["2025-08-09"] > position["2025-07"]


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2024", "2024", {"incubator-opens", "cataract-surgery", "programme-since-2010"}),
        ("2024-08", "2024-08", {"incubator-opens", "cataract-surgery", "programme-since-2010"}),
        ("2024-09", "2024-12", {"incubator-opens", "programme-since-2010"}),
        ("2025-08-09", None, {"pengcheng-lab-node", "programme-since-2010"}),
        (None, "2009", set()),
    ],
)
def test_date_window_covers_whole_months_and_overlapping_periods(base, start, end, expected):
    chosen = Filters(start=parse_bound(start) if start else None, end=parse_bound(end) if end else None)
    assert set(ids(select(base, chosen))) == expected


def test_filters_by_sector_place_tag(base):
    assert ids(select(base, Filters(sector="industry"))) == ["incubator-opens", "logistics-port", "pengcheng-lab-node"]
    assert set(ids(select(base, Filters(place="塔什库尔干")))) == {"programme-since-2010"}
    assert set(ids(select(base, Filters(tag="first")))) == {"logistics-port", "pengcheng-lab-node"}


def test_unknown_sectors_bad_dates_and_empty_windows_are_domain_errors(base):
    with pytest.raises(ShenkaError, match="unknown sector"):
        select(base, Filters(sector="nope"))
    for bad in ("2024-13", "24", "2024-02-30", "soon", "2024-8"):
        with pytest.raises(BadDate) as raised:
            parse_bound(bad)
        assert "--" not in raised.value.message, "core never names an option"
    with pytest.raises(EmptyWindow):
        select(base, Filters(start=parse_bound("2025"), end=parse_bound("2024")))


def test_sector_summaries(base):
    summaries = {s.sector.id: s for s in sector_summaries(base, base.facts)}
    industry = summaries["industry"]
    assert (industry.facts, industry.stats) == (3, 2)
    assert (industry.first.iso, industry.last.iso) == ("2024", "2025-08-09")
    assert industry.headline[0].written == "8.4亿元"
    assert summaries["exchange"].facts == 0
    assert summaries["exchange"].first is None


def test_statistics_grouped_by_unit_and_sorted(bundled):
    by_value = statistics(bundled, bundled.facts, StatSort.VALUE)
    units = [stat.unit for stat in by_value]
    blocks = [unit for index, unit in enumerate(units) if index == 0 or units[index - 1] != unit]
    assert len(blocks) == len(set(units)), "each unit forms one contiguous group"
    for unit in set(units):
        numbers = [s.value if s.value is not None else s.low for s in by_value if s.unit == unit]
        assert numbers == sorted(numbers, reverse=True)


def test_unknown_id_names_closest(base):
    ids = [fact.id for fact in base.facts]
    assert find_fact(base.fact("lab-opens"), "lab-opens", lambda: ids).id == "lab-opens"
    assert closest_ids(ids, "catarct-surgery")[0] == "cataract-surgery"
    with pytest.raises(NoMatch) as raised:
        find_fact(None, "pengcheng", lambda: closest_ids(ids, "pengcheng"))
    assert raised.value.hint.startswith("did you mean: pengcheng-lab-node")
