"""Simulated readers that speak Streamlit's own websocket protocol, for load tests.

A real Chromium visits the dashboard once (``record``): it opens the overview, follows
every page of the sidebar, and opens deep links with query parameters, while every
``rerun_script`` message it sends is recorded. A reader (``replay``) then opens its own
sessions on ``/_stcore/stream`` and sends those very messages, one at a time, waiting
for each page run to finish: the same pages, widget states and query parameters as the
browser, without a browser's CPU on the machine.

What a reader keeps like a browser does: the xsrf and routing cookies of ``GET /`` (the
cookie nginx pins a reader to a replica with), and the cache of large messages (it tells
the server which messages it already holds, and the server sends references to them).

Messages are the classes the ``streamlit`` package ships (``streamlit.proto``). This
module needs no pytest, so ``bench/server_load.py`` uses it too.
"""

from __future__ import annotations

import asyncio
import http.cookies
import math
import random
import statistics
import time
import urllib.request
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import connect

FINISHED = ForwardMsg.ScriptFinishedStatus
# The pages a reader visits after the overview, as deep links (a new session each).
DEEP_LINKS = (
    "compare?indicator=investment",
    "region?region=xinjie&lang=en",
    "practices?q=老书记",
)


@dataclass(frozen=True)
class Visit:
    """One browser session: the path it opened and the reruns it sent, in order."""

    path: str
    # Each run: the page it shows (its path and query, as the browser's address bar
    # had it) and the serialized BackMsg (rerun_script) that asked for it.
    runs: tuple[tuple[str, bytes], ...]


@dataclass
class Run:
    """One page run as a reader saw it."""

    label: str
    seconds: float
    error: str | None = None
    # Every message of the run, raw (references resolved), when the caller asked for it.
    payload: list[bytes] = field(default_factory=list)
    # The id of every widget the run drew -> its kind (text_area, button, ...).
    widgets: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.error is None


# --- Recording what a browser sends -------------------------------------------------


async def record(url: str, browser: object, links: Sequence[str] = DEEP_LINKS) -> list[Visit]:
    """The reruns Chromium sends: the overview, each sidebar page in turn, then each deep
    link in a session of its own. ``browser`` is an async Playwright browser."""
    ready = '[data-testid="stApp"][data-test-script-state="notRunning"]'
    visits: list[Visit] = []
    context = await browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    try:
        page = await context.new_page()
        sent: list[bytes] = []
        page.on("websocket", lambda ws: ws.on("framesent", lambda data: _keep(sent, data)))

        async def settle(count: int) -> None:
            # A run has started once its rerun was sent, and ended when the app is idle.
            deadline = time.monotonic() + 120
            while len(sent) < count:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"no rerun sent for run {count}")
                await asyncio.sleep(0.05)
            await page.wait_for_selector(ready, timeout=120_000)

        await page.goto(f"{url}/", timeout=120_000)
        await settle(1)
        links_in_sidebar = page.locator('[data-testid="stSidebarNav"] a')
        # Labels name what was asked for (the link's target), not the address bar, which a
        # page may still be rewriting when its run ends.
        labels = ["/"]
        for index in range(1, await links_in_sidebar.count()):
            target = links_in_sidebar.nth(index)
            href = await target.get_attribute("href") or ""
            labels.append(unquote(urlsplit(href).path).strip("/"))
            await target.click()
            await settle(index + 1)
        if len(sent) != len(labels):
            raise RuntimeError(f"{len(sent)} reruns sent for {len(labels)} pages")
        visits.append(Visit("", tuple(zip(labels, sent, strict=True))))
        for link in links:
            sent.clear()
            await page.goto(f"{url}/{link}", timeout=120_000)
            await settle(1)
            visits.append(Visit(link, ((link, sent[0]),)))
    finally:
        await context.close()
    return visits


def _keep(sent: list[bytes], data: bytes | str) -> None:
    if isinstance(data, bytes):
        message = BackMsg()
        message.ParseFromString(data)
        if message.WhichOneof("type") == "rerun_script":
            sent.append(data)


def rerun_of(page: str = "", query: str = "", widgets: Iterable[WidgetState] = ()) -> bytes:
    """The rerun a browser sends to open ``page`` (its URL path, "" for the main page)
    with ``query`` and these widget states: built here, no browser needed."""
    message = BackMsg()
    state = message.rerun_script
    state.page_name = page
    state.query_string = query
    state.widget_states.widgets.extend(widgets)
    return message.SerializeToString()


# --- Replaying as a reader ----------------------------------------------------------


def cookies_of(url: str) -> dict[str, str]:
    """What ``GET /`` sets: the xsrf cookie, and behind nginx the replica's route."""
    with urllib.request.urlopen(f"{url}/", timeout=30) as answer:
        jar = http.cookies.SimpleCookie()
        for header in answer.headers.get_all("Set-Cookie") or []:
            jar.load(header)
        answer.read()
    return {name: morsel.value for name, morsel in jar.items()}


class Reader:
    """One simulated reader: a websocket session at a time, reruns sent one by one."""

    def __init__(
        self,
        url: str,
        *,
        think: tuple[float, float] = (0.0, 0.0),
        seed: int = 0,
        keep: bool = False,
        timeout: float = 120,
    ) -> None:
        self.url = url
        # Seconds a reader spends on a page before the next one (uniform between the
        # two); (0, 0) asks for the next page as soon as one has finished.
        self.think_range = think
        self._random = random.Random(seed)
        self.keep = keep  # keep every run's messages (to look into them)
        self.timeout = timeout
        self.cache: dict[str, bytes] = {}  # large messages by hash, as a browser keeps them
        self.cookies: dict[str, str] = {}

    def think(self) -> float:
        low, high = self.think_range
        return self._random.uniform(low, high) if high > 0 else 0.0

    async def visit(self, visit: Visit, until: float = math.inf) -> list[Run]:
        """Open a session on the visit's path and run each of its reruns to the end,
        reading each page for a while; no new run starts after ``until`` (monotonic)."""
        runs: list[Run] = []
        try:
            async with self.session() as socket:
                for page, rerun in visit.runs:
                    runs.append(await self.run(socket, page, rerun, visit.path))
                    if not runs[-1].ok or time.monotonic() >= until:
                        break
                    await asyncio.sleep(min(self.think(), until - time.monotonic()))
        except (OSError, TimeoutError) as error:
            runs.append(Run(visit.path or "/", 0.0, f"connection: {error!r}"))
        except Exception as error:  # a closed socket: the run never finished
            runs.append(Run(visit.path or "/", 0.0, f"{type(error).__name__}: {error}"))
        return runs

    @asynccontextmanager
    async def session(self) -> AsyncIterator[object]:
        """A websocket session of this reader (with its cookies), closed on leaving."""
        if not self.cookies:
            self.cookies = await asyncio.to_thread(cookies_of, self.url)
        header = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        ws_url = self.url.replace("http://", "ws://", 1) + "/_stcore/stream"
        async with connect(
            ws_url,
            subprotocols=["streamlit"],  # type: ignore[list-item]
            additional_headers={"Cookie": header, "Origin": self.url},
            max_size=None,
            open_timeout=self.timeout,
            ping_interval=None,
        ) as socket:
            yield socket

    async def run(self, socket: object, page: str, rerun: bytes, path: str) -> Run:
        """Send one rerun on an open session and read until its run has ended."""
        message = BackMsg()
        message.ParseFromString(rerun)
        state = message.rerun_script
        # Tell the server what this reader holds, not what the recorded browser held.
        del state.cached_message_hashes[:]
        state.cached_message_hashes.extend(self.cache)
        state.context_info.url = f"{self.url}/{path}"
        run = Run(page, 0.0)
        began = time.perf_counter()
        await socket.send(message.SerializeToString())  # type: ignore[attr-defined]
        deadline = began + self.timeout
        try:
            while True:
                left = deadline - time.perf_counter()
                raw = await asyncio.wait_for(socket.recv(), timeout=max(left, 0.001))  # type: ignore[attr-defined]
                status = self._receive(raw, run)
                if status == FINISHED.FINISHED_SUCCESSFULLY:
                    break
                if status == FINISHED.FINISHED_WITH_COMPILE_ERROR:
                    run.error = run.error or "compile error"
                    break
        except TimeoutError:
            run.error = run.error or f"not finished after {self.timeout:.0f} s"
        run.seconds = time.perf_counter() - began
        return run

    def _receive(self, raw: bytes, run: Run) -> int | None:
        """Look at one message; the run's status when it says the run ended."""
        message = ForwardMsg()
        message.ParseFromString(raw)
        kind = message.WhichOneof("type")
        if kind == "ref_hash":
            raw = self.cache.get(message.ref_hash, b"")
            if not raw:
                run.error = run.error or f"reference to a message never sent: {message.ref_hash}"
                return None
            message = ForwardMsg()
            message.ParseFromString(raw)
            kind = message.WhichOneof("type")
        elif message.metadata.cacheable and message.hash:
            self.cache[message.hash] = raw
        if self.keep:
            run.payload.append(raw)
        if kind == "delta":
            element = message.delta.new_element
            shown = element.WhichOneof("type")
            if shown == "exception":
                run.error = run.error or f"exception: {element.exception.message or '(hidden)'}"
            elif shown and getattr(getattr(element, shown), "id", ""):
                run.widgets[getattr(element, shown).id] = shown
        elif kind == "page_not_found":
            run.error = run.error or "page not found"
        elif kind == "session_event" and message.session_event.WhichOneof("type") in (
            "script_compilation_exception",
        ):
            run.error = run.error or "script compilation exception"
        elif kind == "script_finished":
            return message.script_finished
        return None


async def read_for(reader: Reader, visits: Sequence[Visit], seconds: float) -> list[Run]:
    """One reader going through ``visits`` again and again for ``seconds``: the run
    under way when time is up is finished, and no other starts."""
    runs: list[Run] = []
    ends = time.monotonic() + seconds
    # Readers arrive one by one, as people do, not all in the same instant.
    await asyncio.sleep(reader.think())
    while True:
        for visit in visits:
            runs.extend(await reader.visit(visit, until=ends))
            if time.monotonic() >= ends:
                return runs


async def crowd(
    url: str,
    visits: Sequence[Visit],
    readers: int,
    *,
    seconds: float,
    think: tuple[float, float] = (0.0, 0.0),
    keep: bool = False,
) -> tuple[list[list[Run]], float]:
    """``readers`` readers at once, each starting at a different visit and thinking
    its own (seeded) times; their runs and the wall time it took."""
    began = time.perf_counter()
    count = len(visits)
    results = await asyncio.gather(
        *(
            read_for(
                Reader(url, think=think, seed=i, keep=keep),
                [*visits[i % count :], *visits[: i % count]],
                seconds,
            )
            for i in range(readers)
        )
    )
    return list(results), time.perf_counter() - began


# --- Figures ------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """What a load run measured."""

    readers: int
    runs: int
    errors: int
    seconds: float
    runs_per_second: float
    p50: float
    p95: float
    error_examples: tuple[str, ...]


def figures(per_reader: Iterable[list[Run]], readers: int, seconds: float) -> Figures:
    runs = [run for reader in per_reader for run in reader]
    done = sorted(run.seconds for run in runs if run.ok)
    errors = [f"{run.label}: {run.error}" for run in runs if not run.ok]
    return Figures(
        readers=readers,
        runs=len(runs),
        errors=len(errors),
        seconds=seconds,
        runs_per_second=len(done) / seconds if seconds else 0.0,
        p50=statistics.median(done) if done else float("nan"),
        p95=percentile(done, 95),
        error_examples=tuple(errors[:5]),
    )


def percentile(sorted_values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile of already sorted values."""
    if not sorted_values:
        return float("nan")
    rank = max(1, math.ceil(pct / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def rss_mb(pid: int) -> float:
    """Resident memory of a process, in MiB."""
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise ValueError(f"no VmRSS for {pid}")
