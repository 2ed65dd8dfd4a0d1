"""Finding the files of a dataset and what their contents hash to.

A dataset is ``indicators.yaml``, optionally more YAML files in the folder of the same
name beside it (``indicators/*.yaml``, any depth, so that curators can keep one file per
article and not collide), and the archived articles in ``sources/``. Every cache is
keyed by content hashes of these bytes, never by dates or sizes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

SOURCES_DIR_NAME = "sources"
# Bumped when the checks or the tables change in a way the code hash cannot see.
FORMAT_VERSION = "1"


@dataclass(frozen=True)
class InputFile:
    """One file's name (relative to the data folder), bytes and content hash."""

    name: str
    raw: bytes | None  # None: the file could not be read
    digest: str
    error: str | None = None  # why it could not be read


@dataclass(frozen=True)
class Inputs:
    """Every file a check reads, and one key for all of their contents."""

    folder: Path
    yaml_files: tuple[InputFile, ...]
    archives: dict[str, InputFile]
    key: str

    def file_order(self) -> dict[str, int]:
        """Position of each YAML file: the main file first, then by name."""
        return {item.name: number for number, item in enumerate(self.yaml_files)}


def split_folder(path: Path) -> Path:
    """The folder beside ``indicators.yaml`` that holds more of its entries."""
    return path.with_suffix("")


def _read(path: Path, name: str) -> InputFile:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return InputFile(name, None, "missing", "missing")
    except OSError as error:
        return InputFile(name, None, "unreadable", error.strerror or str(error))
    return InputFile(name, raw, hashlib.sha256(raw).hexdigest())


def yaml_paths(path: Path) -> list[Path]:
    """The main file, then every YAML file under the split folder, sorted by path."""
    folder = split_folder(path)
    extra = (
        sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
        if folder.is_dir()
        else []
    )
    return [path, *extra]


def _code_digest() -> str:
    """Hash of the checking code, so that a snapshot from older code is never reused."""
    digest = hashlib.sha256(FORMAT_VERSION.encode())
    for source in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(source.name.encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()


CODE_DIGEST = _code_digest()


def read_inputs(path: Path) -> Inputs:
    """Read and hash every file of the dataset whose main file is ``path``."""
    folder = path.parent
    yaml_files = tuple(_read(p, p.relative_to(folder).as_posix()) for p in yaml_paths(path))
    sources = folder / SOURCES_DIR_NAME
    archive_paths = sorted(p for p in sources.rglob("*") if p.is_file()) if sources.is_dir() else []
    archives = {
        name: _read(p, name) for p in archive_paths for name in [p.relative_to(sources).as_posix()]
    }
    key = hashlib.sha256(CODE_DIGEST.encode())
    for kind, items in (("yaml", yaml_files), ("archive", archives.values())):
        for item in items:
            key.update(f"{kind}\0{item.name}\0{item.digest}\n".encode())
    return Inputs(folder, yaml_files, archives, key.hexdigest())
