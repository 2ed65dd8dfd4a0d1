"""Finding the files of a dataset and what their contents hash to.

A dataset is ``indicators.yaml``, optionally more YAML files in the folder of the same
name beside it (``indicators/*.yaml``, any depth, so that curators can keep one file per
article and not collide), and the archived articles in ``sources/``. Every cache is
keyed by content hashes of these bytes, never by dates or sizes.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SOURCES_DIR_NAME = "sources"
# Bumped when the checks or the tables change in a way the code hash cannot see.
FORMAT_VERSION = "1"


class InputsChanged(Exception):
    """A file changed between being listed and being read; read the inputs again."""


@dataclass
class InputFile:
    """One file's name (relative to the data folder), path and content hash.

    The bytes are read on first use only: a file whose hash is known from an earlier
    run (same size, time and inode) is not read at all unless its content is needed.
    """

    name: str
    path: Path
    digest: str
    error: str | None = None  # why it cannot be read ("missing", or the system's words)
    _raw: bytes | None = field(default=None, repr=False, compare=False)

    def read(self) -> bytes | None:
        """The file's bytes (None when it cannot be read), as hashed."""
        if self.error is not None:
            return None
        if self._raw is None:
            try:
                raw = self.path.read_bytes()
            except OSError as error:
                raise InputsChanged(self.name) from error
            if hashlib.sha256(raw).hexdigest() != self.digest:
                raise InputsChanged(self.name)
            self._raw = raw
        return self._raw


# name -> (size, modification time in ns, inode, content hash), and when it was written.
DigestMemo = dict[str, Any]
# A hash is reused only for files last changed this long before the memo was written:
# a file saved in the same instant as the memo might not show a new time (as git does).
_SETTLED_NS = 2_000_000_000


@dataclass(frozen=True)
class Inputs:
    """Every file a check reads, and one key for all of their contents."""

    folder: Path
    yaml_files: tuple[InputFile, ...]
    archives: dict[str, InputFile]
    key: str
    # Hashes to remember for the next run, and how many files had to be read for them.
    memo: DigestMemo = field(default_factory=dict)
    hashed: int = 0

    def file_order(self) -> dict[str, int]:
        """Position of each YAML file: the main file first, then by name."""
        return {item.name: number for number, item in enumerate(self.yaml_files)}


def split_folder(path: Path) -> Path:
    """The folder beside ``indicators.yaml`` that holds more of its entries."""
    return path.with_suffix("")


def _input(path: Path, name: str, memo: DigestMemo, seen: DigestMemo) -> InputFile:
    """The file's hash: remembered when nothing about the file changed, else read."""
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return InputFile(name, path, "missing", "missing")
    except OSError as error:
        return InputFile(name, path, "unreadable", error.strerror or str(error))
    known = memo.get("files", {}).get(name)
    stamp = [stat.st_size, stat.st_mtime_ns, stat.st_ino]
    settled = stat.st_mtime_ns < memo.get("written_ns", 0) - _SETTLED_NS
    if known and known[:3] == stamp and settled:
        seen[name] = known
        return InputFile(name, path, known[3])
    try:
        raw = path.read_bytes()
    except OSError as error:
        return InputFile(name, path, "unreadable", error.strerror or str(error))
    digest = hashlib.sha256(raw).hexdigest()
    seen[name] = [*stamp, digest]
    return InputFile(name, path, digest, _raw=raw)


def _relative_files(folder: Path, suffixes: tuple[str, ...] | None = None) -> list[str]:
    """Every file below ``folder`` (with one of ``suffixes``), as sorted relative paths.

    Plain strings, not ``Path`` objects: a start lists a thousand files or more, and
    making, comparing and relativising paths took longer than statting the files."""
    found = []
    prefix = len(str(folder)) + 1
    for root, _, names in os.walk(folder):
        relative = root[prefix:].replace(os.sep, "/")
        found += [
            f"{relative}/{name}" if relative else name
            for name in names
            if suffixes is None or name.endswith(suffixes)
        ]
    return sorted(found)


def yaml_paths(path: Path) -> list[Path]:
    """The main file, then every YAML file under the split folder, sorted by path."""
    folder = split_folder(path)
    return [path, *(folder / name for name in _relative_files(folder, (".yaml", ".yml")))]


def archive_paths(path: Path) -> list[Path]:
    """Every file under ``sources/`` beside the main file, sorted by path."""
    sources = path.parent / SOURCES_DIR_NAME
    return [sources / name for name in _relative_files(sources)]


def _code_digest() -> str:
    """Hash of the data layer's code (``src/metrics``), so that a snapshot from older
    code is never reused. The dashboard's code is not part of it: a new label or chart
    colour keeps every snapshot."""
    digest = hashlib.sha256(FORMAT_VERSION.encode())
    package = Path(__file__).resolve().parents[1]
    for source in sorted(package.rglob("*.py")):
        digest.update(source.relative_to(package).as_posix().encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()


CODE_DIGEST = _code_digest()


def read_inputs(path: Path, memo: DigestMemo | None = None) -> Inputs:
    """Hash every file of the dataset whose main file is ``path``.

    ``memo`` holds the hashes of an earlier run: files whose size, modification time
    and inode are unchanged since are not read again."""
    folder, memo, seen = path.parent, memo or {}, {}
    split = split_folder(path)
    yaml_files = (
        _input(path, path.name, memo, seen),
        *(
            _input(split / name, f"{split.name}/{name}", memo, seen)
            for name in _relative_files(split, (".yaml", ".yml"))
        ),
    )
    sources = folder / SOURCES_DIR_NAME
    archives = {
        name: _input(sources / name, f"{SOURCES_DIR_NAME}/{name}", memo, seen)
        for name in _relative_files(sources)
    }
    key = hashlib.sha256(CODE_DIGEST.encode())
    for kind, items in (("yaml", yaml_files), ("archive", archives.values())):
        for item in items:
            key.update(f"{kind}\0{item.name}\0{item.digest}\n".encode())
    hashed = sum(1 for item in (*yaml_files, *archives.values()) if item._raw is not None)
    return Inputs(folder, yaml_files, archives, key.hexdigest(), {"files": seen}, hashed)
