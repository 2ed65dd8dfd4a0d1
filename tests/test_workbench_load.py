"""Curators drafting at once at the server: its memory comes back once their sessions
have ended, and another reader's Overview stays about as fast as when alone.

Six protocol readers (``support.workbench``: Streamlit's own websocket messages, no
browser) each paste a different made-up article of 100 KB, press "Draft it" and drop a
row (a re-check), while a seventh opens the Overview again and again. The server keeps
a closed session 5 s here (``server.disconnectedSessionTTL``; 120 s in production), so
the test can wait for the sessions to end. The short version of
``bench/workbench_load.py``; the figures go to ``test-output/workbench_load.txt``.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from conftest import PROJECT
from support.live import dashboard, server_env, wait_connections_closed
from support.readers import Reader, Run, rss_mb
from support.workbench import (
    curators_beside_a_reader,
    draft,
    made_up_article,
    overview_times,
)

from dashboard.sessions import REAP_SECONDS

pytestmark = [pytest.mark.server, pytest.mark.xdist_group("workbench_load")]

CURATORS = 6
SIZE = 100_000
SESSION_TTL = 5
# What the server may keep once the curators' sessions have ended (buffers, a view).
MEMORY_GROWTH_MB = 40
# The Overview beside the curators: at most twice its time alone (and 30 ms, for noise).
SLOWER = 2.0
NOISE = 0.03


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    folder = tmp_path_factory.mktemp("workbench-load")
    env = server_env(cache=folder / "cache")
    ttl = ("--server.disconnectedSessionTTL", str(SESSION_TTL))
    with dashboard(folder / "server.log", env, options=ttl) as running:
        yield running


def _sessions_ended(port: int) -> None:
    """Until every websocket is closed and Streamlit has ended the sessions."""
    wait_connections_closed(port, seconds=60)
    time.sleep(SESSION_TTL + 2 * REAP_SECONDS + 1)


def _median(runs: list[Run]) -> float:
    return statistics.median(run.seconds for run in runs)


def test_curators_at_once_leave_memory_and_other_readers_alone(
    server: tuple[str, int],
) -> None:
    url, pid = server
    port = urlsplit(url).port
    assert port is not None
    # Warm up: the Overview, and a small draft (every module of the workbench loaded).
    asyncio.run(overview_times(url, 2))
    warm = asyncio.run(draft(Reader(url), made_up_article(10_000, seed=0), edit=True))
    assert warm.ok, warm.errors
    _sessions_ended(port)
    before = rss_mb(pid)
    alone = asyncio.run(overview_times(url, 8))

    articles = [made_up_article(SIZE, seed=seed) for seed in range(1, CURATORS + 1)]
    drafts, beside, took = asyncio.run(curators_beside_a_reader(url, articles, timeout=300))
    _sessions_ended(port)
    after = rss_mb(pid)

    report = (
        f"{CURATORS} curators drafting {SIZE:,}-byte articles at once, done in {took:.0f} s\n"
        f"Overview alone: median {_median(alone):.3f} s; beside the curators: median"
        f" {_median(beside):.3f} s over {len(beside)} runs\n"
        f"server memory: {before:.0f} MB before, {after:.0f} MB once the sessions ended\n"
    )
    out = PROJECT / "test-output"
    out.mkdir(exist_ok=True)
    (out / "workbench_load.txt").write_text(report, encoding="utf-8")

    assert all(d.ok for d in drafts), [d.errors for d in drafts]
    assert all(len(d.runs) == 3 for d in drafts), report  # opened, drafted, edited
    assert all(run.ok for run in alone + beside), report
    assert len(beside) >= 5, report
    assert _median(beside) <= SLOWER * _median(alone) + NOISE, report
    assert after - before < MEMORY_GROWTH_MB, report
