"""Many curators drafting at once on the workbench, and a reader of the Overview beside them.

    uv run python -m bench.workbench_load --readers 20 --size 1000000   # bench/WORKBENCH_LOAD.md
    uv run python -m bench.workbench_load --readers 6 --size 150000 --out /tmp/try.md

One dashboard server (``uv run dashboard`` on the bundled data). Readers speak Streamlit's
websocket protocol (``tests/support/workbench.py``): each opens /curate, pastes a
made-up article of ``--size`` bytes (a different one each), presses "Draft it", drops
the first proposed row (a re-check), and leaves. While they do, one more reader opens
the Overview again and again, each time in a new session. Measured:

- the server's resident memory (and its children's: the workbench's worker) at the
  start (after one warm-up visit of each page), its peak while the curators work, once
  their websockets are closed, and once Streamlit has ended their sessions (it keeps a
  disconnected session ``server.disconnectedSessionTTL`` seconds for a reconnect);
- the Overview's time alone (median of a dozen runs) and while the curators work.

Targets: memory after the sessions end within 50 MB of the start; the Overview's median
time beside the curators at most twice its time alone.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

from bench.server_load import machine  # noqa: E402
from dashboard.drafting import IDLE_SECONDS  # noqa: E402
from tests.support.live import (  # noqa: E402
    dashboard_command,
    free_port,
    open_connections,
    server_env,
    start,
    stop,
    wait_healthy,
)
from tests.support.readers import Reader, Run, rss_mb  # noqa: E402
from tests.support.workbench import (  # noqa: E402
    Drafting,
    curators_beside_a_reader,
    draft,
    made_up_article,
    overview_times,
)

# Seconds Streamlit keeps a disconnected session (its default; the dashboard keeps it).
SESSION_TTL = 120
MEMORY_TARGET_MB = 50
SLOWDOWN_TARGET = 2.0


def children(pid: int) -> list[int]:
    """The processes ``pid`` started (the workbench's worker), from /proc."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def memory(pid: int) -> tuple[float, float]:
    """Resident MiB of the server process, and of its children together."""
    rest = 0.0
    for child in children(pid):
        try:
            rest += rss_mb(child)
        except (OSError, ValueError):
            continue  # ended meanwhile
    return rss_mb(pid), rest


@dataclass
class Sampler:
    """The largest resident memory seen, sampled every quarter second."""

    pid: int
    peak: tuple[float, float] = (0.0, 0.0)
    samples: list[float] = field(default_factory=list)

    async def run(self, stop_at: asyncio.Event) -> None:
        while not stop_at.is_set():
            server, rest = memory(self.pid)
            self.samples.append(server + rest)
            if server + rest > sum(self.peak):
                self.peak = (server, rest)
            await asyncio.sleep(0.25)


async def crowd(url: str, pid: int, readers: int, size: int) -> dict:
    """``readers`` curators at once beside a reader of the Overview."""
    articles = [made_up_article(size, seed=seed) for seed in range(1, readers + 1)]
    sampled = asyncio.Event()
    sampler = Sampler(pid)
    sampling = asyncio.create_task(sampler.run(sampled))
    drafts, overview, took = await curators_beside_a_reader(url, articles)
    sampled.set()
    await sampling
    return {"drafts": drafts, "overview": overview, "seconds": took, "peak": sampler.peak}


def wait_alone(pid: int, seconds: float) -> None:
    """Until the server has no worker process, at most ``seconds``."""
    deadline = time.monotonic() + seconds
    while children(pid) and time.monotonic() < deadline:
        time.sleep(1)
    time.sleep(2)


def wait_closed(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while open_connections(port) and time.monotonic() < deadline:
        time.sleep(0.1)


def median(runs: list[Run]) -> float:
    times = [run.seconds for run in runs if run.ok]
    return statistics.median(times) if times else float("nan")


def p95(runs: list[Run]) -> float:
    times = sorted(run.seconds for run in runs if run.ok)
    return times[max(0, -(-95 * len(times) // 100) - 1)] if times else float("nan")


def report(args: argparse.Namespace, figures: dict) -> list[str]:
    start_mb, peak, closed, ended = (figures[k] for k in ("start", "peak", "closed", "ended"))
    solo, load = figures["solo"], figures["load"]
    drafts: list[Drafting] = load["drafts"]
    errors = [error for d in drafts for error in d.errors] + [
        f"{run.label}: {run.error}" for run in load["overview"] if not run.ok
    ]
    draft_times = [d.runs[1].seconds for d in drafts if len(d.runs) > 1 and d.runs[1].ok]
    edit_times = [d.runs[2].seconds for d in drafts if len(d.runs) > 2 and d.runs[2].ok]
    growth = sum(ended) - sum(start_mb)
    ratio = median(load["overview"]) / median(solo)

    def mb(pair: tuple[float, float]) -> str:
        return f"{sum(pair):.0f} MB ({pair[0]:.0f} server + {pair[1]:.0f} worker)"

    def spread(times: list[float]) -> str:
        if not times:
            return "-"
        return f"median {statistics.median(times):.1f} s, longest {max(times):.1f} s"

    return [
        "# The workbench under many curators",
        "",
        f"`uv run python -m bench.workbench_load --readers {args.readers} --size {args.size}`"
        f" on {time.strftime('%Y-%m-%d')}: {machine()}. The server and this load generator"
        " share these cores.",
        "",
        f"{args.readers} protocol readers open /curate at once, each pastes a different made-up"
        f' article of {args.size:,} bytes, presses "Draft it", then drops the first proposed'
        " row (a re-check), and leaves; one more reader opens the Overview again and again,"
        " each time in a new session. Memory is the resident memory of the server process and"
        " of its children (the workbench's worker).",
        "",
        "| measure | figure | target |",
        "|---|---|---|",
        f"| memory at the start (after one warm-up visit) | {mb(start_mb)} | |",
        f"| memory at its peak | {mb(peak)} | |",
        f"| memory once every websocket is closed | {mb(closed)} | |",
        f"| memory once the sessions have ended ({figures['waited']:.0f} s later) | {mb(ended)}"
        f" ({growth:+.0f} MB) | within {MEMORY_TARGET_MB} MB of the start:"
        f" {'met' if growth <= MEMORY_TARGET_MB else 'NOT met'} |",
        f"| Overview alone | median {median(solo):.3f} s, p95 {p95(solo):.3f} s"
        f" ({len(solo)} runs) | |",
        f"| Overview beside the curators | median {median(load['overview']):.3f} s,"
        f" p95 {p95(load['overview']):.3f} s ({len(load['overview'])} runs), {ratio:.1f}× alone"
        f" | at most {SLOWDOWN_TARGET:.0f}×: {'met' if ratio <= SLOWDOWN_TARGET else 'NOT met'} |",
        f"| a draft (paste to page drawn) | {spread(draft_times)} | |",
        f"| a re-check after an edit | {spread(edit_times)} | |",
        f"| all curators done | {load['seconds']:.0f} s | |",
        f"| errors | {len(errors)} {'; '.join(errors[:3])} | none |",
        "",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--readers", type=int, default=20, help="curators drafting at once")
    parser.add_argument("--size", type=int, default=1_000_000, help="bytes of each article")
    parser.add_argument(
        "--wait", type=float, default=SESSION_TTL + 15,
        help="seconds to wait for Streamlit to end the closed sessions",
    )  # fmt: skip
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "WORKBENCH_LOAD.md")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-workbench-"))
    port = free_port()
    env = server_env(cache=folder / "cache")
    process = start(dashboard_command(port), folder / "server.log", env)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process=process)
        # Warm up: every module the pages import, the Overview's views, one small draft.
        asyncio.run(overview_times(url, 2))
        asyncio.run(draft(Reader(url), made_up_article(20_000, seed=0), edit=True))
        wait_closed(port)
        # The start: the worker has ended (it does when idle) and the warm-up's session too.
        wait_alone(process.pid, IDLE_SECONDS + SESSION_TTL)
        figures: dict = {"start": memory(process.pid)}
        figures["solo"] = asyncio.run(overview_times(url, 12))
        print(f"start {figures['start']}, Overview alone {median(figures['solo']):.3f} s",
              file=sys.stderr, flush=True)  # fmt: skip
        figures["load"] = asyncio.run(crowd(url, process.pid, args.readers, args.size))
        figures["peak"] = figures["load"]["peak"]
        wait_closed(port)
        figures["closed"] = memory(process.pid)
        began = time.monotonic()
        # Streamlit ends a disconnected session once its TTL has passed (the dashboard
        # looks for such sessions every few seconds); a little more for that.
        time.sleep(args.wait)
        figures["ended"] = memory(process.pid)
        figures["waited"] = time.monotonic() - began
    finally:
        stop(process)
    lines = report(args, figures)
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines), file=sys.stderr)
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
