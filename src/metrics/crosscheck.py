"""Checks across entries and files: ids, references, levels, units, archives, quotes.

They run on what each file contributed (``FilePart``): raw ids, references and quotes,
and the valid rows. A curator sees every problem in one run, located in the file and
line where it can be fixed; a repeated id names the file and line of the first one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from metrics.archive import ArchivedText, ArchiveError, compact, resolve_archive
from metrics.filecheck import FilePart
from metrics.inputs import InputFile
from metrics.problems import Problem
from metrics.vocab import LEVEL_RANK

_KIND = {"regions": "region", "indicators": "indicator", "sources": "source"}


def _problem(code: str, file: str, line: int | None, **params: object) -> Problem:
    return Problem(code, line, file, params)


def _first(file: str, line: int | None, first_file: str, first_line: int | None) -> object:
    """Where the first of two equal ids is: its line, and its file if that differs."""
    return first_line if first_file == file else f"{first_line} of {first_file}"


def check_unique_ids(parts: Iterable[FilePart]) -> list[Problem]:
    """Each table's ids are unique across files; observations by what identifies them."""
    problems = []
    first_id: dict[tuple[str, str], tuple[str, int | None]] = {}
    first_mention: dict[str, tuple[str, int | None]] = {}
    first_key: dict[str, tuple[str, int | None]] = {}
    for part in parts:
        for table, entry_id, line in part.ids:
            seen = first_id.setdefault((table, entry_id), (part.file, line))
            if seen != (part.file, line):
                first = _first(part.file, line, *seen)
                problems.append(
                    _problem("duplicate_id", part.file, line, table=table, id=entry_id, first=first)
                )
        for source, mention, line in part.set_aside:
            key = f"{source}/{mention}"
            seen = first_mention.setdefault(key, (part.file, line))
            if seen != (part.file, line):
                first = _first(part.file, line, *seen)
                problems.append(
                    _problem(
                        "duplicate_id", part.file, line, table="set_aside", id=key, first=first
                    )
                )
        for key, region, indicator, source, line in part.observation_keys:
            seen = first_key.setdefault(key, (part.file, line))
            if seen != (part.file, line):
                problems.append(
                    _problem(
                        "duplicate_observation",
                        part.file,
                        line,
                        region=region,
                        indicator=indicator,
                        source=source,
                        first=_first(part.file, line, *seen),
                    )
                )
    return problems


def check_references(parts: list[FilePart]) -> list[Problem]:
    """Every region, indicator and source an entry names is declared in some file.

    An id declared in an entry that has problems of its own still counts, so one
    mistake gives one message and not one more for every reference to it.
    """
    declared: dict[str, set[str]] = {table: set() for table in _KIND}
    for part in parts:
        for table, entry_id, _ in part.ids:
            if table in declared:
                declared[table].add(entry_id)
    return [
        _problem(f"unknown_{_KIND[target]}", part.file, line, got=name)
        for part in parts
        for target, name, line in part.references
        if name not in declared[target]
    ]


def check_region_levels(parts: list[FilePart]) -> list[Problem]:
    """A region's parent is of a higher level, so the hierarchy has no cycles."""
    rank = {level.value: r for level, r in LEVEL_RANK.items()}
    level_of: dict[str, str] = {}
    for part in parts:
        for region, level, _, _ in part.regions:
            level_of.setdefault(region, level)
    problems = []
    for part in parts:
        for region, level, parent, line in part.regions:
            parent_level = level_of.get(parent) if parent else None
            if parent_level is not None and rank[parent_level] >= rank[level]:
                problems.append(
                    _problem(
                        "parent_level",
                        part.file,
                        line,
                        id=region,
                        level=level,
                        parent=parent,
                        parent_level=parent_level,
                    )
                )
    return problems


def check_units(parts: list[FilePart], indicators: pd.DataFrame) -> list[Problem]:
    """An observation's unit is its indicator's unit."""
    expected = dict(zip(indicators["indicator_id"], indicators["unit"], strict=True))
    return [
        _problem(
            "unit_mismatch",
            part.file,
            line,
            got=unit,
            indicator=indicator,
            expected=expected[indicator],
        )
        for part in parts
        for indicator, unit, line in part.units
        if indicator in expected and unit != expected[indicator]
    ]


@dataclass(frozen=True)
class Archives:
    """The archived articles a check needs, each read and prepared once."""

    sources_dir: Path
    files: dict[str, InputFile]

    def text(self, name: str) -> ArchivedText | ArchiveError:
        """The article archived under ``name``, or why it cannot be used."""
        try:
            resolve_archive(self.sources_dir, name)
        except ArchiveError as error:
            return error
        item = self.files.get(Path(name).as_posix())
        if item is None or item.raw is None:
            if item is not None and item.error != "missing":
                return ArchiveError("archive_unreadable", item.error or "read error")
            return ArchiveError("archive_missing")
        return _decoded(item.digest, item.raw)


_PREPARED: dict[str, ArchivedText | ArchiveError] = {}


def _decoded(digest: str, raw: bytes) -> ArchivedText | ArchiveError:
    """Decode and prepare an archive once per content hash."""
    if digest not in _PREPARED:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            _PREPARED[digest] = ArchiveError(
                "archive_unreadable", f"not UTF-8 at byte {error.start}"
            )
        else:
            if not text.strip():
                _PREPARED[digest] = ArchiveError("archive_unreadable", "the file is empty")
            else:
                _PREPARED[digest] = ArchivedText.from_text(text)
    return _PREPARED[digest]


def source_texts(
    parts: list[FilePart], archives: Archives
) -> tuple[dict[str, tuple[str, ArchivedText]], list[Problem]]:
    """Source id -> (archive name, text); and a problem for each archive that is unusable."""
    texts: dict[str, tuple[str, ArchivedText]] = {}
    problems = []
    for part in parts:
        for source_id, name, line in part.archives:
            result = archives.text(name)
            if isinstance(result, ArchiveError):
                problems.append(
                    _problem(result.code, part.file, line, got=name, detail=result.detail)
                )
            elif source_id is not None:
                texts.setdefault(source_id, (name, result))
    return texts, problems


def check_quotes(part: FilePart, texts: dict[str, tuple[str, ArchivedText]]) -> list[Problem]:
    """Each quote of one file occurs in its source's archived article."""
    problems = []
    for source, quote, line in part.quotes:
        found = texts.get(source)
        if found is not None and not found[1].contains_compact(quote):
            problems.append(_problem("quote_not_in_archive", part.file, line, archive=found[0]))
    return problems


def check_set_aside(part: FilePart, texts: dict[str, tuple[str, ArchivedText]]) -> list[Problem]:
    """A set-aside mention is a quantity the extractor finds in the source's article.

    This keeps the list honest: an entry that no longer matches anything (the text was
    mistyped, or the extractor learnt that it is a date) is reported, not kept silently.
    """
    problems = []
    for source, mention, line in part.set_aside:
        found = texts.get(source)
        if found is None:
            continue
        if compact(mention) not in found[1].quantities:
            problems.append(_problem("set_aside_unused", part.file, line, mention=mention))
    return problems
