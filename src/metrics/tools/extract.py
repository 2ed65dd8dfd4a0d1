"""Finding the quantities of an article and whether each is curated, set aside or pending.

``metrics extract`` and ``metrics coverage`` are built on these functions: the first
lists the mentions of one article for a curator, the second counts them per article
so that no number of a bundled article is forgotten. A number whose curated entry has
a problem is ``broken``, not pending: the entry is there, and needs fixing, not writing.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd

from metrics.model.archive import ArchivedText, compact
from metrics.model.dataset import Dataset
from metrics.model.numbers import Kind, Mention, find_mentions
from metrics.model.text import DecodedText, UndecodableText, decode_bytes
from metrics.pipeline.broken import BrokenEntry, broken_observations

CURATED, SET_ASIDE, BROKEN, PENDING = "curated", "set_aside", "broken", "pending"

# Clause boundaries: a fragment never crosses one of these.
_CLAUSE_END = re.compile(r"[，。；！？、,;!?：:（）()【】\[\]|]|\s{2,}")
_COLUMN_GAP = re.compile(r"\s{6,}")
# A fragment longer than this is cut around its number.
_MAX_FRAGMENT = 40
_CONTEXT_BEFORE, _CONTEXT_AFTER = 20, 12

MENTION_COLUMNS = [
    "line", "mention", "value", "qualifier", "unit", "kind", "fragment", "status",
    "observation_id", "reason",
]  # fmt: skip
COVERAGE_COLUMNS = [
    "archive", "source_ids", "quantities", "curated", "set_aside", "broken", "pending",
]  # fmt: skip


# An article that is neither UTF-8 nor GB18030/GBK text.
ArticleDecodeError = UndecodableText


def decode_article(raw: bytes) -> DecodedText:
    """The article's text and the encoding it was in: UTF-8, else GB18030 (a GBK superset)."""
    return decode_bytes(raw, allow_gb18030=True)


@dataclass(frozen=True)
class Found:
    """A number of an article, with its line and a fragment fit to be quoted."""

    line: int
    mention: Mention
    fragment: str


class LineClauses:
    """A line's column gaps and clause boundaries, found once, so that the clause around
    each of its numbers is a look-up in log time (a line may hold thousands of them)."""

    def __init__(self, line_text: str) -> None:
        self.text = line_text
        gaps = [gap.span() for gap in _COLUMN_GAP.finditer(line_text)]
        self._gap_starts = [low for low, _ in gaps]
        self._gap_ends = [high for _, high in gaps]
        # Both kinds of match are maximal runs or single marks, so a boundary found in
        # the whole line is the one a search inside its column would find.
        bounds = [boundary.span() for boundary in _CLAUSE_END.finditer(line_text)]
        self._bound_starts = [low for low, _ in bounds]
        self._bound_ends = [high for _, high in bounds]

    def around(self, start: int, end: int) -> str:
        """The clause of the line around ``[start, end)``, verbatim and short."""
        # In a two-column page, stay inside the column the number stands in.
        low, high = self._last_at_most(self._gap_ends, start), len(self.text)
        at = bisect_left(self._gap_starts, end)
        if at < len(self._gap_starts):
            high = self._gap_starts[at]
        low = max(low, self._last_at_most(self._bound_ends, start))
        at = bisect_left(self._bound_starts, end)
        if at < len(self._bound_starts):
            high = min(high, self._bound_starts[at])
        if high - low > _MAX_FRAGMENT:
            low, high = max(low, start - _CONTEXT_BEFORE), min(high, end + _CONTEXT_AFTER)
        return self.text[low:high].strip()

    @staticmethod
    def _last_at_most(values: list[int], limit: int) -> int:
        """The largest of the sorted ``values`` not above ``limit``, else 0."""
        at = bisect_right(values, limit)
        return values[at - 1] if at else 0


def iter_found(text: str, kinds: set[Kind] | None = None) -> Iterator[Found]:
    """Every number of an article (or only those of ``kinds``), line by line, one at a
    time: a caller with a deadline can stop between them."""
    for number, line_text in enumerate(text.splitlines(), start=1):
        mentions = [m for m in find_mentions(line_text) if kinds is None or m.kind in kinds]
        clauses = LineClauses(line_text) if mentions else None
        for mention in mentions:
            yield Found(number, mention, clauses.around(mention.start, mention.end))


def find_in_article(text: str, kinds: set[Kind] | None = None) -> list[Found]:
    """Every number of an article (or only those of ``kinds``), line by line."""
    return list(iter_found(text, kinds))


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    return starts


def sources_of_archive(dataset: Dataset, text: str) -> list[str]:
    """Ids of the sources whose archive holds exactly ``text``."""
    archives = {name for name, archived in dataset.archive_texts.items() if archived == text}
    return list(dataset.sources.loc[dataset.sources["archive"].isin(archives), "source_id"])


def mention_table(
    text: str,
    dataset: Dataset,
    source_ids: list[str],
    all_kinds: bool = False,
    broken: list[BrokenEntry] | None = None,
) -> pd.DataFrame:
    """The article's quantities (or all its numbers) with their curation status.

    ``broken``: the entries with problems (``broken_observations``), if already known.
    """
    article = ArchivedText(text)
    starts = _line_starts(text)
    if broken is None:
        broken = broken_observations(dataset)
    broken = [entry for entry in broken if entry.source in source_ids]
    observations = dataset.observations[dataset.observations["source_id"].isin(source_ids)]
    # An entry with a problem that still has a row (an unknown region, say) is broken.
    with_problems = {(entry.file, entry.line) for entry in broken}
    written_at = zip(observations["file"], observations["line"], strict=True)
    observations = observations[[place not in with_problems for place in written_at]]
    # Every line piece of every place a curated quote stands in the article.
    curated_spans = [
        (span, row.observation_id, row.value)
        for row in observations.itertuples()
        for place in article.occurrences(row.quote, row.quote_crosses_columns is True)
        for span in place
    ]
    set_aside = dataset.set_aside[dataset.set_aside["source_id"].isin(source_ids)]
    reasons = {
        compact(m): r for m, r in zip(set_aside["mention"], set_aside["reason"], strict=True)
    }
    rows, places = [], []
    for item in find_in_article(text, None if all_kinds else {Kind.quantity}):
        mention = item.mention
        status, observation_id, reason = PENDING, None, None
        offset = starts[item.line - 1]
        low, high = offset + mention.start, offset + mention.end
        places.append((low, high))
        if mention.kind is Kind.quantity:
            for (q_low, q_high), oid, value in curated_spans:
                if q_low <= low and high <= q_high and value == mention.value:
                    status, observation_id = CURATED, oid
                    break
            else:
                if compact(mention.text) in reasons:
                    status, reason = SET_ASIDE, reasons[compact(mention.text)]
        else:
            status, reason = None, f"not a quantity: {mention.kind.value}"
        rows.append(
            {
                "line": item.line,
                "mention": mention.text,
                "value": float(mention.value),
                "qualifier": mention.qualifier.value,
                "unit": mention.unit,
                "kind": mention.kind.value,
                "fragment": item.fragment,
                "status": status,
                "observation_id": observation_id,
                "reason": reason,
            }
        )
    _mark_broken(rows, places, article, broken)
    return pd.DataFrame(rows, columns=MENTION_COLUMNS)


def _mark_broken(
    rows: list[dict],
    places: list[tuple[int, int]],
    article: ArchivedText,
    broken: list[BrokenEntry],
) -> None:
    """Pending numbers inside the quote of an entry with a problem become ``broken``.

    A quote not in the article is placed at its nearest passage (the typo that made it
    broken is often why it is not found). Of several numbers in one quote, those with
    the entry's value are its number; if none has it, the value is the mistake, and
    each of them may be the one meant.
    """
    for entry in broken:
        spans = [span for place in article.occurrences(entry.quote) for span in place]
        if not spans:
            nearest = article.nearest(entry.quote)
            spans = nearest.spans if nearest else []
        inside = [
            index
            for index, (low, high) in enumerate(places)
            if rows[index]["status"] == PENDING
            and any(q_low <= low and high <= q_high for q_low, q_high in spans)
        ]
        value = entry.value
        same = [i for i in inside if value is not None and math.isclose(rows[i]["value"], value)]
        for index in same or inside:
            rows[index]["status"], rows[index]["reason"] = BROKEN, entry.problem


def coverage_table(dataset: Dataset) -> pd.DataFrame:
    """Per archived article: its quantities, and how many are curated, set aside, pending."""
    rows, broken = [], broken_observations(dataset)
    for archive, group in dataset.sources.groupby("archive", sort=True):
        if archive not in dataset.archive_texts:  # unreadable: a problem of the check
            continue
        text = dataset.archive_texts[archive]
        statuses = mention_table(text, dataset, list(group["source_id"]), broken=broken)["status"]
        rows.append(
            {
                "archive": archive,
                "source_ids": ", ".join(group["source_id"]),
                "quantities": len(statuses),
                "curated": int((statuses == CURATED).sum()),
                "set_aside": int((statuses == SET_ASIDE).sum()),
                "broken": int((statuses == BROKEN).sum()),
                "pending": int((statuses == PENDING).sum()),
            }
        )
    return pd.DataFrame(rows, columns=COVERAGE_COLUMNS)
