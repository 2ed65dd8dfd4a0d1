"""Knowing when the data changed, and keeping the last data that passed the check.

The dashboard reloads the data when the YAML or an archive changes, and when a save
breaks the file it keeps showing the last valid data beside the new problems.
"""

from __future__ import annotations

import stat
import threading
from dataclasses import dataclass, field
from pathlib import Path

from metrics.model.dataset import Dataset
from metrics.model.problems import Problem
from metrics.pipeline.inputs import archive_paths, yaml_paths

# Per YAML file and archive: its name, what the name itself is (kind and inode, so that
# a file swapped for a link is noticed) and the modification time and size of what it
# leads to.
Fingerprint = tuple[tuple[str, int, int, int, int], ...]


def _stamp(path: Path) -> tuple[str, int, int, int, int]:
    """Status calls only: nothing is opened, so a named pipe cannot hold a rerun."""
    try:
        own = path.lstat()
        target = path.stat() if stat.S_ISLNK(own.st_mode) else own
    except OSError:
        return (path.name, -1, -1, -1, -1)  # a missing file is a state of its own
    return (path.name, own.st_mode, own.st_ino, target.st_mtime_ns, target.st_size)


def data_fingerprint(path: Path) -> Fingerprint:
    """What changes whenever a YAML file or an archive is saved, added or removed.

    Only ``stat`` calls, so it is cheap enough to compute on every rerun.
    """
    return (*(_stamp(p) for p in yaml_paths(path)), *(_stamp(p) for p in archive_paths(path)))


@dataclass(frozen=True)
class Shown:
    """The data the pages show, and the problems of the file as it is now."""

    dataset: Dataset
    problems: list[Problem]
    # True when ``dataset`` is an earlier valid version, not the file as it is now.
    stale: bool


@dataclass
class LastGood:
    """Remembers the last dataset without problems, shared by every viewer."""

    _dataset: Dataset | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def offer(self, current: Dataset) -> Shown:
        """What to show given the data as loaded now."""
        with self._lock:
            if current.ok:
                self._dataset = current
                return Shown(current, [], stale=False)
            if self._dataset is None:
                # Never valid since the server started: show what could be read.
                return Shown(current, current.problems, stale=False)
            return Shown(self._dataset, current.problems, stale=True)
