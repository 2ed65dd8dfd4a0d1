"""The only place that caches: data loaded once per change of the files.

The data is reloaded when the YAML or an archive changes (modification time and size
of every file), so a curator's save shows on the next rerun without a restart. A save
that breaks the file leaves the last valid data on screen beside its problems.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import drafting
from dashboard.freshness import Fingerprint, LastGood, data_fingerprint
from metrics.model.dataset import DEFAULT_DATA, Dataset
from metrics.model.problems import Problem
from metrics.pipeline.consistent import consistent_part
from metrics.pipeline.load import load_dataset
from metrics.tools.draft import Draft
from present.pages.curate import Given, Keys, edited_draft

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


# --- the workbench's drafts ---------------------------------------------------------

# The drafts kept between a curator's reruns (shared by curators of one article) take at
# most this many bytes in all, as ``drafting.draft_bytes`` estimates them (the article's
# text and the draft's tables: about eleven times a megabyte article's size in UTF-8). A
# new draft drops the least recently used ones to stay within it; a curator whose draft
# was dropped gets it made again on the next rerun, with a note saying so.
DRAFT_BUDGET_BYTES = 64 * 2**20
# How many keys of dropped drafts are remembered, to say so when one is made again.
_DROPPED_REMEMBERED = 1024


@dataclass(frozen=True)
class Drafted:
    """A draft, and whether it was made again because it had been dropped."""

    draft: Draft
    remade: bool = False


class DraftStore:
    """Drafts by key within a byte budget, least recently used dropped first; a draft
    that no session works on any more (no claim) is dropped at once."""

    def __init__(self, budget: int = DRAFT_BUDGET_BYTES) -> None:
        self.budget = budget
        self._lock = threading.Lock()
        self._kept: OrderedDict[str, tuple[Draft, int]] = OrderedDict()
        self._used = 0
        self._claims: dict[str, int] = {}
        self._dropped: OrderedDict[str, None] = OrderedDict()
        # Drafts being made: a second curator of the article waits for the first's.
        self._making: dict[str, Future[Drafted]] = {}

    def get(self, key: str) -> Draft | None:
        with self._lock:
            if key not in self._kept:
                return None
            self._kept.move_to_end(key)
            return self._kept[key][0]

    def get_or_make(self, key: str, make: Callable[[], tuple[Draft, int]]) -> Drafted:
        """The draft of ``key``; made (``make``: the draft and its size) when not kept."""
        with self._lock:
            if key in self._kept:
                self._kept.move_to_end(key)
                return Drafted(self._kept[key][0])
            making = self._making.get(key)
            if making is None:
                self._making[key] = future = Future()
        if making is not None:
            return making.result()
        try:
            draft, size = make()
        except BaseException as error:
            with self._lock:
                del self._making[key]
            future.set_exception(error)
            raise
        with self._lock:
            drafted = Drafted(draft, remade=self._keep(key, draft, size))
            del self._making[key]
        future.set_result(drafted)
        return drafted

    def _keep(self, key: str, draft: Draft, size: int) -> bool:
        """Keep the draft within the budget; whether it had been dropped before."""
        remade = key in self._dropped
        self._dropped.pop(key, None)
        while self._kept and self._used + size > self.budget:
            self._drop(next(iter(self._kept)))
        if size <= self.budget:
            self._kept[key] = (draft, size)
            self._used += size
        else:  # larger than all the budget: made again on every rerun
            self._remember_dropped(key)
        return remade

    def _drop(self, key: str) -> None:
        self._used -= self._kept.pop(key)[1]
        self._remember_dropped(key)

    def _remember_dropped(self, key: str) -> None:
        self._dropped[key] = None
        while len(self._dropped) > _DROPPED_REMEMBERED:
            self._dropped.popitem(last=False)

    @property
    def used(self) -> int:
        """Bytes of the drafts kept (as estimated)."""
        with self._lock:
            return self._used

    def claim(self, key: str) -> None:
        """A session works on this draft."""
        with self._lock:
            self._claims[key] = self._claims.get(key, 0) + 1

    def release(self, key: str) -> None:
        """A session no longer works on this draft: dropped once no session does."""
        with self._lock:
            left = self._claims.get(key, 0) - 1
            if left > 0:
                self._claims[key] = left
                return
            self._claims.pop(key, None)
            if key in self._kept:
                self._used -= self._kept.pop(key)[1]

    def kept(self) -> list[str]:
        """The keys of the drafts kept, least recently used first."""
        with self._lock:
            return list(self._kept)


DRAFTS = DraftStore()


@dataclass(frozen=True)
class _Claim:
    key: str


# One claim per session (its current draft): released when the session disconnects
# (Streamlit clears a session's resources then) or moves on to another article.
@st.cache_resource(
    show_spinner=False, scope="session", max_entries=1, on_release=lambda c: DRAFTS.release(c.key)
)
def _claim(key: str) -> _Claim:
    DRAFTS.claim(key)
    return _Claim(key)


def draft_key(text: str, dataset: Dataset, source_id: str | None, region_id: str | None) -> str:
    """Names a draft: the article, the data and the curator's hints."""
    parts = (text, dataset.key, source_id or "", region_id or "")
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def draft(text: str, dataset: Dataset, source_id: str | None, region_id: str | None) -> Drafted:
    """The workbench's draft of an article against the data, made (in the worker) once
    per text, hints and data: a rerun after an edit re-checks the draft but does not
    draft it again, unless it was dropped meanwhile. Shared by every viewer; callers
    never change it (edits make a new ``Draft``)."""
    key = draft_key(text, dataset, source_id, region_id)
    _claim(key)
    return DRAFTS.get_or_make(
        key, lambda: drafting.draft_in_worker(text, dataset, source_id, region_id)
    )


@dataclass(frozen=True)
class ZipRequest:
    """What the download button needs to write the zip when it is pressed: the article,
    the hints, the data and the curator's edits, not the draft and its file, which the
    session would otherwise keep in memory for as long as it lives."""

    given: Given
    dataset: Dataset
    edits: dict[str, Any]
    keys: Keys


def draft_zip(request: ZipRequest) -> bytes:
    """The edited draft's zip: the kept draft (or the article drafted again), the edits
    applied, written in the worker."""
    given = request.given
    key = draft_key(given.text, request.dataset, given.source_id, given.region_id)
    found = DRAFTS.get(key)
    if found is None:
        found, _ = drafting.draft_in_worker(
            given.text, request.dataset, given.source_id, given.region_id
        )
    return drafting.zip_in_worker(edited_draft(found, request.edits, request.keys))


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
