"""Memory a server has freed goes back to the system.

A workbench's draft of a megabyte article allocates and frees tens of megabytes (the
draft's tables, its file, the messages to the browser). Freed, they stayed with the
process: glibc keeps freed memory in one heap per thread that allocated it (Streamlit
runs every page in a thread of its own) and lets a heap shrink only from its top, and
Arrow, which holds pandas' text columns, keeps its own allocator's (mimalloc) cache. Six
curators drafting 150 KB articles left the server 40 to 60 MB larger after their
sessions had ended; tuned as below, 10 to 20 MB (bench/WORKBENCH_LOAD.md).

``tune`` is called by ``uv run dashboard`` before anything is loaded: Arrow allocates
with the system's allocator, glibc keeps two heaps (not eight per core) and gives every
block of 128 KiB or more its own mapping, returned to the system when freed.
``give_back`` hands back what the heaps hold free (after sessions end, after a job of
the workbench's worker).
"""

from __future__ import annotations

import contextlib
import ctypes
import os

# glibc's mallopt parameters (malloc.h).
_M_MMAP_THRESHOLD = -3
_M_ARENA_MAX = -8
# Blocks at least this large get a mapping of their own (and are returned when freed).
MMAP_THRESHOLD = 128 * 1024
# Heaps for all threads together.
ARENAS = 2
# What a process started by the server inherits to allocate the same way.
ENVIRONMENT = {
    "ARROW_DEFAULT_MEMORY_POOL": "system",
    "MALLOC_ARENA_MAX": str(ARENAS),
    "MALLOC_MMAP_THRESHOLD_": str(MMAP_THRESHOLD),
}


def _libc() -> ctypes.CDLL | None:
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt  # noqa: B018 - glibc, not another C library
        return libc
    except (OSError, AttributeError):
        return None


def tune() -> None:
    """Allocate so that freed memory can go back (before pyarrow's first allocation)."""
    os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
    libc = _libc()
    if libc is not None:
        libc.mallopt(_M_ARENA_MAX, ARENAS)
        libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)


def give_back() -> None:
    """Return the free memory of the heaps to the system (glibc; elsewhere nothing)."""
    libc = _libc()
    if libc is not None:
        with contextlib.suppress(OSError):
            libc.malloc_trim(0)
