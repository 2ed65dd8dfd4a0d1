"""Thirty readers at once: every page renders, no errors, memory comes back.

Loopback only, bounded in count (30 sessions, 3 pages each) and in time. The figures
(p50/p95 render time against one reader alone, errors, server memory before and after)
are written to ``test-output/load.txt``.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import PROJECT
from live import CHROMIUM, READY, dashboard, is_outside, launch_options, need, server_env

SESSIONS = 30
PAGES = ["", "compare", "region"]
# Memory the server may keep after every reader has left (caches of views, buffers).
MEMORY_GROWTH_MB = 150


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    need(str(CHROMIUM))
    folder = tmp_path_factory.mktemp("load")
    # The bundled data: nothing here depends on its numbers.
    with dashboard(folder / "server.log", server_env()) as running:
        yield running


async def _reader(browser, url: str, times: list[float], errors: list[str], outside: list[str]):
    context = await browser.new_context()
    context.on(
        "request",
        lambda request: outside.append(request.url) if is_outside(request.url) else None,
    )
    page = await context.new_page()
    try:
        for name in PAGES:
            began = time.perf_counter()
            try:
                await page.goto(f"{url}/{name}", timeout=120_000)
                await page.wait_for_selector(READY, timeout=120_000)
                if await page.locator('[data-testid="stException"]').count():
                    errors.append(f"{name}: exception box")
            except Exception as error:
                errors.append(f"{name}: {error}")
                continue
            times.append(time.perf_counter() - began)
    finally:
        await context.close()


async def _readers(url: str, count: int) -> tuple[list[float], list[str], list[str]]:
    from playwright.async_api import async_playwright

    times: list[float] = []
    errors: list[str] = []
    outside: list[str] = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(**launch_options())
        await asyncio.gather(*(_reader(browser, url, times, errors, outside) for _ in range(count)))
        await browser.close()
    return times, errors, outside


def test_thirty_readers_at_once(server: tuple[str, int]) -> None:
    url, pid = server
    alone, errors, outside = asyncio.run(_readers(url, 1))  # also warms the server
    alone, errors, outside = asyncio.run(_readers(url, 1))
    assert errors == []
    before = _rss_mb(pid)
    began = time.perf_counter()
    times, errors, outside = asyncio.run(_readers(url, SESSIONS))
    took = time.perf_counter() - began
    time.sleep(5)  # sessions end when their websockets close
    after = _rss_mb(pid)
    single = statistics.median(alone)
    p50 = statistics.median(times)
    p95 = statistics.quantiles(times, n=20)[-1]
    report = (
        f"{SESSIONS} sessions x {len(PAGES)} pages in {took:.1f} s, {len(errors)} errors\n"
        f"one reader alone: median {single:.2f} s per page\n"
        f"30 at once: p50 {p50:.2f} s ({p50 / single:.1f}x), p95 {p95:.2f} s "
        f"({p95 / single:.1f}x)\n"
        f"server memory: {before:.0f} MB before, {after:.0f} MB after the sessions closed\n"
    )
    out = PROJECT / "test-output"
    out.mkdir(exist_ok=True)
    (out / "load.txt").write_text(report, encoding="utf-8")
    assert errors == [], errors[:3]
    assert len(times) == SESSIONS * len(PAGES)
    assert outside == []
    assert after - before < MEMORY_GROWTH_MB, report
