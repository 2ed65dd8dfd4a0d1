"""The field reference of the data format, generated from the schema's descriptions.

``docs/curating.md`` embeds this text between markers; a test fails when they differ, so
the documentation cannot drift from the model that validation uses.
"""

from __future__ import annotations

import types
from enum import Enum
from typing import Any, Union, get_args, get_origin

from pydantic_core import PydanticUndefined

from metrics.model.problems import CODES
from metrics.model.schema import TABLES

BEGIN = "<!-- BEGIN GENERATED: field reference (metrics.tools.reference) -->"
END = "<!-- END GENERATED -->"


def _type_name(annotation: Any) -> str:
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        names = [_type_name(arg) for arg in get_args(annotation) if arg is not type(None)]
        return " or ".join(dict.fromkeys(names))
    if origin is list:
        return f"list of {_type_name(get_args(annotation)[0])}"
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return "one of " + ", ".join(f"`{member.value}`" for member in annotation)
    if origin is not None and hasattr(annotation, "__metadata__"):
        return _type_name(get_args(annotation)[0])
    return {str: "text", int: "number", float: "number", bool: "true/false"}.get(annotation, "text")


def field_reference() -> str:
    """Markdown tables of every field of every table, and of every problem code."""
    lines = []
    for table, model in TABLES.items():
        lines += [f"### `{table}`", "", (model.__doc__ or "").strip(), ""]
        lines += ["| field | required | type | meaning |", "| --- | --- | --- | --- |"]
        for name, field in model.model_fields.items():
            required = "yes" if field.is_required() else "no"
            if not field.is_required() and field.default not in (None, PydanticUndefined):
                default = field.default.value if isinstance(field.default, Enum) else field.default
                required = f"no (default `{str(default).lower()}`)"
            description = (field.description or "").replace("|", "\\|")
            lines.append(
                f"| `{name}` | {required} | {_type_name(field.annotation)} | {description} |"
            )
        lines.append("")
    lines += ["### Problem codes", "", "| code | message | hint |", "| --- | --- | --- |"]
    for code, (message, hint) in CODES.items():
        lines.append(f"| `{code}` | {message} | {hint} |")
    return "\n".join(lines) + "\n"


def update_document(text: str) -> str:
    """``text`` with the generated section between the markers replaced."""
    before, rest = text.split(BEGIN, 1)
    after = rest.split(END, 1)[1]
    return f"{before}{BEGIN}\n\n{field_reference()}\n{END}{after}"


if __name__ == "__main__":  # python -m metrics.tools.reference docs/curating.md
    import sys
    from pathlib import Path

    target = Path(sys.argv[1])
    target.write_text(update_document(target.read_text(encoding="utf-8")), encoding="utf-8")
