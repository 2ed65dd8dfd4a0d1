"""Two replicas behind Debian's nginx, as deploy/nginx.conf sets them up, on loopback.

A browser opens every page through nginx; then one replica is killed and a new reader
must still get the dashboard. Bounded: each wait has a deadline, and every process
started here is stopped at the end.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from support.live import (
    CHROMIUM,
    READY,
    dashboard_command,
    free_port,
    is_outside,
    need,
    nginx_command,
    nginx_config,
    start,
    stop,
    wait_healthy,
)

from present.pages import PAGES

pytest.importorskip("playwright.sync_api")
need(str(CHROMIUM), "nginx")
pytestmark = [pytest.mark.browser, pytest.mark.server]
# The pages a reader opens through nginx: every page but the workbench.
PAGE_URLS = [page.url_path for page in PAGES if not page.workbench]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    folder = tmp_path_factory.mktemp("deploy")
    ports = [free_port(), free_port()]
    replicas = [start(dashboard_command(port), folder / f"replica-{port}.log") for port in ports]
    listen = free_port()
    config = nginx_config(folder, listen, ports)
    proxy = start(nginx_command(config), folder / "nginx.out")
    try:
        for port in ports:
            wait_healthy(f"http://127.0.0.1:{port}")
        wait_healthy(f"http://127.0.0.1:{listen}")
        yield {"url": f"http://127.0.0.1:{listen}", "replicas": replicas, "folder": folder}
    finally:
        for process in (proxy, *replicas):
            stop(process)


def _open(browser: object, url: str, outside: list[str]) -> str:
    """A new reader opens ``url``; the page's title once the script has run."""
    context = browser.new_context()  # type: ignore[attr-defined]
    context.on(
        "request",
        lambda request: outside.append(request.url) if is_outside(request.url) else None,
    )
    page = context.new_page()
    try:
        page.goto(url, timeout=60_000)
        page.wait_for_selector(READY, timeout=60_000)
        assert page.locator('[data-testid="stException"]').count() == 0
        cookies = {c["name"] for c in context.cookies()}
        assert "dashboard_route" in cookies  # the reader is routed to one replica
        return page.locator("h1").first.inner_text()
    finally:
        context.close()


def test_every_page_through_nginx_and_a_replica_failing(cluster, browser) -> None:
    outside: list[str] = []
    titles = [_open(browser, f"{cluster['url']}/{page}", outside) for page in PAGE_URLS]
    assert titles == ["总览", "地区比较", "地区档案", "经验做法", "来源", "数据质量"]
    first, second = cluster["replicas"]
    stop(first)  # one replica goes down
    # New readers, whichever replica their route leads to first, still get the dashboard.
    after = [_open(browser, f"{cluster['url']}/{page}", outside) for page in ("", "compare")]
    assert after == ["总览", "地区比较"]
    assert second.poll() is None
    assert outside == []
    # Each reader's websocket went through nginx (logged when it closes).
    served = (cluster["folder"] / "access.log").read_text(encoding="utf-8")
    assert served.count("GET /_stcore/stream") >= len(PAGE_URLS)
