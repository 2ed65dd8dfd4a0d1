"""Rows every view shares: observations and derived measures as a reader sees them,
and the names of regions, indicators and sources in the chosen language."""

from __future__ import annotations

import pandas as pd

from metrics.model.dataset import Dataset
from metrics.model.tables import LIST_SEPARATOR
from metrics.model.vocab import LEVEL_RANK, Family, Label, Level, Qualifier
from present.i18n import (
    Lang,
    bilingual_name,
    by_lang,
    family_name,
    lang_column,
    level_name,
    qualifier_name,
)
from present.quantities import display_quantity, unit_label

# Columns of every table of reported numbers, in the order shown.
OBSERVATION_VIEW_COLUMNS = [
    "region", "indicator", "family", "shown", "value", "qualifier", "unit", "period",
    "source", "quote", "quote_crosses_columns", "observation_id", "region_id", "indicator_id",
    "source_id", "level", "approximate", "qualifier_id", "unit_id", "level_id", "line",
]  # fmt: skip

DERIVED_VIEW_COLUMNS = [
    "region", "measure", "shown", "computed", "value", "qualifier", "source", "inputs", "region_id",
    "measure_id", "source_id", "observation_ids",
]  # fmt: skip


def observation_view(
    dataset: Dataset, lang: Lang, rows: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Every observation (or only ``rows`` of them) with names, the value as reported
    (``2,000余人次``) and its quote.

    Formatting is per row: callers that need a few rows pass them, instead of
    formatting 100,000 to keep a handful."""
    obs = with_names(dataset.observations if rows is None else rows, dataset, lang)
    indicators = dataset.indicators.set_index("indicator_id")
    levels = dataset.regions.set_index("region_id")["level"]
    family_ids = obs["indicator_id"].map(indicators["family"])
    obs["qualifier_id"] = obs["qualifier"]
    obs["unit_id"] = obs["unit"]
    obs["level_id"] = obs["region_id"].map(levels)
    obs["family"] = family_ids.map(lambda f: family_name(f, lang))
    obs["level"] = obs["region_id"].map(levels).map(lambda level: level_name(level, lang))
    obs["shown"] = [
        display_quantity(row.value, row.qualifier, row.unit, lang) for row in obs.itertuples()
    ]
    obs["approximate"] = obs["qualifier"] != Qualifier.exact
    obs["qualifier"] = obs["qualifier"].map(lambda q: qualifier_name(q, lang))
    obs["unit"] = obs["unit"].map(lambda u: unit_label(u, lang))
    order = family_ids.map(FAMILY_ORDER)
    obs = obs.assign(_order=order).sort_values(["_order"], kind="stable").drop(columns="_order")
    return obs[OBSERVATION_VIEW_COLUMNS].reset_index(drop=True)


def derived_view(derived: pd.DataFrame, dataset: Dataset, lang: Lang) -> pd.DataFrame:
    """Derived measures with names, the value with its qualifier, and what they use.

    ``derived`` may be any subset of the dataset's derived measures."""
    out = with_names(derived, dataset, lang)
    out["measure"] = out[lang_column("name", lang)]
    out["shown"] = [
        display_quantity(row.value, row.qualifier, Label(row.unit_zh, row.unit_en), lang)
        for row in out.itertuples()
    ]
    # Same text as "shown", titled for what it is: computed here, not printed anywhere.
    out["computed"] = out["shown"]
    out["qualifier"] = out["qualifier"].map(lambda q: qualifier_name(q, lang))
    # The numbers a measure is computed from, as the article words them.
    used = {i for ids in out["observation_ids"] for i in ids.split(LIST_SEPARATOR)}
    observations = dataset.observations
    inputs = observations[observations["observation_id"].isin(used)]
    quote_of = dict(zip(inputs["observation_id"], inputs["quote"], strict=True))
    out["inputs"] = out["observation_ids"].map(
        lambda ids: " / ".join(quote_of[i] for i in ids.split(LIST_SEPARATOR))
    )
    return out[DERIVED_VIEW_COLUMNS].reset_index(drop=True)


FAMILY_ORDER = {family.value: rank for rank, family in enumerate(Family)}


def families_of(dataset: Dataset) -> list[Family]:
    """The families the dataset has indicators in, in the vocabulary's order. A family
    without any indicator is left out of the lists of what was not reported: no number
    could have been reported in it."""
    used = set(dataset.indicators["family"])
    return [family for family in Family if family.value in used]


def region_names(dataset: Dataset, lang: Lang) -> dict[str, str]:
    """Region id -> display name in ``lang``, as ``i18n.region_name`` writes it.

    Column-wise rather than row by row: 100,000 observations come with thousands of
    regions, and every view asks for the names."""
    regions = dataset.regions
    short = regions["short_zh"] if "short_zh" in regions else pd.Series(index=regions.index)
    has_short = short.map(lambda v: isinstance(v, str) and bool(v))
    chinese = short.where(has_short, regions["name_zh"]).astype(str)
    names = by_lang(lang, chinese, regions["name_en"].astype(str) + " (" + chinese + ")")
    return dict(zip(regions["region_id"], names, strict=True))


def indicator_names(dataset: Dataset, lang: Lang) -> dict[str, str]:
    """Indicator id -> display name in ``lang``."""
    return {
        row["indicator_id"]: bilingual_name(row, lang)
        for row in dataset.indicators.to_dict("records")
    }


def source_titles(dataset: Dataset) -> dict[str, str]:
    """Source id -> title, in square brackets when the curator supplied it."""
    sources = dataset.sources
    return {
        source_id: f"[{title}]" if supplied else str(title)
        for source_id, title, supplied in zip(
            sources["source_id"], sources["title"], sources["title_supplied"], strict=True
        )
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
