"""Checking each entry of each table against the schema, one entry at a time.

Entries are validated one by one so that a bad entry is reported and skipped while
every good entry still takes part in the checks across tables.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import ValidationError

from metrics.model.problems import ProblemLog
from metrics.model.schema import TABLES, Entry
from metrics.model.vocab import UNITS, Qualifier
from metrics.pipeline.yamlio import ParsedYaml

E = TypeVar("E", bound=Entry)

# Problem codes raised by our own validators in schema.py carry the same name.
_OWN_CODES = {
    "not_a_number", "not_finite", "negative_value", "number_too_large", "number_too_small",
    "out_of_range", "bad_id", "bad_date", "bad_url", "half_location", "control_character",
}  # fmt: skip
_RANGE_KINDS = {"greater_than_equal", "less_than_equal"}
_TYPE_WORDS = {
    "string_type": "must be text",
    "string_too_short": "must not be empty",
    "list_type": "must be a list",
    "too_short": "must have at least one item",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "model_type": "must be a mapping of fields",
    "dict_type": "must be a mapping of fields",
    "int_type": "must be a whole number",
    "float_type": "must be a number",
}


@dataclass(frozen=True)
class Located(Generic[E]):
    """A valid entry and the line where it starts."""

    entry: E
    line: int
    index: int


def _suggest(field: str, known: list[str]) -> str:
    close = difflib.get_close_matches(field, known, n=1)
    if close:
        return f"did you mean '{close[0]}'?"
    return "known fields: " + ", ".join(known)


def _report(
    error: dict[str, Any], path: tuple, model: type[Entry], parsed: ParsedYaml, log: ProblemLog
) -> None:
    loc = tuple(error["loc"])
    line = parsed.line_of((*path, *loc))
    field = str(loc[0]) if loc else "entry"
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "missing":
        log.add("missing_field", line, field=field)
    elif kind == "extra_forbidden":
        log.add(
            "unknown_field", line, field=field, suggestion=_suggest(field, list(model.model_fields))
        )
    elif kind == "unknown_unit":
        log.add("unknown_unit", line, got=ctx.get("got"), known=", ".join(UNITS))
    elif kind in _OWN_CODES:
        log.add(kind, line, field=field, **ctx)
    elif kind in _RANGE_KINDS:
        log.add("out_of_range", line, field=field, got=error.get("input"))
    elif kind == "enum" and field == "qualifier":
        known = ", ".join(q.value for q in Qualifier)
        log.add("unknown_qualifier", line, got=error.get("input"), known=known)
    elif kind == "enum":
        log.add(
            "invalid_choice",
            line,
            field=field,
            got=error.get("input"),
            known=ctx.get("expected", ""),
        )
    else:
        detail = _TYPE_WORDS.get(kind, error["msg"].lower())
        log.add("wrong_type", line, field=field, detail=detail)


def validate_entries(parsed: ParsedYaml, log: ProblemLog) -> dict[str, list[Located[Any]]]:
    """Validate every entry of every table; return the valid ones with their lines."""
    valid: dict[str, list[Located[Any]]] = {name: [] for name in TABLES}
    data = parsed.data
    if not isinstance(data, dict):
        log.add("not_a_mapping", parsed.line_of(()))
        return valid
    for key, items in data.items():
        if key not in TABLES:
            log.add("unknown_table", parsed.line_of((key,)), key=key, known=", ".join(TABLES))
            continue
        if items is None:
            continue
        if not isinstance(items, list):
            log.add("not_a_list", parsed.line_of((key,)), key=key)
            continue
        model = TABLES[key]
        for index, item in enumerate(items):
            path = (key, index)
            line = parsed.line_of(path) or 0
            if not isinstance(item, dict):
                log.add("not_an_entry", line)
                continue
            try:
                entry = model.model_validate(item)
            except ValidationError as error:
                for detail in error.errors():
                    _report(detail, path, model, parsed, log)
                continue
            valid[key].append(Located(entry, line, index))
    return valid
