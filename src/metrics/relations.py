"""Evaluating the consistency rules declared under ``relations:``.

A rule is checked inside each article, for each region and period that article
reports: numbers of different articles are not expected to add up. A rule whose
numbers are not all reported is "incomplete", never filled in with zeros.
"""

from __future__ import annotations

from functools import reduce

import pandas as pd

from metrics.formatting import qualified_number
from metrics.intervals import Interval, interval_of
from metrics.tables import LIST_SEPARATOR
from metrics.vocab import RelationKind

PASS, FAIL, INCOMPLETE = "pass", "fail", "incomplete"

RESULT_COLUMNS = [
    "relation_id", "kind", "source_id", "region_id", "period", "status", "total_id",
    "total_value", "total_qualifier", "parts_value", "missing_ids", "observation_ids", "detail",
    "line",
]  # fmt: skip


def _split(joined: object) -> list[str]:
    return str(joined).split(LIST_SEPARATOR) if isinstance(joined, str) and joined else []


def _shown(row: pd.Series) -> str:
    return qualified_number(row["value"], row["qualifier"])


def _evaluate_group(relation: pd.Series, group: pd.DataFrame) -> dict[str, object]:
    parts = _split(relation["part_ids"])
    by_indicator = group.set_index("indicator_id")
    wanted = [relation["total_id"], *parts]
    missing = [i for i in wanted if i not in by_indicator.index]
    present = [by_indicator.loc[i] for i in wanted if i in by_indicator.index]
    result: dict[str, object] = {
        "missing_ids": LIST_SEPARATOR.join(missing) or None,
        "observation_ids": LIST_SEPARATOR.join(row["observation_id"] for row in present),
        # A failure is located at the total, or at the first number that is there.
        "line": int(present[0]["line"]) if present else None,
    }
    if missing:
        return {**result, "status": INCOMPLETE, "detail": "not reported: " + ", ".join(missing)}
    total = by_indicator.loc[relation["total_id"]]
    part_rows = [by_indicator.loc[p] for p in parts]
    total_range = interval_of(total["value"], total["qualifier"])
    parts_range = reduce(
        Interval.__add__, (interval_of(row["value"], row["qualifier"]) for row in part_rows)
    )
    parts_text = " + ".join(_shown(row) for row in part_rows)
    if relation["kind"] == RelationKind.sum:
        holds = total_range.overlaps(parts_range)
        sign = "=" if holds else "≠"
    else:
        holds = parts_range.at_most(total_range)
        sign = "≤" if holds else ">"
    return {
        **result,
        "status": PASS if holds else FAIL,
        "total_value": float(total["value"]),
        "total_qualifier": total["qualifier"],
        "parts_value": float(sum(row["value"] for row in part_rows)),
        "detail": f"{parts_text} {sign} {_shown(total)}",
    }


def evaluate_relations(relations: pd.DataFrame, observations: pd.DataFrame) -> pd.DataFrame:
    """One row per rule and article/region/period that reports any of its indicators."""
    rows = []
    keys = ["source_id", "region_id", "period"]
    grouped = observations.assign(period=observations["period"].fillna("")).groupby(keys)
    for _, relation in relations.iterrows():
        indicators = {relation["total_id"], *_split(relation["part_ids"])}
        scope = set(_split(relation["source_ids"]))
        for (source_id, region_id, period), group in grouped:
            if scope and source_id not in scope:
                continue
            relevant = group[group["indicator_id"].isin(indicators)]
            if relevant.empty:
                continue
            rows.append(
                {
                    "relation_id": relation["relation_id"],
                    "kind": relation["kind"],
                    "source_id": source_id,
                    "region_id": region_id,
                    "period": period or None,
                    "total_id": relation["total_id"],
                    **_evaluate_group(relation, relevant),
                }
            )
    return pd.DataFrame(rows, columns=RESULT_COLUMNS)
