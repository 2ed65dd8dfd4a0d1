"""Shared by the tests that run a real dashboard server and Chromium on loopback."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from dashboard.cache import DATA_ENV
from metrics.pipeline.snapshot import CACHE_ENV

from .readers import Visit, record

PROJECT = Path(__file__).resolve().parents[2]

CHROMIUM = Path("/usr/bin/chromium")
# Flags that keep Chromium itself from calling out (updates, sync, field trials).
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
    "--no-first-run", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--disable-default-apps",
    "--disable-features=Translate,OptimizationHints,MediaRouter",
]  # fmt: skip
# A page is ready once its script has run and its title is drawn.
READY = '[data-testid="stApp"][data-test-script-state="notRunning"] h1'
# In every document of a browser context: an id of the document, and how many messages
# its websockets have received, counted before Streamlit's own handler sees each one
# (``ScriptRuns``).
COUNT_RUNS = """
window.__documentId = Math.random().toString(36).slice(2);
window.__framesIn = 0;
const NativeWebSocket = window.WebSocket;
window.WebSocket = class extends NativeWebSocket {
  constructor(...args) {
    super(...args);
    this.addEventListener("message", () => { window.__framesIn += 1; });
  }
};
"""
# The page as drawn: the script has ended, the title is there, no element is left from a
# run before or still loading its code (Streamlit's skeleton while an element's module
# loads), and every Plotly chart has drawn its SVG (charts draw after the script).
DRAWN = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute("data-test-script-state") !== "notRunning") return false;
  if (!app.querySelector("h1") || app.querySelector('[data-stale="true"]')) return false;
  if (app.querySelector('[data-testid="stSkeleton"]')) return false;
  return [...app.querySelectorAll('[data-testid="stPlotlyChart"]')]
    .every((chart) => chart.querySelector(".main-svg"));
}"""
# Two animation frames: what was laid out has been painted (after a resize, say).
PAINTED = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"


class ScriptRuns:
    """The script runs the server reports finished to a page (``script_finished`` on its
    websocket): an action's rerun is waited for by their number, not by a pause. The
    context must run ``COUNT_RUNS``, so that the page is known to have received them."""

    def __init__(self, page: object) -> None:
        self.page = page
        self.frames = 0  # on the current socket
        self.finished: list[int] = []  # the frame count at each run's end
        page.on("websocket", self._socket)  # type: ignore[attr-defined]

    def _socket(self, socket: object) -> None:
        if "/_stcore/stream" in socket.url:  # type: ignore[attr-defined]
            self.frames, self.finished = 0, []
            socket.on("framereceived", self._frame)  # type: ignore[attr-defined]

    def settle(self, seen: tuple[str, int], timeout_ms: int = 60_000) -> tuple[str, int]:
        """After an action that may or may not load a new document (a login, or a
        language switch): a new document is drawn once its first run has ended, the same
        one once its next run has. ``seen`` and the result: (document id, runs)."""
        document, runs = seen
        now = self.page.evaluate("() => window.__documentId")  # type: ignore[attr-defined]
        if now != document:
            wait_drawn(self.page, timeout_ms=timeout_ms)
            return now, self.sync()
        return now, wait_drawn(self.page, self, runs, timeout_ms)

    def _frame(self, payload: bytes | str) -> None:
        from google.protobuf.message import DecodeError
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        self.frames += 1
        if isinstance(payload, str):
            return
        message = ForwardMsg()
        try:
            message.ParseFromString(payload)
        except DecodeError:
            return
        if message.WhichOneof("type") == "script_finished":
            self.finished.append(self.frames)

    @property
    def count(self) -> int:
        return len(self.finished)

    def wait(self, after: int, timeout_ms: int = 60_000) -> None:
        """Until more than ``after`` runs have finished and the page has received the
        message that says so (Playwright delivers frames while it waits)."""
        deadline = time.monotonic() + timeout_ms / 1000
        while self.count <= after:
            if time.monotonic() > deadline:
                pytest.fail(f"no script run ended within {timeout_ms} ms ({after} before)")
            self.page.wait_for_timeout(20)  # type: ignore[attr-defined]
        frames = self.finished[after]
        self.page.wait_for_function(  # type: ignore[attr-defined]
            f"() => (window.__framesIn || 0) >= {frames}", timeout=timeout_ms
        )

    def sync(self, timeout_ms: int = 10_000) -> int:
        """The runs finished so far, once this side has seen every frame the page has
        (after a navigation: the new document's socket)."""
        deadline = time.monotonic() + timeout_ms / 1000
        while self.frames < self.page.evaluate("() => window.__framesIn || 0"):  # type: ignore[attr-defined]
            if time.monotonic() > deadline:
                pytest.fail(f"the page's frames did not all arrive within {timeout_ms} ms")
            self.page.wait_for_timeout(20)  # type: ignore[attr-defined]
        return self.count


def wait_drawn(
    page: object,
    runs: ScriptRuns | None = None,
    after: int | None = None,
    timeout_ms: int = 60_000,
) -> int:
    """Until the page is drawn (``DRAWN``); with ``after``, by a run that ended after
    that many had (the rerun an action started; after a navigation, leave it out: the
    new document's first run is waited for). Returns the runs ended so far."""
    from playwright.sync_api import TimeoutError as Timeout

    try:
        if runs is not None and after is not None:
            runs.wait(after, timeout_ms)
        page.wait_for_function(DRAWN, timeout=timeout_ms)  # type: ignore[attr-defined]
    except Timeout:
        state = page.evaluate(_STATE)  # type: ignore[attr-defined]
        pytest.fail(f"not drawn within {timeout_ms} ms (runs before: {after}); {state}")
    page.evaluate(PAINTED)  # type: ignore[attr-defined]
    return runs.sync() if runs is not None else 0


# What ``wait_drawn`` saw when it gave up.
_STATE = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return {
    url: location.href, framesIn: window.__framesIn,
    state: app && app.getAttribute("data-test-script-state"),
    h1: !!(app && app.querySelector("h1")),
    stale: document.querySelectorAll('[data-stale="true"]').length,
    skeletons: document.querySelectorAll('[data-testid="stSkeleton"]').length,
    charts: document.querySelectorAll('[data-testid="stPlotlyChart"]').length,
    drawnCharts: document.querySelectorAll('[data-testid="stPlotlyChart"] .main-svg').length,
  };
}"""


def launch_options() -> dict[str, object]:
    """Playwright's launch arguments for Debian's Chromium (sync and async alike); the
    sync ``browser`` fixture of conftest.py uses them."""
    return {"executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


def server_env(data: Path | None = None, cache: Path | None = None) -> dict[str, str]:
    """This process's environment for a dashboard server: on ``data`` (else the bundled
    data/), with its snapshot cache in ``cache`` (else this run's)."""
    env = {k: v for k, v in os.environ.items() if k != DATA_ENV}
    if data is not None:
        env[DATA_ENV] = str(data)
    if cache is not None:
        env[CACHE_ENV] = str(cache)
    return env


def need(*programs: str) -> None:
    """Skip the calling test module without these (fail in CI, which installs them)."""
    missing = [p for p in programs if not (Path(p).exists() or _which(p))]
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{', '.join(missing)} missing: .ci/run must install it", pytrace=False)
        pytest.skip(f"needs Debian's {', '.join(missing)}", allow_module_level=True)


def _which(program: str) -> str | None:
    import shutil

    return shutil.which(program) or shutil.which(program, path="/usr/sbin")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def is_outside(url: str, local: tuple[str, ...] = ()) -> bool:
    """Whether a request leaves this machine (``data:`` and ``blob:`` URLs never do);
    ``local``: more names that lead to 127.0.0.1 (Chromium's ``--host-resolver-rules``)."""
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob"):
        return False
    return parts.hostname not in ("127.0.0.1", "localhost", *local)


def wait_healthy(
    url: str, seconds: float = 90, process: subprocess.Popen | None = None, host: str = ""
) -> None:
    """Return once ``url`` answers its health check (asked with ``host`` as the Host
    header, when given); fail after ``seconds``, or at once when ``process`` (the
    server) has ended."""
    deadline = time.monotonic() + seconds
    request = urllib.request.Request(
        f"{url}/_stcore/health", headers={"Host": host} if host else {}
    )
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            pytest.fail(f"the server of {url} ended with exit code {process.returncode}")
        try:
            with urllib.request.urlopen(request, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.1)  # the port is not open yet: ask again
    pytest.fail(f"{url} did not answer within {seconds:.0f} s")


def open_connections(port: int) -> int:
    """How many TCP connections to ``port`` on this machine are established (from
    ``/proc/net/tcp``: the local address's port in hex, state 01)."""
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "01":
                count += 1
    return count


def wait_connections_closed(port: int, seconds: float = 30) -> None:
    """Return once no connection to ``port`` is left open (every reader's websocket
    closed, so the server has ended their sessions); fail after ``seconds``."""
    deadline = time.monotonic() + seconds
    while open_connections(port):
        if time.monotonic() > deadline:
            pytest.fail(f"{open_connections(port)} connections to port {port} still open")
        time.sleep(0.05)


def start(command: list[str], log: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    """A process in its own session (so that ``stop`` ends all of it), output to ``log``."""
    with log.open("wb") as out:
        return subprocess.Popen(
            command, cwd=PROJECT, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=15)


def dashboard_command(port: int) -> list[str]:
    """The README's ``uv run dashboard``, on a loopback port."""
    return [sys.executable, "-m", "dashboard.serve", "--server.port", str(port),
            "--server.address", "127.0.0.1", "--server.fileWatcherType", "none"]  # fmt: skip


@contextmanager
def dashboard(
    log: Path, env: dict[str, str], wrap: tuple[str, ...] = (), options: tuple[str, ...] = ()
) -> Iterator[tuple[str, int]]:
    """A dashboard server with ``env`` (its command after ``wrap``, Streamlit's
    ``options`` after it); its URL and process id once it answers."""
    port = free_port()
    process = start([*wrap, *dashboard_command(port), *options], log, env)
    try:
        url = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(url, process=process)
        except pytest.fail.Exception as failed:
            # The reason is in the server's output, and the tmp folder may be gone later.
            tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
            pytest.fail(f"{failed}; the server's output ends:\n{tail}", pytrace=False)
        yield url, process.pid
    finally:
        stop(process)


# The host name deploy/nginx.conf serves (its ``server_name``).
SITE_NAME = "dashboard.example.internal"


def nginx_config(folder: Path, listen: int, replicas: list[int], name: str = SITE_NAME) -> Path:
    """deploy/nginx.conf with these ports, serving the dashboard as ``name`` (every
    other name is refused), inside a main file of its own in ``folder``."""
    site = (PROJECT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    site = site.replace(f"server_name {SITE_NAME};", f"server_name {name};")
    site = site.replace("127.0.0.1:8501", f"127.0.0.1:{replicas[0]}")
    site = site.replace("127.0.0.1:8502", f"127.0.0.1:{replicas[1]}")
    for default in ("", " default_server"):
        site = site.replace(f"listen 80{default};", f"listen 127.0.0.1:{listen}{default};")
    (folder / "site.conf").write_text(site, encoding="utf-8")
    temp = "".join(
        f"    {kind}_temp_path {folder / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    main = folder / "nginx.conf"
    main.write_text(
        f"pid {folder / 'nginx.pid'};\n"
        f"error_log {folder / 'error.log'};\n"
        "events {}\n"
        "http {\n"
        f"    access_log {folder / 'access.log'};\n{temp}"
        f"    include {folder / 'site.conf'};\n"
        "}\n",
        encoding="utf-8",
    )
    return main


def nginx_command(config: Path) -> list[str]:
    """Debian's nginx in the foreground on ``config`` (written by ``nginx_config``)."""
    nginx = _which("nginx") or "/usr/sbin/nginx"
    return [nginx, "-p", str(config.parent), "-c", str(config), "-g", "daemon off;"]


def record_visits(url: str) -> list[Visit]:
    """What Chromium sends on every page of ``url`` (``readers.record``), for readers to
    replay; Chromium is started for this and closed."""
    from playwright.async_api import async_playwright

    async def recorded() -> list[Visit]:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(**launch_options())  # type: ignore[arg-type]
            try:
                return await record(url, browser)
            finally:
                await browser.close()

    return asyncio.run(recorded())
