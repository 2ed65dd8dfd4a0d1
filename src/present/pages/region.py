"""What the Region profile shows: hierarchy, numbers by family, change over time,
derived measures, practices and sources of one region."""

from __future__ import annotations

import pandas as pd

from metrics.model.dataset import Dataset
from present.i18n import Lang, family_name
from present.rows import (
    derived_view,
    families_of,
    observation_view,
    region_names,
    subject_regions,
)
from present.series import SERIES_COLUMNS, series_rows


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
