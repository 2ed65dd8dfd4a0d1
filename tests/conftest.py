"""Shared helpers: a copy of the small fixture dataset that a test may change."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from metrics.model.dataset import Dataset
from metrics.pipeline.load import load_dataset
from metrics.pipeline.snapshot import CACHE_ENV

FIXTURES = Path(__file__).parent / "fixtures"
MINIMAL = FIXTURES / "minimal"
PROJECT = Path(__file__).resolve().parents[1]
REAL_DATA = PROJECT / "data" / "indicators.yaml"


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Snapshots of test data go to a folder of this run, never to the user's cache."""
    os.environ[CACHE_ENV] = str(tmp_path_factory.mktemp("metrics-cache"))


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line of the n-th line of ``text`` that contains ``needle``."""
    hits = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    assert len(hits) >= occurrence, f"{needle!r} not in the text"
    return hits[occurrence - 1]


def codes(dataset: Dataset) -> list[tuple[int | None, str]]:
    """The problems as (line, code) pairs, the form tests compare."""
    return [(p.line, p.code) for p in dataset.problems]


class Case:
    """A writable copy of the minimal fixture in a temporary folder."""

    def __init__(self, folder: Path) -> None:
        shutil.copytree(MINIMAL, folder, dirs_exist_ok=True)
        self.folder = folder
        self.path = folder / "indicators.yaml"
        self.text = self.path.read_text(encoding="utf-8")

    def replace(self, old: str, new: str) -> Case:
        assert old in self.text, f"{old!r} is not in the fixture"
        self.text = self.text.replace(old, new, 1)
        self.path.write_text(self.text, encoding="utf-8")
        return self

    def write_bytes(self, raw: bytes) -> Case:
        self.path.write_bytes(raw)
        return self

    def line(self, needle: str, occurrence: int = 1) -> int:
        return line_of(self.text, needle, occurrence)

    def load(self) -> Dataset:
        return load_dataset(self.path)


@pytest.fixture
def case(tmp_path: Path) -> Case:
    return Case(tmp_path / "data")


@pytest.fixture
def make_case(tmp_path: Path) -> Callable[[str], Case]:
    def make(name: str) -> Case:
        return Case(tmp_path / name)

    return make
