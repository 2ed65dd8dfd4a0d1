"""What ``metrics extract`` prints: a readable table, or observation stubs to paste."""

from __future__ import annotations

import json

import pandas as pd

from metrics.model.echo import escaped, json_escaped
from metrics.model.formatting import plain_number, qualified_number
from metrics.tools.extract import PENDING
from metrics.tools.terminal import text_table


def _cell(value: object) -> str:
    """Text of a table cell; missing values (None or NaN) are empty."""
    return "" if value is None or pd.isna(value) else str(value)


def table_text(mentions: pd.DataFrame, source_ids: list[str], name: str, encoding: str) -> str:
    """The mentions as an aligned table, with a one-line heading and counts."""
    sources = ", ".join(source_ids) or "no source yet: the article is not archived"
    heading = escaped(f"{name} ({encoding}; {sources})")
    rows = [
        [
            str(row.line),
            _cell(row.status) or "-",
            qualified_number(row.value, row.qualifier),
            _cell(row.unit) or "-",
            row.mention,
            row.fragment,
            _cell(row.reason) or _cell(row.observation_id),
        ]
        for row in mentions.itertuples()
    ]
    header = ["line", "status", "value", "unit", "mention", "fragment", "note"]
    counts = mentions["status"].value_counts()
    # Broken entries are named only when there are any.
    shown = ("curated", "set_aside", *(["broken"] * bool(counts.get("broken"))), "pending")
    summary = ", ".join(f"{counts.get(s, 0)} {s}" for s in shown)
    return f"{heading}\n{text_table(rows, header)}\n{len(mentions)} mentions: {summary}"


def _scalar(value: str) -> str:
    """A YAML scalar that reads back as exactly this text (every control character
    escaped: YAML refuses them as they are, and a terminal would obey them)."""
    return json_escaped(json.dumps(value, ensure_ascii=False))


def observation_stubs(mentions: pd.DataFrame, source_ids: list[str], name: str) -> str:
    """YAML entries for the pending quantities, to paste under ``observations:``."""
    pending = mentions[mentions["status"] == PENDING]
    source = source_ids[0] if len(source_ids) == 1 else "~"
    lines = [f"  # {len(pending)} pending quantities of {name}; fill in region and indicator"]
    if len(source_ids) > 1:
        lines.append(f"  # the article holds several sources: {', '.join(source_ids)}")
    for row in pending.itertuples():
        value = plain_number(row.value).replace(",", "")
        lines += [
            f"  - region: ~  # region id (line {row.line}: {escaped(row.mention)})",
            "    indicator: ~  # indicator id",
            f"    value: {value}",
            f"    unit: {_cell(row.unit) or '~  # unit'}",
            f"    qualifier: {row.qualifier}",
            f"    source: {source}",
            f"    quote: {_scalar(row.fragment)}",
        ]
    return "\n".join(lines) + "\n"
