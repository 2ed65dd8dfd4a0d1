"""Loading and checking the curated data: the one entry point for the CLI and the app.

``load_dataset(path)`` reads the YAML files, validates every entry, runs every check
across tables and files, evaluates the relations, and returns tidy tables together with
every problem found. It never raises for bad data: problems are returned as data, and
what was wrong with the cache (not used, or rebuilt) as notes beside them
(``Dataset.cache_notes``), which are never problems of the data.

It reads top-down: list the input files and their content key (``inputs``); if a
snapshot of that key exists, read its tables (``snapshot``); else check incrementally,
re-reading only the files whose hash changed (``incremental``), and hand the result to
the cache. Either way the ``Dataset`` is made here; the only other maker is
``consistent.consistent_part``, which cuts a dataset that failed the check down to the
rows that still hold together.
"""

from __future__ import annotations

import gc
import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pandas as pd

from metrics.model.dataset import DEFAULT_DATA, Dataset, display_path
from metrics.model.problems import Problem
from metrics.model.tables import DATASET_TABLES
from metrics.pipeline import across_files, incremental, snapshot
from metrics.pipeline.inputs import (
    SOURCES_DIR_NAME,
    DigestMemo,
    InputFile,
    Inputs,
    InputsChanged,
    read_inputs,
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


def load_dataset(path: Path | str = DEFAULT_DATA, *, use_cache: bool = True) -> Dataset:
    """Load and check the dataset whose main file is ``path``.

    More entries may be split into ``*.yaml`` files under the folder of the same name
    (``indicators/`` beside ``indicators.yaml``); archives are looked up in ``sources/``.
    With ``use_cache``, an unchanged dataset is read from its snapshot and a changed one
    re-checks only its changed files; without it, everything is checked from scratch.
    """
    path = Path(path)
    notes: list[str] = []  # what was wrong with the cache: said, never a data problem
    store = snapshot.open_store(path, notes) if use_cache else None
    with _collector_paused():
        try:
            dataset = _load(path, store, store.read_digests() if store else None)
        except InputsChanged:  # a file was saved while being read: read everything again
            dataset = _load(path, store, None)
    return replace(dataset, cache_notes=tuple(dict.fromkeys(notes))) if notes else dataset


def _load(path: Path, store: snapshot.Store | None, memo: DigestMemo | None) -> Dataset:
    """List the inputs; reuse the snapshot of their key, else check them and store."""
    inputs = _list_inputs(path, store, memo)
    stored = store.read_tables(inputs.key) if store is not None else None
    if stored is not None:
        return _dataset(path, inputs, stored, problems=[])  # only valid data is stored
    checked, problems = _check(path, inputs, store)
    return _dataset(path, inputs, checked, problems)


def _list_inputs(path: Path, store: snapshot.Store | None, memo: DigestMemo | None) -> Inputs:
    """Every file of the dataset with its content hash, the hashes remembered for next time."""
    inputs = read_inputs(path, memo)
    if store is not None and inputs.hashed:
        store.write_digests(inputs.memo)
    return inputs


# The last check's state of the last dataset checked in this process (the dashboard's),
# so that a re-check after an edit does not even read the state back from the cache.
_LAST_STATE: dict[Path, incremental.CheckState] = {}
# Guards the shared state above and the cache's files while they are updated: held for
# that short update only, never while a check runs (see ``_check``).
_UPDATING = threading.Lock()


def _check(
    path: Path, inputs: Inputs, store: snapshot.Store | None
) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Check the inputs, re-reading only what changed since the previous check, and
    hand the result to the cache: the state always, the tables when they are valid."""
    # No lock while checking: ``incremental.check`` never changes the previous state it
    # is given (it builds a new one), and its memos (the prepared archives, the hints
    # of missing quotes) hold for a key what any check would compute for it, so two
    # checks at once at worst do some work twice. Viewers of a dashboard may trigger
    # checks at the same time; only the shared state is updated one at a time, and any
    # state checked from these files is a right ``previous`` for the next check.
    state = incremental.check(inputs, _previous_state(path, store))
    checked = state.dataset_tables()
    if store is not None:
        with _UPDATING:
            _LAST_STATE.clear()
            _LAST_STATE[path.resolve()] = state
            if not state.problems:
                store.write_tables(inputs.key, checked)  # written aside, renamed into place
            store.write_state(state)
    return checked, state.problems


def _previous_state(path: Path, store: snapshot.Store | None) -> incremental.CheckState | None:
    """The state of the last check of this dataset: from memory, else from the cache
    (and then remembered: a process that only checks drafts reads it once)."""
    if store is None:
        return None
    with _UPDATING:
        remembered = _LAST_STATE.get(path.resolve())
    if remembered is not None:
        return remembered
    stored = store.read_state()
    if stored is not None:
        with _UPDATING:
            if not _LAST_STATE:
                _LAST_STATE[path.resolve()] = stored
    return stored


def _dataset(
    path: Path, inputs: Inputs, found: dict[str, pd.DataFrame], problems: list[Problem]
) -> Dataset:
    """The one place a ``Dataset`` is made, from a check's tables or a snapshot's."""
    return Dataset(
        path=path,
        **{name: found[name] for name in DATASET_TABLES},
        problems=_in_file_order(problems, inputs),
        archive_texts=incremental.archive_texts(found["sources"], inputs),
        key=inputs.key,
    )


def _in_file_order(problems: list[Problem], inputs: Inputs) -> list[Problem]:
    """Problems in file order, then by line and code, each naming its file as a person
    types it (a check names files relative to the data folder)."""
    order = inputs.file_order()
    ordered = sorted(problems, key=lambda p: (order.get(p.file, 0), p.line or 0, p.code))
    typed = {p.file: display_path(inputs.folder / p.file) for p in ordered}
    return [replace(p, file=typed[p.file]) for p in ordered]


def check_with_added(
    path: Path | str, yaml_files: dict[str, bytes], archives: dict[str, bytes]
) -> list[Problem]:
    """The problems of the dataset at ``path`` as if these files were added to it.

    ``yaml_files`` maps names relative to the data folder (``indicators/x.yaml``) to
    their bytes, ``archives`` names inside ``sources/`` to theirs; a name that exists
    replaces that file. Nothing is written, neither to the data folder nor to the cache:
    a draft is checked against the data without becoming part of it. The previous
    check's state is reused, so only the added files are read and checked again.
    Problems name files relative to the data folder.
    """
    path = Path(path)
    store = snapshot.open_store(path, [])
    inputs = read_inputs(path, store.read_digests() if store else None)
    added = _with_added(inputs, yaml_files, archives)
    new_archives = {item.digest for item in added.archives.values()} - {
        item.digest for item in inputs.archives.values()
    }
    # Without a lock: the previous state is only read (see ``_check``), so a curator's
    # check never waits for another's, nor makes a reader of the data wait.
    state = incremental.check(added, _previous_state(path, store))
    # A draft's article is prepared for its quotes again on the next check (a few
    # milliseconds per megabyte): kept, every article ever drafted would stay in memory.
    across_files.forget_prepared(new_archives)
    order = added.file_order()
    return sorted(state.problems, key=lambda p: (order.get(p.file, 0), p.line or 0, p.code))


def _added_file(inputs: Inputs, name: str, raw: bytes) -> InputFile:
    return InputFile(
        name,
        inputs.folder / name,
        hashlib.sha256(raw).hexdigest(),
        data_folder=inputs.data_folder,
        relative=name,
        _raw=raw,
    )


def _with_added(inputs: Inputs, yaml_files: dict[str, bytes], archives: dict[str, bytes]) -> Inputs:
    """The inputs with more files in them, in the order a listing would give."""
    main, *split = inputs.yaml_files
    kept = {item.name: item for item in split}
    kept |= {name: _added_file(inputs, name, raw) for name, raw in yaml_files.items()}
    found = dict(inputs.archives)
    for name, raw in archives.items():
        found[name] = _added_file(inputs, f"{SOURCES_DIR_NAME}/{name}", raw)
    return replace(
        inputs,
        yaml_files=(main, *(kept[name] for name in sorted(kept))),
        archives=found,
    )
