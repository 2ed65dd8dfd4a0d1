"""Made-up articles of any size, in the shapes that once made drafting or checking slow.

Each shape is the body of an article repeated up to a size in UTF-8 bytes; every name
and number is invented. The drafting test and ``bench.drafting`` both use them: a
draft's time should grow with the article's size, never with its square.
"""

from __future__ import annotations

from collections.abc import Callable

_HEAD = "虚构县党建引领基层治理（虚构文章，仅供测试）\n2024-06-18 来源：虚构日报\n"


def _repeat(piece: Callable[[int], str], size: int, sep: str) -> str:
    """The head, then ``piece(0)``, ``piece(1)``, ... joined by ``sep`` up to ``size`` bytes."""
    parts, total, number = [_HEAD], len(_HEAD.encode()), 0
    while total < size:
        part = piece(number) + sep
        parts.append(part)
        total += len(part.encode())
        number += 1
    return "".join(parts)


def one_line_of_quantities(size: int) -> str:
    """One line of quantities and nothing else: 共10人、共11人、..."""
    return _repeat(lambda n: f"共{10 + n % 90}人", size, "、")


def _name(number: int) -> str:
    """A made-up two-character place name; 225 of them, each used over and over."""
    first, second = divmod(number % len(_SYLLABLES) ** 2, len(_SYLLABLES))
    return _SYLLABLES[first] + _SYLLABLES[second]


_SYLLABLES = "东西南北中新老上下前后红金银青"


def many_short_lines(size: int) -> str:
    """An ordinary paragraph per line, each with a few quantities and two places."""
    return _repeat(
        lambda n: (
            f"    虚构县{_name(n)}镇建立网格{n % 50 + 3}个，配备网格员{n % 80 + 10}名，"
            f"收集群众诉求{n % 300 + 20}件，投入资金{n % 90 + 5}万元。"
        ),
        size,
        "\n",
    )


def one_huge_line(size: int) -> str:
    """Sentences of prose with quantities, never a line break: a whole article on one line."""
    return _repeat(
        lambda n: (
            f"今年以来，虚构县坚持党建引领，把全县划分为{n % 900 + 100}个网格，"
            f"累计受理群众诉求{n % 5000 + 100}余件，办结率达{n % 10 + 90}.5%。"
        ),
        size,
        "",
    )


def region_like_words(size: int) -> str:
    """Sentences full of place names (镇, 村, 社区), each named again and again."""
    return _repeat(
        lambda n: (
            f"岚州市虚构县{_name(n)}镇的{_name(n + 1)}村和{_name(n + 2)}村组建“红{n % 9}”工作法，"
            f"{_name(n + 3)}村、{_name(n + 4)}社区共建成服务中心{n % 12 + 2}个。"
        ),
        size,
        "\n",
    )


def dates_and_names(size: int) -> str:
    """Dates, quoted names and practices among quantities, never a line break nor a
    sentence end: every number's sentence is the whole article."""
    return _repeat(
        lambda n: (
            f"2023年{n % 12 + 1}月{_name(n)}村推行“红{n % 50}”工作法，"
            f"“1+{n % 9}”机制覆盖{n % 70 + 3}户，"
        ),
        size,
        "",
    )


def long_numerals(size: int) -> str:
    """Long runs of digits and of Chinese numerals among quantities (noise, ids, tables)."""
    return _repeat(
        lambda n: f"编号{'7' * 200}共{'一二三四五六七八九十' * 5}个，共{n % 40 + 2}万元",
        size,
        "；",
    )


SHAPES: dict[str, Callable[[int], str]] = {
    "one line of quantities": one_line_of_quantities,
    "many short lines": many_short_lines,
    "one huge line": one_huge_line,
    "region-like words": region_like_words,
    "dates and names": dates_and_names,
    "long numerals": long_numerals,
}
