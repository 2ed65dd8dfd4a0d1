"""What the Compare page shows: one indicator across regions, per unit, over time, and
the problems reported and solved."""

from __future__ import annotations

import pandas as pd

from metrics.model.dataset import Dataset
from metrics.model.intervals import interval_of, qualifier_from
from metrics.model.periods import period_key, period_order
from metrics.model.vocab import LEVEL_RANK, UNITS, Label, Level, Qualifier
from present.i18n import Lang, level_name, list_separator, qualifier_name
from present.quantities import display_quantity
from present.rows import indicator_order, observation_view, region_names, subject_regions
from present.series import SERIES_COLUMNS, series_rows

# Indicators that can serve as the denominator of a per-unit view, with the unit
# name the per-unit value is counted in ("per village").
DENOMINATORS: dict[str, Label] = {"villages": Label("村", "village")}

PROBLEM_STAGES = ("problems_reported", "problems_solved_on_spot", "problems_solved_by_deadline")


def most_reported_indicator(dataset: Dataset) -> str | None:
    """The indicator the most regions reported (the first such in family order): the
    comparison a reader most likely wants first."""
    order = indicator_order(dataset)
    counts = dataset.observations.groupby("indicator_id")["region_id"].nunique()
    if counts.empty:
        return order[0] if order else None
    return max(order, key=lambda i: int(counts.get(i, 0)))


def indicator_rows(dataset: Dataset, indicator_id: str, lang: Lang) -> pd.DataFrame:
    """Every reported value of one indicator, highest first, with its citation.

    ``label`` names the bar: the region, with the period or source added when a region
    reported the indicator more than once.
    """
    observations = dataset.observations
    rows = observation_view(
        dataset, lang, observations[observations["indicator_id"] == indicator_id]
    )
    repeated = rows["region_id"].duplicated(keep=False)
    extra = rows["period"].fillna(rows["source_id"])
    rows["label"] = rows["region"].where(~repeated, rows["region"] + " · " + extra.astype(str))
    return rows.sort_values("value", ascending=False, kind="stable").reset_index(drop=True)


def levels_present(rows: pd.DataFrame) -> list[str]:
    """Level ids of the reporting regions, from the top down."""
    return sorted(set(rows["level_id"]), key=lambda level: LEVEL_RANK[Level(level)])


def within_level(rows: pd.DataFrame, level: str | None) -> pd.DataFrame:
    """Only the rows of one administrative level; all rows when ``level`` is None."""
    if level is None:
        return rows
    return rows[rows["level_id"] == level].reset_index(drop=True)


# The period picker's two choices beside the periods themselves (no period is
# written so: periods are dates).
ALL_PERIODS = "all"
LATEST_PERIOD = "latest"


def indicator_periods(rows: pd.DataFrame) -> list[str]:
    """The distinct periods of the rows, in time order (by start, then as written).

    Rows without a period are in no period: they are not listed here, are kept under
    "all periods" and left out of any one period."""
    return sorted(rows["period"].dropna().unique(), key=period_key)


def period_options(rows: pd.DataFrame) -> list[str]:
    """What the period picker offers: all periods, each region's latest, then each
    period; nothing when the rows hold fewer than two periods (no picker)."""
    periods = indicator_periods(rows)
    return [ALL_PERIODS, LATEST_PERIOD, *periods] if len(periods) >= 2 else []


def within_period(rows: pd.DataFrame, period: str | None, latest: bool = False) -> pd.DataFrame:
    """Only the rows of one period; all rows when ``period`` is None.

    With ``latest``, each region's rows of its own latest period instead (latest by
    start, as ``indicator_periods`` orders them), ``period`` ignored: the newest number
    of every region, whatever its year. A region that reported the indicator only
    without a period keeps those rows, its only numbers."""
    if latest:
        dated = rows[rows["period"].notna()]
        order = period_order(dated["period"])
        newest = dated.assign(_order=order).sort_values("_order", kind="stable")
        last = newest.groupby("region_id")["period"].last()
        own_latest = rows["region_id"].map(last)
        return rows[(rows["period"] == own_latest) | own_latest.isna()].reset_index(drop=True)
    if period is None:
        return rows
    return rows[rows["period"] == period].reset_index(drop=True)


def indicator_series(dataset: Dataset, rows: pd.DataFrame) -> pd.DataFrame:
    """The rows (``indicator_rows``) of every region that reported the indicator for
    two or more periods, as ``region.region_series`` points with gap rows, preceded
    by ``region_id`` and ``region``; regions in the order of ``rows`` (highest first)."""
    return series_rows(dataset, rows)[["region_id", "region", *SERIES_COLUMNS]]


def regions_not_reporting(dataset: Dataset, rows: pd.DataFrame, lang: Lang) -> list[str]:
    """Names of the regions the data describes that did not report the indicator."""
    names = region_names(dataset, lang)
    reported = set(rows["region_id"])
    return [names[r] for r in subject_regions(dataset) if r not in reported]


def level_names(levels: list[str], lang: Lang) -> str:
    """The levels' names as one list in running text: ``县级、乡级``."""
    return list_separator(lang).join(level_name(level, lang) for level in levels)


PER_UNIT_COLUMNS = [
    "label", "region", "shown", "computed", "value", "qualifier", "approximate", "numerator",
    "denominator", "source", "quote", "region_id", "source_id", "denominator_source_id",
    "denominator_quote",
]  # fmt: skip


def _per_unit_label(unit_id: str, per: Label) -> Label:
    unit = UNITS[unit_id].label
    return Label(f"{unit.zh}/{per.zh}", f"{unit.en} per {per.en}")


def per_unit_rows(
    dataset: Dataset, rows: pd.DataFrame, denominator: str, lang: Lang
) -> tuple[pd.DataFrame, list[str]]:
    """Each value divided by the same region's reported ``denominator``.

    The denominator is taken from the same article when it reports one, else from any
    article about the region. Returns the per-unit rows and the labels of the rows whose
    region reported no denominator (they get no per-unit value, not a zero).
    """
    observations = dataset.observations
    counts = observations[
        (observations["indicator_id"] == denominator) & (observations["value"] > 0)
    ]
    # The first reported denominator of each region, and of each region and article:
    # looked up per row instead of filtering the observations once per row.
    records = counts[["region_id", "source_id", "value", "qualifier", "unit", "quote"]]
    of_region: dict[str, dict] = {}
    of_article: dict[tuple[str, str], dict] = {}
    for record in records.to_dict("records"):
        of_region.setdefault(record["region_id"], record)
        of_article.setdefault((record["region_id"], record["source_id"]), record)
    per, per_unit, missing = DENOMINATORS[denominator], [], []
    for row in rows.itertuples():
        base = of_article.get((row.region_id, row.source_id)) or of_region.get(row.region_id)
        if base is None:
            missing.append(row.label)
            continue
        value = row.value / float(base["value"])
        value_range = interval_of(row.value, row.qualifier_id) / interval_of(
            base["value"], base["qualifier"]
        )
        inputs = [Qualifier(row.qualifier_id), Qualifier(base["qualifier"])]
        qualifier = qualifier_from(value, value_range, inputs)
        unit = _per_unit_label(row.unit_id, per)
        shown = display_quantity(value, qualifier, unit, lang)
        per_unit.append(
            {
                "label": row.label,
                "region": row.region,
                "shown": shown,
                "computed": shown,  # titled as computed: no article prints it
                "value": value,
                "qualifier": qualifier_name(qualifier, lang),
                "approximate": qualifier != Qualifier.exact,
                "numerator": row.shown,
                "denominator": display_quantity(
                    base["value"], base["qualifier"], base["unit"], lang
                ),
                "source": row.source,
                "quote": row.quote,
                "region_id": row.region_id,
                "source_id": row.source_id,
                "denominator_source_id": base["source_id"],
                "denominator_quote": base["quote"],
            }
        )
    frame = pd.DataFrame(per_unit, columns=PER_UNIT_COLUMNS)
    frame = frame.sort_values("value", ascending=False, kind="stable").reset_index(drop=True)
    return frame, missing


def problem_rows(dataset: Dataset, lang: Lang) -> pd.DataFrame:
    """Problems collected, solved on the spot and solved by a deadline, per region.

    Long format, one row per region and stage, in the order of the stages; only the
    stages a region reported appear (a missing stage is not a zero).
    """
    observations = dataset.observations
    rows = observation_view(
        dataset, lang, observations[observations["indicator_id"].isin(PROBLEM_STAGES)]
    )
    rows["stage_rank"] = rows["indicator_id"].map({s: i for i, s in enumerate(PROBLEM_STAGES)})
    return rows.sort_values(["region_id", "stage_rank"], kind="stable").reset_index(drop=True)


# Bar charts draw at most this many regions; the table below them lists all.
CHART_LIMIT = 30


def largest(rows: pd.DataFrame, limit: int = CHART_LIMIT) -> pd.DataFrame:
    """The ``limit`` rows of highest value, highest first, for a bar chart."""
    return rows.sort_values("value", ascending=False, kind="stable").head(limit)


def largest_regions(rows: pd.DataFrame, limit: int = CHART_LIMIT) -> pd.DataFrame:
    """All rows of the ``limit`` regions with the highest values (problem stages)."""
    top = rows.groupby("region_id", sort=False)["value"].max().nlargest(limit, keep="first")
    return rows[rows["region_id"].isin(top.index)]
