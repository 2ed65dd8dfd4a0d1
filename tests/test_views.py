"""The shaping functions behind each page, on small fixtures and on the seed fixture.

The seed is a frozen copy of the bundled data (tests/fixtures/seed/): the numbers and
sentences asserted here stay true when a curator adds an article to data/.
"""

from __future__ import annotations

import dataclasses
import io
import zipfile

import pandas as pd
import pytest
from conftest import MINIMAL, SEED_DATA

from dashboard.freshness import LastGood, data_fingerprint
from metrics.model.dataset import Dataset
from metrics.pipeline.derive import derive_measures
from metrics.pipeline.load import load_dataset
from metrics.tools.cite import english_citation, gbt7714
from present.charts import compare_bars, hover_safe, problems_bars, region_map
from present.downloads import (
    cited_sources,
    csv_bytes,
    datapackage_zip,
    with_citation_column,
    xlsx_bytes,
)
from present.pages import compare, overview, quality
from present.pages import practices as catalogue
from present.pages import region as profile
from present.pages.sources import marked_markdown, place_observations
from present.safetext import escape_markdown


@pytest.fixture(scope="module")
def minimal() -> Dataset:
    dataset = load_dataset(MINIMAL / "indicators.yaml")
    assert dataset.ok, dataset.problems
    return dataset


@pytest.fixture(scope="module")
def seed() -> Dataset:
    dataset = load_dataset(SEED_DATA)
    assert dataset.ok, dataset.problems
    return dataset


def test_coverage_matrix_marks_not_reported_as_missing(minimal: Dataset) -> None:
    # One indicator more, in a family nobody reported; a family without any indicator
    # (cadres, here) is no column at all: nothing could have been reported in it.
    grids = {"indicator_id": "grid_cells", "name_zh": "网格数", "name_en": "Grid cells"}
    indicators = pd.concat(
        [minimal.indicators, pd.DataFrame([{**grids, "unit": "item", "family": "grids"}])],
        ignore_index=True,
    )
    dataset = dataclasses.replace(minimal, indicators=indicators)
    matrix = overview.coverage_matrix(dataset)
    expected = pd.DataFrame(
        {"grids": [pd.NA], "problems": [3], "projects": [1], "investment": [1]},
        index=pd.Index(["town-a"], name="region_id"),
        dtype="Int64",
    ).rename_axis(columns="family")
    pd.testing.assert_frame_equal(matrix, expected)
    table = overview.coverage_table(matrix, dataset, "zh", "未报告")
    assert table.iloc[0].tolist() == ["丙镇", "未报告", "3", "1", "1"]
    colors = overview.coverage_colors(table, "未报告").iloc[0].tolist()
    grey, blue = overview.MISSING_COLOR, overview.REPORTED_COLOR
    assert colors[:3] == ["", f"background-color: {grey}", f"background-color: {blue}"]


def test_coverage_of_real_data(seed: Dataset) -> None:
    matrix = overview.coverage_matrix(seed)
    assert matrix.loc["kezuozhong", "problems"] == 4
    assert pd.isna(matrix.loc["kezuozhong", "investment"])  # not reported, not zero
    assert matrix.loc["xinjie"].dropna().to_dict() == {
        "projects": 2,
        "investment": 1,
        "cadres": 1,
        "organizations": 1,
    }
    assert matrix.loc["longxi"].isna().all()


def test_headline_cards(seed: Dataset) -> None:
    cards = overview.headline_cards(seed, derive_measures(seed.observations), "zh")
    shown = dict(zip(cards["family"], cards["shown"], strict=True))
    assert shown == {
        "教育培训": "2,000余人次",
        "网格治理": "1,900余个",
        "群众诉求": "4,236个",
        "项目与集体经济": "304个",
        "投资": "8,000余万元",
    }
    projects = cards.set_index("family").loc["项目与集体经济"]
    assert projects["reporting_regions"] == 2  # 科左中旗 304 and 新街镇 5
    assert projects["region"] == "科左中旗"
    problems = cards.set_index("family").loc["群众诉求"]
    assert problems["quotes"] == "现场解决3214个 / 限期解决1022个"
    english = overview.headline_cards(seed, derive_measures(seed.observations), "en")
    assert english["shown"].tolist()[-1] == "80,000,000+ yuan"


def test_headline_card_of_family_nobody_reported(minimal: Dataset) -> None:
    cards = overview.headline_cards(minimal, derive_measures(minimal.observations), "en")
    training = cards.set_index("family").loc["Training"]
    assert training["reporting_regions"] == 0
    assert pd.isna(training["value"])


def test_map_points_share_a_seat_and_list_regions_without_location(seed: Dataset) -> None:
    points, unlocated = overview.map_points(seed, "zh")
    assert "达茂旗 / 百灵庙镇" in set(points["region"])
    assert unlocated == ["新街镇"]
    assert points["marker"].tolist() == list(range(1, len(points) + 1))
    fig = region_map(points, "zh")
    assert fig.layout.geo.scope == "asia"
    assert sum(len(trace.lon) for trace in fig.data) == len(points)


def test_compare_rows_sorted_with_levels_and_not_reporting(seed: Dataset) -> None:
    rows = compare.indicator_rows(seed, "projects", "zh")
    assert rows[["label", "value"]].values.tolist() == [["科左中旗", 304.0], ["新街镇", 5.0]]
    assert compare.levels_present(rows) == ["county", "township"]
    assert compare.within_level(rows, "township")["label"].tolist() == ["新街镇"]
    missing = compare.regions_not_reporting(seed, rows, "zh")
    assert missing == ["正蓝旗", "宁城县", "达茂旗", "临河区", "陇西县", "百灵庙镇"]
    assert compare.most_reported_indicator(seed) == "projects"


def test_compare_bars_draw_approximate_values_hatched(seed: Dataset) -> None:
    rows = compare.indicator_rows(seed, "investment", "zh")
    fig = compare_bars(rows, "zh")
    assert len(fig.data) == 1
    bar = fig.data[0]
    assert bar.marker.pattern.shape == "/"
    assert list(bar.text) == ["8,000余万元"]
    assert "累计完成投资8000余万元" in bar.hovertext[0]
    exact = compare_bars(compare.indicator_rows(seed, "projects", "en"), "en")
    assert exact.data[0].marker.pattern.shape == ""
    assert list(exact.layout.yaxis.categoryarray) == [
        "Xinjie Town (新街镇)",
        "Horqin Left Middle Banner (科左中旗)",
    ]


def test_per_unit_view_uses_the_regions_own_denominator(seed: Dataset) -> None:
    rows = compare.indicator_rows(seed, "projects", "zh")
    per_village, without = compare.per_unit_rows(seed, rows, "villages", "zh")
    assert per_village["label"].tolist() == ["新街镇"]
    assert per_village["value"].iloc[0] == pytest.approx(5 / 9)
    assert per_village["shown"].iloc[0] == "0.56个/村"
    assert without == ["科左中旗"]  # no village count reported: no value, not zero
    investment = compare.indicator_rows(seed, "investment", "en")
    per_village, _ = compare.per_unit_rows(seed, investment, "villages", "en")
    assert per_village["shown"].iloc[0] == "8,888,888.89+ yuan per village"


def test_problem_rows(seed: Dataset) -> None:
    rows = compare.problem_rows(seed, "zh")
    assert rows[["region", "value"]].values.tolist() == [
        ["科左中旗", 4236.0],
        ["科左中旗", 3214.0],
        ["科左中旗", 1022.0],
    ]
    fig = problems_bars(rows, "zh")
    assert [list(trace.y) for trace in fig.data] == [[4236.0], [3214.0], [1022.0]]


def test_region_profile(seed: Dataset) -> None:
    assert profile.ancestry(seed, "caiyuan") == [
        "shaanxi",
        "baoji",
        "chencang",
        "xinjie",
        "caiyuan",
    ]
    assert profile.hierarchy_text(seed, "xinjie", "zh") == "陕西省 › 宝鸡市 › 陈仓区 › 新街镇"
    numbers = profile.region_numbers(seed, "xinjie", "zh")
    assert sorted(numbers["shown"]) == sorted(["3个", "9个", "9个", "5个", "8,000余万元"])
    assert profile.families_not_reported(seed, "xinjie", "en") == [
        "Training",
        "Grids",
        "Problems raised and solved",
        "Party members",
    ]
    derived = profile.region_derived(derive_measures(seed.observations), seed, "xinjie", "zh")
    assert derived["shown"].tolist() == ["1,600余万元/个"]
    # A town's practice is also shown on its county's profile.
    assert profile.region_practice_ids(seed, "damao") == ["bailingmiao-old-secretary-studio"]
    assert profile.region_options(seed)[:2] == ["kezuozhong", "xinjie"]


def test_practice_search_and_filters(seed: Dataset) -> None:
    assert catalogue.filter_practices(seed, "zh", "老书记")["practice_id"].tolist() == [
        "bailingmiao-old-secretary-studio"
    ]
    english = catalogue.filter_practices(seed, "en", "OLD SECRETARY")
    assert english["practice_id"].tolist() == ["bailingmiao-old-secretary-studio"]
    mediation = catalogue.filter_practices(seed, "zh", themes=["mediation"])
    assert all("矛盾调解" in themes for themes in mediation["themes"])
    both = catalogue.filter_practices(seed, "zh", themes=["mediation"], regions=["linhe"])
    assert both["practice_id"].tolist() == ["linhe-joint-mediation"]
    assert catalogue.filter_practices(seed, "zh", "没有这个词").empty


def test_citations(seed: Dataset) -> None:
    sources = seed.sources.set_index("source_id")

    def source(source_id: str) -> dict[str, object]:
        return {**sources.loc[source_id].to_dict(), "source_id": source_id}

    assert gbt7714(source("shijian-2020-1-ningcheng")) == (
        "迟亚军. 联席会议常态化 干部监督见实效[J]. 实践（党的教育版）, 2020(1): 55."
    )
    assert gbt7714(source("xinjie-3plus3")) == (
        "马江, 黄正清. 陈仓区新街镇:“3+3”模式提升镇域乡村治理工作水平[EB/OL]. "
        "中国传媒网, 2020(2020-04-13)."
    )
    assert gbt7714(source("longxi-jiceng-zhili")).startswith(
        "[陇西县党建引领基层治理的实践与探索][EB/OL]"
    )
    assert english_citation(source("kzzq-jiajian")).startswith(
        "乔芳畦, 唐丽雅. n.d. (not before June 2019)."
    )
    assert english_citation(source("xinjie-3plus3")).startswith("马江, 黄正清. 13 April 2020.")


def test_every_curated_number_is_placed_in_its_article(seed: Dataset) -> None:
    placed = 0
    for source in seed.sources.to_dict("records"):
        rows = seed.observations[seed.observations["source_id"] == source["source_id"]]
        marks, unplaced = place_observations(seed.archive_texts[source["archive"]], rows)
        assert unplaced == []
        placed += sum(len(mark.markers) for mark in marks)
    assert placed == len(seed.observations) == 30


def test_marked_markdown_escapes_the_text_around_marks() -> None:
    text = "共有$5个:red[网格]，投资8000余万元<script>"
    rows = pd.DataFrame(
        {"observation_id": ["a"], "quote": ["投资8000余万元"], "value": [80_000_000.0]}
    )
    marks, unplaced = place_observations(text, rows)
    assert unplaced == []
    markdown = marked_markdown(text, marks)
    assert ":orange-background[**8000余万元**]" in markdown
    assert "\\$5个\\:red\\[网格\\]" in markdown
    assert "\\<script\\>" in markdown


def test_escape_markdown_neutralises_markup() -> None:
    assert escape_markdown("[x](javascript:alert(1)) $a$ :red[b]") == (
        "\\[x\\]\\(javascript\\:alert\\(1\\)\\) \\$a\\$ \\:red\\[b\\]"
    )
    assert hover_safe("<img src=x onerror=alert(1)>") == "&lt;img src=x onerror=alert(1)&gt;"


def test_quality_views(seed: Dataset) -> None:
    relations = quality.relation_view(seed, "zh")
    assert len(relations) == 6 and set(relations["status_id"]) == {"pass"}
    assert "3,214 + 1,022 = 4,236" in set(relations["detail"])
    approximate = quality.approximate_view(seed, "zh")
    assert sorted(approximate["shown"]) == sorted(
        ["2,000余人次", "3,000余册", "1,900余个", "10户左右", "8,000余万元"]
    )
    missing = quality.missing_view(seed, "zh").set_index("region_id")
    assert missing.loc["kezuozhong", "missing_count"] == 3
    assert missing.loc["kezuozhong", "missing_families"] == "投资"
    assert missing.loc["longxi", "missing_count"] == len(seed.indicators)


def test_downloads_carry_citations(seed: Dataset) -> None:
    rows = compare.indicator_rows(seed, "projects", "zh")[["region", "shown", "source_id"]]
    citations = cited_sources(rows, seed)
    assert citations["source_id"].tolist() == ["kzzq-jiajian", "xinjie-3plus3"]
    cited = with_citation_column(rows, citations)
    assert cited["citation"].str.endswith(("[EB/OL]. [不早于2019-06].", "2020(2020-04-13).")).all()
    assert csv_bytes(rows).startswith("\ufeffregion,shown,source_id".encode())
    workbook = pd.read_excel(io.BytesIO(xlsx_bytes(rows, citations, "projects")), sheet_name=None)
    pd.testing.assert_frame_equal(workbook["projects"], rows.astype(object), check_dtype=False)
    assert workbook["citations"]["citation"].str.contains("[EB/OL]", regex=False).all()
    with zipfile.ZipFile(io.BytesIO(datapackage_zip(seed))) as archive:
        assert "datapackage.json" in archive.namelist()
        assert "observations.csv" in archive.namelist()


def test_last_good_keeps_valid_data_while_the_file_is_broken(
    seed: Dataset, minimal: Dataset
) -> None:
    broken = load_dataset(MINIMAL / "missing.yaml")
    keeper = LastGood()
    first = keeper.offer(broken)  # never valid yet: show what could be read
    assert first.dataset is broken and not first.stale and first.problems
    assert keeper.offer(seed).dataset is seed
    shown = keeper.offer(broken)
    assert shown.dataset is seed and shown.stale
    assert [p.code for p in shown.problems] == ["file_missing"]
    assert keeper.offer(minimal).dataset is minimal


def test_fingerprint_changes_when_an_archive_changes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "sources").mkdir()
    data = tmp_path / "indicators.yaml"
    data.write_text("sources: []\n", encoding="utf-8")
    archive = tmp_path / "sources" / "a.txt"
    archive.write_text("一", encoding="utf-8")
    before = data_fingerprint(data)
    archive.write_text("一二", encoding="utf-8")
    assert data_fingerprint(data) != before


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_region_names_column_wise_match_region_name(seed: Dataset, lang: str) -> None:
    from present.i18n import region_name
    from present.rows import region_names

    expected = {r["region_id"]: region_name(r, lang) for r in seed.regions.to_dict("records")}
    assert region_names(seed, lang) == expected
    assert expected["kezuozhong"] == ("科左中旗" if lang == "zh" else
                                      "Horqin Left Middle Banner (科左中旗)")  # fmt: skip
