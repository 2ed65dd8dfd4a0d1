"""Curated numbers placed in their article: where each observation's number stands.

The Sources page shows the archived text with every curated number marked and
numbered, so a reader can check a number in its context.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd

from metrics.numbers import find_mentions
from metrics.safetext import escape_markdown, escape_markdown_block


@dataclass(frozen=True)
class Mark:
    """A stretch of the article that carries one or more curated numbers."""

    start: int
    end: int
    markers: tuple[int, ...]


def _quote_pattern(quote: str) -> re.Pattern[str]:
    """The quote with any white space allowed between its characters."""
    chars = [re.escape(char) for char in quote if not char.isspace()]
    return re.compile(r"\s*".join(chars))


def _number_span(text: str, start: int, end: int, value: float) -> tuple[int, int]:
    """Within the quote's stretch, the mention of ``value``; the whole stretch if none."""
    for mention in find_mentions(text[start:end]):
        if math.isclose(float(mention.value), value, rel_tol=1e-9):
            return start + mention.start, start + mention.end
    return start, end


def place_observations(text: str, observations: pd.DataFrame) -> tuple[list[Mark], list[str]]:
    """Marks for the observations (numbered 1.. in the given order) found in ``text``,
    and the ids of those whose quote could not be placed in the text's layout."""
    spans: dict[tuple[int, int], list[int]] = {}
    unplaced = []
    for number, row in enumerate(observations.itertuples(), start=1):
        match = _quote_pattern(row.quote).search(text)
        if match is None:
            unplaced.append(row.observation_id)
            continue
        span = _number_span(text, match.start(), match.end(), float(row.value))
        spans.setdefault(span, []).append(number)
    marks, last_end = [], -1
    for (start, end), markers in sorted(spans.items()):
        if start < last_end:  # overlapping stretches: keep the first, number the rest there
            previous = marks[-1]
            marks[-1] = Mark(previous.start, previous.end, (*previous.markers, *markers))
            continue
        marks.append(Mark(start, end, tuple(markers)))
        last_end = end
    return marks, unplaced


def marked_markdown(text: str, marks: list[Mark]) -> str:
    """The article as safe markdown, each mark highlighted and followed by its numbers."""
    pieces, cursor = [], 0
    for mark in marks:
        pieces.append(escape_markdown_block(text[cursor : mark.start]))
        numbers = ",".join(str(n) for n in mark.markers)
        highlighted = escape_markdown(text[mark.start : mark.end])
        pieces.append(f":orange-background[**{highlighted}**]\u2009:orange[\\[{numbers}\\]]")
        cursor = mark.end
    pieces.append(escape_markdown_block(text[cursor:]))
    return "".join(pieces)
