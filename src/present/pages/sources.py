"""What the Sources page shows: citations of each source, and each archived article
with its curated numbers marked.

The citations themselves (GB/T 7714-2015, English, and RIS, BibTeX and CSL-JSON for
reference managers) are made in ``metrics.tools.cite``, which the page script calls
directly. In the article, every curated
number is marked and numbered, so a reader can check a number in its context.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from metrics.model.archive import ArchivedText, Span
from metrics.model.numbers import find_mentions
from metrics.tools.cite import gbt7714
from present.rows import source_titles
from present.safetext import escape_markdown, escape_markdown_block

if TYPE_CHECKING:
    from metrics.model.dataset import Dataset


def source_listing(dataset: Dataset) -> pd.DataFrame:
    """Every source with its title as cited and its GB/T 7714 citation."""
    sources = dataset.sources
    titles = source_titles(dataset)
    return sources.assign(
        title=sources["source_id"].map(titles),
        citation=[gbt7714(source) for source in sources.to_dict("records")],
    )


@dataclass(frozen=True)
class Mark:
    """Stretches of the article that carry one or more curated numbers.

    Usually one stretch; a quote running down one column of a two-column page that
    has no single piece holding its number is marked on each of its line pieces.
    """

    pieces: tuple[Span, ...]
    markers: tuple[int, ...]

    @property
    def start(self) -> int:
        """Where the first piece begins."""
        return self.pieces[0][0]

    @property
    def end(self) -> int:
        """Where the last piece ends."""
        return self.pieces[-1][1]

    def overlaps(self, pieces: tuple[Span, ...]) -> bool:
        """Whether any of ``pieces`` shares a character with a piece of this mark."""
        return any(s < end and start < e for s, e in self.pieces for start, end in pieces)


def _mention_span(text: str, start: int, end: int, value: float) -> Span | None:
    """Within ``text[start:end]``, where the mention of ``value`` is, if anywhere."""
    for mention in find_mentions(text[start:end]):
        if math.isclose(float(mention.value), value, rel_tol=1e-9):
            return start + mention.start, start + mention.end
    return None


def _number_span(text: str, start: int, end: int, value: float) -> Span:
    """Within the quote's stretch, the mention of ``value``; the whole stretch if none."""
    return _mention_span(text, start, end, value) or (start, end)


def _number_pieces(text: str, spans: list[Span], value: float) -> tuple[Span, ...]:
    """What to mark of a located quote: its number if one piece holds it, else all of it."""
    if len(spans) == 1:
        return (_number_span(text, *spans[0], value),)
    for start, end in spans:
        found = _mention_span(text, start, end, value)
        if found is not None:
            return (found,)
    return tuple(spans)


def _merged(placed: dict[tuple[Span, ...], list[int]]) -> list[Mark]:
    """One mark per placed stretch, in text order; a stretch that overlaps one kept
    before it is not marked again, its numbers go to the kept one."""
    marks: list[Mark] = []
    for pieces, markers in sorted(placed.items()):
        kept = next((i for i, mark in enumerate(marks) if mark.overlaps(pieces)), None)
        if kept is None:
            marks.append(Mark(pieces, tuple(markers)))
        else:
            marks[kept] = Mark(marks[kept].pieces, (*marks[kept].markers, *markers))
    return marks


def _crosses(row: object) -> bool:
    """Whether an observation row marks its quote as joining two columns on purpose."""
    return getattr(row, "quote_crosses_columns", False) is True


def place_observations(text: str, observations: pd.DataFrame) -> tuple[list[Mark], list[str]]:
    """Marks for the observations (numbered 1.. in the given order) found in ``text``,
    and the ids of those whose quote could not be placed in the text's layout.

    Quotes are located as the check finds them (``ArchivedText.locate``), so every
    quote that passes the check is marked, and one that joins the two columns of a page
    only when its row marks it so (``quote_crosses_columns``).
    """
    article = ArchivedText(text)
    placed: dict[tuple[Span, ...], list[int]] = {}
    unplaced = []
    for number, row in enumerate(observations.itertuples(), start=1):
        spans = article.locate(row.quote, _crosses(row))
        if spans is None:
            unplaced.append(row.observation_id)
            continue
        placed.setdefault(_number_pieces(text, spans, float(row.value)), []).append(number)
    return _merged(placed), unplaced


def marked_markdown(text: str, marks: list[Mark]) -> str:
    """The article as safe markdown, each mark highlighted and followed by its numbers.

    A mark made of several pieces is highlighted piece by piece; its numbers follow
    its last piece.
    """
    stretches = sorted(
        ((piece, mark) for mark in marks for piece in mark.pieces), key=lambda item: item[0]
    )
    pieces, cursor = [], 0
    for (start, end), mark in stretches:
        pieces.append(escape_markdown_block(text[cursor:start]))
        highlighted = escape_markdown(text[start:end])
        pieces.append(f":orange-background[**{highlighted}**]")
        if end == mark.end:
            numbers = ",".join(str(n) for n in mark.markers)
            pieces.append(f"\u2009:orange[\\[{numbers}\\]]")
        cursor = end
    pieces.append(escape_markdown_block(text[cursor:]))
    return "".join(pieces)
