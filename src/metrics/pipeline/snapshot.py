"""The compiled snapshot: checked tables kept as Parquet, keyed by content hashes.

The store keeps tables, nothing else: after a check without problems, ``load`` hands
it every table of the dataset (``tables.DATASET_TABLES``) to write under
``<cache>/snapshots/<key>/``, where the key hashes the checking code and the bytes of
every YAML file and archive (``inputs.read_inputs``). Loading the same data again
(a dashboard start, ``metrics export``) reads those tables instead of parsing YAML.
Beside the snapshots, ``state/`` keeps per dataset the last check's state (Arrow IPC
and JSON, ``cache.statefile``), so that the next check re-reads only the files that changed,
and the files' content hashes (JSON), so that a start need not read every file.

Nothing in the cache is trusted as it lies. A snapshot's manifest binds its key to the
SHA-256 of each of its files; a state carries the digest of its header, which lists the
digest of each table and names the checking code and the dataset; the remembered
hashes carry a digest of their own. Each is verified before use, read from the bytes
that were verified; whatever fails is deleted and made again from the data files, with
a note (``Store.notes``, printed by the ``metrics`` command). These digests catch damage
and edits that do not recompute them; what keeps other users out is the folder itself
(``cache.folder``: private, or not used at all).

The cache lives outside ``data/`` (``$METRICS_CACHE_DIR``, else
``$XDG_CACHE_HOME/governance-metrics``, else ``~/.cache/governance-metrics``) and is
safe to delete at any time. When it cannot be written, checks work as before, only
without reuse.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from metrics.model.tables import DATASET_TABLES
from metrics.pipeline.cache import folder as cache_folder
from metrics.pipeline.cache import statefile
from metrics.pipeline.cache.folder import CACHE_ENV, cache_root
from metrics.pipeline.incremental import CheckState
from metrics.pipeline.inputs import CODE_DIGEST, DigestMemo

__all__ = ["CACHE_ENV", "KEEP_SNAPSHOTS", "SNAPSHOT_TABLES", "Store", "cache_root", "open_store"]

# Tables of a snapshot: one Parquet file each.
SNAPSHOT_TABLES = tuple(DATASET_TABLES)
# Snapshots of other datasets and older versions are kept, up to this many.
KEEP_SNAPSHOTS = 8
# The last file written into a snapshot: the key and the SHA-256 of every table file.
MANIFEST = "manifest.json"

# What the ``metrics`` command says when part of the cache is not used.
NOTE_DIGEST = "cache: {what} failed its digest check; discarded, {instead}"
NOTE_UNREADABLE = "cache: {what} could not be read ({why}); discarded, {instead}"
NOTE_NOT_USED = (
    "cache: not used: {why}; checked without it "
    "(give it a folder only this user may write to: chmod 700, or set " + CACHE_ENV + ")"
)
_REBUILT = "rebuilt from the data files"


def open_store(path: Path, notes: list[str]) -> Store | None:
    """The cache of the dataset whose main file is ``path``, if its folder may be used;
    else None, with a note in ``notes`` saying why. The store adds its own notes there."""
    why = cache_folder.refusal(cache_root())
    if why is not None:
        notes.append(NOTE_NOT_USED.format(why=why))
        return None
    return Store(cache_root(), path.resolve(), notes)


def _sha256(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


@dataclass(frozen=True)
class Store:
    """The cache of one dataset, named by its main file."""

    root: Path
    data_path: Path
    # What a reader found wrong with the cache (each discarded and made again).
    notes: list[str] = field(default_factory=list, compare=False)

    @classmethod
    def for_data(cls, path: Path) -> Store:
        """The cache of the dataset whose main file is ``path`` (its folder unchecked:
        ``open_store`` checks it)."""
        return cls(cache_root(), path.resolve())

    @property
    def _name(self) -> str:
        return hashlib.sha256(str(self.data_path).encode()).hexdigest()[:24]

    @property
    def _state_file(self) -> Path:
        return self.root / "state" / f"{self._name}.state"

    @property
    def _digests_file(self) -> Path:
        return self.root / "state" / f"{self._name}.digests.json"

    def _snapshot_dir(self, key: str) -> Path:
        return self.root / "snapshots" / key

    def _discard(self, path: Path, what: str, error: Exception, instead: str) -> None:
        """Delete a cache entry that may not be used, and note why."""
        cache_folder.remove(path)
        digest = isinstance(error, statefile.Damaged) and error.digest
        template = NOTE_DIGEST if digest else NOTE_UNREADABLE
        self.notes.append(template.format(what=what, why=error, instead=instead))

    def read_tables(self, key: str) -> dict[str, pd.DataFrame] | None:
        """Every table of the snapshot of ``key``, if a whole one exists and its files
        are those its manifest vouches for."""
        folder = self._snapshot_dir(key)
        try:
            manifest = json.loads((folder / MANIFEST).read_bytes())
            return _verified_tables(manifest, key, folder)
        except FileNotFoundError:
            # None yet, or deleted by another process meanwhile; a folder without its
            # manifest is no snapshot and would stand in the way of the next one.
            cache_folder.remove(folder)
            return None
        except Exception as error:  # anything else: not the tables that were written
            self._discard(folder, f"the snapshot {folder}", error, _REBUILT)
            return None

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
        """One Parquet file per table, and the manifest last, under the key's folder;
        then drop the oldest snapshots."""
        final = self._snapshot_dir(key)
        if (final / MANIFEST).exists():
            return
        # Written aside and renamed into place, so a reader never sees half a snapshot.
        with cache_folder.staged_folder(final.parent) as staging:
            files = {}
            for name in SNAPSHOT_TABLES:
                tables[name].to_parquet(staging / f"{name}.parquet", index=False)
                files[f"{name}.parquet"] = _sha256((staging / f"{name}.parquet").read_bytes())
            manifest = {"key": key, "files": files}
            (staging / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
            with contextlib.suppress(OSError):  # another process wrote it first
                staging.rename(final)
        self._prune(final.parent)

    def _prune(self, folder: Path) -> None:
        """Keep the newest ``KEEP_SNAPSHOTS`` snapshots only."""
        snapshots = sorted(
            (p for p in folder.iterdir() if not p.name.startswith(".")),
            key=lambda p: p.stat().st_mtime,
            reverse=True,
        )
        for old in snapshots[KEEP_SNAPSHOTS:]:
            cache_folder.remove(old)

    def read_digests(self) -> DigestMemo | None:
        """The content hashes of this dataset's files as last computed, if kept intact."""
        try:
            kept = json.loads(self._digests_file.read_bytes())
            memo = kept["memo"]
            if kept["sha256"] != _memo_digest(memo, self.data_path):
                raise statefile.Damaged("digest", digest=True)
        except FileNotFoundError:
            return None
        except (OSError, ValueError, TypeError, KeyError, statefile.Damaged) as error:
            what = f"the record of file hashes {self._digests_file}"
            self._discard(self._digests_file, what, error, "every file read and hashed again")
            return None
        return memo if isinstance(memo, dict) else None

    def write_digests(self, memo: DigestMemo) -> None:
        """Remember the files' hashes (in the background, like every cache write)."""
        _WRITER.submit(self._write_digests, memo)

    def _write_digests(self, memo: DigestMemo) -> None:
        memo = {**memo, "written_ns": time.time_ns()}
        kept = {"memo": memo, "sha256": _memo_digest(memo, self.data_path)}
        with contextlib.suppress(OSError):  # a read-only or full cache only costs speed
            cache_folder.write_file(self._digests_file, [json.dumps(kept).encode()])

    @property
    def _bound(self) -> dict[str, str]:
        """What a state belongs to: the checking code and the dataset."""
        return {"code": CODE_DIGEST, "dataset": str(self.data_path)}

    def read_state(self) -> CheckState | None:
        """The state of the last check of this dataset, if one was kept intact (one of
        other code is passed over: its tables may differ)."""
        try:
            return statefile.decode(self._state_file.read_bytes(), self._bound)
        except FileNotFoundError:
            return None
        except (OSError, statefile.Damaged) as error:
            what = f"the state of the last check {self._state_file}"
            self._discard(self._state_file, what, error, "checked from the data files")
            return None

    def write_state(self, state: CheckState) -> None:
        """Keep the state of a check for the next one (in the background)."""
        _WRITER.submit(self._write_state, state)

    def _write_state(self, state: CheckState) -> None:
        """Write the state now (on the writer thread), replacing the last one at once."""
        with contextlib.suppress(OSError):  # a read-only or full cache only costs speed
            cache_folder.write_file(self._state_file, statefile.encode(state, self._bound))
            # Older versions kept the state as a pickle: never read, now removed.
            self._state_file.with_suffix(".pickle").unlink(missing_ok=True)


def _memo_digest(memo: Any, data_path: Path) -> str:
    """The digest of remembered hashes, bound to their dataset."""
    text = json.dumps([str(data_path), memo], sort_keys=True, separators=(",", ":"))
    return _sha256(text.encode())


def _verified_tables(manifest: Any, key: str, folder: Path) -> dict[str, pd.DataFrame]:
    """The tables of a snapshot, each read from the bytes that match its manifest."""
    files = manifest["files"]
    if manifest["key"] != key:
        raise statefile.Damaged("the manifest names another key", digest=True)
    if set(files) != {f"{name}.parquet" for name in SNAPSHOT_TABLES}:
        raise statefile.Damaged("the manifest lists other tables")
    found = {}
    for name in SNAPSHOT_TABLES:
        raw = (folder / f"{name}.parquet").read_bytes()
        if _sha256(raw) != files[f"{name}.parquet"]:
            raise statefile.Damaged(f"{name}.parquet", digest=True)
        found[name] = pd.read_parquet(pa.BufferReader(raw))
    return found


# One thread writes every cache file, in the order the checks finished. Python waits
# for it before the process exits.
_WRITER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="metrics-cache")


def wait_for_writes() -> None:
    """Return once everything handed to the cache so far is written."""
    _WRITER.submit(lambda: None).result()
