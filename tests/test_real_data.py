"""The bundled data: valid, complete against its articles, and consistent."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest
from conftest import PROJECT, REAL_DATA, Case, codes

from metrics.pipeline.derive import DERIVED_MEASURES
from metrics.pipeline.load import load_dataset

SEEDS = PROJECT.parent / "shared" / "seeds"
SOURCES = PROJECT / "data" / "sources"


@pytest.fixture(scope="module")
def dataset():
    return load_dataset(REAL_DATA)


def test_bundled_data_has_no_problems(dataset) -> None:
    assert [p.render() for p in dataset.problems] == []


def test_every_archive_is_a_byte_copy_of_its_seed() -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"no seeds folder at {SEEDS}")
    seeds = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in SEEDS.glob("*.txt")}
    archived = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in SOURCES.glob("*.txt")}
    assert archived == seeds


def test_every_archive_is_used_by_a_source(dataset) -> None:
    assert set(dataset.sources["archive"]) == {p.name for p in SOURCES.glob("*.txt")}


# Every place the articles name as a region, with the archive that names it. Each is
# looked up in its article (so this list cannot drift from the texts) and in the data.
NAMED_REGIONS = {
    "正蓝旗": "000_a32480a9c80370c4.txt",
    "宁城县": "000_a32480a9c80370c4.txt",
    "达茂旗": "000_a32480a9c80370c4.txt",
    "百灵庙镇": "000_a32480a9c80370c4.txt",
    "临河区": "000_a32480a9c80370c4.txt",
    "巴彦淖尔市": "000_a32480a9c80370c4.txt",
    "通辽市": "001_cf6599c7ae723155.txt",
    "科左中旗": "001_cf6599c7ae723155.txt",
    "青岛": "001_cf6599c7ae723155.txt",
    "兰考": "001_cf6599c7ae723155.txt",
    "陇西县": "002_4660ffd7552fdffd.txt",
    "陈仓区": "003_2e6890469b97fbf0.txt",
    "新街镇": "003_2e6890469b97fbf0.txt",
    "东沟门": "003_2e6890469b97fbf0.txt",
    "菜园": "003_2e6890469b97fbf0.txt",
}


@pytest.mark.parametrize(("name", "archive"), NAMED_REGIONS.items())
def test_every_region_named_in_the_articles_is_in_the_data(
    dataset, name: str, archive: str
) -> None:
    assert name in (SOURCES / archive).read_text(encoding="utf-8")
    names = pd.concat([dataset.regions["name_zh"], dataset.regions["short_zh"].dropna()])
    assert names.str.startswith(name).any(), f"{name} is not among the regions"


def test_every_report_has_its_own_source_and_region(dataset) -> None:
    page = dataset.sources[dataset.sources["archive"] == "000_a32480a9c80370c4.txt"]
    assert sorted(page["region_id"]) == ["damao", "linhe", "ningcheng", "zhenglan"]
    assert page["source_id"].is_unique


def test_region_levels_keep_towns_apart_from_counties(dataset) -> None:
    levels = dataset.regions.set_index("region_id")["level"]
    assert levels["xinjie"] == "township"
    assert levels["kezuozhong"] == "county"
    assert levels["bailingmiao"] == "township"


def _observation(dataset, region: str, indicator: str) -> pd.Series:
    rows = dataset.observations.query("region_id == @region and indicator_id == @indicator")
    assert len(rows) == 1, f"{region}/{indicator}: {len(rows)} rows"
    return rows.iloc[0]


@pytest.mark.parametrize(
    ("region", "indicator", "value", "qualifier"),
    [
        ("kezuozhong", "problems_reported", 4236, "exact"),
        ("kezuozhong", "problems_solved_on_spot", 3214, "exact"),
        ("kezuozhong", "problems_solved_by_deadline", 1022, "exact"),
        ("kezuozhong", "trainees", 2000, "more_than"),
        ("kezuozhong", "grid_cells", 1900, "more_than"),
        ("kezuozhong", "households_per_party_member", 10, "about"),
        ("xinjie", "investment", 80_000_000, "more_than"),
        ("xinjie", "projects", 5, "exact"),
    ],
)
def test_headline_numbers_are_stored_in_base_units(
    dataset, region, indicator, value, qualifier
) -> None:
    row = _observation(dataset, region, indicator)
    assert (row["value"], row["qualifier"]) == (value, qualifier)


def test_derived_measures_use_indicators_that_exist(dataset) -> None:
    known = set(dataset.indicators["indicator_id"])
    for measure in DERIVED_MEASURES:
        assert set(measure.inputs) | set(measure.denominator) <= known, measure.id


def test_relations_pass_on_the_real_data(dataset) -> None:
    results = dataset.relation_results
    assert len(results) == len(dataset.relations)
    assert set(results["status"]) == {"pass"}


def test_changing_one_number_breaks_its_relation(tmp_path: Path) -> None:
    case = Case(tmp_path / "data")  # a copy of the fixture folder, replaced below
    for archive in SOURCES.glob("*.txt"):
        (case.folder / "sources" / archive.name).write_bytes(archive.read_bytes())
    case.text = REAL_DATA.read_text(encoding="utf-8")
    case.replace("    value: 3214\n", "    value: 3215\n")
    found = codes(case.load())
    total_line = case.line("indicator: problems_reported") - 1
    assert (total_line, "relation_failed") in found
    assert (case.line("value: 3215"), "quote_value_mismatch") in found


def test_derived_measures_of_the_real_data(dataset) -> None:
    from metrics.pipeline.derive import derive_measures

    result = derive_measures(dataset.observations)[
        ["measure_id", "region_id", "value", "qualifier"]
    ]
    expected = pd.DataFrame(
        [
            ("problems_solved", "kezuozhong", 3214.0 + 1022.0, "exact"),
            ("share_solved_on_spot", "kezuozhong", 100 * 3214 / 4236, "exact"),
            ("share_solved_by_deadline", "kezuozhong", 100 * 1022 / 4236, "exact"),
            ("households_reached", "kezuozhong", 19_000.0, "about"),
            ("training_classes_total", "kezuozhong", 10.0, "exact"),
            ("trainees_per_class", "kezuozhong", 200.0, "more_than"),
            ("share_villages_income_50k", "kezuozhong", 100 * 303 / 488, "exact"),
            ("investment_per_project", "xinjie", 16_000_000.0, "more_than"),
        ],
        columns=["measure_id", "region_id", "value", "qualifier"],
    )
    pd.testing.assert_frame_equal(result, expected, check_dtype=False)
