"""Figures written in English from the unit registry, and in Chinese from an English source's number."""

from __future__ import annotations

import re

import pytest

from shenka_cli.core.figures_en import english_figure, grouped, ordinal
from shenka_cli.core.loader import load
from shenka_cli.core.model import Qualifier, Statistic, StatKind
from shenka_cli.present.figures import Units

from .conftest import BUNDLED, REPO

EXACT, MORE, ABOUT, LESS, RANGE = (
    Qualifier.EXACT,
    Qualifier.MORE_THAN,
    Qualifier.ABOUT,
    Qualifier.LESS_THAN,
    Qualifier.RANGE,
)


@pytest.fixture(scope="module")
def units() -> Units:
    return Units(load([BUNDLED]).base.units)


def stat(written, value, unit, qualifier=EXACT, kind=StatKind.QUANTITY, low=None, high=None) -> Statistic:
    if qualifier is EXACT:
        low = high = value
    elif qualifier is MORE:
        low = value
    return Statistic("f", "标签", "Label", written, value, low, high, unit, qualifier, kind, None)


@pytest.mark.parametrize(
    ("figure", "english"),
    [
        (stat("8.4亿元", 840_000_000, "元"), "CNY 840 million"),
        (stat("126.56亿元", 12_656_000_000, "元"), "CNY 12.656 billion"),
        (stat("80多亿元", 8_000_000_000, "元", MORE), "more than CNY 8 billion"),
        (stat("9680.5万元", 96_805_000, "元"), "CNY 96.805 million"),
        (stat("50万元", 500_000, "元"), "CNY 500,000"),
        (stat("990余名", 990, "名", MORE), "more than 990 people"),
        (stat("2023人", 2023, "人"), "2,023 people"),
        (stat("1人", 1, "人"), "1 person"),
        (stat("3.52万人", 35_200, "人"), "35,200 people"),
        (stat("万亩", 10_000, "亩", ABOUT), "about 10,000 mu (about 667 ha)"),
        (stat("7-10天", None, "天", RANGE, low=7, high=10), "7–10 days"),
        (stat("不到3小时", 3, "小时", LESS, high=3), "less than 3 hours"),
        (stat("1000余个", 1000, "个", MORE), "more than 1,000"),
        (stat("第十一批", 11, "批", kind=StatKind.ORDINAL), "11th batch"),
        (stat("70周年", 70, "周年", kind=StatKind.ORDINAL), "70th anniversary"),
        (stat("第一个", 1, "个", kind=StatKind.ORDINAL), "1st"),
        (stat("283.2%", 283.2, "%"), "283.2%"),
        (stat("$113.6 million", 113_600_000, "美元"), "USD 113.6 million"),
        (stat("5座", 5, "座"), "5 (座)"),  # a unit the registry lacks: the original, in parentheses
    ],
)
def test_english_figures(units, figure, english):
    assert units.english_figure(figure) == english


@pytest.mark.parametrize(
    ("figure", "chinese"),
    [
        (stat("an extra 200 million yuan", 200_000_000, "元"), "2亿元"),
        (stat("more than 5,000 km", 5000, "公里", MORE), "超过5,000公里"),
        (stat("about eight hours", 8, "小时", ABOUT), "约8小时"),
        (stat("127 projects", 127, "个"), "127个"),
        (stat("990余名", 990, "人", MORE), "990余名"),  # a Chinese source: as written
    ],
)
def test_chinese_figures(units, figure, chinese):
    assert units.figure(figure, "zh") == chinese


def test_grouping_and_ordinals():
    assert [grouped(n) for n in (2023, 1_000_000, 666.5, 12.0, 0.6)] == ["2,023", "1,000,000", "666.5", "12", "0.6"]
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
        "101st",
        "111th",
    ]


def test_every_bundled_figure_is_written_in_english_with_separators(units):
    for figure in load([BUNDLED]).base.stats:
        english = units.english_figure(figure)
        assert not re.search(r"[\u3400-\u9fff]", english), (figure, english)
        assert not re.search(r"(?<![\d,.])\d{4,}", english), (figure.written, english)
    assert english_figure(1234, 1234, 1234, EXACT, StatKind.QUANTITY, None, "座") == "1,234 (座)"


def test_bundled_english_text_groups_its_thousands():
    """The facts' own English (outside the originals quoted in parentheses) writes 2,023, never 2023 people."""
    base = load([BUNDLED]).base
    texts = [text for fact in base.facts for text in (fact.title_en, fact.summary_en)]
    texts += [figure.label_en for figure in base.stats]
    for text in texts:
        bare = re.sub(r"\([^()]*\)", "", text)
        assert not re.search(r"(?<![\d,.])\d{5,}", bare), text
        count = re.search(r"(?<![\d,.])\d{4}\s+(people|cadres|projects|students|teachers|companies|yuan|mu)\b", bare)
        assert count is None, text


def test_readme_names_every_original_and_english_key():
    from .purity import ENGLISH_KEYS, ORIGINAL_KEYS

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("### One language at a time", 1)[1].split("\n## ", 1)[0]
    assert [key for key in sorted(ORIGINAL_KEYS | ENGLISH_KEYS) if f"`{key}`" not in section] == []
