"""Archived article texts and the search for quotes in them.

Quotes are matched ignoring white space. Scanned journal pages often come as two
columns printed side by side on each line; for such texts each column is also read
as its own stream, so a quote that runs over several lines of one column is found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from metrics.model.numbers import find_quantities

_WHITESPACE = re.compile(r"\s+")
# A run of text in which words are separated by at most five spaces.
_SEGMENT = re.compile(r"\S+(?: {1,5}\S+)*")
_MIN_TWO_COLUMN_LINES = 3


def compact(text: str) -> str:
    """The text without any white space, the form in which quotes are compared."""
    return _WHITESPACE.sub("", text)


def _column_streams(text: str) -> list[str]:
    """For a two-column layout, the text of each column read top to bottom; else []."""
    lines = text.splitlines()
    second_starts = []
    for line in lines:
        segments = list(_SEGMENT.finditer(line))
        if len(segments) == 2:
            second_starts.append(segments[1].start())
    if len(second_starts) < _MIN_TWO_COLUMN_LINES:
        return []
    boundary = min(second_starts) - 5
    left: list[str] = []
    right: list[str] = []
    for line in lines:
        for segment in _SEGMENT.finditer(line):
            (left if segment.start() < boundary else right).append(segment.group())
    return [compact("".join(left)), compact("".join(right))]


@dataclass(frozen=True)
class ArchivedText:
    """An archived article, ready for quote look-ups."""

    text: str

    @cached_property
    def streams(self) -> tuple[str, ...]:
        """The text without white space, and each column's if it is printed in two."""
        # Prepared on the first look-up only: a check that reuses earlier quote results
        # needs the article's encoding checked, not its streams.
        return (compact(self.text), *_column_streams(self.text))

    def contains(self, quote: str) -> bool:
        """Whether the quote occurs in the article, white space ignored."""
        return self.contains_compact(compact(quote))

    def contains_compact(self, needle: str) -> bool:
        """Whether a quote already stripped of white space occurs in the article."""
        return bool(needle) and any(needle in stream for stream in self.streams)

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
    """The archive's path, refusing any name that leads outside ``sources_dir``."""
    root = sources_dir.resolve()
    try:
        candidate = (root / name).resolve()
    except (OSError, ValueError) as error:  # e.g. a NUL byte: no such file name anywhere
        raise ArchiveError("archive_outside") from error
    if Path(name).is_absolute() or not candidate.is_relative_to(root) or candidate == root:
        raise ArchiveError("archive_outside")
    return candidate


def decode_archive(raw: bytes) -> ArchivedText:
    """An archived article from its bytes: UTF-8 (a BOM is allowed), not empty."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ArchiveError("archive_unreadable", f"not UTF-8 at byte {error.start}") from error
    if not text.strip():
        raise ArchiveError("archive_unreadable", "the file is empty")
    return ArchivedText(text)
