"""The only place that caches: data loaded once per change of the files.

The data is reloaded when the YAML or an archive changes (modification time and size
of every file), so a curator's save shows on the next rerun without a restart. A save
that breaks the file leaves the last valid data on screen beside its problems.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from metrics.dataset import DEFAULT_DATA, Dataset, load_dataset
from metrics.derive import derive_measures
from metrics.freshness import Fingerprint, LastGood, data_fingerprint
from metrics.problems import Problem

# Lets a deployment or a test point the dashboard at another data file.
DATA_ENV = "METRICS_DATA"


def data_path() -> Path:
    return Path(os.environ.get(DATA_ENV) or DEFAULT_DATA)


@st.cache_data(show_spinner=False, max_entries=8)
def _load(path: str, fingerprint: Fingerprint) -> Dataset:
    del fingerprint  # part of the cache key only
    return load_dataset(path)


@st.cache_resource(show_spinner=False)
def _last_good(path: str) -> LastGood:
    return LastGood()


@dataclass(frozen=True)
class Data:
    """What a page works with: the data shown, its derived measures, current problems."""

    dataset: Dataset
    derived: pd.DataFrame
    problems: list[Problem]
    stale: bool


@st.cache_data(show_spinner=False, max_entries=8)
def _derive(observations: pd.DataFrame) -> pd.DataFrame:
    return derive_measures(observations)


def current_data() -> Data:
    """The data to show on this rerun."""
    path = data_path()
    dataset = _load(str(path), data_fingerprint(path))
    shown = _last_good(str(path)).offer(dataset)
    return Data(
        dataset=shown.dataset,
        derived=_derive(shown.dataset.observations),
        problems=shown.problems,
        stale=shown.stale,
    )
