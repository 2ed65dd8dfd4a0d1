"""What the Region profile shows: hierarchy, numbers by family, change over time,
derived measures, practices and sources of one region."""

from __future__ import annotations

import re

import pandas as pd

from dashboard.views.i18n import Lang, family_name
from dashboard.views.rows import (
    derived_view,
    families_of,
    indicator_order,
    observation_view,
    region_names,
    subject_regions,
)
from metrics.model.dataset import Dataset


def ancestry(dataset: Dataset, region_id: str) -> list[str]:
    """Region ids from the top (province) down to ``region_id``."""
    parents = dataset.regions.set_index("region_id")["parent_id"]
    chain = [region_id]
    while isinstance(parent := parents.get(chain[0]), str) and parent not in chain:
        chain.insert(0, parent)
    return chain


def descendants(dataset: Dataset, region_id: str) -> list[str]:
    """Every region below ``region_id``, nearest first."""
    regions = dataset.regions
    found, frontier = [], [region_id]
    while frontier:
        children = list(regions.loc[regions["parent_id"].isin(frontier), "region_id"])
        children = [c for c in children if c not in found and c != region_id]
        found.extend(children)
        frontier = children
    return found


def region_options(dataset: Dataset) -> list[str]:
    """Regions to pick from: those with the most reported numbers first, then the other
    regions the data describes, then every other region, top level first."""
    counts = dataset.observations["region_id"].value_counts()
    described = sorted(subject_regions(dataset), key=lambda r: -int(counts.get(r, 0)))
    others = [r for r in dataset.regions["region_id"] if r not in described]
    return [*described, *others]


def hierarchy_text(dataset: Dataset, region_id: str, lang: Lang) -> str:
    """``内蒙古 › 通辽市 › 科左中旗``."""
    names = region_names(dataset, lang)
    return " › ".join(names[r] for r in ancestry(dataset, region_id))


def region_numbers(dataset: Dataset, region_id: str, lang: Lang) -> pd.DataFrame:
    """Every number the region reported, grouped by family, with its citation."""
    observations = dataset.observations
    return observation_view(dataset, lang, observations[observations["region_id"] == region_id])


def families_not_reported(dataset: Dataset, region_id: str, lang: Lang) -> list[str]:
    """Names of the families in which the region reported no number."""
    families = dataset.indicators.set_index("indicator_id")["family"]
    own = dataset.observations.loc[dataset.observations["region_id"] == region_id, "indicator_id"]
    reported = set(own.map(families))
    return [family_name(f, lang) for f in families_of(dataset) if f.value not in reported]


def region_derived(
    derived: pd.DataFrame, dataset: Dataset, region_id: str, lang: Lang
) -> pd.DataFrame:
    """The derived measures of the region's own numbers."""
    return derived_view(derived[derived["region_id"] == region_id], dataset, lang)


def region_practice_ids(dataset: Dataset, region_id: str) -> list[str]:
    """Practices of the region and of the places below it (a town's practice is also
    its county's)."""
    area = [region_id, *descendants(dataset, region_id)]
    return list(dataset.practices.loc[dataset.practices["region_id"].isin(area), "practice_id"])


def region_source_ids(dataset: Dataset, region_id: str) -> list[str]:
    """Sources about the region, or that report a number or practice of it."""
    about = set(dataset.sources.loc[dataset.sources["region_id"] == region_id, "source_id"])
    for table in (dataset.observations, dataset.practices):
        about |= set(table.loc[table["region_id"] == region_id, "source_id"])
    return [s for s in dataset.sources["source_id"] if s in about]


# Change over time. A period is a partial date (2019, 2019-06, 2019-06-15) or a range of
# them (2019/2020): see metrics.model.schema._period.
SERIES_COLUMNS = [
    "indicator_id", "indicator", "unit", "period", "position", "value", "shown", "approximate",
    "qualifier", "source", "source_id", "quote", "observation_id", "gap",
]  # fmt: skip
_WHOLE_YEAR = re.compile(r"\d{4}")
_WHOLE_MONTH = re.compile(r"\d{4}-\d{2}")
# Columns a gap row leaves empty: nobody reported a number there.
_NOT_REPORTED = ("qualifier", "source", "source_id", "quote", "observation_id")


def period_start(period: str) -> pd.Timestamp:
    """Where a period starts: ``2019`` -> 2019-01-01, ``2019-06/2020`` -> 2019-06-01."""
    first = period.split("/")[0]
    year, month, day = [*first.split("-"), "01", "01"][:3]
    return pd.Timestamp(year=int(year), month=int(month), day=int(day))


def period_key(period: str) -> tuple[pd.Timestamp, str]:
    """A sortable key of a period: its start, then the period as written, so that
    ``2019`` comes before ``2019/2020`` and both before ``2019-06``."""
    return period_start(period), period


def period_order(periods: pd.Series) -> pd.Series:
    """``period_key`` of each of ``periods``."""
    return periods.map(period_key)


def _missing_periods(periods: list[str]) -> list[str]:
    """The whole years (or whole months) between the first and last of ``periods`` that
    are not among them; none when the periods are not all years or all months."""
    if all(_WHOLE_YEAR.fullmatch(p) for p in periods):
        years = sorted(int(p) for p in periods)
        return [str(y) for y in range(years[0], years[-1] + 1) if str(y) not in periods]
    if all(_WHOLE_MONTH.fullmatch(p) for p in periods):
        months = pd.period_range(min(periods), max(periods), freq="M").strftime("%Y-%m")
        return [m for m in months if m not in periods]
    return []


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
        for period in _missing_periods(periods):
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


def region_series(dataset: Dataset, region_id: str, lang: Lang) -> pd.DataFrame:
    """Every indicator the region reported for two or more distinct periods, as points
    in time: one row per point, by indicator (family order) then time.

    Columns (``SERIES_COLUMNS``): ``indicator_id``, ``indicator`` and ``unit`` (names in
    ``lang``); ``period`` as curated (``2019``, ``2019-06``, ``2019/2020``); ``position``,
    the start of the period as a time (sortable; ties in order of ``period``);
    ``value``; ``shown``, the value as the dashboard writes it (``2,000余人次``);
    ``approximate``, True for 余, 以上, 左右 and 近; ``qualifier`` (its name), ``source``
    (title), ``source_id``, ``quote``, ``observation_id``; and ``gap``.

    - A number without a period is no point in time: it is left out.
    - One point per period: when two articles report the same indicator for the same
      period, the point is the one of the article with the latest date (a later report
      revises an earlier one); among equal dates, the first curated.
    - Gaps stay gaps: when every period of an indicator is a whole year (or every one a
      whole month), each year (month) missing between the first and the last gets a row
      with ``gap`` True, value NaN and ``shown`` "" (no qualifier, source, quote or id),
      so that a line breaks there instead of joining over it. Other periods (days,
      ranges, a mix) get no gap rows.
    """
    observations = dataset.observations
    own = observations[(observations["region_id"] == region_id) & observations["period"].notna()]
    points = series_rows(dataset, observation_view(dataset, lang, own))
    return points[SERIES_COLUMNS]
