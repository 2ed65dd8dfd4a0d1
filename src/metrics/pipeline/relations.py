"""Evaluating the consistency rules declared under ``relations:``.

A rule is checked inside each article, for each region and period that article
reports: numbers of different articles are not expected to add up. A rule whose
numbers are not all reported is "incomplete", never filled in with zeros.
"""

from __future__ import annotations

from functools import reduce

import pandas as pd

from metrics.model.formatting import qualified_number
from metrics.model.intervals import Interval, interval_of
from metrics.model.tables import LIST_SEPARATOR, RELATION_RESULTS
from metrics.model.vocab import RelationKind
from metrics.pipeline.groups import Reported, reported_groups

PASS, FAIL, INCOMPLETE = "pass", "fail", "incomplete"

# The columns of the ``relation_results`` table, as ``metrics.model.tables`` declares them.
RESULT_COLUMNS = RELATION_RESULTS.column_names


def _split(joined: object) -> list[str]:
    return str(joined).split(LIST_SEPARATOR) if isinstance(joined, str) and joined else []


def _written(number: Reported) -> str:
    """A reported number as a message writes it (``2000余``)."""
    return qualified_number(number.value, number.qualifier)


def _evaluate_group(relation: dict[str, object], group: dict[str, Reported]) -> dict[str, object]:
    parts = _split(relation["part_ids"])
    wanted = [relation["total_id"], *parts]
    missing = [i for i in wanted if i not in group]
    present = [group[i] for i in wanted if i in group]
    result: dict[str, object] = {
        "missing_ids": LIST_SEPARATOR.join(missing) or None,
        "observation_ids": LIST_SEPARATOR.join(number.observation_id for number in present),
        # A failure is located at the total, or at the first number that is there.
        "file": present[0].file if present else None,
        "line": present[0].line if present else None,
    }
    if missing:
        return {**result, "status": INCOMPLETE, "detail": "not reported: " + ", ".join(missing)}
    total = group[relation["total_id"]]
    part_numbers = [group[p] for p in parts]
    total_range = interval_of(total.value, total.qualifier)
    parts_range = reduce(
        Interval.__add__, (interval_of(number.value, number.qualifier) for number in part_numbers)
    )
    parts_text = " + ".join(_written(number) for number in part_numbers)
    if relation["kind"] == RelationKind.sum:
        holds = total_range.overlaps(parts_range)
        sign = "=" if holds else "≠"
    else:
        holds = parts_range.at_most(total_range)
        sign = "≤" if holds else ">"
    return {
        **result,
        "status": PASS if holds else FAIL,
        "total_value": total.value,
        "total_qualifier": total.qualifier,
        "parts_value": float(sum(number.value for number in part_numbers)),
        "detail": f"{parts_text} {sign} {_written(total)}",
    }


def evaluate_relations(relations: pd.DataFrame, observations: pd.DataFrame) -> pd.DataFrame:
    """One row per article/region/period and rule that it reports any indicator of.

    Rows come by article, region and period (sorted), then in the order of the rules,
    so that the rows of one article are together and can be replaced on their own.
    """
    rules = [
        (
            relation,
            {relation["total_id"], *_split(relation["part_ids"])},
            set(_split(relation["source_ids"])),
        )
        for relation in relations.to_dict("records")
    ]
    rows = []
    for (source_id, region_id, period), group in reported_groups(observations).items():
        for relation, indicators, scope in rules:
            if scope and source_id not in scope:
                continue
            if indicators.isdisjoint(group):
                continue
            rows.append(
                {
                    "relation_id": relation["relation_id"],
                    "kind": relation["kind"],
                    "source_id": source_id,
                    "region_id": region_id,
                    "period": period or None,
                    "total_id": relation["total_id"],
                    **_evaluate_group(relation, group),
                }
            )
    return pd.DataFrame(rows, columns=RESULT_COLUMNS)
