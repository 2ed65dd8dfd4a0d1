"""Reading an article and cutting its text: the bytes of an upload or a file decoded
(or why they are no article), sentences, marks, clause-opening words and pinyin ids.

It imports no other module of ``metrics.tools.draft``; the modules that propose
regions, indicators, quantities and practices build on it.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pypinyin import lazy_pinyin

from metrics.tools.extract import ArticleDecodeError, decode_article

# Larger than any article; a bigger file is something else (or a mistake).
MAX_ARTICLE_BYTES = 1_000_000


@dataclass(frozen=True)
class Article:
    """An article's text, and the encoding it was read in."""

    text: str
    encoding: str


# Why an upload is no article: code -> message (for the terminal; the page has its own
# words for each code).
UNREADABLE = {
    "empty": "the article is empty",
    "too_big": "the article is {size} bytes; at most {limit} are read",
    "binary": "this is binary data, not text: save the article as a .txt file",
    "encoding": "the text is neither UTF-8 nor GBK/GB18030: save the article as UTF-8 text",
    "unreadable": "cannot read the article: {detail}",
}


@dataclass(frozen=True)
class Unreadable:
    """Why bytes are no article, as data: a stable code and its parameters."""

    code: str
    params: dict[str, str] = field(default_factory=dict)

    @property
    def message(self) -> str:
        """The reason in words, for the terminal."""
        return UNREADABLE[self.code].format(**self.params)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode_upload(raw: bytes) -> Article | Unreadable:
    """An article's text from its bytes (UTF-8, GBK or GB18030), or why it is none."""
    if not raw.strip():
        return Unreadable("empty")
    if len(raw) > MAX_ARTICLE_BYTES:
        return Unreadable("too_big", {"size": f"{len(raw):,}", "limit": f"{MAX_ARTICLE_BYTES:,}"})
    if b"\0" in raw:
        return Unreadable("binary")
    try:
        text, encoding = decode_article(raw)
    except ArticleDecodeError:
        return Unreadable("encoding")
    if _CONTROL.search(text):  # control characters: no article holds them
        return Unreadable("binary")
    return Article(text.removeprefix("\ufeff"), encoding)


def read_article(path: Path) -> Article | Unreadable:
    """The article in a file, or why it cannot be read."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_ARTICLE_BYTES + 1)
    except OSError as error:
        return Unreadable("unreadable", {"detail": str(error.strerror or error)})
    return decode_upload(raw)


# --- cutting the text -------------------------------------------------------------

_SENTENCE_END = re.compile(r"[。！？；!?;]")
# Words that open a clause and are no part of a name (近年来通辽市: 通辽市).
LEADING_WORDS = re.compile(
    r"^(?:近年来|近年|今年以来|去年以来|今年|去年|近日|日前|目前|截至|截止|同时|其中|全面|"
    r"积极|深入|推动|推进|依托|围绕|通过|坚持|在|由|对|将|把|从|以|为|是|和|与|及|据)+"
)
# Quotation marks, brackets with what they hold, and spaces: never words of a name.
MARKS = re.compile(r"[“”‘’\"'《》「」\s]|（[^）]*）|\([^)]*\)")


def pinyin_id(name: str) -> str:
    """A lower-case ASCII id from a Chinese name: 云溪 -> yunxi."""
    syllables = [re.sub(r"[^a-z0-9]", "", s.lower()) for s in lazy_pinyin(name)]
    return "".join(s for s in syllables if s)[:40] or "x"


class FreeIds:
    """Ids not taken yet: a base itself, else the base with a numbered suffix
    (``suffix(2)``, ``suffix(3)``, ...), the first one free."""

    def __init__(self, taken: Iterable[str], suffix: Callable[[int], str]) -> None:
        self.taken = set(taken)
        self._suffix = suffix
        # base -> the number to try next: thousands of names with one base cost a
        # look-up each, not a walk past all the ids given before them.
        self._next: dict[str, int] = {}

    def claim(self, base: str) -> str:
        """A free id made from ``base``, taken from now on."""
        candidate, number = base, self._next.get(base, 2)
        while candidate in self.taken:
            candidate, number = base + self._suffix(number), number + 1
        self._next[base] = number
        self.taken.add(candidate)
        return candidate


class Sentences:
    """Where the text's lines and sentences end, found once, so that the sentence
    around each of thousands of numbers is a look-up in log time, not a scan."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._breaks = [match.start() for match in re.finditer("\n", text)]
        self._ends = [match.start() for match in _SENTENCE_END.finditer(text)]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The sentence around ``[start, end)``: between sentence ends, within its line."""
        at = bisect_left(self._breaks, start)
        line_start = self._breaks[at - 1] + 1 if at else 0
        at = bisect_left(self._breaks, end)
        line_end = self._breaks[at] if at < len(self._breaks) else len(self.text)
        # The last sentence end of the line before ``start``, the first after ``end``.
        at = bisect_left(self._ends, start)
        low = self._ends[at - 1] + 1 if at and self._ends[at - 1] >= line_start else line_start
        at = bisect_left(self._ends, end)
        ends = self._ends
        high = ends[at] if at < len(ends) and ends[at] < line_end else line_end
        return low, high
