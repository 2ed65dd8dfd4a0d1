"""The cache folder on disk: whether it may be used, and how files get into it.

The cache holds data only (Parquet, Arrow IPC, JSON): nothing in it is ever run. What
it holds is trusted only when the folder is the user's own: the root is created private
(0700), and a root that belongs to another user, or that group or others may write to,
is not used at all (``refusal``); the check then runs without the cache.

Every file and folder is written aside under a ``.writing-`` name, locked by its writer
while it writes, and renamed into place, so a reader never sees half of one. A writer
that dies (an interrupted check) leaves its staging name behind: the next write in the
same folder removes those older than ``STALE_SECONDS`` that no live writer holds.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # not on Windows: staging names are then judged by their age alone
    fcntl = None  # type: ignore[assignment]

CACHE_ENV = "METRICS_CACHE_DIR"
STAGING_PREFIX = ".writing-"
# A writer takes seconds; a staging name untouched this long was left by a dead one
# (its lock tells for sure where the system has locks).
STALE_SECONDS = 300
# Group and others may not write: they could plant tables the dashboard would show.
_WRITABLE_BY_OTHERS = stat.S_IWGRP | stat.S_IWOTH


def cache_root() -> Path:
    """Where snapshots and check states are kept."""
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "governance-metrics"


def _words(error: OSError) -> str:
    return error.strerror or str(error)


def refusal(root: Path) -> str | None:
    """Why the cache folder ``root`` may not be used; None when it may.

    A missing root is created private (0700; the folders above it as the system makes
    them). An existing one is used only when it is a folder of this user that neither
    group nor others may write to; it is not changed. Each folder above it must belong
    to this user or to root, and may be writable by others only with the sticky bit (as
    /tmp): else someone else could put a folder of their own in its place."""
    try:
        root.mkdir(mode=0o700, parents=True)
    except FileExistsError:
        pass
    except OSError as error:
        return f"cannot create {root} ({_words(error)})"
    if not hasattr(os, "geteuid"):  # no owners to compare (Windows)
        return None
    real = Path(os.path.realpath(root))
    why = _unsafe(root, real, os.geteuid(), above=False)
    for folder in real.parents:
        why = why or _unsafe(folder, folder, os.geteuid(), above=True)
    return why


def _unsafe(named: Path, real: Path, user: int, above: bool) -> str | None:
    """Why others could change what the folder ``real`` holds (None: they cannot)."""
    try:
        info = real.stat()
    except OSError as error:
        return f"cannot look at {named} ({_words(error)})"
    where = f"{named}, which holds it," if above else str(named)
    if not stat.S_ISDIR(info.st_mode):
        return f"{where} is not a folder"
    if info.st_uid != user and not (above and info.st_uid == 0):
        return f"{where} belongs to another user (uid {info.st_uid})"
    if info.st_mode & _WRITABLE_BY_OTHERS and not (above and info.st_mode & stat.S_ISVTX):
        return f"{where} may be written by group or others (mode {stat.S_IMODE(info.st_mode):o})"
    return None


def private_folder(path: Path) -> None:
    """Make ``path`` (a folder inside the cache) if missing, readable by its owner only."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)


def _lock(descriptor: int) -> None:
    """Hold the writer's lock on an open staging file or folder until it is closed."""
    if fcntl is not None:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)


@contextmanager
def staged_folder(parent: Path) -> Iterator[Path]:
    """A new folder under ``parent`` to fill and rename into place, locked meanwhile.

    Whatever is left of it afterwards (the rename failed, the writing did) is removed;
    leftovers of dead writers in ``parent`` are removed first."""
    private_folder(parent)
    prune_staging(parent)
    path = Path(tempfile.mkdtemp(dir=parent, prefix=STAGING_PREFIX))
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except OSError:  # a system that cannot open folders: judged by its age alone
        descriptor = None
    try:
        if descriptor is not None:
            _lock(descriptor)
        yield path
    finally:
        if path.exists():
            shutil.rmtree(path, ignore_errors=True)
        if descriptor is not None:
            os.close(descriptor)


def write_file(target: Path, chunks: Iterable[bytes | memoryview]) -> None:
    """Write ``chunks`` as the file ``target``, which readers see whole or not at all.

    Leftovers of dead writers beside ``target`` are removed first."""
    private_folder(target.parent)
    prune_staging(target.parent)
    descriptor, name = tempfile.mkstemp(dir=target.parent, prefix=STAGING_PREFIX)
    try:
        _lock(descriptor)
        with open(descriptor, "wb", closefd=False) as handle:
            for chunk in chunks:
                handle.write(chunk)
        os.replace(name, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)
        os.close(descriptor)


def _held(path: str) -> bool:
    """Whether a live writer holds the lock of the staging file or folder ``path``."""
    if fcntl is None:
        return False
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return False  # gone, or a link: nobody writes through it
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(descriptor)  # also lets go of the lock just taken
    return False


def prune_staging(folder: Path) -> None:
    """Remove the staging files and folders of dead writers in ``folder``: those older
    than ``STALE_SECONDS`` whose lock no live writer holds. Two processes may write at
    once: a young or locked staging name belongs to a writer that is still at work."""
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if not entry.name.startswith(STAGING_PREFIX):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if now - info.st_mtime < STALE_SECONDS or _held(entry.path):
            continue
        if stat.S_ISDIR(info.st_mode):
            shutil.rmtree(entry.path, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)


def remove(path: Path) -> None:
    """Delete a cache file or folder that failed its check (a link: the link only)."""
    with contextlib.suppress(OSError):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
