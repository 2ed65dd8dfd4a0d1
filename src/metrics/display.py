"""Observations and derived measures as a reader sees them, ready for any table."""

from __future__ import annotations

import pandas as pd

from metrics.dataset import Dataset
from metrics.formatting import Lang, display_quantity, unit_label
from metrics.i18n import family_name, level_name, qualifier_name
from metrics.lookup import FAMILY_ORDER, with_names
from metrics.tables import LIST_SEPARATOR
from metrics.vocab import Label, Qualifier

# Columns of every table of reported numbers, in the order shown.
OBSERVATION_VIEW_COLUMNS = [
    "region", "indicator", "family", "shown", "value", "qualifier", "unit", "period",
    "source", "quote", "observation_id", "region_id", "indicator_id", "source_id", "level",
    "approximate", "qualifier_id", "unit_id", "level_id", "line",
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
    out["measure"] = out["name_zh"] if lang == "zh" else out["name_en"]
    out["shown"] = [
        display_quantity(row.value, row.qualifier, Label(row.unit_zh, row.unit_en), lang)
        for row in out.itertuples()
    ]
    # Same text as "shown", titled for what it is: computed here, not printed anywhere.
    out["computed"] = out["shown"]
    out["qualifier"] = out["qualifier"].map(lambda q: qualifier_name(q, lang))
    # The numbers a measure is computed from, as the article words them.
    quote_of = dict(
        zip(dataset.observations["observation_id"], dataset.observations["quote"], strict=True)
    )
    out["inputs"] = out["observation_ids"].map(
        lambda ids: " / ".join(quote_of[i] for i in ids.split(LIST_SEPARATOR))
    )
    return out[DERIVED_VIEW_COLUMNS].reset_index(drop=True)
