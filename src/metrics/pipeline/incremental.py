"""Checking a whole dataset, reusing the work of the previous check where nothing changed.

``check(inputs, previous)`` re-reads only the YAML files whose content hash changed and
splices their rows into the previous tables; quotes are looked up again only where the
file or the archived article changed; relations and derived measures are re-evaluated
only for the articles whose numbers changed (derived measures also where a source's
``no_derived`` changed). The checks across files (ids, references, aliases, levels,
units) always run on everything, on whole columns at once. The result is the
same as a check from scratch; the tests hold both to the same answers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial

import pandas as pd

from metrics.model import tables
from metrics.model.problems import Problem, ProblemLog
from metrics.model.schema import TABLES
from metrics.model.text import UndecodableText, decode_bytes
from metrics.pipeline import across_files
from metrics.pipeline.derive import derive_measures, switched_off
from metrics.pipeline.inputs import (
    MISSING,
    NOT_REGULAR,
    OUTSIDE,
    SOURCES_DIR_NAME,
    InputFile,
    Inputs,
    InputsChanged,
)
from metrics.pipeline.per_file import KEY_COLUMNS, FilePart, check_file
from metrics.pipeline.relations import FAIL, evaluate_relations

# Key tables whose rows are looked up in the archived articles.
_LOOKED_UP = ("quotes", "set_aside_keys")


@dataclass
class CheckState:
    """Everything a check found, kept so that the next check can reuse it."""

    # YAML file name -> content hash, in file order.
    digests: dict[str, str]
    # The tables (``TABLES``) and the keys of the checks across files (``KEY_COLUMNS``),
    # every row with its file, files in order.
    frames: dict[str, pd.DataFrame]
    # Table -> file -> number of rows of the file in the table.
    counts: dict[str, dict[str, int]]
    # Problems found in each file on its own.
    file_problems: dict[str, list[Problem]]
    relation_results: pd.DataFrame
    derived: pd.DataFrame
    # The observations table without repeats (a repeat is a problem; the first counts).
    observations: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)

    def dataset_tables(self) -> dict[str, pd.DataFrame]:
        """Every table of the dataset (``tables.DATASET_TABLES``), as a snapshot keeps them."""
        found = {
            **self.frames,
            "observations": self.observations,
            "relation_results": self.relation_results,
            "derived": self.derived,
        }
        return {name: found[name] for name in tables.DATASET_TABLES}


class ArchiveTexts(Mapping[str, str]):
    """Archive name -> article text, read and decoded when first asked for.

    A dashboard start needs no article until a reader opens the Sources page, and
    then only one."""

    def __init__(self, files: dict[str, InputFile]) -> None:
        self._files = files
        self._texts: dict[str, str] = {}

    def __getitem__(self, name: str) -> str:
        """The article's text; KeyError if it cannot be read or is not UTF-8."""
        if name not in self._texts:
            try:
                raw = self._files[name].read()
            except InputsChanged:
                # Changed, or swapped for a link or a pipe, since the check: not shown;
                # the next load reports it.
                raise KeyError(name) from None
            if raw is None:
                raise KeyError(name)
            try:
                self._texts[name] = decode_bytes(raw).text
            except UndecodableText:
                raise KeyError(name) from None  # reported as a problem by the check
        return self._texts[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._files)

    def __len__(self) -> int:
        return len(self._files)


def archive_texts(sources: pd.DataFrame, inputs: Inputs) -> ArchiveTexts:
    """Archive name -> article text, for every archive a valid source names."""
    named = set(sources["archive"])
    return ArchiveTexts(
        {
            name: item
            for name, item in inputs.archives.items()
            if name in named and item.error is None
        }
    )


# Why a file is not read (``inputs``) -> the YAML file's problem code.
_REFUSED_CODES = {
    MISSING: "file_missing",
    OUTSIDE: "file_outside_data",
    NOT_REGULAR: "file_not_regular",
}


def _part_of(item: InputFile) -> FilePart:
    raw = item.read()
    if raw is None:
        log = ProblemLog(item.name)
        code = _REFUSED_CODES.get(item.error or "", "file_unreadable")
        log.add(code, None, detail=item.detail)
        return FilePart(item.name, problems=log.problems)
    return check_file(item.name, raw)


def _rows_of(name: str, part: FilePart) -> list:
    return part.rows[name] if name in TABLES else part.keys[name]


def _new_frame(name: str, parts: list[FilePart]) -> pd.DataFrame:
    if name in TABLES:
        return tables.frame_of(name, [row for part in parts for row in part.rows[name]])
    frame = pd.DataFrame(
        [key for part in parts for key in part.keys[name]], columns=KEY_COLUMNS[name]
    ).astype({"line": "Int64"})
    if name in _LOOKED_UP:
        # Not yet looked up in any article.
        frame = frame.assign(checked=pd.Series(None, index=frame.index, dtype=object))
        frame = frame.assign(found=False)
    return frame


def _offsets(counts: dict[str, int], names: list[str]) -> dict[str, int]:
    offsets, total = {}, 0
    for name in names:
        offsets[name] = total
        total += counts.get(name, 0)
    return offsets


def _splice_rows(
    old: pd.DataFrame,
    old_counts: dict[str, int],
    new: pd.DataFrame,
    new_counts: dict[str, int],
    order: list[str],
) -> pd.DataFrame:
    """The rows of every file in ``order``: from ``new`` for the files in ``new_counts``,
    else from ``old``. Both hold their files' rows contiguously, files in order, so the
    result is a few slices of each, not a sort of every row.
    """
    old_at = _offsets(old_counts, list(old_counts))
    new_at = _offsets(new_counts, [name for name in order if name in new_counts])
    pieces: list[pd.DataFrame] = []
    run: list[int] = []  # [start, end) of consecutive kept rows of ``old``
    for name in order:
        if name in new_counts:
            if run:
                pieces.append(old.iloc[run[0] : run[1]])
                run = []
            start = new_at[name]
            pieces.append(new.iloc[start : start + new_counts[name]])
            continue
        start, end = old_at[name], old_at[name] + old_counts.get(name, 0)
        if run and run[1] == start:
            run[1] = end
        else:
            if run:
                pieces.append(old.iloc[run[0] : run[1]])
            run = [start, end]
    if run:
        pieces.append(old.iloc[run[0] : run[1]])
    pieces = [piece for piece in pieces if len(piece)] or [new.iloc[:0]]
    return (
        pd.concat(pieces, ignore_index=True)
        if len(pieces) > 1
        else pieces[0].reset_index(drop=True)
    )


def _frames(
    parts: list[FilePart], previous: CheckState | None, order: list[str]
) -> tuple[dict[str, pd.DataFrame], dict[str, dict[str, int]]]:
    """Every table, and how many of its rows each file has: new parts spliced into the
    previous tables."""
    frames, counts = {}, {}
    for name in (*TABLES, *KEY_COLUMNS):
        new = _new_frame(name, parts)
        new_counts = {part.file: len(_rows_of(name, part)) for part in parts}
        if previous is None:
            frames[name], counts[name] = new, new_counts
            continue
        old_counts = previous.counts[name]
        frames[name] = _splice_rows(previous.frames[name], old_counts, new, new_counts, order)
        counts[name] = {
            file: new_counts[file] if file in new_counts else old_counts.get(file, 0)
            for file in order
        }
    return frames, counts


def _by_article(
    previous: pd.DataFrame | None,
    observations: pd.DataFrame,
    affected: set[str] | None,
    compute: Callable[[pd.DataFrame], pd.DataFrame],
) -> pd.DataFrame:
    """Results computed per article (relations, derived measures), recomputed only for
    the ``affected`` articles when the previous results are given.

    Results come sorted by article, so the kept and the new rows merge by a stable
    sort on the article alone, into the order a computation from scratch gives."""
    if previous is None or affected is None:
        return compute(observations)
    fresh = compute(observations[observations["source_id"].isin(affected)])
    kept = previous[~previous["source_id"].isin(affected)]
    if fresh.empty:
        return kept.reset_index(drop=True)
    combined = pd.concat([kept, fresh], ignore_index=True) if len(kept) else fresh
    return combined.sort_values("source_id", kind="stable").reset_index(drop=True)


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


def _references(
    previous: CheckState | None,
    frames: dict[str, pd.DataFrame],
    parts: list[FilePart],
    replaced: set[str],
) -> list[Problem]:
    """Unknown references; when no id was added or removed, only new files are looked at."""
    if previous is None or not _same_ids(previous.frames["ids"], frames["ids"]):
        return across_files.check_references(frames)
    kept = [p for p in previous.problems if p.code in _REFERENCE_CODES and p.file not in replaced]
    new = {**frames, "references": _new_frame("references", parts)}
    return kept + across_files.check_references(new)


_REFERENCE_CODES = frozenset({"unknown_region", "unknown_indicator", "unknown_source"})


def _same_ids(old: pd.DataFrame, new: pd.DataFrame) -> bool:
    def declared(frame: pd.DataFrame) -> set[tuple[str, str]]:
        return set(zip(frame["table"].tolist(), frame["id"].tolist(), strict=True))

    return len(old) == len(new) and declared(old) == declared(new)


def _affected_sources(previous: CheckState, parts: list[FilePart], replaced: set[str]) -> set[str]:
    """Articles whose numbers may have changed: those in replaced or new files."""
    old = previous.frames["observations"]
    sources = set(old.loc[old["file"].isin(replaced), "source_id"])
    for part in parts:
        sources.update(row["source_id"] for row in part.rows["observations"])
    return sources


def _switches_changed(
    previous: CheckState | None, off: dict[str, frozenset[str]], affected: set[str] | None
) -> set[str] | None:
    """The articles whose derived measures may have changed: those whose numbers did, and
    those whose ``no_derived`` did, although their numbers are the same."""
    if previous is None or affected is None:
        return affected
    before = switched_off(previous.frames["sources"])
    return affected | {s for s in before.keys() | off.keys() if before.get(s) != off.get(s)}


def check(inputs: Inputs, previous: CheckState | None = None) -> CheckState:
    """Check every file of ``inputs``; reuse ``previous`` for files that did not change."""
    order = inputs.file_order()
    parts = [
        _part_of(item)
        for item in inputs.yaml_files
        if previous is None or previous.digests.get(item.name) != item.digest
    ]
    replaced = {part.file for part in parts}
    file_problems: dict[str, list[Problem]] = {}
    if previous is not None:
        replaced |= set(previous.digests) - set(order)  # files that are gone
        file_problems = {n: p for n, p in previous.file_problems.items() if n not in replaced}
    file_problems |= {part.file: part.problems for part in parts}
    frames, counts = _frames(parts, previous, list(order))

    problems = [problem for name in order for problem in file_problems[name]]
    repeats = across_files.check_unique_ids(frames)
    problems += repeats
    problems += across_files.check_aliases(frames)
    problems += _references(previous, frames, parts, replaced)
    problems += across_files.check_region_levels(frames)
    problems += across_files.check_units(frames, frames["indicators"])
    archives = across_files.Archives(
        inputs.folder / SOURCES_DIR_NAME, inputs.archives, inputs.data_folder
    )
    texts, archive_problems = across_files.source_texts(frames, archives)
    problems += archive_problems
    frames["quotes"] = across_files.check_in_articles(
        frames["quotes"], texts, archives, ("quote", "crosses"), across_files.quote_found
    )
    frames["set_aside_keys"] = across_files.check_in_articles(
        frames["set_aside_keys"], texts, archives, ("mention",), across_files.mention_found
    )
    problems += across_files.quote_problems(frames["quotes"], texts, archives)
    problems += across_files.set_aside_problems(frames["set_aside_keys"])

    observations = frames["observations"]
    if any(problem.code == "duplicate_observation" for problem in repeats):
        observations = observations.drop_duplicates("observation_id", ignore_index=True)
    affected = _affected_sources(previous, parts, replaced) if previous else None
    rules_same = previous is not None and previous.frames["relations"].equals(frames["relations"])
    relation_results = _by_article(
        previous.relation_results if rules_same else None,
        observations,
        affected,
        partial(evaluate_relations, frames["relations"]),
    )
    off = switched_off(frames["sources"])
    derived = _by_article(
        previous.derived if previous else None,
        observations,
        _switches_changed(previous, off, affected),
        partial(derive_measures, off=off),
    )
    problems += _relation_problems(relation_results)
    return CheckState(
        digests={item.name: item.digest for item in inputs.yaml_files},
        frames=frames,
        counts=counts,
        file_problems=file_problems,
        relation_results=relation_results,
        derived=derived,
        observations=observations,
        problems=problems,
    )
