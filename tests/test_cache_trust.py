"""The cache cannot lie or run code: what is found in it is verified before it is used.

Each test damages the cache as someone with access to its folder could (a pickle in
place of the state, a value changed in a snapshot or in the state, remembered hashes
changed, a snapshot moved under another key, a folder others may write to, a writer
that died) and holds the next load to the answer of a load without any cache.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import pickle
import shutil
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from conftest import run_metrics, time_limit

from metrics.model.dataset import Dataset
from metrics.model.tables import DATASET_TABLES
from metrics.pipeline import load, snapshot
from metrics.pipeline.load import load_dataset
from metrics.pipeline.snapshot import CACHE_ENV
from metrics.tools.synth import synthesize


@pytest.fixture(autouse=True)
def _bounded() -> Iterator[None]:
    """No test here may hang: a check of this data takes a second at most."""
    with time_limit(60):
        yield


@pytest.fixture(scope="module")
def split_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth-trust")
    synthesize(out, regions=30, observations=400, seed=11, split=True)
    return out


@pytest.fixture
def data(split_data: Path, tmp_path: Path) -> Path:
    """A copy of the split data, its files dated an hour back (as saved long before)."""
    shutil.copytree(split_data, tmp_path / "data")
    past = time.time() - 3600
    for file in (tmp_path / "data").rglob("*"):
        os.utime(file, (past, past))
    return tmp_path / "data" / "indicators.yaml"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of the test's own, and no state left in memory by another."""
    root = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(root))
    load._LAST_STATE.clear()
    yield root
    snapshot.wait_for_writes()
    load._LAST_STATE.clear()


def _same(cached: Dataset, scratch: Dataset) -> None:
    """Every table and problem of ``cached`` as a load without any cache gives them."""
    for name in DATASET_TABLES:
        pd.testing.assert_frame_equal(
            getattr(cached, name), getattr(scratch, name), check_exact=True, obj=name
        )
    assert [(p.file, p.line, p.code) for p in cached.problems] == [
        (p.file, p.line, p.code) for p in scratch.problems
    ]


def _loaded_and_written(path: Path) -> Dataset:
    """The dataset loaded with the cache, and the cache written."""
    dataset = load_dataset(path)
    snapshot.wait_for_writes()
    load._LAST_STATE.clear()  # the next load reads the cache folder, as a new process
    return dataset


def _edit_one_file(path: Path) -> None:
    """Change one split file (a note), so that the next load re-checks with the state."""
    file = sorted((path.parent / "indicators").glob("*.yaml"))[1]
    text = file.read_text(encoding="utf-8")
    assert "period_note: 累计\n" in text
    file.write_text(text.replace("period_note: 累计\n", "period_note: 累计（核对）\n", 1))


def _state_files(cache: Path) -> list[Path]:
    """The files that keep the last check's state (the remembered hashes are JSON)."""
    found = [p for p in (cache / "state").iterdir() if not p.name.endswith(".digests.json")]
    assert found, "no state was written"
    return found


def _snapshot_folders(cache: Path) -> list[Path]:
    return [p for p in (cache / "snapshots").iterdir() if not p.name.startswith(".")]


def _a_reported_value(dataset: Dataset) -> float:
    """A value that several observations in more than one file report."""
    counts = dataset.observations.groupby("value")["file"].nunique()
    return float(counts[counts > 1].index[0])


class _Planted:
    """Unpickled, it writes a file: the mark that the cache ran code."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        return (Path.write_text, (self.marker, "code from the cache ran"))


def test_a_pickle_in_place_of_the_state_is_never_run(data: Path, cache: Path) -> None:
    _loaded_and_written(data)
    marker = data.parent.parent / "ran"
    planted = pickle.dumps(_Planted(marker))
    # At the state's own name, and at the name older versions gave it (<name>.pickle).
    for state in _state_files(cache):
        state.write_bytes(planted)
        state.with_suffix(".pickle").write_bytes(planted)
    _edit_one_file(data)  # so that the state is read: only one file changed
    rechecked = load_dataset(data)
    assert not marker.exists()
    _same(rechecked, load_dataset(data, use_cache=False))
    assert rechecked.ok and len(rechecked.cache_notes) == 1
    assert rechecked.cache_notes[0].startswith("cache: the state of the last check")
    assert "could not be read (not a check state)" in rechecked.cache_notes[0]
    snapshot.wait_for_writes()
    assert list((cache / "state").glob("*.pickle")) == []  # the old name: never read, removed


def test_an_edited_snapshot_is_rebuilt_from_the_data_files(
    data: Path, cache: Path, tmp_path: Path
) -> None:
    first = _loaded_and_written(data)
    value = _a_reported_value(first)
    (folder,) = _snapshot_folders(cache)
    table = pd.read_parquet(folder / "observations.parquet")
    changed = table["value"] == value
    table.loc[changed, "value"] = value + 2005  # 2 -> 2007
    table.to_parquet(folder / "observations.parquet", index=False)

    reloaded = load_dataset(data)
    assert not (reloaded.observations["value"] == value + 2005).any()
    _same(reloaded, load_dataset(data, use_cache=False))
    assert [note.split(";")[0] for note in reloaded.cache_notes] == [
        f"cache: the snapshot {folder} failed its digest check"
    ]
    snapshot.wait_for_writes()

    # metrics export writes what the YAML says, byte for byte as a run without a cache.
    table.to_parquet(folder / "observations.parquet", index=False)  # tampered again
    exported = run_metrics("export", "--data", str(data), "--out", str(tmp_path / "a"))
    fresh = run_metrics(
        "export",
        "--data",
        str(data),
        "--out",
        str(tmp_path / "b"),
        cache=tmp_path / "fresh-cache",
    )
    assert exported.returncode == fresh.returncode == 0, exported.stderr + fresh.stderr
    assert "failed its digest check" in exported.stderr and not fresh.stderr
    files = sorted(p.name for p in (tmp_path / "b").iterdir())
    assert "observations.csv" in files
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == files
    for name in files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_a_snapshot_under_another_key_is_not_used(data: Path, cache: Path) -> None:
    _loaded_and_written(data)
    (older,) = _snapshot_folders(cache)
    _edit_one_file(data)
    _loaded_and_written(data)
    (newer,) = [p for p in _snapshot_folders(cache) if p != older]
    # The old data's tables, under the new data's key.
    shutil.rmtree(newer)
    shutil.copytree(older, newer)
    reloaded = load_dataset(data)
    _same(reloaded, load_dataset(data, use_cache=False))
    assert len(reloaded.cache_notes) == 1 and "failed its digest check" in reloaded.cache_notes[0]


def _changed(frame: pd.DataFrame, old: float, new: float) -> pd.DataFrame:
    assert (frame["value"] == old).any()
    return frame.assign(value=frame["value"].where(frame["value"] != old, new))


def _with_value_changed(raw: bytes, old: float, new: float) -> bytes:
    """The state's bytes with the observations' value ``old`` set to ``new``, and every
    digest of a table left as it was (the header's own made to match its new sizes)."""
    if raw.startswith(b"\x80"):  # a pickle, as the state was kept before
        code, state = pickle.loads(raw)
        state.frames["observations"] = _changed(state.frames["observations"], old, new)
        return pickle.dumps((code, state))
    from metrics.pipeline.cache import statefile

    start = len(statefile.MAGIC)
    length = int.from_bytes(raw[start : start + 8], "big")
    offset = start + 40 + length
    header = json.loads(raw[start + 40 : offset])
    tables = []
    for entry in header["tables"]:
        blob = raw[offset : offset + entry[2]]
        offset += entry[2]
        if entry[:2] == ["frames", "observations"]:
            frame = pa.ipc.open_file(blob).read_all().to_pandas()
            blob = statefile._ipc(_changed(frame, old, new)).to_pybytes()
            entry[2] = len(blob)
        tables.append(blob)
    text = json.dumps(header).encode()
    head = statefile.MAGIC + len(text).to_bytes(8, "big") + hashlib.sha256(text).digest()
    return head + text + b"".join(tables)


def test_a_changed_value_in_the_state_is_discarded_and_rebuilt(data: Path, cache: Path) -> None:
    first = _loaded_and_written(data)
    value = _a_reported_value(first)
    (state,) = _state_files(cache)
    state.write_bytes(_with_value_changed(state.read_bytes(), value, value + 2005))
    _edit_one_file(data)
    rechecked = load_dataset(data)
    assert not (rechecked.observations["value"] == value + 2005).any()
    _same(rechecked, load_dataset(data, use_cache=False))
    assert rechecked.ok and len(rechecked.cache_notes) == 1
    note = rechecked.cache_notes[0]
    assert note.startswith(f"cache: the state of the last check {state} failed its digest check")
    assert note.endswith("discarded, checked from the data files")
    snapshot.wait_for_writes()
    load._LAST_STATE.clear()
    _edit_one_file(data)  # a second edit: the state written anew is good again
    assert load_dataset(data).cache_notes == ()


def test_changed_remembered_hashes_cannot_bring_back_old_data(data: Path, cache: Path) -> None:
    _loaded_and_written(data)
    (memo_file,) = (cache / "state").glob("*.digests.json")
    before = memo_file.read_text(encoding="utf-8")
    edited = sorted((data.parent / "indicators").glob("*.yaml"))[1]
    _edit_one_file(data)
    past = time.time() - 1800
    os.utime(edited, (past, past))  # saved long before the hashes are remembered
    _loaded_and_written(data)
    name = f"indicators/{edited.name}"
    # The edited file's hash set back to that of its old content (its size, time and
    # inode left as they are now): the key of the old data, whose snapshot is kept.
    old_hash = _remembered(json.loads(before))[name][3]
    kept = json.loads(memo_file.read_text(encoding="utf-8"))
    _remembered(kept)[name][3] = old_hash
    memo_file.write_text(json.dumps(kept), encoding="utf-8")
    reloaded = load_dataset(data)
    assert reloaded.observations["period_note"].str.contains("核对").any()
    _same(reloaded, load_dataset(data, use_cache=False))
    assert len(reloaded.cache_notes) == 1
    assert reloaded.cache_notes[0] == (
        f"cache: the record of file hashes {memo_file} failed its digest check; "
        "discarded, every file read and hashed again"
    )


def _remembered(kept: dict) -> dict:
    """name -> [size, time, inode, hash] in the remembered hashes, in any version."""
    return kept["memo"]["files"] if "memo" in kept else kept["files"]


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o702], ids=oct)
def test_a_cache_folder_others_may_write_to_is_not_used(
    data: Path, tmp_path: Path, mode: int
) -> None:
    root = tmp_path / "shared-cache"
    root.mkdir()
    root.chmod(mode)
    done = run_metrics("check", str(data), cache=root)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ok: ")
    assert done.stderr == (
        f"cache: not used: {root} may be written by group or others (mode {mode:o}); "
        "checked without it (give it a folder only this user may write to: chmod 700, "
        "or set METRICS_CACHE_DIR)\n"
    )
    assert list(root.iterdir()) == []  # nothing read from it, nothing written to it
    scratch = load_dataset(data, use_cache=False)
    assert done.stdout == f"ok: {scratch.summary()}\n"


def test_a_cache_folder_in_a_folder_others_may_write_to_is_not_used(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Others may not put a folder of their own in place of the cache: not in a folder
    # they may write to, unless its sticky bit keeps them to their own names (as /tmp).
    shared, sticky = tmp_path / "shared", tmp_path / "sticky"
    for folder, mode in ((shared, 0o777), (sticky, 0o1777)):
        folder.mkdir()
        folder.chmod(mode)
    monkeypatch.setenv(CACHE_ENV, str(shared / "cache"))
    refused = load_dataset(data)
    snapshot.wait_for_writes()
    assert list((shared / "cache").iterdir()) == []
    assert refused.cache_notes == (
        f"cache: not used: {shared}, which holds it, may be written by group or others "
        "(mode 777); checked without it (give it a folder only this user may write to: "
        "chmod 700, or set METRICS_CACHE_DIR)",
    )
    _same(refused, load_dataset(data, use_cache=False))
    monkeypatch.setenv(CACHE_ENV, str(sticky / "cache"))
    assert load_dataset(data).cache_notes == ()
    snapshot.wait_for_writes()
    assert (sticky / "cache" / "snapshots").is_dir()


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a folder to another user")
def test_a_cache_folder_of_another_user_is_not_used(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "their-cache"
    root.mkdir(mode=0o700)
    os.chown(root, 65534, 65534)
    monkeypatch.setenv(CACHE_ENV, str(root))
    loaded = load_dataset(data)
    snapshot.wait_for_writes()
    assert list(root.iterdir()) == []  # nothing read from it, nothing written to it
    assert loaded.cache_notes == (
        f"cache: not used: {root} belongs to another user (uid 65534); checked without it "
        "(give it a folder only this user may write to: chmod 700, or set METRICS_CACHE_DIR)",
    )
    _same(loaded, load_dataset(data, use_cache=False))


def test_the_cache_folder_is_made_private(data: Path, cache: Path) -> None:
    _loaded_and_written(data)
    for folder in (cache, cache / "snapshots", cache / "state"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


def _stale(path: Path) -> Path:
    past = time.time() - 3600
    os.utime(path, (past, past))
    return path


def test_what_a_dead_writer_left_is_removed_by_the_next_write(data: Path, cache: Path) -> None:
    _loaded_and_written(data)
    dead = cache / "snapshots" / ".writing-dead"
    dead.mkdir()
    (dead / "observations.parquet").write_bytes(b"half a table")
    _stale(dead)
    dead_state = cache / "state" / ".writing-dead"
    dead_state.write_bytes(b"half a state")
    _stale(dead_state)
    young = cache / "snapshots" / ".writing-young"  # another writer, just started
    young.mkdir()
    live = cache / "snapshots" / ".writing-live"  # another writer, slow but alive
    live.mkdir()
    _stale(live)
    held = os.open(live, os.O_RDONLY)
    try:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        _edit_one_file(data)
        _loaded_and_written(data)  # writes a snapshot and a state
        assert not dead.exists() and not dead_state.exists()
        assert young.is_dir() and live.is_dir()
    finally:
        os.close(held)
    staging = [p.name for p in (cache / "snapshots").iterdir() if p.name.startswith(".")]
    assert sorted(staging) == [".writing-live", ".writing-young"]
