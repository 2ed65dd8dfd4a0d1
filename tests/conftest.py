"""Shared helpers: the test datasets, a copy of the small fixture that a test may change,
and the one Chromium of the browser tests.

Three kinds of data serve the tests:

- ``MINIMAL`` and the other small fixtures, made for one purpose each;
- ``SEED_DATA``, a frozen copy of the bundled data: tests that assert its numbers and
  sentences (the pages, the command's summary) run on it, so that a curator who adds an
  article to ``data/`` never turns them red;
- ``bundled``, the real ``data/`` and a copy of it with a made-up fifth article: tests of
  what must hold for ANY curated data (it checks, every number is covered, every archive
  is a collected original) run on both.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pytest

from metrics.model.dataset import Dataset
from metrics.pipeline.load import load_dataset
from metrics.pipeline.snapshot import CACHE_ENV

FIXTURES = Path(__file__).parent / "fixtures"
MINIMAL = FIXTURES / "minimal"
PROJECT = Path(__file__).resolve().parents[1]
REAL_DATA = PROJECT / "data" / "indicators.yaml"
# A frozen copy of data/ (indicators.yaml and sources/): the numbers tests may assert.
SEED = FIXTURES / "seed"
SEED_DATA = SEED / "indicators.yaml"
# A made-up article (archive and a split YAML file) that tests add to a copy of data/.
FIFTH_ARTICLE = FIXTURES / "fifth_article"
# The articles as collected: every archive in data/sources/ is a byte copy of one.
COLLECTED = PROJECT.parent / "shared" / "seeds"


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Snapshots of test data go to a folder of this run, never to the user's cache."""
    os.environ[CACHE_ENV] = str(tmp_path_factory.mktemp("metrics-cache"))


@pytest.fixture(autouse=True, scope="session")
def _components_scanned_once() -> Iterator[None]:
    """Every AppTest session scans the metadata of every installed package for
    Streamlit components (about 0.28 s of CPU, a third of a short page test); the
    packages do not change while the suite runs, so one scan per process serves all."""
    from streamlit.components.v2 import manifest_scanner

    scan = manifest_scanner.scan_component_manifests
    found = scan()
    manifest_scanner.scan_component_manifests = lambda max_workers=None: list(found)
    yield
    manifest_scanner.scan_component_manifests = scan


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line of the n-th line of ``text`` that contains ``needle``."""
    hits = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    assert len(hits) >= occurrence, f"{needle!r} not in the text"
    return hits[occurrence - 1]


def codes(dataset: Dataset) -> list[tuple[int | None, str]]:
    """The problems as (line, code) pairs, the form tests compare."""
    return [(p.line, p.code) for p in dataset.problems]


class Case:
    """A writable copy of the minimal fixture (or another one) in a temporary folder."""

    def __init__(self, folder: Path, fixture: Path = MINIMAL) -> None:
        shutil.copytree(fixture, folder, dirs_exist_ok=True)
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
        """The case checked from scratch, with no snapshot stored: a case is loaded
        once, and storing its snapshot would take half as long again (the snapshot and
        the cache have tests of their own in test_scale, test_last_good, test_file_kinds)."""
        return load_dataset(self.path, use_cache=False)


@pytest.fixture
def case(tmp_path: Path) -> Case:
    return Case(tmp_path / "data")


@pytest.fixture
def make_case(tmp_path: Path) -> Callable[[str], Case]:
    def make(name: str) -> Case:
        return Case(tmp_path / name)

    return make


@dataclass
class Bundle:
    """A dataset that must meet every invariant of the bundled data."""

    name: str
    path: Path
    # The collected articles its archives must be byte copies of (None: not on this machine).
    collected: Path | None

    @property
    def sources(self) -> Path:
        return self.path.parent / "sources"

    @property
    def archives(self) -> list[str]:
        """File names of the archived articles, sorted."""
        return sorted(p.name for p in self.sources.glob("*.txt"))

    @cached_property
    def dataset(self) -> Dataset:
        return load_dataset(self.path, use_cache=False)


def with_fifth_article(folder: Path) -> Path:
    """A copy of data/ in ``folder`` with the made-up fifth article added as a curator
    adds one (its archive under sources/, its entries in indicators/); its main file."""
    shutil.copytree(PROJECT / "data", folder)
    for added in FIFTH_ARTICLE.rglob("*"):
        target = folder / added.relative_to(FIFTH_ARTICLE)
        if added.is_dir():
            target.mkdir(exist_ok=True)
            continue
        assert not target.exists(), f"data/ already has {target.relative_to(folder)}: rename it"
        target.write_bytes(added.read_bytes())
    return folder / "indicators.yaml"


def _collected_with_fifth_article(folder: Path) -> Path | None:
    """The collected articles and the made-up one, which is its own original."""
    if not COLLECTED.is_dir():
        return None
    folder.mkdir()
    for article in [*COLLECTED.glob("*.txt"), *(FIFTH_ARTICLE / "sources").glob("*.txt")]:
        (folder / article.name).write_bytes(article.read_bytes())
    return folder


@pytest.fixture(scope="session")
def fifth_article_data(tmp_path_factory: pytest.TempPathFactory) -> Bundle:
    """data/ with the made-up fifth article, built once per run."""
    clash = [
        str(added.relative_to(FIFTH_ARTICLE))
        for added in FIFTH_ARTICLE.rglob("*")
        if added.is_file() and (PROJECT / "data" / added.relative_to(FIFTH_ARTICLE)).exists()
    ]
    if clash:
        # test_real_data.py fails on a made-up article in data/; no need to fail here too.
        pytest.skip(f"data/ already holds the made-up article ({', '.join(clash)})")
    folder = tmp_path_factory.mktemp("fifth-article")
    path = with_fifth_article(folder / "data")
    return Bundle("fifth-article", path, _collected_with_fifth_article(folder / "collected"))


@pytest.fixture(scope="session", params=["data", "data+fifth-article"])
def bundled(request: pytest.FixtureRequest) -> Bundle:
    """The real data, then the same with a fifth article: what must hold for both holds
    for the data a curator will have after the next article."""
    if request.param == "data":
        return Bundle("data", REAL_DATA, COLLECTED if COLLECTED.is_dir() else None)
    return request.getfixturevalue("fifth_article_data")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test that takes the ``browser`` fixture must be marked ``browser``, so that the
    fast tier (``-m "not browser and not server and not documents"``) leaves it out."""
    unmarked = [
        item.nodeid
        for item in items
        if "browser" in getattr(item, "fixturenames", ()) and not item.get_closest_marker("browser")
    ]
    if unmarked:
        raise pytest.UsageError("Chromium without @pytest.mark.browser: " + ", ".join(unmarked))


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's Chromium under Playwright, one per test module (skipped without them)."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    from support.live import CHROMIUM, launch_options, need

    need(str(CHROMIUM))
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(**launch_options())
        yield chromium
        chromium.close()


@contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Raise ``TimeoutError`` in a test still running after ``seconds``: a read that
    blocks (on a named pipe, say) then fails the test instead of hanging the suite."""

    def stop(signum: int, frame: object) -> None:
        raise TimeoutError(f"still running after {seconds} s: something blocks")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def streamlit_caches_cleared() -> Iterator[None]:
    """Body of a fixture: Streamlit's caches empty before and after the test, so that a
    page sees no data of an earlier test."""
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


# AppTest's default of 3 s is too short for a cold first run on a busy machine.
APP_TIMEOUT = 60


def run_app_page(page: str, lang: str = "zh", **state: object):  # -> AppTest
    """One page of the dashboard run with AppTest, in ``lang``, with ``state`` set in
    the session first; fails on any exception the page raised."""
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=APP_TIMEOUT)
    app.session_state["lang"] = lang
    for key, value in state.items():
        app.session_state[key] = value
    app.switch_page(f"app_pages/{page}.py").run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def run_metrics(
    *args: str, cwd: Path = PROJECT, cache: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """``metrics ARGS`` in a process of its own (UTF-8 output, ended after 60 s), forked
    from one that already imported everything (``support.commands``); with ``cache``,
    a cache folder of its own."""
    from support.commands import run_command

    env = dict(os.environ)
    if cache is not None:
        env[CACHE_ENV] = str(cache)
    return run_command(*args, cwd=cwd, env=env, timeout=60)
