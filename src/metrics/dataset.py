"""Loading and checking the curated data: the one entry point for the CLI and the app.

``load_dataset(path)`` reads the YAML, validates every entry, runs every check across
tables, evaluates the relations, and returns tidy tables together with every problem
found. It never raises for bad data: problems are returned as data.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from metrics import crosscheck, tables
from metrics.entries import validate_entries
from metrics.problems import Problem, ProblemLog
from metrics.relations import FAIL, evaluate_relations
from metrics.schema import TABLES
from metrics.yamlio import decode_text, parse_yaml

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA = PROJECT_ROOT / "data" / "indicators.yaml"
SOURCES_DIR_NAME = "sources"


@dataclass
class Dataset:
    """The curated data as tables, and every problem found while loading it."""

    path: Path
    sources: pd.DataFrame
    regions: pd.DataFrame
    indicators: pd.DataFrame
    observations: pd.DataFrame
    practices: pd.DataFrame
    relations: pd.DataFrame
    relation_results: pd.DataFrame
    set_aside: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    # Archive file name -> article text, as read (once) by the checks.
    archive_texts: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        """One line with the size of the dataset, as ``metrics check`` prints it."""
        return (
            f"{len(self.sources)} sources, {len(self.regions)} regions, "
            f"{len(self.indicators)} indicators, {len(self.observations)} observations, "
            f"{len(self.practices)} practices, {len(self.relation_results)} relation checks "
            f"({len(self.relations)} relations)"
        )


def display_path(path: Path) -> str:
    """The path as a person would type it: relative to the working directory if inside it."""
    absolute = path.resolve()
    if absolute.is_relative_to(Path.cwd()):
        return os.path.relpath(absolute)
    return str(absolute)


def _empty(path: Path, problems: list[Problem]) -> Dataset:
    return _build(path, {name: [] for name in TABLES}, problems)


def _build(path: Path, valid: crosscheck.Valid, problems: list[Problem]) -> Dataset:
    # A repeated observation is reported as a problem; the tables keep the first.
    observations = tables.observations_frame(valid["observations"]).drop_duplicates(
        "observation_id", ignore_index=True
    )
    relations = tables.relations_frame(valid["relations"])
    return Dataset(
        path=path,
        sources=tables.sources_frame(valid["sources"]),
        regions=tables.regions_frame(valid["regions"]),
        indicators=tables.indicators_frame(valid["indicators"]),
        observations=observations,
        practices=tables.practices_frame(valid["practices"]),
        relations=relations,
        relation_results=evaluate_relations(relations, observations),
        set_aside=tables.set_aside_frame(valid["set_aside"]),
        problems=problems,
    )


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while millions of small objects are made.

    Parsing allocates several objects per YAML value, and each allocation burst wakes
    the collector, which then walks every live object again: at 100,000 observations
    that was four fifths of the parse time. The loaded data has no reference cycles,
    so nothing is left for the collector to find afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_dataset(path: Path | str = DEFAULT_DATA) -> Dataset:
    """Load and check ``path``; archives are looked up in ``sources/`` beside it."""
    with _collector_paused():
        return _load_dataset(Path(path))


def _load_dataset(path: Path) -> Dataset:
    log = ProblemLog(display_path(path))
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        log.add("file_missing", None)
        return _empty(path, log.problems)
    except OSError as error:
        log.add("file_unreadable", None, detail=error.strerror or str(error))
        return _empty(path, log.problems)
    text = decode_text(raw, log)
    parsed = parse_yaml(text, log) if text is not None else None
    if parsed is None:
        return _empty(path, log.problems)

    valid = validate_entries(parsed, log)
    line_of = parsed.line_of
    crosscheck.check_unique_ids(parsed.data, line_of, log)
    crosscheck.check_references(parsed.data, line_of, log)
    crosscheck.check_region_levels(valid["regions"], line_of, log)
    crosscheck.check_units(valid, line_of, log)
    sources_dir = path.parent / SOURCES_DIR_NAME
    texts = crosscheck.load_archives(parsed.data, sources_dir, line_of, log)
    crosscheck.check_quotes(parsed.data, texts, line_of, log)
    crosscheck.check_set_aside(parsed.data, texts, line_of, log)

    dataset = _build(path, valid, log.problems)
    dataset.archive_texts = {
        archive: texts[source_id].text
        for source_id, archive in dataset.sources[["source_id", "archive"]].itertuples(index=False)
        if source_id in texts
    }
    for result in dataset.relation_results.itertuples():
        if result.status == FAIL:
            log.add(
                "relation_failed",
                result.line,
                relation=result.relation_id,
                scope=f"region '{result.region_id}' in source '{result.source_id}'",
                detail=result.detail,
                hint="check these numbers against the article",
            )
    dataset.problems = sorted(log.problems, key=lambda p: (p.line or 0, p.code))
    return dataset
