"""One measurement in a fresh process, printed as JSON (used by ``bench/run.py``).

Times exclude the interpreter's start and the imports (the same for every
measurement, and not what the targets are about); memory is the peak resident size
of the process minus its size after the imports, so that ``import pandas`` is not
counted against the check. Each measurement runs in its own process so that its peak
is its own.

    python bench/measure.py floor DATA_YAML       bare yaml.load (libyaml C loader)
    python bench/measure.py floor-nogc DATA_YAML  the same with Python's collector paused
    python bench/measure.py check DATA_YAML       metrics check from scratch
    python bench/measure.py start DATA_YAML       data ready from the snapshot vs read_parquet
    python bench/measure.py recheck DATA_YAML     re-check after an edit to one split file
"""

from __future__ import annotations

import gc
import json
import resource
import sys
import time
from pathlib import Path

import yaml


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _yaml_files(path: Path) -> list[Path]:
    folder = path.with_suffix("")
    extra = sorted(folder.rglob("*.yaml")) if folder.is_dir() else []
    return [path, *extra]


def floor(path: Path, pause_collector: bool = False) -> dict[str, float]:
    """Parse every YAML file of the dataset, as a bare ``yaml.load`` does."""
    base = _rss_mb()
    start = time.perf_counter()
    if pause_collector:
        gc.disable()
    for file in _yaml_files(path):
        with file.open(encoding="utf-8") as handle:
            yaml.load(handle, Loader=yaml.CSafeLoader)
    gc.enable()
    return {"seconds": time.perf_counter() - start, "memory_mb": _rss_mb() - base}


def check(path: Path) -> dict[str, float]:
    """``metrics check`` from scratch (the cache folder is empty)."""
    from metrics.pipeline.load import load_dataset
    from metrics.pipeline.snapshot import wait_for_writes

    base = _rss_mb()
    start = time.perf_counter()
    dataset = load_dataset(path)
    wait_for_writes()  # a check from scratch is timed with its cache written
    seconds = time.perf_counter() - start
    if not dataset.ok:
        raise SystemExit(f"the synthetic data has problems: {dataset.problems[:3]}")
    return {"seconds": seconds, "memory_mb": _rss_mb() - base}


def start(path: Path) -> dict[str, float]:
    """Data ready from the snapshot, against reading the same tables with read_parquet."""
    import pandas as pd

    from metrics.pipeline import snapshot
    from metrics.pipeline.inputs import read_inputs
    from metrics.pipeline.load import load_dataset

    key = read_inputs(path).key
    folder = snapshot.Store.for_data(path)._snapshot_dir(key)
    files = [folder / f"{name}.parquet" for name in snapshot.SNAPSHOT_TABLES]
    if not all(file.exists() for file in files):
        raise SystemExit("no snapshot: run the check first")
    pd.read_parquet(files[0])  # pyarrow's first read sets things up; time neither with it
    parquet, ready = [], []
    # Taken in turns, best of three each: on a shared machine one slow moment would
    # otherwise decide a ratio of two tenths of a second.
    for _ in range(3):
        begin = time.perf_counter()
        for file in files:
            pd.read_parquet(file)
        parquet.append(time.perf_counter() - begin)
        begin = time.perf_counter()
        dataset = load_dataset(path)
        ready.append(time.perf_counter() - begin)
    return {
        "seconds": min(ready),
        "parquet_seconds": min(parquet),
        "rows": len(dataset.observations),
    }


def recheck(path: Path) -> dict[str, float]:
    """Re-check after one split file changed: from the saved state, and from memory."""
    from metrics.pipeline import load as datasets
    from metrics.pipeline.snapshot import wait_for_writes

    file = sorted(path.with_suffix("").glob("*.yaml"))[len(_yaml_files(path)) // 2 - 1]
    original = file.read_text(encoding="utf-8")
    observations = original.count("\n  - region:")
    try:
        timings = {}
        for where in ("disk", "memory"):
            edited = original.replace(
                "period_note: 累计\n", f"period_note: 累计（{where}{time.time_ns()}）\n", 1
            )
            file.write_text(edited, encoding="utf-8")
            begin = time.perf_counter()
            dataset = datasets.load_dataset(path)
            timings[where] = time.perf_counter() - begin
            wait_for_writes()  # the cache is written after the result is out
            timings[f"{where}_written"] = time.perf_counter() - begin
            if not dataset.ok:
                raise SystemExit(f"the edit broke the data: {dataset.problems[:3]}")
        return {
            "seconds": timings["disk"],
            "written_seconds": timings["disk_written"],
            "memory_seconds": timings["memory"],
            "file_observations": observations,
        }
    finally:
        file.write_text(original, encoding="utf-8")


def main() -> None:
    kind, path = sys.argv[1], Path(sys.argv[2])
    measures = {
        "floor": floor,
        "floor-nogc": lambda p: floor(p, pause_collector=True),
        "check": check,
        "start": start,
        "recheck": recheck,
    }
    print(json.dumps(measures[kind](path)))


if __name__ == "__main__":
    main()
