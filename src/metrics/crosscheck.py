"""Checks across entries and tables: ids, references, levels, units, archives, quotes.

Ids, references and quotes are checked on the raw entries, so an entry with a
mistake in one field is still checked in its other fields: a curator sees every
problem in one run. Checks that need a whole valid entry use the validated ones.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from metrics.archive import ArchivedText, ArchiveError, compact, read_archive
from metrics.entries import Located
from metrics.formatting import plain_number
from metrics.numbers import Kind, Mention, find_mentions, find_quantities
from metrics.problems import ProblemLog
from metrics.tables import make_observation_id
from metrics.vocab import LEVEL_RANK, QUALIFIER_LABELS, UNITS, Qualifier

LineOf = Callable[[tuple], int | None]
# A curated value must be one of these in its quote, never a date, a phone number or a name.
_VALUE_KINDS = {Kind.quantity, Kind.bare}
Valid = dict[str, list[Located[Any]]]

# Field -> (kind of thing it names, table those things are declared in)
_REFERENCES = {
    "region": "regions",
    "parent": "regions",
    "indicator": "indicators",
    "total": "indicators",
    "parts": "indicators",
    "source": "sources",
    "sources": "sources",
}
_KIND = {"regions": "region", "indicators": "indicator", "sources": "source"}


def raw_entries(data: Any, table: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(index, fields) of each entry of a table that is at least a mapping."""
    items = data.get(table) if isinstance(data, dict) else None
    if isinstance(items, list):
        for index, item in enumerate(items):
            if isinstance(item, dict):
                yield index, item


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _repeats(
    entries: Iterator[tuple[int, dict[str, Any]]],
    key_of: Callable[[dict[str, Any]], Any],
    path_of: Callable[[int], tuple],
    line_of: LineOf,
) -> Iterator[tuple[dict[str, Any], Any, int | None, int | None]]:
    """(fields, key, line, first line) of each entry whose key an earlier entry had."""
    first: dict[Any, int | None] = {}
    for index, fields in entries:
        key = key_of(fields)
        if key is None:
            continue
        line = line_of(path_of(index))
        if key in first:
            yield fields, key, line, first[key]
        else:
            first[key] = line


def _set_aside_key(fields: dict[str, Any]) -> str | None:
    source, mention = _text(fields.get("source")), _text(fields.get("mention"))
    return f"{source}/{mention}" if source and mention else None


def _observation_key(fields: dict[str, Any]) -> str:
    return make_observation_id(
        *(fields.get(f) for f in ("source", "region", "indicator", "period"))
    )


def check_unique_ids(data: Any, line_of: LineOf, log: ProblemLog) -> None:
    """Each table's ids are unique; observations are unique by what identifies them."""
    for table in ("sources", "regions", "indicators", "practices", "relations"):
        for _, key, line, first in _repeats(
            raw_entries(data, table),
            lambda fields: _text(fields.get("id")),
            lambda index, table=table: (table, index, "id"),
            line_of,
        ):
            log.add("duplicate_id", line, table=table, id=key, first=first)
    for _, key, line, first in _repeats(
        raw_entries(data, "set_aside"),
        _set_aside_key,
        lambda index: ("set_aside", index, "mention"),
        line_of,
    ):
        log.add("duplicate_id", line, table="set_aside", id=key, first=first)
    for fields, _, line, first in _repeats(
        raw_entries(data, "observations"),
        _observation_key,
        lambda index: ("observations", index),
        line_of,
    ):
        log.add(
            "duplicate_observation",
            line,
            region=fields.get("region"),
            indicator=fields.get("indicator"),
            source=fields.get("source"),
            first=first,
        )


def check_references(data: Any, line_of: LineOf, log: ProblemLog) -> None:
    """Every region, indicator and source an entry names is declared.

    An id declared in an entry that has problems of its own still counts, so one
    mistake gives one message and not one more for every reference to it.
    """
    declared = {
        table: {_text(fields.get("id")) for _, fields in raw_entries(data, table)}
        for table in ("regions", "indicators", "sources")
    }
    for table in ("sources", "regions", "observations", "practices", "relations", "set_aside"):
        for index, fields in raw_entries(data, table):
            for field, target in _REFERENCES.items():
                value = fields.get(field)
                names = enumerate(value) if isinstance(value, list) else [(None, value)]
                for n, name in names:
                    if isinstance(name, str) and name not in declared[target]:
                        path = (table, index, field) if n is None else (table, index, field, n)
                        log.add(f"unknown_{_KIND[target]}", line_of(path), got=name)


def check_region_levels(regions: list[Located[Any]], line_of: LineOf, log: ProblemLog) -> None:
    """A region's parent is of a higher level, so the hierarchy has no cycles."""
    by_id = {item.entry.id: item.entry for item in regions}
    for item in regions:
        parent = by_id.get(item.entry.parent or "")
        if parent and LEVEL_RANK[parent.level] >= LEVEL_RANK[item.entry.level]:
            log.add(
                "parent_level",
                line_of(("regions", item.index, "parent")),
                id=item.entry.id,
                level=item.entry.level.value,
                parent=parent.id,
                parent_level=parent.level.value,
            )


def check_units(valid: Valid, line_of: LineOf, log: ProblemLog) -> None:
    """An observation's unit is its indicator's unit."""
    units = {item.entry.id: item.entry.unit for item in valid["indicators"]}
    for item in valid["observations"]:
        expected = units.get(item.entry.indicator)
        if expected and item.entry.unit != expected:
            log.add(
                "unit_mismatch",
                line_of(("observations", item.index, "unit")),
                got=item.entry.unit,
                indicator=item.entry.indicator,
                expected=expected,
            )


def load_archives(
    data: Any, sources_dir: Path, line_of: LineOf, log: ProblemLog
) -> dict[str, ArchivedText]:
    """Read each source's archive once; report archives that cannot be used."""
    texts: dict[str, ArchivedText] = {}
    by_name: dict[str, ArchivedText | ArchiveError] = {}
    for index, fields in raw_entries(data, "sources"):
        name, source_id = _text(fields.get("archive")), _text(fields.get("id"))
        if not name:
            continue
        if name not in by_name:
            try:
                by_name[name] = read_archive(sources_dir, name)
            except ArchiveError as error:
                by_name[name] = error
        result = by_name[name]
        if isinstance(result, ArchiveError):
            line = line_of(("sources", index, "archive"))
            log.add(result.code, line, got=name, detail=result.detail)
        elif source_id is not None:
            texts[source_id] = result
    return texts


def _check_number(
    fields: dict[str, Any], path: tuple, mentions: list[Mention], line_of: LineOf, log: ProblemLog
) -> None:
    value, unit = fields["value"], fields["unit"]
    qualifier = Qualifier(fields.get("qualifier", Qualifier.exact))
    if not mentions:
        log.add("quote_no_number", line_of((*path, "quote")))
        return
    same_value = [m for m in mentions if math.isclose(m.value, value, rel_tol=1e-9)]
    if not same_value:
        found = ", ".join(f"'{m.text}' = {plain_number(m.value)}" for m in mentions)
        log.add(
            "quote_value_mismatch",
            line_of((*path, "value")),
            value=plain_number(value),
            found=found,
        )
        return
    matching = [m for m in same_value if m.qualifier == qualifier]
    if not matching:
        mention = same_value[0]
        log.add(
            "quote_qualifier_mismatch",
            line_of((*path, "qualifier")),
            qualifier=qualifier.value,
            mention=mention.text,
            expected=f"{mention.qualifier.value} ({QUALIFIER_LABELS[mention.qualifier].zh})",
        )
        return
    mention = matching[0]
    if mention.unit and mention.unit != unit:
        log.add(
            "quote_unit_mismatch",
            line_of((*path, "unit")),
            measure=mention.measure_word,
            found=mention.unit,
            unit=unit,
        )


def _checkable_number(fields: dict[str, Any]) -> bool:
    """Whether value, unit and qualifier are well-formed enough to compare with a quote."""
    value = fields.get("value")
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value >= 0
        and _text(fields.get("unit")) in UNITS
        and _text(fields.get("qualifier", Qualifier.exact)) in set(Qualifier)
    )


def check_quotes(
    data: Any, texts: dict[str, ArchivedText], line_of: LineOf, log: ProblemLog
) -> None:
    """Quotes occur in their archived article; an observation's quote carries its value."""
    archive_of = {
        _text(fields.get("id")): fields.get("archive") for _, fields in raw_entries(data, "sources")
    }
    for table in ("observations", "practices"):
        for index, fields in raw_entries(data, table):
            quote, source = _text(fields.get("quote")), _text(fields.get("source"))
            if not quote:
                continue
            path = (table, index)
            text = texts.get(source or "")
            if text is not None and not text.contains(quote):
                log.add(
                    "quote_not_in_archive", line_of((*path, "quote")), archive=archive_of[source]
                )
            if table == "observations" and _checkable_number(fields):
                numbers = [m for m in find_mentions(quote) if m.kind in _VALUE_KINDS]
                _check_number(fields, path, numbers, line_of, log)


def check_set_aside(
    data: Any, texts: dict[str, ArchivedText], line_of: LineOf, log: ProblemLog
) -> None:
    """A set-aside mention is a quantity the extractor finds in the source's article.

    This keeps the list honest: an entry that no longer matches anything (the text was
    mistyped, or the extractor learnt that it is a date) is reported, not kept silently.
    """
    quantities: dict[str, set[str]] = {}
    for index, fields in raw_entries(data, "set_aside"):
        mention, source = _text(fields.get("mention")), _text(fields.get("source"))
        text = texts.get(source or "")
        if not mention or text is None:
            continue
        if source not in quantities:
            quantities[source] = {compact(m.text) for m in find_quantities(text.text)}
        if compact(mention) not in quantities[source]:
            log.add("set_aside_unused", line_of(("set_aside", index, "mention")), mention=mention)
