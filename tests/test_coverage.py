"""shenka coverage: the figure finder on texts written here, the matcher, and full coverage of the source article."""

from __future__ import annotations

import csv
import io
import json

import pytest

from shenka_cli.core.coverage import DATE, ORDINAL, QUANTITY, context_of, cover, find_all, find_dates, words
from shenka_cli.core.loader import load
from shenka_cli.core.model import Qualifier

from .conftest import ARTICLE, BUNDLED

RECORD_KEYS = [
    "kind",
    "text",
    "value",
    "low",
    "high",
    "unit",
    "qualifier",
    "context",
    "line",
    "covered_by",
    "same_number_in",
]


@pytest.fixture(scope="module")
def bundled_facts():
    return load([BUNDLED]).base.facts


def found(text: str) -> list[tuple[str, str]]:
    return [(item.kind, item.text) for item in find_all(text)]


# The finder.


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "深圳先后派出援疆干部人才2023人，组织实施各类援疆项目1000余个。",
            [(QUANTITY, "2023人"), (QUANTITY, "1000余个")],
        ),
        ("完成投资8.4亿元，募集阅读机2.5万台。", [(QUANTITY, "8.4亿元"), (QUANTITY, "2.5万台")]),
        ("物流时效由7-10天缩短至1-3天", [(QUANTITY, "7-10天"), (QUANTITY, "1-3天")]),
        ("万亩海水稻种植基地以及千万亩沙棘", [(QUANTITY, "万亩"), (QUANTITY, "千万亩")]),
        ("深圳市第十一批援疆干部人才进疆", [(ORDINAL, "第十一批")]),
        ("塔县成功举办第四届音乐节，深圳文博会设立首届新疆展", [(ORDINAL, "第四届"), (ORDINAL, "首届")]),
        ("迎来两批客人——36名师生", [(QUANTITY, "两批"), (QUANTITY, "36名")]),
        ("今年是新疆维吾尔自治区成立70周年", [(ORDINAL, "70周年")]),
        ("两年多来深圳累计选派干部471人", [(QUANTITY, "两年多"), (QUANTITY, "471人")]),
        ("4所高校选派6批次236名大学生", [(QUANTITY, "4所"), (QUANTITY, "6批次"), (QUANTITY, "236名")]),
        ("为当地990余名群众免费实施手术", [(QUANTITY, "990余名")]),
        ("约100人参加，另有300人左右", [(QUANTITY, "约100人"), (QUANTITY, "300人左右")]),
        (
            "投入3-5万元，十多个项目，首批100名",
            [(QUANTITY, "3-5万元"), (QUANTITY, "十多个"), (ORDINAL, "首批"), (QUANTITY, "100名")],
        ),
        (
            "增长12.5%，提高1.5倍，投资100,000元，２０２３人",
            [(QUANTITY, "12.5%"), (QUANTITY, "1.5倍"), (QUANTITY, "100,000元"), (QUANTITY, "２０２３人")],
        ),
        ("2024年9月20日晚，音乐剧首次来深演出", [(DATE, "2024年9月20日")]),
        ("2023年4月，干部进疆；自2010年以来", [(DATE, "2023年4月"), (DATE, "2010年")]),
        (
            "2010-2015年，二〇二四年九月，9月20日",
            [(DATE, "2010"), (DATE, "2015年"), (DATE, "二〇二四年九月"), (DATE, "9月20日")],
        ),
        ("2024年，基地投入使用，两年多来", [(DATE, "2024年"), (QUANTITY, "两年多")]),
        ("签约3家企业，最近5年", [(QUANTITY, "3家"), (QUANTITY, "5年")]),
        ("“我们培训了300名医生，非常感谢！”", [(QUANTITY, "300名")]),
        ("完成投资八点四亿元，带动3-5万余元增收", [(QUANTITY, "八点四亿元"), (QUANTITY, "3-5万余元")]),
        ("近千人参加，逾100家企业，超过2万人", [(QUANTITY, "近千人"), (QUANTITY, "逾100家"), (QUANTITY, "超过2万人")]),
        ("不到10天，上万人观看，数十所学校", [(QUANTITY, "不到10天"), (QUANTITY, "上万人"), (QUANTITY, "数十所")]),
        (
            "占比百分之三十，约百分之二十，增长30%",
            [(QUANTITY, "百分之三十"), (QUANTITY, "约百分之二十"), (QUANTITY, "30%")],
        ),
        (
            "1.2万余人，两千零二十三人，一千零五十个",
            [(QUANTITY, "1.2万余人"), (QUANTITY, "两千零二十三人"), (QUANTITY, "一千零五十个")],
        ),
        ("网上万人围观，高超3个", [(QUANTITY, "万人"), (QUANTITY, "3个")]),
    ],
)
def test_finds_figures_and_dates(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "昆仑万里情 深喀一家亲",
        "一大批高质量项目开花结果",
        "进一步提升当地居民的健康值",
        "一系列医疗援疆的务实举措",
        "新疆唯一全域高原县",
        "自新一轮对口援疆工作开展以来",
        "儿科一体化诊疗中心",
        "带来万千新疆喀什师生的感恩之情",
        "深喀两地人民接续书写山海情深的故事",
        "又上一个新台阶",
        "千家万户，百家争鸣，十四五规划，三个代表",
        # Names and grades, not figures: skipped.
        "南疆首个大型5G数字化综合物流园",
        "多个国家5A、4A级旅游景区",
        "首家二级甲等妇幼保健院",
        "二期工程，五一节",
        # 首个, 首家, 首次: a "first of its kind" (the tag first), not an ordinal figure.
        "南疆首个国家级孵化器，首次纳入全国算力网体系，喀什地区首家",
        # Titles of works and short quoted names.
        "推动喀什市“五分钟社会救援圈”项目建设",
        "“遇见科学家”“如何复活一只恐龙”等科普内容；《一千零一夜》《100个故事》",
        # Not real dates, and a bare magnitude without a measure word.
        "2月30日，13月1日，人口3万",
        "",
    ],
)
def test_no_false_positives(text):
    assert found(text) == []


def test_a_date_is_never_also_a_figure():
    items = find_all("2024年，2023年4月，2024年9月20日，两年多，1000年")
    assert [(item.kind, item.text) for item in items] == [
        (DATE, "2024年"),
        (DATE, "2023年4月"),
        (DATE, "2024年9月20日"),
        (QUANTITY, "两年多"),
        (QUANTITY, "1000年"),  # 1000 is not a year shenka reads as a date: a duration
    ]
    assert [item.date_iso for item in items[:3]] == ["2024", "2023-04", "2024-09-20"]
    assert find_dates("9月20日")[0].date_iso == "--09-20"


def test_figures_are_read_by_the_figure_parser():
    by_text = {item.text: item.figure for item in find_all("1000余个，7-10天，约100人，第四届，990余名")}
    assert (by_text["1000余个"].value, by_text["1000余个"].qualifier) == (1000, Qualifier.MORE_THAN)
    assert (by_text["7-10天"].low, by_text["7-10天"].high, by_text["7-10天"].qualifier) == (7, 10, Qualifier.RANGE)
    assert by_text["约100人"].qualifier is Qualifier.ABOUT
    assert by_text["990余名"].unit == "人"
    assert by_text["第四届"].kind.value == "ordinal"


def test_context_is_the_sentence_trimmed_around_the_figure():
    text = "第一句没有数字。" + "很长的句子" * 10 + "投资8.4亿元" + "继续说下去" * 10 + "。下一句\n新的一行30人"
    items = find_all(text)
    assert [item.text for item in items] == ["8.4亿元", "30人"]
    context = items[0].context
    assert "8.4亿元" in context and context.startswith("…") and context.endswith("…")
    assert len(context) <= 42
    assert "第一句" not in context and "下一句" not in context
    assert items[1].context == "新的一行30人"
    assert (items[0].line, items[1].line) == (1, 2)
    assert context_of("甲。乙5人丙！丁", 3, 5) == "乙5人丙"


def test_the_finder_is_fast_on_hostile_text():
    import time

    start = time.monotonic()
    for text in ["一" * 50_000, "1" * 50_000, "2024年" * 10_000, " " * 50_000 + "5人" * 10_000, "《" + "约1" * 20_000]:
        find_all(text)
    assert time.monotonic() - start < 10


# The matcher.


@pytest.mark.parametrize(
    ("text", "covered_by"),
    [
        ("8.4亿元", ["aerospace-park-incubator"]),
        ("84000万元", ["aerospace-park-incubator"]),  # the same value, written otherwise
        ("1000余个", ["aid-programme-since-2010"]),
        ("1000个", []),  # exact is not "more than"
        ("7-10天", ["jd-logistics-kashgar-port"]),
        ("7-9天", []),
        ("第十一批", ["eleventh-batch-cadres"]),
        ("第11批", ["eleventh-batch-cadres"]),
        ("11批", []),  # a quantity, not the ordinal
        ("首届", ["cnicif-xinjiang-exhibition", "kashgar-first-culture-expo"]),
        ("70周年", ["anniversaries-2025"]),
        ("990余人", ["kashgar-light-journey-cataract"]),  # 名 and 人 both count people
        ("2023年4月", ["eleventh-batch-cadres", "tenth-batch-results-2020-2023"]),  # a period's start and end
        ("2024年9月20日", ["pomegranate-musical-shenzhen"]),
        ("2023年5月", ["airport-groups-cooperation-2023"]),
        ("2024年9月", []),  # a month is not the day 2024-09-20: the same precision is needed
        ("8月9日", ["pengcheng-lab-kashgar-node"]),  # no year: month and day
    ],
)
def test_matching_against_the_bundled_facts(bundled_facts, text, covered_by):
    """The facts that hold the figure; with no words around it, none covers it: they hold the same number."""
    items = find_all(text)
    assert len(items) == 1, items
    (entry,) = cover(items, bundled_facts)
    assert list(entry.same_number) == covered_by
    assert entry.covered_by == ()


@pytest.mark.parametrize(
    ("text", "covered_by", "same_number"),
    [
        # The issue's example: the numbers are the bus stops', a musical's and a laboratory's, the words are not.
        (
            "喀什新建了5个公园和12个广场，2025年7月开放。",
            [],
            ["bus-stops-and-charging", "lazini-musical", "bgi-precision-medicine-lab"],
        ),
        ("完成投资8.4亿元。", ["aerospace-park-incubator"], []),
        ("新建公园8.4亿元。", [], ["aerospace-park-incubator"]),
        ("为990余名群众免费实施白内障手术。", ["kashgar-light-journey-cataract"], []),
        ("2024年9月20日，音乐剧在深圳上演。", ["pomegranate-musical-shenzhen"], []),
        ("2024年9月20日，新公园开放。", [], ["pomegranate-musical-shenzhen"]),
    ],
)
def test_a_figure_is_covered_only_where_the_context_agrees(bundled_facts, text, covered_by, same_number):
    entries = cover(find_all(text), bundled_facts)
    assert [fact_id for entry in entries for fact_id in entry.covered_by] == covered_by
    assert [fact_id for entry in entries for fact_id in entry.same_number] == same_number


def test_the_source_itself_covers_its_figures(bundled_facts):
    from shenka_cli.core.loader import load

    sources = load([BUNDLED]).base.sources
    text = "昆仑万里情 深喀一家亲\n\n深圳高质量开展对口援疆工作促进各民族交往交流交融\n\n新建公园8.4亿元。"
    (entry,) = cover(find_all(text), bundled_facts, sources=sources, text=text)
    assert entry.covered_by == ("aerospace-park-incubator",)
    (other,) = cover(find_all("新建公园8.4亿元。"), bundled_facts, sources=sources, text="新建公园8.4亿元。")
    assert other.covered_by == ()


def test_words_are_character_pairs_and_english_words():
    assert words("完成投资 Investment of") == {"完成", "成投", "投资", "investment"}


def test_an_as_of_date_covers(bundled_facts):
    # 12个 of lazini-musical holds for 2022-04 to 2025: its as_of period.
    (entry,) = cover(find_dates("2022年4月，音乐剧首演"), bundled_facts)
    assert "lazini-musical" in entry.covered_by


# The command.


def test_the_article_is_completely_covered(run):
    if not ARTICLE.exists():
        pytest.skip(f"the source article is not at {ARTICLE}")
    result = run("coverage", str(ARTICLE), "--format", "json")
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    missing = [(r["text"], r["context"]) for r in records if not r["covered_by"]]
    assert missing == []
    assert len(records) >= 40
    kinds = {r["kind"] for r in records}
    assert kinds == {QUANTITY, ORDINAL, DATE}
    table = run("--lang", "en", "coverage", str(ARTICLE))
    assert table.exit_code == 0
    assert f"{len(records)} figures, {len(records)} covered, 0 not covered" in table.stdout


def test_uncovered_figures_are_listed_and_exit_1(run, tmp_path):
    source = tmp_path / "other.txt"
    source.write_text("深圳派出干部2023人。\n另有新项目37个，2019年5月启动，首批100名。\n", encoding="utf-8")
    result = run("--lang", "en", "coverage", str(source))
    assert result.exit_code == 1
    assert "4 of 5 figures not covered" in result.stderr
    assert "5 figures, 1 covered, 4 not covered" in result.stdout
    assert "not covered" in result.stdout and "aid-programme-since-2010" in result.stdout
    assert result.stdout.index("Quantities") < result.stdout.index("Ordinals") < result.stdout.index("Dates")
    records = json.loads(run("coverage", str(source), "--format", "json").stdout)
    assert [list(record) for record in records] == [RECORD_KEYS] * 5
    by_text = {record["text"]: record for record in records}
    assert by_text["2023人"] == {
        "kind": "quantity",
        "text": "2023人",
        "value": 2023,
        "low": 2023,
        "high": 2023,
        "unit": "人",
        "qualifier": "exact",
        "context": "深圳派出干部2023人",
        "line": 1,
        "covered_by": ["aid-programme-since-2010"],
        "same_number_in": [],
    }
    assert by_text["首批"]["kind"] == "ordinal" and by_text["首批"]["line"] == 2
    assert by_text["2019年5月"]["value"] == "2019-05" and by_text["2019年5月"]["unit"] is None
    assert by_text["37个"]["covered_by"] == []


@pytest.mark.parametrize("format", ["table", "markdown", "csv", "json"])
def test_every_format(run, tmp_path, format):
    source = tmp_path / "s.txt"
    source.write_text("完成投资8.4亿元，第四届音乐节，2024年9月20日。", encoding="utf-8")
    result = run("--lang", "en", "coverage", str(source), "--format", format)
    assert result.exit_code == 0, result.output
    if format == "csv":
        rows = list(csv.DictReader(io.StringIO(result.stdout)))
        assert [row["text"] for row in rows] == ["8.4亿元", "第四届", "2024年9月20日"]
        assert rows[0]["covered_by"] == "aerospace-park-incubator"
    elif format == "json":
        assert len(json.loads(result.stdout)) == 3
    else:
        assert "3 figures, 3 covered, 0 not covered" in result.stdout


def test_no_figures_is_complete_coverage(run, tmp_path):
    source = tmp_path / "empty.txt"
    source.write_text("这里没有数字。\n", encoding="utf-8")
    result = run("--lang", "en", "coverage", str(source))
    assert result.exit_code == 0
    assert "0 figures, 0 covered, 0 not covered" in result.stdout
    assert run("coverage", str(source), "--format", "json").stdout.strip() == "[]"


def test_output_file_and_standard_input(run, tmp_path):
    target = tmp_path / "out.md"
    result = run("coverage", "-", "--format", "markdown", "-o", str(target), input="投资8.4亿元。")
    assert result.exit_code == 0, result.output
    assert "| aerospace-park-incubator |" in target.read_text(encoding="utf-8")
    again = run("coverage", "-", "-o", str(target), input="投资8.4亿元。")
    assert again.exit_code == 2 and "--force" in again.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "no such file"), (b"\xd5\xe2\xca\xc7 GBK", "GBK"), (b"a\x00b", "NUL"), ("dir", "is a directory")],
)
def test_unreadable_sources_are_usage_errors(run, tmp_path, content, message):
    source = tmp_path / "source.txt"
    if content == "dir":
        source.mkdir()
    elif content is not None:
        source.write_bytes(content)
    result = run("coverage", str(source))
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_hostile_source_text_is_shown_safely(run, tmp_path):
    source = tmp_path / "hostile.txt"
    source.write_text("[bold]注入[/bold]\x1b[31m 投资8.4亿元\u202e。", encoding="utf-8")
    result = run("coverage", str(source))
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
    assert "[bold]" in result.stdout


@pytest.mark.parametrize(
    ("lang", "expected", "unexpected"),
    [
        (
            "zh",
            ["数量", "未覆盖（相同数字见 bus-stops-and-charging）", "共 3 个数字，已覆盖 0 个"],
            ["not covered", "quantity", "figures"],
        ),
        (
            "en",
            ["Quantities", "not covered (same number in bus-stops-and-charging)", "3 figures, 0 covered"],
            ["未覆盖", "数量"],
        ),
    ],
)
def test_the_output_follows_lang(run, lang, expected, unexpected):
    result = run("--lang", lang, "coverage", "-", input="喀什新建了5个公园和12个广场，2025年7月开放。\n")
    assert result.exit_code == 1
    for text in expected:
        assert text in result.stdout
    for text in unexpected:
        assert text not in result.stdout


def test_csv_keeps_machine_values_in_every_language(run):
    result = run("--lang", "zh", "coverage", "-", "--format", "csv", input="喀什新建了5个公园，完成投资8.4亿元。\n")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(row["kind"], row["covered_by"], row["same_number_in"]) for row in rows] == [
        ("quantity", "", "bus-stops-and-charging"),
        ("quantity", "aerospace-park-incubator", ""),
    ]
