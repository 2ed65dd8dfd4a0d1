"""Small look-ups shared by the views: names of regions and indicators, source titles."""

from __future__ import annotations

import pandas as pd

from metrics.dataset import Dataset
from metrics.formatting import Lang
from metrics.i18n import bilingual_name, region_name
from metrics.vocab import LEVEL_RANK, Family, Level

FAMILY_ORDER = {family.value: rank for rank, family in enumerate(Family)}


def region_names(dataset: Dataset, lang: Lang) -> dict[str, str]:
    """Region id -> display name in ``lang``."""
    return {row["region_id"]: region_name(row, lang) for row in dataset.regions.to_dict("records")}


def indicator_names(dataset: Dataset, lang: Lang) -> dict[str, str]:
    """Indicator id -> display name in ``lang``."""
    return {
        row["indicator_id"]: bilingual_name(row, lang)
        for row in dataset.indicators.to_dict("records")
    }


def source_titles(dataset: Dataset) -> dict[str, str]:
    """Source id -> title, in square brackets when the curator supplied it."""
    return {
        row["source_id"]: f"[{row['title']}]" if row["title_supplied"] else str(row["title"])
        for row in dataset.sources.to_dict("records")
    }


def subject_regions(dataset: Dataset) -> list[str]:
    """Regions the data says something about: a source's region, or one with numbers
    or practices. Ordered from the top level down, then as curated."""
    wanted = (
        set(dataset.sources["region_id"])
        | set(dataset.observations["region_id"])
        | set(dataset.practices["region_id"])
    )
    regions = dataset.regions[dataset.regions["region_id"].isin(wanted)]
    rank = regions["level"].map(lambda level: LEVEL_RANK[Level(level)])
    return list(regions.assign(rank=rank).sort_values("rank", kind="stable")["region_id"])


def indicator_order(dataset: Dataset) -> list[str]:
    """Indicator ids grouped by family (in the vocabulary's order), then as curated."""
    rank = dataset.indicators["family"].map(FAMILY_ORDER)
    ordered = dataset.indicators.assign(rank=rank).sort_values("rank", kind="stable")
    return list(ordered["indicator_id"])


def with_names(frame: pd.DataFrame, dataset: Dataset, lang: Lang) -> pd.DataFrame:
    """Adds ``region``, ``indicator`` and ``source`` display columns where ids are present."""
    out = frame.copy()
    if "region_id" in out:
        out["region"] = out["region_id"].map(region_names(dataset, lang))
    if "indicator_id" in out:
        out["indicator"] = out["indicator_id"].map(indicator_names(dataset, lang))
    if "source_id" in out:
        out["source"] = out["source_id"].map(source_titles(dataset))
    return out
