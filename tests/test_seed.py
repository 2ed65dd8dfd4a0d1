"""The numbers of the four bundled articles as curated, on the frozen seed fixture.

tests/fixtures/seed/ is a copy of data/ taken when these numbers were checked by hand:
the values, qualifiers, levels and derived measures asserted here belong to it, so that
a curator's new article in data/ changes none of them. What must hold for data/ itself
is in tests/test_real_data.py.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import COLLECTED, SEED, SEED_DATA, Case, codes

from metrics.pipeline.derive import derive_measures
from metrics.pipeline.load import load_dataset


@pytest.fixture(scope="module")
def dataset():
    return load_dataset(SEED_DATA)


def test_seed_has_no_problems(dataset) -> None:
    assert [p.render() for p in dataset.problems] == []


def test_seed_archives_are_the_collected_articles() -> None:
    if not COLLECTED.is_dir():
        pytest.skip(f"no folder of collected articles at {COLLECTED}")
    for archive in (SEED / "sources").glob("*.txt"):
        collected = COLLECTED / archive.name
        assert collected.is_file(), archive.name
        digest = hashlib.sha256(archive.read_bytes()).hexdigest()
        assert digest == hashlib.sha256(collected.read_bytes()).hexdigest(), archive.name


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


def test_relations_pass_on_the_seed(dataset) -> None:
    results = dataset.relation_results
    assert len(results) == len(dataset.relations)
    assert set(results["status"]) == {"pass"}


def test_changing_one_number_breaks_its_relation(tmp_path: Path) -> None:
    case = Case(tmp_path / "data")  # a copy of the fixture folder, replaced below
    shutil.copytree(SEED / "sources", case.folder / "sources", dirs_exist_ok=True)
    case.text = SEED_DATA.read_text(encoding="utf-8")
    case.replace("    value: 3214\n", "    value: 3215\n")
    found = codes(case.load())
    total_line = case.line("indicator: problems_reported") - 1
    assert (total_line, "relation_failed") in found
    assert (case.line("value: 3215"), "quote_value_mismatch") in found


def test_derived_measures_of_the_seed(dataset) -> None:
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


# Tests that assert the numbers of the seed: none of them may read data/ instead.
SEED_READERS = [
    "test_views.py", "test_app.py", "test_browser.py", "test_last_good.py", "test_cli.py",
    "test_seed.py",
]  # fmt: skip
# (Naming DEFAULT_DATA is fine where it is replaced by the seed, as test_app.py does.)
BUNDLED_DATA = ["load_dataset()", "REAL_DATA", 'PROJECT / "data"', "import DEFAULT_DATA"]


@pytest.mark.parametrize("name", SEED_READERS)
def test_tests_of_seed_numbers_never_read_the_bundled_data(name: str) -> None:
    text = (Path(__file__).parent / name).read_text(encoding="utf-8")
    # This file names the patterns it looks for; only its list may.
    if name == "test_seed.py":
        text = text.split("BUNDLED_DATA = ", 1)[0]
    assert [pattern for pattern in BUNDLED_DATA if pattern in text] == []
