"""Archived article texts and the one search for quotes in them.

Quotes are matched ignoring white space. Scanned journal pages often come as two
columns printed side by side on each line; for such texts each column is also read
as its own stream, so a quote that runs over several lines of one column is found.

The check, the extractor and the Sources page all use ``ArchivedText``: the check asks
only whether a quote is there (``contains_compact``), the others where it stands in
the original text (``locate``); both read the same streams, so they cannot disagree.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cached_property
from itertools import pairwise
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

    def contains(self, quote: str) -> bool:
        """Whether the quote occurs in the article, white space ignored."""
        return self.contains_compact(compact(quote))

    def contains_compact(self, needle: str) -> bool:
        """Whether a quote already stripped of white space occurs in the article.

        The check's fast path: true exactly when ``locate_compact`` finds the needle.
        """
        return bool(needle) and any(needle in stream.chars for stream in self.streams)

    def locate(self, quote: str) -> list[Span] | None:
        """Where the quote first stands in the article, white space ignored, or None.

        One span in running text; one span per line when it runs down one column of
        a two-column page. Running text is searched before the columns.
        """
        return self.locate_compact(compact(quote))

    def locate_compact(self, needle: str) -> list[Span] | None:
        """``locate`` for a quote already stripped of white space."""
        for stream in self.streams if needle else ():
            at = stream.chars.find(needle)
            if at >= 0:
                return stream.spans(at, at + len(needle))
        return None

    def occurrences(self, quote: str) -> list[list[Span]]:
        """Every place the quote stands in the article, in running text or a column."""
        needle = compact(quote)
        return [
            stream.spans(at, at + len(needle))
            for stream in self.streams
            for at in stream.find_all(needle)
        ]

    @cached_property
    def quantities(self) -> frozenset[str]:
        """Every quantity the extractor finds in the article, without white space."""
        return frozenset(compact(m.text) for m in find_quantities(self.text))


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
