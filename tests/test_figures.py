import pytest

from shenka_cli.core.figures import FigureError, canonical_unit, chinese_numeral, parse_figure
from shenka_cli.core.model import Qualifier, StatKind

E, M, A, R, L = Qualifier.EXACT, Qualifier.MORE_THAN, Qualifier.ABOUT, Qualifier.RANGE, Qualifier.LESS_THAN
Q, ORD = StatKind.QUANTITY, StatKind.ORDINAL


@pytest.mark.parametrize(
    ("text", "value", "low", "high", "unit", "qualifier", "kind"),
    [
        ("8.4亿元", 840_000_000, 840_000_000, 840_000_000, "元", E, Q),
        ("2.5万台", 25_000, 25_000, 25_000, "台", E, Q),
        ("1000余个", 1000, 1000, None, "个", M, Q),
        ("7-10天", None, 7, 10, "天", R, Q),
        ("1-3天", None, 1, 3, "天", R, Q),
        ("7~10天", None, 7, 10, "天", R, Q),
        ("7至10天", None, 7, 10, "天", R, Q),
        ("3-5万元", None, 30_000, 50_000, "元", R, Q),
        ("千万亩", 10_000_000, None, None, "亩", A, Q),  # a scale word, not a measured area
        ("万亩", 10_000, None, None, "亩", A, Q),
        ("990余名", 990, 990, None, "人", M, Q),
        ("6600余名", 6600, 6600, None, "人", M, Q),
        ("480余人", 480, 480, None, "人", M, Q),
        ("2023人", 2023, 2023, 2023, "人", E, Q),
        ("10余万元", 100_000, 100_000, None, "元", M, Q),
        ("十多个", 10, 10, None, "个", M, Q),
        ("约100人", 100, None, None, "人", A, Q),
        ("100人左右", 100, None, None, "人", A, Q),
        ("两年多", 2, 2, None, "年", M, Q),
        ("两批", 2, 2, 2, "批", E, Q),
        ("6批次", 6, 6, 6, "批", E, Q),  # 批次 and 批 are one unit (issue 12)
        ("第十一批", 11, 11, 11, "批", E, ORD),
        ("第四届", 4, 4, 4, "届", E, ORD),
        ("首届", 1, 1, 1, "届", E, ORD),
        ("70周年", 70, 70, 70, "周年", E, ORD),
    ],
)
def test_parse_figure(text, value, low, high, unit, qualifier, kind):
    figure = parse_figure(text)
    assert (figure.value, figure.low, figure.high) == (value, low, high)
    assert (figure.unit, figure.qualifier, figure.kind) == (unit, qualifier, kind)


# The written forms news uses (issue 14): decimals with 点, numerals with 零, bare magnitudes, qualifiers
# before the number, percentages in words, and a range whose top is "more than".
NEWS_FORMS = [
    ("八点四亿元", 840_000_000, 840_000_000, 840_000_000, "元", E),
    ("三点五万人", 35_000, 35_000, 35_000, "人", E),
    ("零点五亿元", 50_000_000, 50_000_000, 50_000_000, "元", E),
    ("3-5万余元", 30_000, 30_000, None, "元", M),
    ("3-5万多元", 30_000, 30_000, None, "元", M),
    ("两千零二十三人", 2023, 2023, 2023, "人", E),
    ("一千零五十个", 1050, 1050, 1050, "个", E),
    ("十万人", 100_000, 100_000, 100_000, "人", E),
    ("万余人", 10_000, 10_000, None, "人", M),
    ("近千人", 1000, None, None, "人", A),
    ("约3000名", 3000, None, None, "人", A),
    ("近5000个", 5000, None, None, "个", A),
    ("逾100家", 100, 100, None, "家", M),
    ("超1000人", 1000, 1000, None, "人", M),
    ("超过2万人", 20_000, 20_000, None, "人", M),
    ("不到10天", 10, None, 10, "天", L),
    ("不足一百人", 100, None, 100, "人", L),
    ("上万人", 10_000, 10_000, None, "人", M),
    ("上百家", 100, 100, None, "家", M),
    ("数十所", 10, 10, None, "所", M),
    ("几十个", 10, 10, None, "个", M),
    ("数万人", 10_000, 10_000, None, "人", M),
    ("百分之三十", 30, 30, 30, "%", E),
    ("百分之三十五点五", 35.5, 35.5, 35.5, "%", E),
    ("约百分之二十", 20, None, None, "%", A),
    ("30%", 30, 30, 30, "%", E),
    ("30％", 30, 30, 30, "%", E),
    ("12.5%", 12.5, 12.5, 12.5, "%", E),
    ("1.2万余人", 12_000, 12_000, None, "人", M),
    # Neighbouring digits are an estimate between them; 十几 is eleven to nineteen.
    ("两三百人", None, 200, 300, "人", R),
    ("三四十个", None, 30, 40, "个", R),
    ("七八千元", None, 7_000, 8_000, "元", R),
    ("一两个", None, 1, 2, "个", R),
    ("十几个", None, 11, 19, "个", R),
    ("二十几万人", None, 210_000, 290_000, "人", R),
    ("两千零二十三人", 2023, 2023, 2023, "人", E),
]


@pytest.mark.parametrize(
    ("text", "value", "low", "high", "unit", "qualifier"), NEWS_FORMS, ids=[f[0] for f in NEWS_FORMS]
)
def test_written_forms_of_the_news(text, value, low, high, unit, qualifier):
    figure = parse_figure(text)
    assert (figure.value, figure.low, figure.high, figure.unit, figure.qualifier) == (
        value,
        low,
        high,
        unit,
        qualifier,
    )
    assert figure.kind is Q


@pytest.mark.parametrize(
    "text", ["", "abc", "100", "亿", "7-3天", "8.4.1亿元", "八点亿元", "8点4亿元", "上5个", "百分之"]
)
def test_unreadable_figures_are_rejected(text):
    with pytest.raises(FigureError):
        parse_figure(text)


@pytest.mark.parametrize(
    ("numeral", "value"),
    [
        ("十一", 11),
        ("两", 2),
        ("一千零五", 1005),
        ("两千零二十三", 2023),
        ("一千零五十", 1050),
        ("十万", 100_000),
        ("千万", 10_000_000),
        ("一亿二千万", 120_000_000),
        ("二十", 20),
    ],
)
def test_chinese_numerals(numeral, value):
    assert chinese_numeral(numeral) == value


def test_people_are_counted_in_ren():
    assert canonical_unit("名") == canonical_unit("位") == "人"
    assert canonical_unit("台") == "台"
