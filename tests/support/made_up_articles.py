"""The two made-up articles of tests/fixtures/made_up_articles/ and their hand curation.

They name regions the bundled data does not have and word their numbers as the seeds
do not, so a draft of them shows what the drafter does with an article nobody tuned it
on. ``compare_made_up`` drafts one against the data and compares the draft with the
curation written by hand in ``expected.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from metrics.pipeline.load import load_dataset
from metrics.tools.draft import Draft, draft_article
from metrics.tools.recurate import FIELDS, Comparison, Curated, compare

FOLDER = Path(__file__).parents[1] / "fixtures" / "made_up_articles"
EXPECTED = yaml.safe_load((FOLDER / "expected.yaml").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class MadeUp:
    name: str
    text: str
    curated: Curated
    regions: list[dict]


ARTICLES = [
    MadeUp(
        name,
        (FOLDER / name).read_text(encoding="utf-8"),
        Curated(
            observations=pd.DataFrame(entry["observations"], columns=["quote", *FIELDS]).astype(
                {"value": "float64"}
            ),
            set_aside=entry["set_aside"],
            practices=entry["practices"],
        ),
        entry["regions"],
    )
    for name, entry in EXPECTED.items()
]


@dataclass(frozen=True)
class MadeUpResult:
    draft: Draft
    comparison: Comparison
    notes: list[str]


def region_names(draft: Draft, data_regions: pd.DataFrame) -> dict[str, str]:
    """Region id -> Chinese name, for the known regions and the draft's new ones."""
    names = dict(zip(data_regions["region_id"], data_regions["name_zh"], strict=True))
    names.update(zip(draft.regions["id"], draft.regions["name_zh"], strict=True))
    return names


def compare_made_up(article: MadeUp, data: Path) -> MadeUpResult:
    """Draft a made-up article against the data at ``data`` and compare it with its
    hand curation; notes say how its new regions came out."""
    dataset = load_dataset(data)
    draft = draft_article(article.text, dataset)
    names = region_names(draft, dataset.regions)
    new_indicators = set(draft.indicators["id"])
    comparison = compare(
        draft,
        article.curated,
        region_key=lambda region: names.get(region, region),
        indicator_key=lambda indicator: "new" if indicator in new_indicators else indicator,
    )
    proposed = {
        row.name_zh: (row.level, names.get(row.parent) if isinstance(row.parent, str) else None)
        for row in draft.regions.itertuples(index=False)
    }
    notes = []
    for region in article.regions:
        got = proposed.get(region["name_zh"])
        want = (region["level"], region["parent"])
        if got is None:
            notes.append(f"new region {region['name_zh']}: not proposed")
        elif got != want:
            notes.append(f"new region {region['name_zh']}: proposed {got}, curated {want}")
        else:
            notes.append(f"new region {region['name_zh']}: level and parent right ({got[0]})")
    return MadeUpResult(draft, comparison, notes)
