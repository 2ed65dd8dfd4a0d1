"""The editor JSON Schema: generated from the model, committed, and true to the data."""

from __future__ import annotations

import json

import pytest
from conftest import PROJECT, REAL_DATA, SEED_DATA, Bundle

from metrics.model.problems import ProblemLog
from metrics.model.schema import editor_json_schema
from metrics.pipeline.yamlio import parse_yaml
from metrics.tools.cli import main

COMMITTED = PROJECT / "data" / "indicators.schema.json"


def test_committed_schema_is_the_generated_one(capsys) -> None:
    assert main(["schema"]) == 0
    printed = capsys.readouterr().out
    assert json.loads(printed) == editor_json_schema()
    assert COMMITTED.read_text(encoding="utf-8") == printed, (
        "regenerate: uv run metrics schema > data/indicators.schema.json"
    )


def test_yaml_points_editors_at_the_schema() -> None:
    first = REAL_DATA.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=indicators.schema.json"


def _as_editor_sees(text: str):
    # yaml-language-server reads YAML 1.2, where 2020-04-13 is text: so does our reader.
    parsed = parse_yaml(text, ProblemLog("x"))
    assert parsed is not None
    return parsed.data


def test_real_data_is_valid_under_the_schema(bundled: Bundle) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(editor_json_schema())
    files = [bundled.path, *sorted((bundled.path.parent / "indicators").rglob("*.yaml"))]
    for path in files:
        errors = list(validator.iter_errors(_as_editor_sees(path.read_text(encoding="utf-8"))))
        assert [e.message for e in errors] == [], path.name


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("    qualifier: more_than\n", "    qualifier: lots\n"),
        ("    unit: yuan\n", "    unit: wan_yuan\n"),
        ("    quote: 累计培训2000余人次\n", "    qoute: 累计培训2000余人次\n"),
        ("    value: 4236\n", "    value: -4236\n"),
    ],
)
def test_schema_rejects_what_the_check_rejects(old: str, new: str) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    text = SEED_DATA.read_text(encoding="utf-8")
    assert old in text
    validator = jsonschema.Draft202012Validator(editor_json_schema())
    assert list(validator.iter_errors(_as_editor_sees(text.replace(old, new, 1))))
