"""Checks across entries and tables: ids, references, levels, units, archives, quotes."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from metrics.archive import ArchivedText, ArchiveError, read_archive
from metrics.entries import Located
from metrics.numbers import Mention, find_mentions
from metrics.problems import ProblemLog
from metrics.schema import Observation, Practice, Region, Relation, Source
from metrics.tables import observation_id
from metrics.vocab import LEVEL_RANK, QUALIFIER_LABELS, UNITS

LineOf = Callable[[tuple], int | None]
Valid = dict[str, list[Located[Any]]]


def check_unique_ids(valid: Valid, line_of: LineOf, log: ProblemLog) -> None:
    """Each table's ids are unique; observations are unique by what identifies them."""
    for table, items in valid.items():
        first: dict[str, int] = {}
        for item in items:
            key = observation_id(item.entry) if table == "observations" else item.entry.id
            if key not in first:
                first[key] = item.line
                continue
            if table == "observations":
                entry: Observation = item.entry
                log.add(
                    "duplicate_observation",
                    item.line,
                    region=entry.region,
                    indicator=entry.indicator,
                    source=entry.source,
                    first=first[key],
                )
            else:
                log.add(
                    "duplicate_id",
                    line_of((table, item.index, "id")),
                    table=table,
                    id=key,
                    first=first[key],
                )


def declared_ids(data: Any, table: str) -> set[str]:
    """Ids written in a table, valid entries or not.

    References to an entry that has problems of its own are not reported again:
    one mistake should give one message, not one per reference to it.
    """
    items = data.get(table) if isinstance(data, dict) else None
    if not isinstance(items, list):
        return set()
    return {
        item["id"] for item in items if isinstance(item, dict) and isinstance(item.get("id"), str)
    }


def check_references(valid: Valid, data: Any, line_of: LineOf, log: ProblemLog) -> None:
    """Every region, indicator and source an entry names exists."""
    known = {
        "region": declared_ids(data, "regions"),
        "indicator": declared_ids(data, "indicators"),
        "source": declared_ids(data, "sources"),
    }

    def need(kind: str, value: str | None, path: tuple) -> None:
        if value is not None and value not in known[kind]:
            log.add(f"unknown_{kind}", line_of(path), got=value)

    for item in valid["sources"]:
        need("region", item.entry.region, ("sources", item.index, "region"))
    for item in valid["regions"]:
        need("region", item.entry.parent, ("regions", item.index, "parent"))
    for table in ("observations", "practices"):
        for item in valid[table]:
            need("region", item.entry.region, (table, item.index, "region"))
            need("source", item.entry.source, (table, item.index, "source"))
    for item in valid["observations"]:
        need("indicator", item.entry.indicator, ("observations", item.index, "indicator"))
    for item in valid["relations"]:
        relation: Relation = item.entry
        need("indicator", relation.total, ("relations", item.index, "total"))
        for n, part in enumerate(relation.parts):
            need("indicator", part, ("relations", item.index, "parts", n))
        for n, source in enumerate(relation.sources or []):
            need("source", source, ("relations", item.index, "sources", n))


def check_region_levels(regions: list[Located[Region]], line_of: LineOf, log: ProblemLog) -> None:
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
    sources: list[Located[Source]], sources_dir: Path, line_of: LineOf, log: ProblemLog
) -> dict[str, ArchivedText]:
    """Read each source's archive once; report archives that cannot be used."""
    texts: dict[str, ArchivedText] = {}
    by_name: dict[str, ArchivedText | ArchiveError] = {}
    for item in sources:
        name = item.entry.archive
        if name not in by_name:
            try:
                by_name[name] = read_archive(sources_dir, name)
            except ArchiveError as error:
                by_name[name] = error
        result = by_name[name]
        if isinstance(result, ArchiveError):
            line = line_of(("sources", item.index, "archive"))
            log.add(result.code, line, got=name, detail=result.detail)
        else:
            texts[item.entry.id] = result
    return texts


def _value_text(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def _check_number(
    item: Located[Observation], mentions: list[Mention], line_of: LineOf, log: ProblemLog
) -> None:
    entry = item.entry
    path = ("observations", item.index)
    if not mentions:
        log.add("quote_no_number", line_of((*path, "quote")))
        return
    same_value = [m for m in mentions if math.isclose(m.value, entry.value, rel_tol=1e-9)]
    if not same_value:
        found = ", ".join(f"'{m.text}' = {_value_text(m.value)}" for m in mentions)
        log.add(
            "quote_value_mismatch",
            line_of((*path, "value")),
            value=_value_text(entry.value),
            found=found,
        )
        return
    matching = [m for m in same_value if m.qualifier == entry.qualifier]
    if not matching:
        mention = same_value[0]
        log.add(
            "quote_qualifier_mismatch",
            line_of((*path, "qualifier")),
            qualifier=entry.qualifier.value,
            mention=mention.text,
            expected=f"{mention.qualifier.value} ({QUALIFIER_LABELS[mention.qualifier].zh})",
        )
        return
    mention = matching[0]
    if mention.unit and mention.unit != entry.unit:
        log.add(
            "quote_unit_mismatch",
            line_of((*path, "unit")),
            measure=mention.measure_word,
            found=mention.unit,
            unit=entry.unit,
        )


def check_quotes(
    valid: Valid, texts: dict[str, ArchivedText], line_of: LineOf, log: ProblemLog
) -> None:
    """Quotes occur in their archived article; an observation's quote carries its value."""
    archive_of = {item.entry.id: item.entry.archive for item in valid["sources"]}
    for table in ("observations", "practices"):
        for item in valid[table]:
            entry: Observation | Practice = item.entry
            text = texts.get(entry.source)
            if text is not None and not text.contains(entry.quote):
                log.add(
                    "quote_not_in_archive",
                    line_of((table, item.index, "quote")),
                    archive=archive_of[entry.source],
                )
            if table == "observations" and entry.unit in UNITS:
                _check_number(item, find_mentions(entry.quote), line_of, log)
