"""What the Sources page shows: citations of each source, and each archived article
with its curated numbers marked.

A source with a journal issue is cited as a journal article ([J]) in GB/T 7714-2015
style; any other as an online article ([EB/OL]). A title the curators supplied stands
in square brackets. In the article, every curated number is marked and numbered, so
a reader can check a number in its context.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from dashboard.views.rows import source_titles
from dashboard.views.safetext import escape_markdown, escape_markdown_block
from metrics.model.archive import ArchivedText, Span
from metrics.model.numbers import find_mentions

if TYPE_CHECKING:
    from metrics.model.dataset import Dataset

_ISSUE = re.compile(r"(?P<year>\d{4})\s*年\s*第\s*(?P<number>\d+)\s*期")
_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
# GB/T 7714 lists three authors, then 等 ("et al.").
_MAX_AUTHORS = 3


def _text(source: Mapping[str, Any], field: str) -> str | None:
    value = source.get(field)
    return value if isinstance(value, str) and value else None


def _authors(source: Mapping[str, Any]) -> list[str]:
    joined = _text(source, "authors")
    return joined.split("; ") if joined else []


def _title(source: Mapping[str, Any]) -> str:
    title = str(source["title"])
    return f"[{title}]" if source.get("title_supplied") else title


def _issue_gbt(issue: str) -> str:
    match = _ISSUE.search(issue)
    return f"{match['year']}({match['number']})" if match else issue


# How a date that is only a bound is written; an exact date is written as it is.
_BOUNDS = {
    "zh": {"not_before": "[不早于{date}]", "not_after": "[不晚于{date}]"},
    "en": {"not_before": "n.d. (not before {date})", "not_after": "n.d. (not after {date})"},
}


def _bounded(source: Mapping[str, Any], date: str, lang: str) -> str:
    template = _BOUNDS[lang].get(str(source.get("date_bound", "exact")), "{date}")
    return template.format(date=date)


def _head(source: Mapping[str, Any], et_al: str) -> str:
    """``甲, 乙. `` -- the first three authors, then ``et_al``; empty without authors."""
    authors = _authors(source)
    head = ", ".join(authors[:_MAX_AUTHORS]) + (et_al if len(authors) > _MAX_AUTHORS else "")
    return f"{head}. " if head else ""


def gbt7714(source: Mapping[str, Any]) -> str:
    """``徐晓东. “三抓三促”推动城市基层党建提质增效[J]. 实践（党的教育版）, 2020(1): 55.``"""
    parts = [_head(source, ", 等")]
    issue, publisher = _text(source, "issue"), _text(source, "publisher")
    if issue:
        parts.append(f"{_title(source)}[J]. ")
        where = f"{publisher}, " if publisher else ""
        page = _text(source, "page")
        parts.append(f"{where}{_issue_gbt(issue)}" + (f": {page}." if page else "."))
    else:
        parts.append(f"{_title(source)}[EB/OL]. ")
        where = f"{publisher}, " if publisher else ""
        parts.append(f"{where}{_bounded(source, str(source['date']), 'zh')}.")
    url = _text(source, "url")
    if url:
        parts.append(f" {url}.")
    return "".join(parts)


def _date_en(source: Mapping[str, Any]) -> str:
    date = str(source["date"])
    pieces = date.split("-")
    words = pieces[0] if len(pieces) == 1 else f"{_MONTHS[int(pieces[1]) - 1]} {pieces[0]}"
    if len(pieces) == 3:
        words = f"{int(pieces[2])} {words}"
    return _bounded(source, words, "en")


def english_citation(source: Mapping[str, Any]) -> str:
    """Author(s). Date. Title. Outlet, issue: page. Names and titles stay in Chinese."""
    parts = [_head(source, " et al."), f"{_date_en(source)}. "]
    title = _title(source)
    supplied = " (title supplied by the curators)" if source.get("title_supplied") else ""
    parts.append(f"{title}{supplied}. ")
    issue, publisher = _text(source, "issue"), _text(source, "publisher")
    outlet = publisher or ""
    if issue:
        match = _ISSUE.search(issue)
        number = f"no. {match['number']} ({match['year']})" if match else issue
        outlet = f"{outlet}, {number}" if outlet else number
        page = _text(source, "page")
        if page:
            outlet += f": {page}"
    elif outlet:
        outlet += " (online)"
    else:
        outlet = "Online article, outlet not named"
    parts.append(f"{outlet}.")
    url = _text(source, "url")
    if url:
        parts.append(f" {url}.")
    return "".join(parts)


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


def place_observations(text: str, observations: pd.DataFrame) -> tuple[list[Mark], list[str]]:
    """Marks for the observations (numbered 1.. in the given order) found in ``text``,
    and the ids of those whose quote could not be placed in the text's layout.

    Quotes are located as the check finds them (``ArchivedText.locate``), so every
    quote that passes the check is marked.
    """
    article = ArchivedText(text)
    placed: dict[tuple[Span, ...], list[int]] = {}
    unplaced = []
    for number, row in enumerate(observations.itertuples(), start=1):
        spans = article.locate(row.quote)
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
