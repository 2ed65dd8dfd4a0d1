"""Reading numbers written the Chinese way."""

from __future__ import annotations

import time

import pytest
from conftest import time_limit

from metrics.model.numbers import Kind, find_mentions, parse_chinese_numeral, parse_number
from metrics.model.vocab import Qualifier

PARSE_CASES = [
    ("2", 2),
    ("1764", 1764),
    ("1,900", 1900),
    ("1010.3", 1010.3),
    ("１２３", 123),
    ("5万", 50_000),
    ("8000万", 80_000_000),
    ("1010.3万", 10_103_000),
    ("2.5亿", 250_000_000),
    ("十", 10),
    ("十二", 12),
    ("两", 2),
    ("三千", 3000),
    ("一百零五", 105),
    ("二十万", 200_000),
    ("一亿二千万", 120_000_000),
    ("二〇一九", 2019),
    ("百", 100),
    ("万", 10_000),
]


@pytest.mark.parametrize(("text", "expected"), PARSE_CASES)
def test_parse_number(text: str, expected: float) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["", "abc", "1.2.3", "十x", "5万x"])
def test_parse_number_rejects_non_numbers(text: str) -> None:
    with pytest.raises(ValueError):
        parse_number(text)


def test_chinese_numeral_rejects_other_characters() -> None:
    with pytest.raises(ValueError):
        parse_chinese_numeral("三会")


# text -> (value in base units, qualifier, unit) of the single quantity in it
MENTION_CASES = [
    ("累计培训2000余人次", 2000, Qualifier.more_than, "person_time"),
    ("累计完成投资8000余万元", 80_000_000, Qualifier.more_than, "yuan"),
    ("年收入达到5万元以上", 50_000, Qualifier.at_least, "yuan"),
    ("将全旗划分为1900余个网格", 1900, Qualifier.more_than, "item"),
    ("每名党员联系10户左右群众", 10, Qualifier.about, "household"),
    ("印制“口袋书”3000余册", 3000, Qualifier.more_than, "copy"),
    ("“党建知识小课堂”100讲", 100, Qualifier.exact, "lecture"),
    ("中青年干部培训班2期", 2, Qualifier.exact, "session"),
    ("调整补充支部书记45名", 45, Qualifier.exact, "person"),
    ("近百人参加", 100, Qualifier.nearly, "person"),
    ("约3万元", 30_000, Qualifier.about, "yuan"),
    ("超过1010.3万元", 10_103_000, Qualifier.more_than, "yuan"),
    ("逾两千人", 2000, Qualifier.more_than, "person"),
    ("覆盖率30%以上", 30, Qualifier.at_least, "percent"),
    ("修路十二公里", 12, Qualifier.exact, "km"),
    ("面积3.5平方公里", 3.5, Qualifier.exact, "km2"),
    ("三千多户", 3000, Qualifier.more_than, "household"),
    ("全镇9个村", 9, Qualifier.exact, "item"),
]


@pytest.mark.parametrize(("text", "value", "qualifier", "unit"), MENTION_CASES)
def test_find_mentions_reads_value_qualifier_and_unit(
    text: str, value: float, qualifier: Qualifier, unit: str
) -> None:
    [mention] = find_mentions(text)
    assert (mention.value, mention.qualifier, mention.unit) == (value, qualifier, unit)


@pytest.mark.parametrize("text", ["一肩挑", "三会一课", "造血十二法", "第一书记", "统一部署"])
def test_chinese_numerals_inside_words_are_not_quantities(text: str) -> None:
    assert find_mentions(text) == []


def test_several_mentions_in_one_quote_are_all_found() -> None:
    found = find_mentions("其中年收入达到5万元以上的嘎查村有303个")
    assert [(m.text, m.value, m.unit) for m in found] == [
        ("5万元以上", 50_000, "yuan"),
        ("303个", 303, "item"),
    ]


# Numbers that are not quantities, from the four articles and common phrasing:
# text -> [(mention, kind)] for every number in it.
KIND_CASES = [
    ("2019年全镇续建", [("2019", "date")]),
    ("2020-04-13 09:49:41", [(t, "date") for t in ("2020", "04", "13", "09", "49", "41")]),
    ("2020年4月13日", [("2020", "date"), ("4", "date"), ("13", "date")]),
    ("每月5日、15日、25日到群众说事点", [("5", "date"), ("15", "date"), ("25", "date")]),
    ("《实践》党的教育版2020年1期", [("2020", "date"), ("1期", "identifier")]),
    ("备案号:陇ICP备16001680号-1", [("16001680", "identifier"), ("1", "bare")]),
    ("用好12338维权热线", [("12338", "phone")]),
    ("服务热线:0932-6621234", [("0932", "phone"), ("6621234", "phone")]),
    ("联系电话13912345678", [("13912345678", "phone")]),
    ("第3个季度", [("3个", "ordinal")]),
    ("第一书记", []),
    ("推行“1+3”社会矛盾联调工作法", [("1", "name"), ("3", "name")]),
    ("严格履行“5天4宿”工作制度", [("5", "name"), ("4", "name")]),
    ("“1241”工作运行机制", [("1241", "name")]),
    ("结合533”“开门纳谏”", [("533", "name")]),
    ("建立“1+10”党员联系户制度", [("1", "name"), ("10", "name")]),
    ("持续争创全市“五面红旗”80面", [("五面", "name"), ("80面", "quantity")]),
    ("落实“四个一”整顿机制", [("四个", "name")]),
    ("3个月后竟然", [("3个", "duration")]),
    ("连续3年", [("3", "duration")]),
    ("Page 57", [("57", "bare")]),
    ("遵章守法”五项职责", [("五项", "quantity")]),
    ("应急处置三个方面", [("三个", "quantity")]),
    ("每个网格配备1名党员", [("1名", "quantity")]),
]


@pytest.mark.parametrize(("text", "expected"), KIND_CASES)
def test_kind_of_every_number(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(m.text, m.kind.value) for m in find_mentions(text)] == expected


def test_reading_numbers_takes_time_in_the_length_of_the_text_not_its_square() -> None:
    # 20,000 quantities among 20,000 dates and 20,000 quoted names, on one line: each
    # number is told from a date or a name by a look-up, not a pass over all of them.
    text = "2023年5月“1+3”机制覆盖10户，" * 20_000
    with time_limit(30):
        start = time.process_time()
        mentions = find_mentions(text)
        seconds = time.process_time() - start
    assert [(m.text, m.kind) for m in mentions[:5]] == [
        ("2023", Kind.date), ("5", Kind.date), ("1", Kind.name), ("3", Kind.name),
        ("10户", Kind.quantity),
    ]  # fmt: skip
    assert sum(m.kind is Kind.quantity for m in mentions) == 20_000
    assert seconds < 2, f"{seconds:.1f} s of CPU to read the numbers of 380,000 characters"
