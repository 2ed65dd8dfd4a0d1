"""The curated data as tables: what a load returns and every reader of the data uses.

A ``Dataset`` is made in one place, ``metrics.pipeline.load``, from a check or from a
snapshot; every other module only reads it. Its tables are those that
``metrics.model.tables.DATASET_TABLES`` declares, under the same names.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from metrics.model.problems import Problem

PROJECT_ROOT = Path(__file__).resolve().parents[3]
DEFAULT_DATA = PROJECT_ROOT / "data" / "indicators.yaml"


@dataclass
class Dataset:
    """The curated data as tables, and every problem found while loading it."""

    # The main file, as it was given to ``load_dataset``.
    path: Path
    sources: pd.DataFrame
    regions: pd.DataFrame
    indicators: pd.DataFrame
    observations: pd.DataFrame
    practices: pd.DataFrame
    relations: pd.DataFrame
    relation_results: pd.DataFrame
    set_aside: pd.DataFrame
    # Measures computed from the observations (``metrics.pipeline.derive``).
    derived: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    # Archive file name -> article text (read when first asked for).
    archive_texts: Mapping[str, str] = field(default_factory=dict)
    # Content hash of every file read (code included): equal keys, equal data.
    key: str = ""
    # What was wrong with the cache, which was then not used (one line each, for the
    # operator): never a problem of the data.
    cache_notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether the data passed every check."""
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
    # The folders resolved, not the file: a link is named as the link, never by where
    # it leads (a link out of the data folder is a problem, its target nobody's business).
    absolute = path.parent.resolve() / path.name
    if absolute.is_relative_to(Path.cwd()):
        return os.path.relpath(absolute)
    return str(absolute)
