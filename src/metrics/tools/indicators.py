"""What ``metrics indicators`` lists: every indicator with its unit, family and wordings.

A curator looks here before inventing an indicator: reusing one keeps regions
comparable, and the aliases show which local wordings already lead to it.
"""

from __future__ import annotations

import pandas as pd

from metrics.model.dataset import Dataset
from metrics.tools.terminal import text_table

# The indicators table keeps an indicator's aliases joined with this.
ALIAS_SEPARATOR = "; "
COLUMNS = ["id", "unit", "family", "name_zh", "aliases_zh"]


def _aliases(value: object) -> list[str]:
    if not isinstance(value, str) or not value:
        return []
    return [alias for alias in value.split(ALIAS_SEPARATOR) if alias]


def indicator_records(dataset: Dataset) -> list[dict[str, object]]:
    """One record per indicator, in the order of the data; aliases as a list."""
    table = dataset.indicators
    # ``aliases_zh`` is optional in older data and code: read it if the table has it.
    aliases = table.get("aliases_zh", pd.Series(None, index=table.index, dtype=object))
    return [
        {
            "id": indicator_id,
            "unit": unit,
            "family": family,
            "name_zh": name_zh,
            "aliases_zh": _aliases(alias),
        }
        for indicator_id, unit, family, name_zh, alias in zip(
            table["indicator_id"], table["unit"], table["family"], table["name_zh"], aliases,
            strict=True,
        )
    ]  # fmt: skip


def indicator_text(dataset: Dataset) -> str:
    """The indicators as an aligned table for a terminal, with a count below."""
    records = indicator_records(dataset)
    rows = [
        [
            *(str(record[name] or "") for name in COLUMNS[:-1]),
            ALIAS_SEPARATOR.join(record["aliases_zh"]) or "-",  # type: ignore[arg-type]
        ]
        for record in records
    ]
    return f"{text_table(rows, COLUMNS)}\n{len(records)} indicators"
