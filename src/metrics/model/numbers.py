"""Reading quantities written the Chinese way: 2000余人次, 8000余万元, 十二, 10户左右.

`parse_number` turns one numeral (Arabic or Chinese, with 万/亿) into a number;
`find_mentions` lists every quantity in a piece of prose with its value in base units,
qualifier and unit, so that a quote can be checked against the value curated from it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from metrics.model.vocab import MEASURE_WORD_UNIT, Qualifier

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
_MULTIPLIERS = {"万": 10_000, "亿": 100_000_000, "万亿": 10**12}
# No quantity in an article is written with more characters than this; a longer run
# of digits (a hash, noise) is no number, and reading it would cost Decimal time
# quadratic in its length, or overflow Decimal's range, for nothing.
_MAX_NUMERAL = 60
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９．，", "0123456789.,")


def _parse_chinese_section(text: str) -> int:
    """Value of a Chinese numeral without 万/亿 (below ten thousand)."""
    total, digit = 0, None
    for char in text:
        if char in _CN_DIGITS:
            digit = _CN_DIGITS[char]
        elif char in _CN_SMALL_UNITS:
            # A leading 十 means one ten: 十二 is 12.
            total += (1 if digit is None else digit) * _CN_SMALL_UNITS[char]
            digit = None
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    return total + (digit or 0)


def parse_chinese_numeral(text: str) -> int:
    """Parse a Chinese numeral such as 十二, 两, 三千, 一百零五, 二十万 or 二〇一九."""
    if not text:
        raise ValueError("empty numeral")
    if all(char in _CN_DIGITS for char in text) and len(text) > 1:
        # Digit by digit, as in years: 二〇一九.
        return int("".join(str(_CN_DIGITS[char]) for char in text))
    total, section = 0, ""
    for char in text:
        if char in _CN_BIG_UNITS:
            value = _parse_chinese_section(section) if section else 1
            total = (
                (total + value) * _CN_BIG_UNITS[char] if char == "亿" else total + value * 10_000
            )
            section = ""
        else:
            section += char
    return total + (_parse_chinese_section(section) if section else 0)


def parse_number(text: str) -> int | float:
    """Parse a numeral with an optional 万/亿 multiplier into a plain number.

    Accepts Arabic digits (with thousands commas, decimals, full-width digits) and
    Chinese numerals: ``parse_number("1010.3万") == 10_103_000``.
    """
    cleaned = text.strip().translate(_FULLWIDTH_DIGITS)
    if len(cleaned) > _MAX_NUMERAL:
        raise ValueError(f"too long for a quantity: {len(cleaned)} characters")
    multiplier = 1
    for suffix in ("万亿", "亿", "万"):
        if cleaned.endswith(suffix) and re.search(r"\d", cleaned):
            multiplier, cleaned = _MULTIPLIERS[suffix], cleaned[: -len(suffix)]
            break
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?|\d+(\.\d+)?", cleaned):
        value = Decimal(cleaned.replace(",", "")) * multiplier
    elif cleaned and all(
        c in _CN_DIGITS or c in _CN_SMALL_UNITS or c in _CN_BIG_UNITS for c in cleaned
    ):
        value = Decimal(parse_chinese_numeral(cleaned)) * multiplier
    else:
        raise ValueError(f"not a number: {text!r}")
    return int(value) if value == value.to_integral_value() else float(value)


class Kind(StrEnum):
    """What a number in a text is. Only quantities are offered for curation."""

    quantity = "quantity"  # an amount with a measure word, 万/亿, % or a qualifier
    bare = "bare"  # a number with nothing that says what it counts
    date = "date"  # 2019年, 2020-04-13, 每月5日, 09:49
    duration = "duration"  # 3年, 5天
    ordinal = "ordinal"  # 第一, 第3
    phone = "phone"  # hotlines and telephone numbers
    identifier = "identifier"  # licence and document numbers, journal issues (2020年1期)
    name = "name"  # part of a name: “1+3”, “5天4宿”, “四个一”


@dataclass(frozen=True)
class Mention:
    """One number found in a text, with what it is and, for quantities, what it counts."""

    start: int
    end: int
    text: str
    value: int | float
    qualifier: Qualifier
    unit: str | None  # a unit id from vocab.UNITS, None when no measure word follows
    measure_word: str | None
    kind: Kind = Kind.quantity


_ARABIC = r"[0-9０-９]+(?:[,，][0-9０-９]{3})*(?:[.．][0-9０-９]+)?"
_CHINESE = r"[零〇一二两三四五六七八九十百千]+"
_MEASURE_WORDS = sorted(MEASURE_WORD_UNIT, key=len, reverse=True)
_MENTION = re.compile(
    rf"""
    (?P<prefix>近|约|超过|逾)?
    (?:(?P<arabic>{_ARABIC})|(?P<chinese>{_CHINESE}))
    (?P<inner>余|多)?
    (?P<mult>万亿|亿|万)?
    (?P<inner2>余|多)?
    (?P<measure>{"|".join(re.escape(word) for word in _MEASURE_WORDS)})?
    (?P<suffix>以上|左右|多|余)?
    """,
    re.VERBOSE,
)

_PREFIX_QUALIFIER = {
    "近": Qualifier.nearly,
    "约": Qualifier.about,
    "超过": Qualifier.more_than,
    "逾": Qualifier.more_than,
}
_SUFFIX_QUALIFIER = {
    "余": Qualifier.more_than,
    "多": Qualifier.more_than,
    "以上": Qualifier.at_least,
    "左右": Qualifier.about,
}

# Spans that are dates or times as a whole, found before single numbers are read.
_DATE_SPAN = re.compile(
    r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"  # 2020-04-13, 2020年4月13日
    r"|\d{1,2}:\d{2}(?::\d{2})?"  # 09:49:41
    r"|\d{4}\s*年(?:\s*\d{1,2}\s*月)?"  # 2019年, 2019年4月
    r"|\d{1,2}\s*[月日]"  # 4月, 5日
    r"|[一二三四五六七八九十〇零]{4}年"  # 二〇一九年
)
_ISSUE = re.compile(r"年\s*\d{1,2}\s*期")  # 2020年1期: a journal issue, not a count of classes
_DURATION_AFTER = re.compile(r"\s*(?:年|个月|天|周|小时|分钟)")
_PHONE_NEAR = re.compile(r"热线|电话|专线|服务号|拨打|手机|传真")
_PHONE_SPAN = re.compile(r"(?<!\d)(?:\d{3,4}-\d{7,8}|1[3-9]\d{9})(?!\d)")
_IDENTIFIER_BEFORE = re.compile(r"(?:ICP备|备案号[:：]?|编号[:：]?|No\.?)\s*$", re.IGNORECASE)
# Text in quotation marks or book-title marks: numbers there are part of a name.
_QUOTED = re.compile(r"“[^“”\n]{1,30}”|‘[^‘’\n]{1,30}’|《[^《》\n]{1,40}》|「[^「」\n]{1,30}」")


def _qualifier_of(match: re.Match[str]) -> Qualifier:
    for group in ("inner", "inner2", "suffix"):
        if match[group]:
            return _SUFFIX_QUALIFIER[match[group]]
    if match["prefix"]:
        return _PREFIX_QUALIFIER[match["prefix"]]
    return Qualifier.exact


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``[start, end)`` lies in one of ``spans`` (sorted, none overlapping)."""
    # Only the last span that starts at or before ``start`` can hold it: a look-up in
    # log time, not a pass over every span for every number of the text.
    at = bisect_right(spans, (start, float("inf"))) - 1
    return at >= 0 and end <= spans[at][1]


def _kind_of(text: str, match: re.Match[str], spans: dict[str, list[tuple[int, int]]]) -> Kind:
    """Tell quantities from the other numbers prose is full of."""
    start, end = match.start(), match.end()
    number_end = match.end("arabic") if match["arabic"] else match.end("chinese")
    before, after = text[max(0, start - 8) : start], text[number_end : number_end + 8]
    digits = match["arabic"] or ""
    dates, phones, quoted = spans["date"], spans["phone"], spans["quoted"]
    if _inside(dates, match.start("arabic") if digits else start, number_end):
        return Kind.date
    if (
        _ISSUE.match(text, max(0, start - 1))
        or _IDENTIFIER_BEFORE.search(before)
        or after.startswith("号")
    ):
        return Kind.identifier
    near = before + text[end : end + 8]
    if _inside(phones, start, end) or (len(digits) >= 5 and _PHONE_NEAR.search(near)):
        return Kind.phone
    if before.endswith("第"):
        return Kind.ordinal
    if (
        _inside(quoted, start, end)
        or after.startswith(("”", "+", "＋"))
        or before.endswith(("+", "＋"))
    ):
        return Kind.name
    # 3年, 5天, and 3个月: 个 counts months there, not things.
    rest = text[end : end + 1]
    if (not match["measure"] and _DURATION_AFTER.match(after)) or (
        match["measure"] == "个" and rest == "月"
    ):
        return Kind.duration
    if not (
        match["measure"]
        or match["mult"]
        or match["prefix"]
        or match["inner"]
        or match["inner2"]
        or match["suffix"]
    ):
        return Kind.bare
    return Kind.quantity


def find_mentions(text: str) -> list[Mention]:
    """List the numbers in ``text`` with their kind; quantities in base units (万元 -> yuan).

    A Chinese numeral counts only when a measure word or 万/亿 follows it, because
    numerals are common inside words and names (一肩挑, 三会一课, 造血十二法).
    """
    spans = {
        name: [m.span() for m in pattern.finditer(text)]
        for name, pattern in (("date", _DATE_SPAN), ("phone", _PHONE_SPAN), ("quoted", _QUOTED))
    }
    mentions: list[Mention] = []
    for match in _MENTION.finditer(text):
        if match["chinese"] and not (match["measure"] or match["mult"]):
            continue
        numeral = (match["arabic"] or match["chinese"]) + (match["mult"] or "")
        try:
            value = parse_number(numeral)
        except ValueError:
            continue
        measure = match["measure"]
        mentions.append(
            Mention(
                start=match.start(),
                end=match.end(),
                text=match.group(0),
                value=value,
                qualifier=_qualifier_of(match),
                unit=MEASURE_WORD_UNIT.get(measure) if measure else None,
                measure_word=measure,
                kind=_kind_of(text, match, spans),
            )
        )
    return mentions


def find_quantities(text: str) -> list[Mention]:
    """Only the quantities of ``text``: what a curator may turn into observations."""
    return [mention for mention in find_mentions(text) if mention.kind is Kind.quantity]
