"""What must hold for any curated data, checked on the bundled data and on the same data
with one more article.

Every test here runs twice (the ``bundled`` fixture of conftest.py): on data/ as it is,
and on a copy of it to which a made-up fifth article (tests/fixtures/fifth_article/) is
added as a curator adds one. So they assert properties (valid, complete, consistent,
traceable), never counts or particular numbers: those are asserted on the frozen seed
fixture, in tests/test_seed.py.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest
from conftest import REAL_DATA, Bundle

from metrics.pipeline.derive import DERIVED_MEASURES
from metrics.pipeline.load import load_dataset
from metrics.pipeline.relations import FAIL
from metrics.tools.cli import main
from present.pages.sources import place_observations


def _hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.glob("*.txt")}


def test_bundled_data_has_no_problems(bundled: Bundle) -> None:
    assert [p.render() for p in bundled.dataset.problems] == []


def test_check_command_passes_with_one_summary_line(bundled: Bundle, capsys) -> None:
    assert main(["check", str(bundled.path)]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and out[0].startswith("ok: ")


def test_every_archive_is_a_byte_copy_of_its_seed(bundled: Bundle) -> None:
    if bundled.collected is None:
        pytest.skip("no folder of collected articles (../shared/seeds) on this machine")
    assert _hashes(bundled.sources) == _hashes(bundled.collected)


def test_every_archive_is_used_by_a_source(bundled: Bundle) -> None:
    assert set(bundled.dataset.sources["archive"]) == set(bundled.archives)


def test_every_curated_number_is_placed_in_its_article(bundled: Bundle) -> None:
    """The Sources page can mark every quote in the archived text it comes from."""
    dataset = bundled.dataset
    for source in dataset.sources.to_dict("records"):
        rows = dataset.observations[dataset.observations["source_id"] == source["source_id"]]
        _, unplaced = place_observations(dataset.archive_texts[source["archive"]], rows)
        assert unplaced == [], source["source_id"]


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


def test_every_region_named_in_the_articles_is_in_the_data(bundled: Bundle) -> None:
    dataset = bundled.dataset
    not_in_article = [
        f"{name} ({archive})"
        for name, archive in NAMED_REGIONS.items()
        if name not in (bundled.sources / archive).read_text(encoding="utf-8")
    ]
    assert not_in_article == [], "names not in the article said to name them"
    names = pd.concat([dataset.regions["name_zh"], dataset.regions["short_zh"].dropna()])
    missing = [name for name in NAMED_REGIONS if not names.str.startswith(name).any()]
    assert missing == [], f"named in the articles, not among the regions: {missing}"


def test_each_report_on_a_shared_page_has_its_own_region(bundled: Bundle) -> None:
    """One archive, several reports: one source per report, each about its own region."""
    sources = bundled.dataset.sources
    assert not sources.duplicated(["archive", "region_id"]).any()


def test_derived_measures_use_indicators_that_exist(bundled: Bundle) -> None:
    known = set(bundled.dataset.indicators["indicator_id"])
    for measure in DERIVED_MEASURES:
        assert set(measure.inputs) | set(measure.denominator) <= known, measure.id


def test_relations_pass(bundled: Bundle) -> None:
    """No rule fails; one whose numbers an article does not all report is incomplete,
    which is not a failure (not reported is not zero)."""
    results = bundled.dataset.relation_results
    assert set(results["relation_id"]) <= set(bundled.dataset.relations["relation_id"])
    failed = results[results["status"] == FAIL]
    assert failed[["relation_id", "source_id", "detail"]].values.tolist() == []


def test_bundled_data_holds_no_made_up_article() -> None:
    """The made-up articles of the tests (the fifth article, ``metrics synth``) are
    marked as such so that they can never slip into data/ unseen."""
    sources = load_dataset(REAL_DATA).sources
    titled = sources["title"].str.contains("虚构|合成数据")
    published = sources["publisher"].fillna("").str.contains("仅供测试")
    made_up = titled | published
    assert sources.loc[made_up, "source_id"].tolist() == []


def test_the_fifth_article_is_added_as_a_curator_adds_one(fifth_article_data: Bundle) -> None:
    """The second dataset of every test above is the real data and one article more: a
    source with its own archive, a new region under an existing one, a new indicator,
    three observations. It is marked as made up wherever a reader would see it."""
    real = load_dataset(REAL_DATA)
    more = fifth_article_data.dataset
    added = more.sources[~more.sources["source_id"].isin(real.sources["source_id"])]
    assert len(added) == 1
    source = added.iloc[0]
    assert "虚构" in source["title"] and source["publisher"] == "虚构示例（仅供测试）"
    assert source["archive"] not in set(real.sources["archive"])
    new_regions = more.regions[~more.regions["region_id"].isin(real.regions["region_id"])]
    assert new_regions["region_id"].tolist() == [source["region_id"]]
    assert new_regions["parent_id"].isin(real.regions["region_id"]).all()
    new = more.observations[more.observations["source_id"] == source["source_id"]]
    assert len(new) == 3
    known = set(real.indicators["indicator_id"])
    assert len(set(new["indicator_id"]) - known) == 1
    assert len(more.indicators) == len(real.indicators) + 1
