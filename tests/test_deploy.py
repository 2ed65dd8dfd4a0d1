"""Two replicas behind Debian's nginx, as deploy/nginx.conf sets them up, on loopback.

nginx answers only the dashboard's name (``SITE_NAME``, which Chromium is told leads to
127.0.0.1), with the headers that keep other sites from framing or sniffing it, and
none of Streamlit's endpoints but those the page uses. A browser opens every page
through nginx; then one replica is killed and a new reader must still get the
dashboard. Bounded: each wait and request has a deadline, and every process started
here is stopped at the end.
"""

from __future__ import annotations

import http.client
from collections.abc import Iterator

import pytest
from support.live import (
    CHROMIUM,
    READY,
    SITE_NAME,
    dashboard_command,
    free_port,
    is_outside,
    launch_options,
    need,
    nginx_command,
    nginx_config,
    server_env,
    start,
    stop,
    wait_healthy,
)

from present.pages import PAGES

need("nginx")
# One cluster for the module: its tests stay on one xdist worker, in this order (the
# last one stops a replica).
pytestmark = [pytest.mark.server, pytest.mark.xdist_group("deploy")]
# The pages a reader opens through nginx: every page but the workbench.
PAGE_URLS = [page.url_path for page in PAGES if not page.workbench]
# What deploy/nginx.conf adds to every answer of the dashboard.
HEADERS = {
    "X-Frame-Options": "SAMEORIGIN",
    "Content-Security-Policy": "frame-ancestors 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Chromium that finds the dashboard's name on loopback, as readers find it by DNS."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    need(str(CHROMIUM))
    sync_playwright = playwright_api.sync_playwright
    options = launch_options()
    args = [*options["args"], f"--host-resolver-rules=MAP {SITE_NAME} 127.0.0.1"]  # type: ignore[misc]
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(**{**options, "args": args})  # type: ignore[arg-type]
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    folder = tmp_path_factory.mktemp("deploy")
    ports = [free_port(), free_port()]
    # Each replica answers the dashboard's name, as docs/deploy.md sets it up.
    env = {**server_env(), "METRICS_ALLOWED_HOSTS": SITE_NAME}
    replicas = [
        start(dashboard_command(port), folder / f"replica-{port}.log", env) for port in ports
    ]
    listen = free_port()
    config = nginx_config(folder, listen, ports)
    proxy = start(nginx_command(config), folder / "nginx.out")
    try:
        for port in ports:
            wait_healthy(f"http://127.0.0.1:{port}")
        wait_healthy(f"http://127.0.0.1:{listen}", host=f"{SITE_NAME}:{listen}")
        yield {"url": f"http://{SITE_NAME}:{listen}", "port": listen, "replicas": replicas,
               "folder": folder}  # fmt: skip
    finally:
        for process in (proxy, *replicas):
            stop(process)


def ask(port: int, host: str, path: str = "/") -> http.client.HTTPResponse | None:
    """nginx's answer to a GET of ``path`` with this Host header (its body read); None
    when nginx closes the connection without one."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers={"Host": host})
        answer = connection.getresponse()
        answer.read()
        return answer
    except (http.client.RemoteDisconnected, ConnectionResetError):
        return None
    finally:
        connection.close()


def test_nginx_answers_only_the_dashboards_name(cluster) -> None:
    port = cluster["port"]
    # A page of another name that resolves here (DNS rebinding) gets nothing; nor does a
    # reader who uses the bare address.
    assert ask(port, "rebind.example") is None
    assert ask(port, f"rebind.example:{port}") is None
    assert ask(port, f"127.0.0.1:{port}") is None
    served = ask(port, f"{SITE_NAME}:{port}")
    assert served is not None and served.status == 200
    assert served.getheader("Content-Type", "").startswith("text/html")


def test_nginx_sends_the_security_headers_and_no_version(cluster) -> None:
    port = cluster["port"]
    for path in ("/", "/compare", "/_stcore/health", "/no-such-page"):
        answer = ask(port, f"{SITE_NAME}:{port}", path)
        assert answer is not None
        assert {name: answer.getheader(name) for name in HEADERS} == HEADERS, path
        assert answer.getheader("Server") == "nginx", path  # no version


def test_nginx_passes_only_the_endpoints_the_page_uses(cluster) -> None:
    port = cluster["port"]
    status = {
        path: getattr(ask(port, f"{SITE_NAME}:{port}", path), "status", None)
        for path in ("/_stcore/health", "/_stcore/host-config", "/_stcore/metrics",
                     "/_stcore/agent/openapi.json", "/_stcore/script-health-check",
                     "/_stcore/%6detrics", "/_stcore//metrics", "/_stcore/health/../metrics")
    }  # fmt: skip
    assert status == {
        "/_stcore/health": 200,
        "/_stcore/host-config": 200,
        "/_stcore/metrics": 404,
        "/_stcore/agent/openapi.json": 404,
        "/_stcore/script-health-check": 404,
        "/_stcore/%6detrics": 404,
        "/_stcore//metrics": 404,
        "/_stcore/health/../metrics": 404,
    }


def _open(browser: object, url: str, outside: list[str]) -> str:
    """A new reader opens ``url``; the page's title once the script has run."""
    context = browser.new_context()  # type: ignore[attr-defined]
    context.on(
        "request",
        lambda request: (
            outside.append(request.url) if is_outside(request.url, (SITE_NAME,)) else None
        ),
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


@pytest.mark.browser
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
