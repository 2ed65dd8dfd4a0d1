"""Writing the dataset as a Frictionless Data Package (``datapackage.json`` + CSV files).

Each resource is one curated table as ``metrics.model.tables`` declares it: its columns
in order, their types, keys and references. Field descriptions come from the pydantic
schema through those declarations, so the package documents itself in the same words
as the curator guide.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from metrics.model.dataset import Dataset
from metrics.model.tables import BOOLEAN, CURATED, NUMBER, Column, Table

# Resource name -> its columns, in order: every curated table but where it was found.
RESOURCES: dict[str, tuple[Column, ...]] = {name: table.columns for name, table in CURATED.items()}


def _field(column: Column) -> dict[str, Any]:
    """One column as a field of a Table Schema."""
    spec: dict[str, Any] = {
        "name": column.name,
        "type": column.type,
        "description": column.description,
    }
    if column.required:
        spec["constraints"] = {"required": True}
    return spec


def _schema(table: Table) -> dict[str, Any]:
    """The Table Schema of one resource: fields, primary key, references."""
    schema: dict[str, Any] = {
        "fields": [_field(column) for column in table.columns],
        "primaryKey": list(table.primary_key),
    }
    keys = [
        {
            "fields": [key.column],
            # An empty resource name refers to the same resource (Frictionless' rule).
            "reference": {
                "resource": "" if key.table == table.name else key.table,
                "fields": [key.target],
            },
        }
        for key in table.foreign_keys
    ]
    if keys:
        schema["foreignKeys"] = keys
    return schema


def _table(dataset: Dataset, name: str) -> pd.DataFrame:
    """The exported columns of one of the dataset's tables."""
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
                "schema": _schema(CURATED[name]),
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
    pandas_type = {NUMBER: "float64", BOOLEAN: "boolean"}
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
