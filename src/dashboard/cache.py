"""The only place that caches: data loaded once per change of the files.

The data is reloaded when the YAML or an archive changes (modification time and size
of every file), so a curator's save shows on the next rerun without a restart. A save
that breaks the file leaves the last valid data on screen beside its problems.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.freshness import Fingerprint, LastGood, data_fingerprint
from metrics.model.dataset import DEFAULT_DATA, Dataset
from metrics.model.problems import Problem
from metrics.pipeline.consistent import consistent_part
from metrics.pipeline.load import load_dataset
from metrics.tools.draft import Draft, draft_article

# Lets a deployment or a test point the dashboard at another data file.
DATA_ENV = "METRICS_DATA"
_LOG = logging.getLogger(__name__)


def data_path() -> Path:
    """The data file to show: ``$METRICS_DATA`` when set, else the bundled one."""
    return Path(os.environ.get(DATA_ENV) or DEFAULT_DATA)


# A resource, not data: Streamlit would otherwise copy (pickle) 100,000 rows on every
# rerun. Pages treat the tables as read-only.
@st.cache_resource(show_spinner=False, max_entries=2)
def _load(path: str, fingerprint: Fingerprint) -> Dataset:
    del fingerprint  # part of the cache key only
    dataset = load_dataset(path)
    for note in dataset.cache_notes:  # for the operator, in the server's log
        _LOG.warning(note)
    return dataset


@st.cache_resource(show_spinner=False)
def _last_good(path: str) -> LastGood:
    return LastGood()


@st.cache_resource(
    show_spinner=False,
    max_entries=512,
    hash_funcs={Dataset: lambda dataset: dataset.key, pd.DataFrame: lambda frame: id(frame)},
)
def _view(_fn: Callable[..., Any], name: str, *args: Any) -> tuple[Any, tuple[Any, ...]]:
    del name  # part of the cache key only
    # The arguments are kept with the result, so no table known by its identity here
    # can be freed and its identity reused while the entry lives.
    return _fn(*args), args


def view(fn: Callable[..., Any], *args: Any) -> Any:
    """``fn(*args)``, computed once per dataset and arguments for every viewer.

    Pages shape the same data the same way on every rerun; at 100,000 observations
    that is seconds per rerun, so each view is kept until the data changes. A dataset
    is known by its content key; a table argument by its identity, which is safe
    because every table passed here is owned by a cached dataset or view. Views are
    shared: callers never change what they get.
    """
    return _view(fn, f"{fn.__module__}.{fn.__qualname__}", *args)[0]


# A few articles at a time: each entry holds an article's text (at most 1 MB).
@st.cache_resource(
    show_spinner=False, max_entries=8, hash_funcs={Dataset: lambda dataset: dataset.key}
)
def draft(text: str, dataset: Dataset, source_id: str | None, region_id: str | None) -> Draft:
    """The workbench's draft of an article against the data, made once per text, hints
    and data: a rerun after an edit re-checks the draft but does not draft it again.
    Shared by every viewer; callers never change it (edits make a new ``Draft``)."""
    return draft_article(text, dataset, source_id=source_id, region_id=region_id)


@dataclass(frozen=True)
class PageData:
    """What a page works with: the data shown, its derived measures, current problems."""

    dataset: Dataset
    derived: pd.DataFrame
    problems: list[Problem]
    stale: bool


def current_data() -> PageData:
    """The data to show on this rerun.

    Data that never passed the check is shown only in the part that holds together
    (``metrics.pipeline.consistent``): the pages look ids up and cannot show a number whose
    region or indicator was refused; its problem is listed instead."""
    path = data_path()
    dataset = _load(str(path), data_fingerprint(path))
    offered = _last_good(str(path)).offer(dataset)
    usable = offered.dataset if offered.dataset.ok else view(consistent_part, offered.dataset)
    return PageData(
        dataset=usable,
        derived=usable.derived,
        problems=offered.problems,
        stale=offered.stale,
    )
