"""Fuzzing the loader: whatever the bytes, problems as data with a location, never a crash.

Hypothesis mutates the real data file (drops, repeats, swaps and retypes lines, cuts it
short, injects random bytes); hand-made hostile files cover what random mutation would
not reach (alias bombs, 10 MB strings, deep nesting, encodings). Every case is bounded
in time and in memory, and the number of cases run is written to
``test-output/fuzz-cases.txt``.
"""

from __future__ import annotations

import json
import os
import re
import resource
import select
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pandas as pd
import pytest
from conftest import MINIMAL, PROJECT, REAL_DATA
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from metrics.model.dataset import Dataset
from metrics.model.problems import CODES
from metrics.model.schema import MAX_EXACT
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


def _status_bytes(field: str) -> int:
    """A size from /proc/self/status (``VmHWM``, ``VmRSS``), in bytes."""
    status = Path("/proc/self/status").read_text(encoding="ascii")
    return int(re.search(rf"{field}:\s+(\d+) kB", status).group(1)) * 1024  # type: ignore[union-attr]


@contextmanager
def _traced_peak() -> Iterator[Callable[[], int]]:
    """The peak of Python's own allocations inside the block (tracemalloc: exact, and
    about 3.5 times slower to load under)."""
    tracemalloc.start()
    try:
        yield lambda: tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@contextmanager
def _resident_peak() -> Iterator[Callable[[], int]]:
    """How far the resident size rose above its size at the start of the block: Linux
    resets the high-water mark (``VmHWM``) when 5 is written to /proc/self/clear_refs.
    It costs nothing per allocation, so a hundred random files load at full speed; it
    counts what the process really holds, including what the allocator had kept."""
    Path("/proc/self/clear_refs").write_text("5", encoding="ascii")
    start = _status_bytes("VmRSS")
    yield lambda: _status_bytes("VmHWM") - start


def test_both_memory_measures_see_an_allocation() -> None:
    # The bound in _check can only fail if its measure sees memory being used.
    size = 64 * 2**20
    for measure in (_traced_peak, _resident_peak):
        with measure() as measured:
            block = bytearray(size)
            block[::4096] = b"x" * len(block[::4096])  # touched, so resident
            peak = measured()
        del block
        assert size <= peak < 2 * size, (measure.__name__, peak)


def _check(folder: Path, raw: bytes, traced: bool = True) -> Dataset:
    """Load ``raw`` as the data file: problems with codes and lines, within bounds of
    time and memory. The hostile files, made to exhaust memory, are measured exactly
    (``traced``); the random ones, a hundred per test, by the resident peak."""
    path = folder / "indicators.yaml"
    path.write_bytes(raw)

    def stop(signum: int, frame: object) -> None:
        raise TimeoutError(f"still loading after {HANG_SECONDS} s")

    # A hang is cut off, not waited for: the alarm interrupts the load.
    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(HANG_SECONDS)
    began = time.perf_counter()
    try:
        with (_traced_peak if traced else _resident_peak)() as measured:
            dataset = load_dataset(path, use_cache=False)
            peak = measured()
    finally:
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
    return dataset


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


@pytest.mark.slow  # a hundred loads of the real file
@settings(
    max_examples=100,
    deadline=timedelta(seconds=SECONDS),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
@given(raw=mutated())
def test_mutated_real_file_gives_problems_not_crashes(folder: Path, raw: bytes) -> None:
    _check(folder, raw, traced=False)


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


# --- Every number YAML can write, in every field that holds one -------------------------

MINIMAL_TEXT = (MINIMAL / "indicators.yaml").read_text(encoding="utf-8")


@dataclass(frozen=True)
class NumberField:
    """Where a field that may hold a number is written into the minimal fixture."""

    # The fixture text the field is written in place of, the new text, and which line
    # of the new text holds the field.
    old: str
    new: str
    offset: int
    # The table, the column that names the entry, the entry, and the field's column.
    table: str
    id_column: str
    entry: str
    column: str
    # Whether a value the check kept is a valid one.
    valid: Callable[[object], bool]


def _valid_number(low: float, high: float) -> Callable[[object], bool]:
    return lambda value: isinstance(value, float) and low <= value <= high


def _valid_text(value: object) -> bool:
    return value is None or (isinstance(value, str) and "\n" not in value) or pd.isna(value)


NUMBER_FIELDS = {
    "value": NumberField(
        "    value: 5\n", "    value: {}\n", 0,
        "observations", "indicator_id", "projects", "value", _valid_number(0, MAX_EXACT),
    ),
    "lat": NumberField(
        "    parent: county-a\n", "    parent: county-a\n    lat: {}\n    lon: 100\n", 1,
        "regions", "region_id", "town-a", "lat", _valid_number(-90, 90),
    ),
    "lon": NumberField(
        "    parent: county-a\n", "    parent: county-a\n    lat: 30\n    lon: {}\n", 2,
        "regions", "region_id", "town-a", "lon", _valid_number(-180, 180),
    ),
    "page": NumberField(
        "    date: 2020-04-13\n", "    date: 2020-04-13\n    page: {}\n", 1,
        "sources", "source_id", "src-a", "page", _valid_text,
    ),
    "date": NumberField(
        "    date: 2020-04-13\n", "    date: {}\n", 0,
        "sources", "source_id", "src-a", "date", _valid_text,
    ),
    "period": NumberField(
        "    period: 2019\n", "    period: {}\n", 0,
        "observations", "indicator_id", "projects", "period", _valid_text,
    ),
}  # fmt: skip

# What YAML 1.1 reads as a number, or nearly does, and what curators write by mistake.
_SPELLINGS = [
    "1e400", "1.0e+400", "-1e400", "1e-400", "-0", "-0.0", ".inf", "-.inf", "+.inf", ".nan",
    ".NaN", "0x10", "0o17", "017", "1_000", "1:20", "1:20.5", "0b101", "+12", "2020-01-01",
    "2020-01", "yes", "no", "on", "true", "~", "null", '"100"', "'1e400'", "8e7", "1.2e2",
    ".5", "12.", "2019", "2019/2020", "1.", str(MAX_EXACT), str(MAX_EXACT + 1), "1:", "-",
]  # fmt: skip
_JSON_TEXT = st.text(st.characters(categories=("L", "N", "P", "S", "Zs")), max_size=30).map(
    lambda text: json.dumps(text, ensure_ascii=False)  # a double-quoted YAML scalar
)
WRITTEN = st.one_of(
    st.sampled_from(_SPELLINGS),
    st.integers().map(str),
    st.integers(-(10**400), 10**400).map(str),
    st.floats().map(repr),  # inf, nan, -0.0, 5e-324, 1e+308
    # Runs of digits past float range and past Python's 4300-digit limit for int(text).
    st.builds(
        lambda sign, digit, count, tail: sign + digit * count + tail,
        st.sampled_from(["", "-", "+"]),
        st.sampled_from("0123456789"),
        st.integers(1, 6000),
        st.sampled_from(["", ".5", ".", "e400", "e-400", "e+5", "_0", ":30"]),
    ),
    st.from_regex(r"[-+]?[0-9.][0-9_.:xXoObBeE+-]{0,20}", fullmatch=True),
    st.one_of(st.integers(), st.floats()).map(lambda number: f'"{number!r}"'),
    _JSON_TEXT,
)


@pytest.fixture(scope="module")
def minimal_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("fuzz-numbers")
    shutil.copytree(MINIMAL / "sources", target / "sources")
    return target


@pytest.mark.slow  # a hundred loads
@settings(
    max_examples=100,
    deadline=timedelta(seconds=SECONDS),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
@given(field=st.sampled_from(sorted(NUMBER_FIELDS)), written=WRITTEN)
def test_any_number_in_any_number_field_is_kept_or_located(
    minimal_folder: Path, field: str, written: str
) -> None:
    """The value is kept as a valid one, or a problem names the field's line (or its
    entry's: lat without lon); never a traceback."""
    spec = NUMBER_FIELDS[field]
    at = MINIMAL_TEXT.index(spec.old)
    text = MINIMAL_TEXT[:at] + spec.new.format(written) + MINIMAL_TEXT[at + len(spec.old) :]
    dataset = _check(minimal_folder, text.encode("utf-8"), traced=False)
    line = MINIMAL_TEXT.count("\n", 0, at) + 1 + spec.offset
    rows = getattr(dataset, spec.table)
    kept = rows.loc[rows[spec.id_column] == spec.entry, spec.column]
    if len(kept):
        assert spec.valid(kept.item()), f"kept {kept.item()!r} from {written!r}"
    else:
        entry_line = MINIMAL_TEXT.count("\n", 0, MINIMAL_TEXT.rindex("\n  - ", 0, at) + 1) + 1
        lines = {problem.line for problem in dataset.problems}
        assert lines & {line, entry_line}, (written, [p.render() for p in dataset.problems])


# --- Files of odd kinds in a random data folder -------------------------------------------

# Planted outside the data folder, in a YAML file and an article: links may lead there.
SECRET = "SECRET-1c0ffee-OUTSIDE"
# Where in the data folder something odd may stand instead of what belongs there.
SLOTS = (
    "indicators.yaml", "indicators/extra.yaml", "indicators/new.yaml",
    "indicators/deep/new.yaml", "sources/article.txt", "sources/new.txt", "indicators",
    "sources",
)  # fmt: skip
KINDS = (
    "link_out", "link_out_folder", "link_in", "link_via_inside_out", "dangling", "loop",
    "pipe", "folder", "socket", "device", "file",
)  # fmt: skip
_WORKER_MEMORY = 2 * 2**30

# The loader in a process of its own, which answers one load per line of input: a load
# that hangs (a pipe opened for reading waits for a writer) or reads without end
# (/dev/zero) is cut off by the test, never hangs the suite.
_WORKER = r"""
import dataclasses, json, os, sys, time, traceback
import pandas as pd
from pathlib import Path
from metrics.pipeline.load import load_dataset

for request in sys.stdin:
    path, secret = json.loads(request)
    try:
        os.chdir(Path(path).parent)  # problems name their files relative to the data
        began = time.perf_counter()
        dataset = load_dataset(Path(path), use_cache=False)
        took = time.perf_counter() - began
        texts = [p.render() for p in dataset.problems]
        texts += [
            getattr(dataset, f.name).to_csv()
            for f in dataclasses.fields(dataset)
            if isinstance(getattr(dataset, f.name), pd.DataFrame)
        ]
        for name in list(dataset.archive_texts):
            try:
                texts.append(dataset.archive_texts[name])
            except KeyError:
                pass
        answer = {
            "took": took,
            "problems": [[p.code, p.line, p.file] for p in dataset.problems],
            "secret_seen": any(secret in text for text in texts),
        }
    except BaseException:
        answer = {"error": traceback.format_exc()}
    print(json.dumps(answer), flush=True)
"""


class LoadWorker:
    """The worker process: started once, restarted after a case it did not answer."""

    def __init__(self, log: Path) -> None:
        self.log = log
        self.process: subprocess.Popen[str] | None = None

    def _start(self) -> subprocess.Popen[str]:
        def limits() -> None:
            resource.setrlimit(resource.RLIMIT_AS, (_WORKER_MEMORY, _WORKER_MEMORY))

        with self.log.open("a") as errors:
            return subprocess.Popen(
                [sys.executable, "-c", _WORKER],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=errors,
                text=True,
                preexec_fn=limits,
                env={**os.environ, "PYTHONIOENCODING": "utf-8"},
            )

    def load(self, path: Path) -> dict:
        """The worker's answer for ``path``; AssertionError if it hangs or dies."""
        if self.process is None:
            self.process = self._start()
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps([str(path), SECRET]) + "\n")
        self.process.stdin.flush()
        # The first answer also waits for the imports.
        ready, _, _ = select.select([self.process.stdout], [], [], HANG_SECONDS + 10)
        answer = self.process.stdout.readline() if ready else ""
        if not answer:
            self.stop()
            raise AssertionError(f"no answer within {HANG_SECONDS + 10} s (hang or crash)")
        return json.loads(answer)

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            for stream in (self.process.stdin, self.process.stdout):
                if stream is not None:
                    stream.close()
            self.process = None


@pytest.fixture(scope="module")
def load_worker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LoadWorker]:
    worker = LoadWorker(tmp_path_factory.mktemp("worker") / "stderr.txt")
    yield worker
    worker.stop()


def _plant(root: Path) -> Path:
    """A data folder (main file, a split file, an article, spares to link to) and, beside
    it, the secret; the main file's path."""
    outside = root / "outside"
    (outside / "folder").mkdir(parents=True)
    secret_yaml = (
        "sources:\n"
        f"  - {{id: secret, title: {SECRET}, date: 2020, archive: article.txt, region: town-a}}\n"
    )
    for folder in (outside, outside / "folder"):
        (folder / "secret.yaml").write_text(secret_yaml, encoding="utf-8")
        (folder / "article.txt").write_text(SECRET + "\n", encoding="utf-8")
    (outside / "secret.txt").write_text(SECRET + "\n", encoding="utf-8")
    data = root / "data"
    shutil.copytree(MINIMAL, data)
    main, practices = MINIMAL_TEXT.split("\npractices:\n")
    practices, relations = practices.split("\nrelations:\n")
    (data / "indicators.yaml").write_text(main + "\nrelations:\n" + relations, encoding="utf-8")
    (data / "indicators").mkdir()
    (data / "indicators" / "extra.yaml").write_text("practices:\n" + practices, encoding="utf-8")
    (data / "spare.yaml").write_text("set_aside: []\n", encoding="utf-8")
    (data / "spare.txt").write_text("一篇文章。\n", encoding="utf-8")
    (data / "spare_folder").mkdir()
    (data / "spare_folder" / "spare.yaml").write_text("set_aside: []\n", encoding="utf-8")
    return data / "indicators.yaml"


def _replace(data: Path, slot: str, kind: str) -> None:
    """Put a thing of ``kind`` where ``slot`` stands; skipped when its folder is gone."""
    path = data / slot
    if not path.parent.is_dir() or path.parent.is_symlink():
        return  # an earlier replacement took the folder away
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.is_symlink() or path.exists():
        path.unlink()
    outside = data.parent / "outside"
    if slot in ("indicators", "sources"):
        secret, spare = outside / "folder", data / "spare_folder"
    elif slot.endswith(".yaml"):
        secret, spare = outside / "secret.yaml", data / "spare.yaml"
    else:
        secret, spare = outside / "secret.txt", data / "spare.txt"
    if kind == "link_out":
        path.symlink_to(secret)
    elif kind == "link_out_folder":
        path.symlink_to(outside / "folder")
    elif kind == "link_in":
        path.symlink_to(spare)
    elif kind == "link_via_inside_out":
        hop = data / f"hop-{slot.replace('/', '-')}"
        hop.symlink_to(secret)
        path.symlink_to(hop)
    elif kind == "dangling":
        path.symlink_to(data / "nowhere")
    elif kind == "loop":
        path.symlink_to(path)
    elif kind == "pipe":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    elif kind == "socket":
        _socket_at(path)
    elif kind == "device":
        path.symlink_to("/dev/zero")
    elif kind == "file":
        path.write_text("sources: []\n" if slot.endswith(".yaml") else "一行。\n", encoding="utf-8")


def _socket_at(path: Path) -> None:
    """A Unix socket file at ``path`` (a named pipe where the path is too long for one)."""
    try:
        with socket.socket(socket.AF_UNIX) as listener:
            listener.bind(str(path))
    except OSError:
        os.mkfifo(path)


def _lines_allowed(data: Path, file: str) -> int:
    """How many lines a problem of ``file`` may point into: the lines of the regular file
    inside the data folder it is (links followed), else none."""
    path = data / file
    real = Path(os.path.realpath(path))
    if not real.is_relative_to(data.resolve()) or not real.is_file() or real.is_symlink():
        return 0
    if not stat.S_ISREG(real.stat().st_mode):
        return 0
    return real.read_bytes().count(b"\n") + 1


@pytest.mark.slow  # eighty data folders, each loaded in the worker process
@settings(
    max_examples=80,
    deadline=None,  # bounded by the worker's answer time instead
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
@given(
    replaced=st.lists(
        st.tuples(st.sampled_from(SLOTS), st.sampled_from(KINDS)),
        min_size=1,
        max_size=3,
        unique_by=lambda pair: pair[0],
    )
)
def test_odd_files_in_the_data_folder_give_problems_not_secrets(
    tmp_path_factory: pytest.TempPathFactory,
    load_worker: LoadWorker,
    replaced: list[tuple[str, str]],
) -> None:
    root = Path(tempfile.mkdtemp(dir=tmp_path_factory.getbasetemp()))
    try:
        main = _plant(root)
        for slot, kind in replaced:
            _replace(main.parent, slot, kind)
        answer = load_worker.load(main)
        CASES["count"] += 1
        assert "error" not in answer, answer.get("error")
        assert answer["took"] < SECONDS, f"took {answer['took']:.1f} s"
        assert not answer["secret_seen"], "a file outside the data folder was read"
        for code, line, file in answer["problems"]:
            assert code in CODES
            if line is not None:
                assert 1 <= line <= _lines_allowed(main.parent, file), (code, line, file)
    finally:
        shutil.rmtree(root, ignore_errors=True)
