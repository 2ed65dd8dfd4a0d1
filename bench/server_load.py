"""How many readers one dashboard server holds, and what a second replica buys.

    uv run python -m bench.server_load              # writes bench/SERVER_LOAD.md and .json
    uv run python -m bench.server_load --seconds 10 # shorter runs, for a try
    uv run python -m bench.server_load --profile    # py-spy at 30 readers: SERVER_PROFILE.md

Readers speak Streamlit's websocket protocol (``tests/support/readers.py``): Chromium visits the
dashboard once and its messages are recorded; each reader then replays them in its own
sessions (the overview, every page of the sidebar, three deep links with query
parameters), waiting for every page run to finish. Two ways to read:

- as people: after each page a reader reads for 1 to 5 seconds (uniform, seeded);
- as fast as possible: the next page as soon as one has finished (the server's capacity).

For 1, 10, 30 and 60 readers against one ``uv run dashboard`` (a fresh server each time,
warmed by one visit), and for 30 and 60 through nginx (``deploy/nginx.conf``) in front
of two replicas: page runs per second, p50 and p95 time per page, errors, the server's
memory before and after, the CPU the server(s) and this load generator used. Also the
same server with Streamlit's default of a garbage collection after every page run
(``runner.postScriptGC``), which the dashboard turns off.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

from tests.support.live import (  # noqa: E402
    dashboard_command,
    free_port,
    nginx_command,
    nginx_config,
    record_visits,
    server_env,
    start,
    stop,
    wait_healthy,
)
from tests.support.readers import Figures, Reader, Visit, crowd, figures, rss_mb  # noqa: E402

PEOPLE = (1.0, 5.0)
AT_ONCE = (0.0, 0.0)
LEVELS = (1, 10, 30, 60)
REPLICA_LEVELS = (30, 60)
TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Row:
    setup: str
    think: str
    figures: Figures
    memory_before: float
    memory_after: float
    server_cpu: float  # cores the server processes kept busy, on average
    generator_cpu: float  # cores this load generator kept busy, on average


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


@contextmanager
def one_server(
    folder: Path, extra: tuple[str, ...] = ()
) -> Iterator[tuple[str, list[int], list[str]]]:
    port = free_port()
    process = start([*dashboard_command(port), *extra], folder / f"server-{port}.log", env())
    try:
        wait_healthy(f"http://127.0.0.1:{port}", process=process)
        url = f"http://127.0.0.1:{port}"
        yield url, [process.pid], [url]
    finally:
        stop(process)


@contextmanager
def two_replicas(folder: Path) -> Iterator[tuple[str, list[int], list[str]]]:
    ports = [free_port(), free_port()]
    replicas = [start(dashboard_command(p), folder / f"replica-{p}.log", env()) for p in ports]
    listen = free_port()
    site = folder / f"nginx-{listen}"
    site.mkdir()
    # The readers ask for 127.0.0.1 (a loopback name, which the replicas always allow).
    config = nginx_config(site, listen, ports, name="127.0.0.1")
    proxy = start(nginx_command(config), site / "nginx.out")
    try:
        for port in ports:
            wait_healthy(f"http://127.0.0.1:{port}")
        wait_healthy(f"http://127.0.0.1:{listen}")
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        yield f"http://127.0.0.1:{listen}", [r.pid for r in replicas], urls
    finally:
        for process in (proxy, *replicas):
            stop(process)


_CACHE = tempfile.mkdtemp(prefix="bench-load-cache-")


def env() -> dict[str, str]:
    """The bundled data, with a snapshot cache of this run."""
    return server_env(cache=Path(_CACHE))


def warm(urls: list[str], visits: list[Visit]) -> None:
    """One reader through every visit on each server: every page's views computed."""

    async def through(url: str) -> None:
        reader = Reader(url)
        for visit in visits:
            await reader.visit(visit)

    for url in urls:
        asyncio.run(through(url))


def measure(
    url: str, pids: list[int], visits: list[Visit], readers: int, think: tuple[float, float],
    seconds: float,
) -> tuple[Figures, float, float, float, float]:  # fmt: skip
    """``readers`` at once for ``seconds`` on warm server(s)."""
    before = sum(rss_mb(pid) for pid in pids)
    server_began = sum(cpu_seconds(pid) for pid in pids)
    mine = os.times()
    began = time.perf_counter()
    per_reader, took = asyncio.run(crowd(url, visits, readers, seconds=seconds, think=think))
    wall = time.perf_counter() - began
    used = os.times()
    generator = (used.user - mine.user + used.system - mine.system) / wall
    server = (sum(cpu_seconds(pid) for pid in pids) - server_began) / wall
    time.sleep(3)  # sessions end when their websockets close
    after = sum(rss_mb(pid) for pid in pids)
    return figures(per_reader, readers, took), before, after, server, generator


def run_level(
    setup: str, folder: Path, visits: list[Visit], readers: int, think: tuple[float, float],
    seconds: float, extra: tuple[str, ...] = (),
) -> Row:  # fmt: skip
    servers = two_replicas(folder) if setup == "nginx + 2 replicas" else one_server(folder, extra)
    with servers as (url, pids, replicas):
        warm(replicas, visits)
        found, before, after, server, generator = measure(
            url, pids, visits, readers, think, seconds
        )
    label = "1–5 s" if think == PEOPLE else "none"
    row = Row(setup, label, found, before, after, server, generator)
    print(
        f"{setup:<22} {readers:>3} readers, think {label:<5}: {found.runs_per_second:5.1f} runs/s"
        f" p50 {found.p50:.3f} p95 {found.p95:.3f} errors {found.errors}"
        f" mem {before:.0f}->{after:.0f} MB server {server:.2f} gen {generator:.2f} cores",
        file=sys.stderr,
        flush=True,
    )
    return row


def profile(
    folder: Path, visits: list[Visit], seconds: float, extra: tuple[str, ...] = ()
) -> list[str]:
    """py-spy on one server at 30 readers reading at once: the biggest shares."""
    from shutil import which

    spy = which("py-spy")
    if not spy:
        raise SystemExit("py-spy is not installed (pip install py-spy): no profile taken.")
    raw = folder / f"profile-{len(extra)}.txt"
    with one_server(folder, extra) as (url, pids, _):
        warm([url], visits)
        recorder = subprocess.Popen(
            [spy, "record", "-p", str(pids[0]), "-d", str(int(seconds)), "-r", "100",
             "-f", "raw", "-o", str(raw), "--nonblocking"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        asyncio.run(crowd(url, visits, 30, seconds=seconds + 2))
        recorder.wait(timeout=seconds + 60)
    return summarize(raw)


def summarize(raw: Path, top: int = 12) -> list[str]:
    """The functions with the largest inclusive share of the samples (py-spy raw)."""
    import re
    from collections import Counter

    total, shares = 0, Counter()
    for line in raw.read_text().splitlines():
        stack, count = line.rsplit(" ", 1)
        total += int(count)
        frames = {re.sub(r":\d+\)", ")", frame) for frame in stack.split(";")}
        for frame in frames:
            shares[frame] += int(count)
    # The page scripts, the dashboard's code, and what Streamlit does around each run.
    wanted = ("dashboard/", "app_pages/", "app.py", "_on_script_finished", "code_to_exec",
              "ArrowMixin.dataframe", "PlotlyMixin", "enqueue_message")  # fmt: skip
    lines = [f"{total} samples at 100 Hz; the largest inclusive shares:", ""]
    for frame, count in shares.most_common():
        if any(part in frame for part in wanted):
            lines.append(f"- {100 * count / total:.0f}% `{frame}`")
        if len(lines) >= top + 2:
            break
    return lines


def profiles(folder: Path, visits: list[Visit], out: Path) -> None:
    """Where one server's time goes at 30 readers, with and without the collection."""
    document = [
        "# Where the server's time goes at 30 readers",
        "",
        f"`uv run python -m bench.server_load --profile` on {time.strftime('%Y-%m-%d')}:"
        f" {machine()}. py-spy samples one server for 20 s while 30 readers read as fast as"
        " they can. The page scripts run in Streamlit's script threads (under `app.py`);"
        " `dashboard/serve.py` is the server's main thread, the event loop that sends the"
        " messages.",
        "",
        "## Streamlit's default (`runner.postScriptGC = true`)",
        "",
        *profile(folder, visits, 20, ("--runner.postScriptGC", "true")),
        "",
        "## The dashboard's setting (`runner.postScriptGC = false`)",
        "",
        *profile(folder, visits, 20),
        "",
    ]
    out.write_text("\n".join(document), encoding="utf-8")
    print(f"wrote {out}", file=sys.stderr)


def machine() -> str:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")), platform.processor() or "unknown CPU",
    )  # fmt: skip
    memory = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB, {platform.platform()}, "
        f"Python {platform.python_version()}"
    )


def table(rows: list[Row], alone: dict[str, float]) -> list[str]:
    lines = [
        "| setup | readers | reading time | page runs | runs/s | p50 | p95 | p95 ÷ one reader's |"
        " errors | server memory before → after | server CPU | load generator CPU |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---|---:|---:|",
    ]
    for row in rows:
        f = row.figures
        ratio = f.p95 / alone[row.think] if alone.get(row.think) else float("nan")
        lines.append(
            f"| {row.setup} | {f.readers} | {row.think} | {f.runs} | {f.runs_per_second:.1f} |"
            f" {f.p50:.3f} s | {f.p95:.3f} s | {ratio:.1f}× | {f.errors} |"
            f" {row.memory_before:.0f} → {row.memory_after:.0f} MB | {row.server_cpu:.2f} cores |"
            f" {row.generator_cpu:.2f} cores ({50 * row.generator_cpu:.0f}% of the machine) |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=40, help="seconds per level")
    parser.add_argument("--profile", action="store_true", help="only profile 30 readers (py-spy)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "SERVER_LOAD.md")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-load-"))
    with one_server(folder) as (url, _, _):
        visits = record_visits(url)
    runs = sum(len(v.runs) for v in visits)
    print(f"recorded {len(visits)} visits, {runs} page runs", file=sys.stderr)
    if args.profile:
        profiles(folder, visits, args.out.with_name("SERVER_PROFILE.md"))
        return

    rows: list[Row] = []
    for think in (PEOPLE, AT_ONCE):
        for readers in LEVELS:
            rows.append(run_level("one server", folder, visits, readers, think, args.seconds))
        for readers in REPLICA_LEVELS:
            rows.append(
                run_level("nginx + 2 replicas", folder, visits, readers, think, args.seconds)
            )
    gc_on = ("--runner.postScriptGC", "true")
    gc_rows = [
        run_level("one server, GC after every run", folder, visits, n, think, args.seconds, gc_on)
        for think in (PEOPLE, AT_ONCE)
        for n in (1, 30)
    ]
    # One reader alone is measured best reading at once: hundreds of runs, not a dozen.
    (lone,) = (r for r in rows if r.setup == "one server" and r.figures.readers == 1
               and r.think == "none")  # fmt: skip
    (gc_lone,) = (r for r in gc_rows if r.figures.readers == 1 and r.think == "none")
    alone = dict.fromkeys(("1–5 s", "none"), lone.figures.p95)
    gc_alone = dict.fromkeys(("1–5 s", "none"), gc_lone.figures.p95)
    document = [
        "# Readers at the server",
        "",
        f"`uv run python -m bench.server_load` on {time.strftime('%Y-%m-%d')}: {machine()}.",
        "The server(s), nginx and the load generator share these cores.",
        f"Bundled data; {args.seconds:.0f} s per level; each reader replays Chromium's messages"
        f" for {len(visits)} visits ({runs} page runs: the overview, every page of the"
        " sidebar, three deep links), waiting for every run to finish; readers reading as"
        " people arrive within their first reading time. p95 ÷ one reader's compares with"
        " the p95 of one reader alone on one server, reading at once (hundreds of runs;"
        " reading as people, one reader makes only a dozen in the time, so its p95 is its"
        " slowest run). Every server is warmed by one reader through every visit first.",
        "",
        *table(rows, alone),
        "",
        "## Streamlit's default: a full garbage collection after every page run",
        "",
        *table(gc_rows, gc_alone),
        "",
    ]
    document += ["Where the time goes: `SERVER_PROFILE.md` (`--profile`).", ""]
    args.out.write_text("\n".join(document), encoding="utf-8")
    args.out.with_suffix(".json").write_text(
        json.dumps([asdict(r) for r in rows + gc_rows], indent=1, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
