"""Derived measures and the qualifiers their inputs force on them."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from metrics.model.intervals import Interval, interval_of, qualifier_from
from metrics.model.vocab import Label, Qualifier
from metrics.pipeline.derive import DerivedMeasure, derive_measures
from metrics.pipeline.relations import evaluate_relations


def _observations(rows: list[tuple[str, str, float, str]]) -> pd.DataFrame:
    """Observations of one article and region: (indicator, id, value, qualifier)."""
    return pd.DataFrame(
        [
            {
                "observation_id": oid,
                "region_id": "town-a",
                "indicator_id": indicator,
                "value": float(value),
                "qualifier": qualifier,
                "period": None,
                "source_id": "src-a",
                "file": "indicators.yaml",
                "line": n,
            }
            for n, (indicator, oid, value, qualifier) in enumerate(rows, start=10)
        ]
    )


RATIO = DerivedMeasure(
    "per_project",
    Label("项目平均投资", "Per project"),
    Label("元", "yuan"),
    "ratio",
    ("investment",),
    ("projects",),
)
PRODUCT = DerivedMeasure(
    "reach",
    Label("联系户", "Reach"),
    Label("户", "households"),
    "product",
    ("grid_cells", "households_per_cell"),
)


def test_more_than_divided_by_exact_is_more_than() -> None:
    frame = _observations(
        [("investment", "o1", 80_000_000, "more_than"), ("projects", "o2", 5, "exact")]
    )
    expected = pd.DataFrame(
        {
            "measure_id": ["per_project"],
            "source_id": ["src-a"],
            "region_id": ["town-a"],
            "period": [None],
            "value": [16_000_000.0],
            "qualifier": ["more_than"],
            "unit_zh": ["元"],
            "unit_en": ["yuan"],
            "name_zh": ["项目平均投资"],
            "name_en": ["Per project"],
            "observation_ids": ["o1; o2"],
        }
    )
    pd.testing.assert_frame_equal(derive_measures(frame, (RATIO,)), expected, check_dtype=False)


def test_more_than_times_about_is_about() -> None:
    frame = _observations(
        [("grid_cells", "g", 1900, "more_than"), ("households_per_cell", "h", 10, "about")]
    )
    result = derive_measures(frame, (PRODUCT,))
    assert result[["value", "qualifier"]].to_dict("records") == [
        {"value": 19_000.0, "qualifier": "about"}
    ]


def test_missing_input_gives_no_measure_rather_than_zero() -> None:
    frame = _observations([("investment", "o1", 80_000_000, "more_than")])
    assert derive_measures(frame, (RATIO,)).empty


def test_shares_of_problems_on_the_real_numbers() -> None:
    frame = _observations(
        [
            ("problems_reported", "r", 4236, "exact"),
            ("problems_solved_on_spot", "s", 3214, "exact"),
            ("problems_solved_by_deadline", "d", 1022, "exact"),
        ]
    )
    result = derive_measures(frame).set_index("measure_id")
    assert result.loc["share_solved_on_spot", "value"] == pytest.approx(100 * 3214 / 4236)
    assert result.loc["share_solved_by_deadline", "value"] == pytest.approx(100 * 1022 / 4236)
    assert set(result["qualifier"]) == {"exact"}


@pytest.mark.parametrize(
    ("qualifier", "low", "high"),
    [
        ("exact", 100, 100),
        ("more_than", 100, math.inf),
        ("at_least", 100, math.inf),
        ("about", 90, 110),
        ("nearly", 90, 100),
    ],
)
def test_interval_of_each_qualifier(qualifier: str, low: float, high: float) -> None:
    interval = interval_of(100, qualifier)
    assert (interval.low, interval.high) == pytest.approx((low, high))


def test_exact_over_more_than_is_not_called_nearly() -> None:
    interval = Interval(100, 100) / Interval(1900, math.inf)
    assert (
        qualifier_from(100 / 1900, interval, [Qualifier.exact, Qualifier.more_than])
        is Qualifier.about
    )


RELATIONS = pd.DataFrame(
    [
        {
            "relation_id": "breakdown",
            "kind": "sum",
            "total_id": "total",
            "part_ids": "a; b",
            "source_ids": None,
        },
        {
            "relation_id": "subset",
            "kind": "at_most",
            "total_id": "total",
            "part_ids": "a",
            "source_ids": None,
        },
    ]
)


def _relation_status(rows) -> dict[str, str]:
    results = evaluate_relations(RELATIONS, _observations(rows))
    return dict(zip(results["relation_id"], results["status"], strict=True))


def test_exact_sum_passes_and_a_changed_part_fails() -> None:
    ok = [("total", "t", 4236, "exact"), ("a", "a", 3214, "exact"), ("b", "b", 1022, "exact")]
    assert _relation_status(ok) == {"breakdown": "pass", "subset": "pass"}
    bad = [("total", "t", 4236, "exact"), ("a", "a", 3215, "exact"), ("b", "b", 1022, "exact")]
    assert _relation_status(bad) == {"breakdown": "fail", "subset": "pass"}


def test_more_than_total_is_a_bound() -> None:
    rows = [("total", "t", 4000, "more_than"), ("a", "a", 3214, "exact"), ("b", "b", 1022, "exact")]
    assert _relation_status(rows) == {"breakdown": "pass", "subset": "pass"}


def test_part_larger_than_total_fails_subset() -> None:
    rows = [("total", "t", 300, "exact"), ("a", "a", 488, "exact"), ("b", "b", 1, "exact")]
    assert _relation_status(rows) == {"breakdown": "fail", "subset": "fail"}


def test_missing_part_is_incomplete_not_zero() -> None:
    results = evaluate_relations(
        RELATIONS, _observations([("total", "t", 10, "exact"), ("a", "a", 10, "exact")])
    )
    breakdown = results.set_index("relation_id").loc["breakdown"]
    assert (breakdown["status"], breakdown["missing_ids"]) == ("incomplete", "b")
