"""The data replaced under ten readers: every page shows one valid version, whole.

A dashboard server shows a copy of the frozen seed data. Ten protocol-level readers
(``support.readers``, replaying what Chromium sends on every page) load pages back to back
while the data file is replaced 20 times: alternately by version A and version B, which
differ only in a marker in every region's names (``MARKA``/``MARKB``), once by a broken
version carrying ``MARKC``; all by writing a temporary file and renaming it over the
data (as an editor saves), except one in-place rewrite. Every message of every page run
is kept: a page must carry markers of exactly one valid version, never the broken one,
and no run may end in an error.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import threading
import time
from collections import Counter
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest
from conftest import SEED
from support.live import CHROMIUM, dashboard, need, record_visits, server_env
from support.readers import Run, crowd

need(str(CHROMIUM))
pytestmark = [pytest.mark.browser, pytest.mark.server]

MARKERS = {b"MARKA": "A", b"MARKB": "B", b"MARKC": "broken"}
CHANGES = 20
BROKEN_AT = 9  # the tenth change writes the broken version
IN_PLACE_AT = 14  # the fifteenth rewrites the file in place instead of renaming
READERS = 10
PAUSE = 0.6  # seconds between changes: readers finish several pages per version


def marked(text: str, marker: str) -> str:
    """The seed data with ``marker`` after every region's Chinese and English name and
    every source's title."""
    lines = []
    for line in text.splitlines(keepends=True):
        if line.lstrip().startswith("- {id:") and "name_zh:" in line:
            line = line.replace(", name_en: ", f"{marker}, name_en: ", 1)
            line = line.replace(", level: ", f" {marker}, level: ", 1)
        elif line.startswith("    title: "):
            line = line.rstrip("\n") + f" {marker}\n"
        lines.append(line)
    return "".join(lines)


@pytest.fixture(scope="module")
def versions() -> dict[str, str]:
    seed = (SEED / "indicators.yaml").read_text(encoding="utf-8")
    good_a, good_b = marked(seed, "MARKA"), marked(seed, "MARKB")
    assert good_a.count("MARKA") > 40, "the marker must reach every region"
    # A number that is not one: the check refuses the whole file.
    broken = marked(seed, "MARKC").replace("    value: ", "    value: x", 1)
    assert broken != marked(seed, "MARKC")
    return {"A": good_a, "B": good_b, "broken": broken}


def save_by_rename(path: Path, text: str) -> None:
    """Write beside the file, then rename over it: readers see the old or the new file."""
    temporary = path.with_name(f".{path.name}.saving")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def changes(path: Path, versions: dict[str, str], stop: threading.Event) -> list[str]:
    """Replace the data ``CHANGES`` times; the version written each time, in order."""
    written = []
    for index in range(CHANGES):
        name = "broken" if index == BROKEN_AT else ("A" if index % 2 else "B")
        if index == IN_PLACE_AT:
            path.write_text(versions[name], encoding="utf-8")
        else:
            save_by_rename(path, versions[name])
        written.append(name)
        if stop.wait(PAUSE):
            break
    return written


def versions_on(run: Run) -> Counter[str]:
    """How often each version's marker occurs in everything a page run sent."""
    seen: Counter[str] = Counter()
    for raw in run.payload:
        for marker, name in MARKERS.items():
            seen[name] += raw.count(marker)
    return +seen


def version_of(run: Run) -> str:
    """The one valid version a page run showed."""
    (name,) = {name for name in versions_on(run) if name in ("A", "B")}
    return name


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory, versions: dict[str, str]) -> Path:
    folder = tmp_path_factory.mktemp("changing")
    shutil.copytree(SEED / "sources", folder / "sources")
    path = folder / "indicators.yaml"
    path.write_text(versions["A"], encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def server(data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("changing-server")
    with dashboard(folder / "server.log", server_env(data, folder / "cache")) as (url, _):
        yield url


def test_every_page_is_wholly_from_one_valid_version(
    server: str, data: Path, versions: dict[str, str]
) -> None:
    visits = record_visits(server)
    stop = threading.Event()
    written: list[str] = []
    writer = threading.Thread(target=lambda: written.extend(changes(data, versions, stop)))

    async def read() -> list[list[Run]]:
        writer.start()
        # Readers read until the last change has had time to show, then a little more.
        seconds = CHANGES * PAUSE + 3
        per_reader, _ = await crowd(server, visits, READERS, seconds=seconds, keep=True)
        return per_reader

    try:
        began = time.monotonic()
        per_reader = asyncio.run(read())
    finally:
        stop.set()
        writer.join(timeout=30)
    assert not writer.is_alive()
    assert len(written) == CHANGES and written.count("broken") == 1
    assert time.monotonic() - began < 120

    runs = [run for reader in per_reader for run in reader]
    assert runs, "no page was read"
    errors = [f"{run.label}: {run.error}" for run in runs if not run.ok]
    assert errors == []

    mixed, broken, unmarked = [], [], []
    shown: Counter[str] = Counter()
    for run in runs:
        seen = versions_on(run)
        if "broken" in seen:
            broken.append(run.label)
        valid = {name for name in seen if name in ("A", "B")}
        if len(valid) > 1:
            mixed.append(f"{run.label}: {dict(seen)}")
        elif not valid:
            unmarked.append(run.label)
        else:
            shown[valid.pop()] += 1
    assert broken == []
    assert mixed == []
    # Every page shows region names, so every page can be told apart.
    assert sorted(set(unmarked)) == []
    # The readers did see the data change: both versions, each many times.
    assert shown["A"] >= 10 and shown["B"] >= 10, shown
    # Each reader saw the version change under it, more than once.
    flips = [sum(a != b for a, b in pairwise(map(version_of, reader))) for reader in per_reader]
    assert min(flips) >= 2, flips
