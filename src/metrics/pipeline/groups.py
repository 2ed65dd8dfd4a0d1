"""Observations grouped by article, region and period, for rules and derived measures.

Relations and derived measures compare numbers that one article reports for one region
and period. Grouping once into plain dictionaries keeps that linear in the number of
observations: looking up a few indicators per group in pandas costs milliseconds per
group, which at 100,000 observations would be minutes.
"""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd

# (source_id, region_id, period or "")
GroupKey = tuple[str, str, str]


class Reported(NamedTuple):
    """One reported number as the rules need it."""

    value: float
    qualifier: str
    observation_id: str
    file: str
    line: int


def reported_groups(observations: pd.DataFrame) -> dict[GroupKey, dict[str, Reported]]:
    """indicator -> reported number, for each article, region and period, keys sorted."""
    groups: dict[GroupKey, dict[str, Reported]] = {}
    # Plain lists: iterating pandas' Arrow-backed strings one by one is several times slower.
    names = ["source_id", "region_id", "period", "indicator_id", "value", "qualifier"]
    names += ["observation_id", "file", "line"]
    filled = observations[names].assign(period=observations["period"].fillna(""))
    columns = zip(*(filled[name].tolist() for name in names), strict=True)
    for source, region, period, indicator, value, qualifier, observation, file, line in columns:
        group = groups.setdefault((source, region, period), {})
        # A repeated observation is reported as a problem elsewhere; the first counts.
        group.setdefault(indicator, Reported(float(value), qualifier, observation, file, int(line)))
    return dict(sorted(groups.items()))
