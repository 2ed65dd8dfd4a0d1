"""The Frictionless Data Package export."""

from __future__ import annotations

import json
from dataclasses import fields
from types import SimpleNamespace

import pandas as pd
import pytest
from conftest import SEED_DATA

from metrics.model.dataset import Dataset
from metrics.model.schema import TABLES, Practice, SetAside
from metrics.model.tables import (
    CURATED,
    DATASET_TABLES,
    LIST_SEPARATOR,
    Column,
    curated,
    rows_of,
)
from metrics.pipeline.load import load_dataset
from metrics.tools.export import (
    RESOURCES,
    column_dtypes,
    read_datapackage_tables,
    write_datapackage,
)


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    dataset = load_dataset(SEED_DATA)
    folder = tmp_path_factory.mktemp("package")
    write_datapackage(dataset, folder)
    return dataset, folder


def test_package_has_the_required_columns(exported) -> None:
    _, folder = exported
    required = {
        "observations": [
            "region_id",
            "indicator_id",
            "value",
            "unit",
            "qualifier",
            "period",
            "source_id",
            "quote",
        ],
        "regions": ["region_id", "name_zh", "name_en", "level", "parent_id"],
        "indicators": ["indicator_id", "name_zh", "name_en", "unit", "family"],
        "sources": ["source_id", "title", "publisher", "date", "url", "archive"],
        "practices": ["practice_id", "region_id", "name_zh", "name_en", "source_id", "quote"],
    }
    for name, columns in required.items():
        header = pd.read_csv(folder / f"{name}.csv", nrows=0).columns
        assert set(columns) <= set(header), name


def test_round_trip_gives_the_same_values(exported) -> None:
    dataset, folder = exported
    tables = read_datapackage_tables(folder)
    for name, columns in RESOURCES.items():
        original = getattr(dataset, name)[[c.name for c in columns]].reset_index(drop=True)
        # What the package declares as text comes back as text; compare in those types.
        dtypes = column_dtypes(name)
        pd.testing.assert_frame_equal(
            tables[name], original.astype(dtypes), check_dtype=False, obj=name
        )


def test_values_are_written_in_base_units_without_float_noise(exported) -> None:
    _, folder = exported
    text = (folder / "observations.csv").read_text(encoding="utf-8")
    assert ",80000000,yuan,more_than," in text
    assert ",2000,person_time,more_than," in text


def test_descriptor_describes_every_field(exported) -> None:
    _, folder = exported
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        for field in resource["schema"]["fields"]:
            assert field["description"], f"{resource['name']}.{field['name']}"


def test_frictionless_validates_the_package(exported) -> None:
    frictionless = pytest.importorskip("frictionless")
    _, folder = exported
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "message"])


def test_frictionless_catches_a_broken_reference(exported, tmp_path) -> None:
    frictionless = pytest.importorskip("frictionless")
    _, folder = exported
    for path in folder.iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    observations = tmp_path / "observations.csv"
    observations.write_text(
        observations.read_text(encoding="utf-8").replace(",kezuozhong,", ",atlantis,", 1),
        encoding="utf-8",
    )
    assert not frictionless.validate(str(tmp_path / "datapackage.json")).valid


# --- the table declarations the package is made from ------------------------------


def test_every_table_of_the_schema_is_declared_from_its_model() -> None:
    assert {name: table.model for name, table in CURATED.items()} == TABLES
    for table in CURATED.values():
        assert table.model is not None
        named = [column.field for column in table.columns if column.compute is None]
        assert sorted(named) == sorted(table.model.model_fields), table.name


def test_the_dataset_holds_every_declared_table_and_no_other() -> None:
    frames = [field.name for field in fields(Dataset) if field.type == "pd.DataFrame"]
    assert sorted(frames) == sorted(DATASET_TABLES)


def test_a_declaration_that_leaves_out_a_field_fails() -> None:
    with pytest.raises(ValueError, match="set_aside"):
        curated("set_aside", SetAside, (Column("source_id", field="source"), Column("mention")))


def test_tables_and_resources_have_the_declared_columns(exported) -> None:
    dataset, _ = exported
    for name, table in CURATED.items():
        assert list(getattr(dataset, name).columns) == table.column_names, name
        assert [column.name for column in RESOURCES[name]] == table.column_names[:-2]
    for name, table in DATASET_TABLES.items():
        assert list(getattr(dataset, name).columns) == table.column_names, name


def test_a_row_joins_lists_and_keeps_vocabulary_values_as_text() -> None:
    practice = Practice(
        id="made-up",
        region="somewhere",
        name_zh="虚构做法",
        name_en="A made-up practice",
        summary_zh="虚构的摘要。",
        summary_en="A made-up summary.",
        themes=["mediation", "grid_governance"],
        source="made-up-source",
        quote="虚构做法",
    )
    (row,) = rows_of("practices", [SimpleNamespace(entry=practice, line=7)], "made-up.yaml")
    assert list(row) == CURATED["practices"].column_names
    assert row["practice_id"] == "made-up" and row["region_id"] == "somewhere"
    assert row["themes"] == LIST_SEPARATOR.join(["mediation", "grid_governance"])
    assert type(row["themes"]) is str
    assert (row["file"], row["line"]) == ("made-up.yaml", 7)
