"""Measures derived from reported numbers of the same article.

Each measure is a small declaration (an operation on named indicators); one
function evaluates them all. A derived value is computed from the stated values and
carries the qualifier its inputs force on it: a "more than" investment divided by
an exact count of projects is a "more than" investment per project. A curator switches
a measure off for an article whose numbers are about different things (the source's
``no_derived``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import reduce
from typing import Literal

import pandas as pd

from metrics.model.intervals import Interval, interval_of, qualifier_from
from metrics.model.tables import DERIVED, LIST_SEPARATOR
from metrics.model.vocab import Label, Qualifier
from metrics.pipeline.groups import Reported, reported_groups

Operation = Literal["ratio", "product", "sum"]


@dataclass(frozen=True)
class DerivedMeasure:
    """A measure computed from indicators reported together."""

    id: str
    name: Label
    unit: Label
    operation: Operation
    # For a ratio: the numerator's indicators (summed), then the denominator's.
    inputs: tuple[str, ...]
    denominator: tuple[str, ...] = ()
    # Shares are shown in per cent: a ratio of 0.7587 is stored as 75.87.
    scale: float = 1.0


DERIVED_MEASURES: tuple[DerivedMeasure, ...] = (
    DerivedMeasure(
        "problems_solved",
        Label("解决群众问题合计", "Problems solved in all"),
        Label("个", "items"),
        "sum",
        ("problems_solved_on_spot", "problems_solved_by_deadline"),
    ),
    DerivedMeasure(
        "share_solved_on_spot",
        Label("现场解决率", "Share of problems solved on the spot"),
        Label("%", "%"),
        "ratio",
        ("problems_solved_on_spot",),
        ("problems_reported",),
        scale=100.0,
    ),
    DerivedMeasure(
        "share_solved_by_deadline",
        Label("限期解决率", "Share of problems solved by a deadline"),
        Label("%", "%"),
        "ratio",
        ("problems_solved_by_deadline",),
        ("problems_reported",),
        scale=100.0,
    ),
    DerivedMeasure(
        "investment_per_project",
        Label("项目平均投资", "Investment per project"),
        Label("元/个", "yuan per project"),
        "ratio",
        ("investment",),
        ("projects",),
    ),
    DerivedMeasure(
        "households_reached",
        Label("网格党员联系户数", "Households reached through grids"),
        Label("户", "households"),
        "product",
        ("grid_cells", "party_members_per_grid", "households_per_party_member"),
    ),
    DerivedMeasure(
        "training_classes_total",
        Label("培训班合计", "Training classes in all"),
        Label("期", "sessions"),
        "sum",
        (
            "training_classes_young_cadres",
            "training_classes_party_workers",
            "training_classes_village_secretaries",
        ),
    ),
    DerivedMeasure(
        "trainees_per_class",
        Label("每期培训人次", "Trainees per class"),
        Label("人次/期", "person-times per session"),
        "ratio",
        ("trainees",),
        (
            "training_classes_young_cadres",
            "training_classes_party_workers",
            "training_classes_village_secretaries",
        ),
    ),
    DerivedMeasure(
        "share_villages_income_50k",
        Label("年收入5万元以上村占比", "Share of villages earning 50,000 yuan or more"),
        Label("%", "%"),
        "ratio",
        ("villages_income_50k_plus",),
        ("villages_zero_income_cleared",),
        scale=100.0,
    ),
)

# The columns of the ``derived`` table, as ``metrics.model.tables`` declares them.
DERIVED_COLUMNS = DERIVED.column_names


def _combine(operation: Operation, ranges: list[Interval]) -> Interval:
    if operation == "product":
        return reduce(Interval.__mul__, ranges)
    return reduce(Interval.__add__, ranges)


def _evaluate(measure: DerivedMeasure, group: dict[str, Reported]) -> dict[str, object] | None:
    needed = [*measure.inputs, *measure.denominator]
    if not all(indicator in group for indicator in needed):
        return None  # not reported is not zero: no partial measures
    points = {i: group[i].value for i in needed}
    ranges = {i: interval_of(points[i], group[i].qualifier) for i in needed}
    qualifiers = [Qualifier(group[i].qualifier) for i in needed]
    top = [ranges[i] for i in measure.inputs]
    if measure.operation == "ratio":
        bottom_point = sum(points[i] for i in measure.denominator)
        if bottom_point == 0:
            return None
        point = sum(points[i] for i in measure.inputs) / bottom_point
        interval = _combine("sum", top) / _combine("sum", [ranges[i] for i in measure.denominator])
    elif measure.operation == "product":
        point = reduce(lambda a, b: a * b, (points[i] for i in measure.inputs))
        interval = _combine("product", top)
    else:
        point = sum(points[i] for i in measure.inputs)
        interval = _combine("sum", top)
    return {
        "value": point * measure.scale,
        "qualifier": qualifier_from(point, interval, qualifiers).value,
        "observation_ids": LIST_SEPARATOR.join(group[i].observation_id for i in needed),
    }


def switched_off(sources: pd.DataFrame) -> dict[str, frozenset[str]]:
    """Source id -> the measures its ``no_derived`` switches off (the first entry of a
    repeated id counts, as for observations)."""
    named = sources.drop_duplicates("source_id").dropna(subset=["no_derived"])
    return {
        source_id: frozenset(ids.split(LIST_SEPARATOR))
        for source_id, ids in zip(named["source_id"], named["no_derived"], strict=True)
    }


def derive_measures(
    observations: pd.DataFrame,
    measures: tuple[DerivedMeasure, ...] = DERIVED_MEASURES,
    off: Mapping[str, frozenset[str]] | None = None,
) -> pd.DataFrame:
    """Every derived measure that some article reports all the inputs of, except those
    ``off`` switches off for the article (source id -> measure ids, ``switched_off``)."""
    rows = []
    for (source_id, region_id, period), group in reported_groups(observations).items():
        skipped = off.get(source_id, frozenset()) if off else frozenset()
        for measure in measures:
            if measure.id in skipped:
                continue
            result = _evaluate(measure, group)
            if result is None:
                continue
            rows.append(
                {
                    "measure_id": measure.id,
                    "source_id": source_id,
                    "region_id": region_id,
                    "period": period or None,
                    "unit_zh": measure.unit.zh,
                    "unit_en": measure.unit.en,
                    "name_zh": measure.name.zh,
                    "name_en": measure.name.en,
                    **result,
                }
            )
    frame = pd.DataFrame(rows, columns=DERIVED_COLUMNS)
    frame["value"] = frame["value"].astype("float64")
    return frame
