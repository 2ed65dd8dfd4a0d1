"""The state of a check as bytes that hold data only, verified before they are used.

A state file is ``MAGIC``, the header's length (8 bytes) and SHA-256 (32 bytes), the
header (JSON), then the tables one after another, each as an Arrow IPC file. The header
holds what the state is bound to (the checking code and the dataset's main file), the
files' content hashes, the row counts and problems, and for each table its length and
SHA-256, so the one digest of the header vouches for every byte. The tables come back
as Arrow columns in place, not parsed, which is why a re-check that reads this is fast;
nothing here can run code, as a pickle could.

``decode`` raises ``Damaged`` for bytes that fail their digest or cannot be read, and
returns None for a state of other code (after an update: not damage, only stale).
"""

from __future__ import annotations

import hashlib
import json
import numbers
import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

import pandas as pd
import pyarrow as pa

from metrics.model.problems import CODES, Problem
from metrics.model.schema import TABLES
from metrics.pipeline.incremental import CheckState
from metrics.pipeline.per_file import KEY_COLUMNS

MAGIC = b"governance-metrics check state v1\n"
_HEAD = len(MAGIC) + 8 + 32
# The tables of a state's ``frames``, and those beside them.
_FRAMES = {*TABLES, *KEY_COLUMNS}
_RESULTS = ("relation_results", "derived", "observations")
# Not compressed: a table is read in place, its columns views of the very bytes that
# were verified, as a pickle's were. Compressed (lz4, zstd) the file is a quarter to a
# tenth of the size, but unpacking it made a re-check at 100,000 observations slower.
_WRITE_OPTIONS = pa.ipc.IpcWriteOptions(compression=None)
# Hashing releases the interpreter lock: tables are verified side by side.
_HASHERS = ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1))


class Damaged(Exception):
    """A cache entry that may not be used: ``digest`` when its bytes are not those
    written (they failed their digest), else it could not be read."""

    def __init__(self, why: str, digest: bool = False) -> None:
        super().__init__(why)
        self.digest = digest


def _ipc(frame: pd.DataFrame) -> pa.Buffer:
    """The frame as an Arrow IPC file, index and dtypes kept (pandas' metadata)."""
    # One piece per column, as a pickle kept them: rows spliced in by re-checks would
    # else come back as ever more chunks, which slow every later operation on them.
    table = pa.Table.from_pandas(frame, preserve_index=None).combine_chunks()
    sink = pa.BufferOutputStream()
    with pa.ipc.new_file(sink, table.schema, options=_WRITE_OPTIONS) as writer:
        writer.write_table(table)
    return sink.getvalue()


def _sha256(chunk: Any) -> str:
    return hashlib.sha256(chunk).hexdigest()


def _plain(value: Any) -> Any:
    """A problem's parameter as JSON keeps it. Messages only put parameters into text,
    so a value of another kind is kept as its text, which is all a message shows."""
    if value is None or type(value) in (str, int, float, bool):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    return str(value)


def _problem_row(problem: Problem) -> list[Any]:
    params = {str(name): _plain(value) for name, value in problem.params.items()}
    return [problem.code, problem.line, problem.file, params]


def _problem(row: Any) -> Problem:
    code, line, file, params = row
    if code not in CODES or not isinstance(file, str) or not isinstance(params, dict):
        raise Damaged("a problem of an unknown kind")
    if line is not None and type(line) is not int:
        raise Damaged("a problem with a line that is not a number")
    return Problem(code, line, file, params)


def _tables(state: CheckState) -> Iterator[tuple[str, str, pd.DataFrame]]:
    """Every table of the state as (group, name, frame); the observations without
    repeats are usually the observations themselves, and then kept once."""
    for name, frame in state.frames.items():
        yield "frames", name, frame
    for name in _RESULTS:
        frame = getattr(state, name)
        if not (name == "observations" and frame is state.frames.get("observations")):
            yield "results", name, frame


def encode(state: CheckState, bound: dict[str, str]) -> list[Any]:
    """The state as chunks of bytes to write one after another; ``bound`` names what it
    belongs to (checked by ``decode``)."""
    blobs = [(group, name, _ipc(frame)) for group, name, frame in _tables(state)]
    # Hashed here, not side by side: the cache is often written while Python exits,
    # when no new thread may start.
    digests = [_sha256(blob) for _, _, blob in blobs]
    header = {
        **bound,
        "digests": state.digests,
        "counts": state.counts,
        "file_problems": {
            file: [_problem_row(p) for p in found] for file, found in state.file_problems.items()
        },
        "problems": [_problem_row(p) for p in state.problems],
        "tables": [
            [group, name, blob.size, digest]
            for (group, name, blob), digest in zip(blobs, digests, strict=True)
        ],
    }
    text = json.dumps(header, ensure_ascii=False, allow_nan=True).encode()
    head = MAGIC + len(text).to_bytes(8, "big") + hashlib.sha256(text).digest()
    return [head, text, *(blob for _, _, blob in blobs)]


def _header(raw: bytes, bound: dict[str, str]) -> tuple[dict[str, Any], int] | None:
    """The verified header and where the tables start; None for a state of other code."""
    if not raw.startswith(MAGIC) or len(raw) < _HEAD:
        raise Damaged("not a check state")
    size = int.from_bytes(raw[len(MAGIC) : len(MAGIC) + 8], "big")
    text = raw[_HEAD : _HEAD + size]
    if len(text) != size or hashlib.sha256(text).digest() != raw[_HEAD - 32 : _HEAD]:
        raise Damaged("header", digest=True)
    try:
        header = json.loads(text)
    except ValueError as error:
        raise Damaged(f"header: {error}") from None
    if not isinstance(header, dict):
        raise Damaged("header is not a mapping")
    if header.get("code") != bound.get("code"):
        return None
    if any(header.get(name) != value for name, value in bound.items()):
        raise Damaged("written for other data")
    return header, _HEAD + size


def _places(listed: list[Any], start: int, end: int) -> list[tuple[str, str, int, int, str]]:
    """(group, name, start, end, digest) of every table the header lists."""
    places = []
    for group, name, size, digest in listed:
        places.append((group, name, start, start + size, digest))
        start += size
    if start != end:
        raise Damaged("length", digest=True)
    return places


def _table(buffer: pa.Buffer, place: tuple[str, str, int, int, str]) -> pa.Table:
    """One table, read once its bytes match its digest."""
    _, name, start, end, digest = place
    piece = buffer.slice(start, end - start)
    if _sha256(piece) != digest:
        raise Damaged(f"table {name}", digest=True)
    return pa.ipc.open_file(piece).read_all()


def decode(raw: bytes, bound: dict[str, str]) -> CheckState | None:
    """The state written by ``encode`` with the same ``bound``; None for other code.

    Raises ``Damaged`` when the bytes fail their digest or cannot be read."""
    read = _header(raw, bound)
    if read is None:
        return None
    header, start = read
    try:
        places = _places(header["tables"], start, len(raw))
        buffer = pa.py_buffer(raw)
        tables = _HASHERS.map(partial(_table, buffer), places)
        groups: dict[str, dict[str, pd.DataFrame]] = {"frames": {}, "results": {}}
        for (group, name, *_), table in zip(places, tables, strict=True):
            groups[group][name] = table.to_pandas()
        if set(groups["frames"]) != _FRAMES:
            raise Damaged("tables missing or unknown")
        results = groups["results"]
        results.setdefault("observations", groups["frames"]["observations"])
        return CheckState(
            digests=dict(header["digests"]),
            frames=groups["frames"],
            counts={name: dict(found) for name, found in header["counts"].items()},
            file_problems={
                file: [_problem(row) for row in rows]
                for file, rows in header["file_problems"].items()
            },
            relation_results=results["relation_results"],
            derived=results["derived"],
            observations=results["observations"],
            problems=[_problem(row) for row in header["problems"]],
        )
    except Damaged:
        raise
    except Exception as error:  # anything else wrong in bytes we wrote: not usable
        raise Damaged(f"{type(error).__name__}: {error}") from None
