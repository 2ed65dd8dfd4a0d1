"""Tidy pandas tables, one per table of the YAML, with stable column names.

Column names here are the public names used by the export and the dashboard.
Every table keeps ``file`` and ``line``: the YAML file (relative to the data folder)
and the line of the entry in it, so a number on screen can be traced back to where
it was curated.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from metrics.model.schema import (
    Indicator,
    Observation,
    Practice,
    Region,
    Relation,
    SetAside,
    Source,
)
from metrics.pipeline.entries import Located

SOURCE_COLUMNS = [
    "source_id", "title", "title_supplied", "publisher", "issue", "page", "date", "date_bound",
    "date_basis", "authors", "affiliation", "url", "archive", "region_id", "notes", "file", "line",
]  # fmt: skip
REGION_COLUMNS = [
    "region_id", "name_zh", "name_en", "short_zh", "level", "parent_id", "lat", "lon", "file",
    "line",
]  # fmt: skip
INDICATOR_COLUMNS = [
    "indicator_id", "name_zh", "name_en", "unit", "family", "definition_zh", "definition_en",
    "file", "line",
]  # fmt: skip
OBSERVATION_COLUMNS = [
    "observation_id", "region_id", "indicator_id", "value", "unit", "qualifier", "period",
    "period_note", "source_id", "quote", "note", "file", "line",
]  # fmt: skip
PRACTICE_COLUMNS = [
    "practice_id", "region_id", "name_zh", "name_en", "summary_zh", "summary_en", "themes",
    "source_id", "quote", "file", "line",
]  # fmt: skip
RELATION_COLUMNS = [
    "relation_id", "kind", "total_id", "part_ids", "source_ids", "description_zh",
    "description_en", "file", "line",
]  # fmt: skip

SET_ASIDE_COLUMNS = ["source_id", "mention", "reason", "file", "line"]

# Lists are joined with this separator in the tables and the CSV export.
LIST_SEPARATOR = "; "


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


def _joined(items: list[str] | None) -> str | None:
    return LIST_SEPARATOR.join(items) if items else None


def _sources_rows(items: list[Located[Source]]) -> list[dict[str, Any]]:
    return [
        {
            **item.entry.model_dump(exclude={"id", "region", "authors"}),
            "source_id": item.entry.id,
            "region_id": item.entry.region,
            "authors": _joined(item.entry.authors),
            "date_bound": item.entry.date_bound.value,
            "line": item.line,
        }
        for item in items
    ]


def _regions_rows(items: list[Located[Region]]) -> list[dict[str, Any]]:
    return [
        {
            **item.entry.model_dump(exclude={"id", "parent"}),
            "region_id": item.entry.id,
            "parent_id": item.entry.parent,
            "level": item.entry.level.value,
            "line": item.line,
        }
        for item in items
    ]


def _indicators_rows(items: list[Located[Indicator]]) -> list[dict[str, Any]]:
    return [
        {
            **item.entry.model_dump(exclude={"id"}),
            "indicator_id": item.entry.id,
            "family": item.entry.family.value,
            "line": item.line,
        }
        for item in items
    ]


def _observations_rows(items: list[Located[Observation]]) -> list[dict[str, Any]]:
    return [
        {
            **item.entry.model_dump(exclude={"region", "indicator", "source"}),
            "observation_id": observation_id(item.entry),
            "region_id": item.entry.region,
            "indicator_id": item.entry.indicator,
            "source_id": item.entry.source,
            "qualifier": item.entry.qualifier.value,
            "line": item.line,
        }
        for item in items
    ]


def _practices_rows(items: list[Located[Practice]]) -> list[dict[str, Any]]:
    return [
        {
            **item.entry.model_dump(exclude={"id", "region", "source", "themes"}),
            "practice_id": item.entry.id,
            "region_id": item.entry.region,
            "source_id": item.entry.source,
            "themes": _joined([theme.value for theme in item.entry.themes]),
            "line": item.line,
        }
        for item in items
    ]


def _relations_rows(items: list[Located[Relation]]) -> list[dict[str, Any]]:
    return [
        {
            "relation_id": item.entry.id,
            "kind": item.entry.kind.value,
            "total_id": item.entry.total,
            "part_ids": _joined(item.entry.parts),
            "source_ids": _joined(item.entry.sources),
            "description_zh": item.entry.description_zh,
            "description_en": item.entry.description_en,
            "line": item.line,
        }
        for item in items
    ]


def _set_aside_rows(items: list[Located[SetAside]]) -> list[dict[str, Any]]:
    return [
        {
            "source_id": item.entry.source,
            "mention": item.entry.mention,
            "reason": item.entry.reason,
            "line": item.line,
        }
        for item in items
    ]


_ROWS = {
    "sources": _sources_rows,
    "regions": _regions_rows,
    "indicators": _indicators_rows,
    "observations": _observations_rows,
    "practices": _practices_rows,
    "relations": _relations_rows,
    "set_aside": _set_aside_rows,
}
COLUMNS = {
    "sources": SOURCE_COLUMNS,
    "regions": REGION_COLUMNS,
    "indicators": INDICATOR_COLUMNS,
    "observations": OBSERVATION_COLUMNS,
    "practices": PRACTICE_COLUMNS,
    "relations": RELATION_COLUMNS,
    "set_aside": SET_ASIDE_COLUMNS,
}


def rows_of(table: str, items: list[Located[Any]], file: str) -> list[dict[str, Any]]:
    """The rows of a table's valid entries from one file, as plain dictionaries."""
    rows = _ROWS[table](items)
    for row in rows:
        row["file"] = file
    return rows


def frame_of(table: str, rows: list[dict[str, Any]]) -> pd.DataFrame:
    """One table as a DataFrame with its public columns, in the given row order."""
    frame = pd.DataFrame(rows, columns=COLUMNS[table])
    if table == "observations":
        frame["value"] = frame["value"].astype("float64")
    return frame
