"""Checking one YAML file on its own: what needs nothing but the file's own bytes.

A file is decoded, parsed and validated entry by entry, and each observation's value
is compared with the number in its quote. What the checks across files need (ids,
references, quotes, archive names) is taken from the raw entries, so that an entry
with a mistake in one field is still checked in its other fields. The result,
``FilePart``, depends only on the file's content and is computed once per content hash.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from metrics.model import tables
from metrics.model.archive import compact
from metrics.model.echo import cut
from metrics.model.formatting import plain_number
from metrics.model.numbers import Kind, Mention, find_mentions
from metrics.model.problems import Problem, ProblemLog
from metrics.model.schema import TABLES, is_id, valid_number
from metrics.model.vocab import QUALIFIER_LABELS, UNITS, Qualifier
from metrics.pipeline.derive import DERIVED_MEASURES
from metrics.pipeline.entries import validate_entries
from metrics.pipeline.yamlio import ParsedYaml, decode_text, parse_yaml

# A curated value must be one of these in its quote, never a date, a phone number or a name.
_VALUE_KINDS = {Kind.quantity, Kind.bare}
# Tables whose entries carry an ``id`` that must be unique across all files.
ID_TABLES = ("sources", "regions", "indicators", "practices", "relations")
# Field -> table its value names an entry of.
_REFERENCES = {
    "region": "regions",
    "parent": "regions",
    "indicator": "indicators",
    "total": "indicators",
    "parts": "indicators",
    "source": "sources",
    "sources": "sources",
}


# What the checks across files need from each file, as tables: name -> columns.
# Every row starts with the file it comes from; lines are 1-based, None when unknown.
KEY_COLUMNS: dict[str, list[str]] = {
    # Every entry with a text id.
    "ids": ["file", "table", "id", "line"],
    # What identifies every raw observation.
    "observation_keys": ["file", "observation_id", "region", "indicator", "source", "line"],
    # Every raw set-aside entry.
    "set_aside_keys": ["file", "source", "mention", "line"],
    # Every reference to an entry of a table.
    "references": ["file", "target", "name", "line"],
    # Every quote, without white space, and whether it crosses the columns on purpose.
    "quotes": ["file", "source", "quote", "crosses", "line"],
    # Every source's archive file name.
    "archives": ["file", "source", "archive", "line"],
    # Every valid region: level, parent and the line of its parent field.
    "levels": ["file", "region", "level", "parent", "line"],
    # Every valid observation's indicator and unit, and the line of its unit field.
    "units": ["file", "indicator", "unit", "line"],
    # Every Chinese wording of an indicator: its name_zh and each of its aliases_zh
    # (``kind``), without white space, with the line of that name.
    "names": ["file", "indicator", "kind", "name", "line"],
}
# The ids a source's ``no_derived`` may name.
DERIVED_IDS = tuple(measure.id for measure in DERIVED_MEASURES)


@dataclass
class FilePart:
    """What one file contributes: valid rows, its own problems, raw keys for cross-checks."""

    file: str
    rows: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {name: [] for name in TABLES}
    )
    problems: list[Problem] = field(default_factory=list)
    keys: dict[str, list[tuple[Any, ...]]] = field(
        default_factory=lambda: {name: [] for name in KEY_COLUMNS}
    )


def raw_entries(data: Any, table: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(index, fields) of each entry of a table that is at least a mapping."""
    items = data.get(table) if isinstance(data, dict) else None
    if isinstance(items, list):
        for index, item in enumerate(items):
            if isinstance(item, dict):
                yield index, item


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def check_file(file: str, raw: bytes) -> FilePart:
    """Everything that can be checked in one file without the others."""
    part = FilePart(file)
    log = ProblemLog(file)
    text = decode_text(raw, log)
    parsed = parse_yaml(text, log) if text is not None else None
    if parsed is not None:
        valid = validate_entries(parsed, log)
        part.rows = {name: tables.rows_of(name, items, file) for name, items in valid.items()}
        _collect_keys(parsed, part)
        _collect_fields(valid, parsed, part)
        _check_numbers(parsed, log)
        _check_no_derived(parsed, log)
    part.problems = log.problems
    return part


def _collect_keys(parsed: ParsedYaml, part: FilePart) -> None:
    data, line_of, file, keys = parsed.data, parsed.line_of, part.file, part.keys
    for table in ID_TABLES:
        for index, fields in raw_entries(data, table):
            entry_id = _text(fields.get("id"))
            if entry_id is not None:
                keys["ids"].append((file, table, entry_id, line_of((table, index, "id"))))
    for index, fields in raw_entries(data, "observations"):
        named = [fields.get(f) for f in ("source", "region", "indicator", "period")]
        keys["observation_keys"].append(
            (
                file,
                tables.make_observation_id(*named),
                *(str(value) if value is not None else None for value in named[1:3]),
                str(named[0]) if named[0] is not None else None,
                line_of(("observations", index)),
            )
        )
    for index, fields in raw_entries(data, "set_aside"):
        source, mention = _text(fields.get("source")), _text(fields.get("mention"))
        if source and mention:
            line = line_of(("set_aside", index, "mention"))
            keys["set_aside_keys"].append((file, source, mention, line))
    for table in ("sources", "regions", "observations", "practices", "relations", "set_aside"):
        for index, fields in raw_entries(data, table):
            for name, target in _REFERENCES.items():
                value = fields.get(name)
                named = enumerate(value) if isinstance(value, list) else [(None, value)]
                for n, entry_id in named:
                    if isinstance(entry_id, str):
                        path = (table, index, name) if n is None else (table, index, name, n)
                        keys["references"].append((file, target, entry_id, line_of(path)))
    for table in ("observations", "practices"):
        for index, fields in raw_entries(data, table):
            quote, source = _text(fields.get("quote")), _text(fields.get("source"))
            if quote and source:
                line = line_of((table, index, "quote"))
                crosses = fields.get("quote_crosses_columns") is True
                keys["quotes"].append((file, source, compact(quote), crosses, line))
    for index, fields in raw_entries(data, "indicators"):
        indicator = _text(fields.get("id"))
        if indicator is None:
            continue
        name = _text(fields.get("name_zh"))
        if name and compact(name):
            line = line_of(("indicators", index, "name_zh"))
            keys["names"].append((file, indicator, "name_zh", compact(name), line))
        aliases = fields.get("aliases_zh")
        for n, alias in enumerate(aliases if isinstance(aliases, list) else []):
            if isinstance(alias, str) and compact(alias):
                line = line_of(("indicators", index, "aliases_zh", n))
                keys["names"].append((file, indicator, "alias", compact(alias), line))
    for index, fields in raw_entries(data, "sources"):
        archive = _text(fields.get("archive"))
        if archive:
            line = line_of(("sources", index, "archive"))
            keys["archives"].append((file, _text(fields.get("id")), archive, line))


def _collect_fields(valid: dict[str, list[Any]], parsed: ParsedYaml, part: FilePart) -> None:
    for item in valid["regions"]:
        line = parsed.line_of(("regions", item.index, "parent"))
        entry = item.entry
        part.keys["levels"].append((part.file, entry.id, entry.level.value, entry.parent, line))
    for item in valid["observations"]:
        line = parsed.line_of(("observations", item.index, "unit"))
        part.keys["units"].append((part.file, item.entry.indicator, item.entry.unit, line))


def _check_no_derived(parsed: ParsedYaml, log: ProblemLog) -> None:
    """Each id a source's ``no_derived`` names is a derived measure."""
    for index, fields in raw_entries(parsed.data, "sources"):
        named = fields.get("no_derived")
        for n, measure in enumerate(named if isinstance(named, list) else []):
            # A text that is no id at all is already a problem of the schema (bad_id).
            if is_id(measure) and measure not in DERIVED_IDS:
                line = parsed.line_of(("sources", index, "no_derived", n))
                known = ", ".join(DERIVED_IDS)
                log.add("unknown_derived_measure", line, got=cut(measure), known=known)


def _checkable_number(fields: dict[str, Any]) -> bool:
    """Whether value, unit and qualifier are well-formed enough to compare with a quote."""
    return (
        valid_number(fields.get("value")) is not None
        and _text(fields.get("unit")) in UNITS
        and _text(fields.get("qualifier", Qualifier.exact)) in set(Qualifier)
    )


def _same(mention: float, value: float) -> bool:
    """Whether a number read from a quote is the curated value, up to float rounding.

    A quote may hold a number far past what a float holds (a run of 400 digits); it
    can never be a valid value, which is at most ``schema.MAX_EXACT``.
    """
    try:
        return math.isclose(mention, value, rel_tol=1e-9)
    except OverflowError:
        return False


def _check_numbers(parsed: ParsedYaml, log: ProblemLog) -> None:
    """An observation's quote carries its value, qualifier and unit."""
    for index, fields in raw_entries(parsed.data, "observations"):
        quote = _text(fields.get("quote"))
        if quote and _checkable_number(fields):
            numbers = [m for m in find_mentions(quote) if m.kind in _VALUE_KINDS]
            _check_number(fields, ("observations", index), numbers, parsed, log)


def _check_number(
    fields: dict[str, Any],
    path: tuple,
    mentions: list[Mention],
    parsed: ParsedYaml,
    log: ProblemLog,
) -> None:
    line_of = parsed.line_of
    value, unit = valid_number(fields["value"]), fields["unit"]
    qualifier = Qualifier(fields.get("qualifier", Qualifier.exact))
    if not mentions:
        log.add("quote_no_number", line_of((*path, "quote")))
        return
    same_value = [m for m in mentions if _same(m.value, value)]
    if not same_value:
        found = ", ".join(f"'{cut(m.text)}' = {plain_number(m.value)}" for m in mentions)
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
