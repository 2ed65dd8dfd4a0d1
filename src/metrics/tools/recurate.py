"""How well a draft (``metrics.tools.draft``) matches what a curator wrote by hand.

An article already curated is taken out of a copy of the data (its sources,
observations, set-aside entries and practices; regions and indicators stay), drafted
again, and the draft compared with the hand-curated entries: for each curated number,
whether the draft proposed it with the same region, indicator, value, qualifier and
unit; whether the set-aside mentions were proposed as set aside; and what the draft
proposed that the curator did not. ``bench/recurate.py`` reports the figures and a test
keeps them from falling.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from metrics.model.archive import ArchivedText, compact
from metrics.model.dataset import Dataset
from metrics.tools.draft.proposal import ACCEPT, SET_ASIDE, Draft

# What must agree for a curated number to count as right with no edit.
FIELDS = ("region", "indicator", "value", "qualifier", "unit")


def without_article(data: Path, copy: Path, archive: str, *, aliases: bool = True) -> list[str]:
    """Copy the data folder of ``data`` (its main YAML file) to ``copy`` without the
    entries of the article archived as ``archive``; the ids of its sources. Without
    ``aliases``, the indicators lose their aliases too (to measure what they bring)."""
    shutil.copytree(data.parent, copy, dirs_exist_ok=True)
    removed: list[str] = []
    for path in [copy / data.name, *sorted((copy / data.stem).glob("**/*.yaml"))]:
        if not path.exists():
            continue
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        gone = [s["id"] for s in content.get("sources", []) if s.get("archive") == archive]
        removed += gone
        content["sources"] = [s for s in content.get("sources", []) if s["id"] not in gone]
        for table in ("observations", "set_aside", "practices"):
            if table in content:
                content[table] = [e for e in content[table] if e.get("source") not in gone]
        # Relations that hold only for the removed sources go with them.
        for relation in content.get("relations", []):
            if relation.get("sources"):
                relation["sources"] = [s for s in relation["sources"] if s not in gone]
        content["relations"] = [r for r in content.get("relations", []) if r.get("sources") != []]
        if not aliases:
            for indicator in content.get("indicators", []):
                indicator.pop("aliases_zh", None)
        path.write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False), "utf-8")
    return removed


@dataclass(frozen=True)
class Comparison:
    """A draft against the hand-curated entries of one article."""

    archive: str
    curated: int  # observations curated by hand
    right: int  # proposed with the same region, indicator, value, qualifier and unit
    quote_has_number: int  # the proposed quote carries the curated number
    set_aside: int  # mentions set aside by hand
    set_aside_proposed: int  # ... that the draft proposed to set aside
    false_proposals: int  # accepted rows the curator did not curate, and curated rows set aside
    practices: int  # practices curated by hand
    practices_proposed: int  # ... whose name the draft proposed
    wrong: tuple[str, ...]  # what differed, one line per curated number


def curated_entries(dataset: Dataset, source_ids: list[str]) -> Curated:
    """What a curator wrote for the sources ``source_ids``, in the form ``compare`` reads."""
    observations = dataset.observations[dataset.observations["source_id"].isin(source_ids)]
    return Curated(
        observations=observations.rename(
            columns={"region_id": "region", "indicator_id": "indicator"}
        )[["quote", "quote_crosses_columns", *FIELDS]].reset_index(drop=True),
        set_aside=list(
            dataset.set_aside.loc[dataset.set_aside["source_id"].isin(source_ids), "mention"]
        ),
        practices=list(
            dataset.practices.loc[dataset.practices["source_id"].isin(source_ids), "name_zh"]
        ),
    )


@dataclass(frozen=True)
class Curated:
    """The hand-curated entries of one article."""

    # quote, region, indicator, value, qualifier, unit (and quote_crosses_columns, if any)
    observations: pd.DataFrame
    set_aside: list[str]  # mentions
    practices: list[str]  # names


def compare(
    draft: Draft,
    curated: Curated,
    region_key: Callable[[object], object] = lambda region: region,
    indicator_key: Callable[[object], object] = lambda indicator: indicator,
) -> Comparison:
    """Compare ``draft`` with what was ``curated`` by hand. The keys turn the draft's
    region and indicator ids into what the curated entries name (for new regions, their
    Chinese names; for new indicators, "new")."""
    article = ArchivedText(draft.text)
    rows = draft.rows
    matched: set[int] = set()
    right = with_number = 0
    wrong = []
    for obs in curated.observations.itertuples(index=False):
        crosses = getattr(obs, "quote_crosses_columns", False) is True
        row = _row_of(rows, article, obs.quote, obs.value, crosses)
        if row is None:
            wrong.append(f"{obs.quote}: not proposed")
            continue
        matched.add(int(row["n"]))
        if compact(str(row["mention"])) in compact(str(row["quote"])):
            with_number += 1
        proposed = {f: row[f] for f in FIELDS}
        proposed["region"] = region_key(proposed["region"])
        proposed["indicator"] = indicator_key(proposed["indicator"])
        expected = {f: getattr(obs, f) for f in FIELDS}
        differs = [f for f in FIELDS if proposed[f] != expected[f]]
        label = [f"action {row['action']}"] if row["action"] != ACCEPT else []
        if differs or label:
            wrong.append(
                f"{obs.quote}: "
                + ", ".join(label + [f"{f} {proposed[f]} for {expected[f]}" for f in differs])
            )
        else:
            right += 1
    aside_mentions = {compact(m) for m in curated.set_aside}
    proposed_aside = rows[rows["action"] == SET_ASIDE]
    aside_found = {compact(m) for m in proposed_aside["mention"]} & aside_mentions
    for mention in sorted(aside_mentions - aside_found):
        wrong.append(f"{mention}: not proposed as set aside")
    accepted = rows[rows["action"] == ACCEPT]
    unasked = accepted[~accepted["n"].isin(matched)]
    wrong += [f"{row.mention} ({row.quote}): proposed, not curated" for row in unasked.itertuples()]
    false = len(unasked) + int(proposed_aside["n"].isin(matched).sum())
    names = {compact(n).strip("“”") for n in draft.practices["name_zh"]}
    found_practices = sum(
        1 for name in curated.practices if any(compact(name).strip("“”") in n for n in names)
    )
    return Comparison(
        archive=draft.archive,
        curated=len(curated.observations),
        right=right,
        quote_has_number=with_number,
        set_aside=len(aside_mentions),
        set_aside_proposed=len(aside_found),
        false_proposals=false,
        practices=len(curated.practices),
        practices_proposed=found_practices,
        wrong=tuple(wrong),
    )


def _row_of(
    rows: pd.DataFrame, article: ArchivedText, quote: str, value: float, crosses: bool
) -> pd.Series | None:
    """The draft's row of the quantity a curated quote carries: inside the quote's place
    in the article (across two columns only if the quote ``crosses`` them), with the
    curated value."""
    for place in article.occurrences(quote, crosses):
        for low, high in place:
            inside = rows[(rows["start"] >= low) & (rows["end"] <= high) & (rows["value"] == value)]
            if len(inside):
                return inside.iloc[0]
    return None
