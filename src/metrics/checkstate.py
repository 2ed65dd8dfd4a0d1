"""Checking a whole dataset, reusing the work of the previous check where nothing changed.

``check(inputs, previous)`` re-reads only the YAML files whose content hash changed,
splices their rows into the previous tables, re-runs the quote checks of files whose
text or archives changed, and re-evaluates relations and derived measures only for the
articles whose numbers changed. The checks across files (ids, references, levels,
units) always run on everything: they are linear and cheap. The result is the same as
a check from scratch; the tests hold both to the same answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from metrics import crosscheck, tables
from metrics.derive import DERIVED_MEASURES, derive_measures
from metrics.filecheck import FilePart, check_file
from metrics.inputs import SOURCES_DIR_NAME, InputFile, Inputs
from metrics.problems import Problem, ProblemLog
from metrics.relations import FAIL, evaluate_relations
from metrics.schema import TABLES

# Quote problems of one file and what they were checked against: the file's hash and
# (source, archive, archive hash) of every source its quotes name.
QuoteKey = tuple[str, tuple[tuple[str, str, str], ...]]


@dataclass
class CheckState:
    """Everything a check found, kept so that the next check can reuse it."""

    digests: dict[str, str]
    parts: dict[str, FilePart]
    frames: dict[str, pd.DataFrame]
    quote_problems: dict[str, tuple[QuoteKey, list[Problem]]]
    relation_results: pd.DataFrame
    derived: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)

    def archive_texts(self, inputs: Inputs) -> dict[str, str]:
        """Archive name -> article text, for every archive a valid source names."""
        return archive_texts(self.frames["sources"], inputs)


def archive_texts(sources: pd.DataFrame, inputs: Inputs) -> dict[str, str]:
    """Archive name -> article text, for every archive a valid source names."""
    texts = {}
    for name in sources["archive"].unique():
        item = inputs.archives.get(name)
        if item is not None and item.raw is not None:
            try:
                texts[name] = item.raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                continue  # reported as a problem by the check
    return texts


def _part_of(item: InputFile) -> FilePart:
    if item.raw is None:
        log = ProblemLog(item.name)
        if item.error == "missing":
            log.add("file_missing", None)
        else:
            log.add("file_unreadable", None, detail=item.error)
        return FilePart(item.name, rows={name: [] for name in TABLES}, problems=log.problems)
    return check_file(item.name, item.raw)


def _frames(
    parts: list[FilePart], previous: CheckState | None, changed: set[str], order: dict[str, int]
) -> dict[str, pd.DataFrame]:
    """The tables: new rows of changed files spliced into the previous tables."""
    frames = {}
    for table in TABLES:
        new_rows = [
            row for part in parts if part.file in changed for row in part.rows.get(table, [])
        ]
        if previous is None:
            frames[table] = tables.frame_of(table, new_rows)
            continue
        old = previous.frames[table]
        kept = old[~old["file"].isin(changed | (set(previous.digests) - set(order)))]
        if not new_rows:
            frames[table] = kept.reset_index(drop=True)
            continue
        combined = pd.concat([kept, tables.frame_of(table, new_rows)], ignore_index=True)
        position = combined["file"].map(order)
        # Files in their order, entries within a file in the order written.
        frames[table] = combined.iloc[position.argsort(kind="stable").to_numpy()].reset_index(
            drop=True
        )
    return frames


def _quote_key(part: FilePart, texts: dict, inputs: Inputs) -> tuple:
    used = sorted(
        {source for source, _, _ in part.quotes} | {source for source, _, _ in part.set_aside}
    )
    return tuple(
        (source, texts[source][0], inputs.archives[texts[source][0]].digest)
        for source in used
        if source in texts and texts[source][0] in inputs.archives
    )


def _splice(kept: pd.DataFrame, fresh: pd.DataFrame, keys: dict[str, pd.Series]) -> pd.DataFrame:
    """Kept and recomputed rows together, in the order a computation from scratch gives."""
    combined = pd.concat([kept, fresh], ignore_index=True) if len(fresh) else kept
    combined = combined.reset_index(drop=True)
    order = pd.DataFrame(keys(combined)).sort_values(list(keys(combined)), kind="stable")
    return combined.loc[order.index].reset_index(drop=True)


def _relations(
    previous: pd.DataFrame | None,
    relations: pd.DataFrame,
    observations: pd.DataFrame,
    affected: set[str] | None,
) -> pd.DataFrame:
    """Relation results, re-evaluated only for the articles in ``affected``."""
    if previous is None or affected is None:
        return evaluate_relations(relations, observations)
    fresh = evaluate_relations(relations, observations[observations["source_id"].isin(affected)])
    kept = previous[~previous["source_id"].isin(affected)]
    position = {rule: n for n, rule in enumerate(relations["relation_id"])}
    return _splice(
        kept,
        fresh,
        lambda f: {
            "rule": f["relation_id"].map(position),
            "source": f["source_id"],
            "region": f["region_id"],
            "period": f["period"].fillna(""),
        },
    )


def _derived(
    previous: pd.DataFrame | None, observations: pd.DataFrame, affected: set[str] | None
) -> pd.DataFrame:
    """Derived measures, recomputed only for the articles in ``affected``."""
    if previous is None or affected is None:
        return derive_measures(observations)
    fresh = derive_measures(observations[observations["source_id"].isin(affected)])
    kept = previous[~previous["source_id"].isin(affected)]
    position = {measure.id: n for n, measure in enumerate(DERIVED_MEASURES)}
    return _splice(
        kept,
        fresh,
        lambda f: {
            "source": f["source_id"],
            "region": f["region_id"],
            "period": f["period"].fillna(""),
            "measure": f["measure_id"].map(position),
        },
    )


def _relation_problems(results: pd.DataFrame) -> list[Problem]:
    failed = results[results["status"] == FAIL]
    return [
        Problem(
            "relation_failed",
            result.line,
            result.file,
            {
                "relation": result.relation_id,
                "scope": f"region '{result.region_id}' in source '{result.source_id}'",
                "detail": result.detail,
                "hint": "check these numbers against the article",
            },
        )
        for result in failed.itertuples(index=False)
    ]


def _affected_sources(
    previous: CheckState, parts: list[FilePart], changed: set[str], gone: set[str]
) -> set[str]:
    old = previous.frames["observations"]
    sources = set(old.loc[old["file"].isin(changed | gone), "source_id"])
    for part in parts:
        if part.file in changed:
            sources.update(row["source_id"] for row in part.rows.get("observations", []))
    return sources


def check(inputs: Inputs, previous: CheckState | None = None) -> CheckState:
    """Check every file of ``inputs``; reuse ``previous`` for files that did not change."""
    order = inputs.file_order()
    parts: list[FilePart] = []
    changed: set[str] = set()
    for item in inputs.yaml_files:
        reusable = previous is not None and previous.digests.get(item.name) == item.digest
        if reusable:
            parts.append(previous.parts[item.name])
        else:
            parts.append(_part_of(item))
            changed.add(item.name)
    gone = set(previous.digests) - set(order) if previous else set()
    frames = _frames(parts, previous, changed, order)

    problems = [problem for part in parts for problem in part.problems]
    problems += crosscheck.check_unique_ids(parts)
    problems += crosscheck.check_references(parts)
    problems += crosscheck.check_region_levels(parts)
    problems += crosscheck.check_units(parts, frames["indicators"])
    archives = crosscheck.Archives(inputs.folder / SOURCES_DIR_NAME, inputs.archives)
    texts, archive_problems = crosscheck.source_texts(parts, archives)
    problems += archive_problems
    quote_problems = {}
    for part in parts:
        key = (inputs.yaml_files[order[part.file]].digest, _quote_key(part, texts, inputs))
        known = previous.quote_problems.get(part.file) if previous else None
        if known is not None and known[0] == key:
            quote_problems[part.file] = known
        else:
            found = crosscheck.check_quotes(part, texts) + crosscheck.check_set_aside(part, texts)
            quote_problems[part.file] = (key, found)
        problems += quote_problems[part.file][1]

    observations = frames["observations"].drop_duplicates("observation_id", ignore_index=True)
    affected = _affected_sources(previous, parts, changed, gone) if previous else None
    rules_same = previous is not None and previous.frames["relations"].equals(frames["relations"])
    relation_results = _relations(
        previous.relation_results if rules_same else None,
        frames["relations"],
        observations,
        affected,
    )
    derived = _derived(previous.derived if previous else None, observations, affected)
    problems += _relation_problems(relation_results)

    for part in parts:
        part.rows = {}  # now in the tables; keeping them would double the memory
    return CheckState(
        digests={item.name: item.digest for item in inputs.yaml_files},
        parts={part.file: part for part in parts},
        frames=frames,
        quote_problems=quote_problems,
        relation_results=relation_results,
        derived=derived,
        problems=problems,
    )
