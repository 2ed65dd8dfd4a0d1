"""The compiled snapshot: checked tables kept as Parquet, keyed by content hashes.

The store keeps tables, nothing else: after a check without problems, ``load`` hands
it every table of the dataset (``tables.DATASET_TABLES``) to write under
``<cache>/snapshots/<key>/``, where the key hashes the checking code and the bytes of
every YAML file and archive (``inputs.read_inputs``). Loading the same data again
(a dashboard start, ``metrics export``) reads those tables instead of parsing YAML.
Beside the snapshots, the last check's state per dataset (``state/``) lets the next
check re-read only the files that changed.

The cache lives outside ``data/`` (``$METRICS_CACHE_DIR``, else
``$XDG_CACHE_HOME/governance-metrics``, else ``~/.cache/governance-metrics``) and is
safe to delete at any time. When it cannot be written, checks work as before, only
without reuse.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import shutil
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from metrics.model.tables import DATASET_TABLES
from metrics.pipeline.incremental import CheckState
from metrics.pipeline.inputs import CODE_DIGEST, DigestMemo

CACHE_ENV = "METRICS_CACHE_DIR"
# Tables of a snapshot: one Parquet file each.
SNAPSHOT_TABLES = tuple(DATASET_TABLES)
# Snapshots of other datasets and older versions are kept, up to this many.
KEEP_SNAPSHOTS = 8


def cache_root() -> Path:
    """Where snapshots and check states are kept."""
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "governance-metrics"


@dataclass(frozen=True)
class Store:
    """The cache of one dataset, named by its main file."""

    root: Path
    data_path: Path

    @classmethod
    def for_data(cls, path: Path) -> Store:
        """The cache of the dataset whose main file is ``path``."""
        return cls(cache_root(), path.resolve())

    @property
    def _state_file(self) -> Path:
        name = hashlib.sha256(str(self.data_path).encode()).hexdigest()[:24]
        return self.root / "state" / f"{name}.pickle"

    def _snapshot_dir(self, key: str) -> Path:
        return self.root / "snapshots" / key

    def read_tables(self, key: str) -> dict[str, pd.DataFrame] | None:
        """Every table of the snapshot of ``key``, if a whole one exists."""
        folder = self._snapshot_dir(key)
        if not (folder / "complete").exists():
            return None
        try:
            return {name: pd.read_parquet(folder / f"{name}.parquet") for name in SNAPSHOT_TABLES}
        except (OSError, ValueError):
            return None  # damaged or half-deleted: check again

    def write_tables(self, key: str, tables: dict[str, pd.DataFrame]) -> None:
        """Keep the tables of a valid dataset as the snapshot of ``key``.

        Written by one background thread, in order, like every cache write, so that the
        result of a check is shown (printed, drawn) without waiting for the cache; the
        process still ends only after the writing (``wait_for_writes``)."""
        _WRITER.submit(self._write_tables, key, tables)

    def _write_tables(self, key: str, tables: dict[str, pd.DataFrame]) -> None:
        """Write the snapshot now (on the writer thread)."""
        with contextlib.suppress(OSError):  # a read-only or full cache only costs speed
            self._write_snapshot(key, tables)

    def _write_snapshot(self, key: str, tables: dict[str, pd.DataFrame]) -> None:
        """One Parquet file per table under the key's folder, then drop the oldest."""
        final = self._snapshot_dir(key)
        if (final / "complete").exists():
            return
        final.parent.mkdir(parents=True, exist_ok=True)
        # Written aside and renamed into place, so a reader never sees half a snapshot.
        staging = Path(tempfile.mkdtemp(dir=final.parent, prefix=".writing-"))
        for name in SNAPSHOT_TABLES:
            tables[name].to_parquet(staging / f"{name}.parquet", index=False)
        (staging / "complete").touch()
        try:
            staging.rename(final)
        except OSError:
            shutil.rmtree(staging, ignore_errors=True)  # another process wrote it first
        self._prune(final.parent)

    def _prune(self, folder: Path) -> None:
        """Keep the newest ``KEEP_SNAPSHOTS`` snapshots only."""
        snapshots = sorted(
            (p for p in folder.iterdir() if not p.name.startswith(".")),
            key=lambda p: p.stat().st_mtime,
            reverse=True,
        )
        for old in snapshots[KEEP_SNAPSHOTS:]:
            shutil.rmtree(old, ignore_errors=True)

    @property
    def _digests_file(self) -> Path:
        return self._state_file.with_suffix(".digests.json")

    def read_digests(self) -> DigestMemo | None:
        """The content hashes of this dataset's files as last computed, if kept."""
        try:
            memo = json.loads(self._digests_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return memo if isinstance(memo, dict) else None

    def write_digests(self, memo: DigestMemo) -> None:
        """Remember the files' hashes (in the background, like every cache write)."""
        _WRITER.submit(self._write_digests, memo)

    def _write_digests(self, memo: DigestMemo) -> None:
        try:
            self._digests_file.parent.mkdir(parents=True, exist_ok=True)
            text = json.dumps({**memo, "written_ns": time.time_ns()})
            with tempfile.NamedTemporaryFile(
                "w", dir=self._digests_file.parent, delete=False, encoding="utf-8"
            ) as handle:
                handle.write(text)
            os.replace(handle.name, self._digests_file)
        except OSError:
            pass  # a read-only or full cache only costs speed

    def read_state(self) -> CheckState | None:
        """The state of the last check of this dataset, if any could be kept."""
        try:
            with self._state_file.open("rb") as handle:
                code, state = pickle.load(handle)
        except Exception:
            return None
        if code != CODE_DIGEST or not isinstance(state, CheckState):
            return None  # written by other code: its tables may differ
        return state

    def write_state(self, state: CheckState) -> None:
        """Keep the state of a check for the next one (in the background).

        The state holds the tables too: pickled Arrow columns read back faster than
        Parquet, and a re-check waits for this read."""
        _WRITER.submit(self._write_state, state)

    def _write_state(self, state: CheckState) -> None:
        """Write the state now (on the writer thread), replacing the last one at once."""
        try:
            self._state_file.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=self._state_file.parent, delete=False) as handle:
                pickle.dump((CODE_DIGEST, state), handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(handle.name, self._state_file)
        except OSError:
            pass  # a read-only or full cache only costs speed


# One thread writes every cache file, in the order the checks finished. Python waits
# for it before the process exits.
_WRITER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="metrics-cache")


def wait_for_writes() -> None:
    """Return once everything handed to the cache so far is written."""
    _WRITER.submit(lambda: None).result()
