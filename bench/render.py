"""Time to the first complete render of a Streamlit page in headless Chromium.

Usage: ``uv run python bench/render.py --data PATH/indicators.yaml [--runs 5]``.

Two apps are started the same way, one after the other (never both at once): the
dashboard (``app.py``, with ``METRICS_DATA`` pointing at ``--data``, Overview page) and
a bare one-chart page (``bench/bare_app.py``) as the baseline. For each app a fresh
``streamlit run`` server is started and, once ``/_stcore/health`` answers, pages are
loaded in headless Chromium (Playwright driving ``/usr/bin/chromium``):

* cold: the first load after the server became healthy, with a new browser; the median
  over ``--runs`` fresh servers;
* warm: ``--runs`` more loads on the first server, each in a new tab of the same browser
  profile: a new session on the same server process (server caches warm) by a reader
  who has been there before (browser cache warm), as a leader reopening the dashboard.

A load is timed from just before ``page.goto`` until, at the same moment, the script
state is ``notRunning``, a Plotly chart (``.js-plotly-plot .main-svg``) is attached, and
no skeleton or status widget ("Running...") is visible. Requiring the chart avoids the
brief ``notRunning`` Streamlit reports before the script has even started.

Requests to hosts other than 127.0.0.1/localhost are counted (they should be 0).
The result is one JSON object on stdout; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Browser, BrowserContext, Playwright, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
DASHBOARD = ROOT / "app.py"
BARE = ROOT / "bench" / "bare_app.py"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HEALTH_TIMEOUT_S = 120.0
RENDER_TIMEOUT_MS = 180_000
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}

# True once the page is completely rendered; evaluated in the page on every frame.
RENDERED_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (!document.querySelector('.js-plotly-plot .main-svg')) return false;
  const busy = '[data-testid="stSkeleton"], [data-testid="stStatusWidget"]';
  for (const el of document.querySelectorAll(busy)) {
    if (el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden') {
      return false;
    }
  }
  return true;
}"""


def log(message: str) -> None:
    """Progress message, on stderr."""
    print(message, file=sys.stderr, flush=True)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def is_healthy(port: int) -> bool:
    """Whether the server's health endpoint answers 200."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
            return r.status == 200
    except (urllib.error.URLError, OSError):
        return False


def wait_healthy(proc: subprocess.Popen[bytes], port: int, server_log: Path) -> None:
    """Block until the server is healthy; fail if it exits or takes too long."""
    deadline = time.monotonic() + HEALTH_TIMEOUT_S
    while not is_healthy(port):
        if proc.poll() is not None or time.monotonic() > deadline:
            tail = server_log.read_text(errors="replace")[-2000:]
            raise RuntimeError(f"streamlit server on port {port} did not become healthy:\n{tail}")
        time.sleep(0.1)


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Terminate the server's whole process group (SIGKILL if SIGTERM is not enough)."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=10)
            return
        except subprocess.TimeoutExpired:
            continue


@contextmanager
def streamlit_server(app: Path, env: dict[str, str]) -> Iterator[str]:
    """Start APP as its README says, in its own session; yield its URL once healthy.

    The dashboard starts with ``dashboard`` (``streamlit run app.py`` after loading its
    data); the bare page with ``streamlit run``. Both get the same server options.
    """
    port = free_port()
    start = ["-m", "dashboard.serve"] if app == DASHBOARD else ["-m", "streamlit", "run", str(app)]
    command = [
        sys.executable, *start,
        "--server.port", str(port),
        "--server.headless", "true",
        "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="bench-render-") as tmp:
        server_log = Path(tmp) / "server.log"
        with server_log.open("wb") as out:
            proc = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            try:
                started = time.perf_counter()
                wait_healthy(proc, port, server_log)
                log(f"  server healthy on port {port} after {time.perf_counter() - started:.1f} s")
                yield f"http://127.0.0.1:{port}/"
            finally:
                stop(proc)


def is_external(url: str) -> bool:
    """Whether a request goes over the network to a host other than this machine."""
    parts = urlsplit(url)
    return parts.scheme in {"http", "https", "ws", "wss"} and parts.hostname not in LOCAL_HOSTS


def load_once(context: BrowserContext, url: str) -> float:
    """Seconds from ``goto`` to a complete render, in a new tab (a new session)."""
    page = context.new_page()
    try:
        start = time.perf_counter()
        page.goto(url, timeout=RENDER_TIMEOUT_MS)
        page.wait_for_function(RENDERED_JS, timeout=RENDER_TIMEOUT_MS, polling="raf")
        return time.perf_counter() - start
    finally:
        page.close()


def _visits(p: Playwright, url: str, warm_runs: int, external: list[str]) -> list[float]:
    """The first load (cold) and ``warm_runs`` more, in one browser profile."""
    browser = launch(p)
    try:
        context = browser.new_context()
        context.on(
            "request",
            lambda request: external.append(request.url) if is_external(request.url) else None,
        )
        times = [load_once(context, url) for _ in range(1 + warm_runs)]
        context.close()
        return times
    finally:
        browser.close()


def measure_app(p: Playwright, app: Path, env: dict[str, str], runs: int) -> dict[str, Any]:
    """Cold render times over ``runs`` fresh servers; warm ones on the first server.

    Cold: the first visit after the server started, with an empty browser cache. Warm: a
    reader coming back (new session, same browser profile, same server)."""
    log(f"{app.relative_to(ROOT)}:")
    external: list[str] = []
    cold: list[float] = []
    warm: list[float] = []
    for run in range(runs):
        with streamlit_server(app, env) as url:
            times = _visits(p, url, runs if run == 0 else 0, external)
        cold.append(times[0])
        warm += times[1:]
        log(f"  cold {times[0]:.3f} s" + (f", warm {times[1:]}" if run == 0 else ""))
    for request in sorted(set(external)):
        log(f"  external request: {request}")
    return {
        "cold": round(statistics.median(cold), 3),
        "cold_runs": [round(t, 3) for t in cold],
        "warm": [round(t, 3) for t in warm],
        "warm_median": round(statistics.median(warm), 3),
        "external_requests": len(external),
    }


def launch(p: Playwright) -> Browser:
    """Headless Debian Chromium (Playwright cannot download its own browsers here)."""
    return p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def chromium_version(p: Playwright) -> str:
    """The version string of the Chromium used."""
    browser = launch(p)
    try:
        return browser.version
    finally:
        browser.close()


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="indicators.yaml to show")
    parser.add_argument("--runs", type=int, default=5, help="warm loads per app (default 5)")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if not args.data.is_file():
        parser.error(f"--data: no such file: {args.data}")
    args.data = args.data.resolve()
    return args


def main(argv: list[str] | None = None) -> None:
    """Measure the dashboard, then the bare page, and print the comparison as JSON."""
    args = parse_args(argv)
    dashboard_env = {**os.environ, "METRICS_DATA": str(args.data)}
    with sync_playwright() as p:
        version = chromium_version(p)
        dashboard = measure_app(p, DASHBOARD, dashboard_env, args.runs)
        bare = measure_app(p, BARE, dict(os.environ), args.runs)
    result = {
        "dashboard": dashboard,
        "bare": bare,
        "ratio_cold": round(dashboard["cold"] / bare["cold"], 2),
        "ratio_warm": round(dashboard["warm_median"] / bare["warm_median"], 2),
        "chromium": version,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
