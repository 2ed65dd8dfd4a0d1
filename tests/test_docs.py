"""The documentation stays true to the code."""

from __future__ import annotations

from conftest import PROJECT

from metrics.model.schema import TABLES
from metrics.tools.reference import BEGIN, END, field_reference


def test_field_reference_in_docs_is_generated_from_the_schema() -> None:
    text = (PROJECT / "docs" / "curating.md").read_text(encoding="utf-8")
    embedded = text.split(BEGIN, 1)[1].split(END, 1)[0].strip()
    assert embedded == field_reference().strip(), (
        "regenerate: uv run python -m metrics.tools.reference docs/curating.md"
    )


def test_every_field_has_a_description() -> None:
    missing = [
        f"{table}.{name}"
        for table, model in TABLES.items()
        for name, field in model.model_fields.items()
        if not field.description
    ]
    assert missing == []
