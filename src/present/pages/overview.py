"""What the Overview page shows: headline numbers, the coverage matrix, the map.

``page_content`` gathers all of it for one language: the page lays it out, and
``uv run dashboard`` computes it before the first reader arrives."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import pandas as pd
import plotly.graph_objects as go

from metrics.model.dataset import Dataset
from metrics.model.vocab import Family
from metrics.pipeline.derive import DERIVED_MEASURES
from present.charts import MAP_LABELS, region_map
from present.i18n import Lang, family_name, join_names, pick, text
from present.rows import (
    derived_view,
    families_of,
    indicator_names,
    observation_view,
    region_names,
    subject_regions,
)


@dataclass(frozen=True)
class Headline:
    """The number that stands for a family on the Overview page."""

    family: Family
    kind: Literal["indicator", "derived"]
    id: str


HEADLINES: tuple[Headline, ...] = (
    Headline(Family.trainees, "indicator", "trainees"),
    Headline(Family.grids, "indicator", "grid_cells"),
    Headline(Family.problems, "derived", "problems_solved"),
    Headline(Family.projects, "indicator", "projects"),
    Headline(Family.investment, "indicator", "investment"),
)

CARD_COLUMNS = [
    "family", "name", "shown", "region", "source", "quotes", "reporting_regions", "value",
    "region_id", "source_id",
]  # fmt: skip


def _card(headline: Headline, rows: pd.DataFrame, name: str, lang: Lang) -> dict[str, object]:
    """``rows``: the formatted top row of the family, if any, with ``reporting_regions``."""
    family = family_name(headline.family, lang)
    if rows.empty:
        return {"family": family, "name": name, "reporting_regions": 0}
    top = rows.iloc[0]
    return {
        "family": family,
        "name": name,
        "shown": top["shown"],
        "region": top["region"],
        "source": top["source"],
        "quotes": top["quotes"],
        "reporting_regions": int(top["reporting_regions"]),
        "value": float(top["value"]),
        "region_id": top["region_id"],
        "source_id": top["source_id"],
    }


def _top(rows: pd.DataFrame) -> pd.DataFrame:
    """The row of highest value (the first of equal ones) and how many regions reported."""
    if rows.empty:
        return rows.assign(reporting_regions=0)
    top = rows.sort_values("value", ascending=False, kind="stable").head(1)
    return top.assign(reporting_regions=rows["region_id"].nunique())


def headline_cards(dataset: Dataset, derived: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """One row per core family: the highest reported value, who reported it and where.

    A family nobody reported has no value (``NaN``), never zero. Only the value shown
    on each card is formatted, not every value of the family.
    """
    reported = dataset.observations
    # An English name keeps its Chinese original beside it, as everywhere else.
    names = indicator_names(dataset, lang)
    cards = []
    for headline in HEADLINES:
        if headline.kind == "indicator":
            top = _top(reported[reported["indicator_id"] == headline.id])
            rows = observation_view(dataset, lang, top).assign(
                reporting_regions=top["reporting_regions"].to_numpy()
            )
            rows["quotes"] = rows["quote"]
            name = names.get(headline.id, headline.id)
        else:
            top = _top(derived[derived["measure_id"] == headline.id])
            rows = derived_view(top, dataset, lang).assign(
                reporting_regions=top["reporting_regions"].to_numpy()
            )
            rows["quotes"] = rows["inputs"]
            measure = next(m for m in DERIVED_MEASURES if m.id == headline.id)
            name = pick(measure.name, lang)
        cards.append(_card(headline, rows, name, lang))
    return pd.DataFrame(cards, columns=CARD_COLUMNS)


def dataset_counts(dataset: Dataset) -> dict[str, int]:
    """How many regions (reporting or described), sources, numbers and practices."""
    return {
        "regions": len(subject_regions(dataset)),
        "sources": len(dataset.sources),
        "observations": len(dataset.observations),
        "practices": len(dataset.practices),
    }


def coverage_matrix(dataset: Dataset) -> pd.DataFrame:
    """Regions x families: how many numbers each region reported in each family.

    Index: the subject regions; columns: every family the data has indicators in
    (``families_of``). A family a region did not report is ``<NA>``: not reported is
    a state of its own, never a count of zero.
    """
    families = dataset.indicators.set_index("indicator_id")["family"]
    obs = dataset.observations.assign(family=dataset.observations["indicator_id"].map(families))
    counts = obs.groupby(["region_id", "family"]).size().unstack("family")
    matrix = counts.reindex(
        index=subject_regions(dataset), columns=[f.value for f in families_of(dataset)]
    )
    matrix = matrix.astype("Int64")
    matrix.index.name = "region_id"
    matrix.columns.name = "family"
    return matrix


def coverage_table(
    matrix: pd.DataFrame, dataset: Dataset, lang: Lang, missing: str
) -> pd.DataFrame:
    """The matrix as text for a table: a ``region`` column, one column per family named
    in ``lang``, and ``missing`` where a region reported nothing in a family."""
    names = region_names(dataset, lang)
    table = matrix.astype("object").where(matrix.notna(), missing).map(str)
    table.columns = [family_name(f, lang) for f in matrix.columns]
    table.insert(0, "region", [names[r] for r in matrix.index])
    return table.reset_index(drop=True)


def coverage_colors(table: pd.DataFrame, missing: str) -> pd.DataFrame:
    """Cell backgrounds for the coverage table: grey where not reported, blue where
    reported; the region column stays plain. For ``Styler.apply(axis=None)``."""
    colors = table.map(
        lambda cell: f"background-color: {MISSING_COLOR if cell == missing else REPORTED_COLOR}"
    )
    colors.iloc[:, 0] = ""
    return colors


MAP_COLUMNS = [
    "marker", "region_id", "region", "level", "lat", "lon", "observations", "practices",
]  # fmt: skip
MISSING_COLOR = "#e3e3e3"
REPORTED_COLOR = "#c9dbf0"


def map_points(dataset: Dataset, lang: Lang) -> tuple[pd.DataFrame, list[str]]:
    """Subject regions with a location, and the names of those without one."""
    names = region_names(dataset, lang)
    regions = dataset.regions.set_index("region_id").loc[subject_regions(dataset)]
    obs_count = dataset.observations["region_id"].value_counts()
    practice_count = dataset.practices["region_id"].value_counts()
    frame = pd.DataFrame(
        {
            "region_id": regions.index,
            "region": [names[r] for r in regions.index],
            "level": regions["level"].to_numpy(),
            "lat": regions["lat"].astype("float64").to_numpy(),
            "lon": regions["lon"].astype("float64").to_numpy(),
            "observations": [int(obs_count.get(r, 0)) for r in regions.index],
            "practices": [int(practice_count.get(r, 0)) for r in regions.index],
        },
        columns=MAP_COLUMNS,
    )
    located = frame["lat"].notna()
    # A town that is its county's seat shares the county's point: one marker, both names.
    points = (
        frame[located]
        .groupby(["lat", "lon"], sort=False, as_index=False)
        .agg(
            region_id=("region_id", "first"),
            region=("region", " / ".join),
            level=("level", "first"),
            observations=("observations", "sum"),
            practices=("practices", "sum"),
        )
    )
    points.insert(0, "marker", range(1, len(points) + 1))
    return points[MAP_COLUMNS], list(frame.loc[~located, "region"])


def map_notes(points: pd.DataFrame, unlocated: Sequence[str], lang: Lang) -> list[str]:
    """The lines under the map: which number is which place (when the map numbers
    them), and which regions have no location."""
    notes = []
    if len(points) <= MAP_LABELS:
        notes.append(join_names([f"{p.marker} {p.region}" for p in points.itertuples()], lang))
    else:
        notes.append(text("overview.map_many", lang, count=len(points)))
    if unlocated:
        notes.append(text("overview.map_missing", lang, names=join_names(unlocated, lang)))
    return notes


@dataclass(frozen=True)
class OverviewContent:
    """Everything the Overview page shows for one dataset and language, in its order."""

    cards: pd.DataFrame  # one headline card per core family (``CARD_COLUMNS``)
    counts: dict[str, int]  # regions, sources, numbers and practices in the data
    coverage: pd.DataFrame  # regions x families, as text
    not_reported: str  # what a coverage cell says when a region reported nothing there
    region_map: go.Figure
    map_notes: tuple[str, ...]  # the lines under the map


def page_content(dataset: Dataset, derived: pd.DataFrame, lang: Lang) -> OverviewContent:
    """What the Overview shows of ``dataset`` and its ``derived`` measures in ``lang``.

    One function for the whole page, so that the page and the preload of
    ``uv run dashboard`` (``dashboard.serve``) cannot drift apart: whatever the preload
    computes is what the first reader's page asks for."""
    not_reported = text("word.not_reported", lang)
    points, unlocated = map_points(dataset, lang)
    return OverviewContent(
        cards=headline_cards(dataset, derived, lang),
        counts=dataset_counts(dataset),
        coverage=coverage_table(coverage_matrix(dataset), dataset, lang, not_reported),
        not_reported=not_reported,
        region_map=region_map(points, lang),
        map_notes=tuple(map_notes(points, unlocated, lang)),
    )
