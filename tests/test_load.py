"""Ten readers at once, at the server: every page run finishes, none with an error.

The short version of ``bench/server_load.py``. Readers speak Streamlit's websocket
protocol (``support.readers``) and replay what Chromium sent on every page, so the two cores
serve the dashboard instead of thirty browsers. Loopback only, bounded in time. The
figures (page runs per second, p50/p95 against one reader alone, server memory before
and after) go to ``test-output/load.txt``; the benchmark holds the real measurements.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from conftest import PROJECT
from support.live import (
    CHROMIUM,
    dashboard,
    need,
    record_visits,
    server_env,
    wait_connections_closed,
)
from support.readers import Figures, Visit, crowd, figures, rss_mb

need(str(CHROMIUM))
pytestmark = [pytest.mark.browser, pytest.mark.server]

READERS = 10
SECONDS = 8
# A reader looks at a page for a moment before the next, as a person would (quickly).
THINK = (0.2, 1.0)
# Memory the server may keep after the readers have left (caches of views, buffers).
MEMORY_GROWTH_MB = 150


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    folder = tmp_path_factory.mktemp("load")
    # The bundled data: nothing here depends on its numbers.
    with dashboard(folder / "server.log", server_env()) as running:
        yield running


@pytest.fixture(scope="module")
def visits(server: tuple[str, int]) -> list[Visit]:
    return record_visits(server[0])


def _load(url: str, visits: list[Visit], readers: int) -> tuple[Figures, set[str]]:
    per_reader, took = asyncio.run(crowd(url, visits, readers, seconds=SECONDS, think=THINK))
    pages = {run.label for reader in per_reader for run in reader}
    return figures(per_reader, readers, took), pages


def test_ten_readers_at_once(server: tuple[str, int], visits: list[Visit]) -> None:
    url, pid = server
    recorded = {page for visit in visits for page, _ in visit.runs}
    assert len(recorded) >= 10  # the sidebar's pages and the deep links

    alone, _ = _load(url, visits, 1)
    before = rss_mb(pid)
    crowded, pages = _load(url, visits, READERS)
    # Sessions end when their websockets close.
    wait_connections_closed(urlsplit(url).port)  # type: ignore[arg-type]
    after = rss_mb(pid)

    report = (
        f"{READERS} protocol readers for {crowded.seconds:.1f} s, thinking {THINK} s per page:"
        f" {crowded.runs} page runs ({crowded.runs_per_second:.1f}/s), {crowded.errors} errors\n"
        f"one reader alone: p50 {alone.p50:.3f} s, p95 {alone.p95:.3f} s per page\n"
        f"{READERS} at once: p50 {crowded.p50:.3f} s, p95 {crowded.p95:.3f} s "
        f"({crowded.p95 / alone.p95:.1f}x)\n"
        f"server memory: {before:.0f} MB before, {after:.0f} MB after the readers left\n"
    )
    out = PROJECT / "test-output"
    out.mkdir(exist_ok=True)
    (out / "load.txt").write_text(report, encoding="utf-8")

    assert alone.errors == 0, alone.error_examples
    assert crowded.errors == 0, crowded.error_examples
    # Every run ended with "finished successfully", and every recorded page was run.
    assert crowded.runs >= READERS * 3, report
    assert pages == recorded
    assert after - before < MEMORY_GROWTH_MB, report
