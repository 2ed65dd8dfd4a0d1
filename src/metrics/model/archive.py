"""Archived article texts and the one search for quotes in them.

Quotes are matched ignoring white space. Scanned journal pages often come as two
columns printed side by side on each line; for such texts each column is read as its
own stream, so a quote that runs over several lines of one column is found. On such a
page a quote must lie within one column, as a reader reads it: the whole text read
line by line joins the end of a left column's line to the start of the right one's
(完成投资1 | 200万元 reads 完成投资1200万元 where the left column says 完成投资1亿元),
so it is searched only for a quote marked as crossing the columns on purpose
(``across_columns``).

The check, the extractor and the Sources page all use ``ArchivedText``: the check asks
only whether a quote is there (``contains_compact``), the others where it stands in
the original text (``locate``); both read the same streams, so they cannot disagree.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cached_property
from itertools import islice, pairwise
from pathlib import Path

from metrics.model.numbers import find_quantities
from metrics.model.text import UndecodableText, decode_bytes

_WHITESPACE = re.compile(r"\s+")
_NON_WHITESPACE = re.compile(r"\S")
# A run of text in which words are separated by at most five spaces.
_SEGMENT = re.compile(r"\S+(?: {1,5}\S+)*")
_MIN_TWO_COLUMN_LINES = 3

# A stretch of the original text: (start, end) offsets, end excluded.
Span = tuple[int, int]


def compact(text: str) -> str:
    """The text without any white space, the form in which quotes are compared."""
    return _WHITESPACE.sub("", text)


def _column_pieces(text: str) -> list[tuple[Span, ...]]:
    """For a two-column layout, each column's line pieces top to bottom; else []."""
    lines = text.splitlines(keepends=True)
    second_starts = []
    for line in lines:
        segments = list(_SEGMENT.finditer(line))
        if len(segments) == 2:
            second_starts.append(segments[1].start())
    if len(second_starts) < _MIN_TWO_COLUMN_LINES:
        return []
    boundary = min(second_starts) - 5
    left: list[Span] = []
    right: list[Span] = []
    line_start = 0
    for line in lines:
        for segment in _SEGMENT.finditer(line):
            piece = (line_start + segment.start(), line_start + segment.end())
            (left if segment.start() < boundary else right).append(piece)
        line_start += len(line)
    return [tuple(left), tuple(right)]


@dataclass(frozen=True)
class _Stream:
    """One reading order of an article: stretches of its text read one after another.

    The whole text is one stream of one piece; each column of a two-column page is a
    stream of one piece per line.
    """

    text: str
    pieces: tuple[Span, ...]

    @cached_property
    def chars(self) -> str:
        """The pieces joined without white space: what quotes are compared with."""
        return compact("".join(self.text[start:end] for start, end in self.pieces))

    @cached_property
    def folded(self) -> str:
        """``chars`` with full-width forms as their ASCII twins: where a near quote is sought."""
        return self.chars.translate(_ASCII_TWINS)

    @cached_property
    def offsets(self) -> list[int]:
        """For each character of ``chars``, its offset in the original text."""
        # Built only when a quote is located: the check needs ``chars`` alone.
        return [
            match.start()
            for start, end in self.pieces
            for match in _NON_WHITESPACE.finditer(self.text, start, end)
        ]

    @cached_property
    def piece_starts(self) -> list[int]:
        """The position in ``chars`` at which each piece after the first begins."""
        # Pieces follow each other down the text, so ``offsets`` only grows.
        return [bisect_left(self.offsets, start) for start, _ in self.pieces[1:]]

    def spans(self, start: int, end: int) -> list[Span]:
        """Where ``chars[start:end]`` stands in the original text, one span per piece."""
        cuts = self.piece_starts[
            bisect_right(self.piece_starts, start) : bisect_left(self.piece_starts, end)
        ]
        offsets = self.offsets
        return [
            (offsets[low], offsets[high - 1] + 1) for low, high in pairwise([start, *cuts, end])
        ]

    def line(self, at: int) -> int:
        """The line of the original text on which ``chars[at]`` stands."""
        if self.pieces == ((0, len(self.text)),):  # the whole text: count, not build offsets
            skipped = re.match(rf"(?:\s*\S){{{at}}}\s*", self.text)
            offset = skipped.end() if skipped else 0
        else:
            offset = self.offsets[at]
        return self.text.count("\n", 0, offset) + 1

    def find_all(self, needle: str) -> list[int]:
        """Every position of ``needle`` in ``chars``, overlapping ones included."""
        found, at = [], self.chars.find(needle)
        while needle and at >= 0:
            found.append(at)
            at = self.chars.find(needle, at + 1)
        return found


@dataclass(frozen=True)
class ArchivedText:
    """An archived article, ready for quote look-ups."""

    text: str

    @cached_property
    def streams(self) -> tuple[_Stream, ...]:
        """The whole text, and each column's if it is printed in two."""
        # Prepared on the first look-up only: a check that reuses earlier quote results
        # needs the article's encoding checked, not its streams.
        whole = _Stream(self.text, ((0, len(self.text)),))
        return (whole, *(_Stream(self.text, pieces) for pieces in _column_pieces(self.text)))

    def searched(self, across_columns: bool = False) -> tuple[_Stream, ...]:
        """The streams a quote is looked for in: the whole text of a one-column page;
        each column on its own on a two-column page, and the whole text before them
        only for a quote that crosses the columns on purpose.

        Every character of a two-column page belongs to one column's stream, so a
        stretch of the whole text that stays within one column is also a stretch of
        that column's stream: leaving the whole text out drops exactly the matches
        that join the two columns.
        """
        streams = self.streams
        return streams if across_columns or len(streams) == 1 else streams[1:]

    def contains(self, quote: str, across_columns: bool = False) -> bool:
        """Whether the quote occurs in the article, white space ignored."""
        return self.contains_compact(compact(quote), across_columns)

    def contains_compact(self, needle: str, across_columns: bool = False) -> bool:
        """Whether a quote already stripped of white space occurs in the article.

        The check's fast path: true exactly when ``locate_compact`` finds the needle.
        """
        streams = self.searched(across_columns)
        return bool(needle) and any(needle in stream.chars for stream in streams)

    def line_across_columns(self, needle: str) -> int | None:
        """The line on which a quote (without white space) begins when it is found only
        by reading across the two columns of a page, else None."""
        if self.contains_compact(needle) or not self.contains_compact(needle, True):
            return None
        whole = self.streams[0]
        return whole.line(whole.chars.find(needle))

    def locate(self, quote: str, across_columns: bool = False) -> list[Span] | None:
        """Where the quote first stands in the article, white space ignored, or None.

        One span in running text; one span per line when it runs down one column of
        a two-column page (the left column before the right). A place that joins the
        two columns is offered only ``across_columns``, and then first.
        """
        return self.locate_compact(compact(quote), across_columns)

    def locate_compact(self, needle: str, across_columns: bool = False) -> list[Span] | None:
        """``locate`` for a quote already stripped of white space."""
        for stream in self.searched(across_columns) if needle else ():
            at = stream.chars.find(needle)
            if at >= 0:
                return stream.spans(at, at + len(needle))
        return None

    def occurrences(self, quote: str, across_columns: bool = False) -> list[list[Span]]:
        """Every place the quote stands in the article, in running text or a column
        (across the columns only ``across_columns``)."""
        needle = compact(quote)
        return [
            stream.spans(at, at + len(needle))
            for stream in self.searched(across_columns)
            for at in stream.find_all(needle)
        ]

    @cached_property
    def quantities(self) -> frozenset[str]:
        """Every quantity the extractor finds in the article, without white space."""
        return frozenset(compact(m.text) for m in find_quantities(self.text))

    def nearest(self, quote: str) -> NearestPassage | None:
        """The passage of the article closest to a quote that is not in it, or None
        when nothing comes close (white space ignored, as everywhere).

        Only quotes that are not found pay for this: a few exact searches in C for
        pieces of the quote, then an alignment of the quote at the best few places.
        A quote longer than ``NEAREST_LONGEST`` characters is not sought (None).
        """
        needle = compact(quote)
        if len(needle) > NEAREST_LONGEST:
            return None
        best: tuple[int, int, int, int] | None = None  # edits, stream, start, end
        for number, stream in enumerate(self.streams):
            found = _closest(stream.folded, needle.translate(_ASCII_TWINS))
            if found is not None and (best is None or found[2] < best[0]):
                best = (found[2], number, found[0], found[1])
        if best is None or best[0] > max(1, len(needle) * 2 // 5):
            return None
        _, number, start, end = best
        stream = self.streams[number]
        return NearestPassage(stream, start, end, _differences(needle, stream.chars[start:end]))


# Full-width forms and the Chinese punctuation that has an ASCII twin, each mapped to it
# one character for one, so that a position in the folded text is one in the text.
_ASCII_TWINS = {
    **{code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)},
    0x201C: '"',  # “
    0x201D: '"',  # ”
    0x2018: "'",  # ‘
    0x2019: "'",  # ’
    0x3002: ".",  # 。
}
# The longest quote (white space removed) whose nearest passage is sought. Aligning a
# quote costs its length times the passage's, in Python: a quote of 300 characters
# takes a tenth of a second, one of 60,000 hours. Curated quotes are a clause or two
# (the longest in the data has 76 characters); a far longer one is the wrong text.
NEAREST_LONGEST = 300
# A piece of the quote found more often than this says nothing about where it stands.
_SEED_HITS = 300
# How many places the quote is aligned at, and how many differences are named.
_PLACES, _SHOWN = 4, 3


@dataclass(frozen=True)
class NearestPassage:
    """The stretch of an article closest to a quote, and how the two differ."""

    stream: _Stream
    start: int
    end: int
    differences: tuple[str, ...]

    @property
    def text(self) -> str:
        """The article's characters, white space removed, as quotes are compared."""
        return self.stream.chars[self.start : self.end]

    @property
    def spans(self) -> list[Span]:
        """Where the passage stands in the original text, one span per piece."""
        return self.stream.spans(self.start, self.end)

    @property
    def line(self) -> int:
        """The line of the original text on which the passage begins."""
        return self.stream.line(self.start)


def _closest(text: str, needle: str) -> tuple[int, int, int] | None:
    """(start, end, edits) of the stretch of ``text`` that ``needle`` matches with the
    fewest edits, or None when no piece of the needle occurs in it. Both are folded.

    Each short piece (q-gram) of the needle found in the text votes for where the
    needle would begin; the places with the most votes are aligned exactly.
    """
    size = len(needle)
    if not size:
        return None
    at = text.find(needle)
    if at >= 0:
        return at, at + size, 0
    q = 1 if size < 6 else 2 if size < 12 else 3 if size < 24 else 4
    # Pieces side by side (overlapping ones for a short needle): a few edits leave most
    # of them whole, and those agree on where the needle begins.
    votes: Counter[int] = Counter()
    for i in range(0, size - q + 1, 1 if size < 12 else q):
        hits = list(islice(re.finditer(re.escape(needle[i : i + q]), text), _SEED_HITS + 1))
        if len(hits) <= _SEED_HITS:
            votes.update(hit.start() - i for hit in hits)
    pad = max(2, size // 3)
    places: list[int] = []
    for begin, _ in votes.most_common():
        if all(abs(begin - other) > pad for other in places):
            places.append(begin)
            if len(places) == _PLACES:
                break
    best = None
    for begin in places:
        low = max(0, begin - pad)
        start, end, edits = _align(text[low : begin + size + pad], needle)
        if best is None or edits < best[2]:
            best = (low + start, low + end, edits)
    return best


def _align(region: str, needle: str) -> tuple[int, int, int]:
    """(start, end, edits): the stretch of ``region`` closest to ``needle`` (Sellers)."""
    width = len(region)
    costs = [0] * (width + 1)  # matching nothing of the needle costs nothing anywhere
    starts = list(range(width + 1))
    for char in needle:
        row, row_starts = [costs[0] + 1], [0]
        for j in range(1, width + 1):
            same = costs[j - 1] + (region[j - 1] != char)
            skip_needle, skip_region = costs[j] + 1, row[j - 1] + 1
            if same <= skip_needle and same <= skip_region:
                row.append(same)
                row_starts.append(starts[j - 1])
            elif skip_needle <= skip_region:
                row.append(skip_needle)
                row_starts.append(starts[j])
            else:
                row.append(skip_region)
                row_starts.append(row_starts[j - 1])
        costs, starts = row, row_starts
    size = len(needle)
    end = min(range(width + 1), key=lambda j: (costs[j], abs(j - starts[j] - size)))
    return starts[end], end, costs[end]


def _differences(quote: str, passage: str) -> tuple[str, ...]:
    """How the passage differs from the quote, each difference as a person reads it;
    a full-width character against its ASCII twin is named as such."""
    found = []
    opcodes = SequenceMatcher(None, quote, passage, autojunk=False).get_opcodes()
    for tag, low, high, article_low, article_high in opcodes:
        ours, theirs = quote[low:high], passage[article_low:article_high]
        if tag == "equal":
            continue
        if tag == "replace" and ours.translate(_ASCII_TWINS) == theirs.translate(_ASCII_TWINS):
            wide = theirs != theirs.translate(_ASCII_TWINS)
            note = (
                f"full-width '{theirs}' in the article where the quote has ASCII '{ours}'"
                if wide
                else f"ASCII '{theirs}' in the article where the quote has full-width '{ours}'"
            )
        elif tag == "replace":
            note = f"'{theirs}' in the article where the quote has '{ours}'"
        elif tag == "insert":
            note = f"the article has '{theirs}' that the quote leaves out"
        else:
            note = f"the quote has '{ours}' that the article does not"
        # Where, when the text that differs occurs more than once.
        repeated = quote.count(ours) > 1 if ours else passage.count(theirs) > 1
        found.append(f"{note} after '{quote[max(0, low - 4) : low]}'" if low and repeated else note)
    if len(found) > _SHOWN:
        found[_SHOWN:] = [f"and {len(found) - _SHOWN} more"]
    return tuple(found)


class ArchiveError(Exception):
    """An archive that cannot be used; ``code`` is a problem code."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


def resolve_archive(sources_dir: Path, name: str) -> Path:
    """The archive's path, refusing any name that leads outside ``sources_dir``.

    Judged on the name alone, without asking the disk: where a link on the way leads,
    and whether the file is one that may be read, is decided when it is opened
    (``metrics.pipeline.inputs``), so a name never makes anything be read."""
    if "\0" in name or not name or os.path.isabs(name):  # NUL: no such name anywhere
        raise ArchiveError("archive_outside")
    root = os.path.normpath(sources_dir)
    candidate = os.path.normpath(os.path.join(root, name))
    if not candidate.startswith(os.path.join(root, "")):
        raise ArchiveError("archive_outside")
    return Path(candidate)


def decode_archive(raw: bytes) -> ArchivedText:
    """An archived article from its bytes: UTF-8 (a BOM is allowed), not empty."""
    try:
        text = decode_bytes(raw).text
    except UndecodableText as error:
        raise ArchiveError("archive_unreadable", str(error)) from error
    if not text.strip():
        raise ArchiveError("archive_unreadable", "the file is empty")
    return ArchivedText(text)
