"""Shared by the tests that run a real dashboard server and Chromium on loopback."""

from __future__ import annotations

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
from conftest import PROJECT

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


def is_outside(url: str) -> bool:
    """Whether a request leaves this machine."""
    return urlsplit(url).hostname not in ("127.0.0.1", "localhost")


def wait_healthy(url: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"{url} did not answer within {seconds:.0f} s")


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
    log: Path, env: dict[str, str], wrap: tuple[str, ...] = ()
) -> Iterator[tuple[str, int]]:
    """A dashboard server with ``env`` (its command after ``wrap``); its URL and
    process id once it answers."""
    port = free_port()
    process = start([*wrap, *dashboard_command(port)], log, env)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_healthy(url)
        yield url, process.pid
    finally:
        stop(process)
