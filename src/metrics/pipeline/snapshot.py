"""The compiled snapshot: checked tables kept as Parquet, keyed by content hashes.

After a check without problems the tables are written under
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
from typing import TYPE_CHECKING

import pandas as pd

from metrics.pipeline.incremental import CheckState, archive_texts
from metrics.pipeline.inputs import CODE_DIGEST, DigestMemo, Inputs

if TYPE_CHECKING:
    from metrics.model.dataset import Dataset

CACHE_ENV = "METRICS_CACHE_DIR"
# Tables of a snapshot: one Parquet file each.
SNAPSHOT_TABLES = (
    "sources", "regions", "indicators", "observations", "practices", "relations",
    "relation_results", "set_aside", "derived",
)  # fmt: skip
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
        return cls(cache_root(), path.resolve())

    @property
    def _state_file(self) -> Path:
        name = hashlib.sha256(str(self.data_path).encode()).hexdigest()[:24]
        return self.root / "state" / f"{name}.pickle"

    def _snapshot_dir(self, key: str) -> Path:
        return self.root / "snapshots" / key

    def _read_tables(self, key: str) -> dict[str, pd.DataFrame] | None:
        folder = self._snapshot_dir(key)
        if not (folder / "complete").exists():
            return None
        try:
            return {name: pd.read_parquet(folder / f"{name}.parquet") for name in SNAPSHOT_TABLES}
        except (OSError, ValueError):
            return None  # damaged or half-deleted: check again

    def read_dataset(self, inputs: Inputs) -> Dataset | None:
        """The checked dataset of exactly these inputs, if a snapshot of it exists."""
        from metrics.model.dataset import Dataset  # the dataset module uses this one

        frames = self._read_tables(inputs.key)
        if frames is None:
            return None
        return Dataset(
            path=self.data_path,
            sources=frames["sources"],
            regions=frames["regions"],
            indicators=frames["indicators"],
            observations=frames["observations"],
            practices=frames["practices"],
            relations=frames["relations"],
            relation_results=frames["relation_results"],
            set_aside=frames["set_aside"],
            problems=[],
            archive_texts=archive_texts(frames["sources"], inputs),
            derived=frames["derived"],
        )

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

    def write(self, inputs: Inputs, dataset: Dataset, state: CheckState) -> None:
        """Keep the state for the next check, and a snapshot when the data is valid.

        Written by one background thread, in order, so that the result of a check is
        shown (printed, drawn) without waiting for the cache; the process still ends
        only after the writing (``wait_for_writes``)."""
        _WRITER.submit(self._write, inputs.key, dataset, state, dataset.ok)

    def _write(self, key: str, dataset: Dataset, state: CheckState, ok: bool) -> None:
        try:
            if ok:
                self._write_snapshot(key, dataset)
            # The state holds the tables too: pickled Arrow columns read back faster
            # than Parquet, and a re-check waits for this read.
            self._write_state(state)
        except OSError:
            pass  # a read-only or full cache only costs speed

    def _write_state(self, state: CheckState) -> None:
        self._state_file.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=self._state_file.parent, delete=False) as handle:
            pickle.dump((CODE_DIGEST, state), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, self._state_file)

    def _write_snapshot(self, key: str, dataset: Dataset) -> None:
        final = self._snapshot_dir(key)
        if (final / "complete").exists():
            return
        final.parent.mkdir(parents=True, exist_ok=True)
        # Written aside and renamed into place, so a reader never sees half a snapshot.
        staging = Path(tempfile.mkdtemp(dir=final.parent, prefix=".writing-"))
        for name in SNAPSHOT_TABLES:
            getattr(dataset, name).to_parquet(staging / f"{name}.parquet", index=False)
        (staging / "complete").touch()
        try:
            staging.rename(final)
        except OSError:
            shutil.rmtree(staging, ignore_errors=True)  # another process wrote it first
        self._prune(final.parent)

    def _prune(self, folder: Path) -> None:
        snapshots = sorted(
            (p for p in folder.iterdir() if not p.name.startswith(".")),
            key=lambda p: p.stat().st_mtime,
            reverse=True,
        )
        for old in snapshots[KEEP_SNAPSHOTS:]:
            shutil.rmtree(old, ignore_errors=True)


# One thread writes every cache file, in the order the checks finished. Python waits
# for it before the process exits.
_WRITER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="metrics-cache")


def wait_for_writes() -> None:
    """Return once everything handed to the cache so far is written."""
    _WRITER.submit(lambda: None).result()
