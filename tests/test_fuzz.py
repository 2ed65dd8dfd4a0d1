"""Fuzzing the loader: whatever the bytes, problems as data with a location, never a crash.

Hypothesis mutates the real data file (drops, repeats, swaps and retypes lines, cuts it
short, injects random bytes); hand-made hostile files cover what random mutation would
not reach (alias bombs, 10 MB strings, deep nesting, encodings). Every case is bounded
in time and in memory, and the number of cases run is written to
``test-output/fuzz-cases.txt``.
"""

from __future__ import annotations

import shutil
import signal
import time
import tracemalloc
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import PROJECT, REAL_DATA
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from metrics.model.problems import CODES
from metrics.pipeline.load import load_dataset
from metrics.tools.cli import main

REAL = REAL_DATA.read_bytes()
LINES = REAL.split(b"\n")
# A case must finish in this time and allocate at most this much at its peak.
SECONDS = 5.0
HANG_SECONDS = 20
PEAK_BYTES = 300 * 1024 * 1024
CASES = {"count": 0}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    target = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(PROJECT / "data" / "sources", target / "sources")
    yield target
    out = PROJECT / "test-output"
    out.mkdir(exist_ok=True)
    (out / "fuzz-cases.txt").write_text(f"{CASES['count']} cases\n", encoding="utf-8")


def _check(folder: Path, raw: bytes) -> None:
    """Load ``raw`` as the data file: problems with codes and lines, within bounds."""
    path = folder / "indicators.yaml"
    path.write_bytes(raw)

    def stop(signum: int, frame: object) -> None:
        raise TimeoutError(f"still loading after {HANG_SECONDS} s")

    # A hang is cut off, not waited for: the alarm interrupts the load.
    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(HANG_SECONDS)
    tracemalloc.start()
    began = time.perf_counter()
    try:
        dataset = load_dataset(path, use_cache=False)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    took = time.perf_counter() - began
    CASES["count"] += 1
    assert took < SECONDS, f"took {took:.1f} s"
    assert peak < PEAK_BYTES, f"peak {peak / 2**20:.0f} MB"
    for problem in dataset.problems:
        assert problem.code in CODES
        assert problem.line is None or 1 <= problem.line <= raw.count(b"\n") + 1
        problem.render()  # every message template fills in


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 3))):
        if not lines:
            break
        kind = draw(st.sampled_from(["drop", "repeat", "swap", "retype", "cut", "bytes"]))
        at = draw(st.integers(0, len(lines) - 1))
        if kind == "drop":
            del lines[at]
        elif kind == "repeat":
            lines.insert(at, lines[at])
        elif kind == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif kind == "retype" and b": " in lines[at]:
            key = lines[at].split(b": ", 1)[0]
            value = draw(
                st.sampled_from([b"[]", b"{}", b"~", b"true", b"-1", b"1e999", b".nan", b"'x'",
                                 b"2020-13-45", b"[1, 2]", b"{a: 1}", b"!!binary aGk=", b"*x"])
            )  # fmt: skip
            lines[at] = key + b": " + value
        elif kind == "cut":
            lines = lines[:at]
        elif kind == "bytes":
            noise = draw(st.binary(min_size=1, max_size=8))
            line = lines[at]
            where = draw(st.integers(0, len(line)))
            lines[at] = line[:where] + noise + line[where:]
    return b"\n".join(lines)


@settings(
    max_examples=100,
    deadline=timedelta(seconds=SECONDS),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
@given(raw=mutated())
def test_mutated_real_file_gives_problems_not_crashes(folder: Path, raw: bytes) -> None:
    _check(folder, raw)


HOSTILE = {
    "alias bomb": b"a: &a [x, x, x, x, x, x, x, x, x]\n"
    + b"".join(
        b"%s: &%s [*%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s]\n"
        % ((bytes([98 + i]),) * 2 + (bytes([97 + i]),) * 9)
        for i in range(8)
    ),
    "10 MB string": b"sources:\n  - id: x\n    title: " + b"x" * 10_000_000 + b"\n",
    "10,000-deep flow": b"sources: " + b"[" * 10_000 + b"]" * 10_000 + b"\n",
    "10,000-deep blocks": b"".join(b" " * i + b"- \n" for i in range(0, 20_000, 2)),
    "not UTF-8": REAL.replace("科左中旗".encode(), "科左中旗".encode("gb18030"), 1),
    "BOM": b"\xef\xbb\xbf" + REAL,
    "CRLF": REAL.replace(b"\n", b"\r\n"),
    "NUL": REAL[:500] + b"\x00" + REAL[500:],
    "empty": b"",
    "only a comment": b"# nothing here\n",
    "a list at the top": b"- 1\n- 2\n",
    "tabs": REAL.replace(b"  - id:", b"\t- id:", 1),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_files_give_problems_not_crashes(folder: Path, name: str) -> None:
    _check(folder, HOSTILE[name])


@pytest.mark.parametrize("name", ["BOM", "CRLF"])
def test_a_bom_or_windows_line_ends_are_fine(folder: Path, name: str) -> None:
    path = folder / "indicators.yaml"
    path.write_bytes(HOSTILE[name])
    assert load_dataset(path, use_cache=False).problems == []


def test_the_command_exits_1_with_a_located_message(folder: Path, capsys) -> None:
    path = folder / "indicators.yaml"
    path.write_bytes(HOSTILE["not UTF-8"])
    assert main(["check", str(path)]) == 1
    err = capsys.readouterr().err
    assert "indicators.yaml:" in err and "not valid UTF-8" in err
