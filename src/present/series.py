"""Numbers as series over time, shared by the Region and Compare pages and the briefs:
one point per region, indicator and period, and gap rows where a year went unreported."""

from __future__ import annotations

import pandas as pd

from metrics.model.dataset import Dataset
from metrics.model.periods import missing_periods, period_start
from present.rows import indicator_order

# Change over time. A period is a partial date (2019, 2019-06, 2019-06-15) or a range of
# them (2019/2020): see metrics.model.periods.
SERIES_COLUMNS = [
    "indicator_id", "indicator", "unit", "period", "position", "value", "shown", "approximate",
    "qualifier", "source", "source_id", "quote", "observation_id", "gap",
]  # fmt: skip
# Columns a gap row leaves empty: nobody reported a number there.
_NOT_REPORTED = ("qualifier", "source", "source_id", "quote", "observation_id")


def _gap_rows(templates: pd.DataFrame, missing: list[str]) -> pd.DataFrame:
    """One row per missing period, with the names of its series (the template row of
    the same place) and nothing reported."""
    gaps = templates.copy()
    gaps["period"] = missing
    gaps["value"] = float("nan")
    gaps["shown"] = ""
    gaps["approximate"] = False
    gaps["gap"] = True
    gaps.loc[:, list(_NOT_REPORTED)] = None  # missing, in each column's own type
    return gaps


def series_rows(dataset: Dataset, rows: pd.DataFrame) -> pd.DataFrame:
    """Observation rows (``observation_view``) as series over time, one per region and
    indicator reported for two or more distinct periods, with gap rows.

    The shared work of ``region_series`` and the Compare page's lines by region; keeps
    ``region_id`` and ``region`` beside ``SERIES_COLUMNS``. Ordered by region (as they
    first appear in ``rows``), indicator (family order) and time. See ``region_series``
    for what a point and a gap are.
    """
    columns = ["region_id", "region", *SERIES_COLUMNS]
    keys = ["region_id", "indicator_id"]
    region_rank = {r: n for n, r in enumerate(dict.fromkeys(rows["region_id"]))}
    dated = rows[rows["period"].notna()].reset_index(drop=True)
    dates = dataset.sources.set_index("source_id")["date"]
    published = dated["source_id"].map(dates).fillna("")
    # The latest article wins; a stable sort keeps the first curated among equal dates.
    dated = dated.assign(_published=published).sort_values(
        "_published", ascending=False, kind="stable"
    )
    points = dated.drop_duplicates([*keys, "period"], keep="first")
    counts = points.groupby(keys)["period"].transform("nunique")
    points = points[counts >= 2].assign(gap=False)[[c for c in columns if c != "position"]]
    grouped = points.groupby(keys, sort=False)
    first_rows = points.index.to_series().groupby([points[k] for k in keys], sort=False).first()
    templates, missing = [], []
    for key, periods in grouped["period"].agg(list).items():
        for period in missing_periods(periods):
            templates.append(first_rows[key])
            missing.append(period)
    if missing:
        points = pd.concat([points, _gap_rows(points.loc[templates], missing)])
    out = points.assign(position=points["period"].map(period_start).astype("datetime64[us]"))
    indicator_rank = {i: n for n, i in enumerate(indicator_order(dataset))}
    out = out.assign(
        _region=out["region_id"].map(region_rank),
        _indicator=out["indicator_id"].map(indicator_rank),
    ).sort_values(["_region", "_indicator", "position", "period"], kind="stable")
    return out[columns].reset_index(drop=True)
