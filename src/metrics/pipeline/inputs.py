"""Finding the files of a dataset and what their contents hash to.

A dataset is ``indicators.yaml``, optionally more YAML files in the folder of the same
name beside it (``indicators/*.yaml``, any depth, so that curators can keep one file per
article and not collide), and the archived articles in ``sources/``. Every cache is
keyed by content hashes of these bytes. A file's size, modification time and inode only
decide whether its hash remembered from the last run may be reused instead of reading
the file again (``_input``); they never stand in for the hash in a key.

Every one of these files must be a regular file whose real path lies inside the data
folder, the real path of the main file's folder (``DataFolder``). A link that stays
inside is followed; a link that leads out, a named pipe, a socket, a device or a folder
is never opened: it is listed with the reason (``InputFile.error``), the check reports
it, and the reason takes the place of its hash in the content key. Files are opened
below the data folder one path component at a time, following no link and without
waiting, and the opened file is checked again, so a file swapped after it was looked
at is refused too.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SOURCES_DIR_NAME = "sources"
# Bumped when the checks or the tables change in a way the code hash cannot see.
FORMAT_VERSION = "1"


class InputsChanged(Exception):
    """A file changed between being listed and being read; read the inputs again."""


# Why a file of the dataset is not read (``InputFile.error``).
MISSING = "missing"
UNREADABLE = "unreadable"  # the system refused (permissions, ...)
OUTSIDE = "outside"  # its real path is not inside the data folder: a link that leads out
NOT_REGULAR = "not_regular"  # a folder, a named pipe, a socket or a device

# Opening flags where the system has them: follow no link, never wait for a writer,
# keep the descriptor out of child processes.
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
# Folders on the way are only passed through: Linux can open them for that alone.
_THROUGH = getattr(os, "O_PATH", os.O_RDONLY)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISLNK, "a link that leads nowhere"),
)


def _kind(mode: int) -> str:
    """What a file that is not a regular file is, in words for the curator."""
    return next((words for test, words in _KINDS if test(mode)), "not a regular file")


class Refused(Exception):
    """A file of the dataset that is not read: ``error`` is one of ``MISSING``,
    ``UNREADABLE``, ``OUTSIDE`` or ``NOT_REGULAR``; ``detail`` says more for people."""

    def __init__(self, error: str, detail: str = "") -> None:
        super().__init__(f"{error}: {detail}" if detail else error)
        self.error = error
        self.detail = detail

    @property
    def digest(self) -> str:
        """What stands for the file's hash in the content key."""
        return f"{self.error}: {self.detail}" if self.detail else self.error


def _system_words(error: OSError) -> str:
    return error.strerror or str(error)


@dataclass(frozen=True)
class DataFolder:
    """The folder every file of a dataset must really lie in.

    It is the real path of the main file's folder: the operator chooses the main file,
    and links on the way to its folder are the operator's. Below it, links are followed
    only while they stay inside, and only regular files are read.
    """

    root: str

    @classmethod
    def of(cls, path: Path) -> DataFolder:
        """The data folder of the dataset whose main file is ``path``."""
        return cls(os.path.realpath(path.parent))

    def relative(self, real: str) -> str | None:
        """``real`` (a path without links) relative to the root; None if not below it."""
        prefix = os.path.join(self.root, "")
        return real[len(prefix) :] if real.startswith(prefix) and real != prefix else None

    def locate(self, path: str) -> tuple[str, os.stat_result]:
        """Where a file is below the root (no link left in it) and its status.

        ``path`` must have no link among its folders (a real folder joined with a name
        found in it): only its last part may be a link. Raises ``Refused`` for anything
        but a regular file inside the data folder. Nothing is opened.
        """
        info = _lstat(path)
        if stat.S_ISLNK(info.st_mode):
            path = os.path.realpath(path)
            if self.relative(path) is None:
                raise Refused(OUTSIDE)
            info = _lstat(path)
        if not stat.S_ISREG(info.st_mode):
            raise Refused(NOT_REGULAR, _kind(info.st_mode))
        relative = self.relative(path)
        if relative is None:
            raise Refused(OUTSIDE)
        return relative, info

    def locate_path(self, path: Path) -> tuple[str, os.stat_result]:
        """``locate`` for a path whose folders may be links."""
        return self.locate(os.path.join(os.path.realpath(path.parent), path.name))

    def read(self, relative: str) -> tuple[bytes, os.stat_result]:
        """The bytes of the regular file ``relative`` below the root, and its status.

        Opened one component at a time below the root without following any link and
        without waiting, then checked to be a regular file: a file swapped for a link,
        a pipe or a device after ``locate`` looked at it is refused, never read."""
        descriptor = self._open(relative)
        try:
            info = os.fstat(descriptor)
            if not stat.S_ISREG(info.st_mode):
                raise Refused(NOT_REGULAR, _kind(info.st_mode))
            chunks = []
            while chunk := os.read(descriptor, max(info.st_size + 1, 1 << 16)):
                chunks.append(chunk)
            return b"".join(chunks), info
        finally:
            os.close(descriptor)

    def _open(self, relative: str) -> int:
        flags = os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _CLOEXEC
        if os.open not in os.supports_dir_fd:  # no openat: only the last part is guarded
            return os.open(os.path.join(self.root, relative), flags)
        *folders, name = relative.split(os.sep)
        into = _THROUGH | _DIRECTORY | _CLOEXEC
        folder = os.open(self.root, into)
        try:
            for part in folders:
                inner = os.open(part, into | _NOFOLLOW, dir_fd=folder)
                os.close(folder)
                folder = inner
            return os.open(name, flags, dir_fd=folder)
        finally:
            os.close(folder)


def _lstat(path: str) -> os.stat_result:
    try:
        return os.lstat(path)
    except FileNotFoundError:
        raise Refused(MISSING) from None
    except OSError as error:
        raise Refused(UNREADABLE, _system_words(error)) from None


@dataclass
class InputFile:
    """One file's name (relative to the data folder), path and content hash.

    The bytes are read on first use only: a file whose hash is known from an earlier
    run (same size, time and inode) is not read at all unless its content is needed.
    A file that is not read (``error``) has the reason as its hash.
    """

    name: str
    path: Path
    digest: str
    error: str | None = None  # why it is not read: MISSING, UNREADABLE, OUTSIDE, NOT_REGULAR
    detail: str = ""  # the system's words, or what kind of file it is
    # Where it is opened: the data folder and the real path below it.
    data_folder: DataFolder | None = field(default=None, repr=False, compare=False)
    relative: str = ""
    _raw: bytes | None = field(default=None, repr=False, compare=False)

    @classmethod
    def refused(cls, name: str, path: Path, reason: Refused) -> InputFile:
        """A file that is not read, and why."""
        return cls(name, path, reason.digest, reason.error, reason.detail)

    def read(self) -> bytes | None:
        """The file's bytes (None when it is not read), as hashed."""
        if self.error is not None or self.data_folder is None:
            return None
        if self._raw is None:
            try:
                raw, _ = self.data_folder.read(self.relative)
            except (OSError, Refused) as error:
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
    # The folder every file must really lie in.
    data_folder: DataFolder
    # Hashes to remember for the next run, and how many files had to be read for them.
    memo: DigestMemo = field(default_factory=dict)
    hashed: int = 0

    def file_order(self) -> dict[str, int]:
        """Position of each YAML file: the main file first, then by name."""
        return {item.name: number for number, item in enumerate(self.yaml_files)}


def split_folder(path: Path) -> Path:
    """The folder beside ``indicators.yaml`` that holds more of its entries."""
    return path.with_suffix("")


def _input(
    folder: DataFolder, real: str, path: Path, name: str, memo: DigestMemo, seen: DigestMemo
) -> InputFile:
    """The file's hash: remembered when nothing about the file changed, else read.

    ``real`` is where the file is, with no link among its folders. What it is and where
    it leads are looked at before the remembered hash is trusted, so a file swapped for
    a link or a pipe is never taken for the file it replaced."""
    try:
        relative, info = folder.locate(real)
    except Refused as reason:
        return InputFile.refused(name, path, reason)
    known = memo.get("files", {}).get(name)
    stamp = [info.st_size, info.st_mtime_ns, info.st_ino]
    settled = info.st_mtime_ns < memo.get("written_ns", 0) - _SETTLED_NS
    if known and known[:3] == stamp and settled:
        seen[name] = known
        return InputFile(name, path, known[3], data_folder=folder, relative=relative)
    try:
        raw, info = folder.read(relative)
    except Refused as reason:
        return InputFile.refused(name, path, reason)
    except OSError as error:
        return InputFile.refused(name, path, Refused(UNREADABLE, _system_words(error)))
    digest = hashlib.sha256(raw).hexdigest()
    seen[name] = [info.st_size, info.st_mtime_ns, info.st_ino, digest]
    return InputFile(name, path, digest, data_folder=folder, relative=relative, _raw=raw)


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
    if not path.name:  # ``.`` or ``/``: not a data file, and no folder of the same name
        return [path]
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


def _folder_files(
    folder: DataFolder, top: Path, suffixes: tuple[str, ...] | None
) -> tuple[str, list[str]] | Refused:
    """The real path of ``top`` and the files below it, or why it is not walked.

    A folder that is a link leading out of the data folder is not walked at all: it
    might lead to the whole disk."""
    real = os.path.realpath(top)
    if os.path.isdir(real) and folder.relative(real) is None:
        return Refused(OUTSIDE)
    return real, _relative_files(top, suffixes)


def read_inputs(path: Path, memo: DigestMemo | None = None) -> Inputs:
    """Hash every file of the dataset whose main file is ``path``.

    ``memo`` holds the hashes of an earlier run: files whose size, modification time
    and inode are unchanged since are not read again."""
    data, memo, seen = DataFolder.of(path), memo or {}, {}
    main = _input(data, os.path.join(data.root, path.name), path, path.name, memo, seen)
    yaml_files = [main]
    if main.error in (OUTSIDE, NOT_REGULAR):
        # Not a data file at all (a folder given by mistake, say): nothing beside it is
        # looked at, not even a whole disk below a folder named as the main file.
        return _inputs(path, data, yaml_files, {}, seen)
    split = split_folder(path)
    listed = _folder_files(data, split, (".yaml", ".yml"))
    if isinstance(listed, Refused):  # a link out: one problem for the folder
        yaml_files.append(InputFile.refused(split.name, split, listed))
    else:
        real, names = listed
        yaml_files += [
            _input(data, os.path.join(real, name), split / name, f"{split.name}/{name}", memo, seen)
            for name in names
        ]
    sources = path.parent / SOURCES_DIR_NAME
    listed = _folder_files(data, sources, None)
    real, names = ("", []) if isinstance(listed, Refused) else listed
    archives = {
        name: _input(
            data, os.path.join(real, name), sources / name, f"{SOURCES_DIR_NAME}/{name}", memo, seen
        )
        for name in names
    }
    return _inputs(path, data, yaml_files, archives, seen)


def _inputs(
    path: Path,
    data: DataFolder,
    yaml_files: list[InputFile],
    archives: dict[str, InputFile],
    seen: DigestMemo,
) -> Inputs:
    """The listed files with their one content key."""
    key = hashlib.sha256(CODE_DIGEST.encode())
    for kind, items in (("yaml", yaml_files), ("archive", archives.values())):
        for item in items:
            key.update(f"{kind}\0{item.name}\0{item.digest}\n".encode())
    hashed = sum(1 for item in (*yaml_files, *archives.values()) if item._raw is not None)
    return Inputs(
        folder=path.parent,
        yaml_files=tuple(yaml_files),
        archives=archives,
        key=key.hexdigest(),
        memo={"files": seen},
        hashed=hashed,
        data_folder=data,
    )
