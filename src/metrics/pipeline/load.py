"""Loading and checking the curated data: the one entry point for the CLI and the app.

``load_dataset(path)`` reads the YAML files, validates every entry, runs every check
across tables and files, evaluates the relations, and returns tidy tables together with
every problem found. It never raises for bad data: problems are returned as data.

Work is done once per content: each YAML file is parsed and validated once per content
hash (``filecheck``), a check after an edit re-reads only the files that changed, and
the tables of a whole dataset are kept as a snapshot keyed by the hashes of every file
(``snapshot``), so that an unchanged dataset is read back instead of checked again.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from metrics.model.dataset import DEFAULT_DATA, Dataset, display_path
from metrics.pipeline import incremental as checkstate
from metrics.pipeline import snapshot
from metrics.pipeline.inputs import DigestMemo, Inputs, InputsChanged, read_inputs


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


def load_dataset(path: Path | str = DEFAULT_DATA, *, use_cache: bool = True) -> Dataset:
    """Load and check the dataset whose main file is ``path``.

    More entries may be split into ``*.yaml`` files under the folder of the same name
    (``indicators/`` beside ``indicators.yaml``); archives are looked up in ``sources/``.
    With ``use_cache``, an unchanged dataset is read from its snapshot and a changed one
    re-checks only its changed files; without it, everything is checked from scratch.
    """
    path = Path(path)
    store = snapshot.Store.for_data(path) if use_cache else None
    with _collector_paused():
        try:
            return _load(path, store, store.read_digests() if store else None)
        except InputsChanged:  # a file was saved while being read: read everything again
            return _load(path, store, None)


def _load(path: Path, store: snapshot.Store | None, memo: DigestMemo | None) -> Dataset:
    inputs = read_inputs(path, memo)
    if store is not None:
        if inputs.hashed:
            store.write_digests(inputs.memo)
        cached = store.read_dataset(inputs)
        if cached is not None:
            return _with_paths(cached, inputs)
    with _CHECKING:  # viewers of a dashboard may trigger checks at the same time
        previous = _previous_state(path, store)
        state = checkstate.check(inputs, previous)
        dataset = _dataset(path, inputs, state)
        if store is not None:
            _LAST_STATE.clear()
            _LAST_STATE[path.resolve()] = state
            store.write(inputs, dataset, state)
    return _with_paths(dataset, inputs)


# The last check's state of the last dataset checked in this process (the dashboard's),
# so that a re-check after an edit does not even read the state back from the cache.
_LAST_STATE: dict[Path, checkstate.CheckState] = {}
_CHECKING = threading.Lock()


def _previous_state(path: Path, store: snapshot.Store | None) -> checkstate.CheckState | None:
    if store is None:
        return None
    return _LAST_STATE.get(path.resolve()) or store.read_state()


def _dataset(path: Path, inputs: Inputs, state: checkstate.CheckState) -> Dataset:
    return Dataset(
        path=path,
        sources=state.frames["sources"],
        regions=state.frames["regions"],
        indicators=state.frames["indicators"],
        observations=state.observations,
        practices=state.frames["practices"],
        relations=state.frames["relations"],
        relation_results=state.relation_results,
        set_aside=state.frames["set_aside"],
        problems=state.problems,
        archive_texts=state.archive_texts(inputs),
        derived=state.derived,
    )


def _with_paths(dataset: Dataset, inputs: Inputs) -> Dataset:
    """Problems name files as a person types them; stored problems name them relatively.

    Also stamps the dataset with the key of its inputs."""
    dataset.key = inputs.key
    order = inputs.file_order()
    ordered = sorted(dataset.problems, key=lambda p: (order.get(p.file, 0), p.line or 0, p.code))
    shown = {p.file: display_path(inputs.folder / p.file) for p in ordered}
    dataset.problems = [replace(p, file=shown[p.file]) for p in ordered]
    return dataset
