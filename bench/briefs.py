"""How long a brief takes to build, and how large its files are.

    uv run python bench/briefs.py            # writes bench/BRIEFS.md
    uv run python bench/briefs.py --no-scale # the bundled data only

For the region with the most numbers and for the indicator the most regions reported,
on the bundled data and on synthetic data of 100,000 observations (``metrics synth``):
the time of the model (``present.brief``) and of each renderer, in-process and
warm (the median of five runs after one to warm the imports and the font cache), and
the size of each file. Each run draws its charts again (the renderers share drawn
charts only within one process, so a Word file after a PDF of the same brief would
otherwise look faster than it is). Also the one-off cost a fresh process pays: importing WeasyPrint.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("METRICS_CACHE_DIR", tempfile.mkdtemp(prefix="bench-brief-cache-"))

from metrics.model.dataset import Dataset  # noqa: E402
from metrics.pipeline.load import load_dataset  # noqa: E402
from metrics.tools.synth import synthesize  # noqa: E402
from present.brief import Brief, indicator_brief, region_brief  # noqa: E402
from reports.figures import chart_png  # noqa: E402
from reports.render import render_brief  # noqa: E402

DATA = ROOT / "data" / "indicators.yaml"
RUNS = 5


def _median(work: Callable[[], object]) -> tuple[float, object]:
    work()  # warm: imports, font cache, pandas' first calls
    times, result = [], None
    for _ in range(RUNS):
        chart_png.cache_clear()  # each run draws its charts: no image kept from the last
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def _measure(label: str, make: Callable[[], Brief]) -> list[str]:
    model_time, brief = _median(make)
    rows = []
    for fmt in ("docx", "pdf"):
        render_time, content = _median(lambda fmt=fmt: render_brief(brief, fmt))
        rows.append(
            f"| {label} | {fmt} | {model_time:.3f} s | {render_time:.3f} s "
            f"| **{model_time + render_time:.2f} s** | {len(content) / 1024:.0f} KiB |"
        )
    return rows


def _subjects(dataset: Dataset) -> tuple[str, str, int, int]:
    counts = dataset.observations["region_id"].value_counts()
    reach = dataset.observations.groupby("indicator_id")["region_id"].nunique()
    return counts.index[0], reach.idxmax(), int(counts.iloc[0]), int(reach.max())


def measure(dataset: Dataset, name: str) -> list[str]:
    region_id, indicator_id, numbers, regions = _subjects(dataset)
    lines = [
        f"### {name}: {len(dataset.observations):,} observations",
        "",
        f"Region `{region_id}` ({numbers:,} numbers); indicator `{indicator_id}` "
        f"({regions:,} regions).",
        "",
        "| brief | format | model | render | model + render | file |",
        "|---|---|---|---|---|---|",
    ]
    lines += _measure(f"region `{region_id}` (zh)", lambda: region_brief(
        dataset, dataset.derived, region_id, "zh"))  # fmt: skip
    lines += _measure(f"indicator `{indicator_id}` (zh)", lambda: indicator_brief(
        dataset, indicator_id, "zh"))  # fmt: skip
    return [*lines, ""]


def import_cost() -> str:
    """The median time of importing WeasyPrint in three fresh processes."""
    code = "import time; t = time.perf_counter(); import weasyprint; print(time.perf_counter() - t)"
    command = [sys.executable, "-c", code]
    runs = [
        float(
            subprocess.run(command, capture_output=True, text=True, check=True, timeout=120).stdout
        )
        for _ in range(3)
    ]
    median = statistics.median(runs)
    return f"Importing WeasyPrint in a fresh process: {median:.2f} s (median of 3)."


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-scale", action="store_true", help="skip the 100,000 run")
    args = parser.parse_args()
    lines = [
        "# Briefs: build time and file size",
        "",
        "Written by `uv run python bench/briefs.py`. Machine: "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, {platform.machine()}. "
        f"Times are in-process medians of {RUNS} warm runs; targets at 100,000 observations: "
        ".docx under 2 s, PDF under 5 s (model + render).",
        "",
    ]
    lines += measure(load_dataset(DATA), "Bundled data")
    if not args.no_scale:
        with tempfile.TemporaryDirectory() as folder:
            synthesize(Path(folder), regions=2000, observations=100_000, seed=1)
            started = time.perf_counter()
            dataset = load_dataset(Path(folder) / "indicators.yaml")
            print(f"loaded 100k in {time.perf_counter() - started:.1f} s", file=sys.stderr)
            lines += measure(dataset, "Synthetic data")
    lines += [import_cost(), ""]
    (ROOT / "bench" / "BRIEFS.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
