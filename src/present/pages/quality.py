"""What the Data quality page shows: problems, relations with their numbers,
approximate values and what each region has not reported."""

from __future__ import annotations

import pandas as pd

from metrics.model.dataset import Dataset
from metrics.model.problems import Problem
from present.i18n import Lang, family_name, lang_column, list_separator, text
from present.rows import (
    families_of,
    indicator_names,
    observation_view,
    region_names,
    subject_regions,
    with_names,
)

PROBLEM_COLUMNS = ["line", "code", "message", "hint", "rendered"]
RELATION_VIEW_COLUMNS = [
    "relation", "region", "source", "status", "detail", "observation_ids", "relation_id",
    "status_id", "line",
]  # fmt: skip
MISSING_COLUMNS = ["region", "missing_count", "missing_families", "missing_indicators", "region_id"]


def check_counts(dataset: Dataset) -> dict[str, int]:
    """What ``metrics check`` counts in its summary line, for the page's own wording."""
    return {
        "sources": len(dataset.sources),
        "regions": len(dataset.regions),
        "indicators": len(dataset.indicators),
        "observations": len(dataset.observations),
        "practices": len(dataset.practices),
        "relation_checks": len(dataset.relation_results),
    }


def problem_table(problems: list[Problem]) -> pd.DataFrame:
    """One row per problem: its line, stable code, message, hint and the full text."""
    rows = [
        {
            "line": p.line,
            "code": p.code,
            "message": p.message,
            "hint": p.hint,
            "rendered": p.render(),
        }
        for p in problems
    ]
    frame = pd.DataFrame(rows, columns=PROBLEM_COLUMNS)
    frame["line"] = frame["line"].astype("Int64")
    return frame


def relation_view(dataset: Dataset, lang: Lang) -> pd.DataFrame:
    """Every relation check with the numbers that enter it (``3,214 + 1,022 = 4,236``),
    rule by rule."""
    position = {rule: n for n, rule in enumerate(dataset.relations["relation_id"])}
    by_rule = dataset.relation_results.sort_values(
        "relation_id", key=lambda ids: ids.map(position), kind="stable"
    )
    results = with_names(by_rule, dataset, lang)
    described = dataset.relations.set_index("relation_id")
    results["relation"] = results["relation_id"].map(described[lang_column("description", lang)])
    results["status_id"] = results["status"]
    results["status"] = results["status_id"].map(lambda s: text(f"quality.status.{s}", lang))
    return results[RELATION_VIEW_COLUMNS].reset_index(drop=True)


def approximate_view(dataset: Dataset, lang: Lang) -> pd.DataFrame:
    """The observations whose value is not exact (余, 以上, 左右, 近)."""
    observations = dataset.observations
    return observation_view(dataset, lang, observations[observations["qualifier"] != "exact"])


def missing_view(dataset: Dataset, lang: Lang) -> pd.DataFrame:
    """For each region the data describes: which indicators and families it has not
    reported. Names, never zeros."""
    names, indicators = region_names(dataset, lang), indicator_names(dataset, lang)
    families = dataset.indicators.set_index("indicator_id")["family"]
    separator = list_separator(lang, items_hold_commas=True)
    in_data = families_of(dataset)
    rows = []
    for region_id in subject_regions(dataset):
        own = dataset.observations.loc[dataset.observations["region_id"] == region_id]
        reported = set(own["indicator_id"])
        missing = [i for i in dataset.indicators["indicator_id"] if i not in reported]
        reported_families = {families[i] for i in reported}
        rows.append(
            {
                "region": names[region_id],
                "missing_count": len(missing),
                "missing_families": separator.join(
                    family_name(f, lang) for f in in_data if f.value not in reported_families
                ),
                "missing_indicators": separator.join(indicators[i] for i in missing),
                "region_id": region_id,
            }
        )
    return pd.DataFrame(rows, columns=MISSING_COLUMNS)
