"""Writing the dataset as a Frictionless Data Package (``datapackage.json`` + CSV files).

Field descriptions come from the pydantic schema, so the package documents itself
in the same words as the curator guide.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from metrics.model.dataset import Dataset
from metrics.model.schema import (
    Indicator,
    Observation,
    Practice,
    Region,
    Relation,
    SetAside,
    Source,
)
from metrics.model.tables import LIST_SEPARATOR


@dataclass(frozen=True)
class Column:
    """One CSV column: its name, Frictionless type and description."""

    name: str
    type: str
    description: str
    required: bool = False
    enum: tuple[str, ...] = ()


def _described(
    model: type, field: str, name: str | None = None, type_: str = "string", **kw: Any
) -> Column:
    description = model.model_fields[field].description or ""
    return Column(name or field, type_, description, **kw)


_LIST_NOTE = f" Several values are separated by '{LIST_SEPARATOR}'."

RESOURCES: dict[str, list[Column]] = {
    "sources": [
        _described(Source, "id", "source_id", required=True),
        _described(Source, "title", required=True),
        _described(Source, "title_supplied", type_="boolean"),
        _described(Source, "publisher"),
        _described(Source, "issue"),
        _described(Source, "page"),
        _described(Source, "date", required=True),
        _described(Source, "date_bound"),
        _described(Source, "date_basis"),
        Column(
            "authors", "string", (Source.model_fields["authors"].description or "") + _LIST_NOTE
        ),
        _described(Source, "affiliation"),
        _described(Source, "url"),
        _described(Source, "archive", required=True),
        _described(Source, "region", "region_id", required=True),
        _described(Source, "notes"),
    ],
    "regions": [
        _described(Region, "id", "region_id", required=True),
        _described(Region, "name_zh", required=True),
        _described(Region, "name_en", required=True),
        _described(Region, "short_zh"),
        _described(Region, "level", required=True),
        _described(Region, "parent", "parent_id"),
        _described(Region, "lat", type_="number"),
        _described(Region, "lon", type_="number"),
    ],
    "indicators": [
        _described(Indicator, "id", "indicator_id", required=True),
        _described(Indicator, "name_zh", required=True),
        _described(Indicator, "name_en", required=True),
        _described(Indicator, "unit", required=True),
        _described(Indicator, "family", required=True),
        _described(Indicator, "definition_zh"),
        _described(Indicator, "definition_en"),
    ],
    "observations": [
        Column(
            "observation_id", "string", "Id made of source, region, indicator and period.", True
        ),
        _described(Observation, "region", "region_id", required=True),
        _described(Observation, "indicator", "indicator_id", required=True),
        _described(Observation, "value", type_="number", required=True),
        _described(Observation, "unit", required=True),
        _described(Observation, "qualifier", required=True),
        _described(Observation, "period"),
        _described(Observation, "period_note"),
        _described(Observation, "source", "source_id", required=True),
        _described(Observation, "quote", required=True),
        _described(Observation, "note"),
    ],
    "practices": [
        _described(Practice, "id", "practice_id", required=True),
        _described(Practice, "region", "region_id", required=True),
        _described(Practice, "name_zh", required=True),
        _described(Practice, "name_en", required=True),
        _described(Practice, "summary_zh", required=True),
        _described(Practice, "summary_en", required=True),
        Column(
            "themes",
            "string",
            (Practice.model_fields["themes"].description or "") + _LIST_NOTE,
            True,
        ),
        _described(Practice, "source", "source_id", required=True),
        _described(Practice, "quote", required=True),
    ],
    "relations": [
        _described(Relation, "id", "relation_id", required=True),
        _described(Relation, "kind", required=True),
        _described(Relation, "total", "total_id", required=True),
        Column(
            "part_ids",
            "string",
            (Relation.model_fields["parts"].description or "") + _LIST_NOTE,
            True,
        ),
        Column(
            "source_ids",
            "string",
            (Relation.model_fields["sources"].description or "") + _LIST_NOTE,
        ),
        _described(Relation, "description_zh", required=True),
        _described(Relation, "description_en", required=True),
    ],
    "set_aside": [
        _described(SetAside, "source", "source_id", required=True),
        _described(SetAside, "mention", required=True),
        _described(SetAside, "reason", required=True),
    ],
}

# Tables keyed by something other than their first column.
_PRIMARY_KEYS = {"set_aside": ["source_id", "mention"]}

_FOREIGN_KEYS: dict[str, list[tuple[str, str, str]]] = {
    "sources": [("region_id", "regions", "region_id")],
    "regions": [("parent_id", "regions", "region_id")],
    "observations": [
        ("region_id", "regions", "region_id"),
        ("indicator_id", "indicators", "indicator_id"),
        ("source_id", "sources", "source_id"),
    ],
    "practices": [("region_id", "regions", "region_id"), ("source_id", "sources", "source_id")],
    "relations": [("total_id", "indicators", "indicator_id")],
    "set_aside": [("source_id", "sources", "source_id")],
}


def _schema(name: str) -> dict[str, Any]:
    fields = []
    for column in RESOURCES[name]:
        spec: dict[str, Any] = {
            "name": column.name,
            "type": column.type,
            "description": column.description,
        }
        if column.required:
            spec["constraints"] = {"required": True}
        fields.append(spec)
    key = _PRIMARY_KEYS.get(name, [RESOURCES[name][0].name])
    schema: dict[str, Any] = {"fields": fields, "primaryKey": key}
    keys = [
        {
            "fields": [own],
            "reference": {"resource": "" if other == name else other, "fields": [theirs]},
        }
        for own, other, theirs in _FOREIGN_KEYS.get(name, [])
    ]
    if keys:
        schema["foreignKeys"] = keys
    return schema


def _table(dataset: Dataset, name: str) -> pd.DataFrame:
    frame: pd.DataFrame = getattr(dataset, name)
    return frame[[column.name for column in RESOURCES[name]]]


def write_datapackage(dataset: Dataset, out: Path | str) -> Path:
    """Write every table as CSV plus ``datapackage.json``; return the descriptor's path."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    resources = []
    for name in RESOURCES:
        path = f"{name}.csv"
        table = _table(dataset, name)
        table.to_csv(
            out / path, index=False, encoding="utf-8", lineterminator="\n", float_format="%.15g"
        )
        resources.append(
            {
                "name": name,
                "path": path,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": _schema(name),
            }
        )
    descriptor = {
        "profile": "tabular-data-package",
        "name": "grassroots-governance-indicators",
        "title": "Reported indicators of grassroots governance (党建引领基层治理)",
        "description": "Numbers and named practices that local governments reported in articles "
        "about their grassroots governance work, each with its source and verbatim quote.",
        "resources": resources,
    }
    target = out / "datapackage.json"
    target.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return target


def column_dtypes(name: str) -> dict[str, str]:
    """The pandas dtype of each column of a resource, from its declared type."""
    pandas_type = {"number": "float64", "boolean": "boolean"}
    return {column.name: pandas_type.get(column.type, "str") for column in RESOURCES[name]}


def read_datapackage_tables(folder: Path | str) -> dict[str, pd.DataFrame]:
    """Read the CSVs of an exported package back, with the types the package declares."""
    folder = Path(folder)
    tables = {}
    for name in RESOURCES:
        tables[name] = pd.read_csv(
            folder / f"{name}.csv", dtype=column_dtypes(name), keep_default_na=False, na_values=[""]
        )
    return tables
