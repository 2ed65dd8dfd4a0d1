"""The tables of a dataset, each declared once: its columns, keys and where each value comes from.

A ``Table`` names its columns in order. For the seven tables of curated entries the
declaration also names the pydantic model (``metrics.model.schema``) and, for each
column, the entry field it holds; the rest is read from the schema: a column's
description and whether it is required, whether it holds a list (joined into one text)
or a vocabulary value (kept as its plain text). From these declarations come the column
lists of the DataFrames, the row of each entry (``rows_of``), the Parquet snapshot's
table list and the data package's resources (``metrics.tools.export``).

Column names are the public names used by the export and the dashboard. Every curated
table ends with ``file`` and ``line``: the YAML file (relative to the data folder) and
the line of the entry in it, so a number on screen can be traced back to where it was
curated.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from enum import Enum
from operator import attrgetter
from typing import Any, Protocol

import pandas as pd

from metrics.model.schema import (
    TABLES,
    Entry,
    Indicator,
    Observation,
    Practice,
    Region,
    Relation,
    SetAside,
    Source,
)

# Lists are joined with this separator in the tables and the CSV export.
LIST_SEPARATOR = "; "
# Said of every joined column in the export's description.
LIST_NOTE = f" Several values are separated by '{LIST_SEPARATOR}'."
# Where each curated entry was found; last columns of every curated table, not exported.
TRACE_COLUMNS = ("file", "line")

# Frictionless field types of the export.
STRING, NUMBER, BOOLEAN = "string", "number", "boolean"


@dataclass(frozen=True)
class Column:
    """One column of a table, under its public name.

    Declared with what the schema cannot tell; ``curated`` fills in the rest."""

    name: str
    # Frictionless type of the column in the export.
    type: str = STRING
    # The entry field the column holds; None: the field of the same name.
    field: str | None = None
    # None: required exactly when the schema requires the field.
    required: bool | None = None
    # Empty: the schema field's description.
    description: str = ""
    # The pandas dtype the column is cast to; None: as pandas infers it from the values
    # (text and optional numbers stay as they were read).
    dtype: str | None = None
    # Makes the value from the whole entry, for a column that is no field (an id).
    compute: Callable[[Any], Any] | None = None
    # Filled in: the function that reads the column's value from an entry.
    read: Callable[[Any], Any] | None = None


@dataclass(frozen=True)
class ForeignKey:
    """A column that names a row of another table (or of its own)."""

    column: str
    table: str
    # The column of ``table`` it names; empty: the one of the same name.
    target: str = ""


@dataclass(frozen=True)
class Table:
    """One table of a dataset: its name, its columns in order, and its keys."""

    name: str
    columns: tuple[Column, ...]
    # The schema model of its entries; None for a table computed by the pipeline.
    model: type[Entry] | None = None
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()

    @property
    def column_names(self) -> list[str]:
        """Every column of the table's DataFrame, in order (a curated one's end with
        ``TRACE_COLUMNS``)."""
        names = [column.name for column in self.columns]
        return names + list(TRACE_COLUMNS) if self.model is not None else names


def make_observation_id(source: object, region: object, indicator: object, period: object) -> str:
    """A stable id made of what makes an observation unique: source, region, indicator, period.

    Takes raw values too, so the duplicate check of raw entries uses the same identity.
    """
    parts = [str(source), str(region), str(indicator)]
    if period not in (None, ""):
        parts.append(str(period))
    return ":".join(parts)


def observation_id(entry: Observation) -> str:
    """The id of a validated observation."""
    return make_observation_id(entry.source, entry.region, entry.indicator, entry.period)


def _plain(value: Any) -> Any:
    """A vocabulary value as its text; anything else as it is."""
    return value.value if isinstance(value, Enum) else value


def _joined(items: list[Any] | None) -> str | None:
    """A list as one text; no text for an empty or missing list."""
    return LIST_SEPARATOR.join(_plain(item) for item in items) if items else None


def _holds(annotation: Any, test: Callable[[Any], bool]) -> bool:
    """Whether the type, or any type inside it (a union, an ``Annotated``), passes ``test``."""
    if test(annotation):
        return True
    return any(_holds(inner, test) for inner in typing.get_args(annotation))


def _is_list(annotation: Any) -> bool:
    """Whether the type is a list of something."""
    return typing.get_origin(annotation) is list


def _is_vocabulary(annotation: Any) -> bool:
    """Whether the type is one of the vocabularies (``metrics.model.vocab``)."""
    return isinstance(annotation, type) and issubclass(annotation, Enum)


def _reader(annotation: Any, name: str) -> Callable[[Any], Any]:
    """How a field's value becomes a cell: lists joined, vocabulary values as text."""
    get = attrgetter(name)
    if _holds(annotation, _is_list):
        return lambda entry: _joined(get(entry))
    if _holds(annotation, _is_vocabulary):
        return lambda entry: _plain(get(entry))
    return get  # text, numbers and flags are stored as validated


def _completed(model: type[Entry], column: Column) -> Column:
    """The column with what the schema says about its field filled in."""
    if column.compute is not None:
        if column.required is None or not column.description:
            raise ValueError(f"computed column {column.name} needs required and a description")
        return replace(column, read=column.compute)
    name = column.field or column.name
    info = model.model_fields[name]
    joined = _holds(info.annotation, _is_list)
    return replace(
        column,
        field=name,
        required=info.is_required() if column.required is None else column.required,
        description=column.description or (info.description or "") + (LIST_NOTE if joined else ""),
        read=_reader(info.annotation, name),
    )


def curated(
    name: str,
    model: type[Entry],
    columns: tuple[Column, ...],
    *,
    primary_key: tuple[str, ...] = (),
    foreign_keys: tuple[ForeignKey, ...] = (),
) -> Table:
    """A table of curated entries, its columns completed from the schema.

    Every field of the model must be the source of exactly one column, so that a field
    added to the schema without a column fails here, on import, not in a table."""
    filled = tuple(_completed(model, column) for column in columns)
    used = [column.field for column in filled if column.compute is None]
    if sorted(used) != sorted(model.model_fields):
        raise ValueError(f"the columns of {name} do not name each field of {model.__name__} once")
    return Table(
        name,
        filled,
        model,
        primary_key or (filled[0].name,),
        tuple(replace(key, target=key.target or key.column) for key in foreign_keys),
    )


_TO_REGIONS = ForeignKey("region_id", "regions")
_TO_INDICATORS = ForeignKey("indicator_id", "indicators")
_TO_SOURCES = ForeignKey("source_id", "sources")

SOURCES = curated(
    "sources",
    Source,
    (
        Column("source_id", field="id"),
        Column("title"),
        Column("title_supplied", BOOLEAN),
        Column("publisher"),
        Column("issue"),
        Column("page"),
        Column("date"),
        Column("date_bound"),
        Column("date_basis"),
        Column("authors"),
        Column("affiliation"),
        Column("url"),
        Column("archive"),
        Column("region_id", field="region"),
        Column("notes"),
        Column("no_derived"),
    ),
    foreign_keys=(_TO_REGIONS,),
)
REGIONS = curated(
    "regions",
    Region,
    (
        Column("region_id", field="id"),
        Column("name_zh"),
        Column("name_en"),
        Column("short_zh"),
        Column("level"),
        Column("parent_id", field="parent"),
        Column("lat", NUMBER),
        Column("lon", NUMBER),
    ),
    foreign_keys=(ForeignKey("parent_id", "regions", "region_id"),),
)
INDICATORS = curated(
    "indicators",
    Indicator,
    (
        Column("indicator_id", field="id"),
        Column("name_zh"),
        Column("name_en"),
        Column("aliases_zh"),
        Column("unit"),
        Column("family"),
        Column("definition_zh"),
        Column("definition_en"),
    ),
)
OBSERVATIONS = curated(
    "observations",
    Observation,
    (
        Column(
            "observation_id",
            required=True,
            description="Id made of source, region, indicator and period.",
            compute=observation_id,
        ),
        Column("region_id", field="region"),
        Column("indicator_id", field="indicator"),
        # Whole and fractional numbers alike, so that a column is never split in types.
        Column("value", NUMBER, dtype="float64"),
        Column("unit"),
        # Every row has one (the schema fills in "exact"), so the export requires it.
        Column("qualifier", required=True),
        Column("period"),
        Column("period_note"),
        Column("source_id", field="source"),
        Column("quote"),
        Column("quote_crosses_columns", BOOLEAN),
        Column("note"),
    ),
    foreign_keys=(_TO_REGIONS, _TO_INDICATORS, _TO_SOURCES),
)
PRACTICES = curated(
    "practices",
    Practice,
    (
        Column("practice_id", field="id"),
        Column("region_id", field="region"),
        Column("name_zh"),
        Column("name_en"),
        Column("summary_zh"),
        Column("summary_en"),
        Column("themes"),
        Column("source_id", field="source"),
        Column("quote"),
        Column("quote_crosses_columns", BOOLEAN),
    ),
    foreign_keys=(_TO_REGIONS, _TO_SOURCES),
)
RELATIONS = curated(
    "relations",
    Relation,
    (
        Column("relation_id", field="id"),
        Column("kind"),
        Column("total_id", field="total"),
        Column("part_ids", field="parts"),
        Column("source_ids", field="sources"),
        Column("description_zh"),
        Column("description_en"),
    ),
    foreign_keys=(ForeignKey("total_id", "indicators", "indicator_id"),),
)
SET_ASIDE = curated(
    "set_aside",
    SetAside,
    (
        Column("source_id", field="source"),
        Column("mention"),
        Column("reason"),
    ),
    primary_key=("source_id", "mention"),
    foreign_keys=(_TO_SOURCES,),
)

# Computed by the pipeline from the curated tables (``metrics.pipeline.relations``).
_RELATION_RESULT_COLUMNS = (
    "relation_id", "kind", "source_id", "region_id", "period", "status", "total_id",
    "total_value", "total_qualifier", "parts_value", "missing_ids", "observation_ids", "detail",
    "file", "line",
)  # fmt: skip
# Both computed tables also list the observations they are made of (``observation_ids``).
RELATION_RESULTS = Table(
    "relation_results",
    tuple(map(Column, _RELATION_RESULT_COLUMNS)),
    foreign_keys=(
        ForeignKey("relation_id", "relations", "relation_id"),
        ForeignKey("region_id", "regions", "region_id"),
        ForeignKey("source_id", "sources", "source_id"),
    ),
)
# Computed by the pipeline from the observations (``metrics.pipeline.derive``).
_DERIVED_COLUMNS = (
    "measure_id", "source_id", "region_id", "period", "value", "qualifier", "unit_zh",
    "unit_en", "name_zh", "name_en", "observation_ids",
)  # fmt: skip
DERIVED = Table(
    "derived",
    tuple(
        Column(name, NUMBER, dtype="float64") if name == "value" else Column(name)
        for name in _DERIVED_COLUMNS
    ),
    foreign_keys=(
        ForeignKey("region_id", "regions", "region_id"),
        ForeignKey("source_id", "sources", "source_id"),
    ),
)

# The curated tables, in the order of the schema (the order they are checked and shown).
CURATED: dict[str, Table] = {
    table.name: table
    for table in (SOURCES, REGIONS, INDICATORS, OBSERVATIONS, PRACTICES, RELATIONS, SET_ASIDE)
}
if list(CURATED) != list(TABLES) or any(CURATED[n].model is not m for n, m in TABLES.items()):
    raise ValueError("every table of the schema needs one declaration here, in its order")
# Every table a ``Dataset`` holds, and a snapshot keeps.
DATASET_TABLES: dict[str, Table] = {
    **CURATED,
    RELATION_RESULTS.name: RELATION_RESULTS,
    DERIVED.name: DERIVED,
}


class Placed(Protocol):
    """A valid entry and the line where it starts (``pipeline.entries.Located``)."""

    @property
    def entry(self) -> Any: ...

    @property
    def line(self) -> int: ...


def rows_of(table: str, items: Iterable[Placed], file: str) -> list[dict[str, Any]]:
    """The rows of a curated table's valid entries from one file, as plain dictionaries."""
    readers = [(column.name, column.read) for column in CURATED[table].columns]
    rows = []
    for item in items:
        entry = item.entry
        row = {name: read(entry) for name, read in readers}
        row["file"] = file
        row["line"] = item.line
        rows.append(row)
    return rows


def frame_of(table: str, rows: list[dict[str, Any]]) -> pd.DataFrame:
    """One table as a DataFrame with its declared columns, in the given row order."""
    declared = DATASET_TABLES[table]
    frame = pd.DataFrame(rows, columns=declared.column_names)
    for column in declared.columns:
        if column.dtype is not None:
            frame[column.name] = frame[column.name].astype(column.dtype)
    return frame
