"""Data at scale: the synthetic generator, split files, the snapshot and re-checks.

Every shortcut (snapshot, reuse of unchanged files) must give exactly what a check
from scratch gives; these tests compare the two table by table.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pandas as pd
import pytest

from metrics.model.dataset import Dataset
from metrics.model.tables import DATASET_TABLES
from metrics.model.vocab import Family, Level, Qualifier
from metrics.pipeline import incremental, load, snapshot
from metrics.pipeline.inputs import read_inputs
from metrics.pipeline.load import load_dataset
from metrics.tools.cli import main
from metrics.tools.synth import synthesize
from present.i18n import NAMES_SHOWN

TABLES = tuple(DATASET_TABLES)


def _same(cached: Dataset, scratch: Dataset) -> None:
    for name in TABLES:
        pd.testing.assert_frame_equal(
            getattr(cached, name), getattr(scratch, name), check_dtype=False, obj=name
        )
    assert [(p.file, p.line, p.code) for p in cached.problems] == [
        (p.file, p.line, p.code) for p in scratch.problems
    ]
    assert cached.archive_texts == scratch.archive_texts


@pytest.fixture(scope="module")
def split_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth-split")
    synthesize(out, regions=60, observations=1200, seed=7, split=True)
    return out


def _copy(data: Path, tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(data, target)
    return target / "indicators.yaml"


def test_synth_is_deterministic_and_valid(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    counts = synthesize(first, regions=40, observations=500, seed=3)
    synthesize(second, regions=40, observations=500, seed=3)
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert all((first / f).read_bytes() == (second / f).read_bytes() for f in files)
    data = load_dataset(first / "indicators.yaml", use_cache=False)
    assert data.problems == []
    assert counts == {
        "regions": 40,
        "sources": 5,
        "observations": 500,
        "practices": len(data.practices),
        "files": 1,
    }
    assert len(data.observations) == 500 and len(data.regions) == 40


def test_synth_has_the_shape_of_real_data(tmp_path: Path) -> None:
    synthesize(tmp_path, regions=80, observations=2000, seed=1)
    data = load_dataset(tmp_path / "indicators.yaml", use_cache=False)
    families = set(data.observations.merge(data.indicators, on="indicator_id")["family"])
    assert families == {family.value for family in Family}
    assert set(data.regions["level"]) == {
        Level.province,
        Level.prefecture,
        Level.county,
        Level.township,
    }
    assert set(data.observations["qualifier"]) == {q.value for q in Qualifier}
    # Missing values: some regions report nothing, and reports leave indicators out.
    reporting = data.observations["region_id"].nunique()
    assert 0 < reporting < len(data.regions)
    reports = data.observations[["source_id", "region_id", "period"]].drop_duplicates()
    assert len(data.observations) < len(reports) * len(data.indicators)
    statuses = set(data.relation_results["status"])
    assert "pass" in statuses and "fail" not in statuses
    assert data.observations["period"].isna().any() and data.observations["period"].notna().any()
    assert data.sources["publisher"].eq("合成数据（仅供测试）").all()


def test_synth_command_writes_split_files(tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    argv = ["synth", "--regions", "30", "--observations", "300", "--seed", "2", "--split"]
    assert main([*argv, "--out", str(out)]) == 0
    assert "300 observations" in capsys.readouterr().out
    assert len(list((out / "indicators").glob("*.yaml"))) == 3
    assert main(["check", str(out / "indicators.yaml")]) == 0


def test_split_files_are_one_dataset(split_data: Path) -> None:
    whole = load_dataset(split_data / "indicators.yaml", use_cache=False)
    assert whole.problems == []
    assert len(whole.observations) == 1200
    files = set(whole.observations["file"])
    assert len(files) == 12 and all(f.startswith("indicators/") for f in files)
    # Observations name regions declared in the main file and sources in their own file.
    assert set(whole.regions["file"]) == {"indicators.yaml"}


def test_problems_name_the_file_and_the_first_of_two(split_data: Path, tmp_path: Path) -> None:
    path = _copy(split_data, tmp_path)
    files = sorted((path.parent / "indicators").glob("*.yaml"))
    first_text = files[0].read_text(encoding="utf-8")
    source_id = first_text.split("- id: ", 1)[1].split("\n", 1)[0]
    second = files[1]
    second_text = second.read_text(encoding="utf-8")
    second_id = second_text.split("- id: ", 1)[1].split("\n", 1)[0]
    second.write_text(second_text.replace(f"id: {second_id}\n", f"id: {source_id}\n", 1))
    problems = load_dataset(path).problems
    repeated = [p for p in problems if p.code == "duplicate_id"]
    assert len(repeated) == 1
    # Line 4: after the two comment lines and "sources:".
    assert repeated[0].file.endswith(second.name) and repeated[0].line == 4
    assert repeated[0].params["first"] == f"4 of indicators/{files[0].name}"
    assert repeated[0].render().endswith(f"(the first is at line 4 of indicators/{files[0].name})")
    # The second file's own observations now name a source that is not declared.
    unknown = {(Path(p.file).name, p.code) for p in problems if p.code != "duplicate_id"}
    assert unknown == {(second.name, "unknown_source")}


def test_unchanged_data_is_read_from_the_snapshot(
    split_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _copy(split_data, tmp_path)
    checked = load_dataset(path)
    snapshot.wait_for_writes()
    load._LAST_STATE.clear()

    def no_check(*args, **kwargs):
        raise AssertionError("the data was checked again")

    monkeypatch.setattr(incremental, "check", no_check)
    from_snapshot = load_dataset(path)
    monkeypatch.undo()
    _same(from_snapshot, checked)
    _same(from_snapshot, load_dataset(path, use_cache=False))


def test_the_snapshot_keeps_every_table_of_the_dataset(split_data: Path, tmp_path: Path) -> None:
    path = _copy(split_data, tmp_path)
    checked = load_dataset(path)
    snapshot.wait_for_writes()
    stored = snapshot.Store.for_data(path).read_tables(checked.key)
    assert stored is not None and list(stored) == list(TABLES)
    for name, frame in stored.items():
        pd.testing.assert_frame_equal(frame, getattr(checked, name), obj=name)


def test_a_change_to_any_file_is_seen(split_data: Path, tmp_path: Path) -> None:
    path = _copy(split_data, tmp_path)
    load_dataset(path)
    before = load_dataset(path)
    archive = sorted((path.parent / "sources").glob("*.txt"))[4]
    source = before.sources.set_index("archive").loc[archive.name, "source_id"]
    quotes = (before.observations["source_id"] == source).sum()
    quotes += (before.practices["source_id"] == source).sum()
    archive.write_text("空白", encoding="utf-8")
    problems = load_dataset(path).problems
    assert {p.code for p in problems} == {"quote_not_in_archive"}
    assert len(problems) == quotes > 0


@pytest.mark.parametrize("from_memory", [True, False])
def test_a_recheck_equals_a_check_from_scratch(
    split_data: Path, tmp_path: Path, from_memory: bool
) -> None:
    path = _copy(split_data, tmp_path)
    load_dataset(path)
    files = sorted((path.parent / "indicators").glob("*.yaml"))
    # A note added, an observation removed, a value changed so that its quote no longer
    # matches, a copy of a file added, a file removed.
    text = files[2].read_text(encoding="utf-8")
    files[2].write_text(text.replace("period_note: 累计\n", "period_note: 累计（核对）\n", 1))
    text = files[6].read_text(encoding="utf-8")
    start = text.index("observations:\n") + len("observations:\n")
    end = text.index("\n  - region:", start + 1) + 1
    files[6].write_text(text[:start] + text[end:], encoding="utf-8")
    text = files[7].read_text(encoding="utf-8")
    value_line = next(line for line in text.splitlines() if line.startswith("    value: "))
    files[7].write_text(text.replace(value_line, value_line + "1", 1), encoding="utf-8")
    shutil.copy(files[8], path.parent / "indicators" / "zz-copy.yaml")
    files[9].unlink()
    if not from_memory:
        snapshot.wait_for_writes()
        load._LAST_STATE.clear()
    rechecked = load_dataset(path)
    scratch = load_dataset(path, use_cache=False)
    _same(rechecked, scratch)
    codes = {p.code for p in scratch.problems}
    assert {"quote_value_mismatch", "duplicate_id", "duplicate_observation"} <= codes
    assert len(scratch.observations) == 1200 - 1 - 100  # one removed, one file gone


def test_the_cache_is_safe_to_delete(split_data: Path, tmp_path: Path, monkeypatch) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("METRICS_CACHE_DIR", str(cache))
    path = _copy(split_data, tmp_path)
    first = load_dataset(path)
    snapshot.wait_for_writes()
    assert any((cache / "snapshots").iterdir())
    shutil.rmtree(cache)
    load._LAST_STATE.clear()
    _same(load_dataset(path), first)


def test_an_unwritable_cache_only_costs_speed(
    split_data: Path, tmp_path: Path, monkeypatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("METRICS_CACHE_DIR", str(blocker / "cache"))
    path = _copy(split_data, tmp_path)
    _same(load_dataset(path), load_dataset(path, use_cache=False))


def test_archives_may_sit_in_subfolders(make_case) -> None:
    case = make_case("nested")
    nested = case.folder / "sources" / "2020"
    nested.mkdir()
    (case.folder / "sources" / "article.txt").rename(nested / "article.txt")
    assert [p.code for p in load_dataset(case.path).problems] == ["archive_missing"]
    case.path.write_text(
        case.text.replace("archive: article.txt", "archive: 2020/article.txt"), encoding="utf-8"
    )
    assert load_dataset(case.path).problems == []


@pytest.mark.slow  # a thousand regions synthesised and loaded
def test_a_map_of_many_places_is_not_numbered(tmp_path: Path) -> None:
    from present import charts
    from present.pages import overview

    synthesize(tmp_path, regions=1000, observations=12000, seed=5)
    data = load_dataset(tmp_path / "indicators.yaml")
    points, unlocated = overview.map_points(data, "zh")
    assert len(points) > charts.MAP_LABELS and len(unlocated) > NAMES_SHOWN
    figure = charts.region_map(points, "zh")
    assert {trace.mode for trace in figure.data} == {"markers"}
    assert sum(len(trace.lat) for trace in figure.data) == len(points)  # every place drawn
    # The frame holds every point.
    low, high = figure.layout.geo.lataxis.range
    assert low < points["lat"].min() and points["lat"].max() < high
    many, missing = overview.map_notes(points, unlocated, "zh")
    assert many == f"地图上共 {len(points)} 个地点，点太多不逐一标号；把鼠标移到点上可见地名。"
    assert missing.startswith("未标注位置：") and missing.endswith(f"……等 {len(unlocated)} 个")
    assert missing.count("、") == NAMES_SHOWN - 1


def _age(folder: Path, seconds: int = 3600) -> None:
    """Date every file back, as files that were saved long before a check."""
    past = time.time() - seconds
    for file in folder.rglob("*"):
        os.utime(file, (past, past))


def test_unchanged_files_are_not_read_again(split_data: Path, tmp_path: Path) -> None:
    path = _copy(split_data, tmp_path)
    _age(path.parent)
    first = read_inputs(path)
    assert first.hashed == 1 + 12 + 12  # main file, 12 split files, 12 archives
    second = read_inputs(path, {**first.memo, "written_ns": time.time_ns()})
    assert second.hashed == 0 and second.key == first.key
    edited = path.parent / "indicators" / sorted(first.memo["files"])[3].split("/")[-1]
    edited.write_text(edited.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    third = read_inputs(path, {**first.memo, "written_ns": time.time_ns()})
    assert third.hashed == 1 and third.key != first.key


def test_a_file_changed_behind_the_remembered_hash_is_read_again(
    split_data: Path, tmp_path: Path
) -> None:
    path = _copy(split_data, tmp_path)
    _age(path.parent)
    load_dataset(path)
    snapshot.wait_for_writes()
    load._LAST_STATE.clear()
    # Same size and same time, other content: only reading the bytes can tell.
    split_file = sorted((path.parent / "indicators").glob("*.yaml"))[0]
    text = split_file.read_text(encoding="utf-8")
    stat = split_file.stat()
    split_file.write_text(text.replace("2019", "2091", 1), encoding="utf-8")
    os.utime(split_file, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    # Without a snapshot or a state the file must be read: reading finds that its bytes
    # no longer match the remembered hash, and the check starts over from the bytes.
    shutil.rmtree(snapshot.cache_root() / "snapshots")
    for state in (snapshot.cache_root() / "state").glob("*.state"):
        state.unlink()
    assert list((snapshot.cache_root() / "state").glob("*.digests.json"))
    rechecked = load_dataset(path)
    _same(rechecked, load_dataset(path, use_cache=False))
    assert rechecked.sources["title"].str.contains("2091").sum() == 1  # the new bytes
