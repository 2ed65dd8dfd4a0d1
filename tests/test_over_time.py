"""Change over time: a region's series of points (with gaps), the period picker's
shaping, the line charts, and both pages, on the designed fixture
tests/fixtures/over_time/ (a made-up article over 2019, 2020 and 2022), on the seed
(no region reported two periods) and on synthetic data.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterator

import pandas as pd
import pytest
from conftest import (
    APP_TIMEOUT,
    FIXTURES,
    PROJECT,
    SEED_DATA,
    run_app_page,
    streamlit_caches_cleared,
)
from streamlit.testing.v1 import AppTest

from dashboard.cache import DATA_ENV
from metrics.model.dataset import Dataset
from metrics.pipeline.load import load_dataset
from present.charts import series_by_region, series_chart, series_charts
from present.pages import compare, region
from present.rows import indicator_order

OVER_TIME = FIXTURES / "over_time" / "indicators.yaml"
MADE_UP = "甲县两镇重点项目逐年推进（虚构文章，仅供测试）"
SRC_A = "丙镇的基层治理"
TIMEOUT = APP_TIMEOUT


@pytest.fixture(scope="module")
def over_time() -> Dataset:
    dataset = load_dataset(OVER_TIME)
    assert dataset.ok, dataset.problems  # every quote is found in its archived article
    return dataset


@pytest.fixture(scope="module")
def seed() -> Dataset:
    dataset = load_dataset(SEED_DATA)
    assert dataset.ok, dataset.problems
    return dataset


def series_frame(points: list[tuple[object, ...]]) -> pd.DataFrame:
    """The expected ``region_series`` frame from rows without ``position`` (it is the
    start of the period, computed here from the period)."""
    columns = [c for c in region.SERIES_COLUMNS if c != "position"]
    frame = pd.DataFrame(points, columns=columns)
    starts = [f"{p}-01-01" if len(p) == 4 else f"{p}-01" for p in frame["period"]]
    frame.insert(4, "position", pd.to_datetime(starts).astype("datetime64[us]"))
    return frame


def gap(indicator_id: str, indicator: str, unit: str, period: str) -> tuple[object, ...]:
    nothing = (None,) * 5  # qualifier, source, source_id, quote, observation_id
    return (indicator_id, indicator, unit, period, float("nan"), "", False, *nothing, True)


def point(*values: object) -> tuple[object, ...]:
    return (*values, False)


# --- region_series -------------------------------------------------------------------


def test_region_series_is_every_point_with_the_gaps(over_time: Dataset) -> None:
    expected = series_frame(
        [
            point("projects", "项目数", "个", "2019", 6.0, "6个", False, "确数", MADE_UP,
                  "made-up-over-time", "丙镇2019年新建重点项目6个",
                  "made-up-over-time:town-a:projects:2019"),
            point("projects", "项目数", "个", "2020", 8.0, "8个", False, "确数", MADE_UP,
                  "made-up-over-time", "丙镇2020年新建重点项目8个",
                  "made-up-over-time:town-a:projects:2020"),
            gap("projects", "项目数", "个", "2021"),
            point("projects", "项目数", "个", "2022", 10.0, "10余个", True, "余", MADE_UP,
                  "made-up-over-time", "丙镇2022年新建重点项目10余个",
                  "made-up-over-time:town-a:projects:2022"),
            point("investment", "完成投资", "元", "2019", 80_000_000.0, "8,000余万元", True, "余",
                  SRC_A, "src-a", "累计完成投资8000余万元", "src-a:town-a:investment:2019"),
            gap("investment", "完成投资", "元", "2020"),
            gap("investment", "完成投资", "元", "2021"),
            point("investment", "完成投资", "元", "2022", 90_000_000.0, "9,000万元", False, "确数",
                  MADE_UP, "made-up-over-time", "全年完成投资9000万元",
                  "made-up-over-time:town-a:investment:2022"),
        ]
    )  # fmt: skip
    series = region.region_series(over_time, "town-a", "zh")
    pd.testing.assert_frame_equal(series, expected)
    # The problems the town reported carry no period: no point in time.
    own = over_time.observations[over_time.observations["region_id"] == "town-a"]
    assert own.loc[own["indicator_id"] == "problems_reported", "period"].isna().all()
    assert "problems_reported" not in set(series["indicator_id"])


def test_region_series_in_english(over_time: Dataset) -> None:
    expected = series_frame(
        [
            point("projects", "Projects (项目数)", "items", "2019", 3.0, "3 items", False,
                  "exact", MADE_UP, "made-up-over-time", "丁镇2019年新建重点项目3个",
                  "made-up-over-time:town-b:projects:2019"),
            gap("projects", "Projects (项目数)", "items", "2020"),
            gap("projects", "Projects (项目数)", "items", "2021"),
            point("projects", "Projects (项目数)", "items", "2022", 7.0, "7 items", False,
                  "exact", MADE_UP, "made-up-over-time", "2022年新建重点项目7个",
                  "made-up-over-time:town-b:projects:2022"),
        ]
    )  # fmt: skip
    pd.testing.assert_frame_equal(region.region_series(over_time, "town-b", "en"), expected)
    english = region.region_series(over_time, "town-a", "en").set_index(["indicator_id", "period"])
    assert english.loc[("projects", "2022"), "shown"] == "10+ items"
    assert english.loc[("projects", "2022"), "qualifier"] == "more than"


def test_one_point_per_period_from_the_latest_article(over_time: Dataset) -> None:
    # 2019's projects: 5 in src-a (2020-04-13), 6 in the made-up article (2023-03).
    obs = over_time.observations
    mine = (obs["region_id"] == "town-a") & (obs["indicator_id"] == "projects")
    assert sorted(obs.loc[mine & (obs["period"] == "2019"), "value"]) == [5.0, 6.0]

    def kept(dataset: Dataset) -> tuple[float, str]:
        series = region.region_series(dataset, "town-a", "zh")
        row = series[(series["indicator_id"] == "projects") & (series["period"] == "2019")]
        assert len(row) == 1
        return float(row["value"].iloc[0]), str(row["source_id"].iloc[0])

    assert kept(over_time) == (6.0, "made-up-over-time")
    sources = over_time.sources.set_index("source_id")
    later_src_a = sources.assign(date=sources["date"].where(sources.index != "src-a", "2024"))
    swapped = dataclasses.replace(over_time, sources=later_src_a.reset_index())
    assert kept(swapped) == (5.0, "src-a")
    # Equal dates: the number curated first (src-a's, earlier in the file).
    same_day = dataclasses.replace(over_time, sources=over_time.sources.assign(date="2023-03"))
    assert kept(same_day) == (5.0, "src-a")


def with_periods(dataset: Dataset, region_id: str, periods: dict[str, str]) -> Dataset:
    """The dataset with the region's projects re-dated: old period -> new period."""
    obs = dataset.observations
    mine = (obs["region_id"] == region_id) & (obs["indicator_id"] == "projects")
    moved = obs["period"].where(~mine, obs["period"].map(periods).fillna(obs["period"]))
    return dataclasses.replace(dataset, observations=obs.assign(period=moved))


def test_gap_rows_between_whole_months(over_time: Dataset) -> None:
    months = with_periods(over_time, "town-b", {"2019": "2019-11", "2022": "2020-02"})
    series = region.region_series(months, "town-b", "zh")
    assert series["period"].tolist() == ["2019-11", "2019-12", "2020-01", "2020-02"]
    assert series["gap"].tolist() == [False, True, True, False]
    assert series["position"].tolist() == list(
        pd.to_datetime(["2019-11-01", "2019-12-01", "2020-01-01", "2020-02-01"])
    )


@pytest.mark.parametrize(
    ("moved", "periods"),
    [
        ({"2020": "2020-06"}, ["2019", "2020-06", "2022"]),  # a month among years
        ({"2022": "2022-03-15"}, ["2019", "2020", "2022-03-15"]),  # a day
        ({"2020": "2020/2021"}, ["2019", "2020/2021", "2022"]),  # a range
    ],
)
def test_no_gap_rows_unless_all_whole_years_or_months(
    over_time: Dataset, moved: dict[str, str], periods: list[str]
) -> None:
    series = region.region_series(with_periods(over_time, "town-a", moved), "town-a", "zh")
    projects = series[series["indicator_id"] == "projects"]
    assert projects["period"].tolist() == periods
    assert not projects["gap"].any()
    assert projects["position"].is_monotonic_increasing
    # The other indicator keeps its own gaps.
    assert series.loc[series["indicator_id"] == "investment", "gap"].sum() == 2


def test_no_region_of_the_seed_has_a_series(seed: Dataset) -> None:
    for region_id in seed.regions["region_id"]:
        series = region.region_series(seed, region_id, "zh")
        assert series.empty and list(series.columns) == region.SERIES_COLUMNS
    for indicator_id in seed.indicators["indicator_id"]:
        rows = compare.indicator_rows(seed, indicator_id, "zh")
        assert compare.period_options(rows) == []  # no picker
        assert compare.indicator_series(seed, rows).empty


# --- the Compare page's periods ----------------------------------------------------


def test_indicator_periods_and_within_period(over_time: Dataset) -> None:
    rows = compare.indicator_rows(over_time, "projects", "zh")
    assert compare.indicator_periods(rows) == ["2019", "2020", "2022"]
    assert compare.period_options(rows) == ["all", "latest", "2019", "2020", "2022"]
    assert compare.within_period(rows, None) is rows
    assert compare.within_period(rows, "2019")["value"].tolist() == [6.0, 5.0, 3.0]
    assert compare.within_period(rows, "2020")["region"].tolist() == ["丙镇"]
    latest = compare.within_period(rows, None, latest=True)
    assert latest[["region", "period", "shown"]].values.tolist() == [
        ["丙镇", "2022", "10余个"],
        ["丁镇", "2022", "7个"],
    ]
    # A number without a period is in no period; the picker lists it nowhere.
    undated = rows.assign(period=rows["period"].where(rows["region_id"] != "town-b", None))
    assert compare.indicator_periods(undated) == ["2019", "2020", "2022"]
    assert "丁镇" not in set(compare.within_period(undated, "2019")["region"])
    # ...and a region with undated numbers only keeps them as its latest.
    assert compare.within_period(undated, None, latest=True)["region"].tolist() == [
        "丙镇",
        "丁镇",
        "丁镇",
    ]
    # Time order is by the start of a period, not by its text.
    mixed = rows.assign(period=["2019-06", "2019/2020", "2019", "2018-12-31", "2019", "2020"])
    assert compare.indicator_periods(mixed) == [
        "2018-12-31",
        "2019",
        "2019/2020",
        "2019-06",
        "2020",
    ]


def test_indicator_series_by_region(over_time: Dataset) -> None:
    rows = compare.indicator_rows(over_time, "projects", "zh")
    series = compare.indicator_series(over_time, rows)
    assert list(series.columns) == ["region_id", "region", *region.SERIES_COLUMNS]
    assert series[["region", "period", "value", "gap"]].fillna(-1).values.tolist() == [
        ["丙镇", "2019", 6.0, False],
        ["丙镇", "2020", 8.0, False],
        ["丙镇", "2021", -1, True],
        ["丙镇", "2022", 10.0, False],
        ["丁镇", "2019", 3.0, False],
        ["丁镇", "2020", -1, True],
        ["丁镇", "2021", -1, True],
        ["丁镇", "2022", 7.0, False],
    ]
    one_period = compare.indicator_series(over_time, compare.within_period(rows, "2019"))
    assert one_period.empty


# --- the charts ----------------------------------------------------------------------


def test_one_chart_per_indicator_breaks_at_the_gap(over_time: Dataset) -> None:
    series = region.region_series(over_time, "town-a", "zh")
    figures = series_charts(series, "zh")
    assert [indicator for indicator, _ in figures] == ["projects", "investment"]
    projects = figures[0][1]
    assert len(projects.data) == 1
    line = projects.data[0]
    assert list(line.x) == ["2019", "2020", "2021", "2022"]
    assert list(line.y) == [6.0, 8.0, None, 10.0]
    assert line.connectgaps is False
    assert line.line.shape == "linear"
    assert list(line.marker.symbol) == ["circle", "circle", "circle", "circle-open"]
    assert list(line.text) == ["6个", "8个", "", "10余个"]
    assert "lines" in line.mode and "markers" in line.mode and "text" in line.mode
    assert "丙镇2022年新建重点项目10余个" in line.hovertext[3] and MADE_UP in line.hovertext[3]
    assert line.hovertext[2] == ""
    assert projects.layout.title.text == "项目数"
    assert projects.layout.yaxis.title.text == "个"
    assert projects.layout.xaxis.type == "category"
    assert list(projects.layout.xaxis.categoryarray) == ["2019", "2020", "2021", "2022"]
    investment = figures[1][1].data[0]
    assert list(investment.y) == [80_000_000.0, None, None, 90_000_000.0]
    assert list(investment.marker.symbol) == ["circle-open", "circle", "circle", "circle"]


def test_lines_by_region(over_time: Dataset) -> None:
    rows = compare.indicator_rows(over_time, "projects", "en")
    fig = series_by_region(compare.indicator_series(over_time, rows), "en")
    assert [trace.name for trace in fig.data] == ["Town A (丙镇)", "Town B (made up) (丁镇)"]
    assert [list(trace.y) for trace in fig.data] == [[6.0, 8.0, None, 10.0], [3.0, None, None, 7.0]]
    assert all(trace.connectgaps is False for trace in fig.data)
    assert fig.data[0].marker.symbol[3] == "circle-open"
    assert list(fig.layout.xaxis.categoryarray) == ["2019", "2020", "2021", "2022"]
    assert fig.layout.showlegend is not False
    assert fig.data[0].mode == "lines+markers"  # many lines: hover, no labels
    assert "Source" in fig.data[0].hovertext[0]


def test_series_chart_escapes_text_from_the_data(over_time: Dataset) -> None:
    series = region.region_series(over_time, "town-b", "zh")
    series = series.assign(quote=series["quote"].where(series["gap"], "<b>x</b> & y"))
    series = series.assign(indicator="<i>项目</i>")
    fig = series_chart(series, "zh")
    assert "&lt;b&gt;x&lt;/b&gt; &amp; y" in fig.data[0].hovertext[0]
    assert "<b>x</b>" not in fig.data[0].hovertext[0]
    assert fig.data[0].name == "&lt;i&gt;项目&lt;/i&gt;"


# --- synthetic data ------------------------------------------------------------------


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    """A small ``metrics synth`` dataset: periods over 2019-2021 and undated numbers,
    several reports per region."""
    from metrics.tools import synth

    out = tmp_path_factory.mktemp("synth-over-time")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(synth, "DEFAULT_DATA", SEED_DATA)  # the seed's indicators and rules
        synth.synthesize(out, regions=40, observations=1500, seed=11)
    dataset = load_dataset(out / "indicators.yaml")
    assert dataset.ok, dataset.problems[:5]
    return dataset


def test_series_invariants_on_synthetic_data(synthetic: Dataset) -> None:
    order = {i: n for n, i in enumerate(indicator_order(synthetic))}
    seen = gaps = 0
    for region_id in synthetic.observations["region_id"].unique():
        series = region.region_series(synthetic, region_id, "zh")
        assert list(series.columns) == region.SERIES_COLUMNS
        if series.empty:
            continue
        seen += 1
        ranks = series["indicator_id"].map(order)
        assert ranks.is_monotonic_increasing  # family order, one block per indicator
        for _, points in series.groupby("indicator_id"):
            reported = points[~points["gap"]]
            assert reported["period"].nunique() >= 2
            assert points["period"].is_unique  # one point per period
            assert points["position"].is_monotonic_increasing and points["position"].is_unique
            assert reported["value"].notna().all() and (reported["shown"] != "").all()
            holes = points[points["gap"]]
            assert holes["value"].isna().all() and (holes["shown"] == "").all()
            assert holes["source_id"].isna().all()
            gaps += len(holes)
        # Every point is one of the region's dated observations.
        own = synthetic.observations.set_index("observation_id")
        ids = series.loc[~series["gap"], "observation_id"]
        assert (own.loc[ids, "region_id"] == region_id).all()
        assert own.loc[ids, "period"].notna().all()
    assert seen > 0 and gaps > 0  # the data has series, and some of them gaps


# --- the pages -----------------------------------------------------------------------


@pytest.fixture(autouse=False)
def pages(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., AppTest]]:
    """Run a page on the over-time fixture."""
    monkeypatch.setenv(DATA_ENV, str(OVER_TIME))
    caches = streamlit_caches_cleared()
    next(caches)

    yield run_app_page
    next(caches, None)


def plotly_specs(app: AppTest) -> list[dict[str, object]]:
    return [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]


SECTIONS = {
    "zh": ["行政隶属", "报告的数字", "随时间的变化", "推算指标", "经验做法", "来源文章"],
    "en": [
        "Place in the hierarchy",
        "Reported numbers",
        "Change over time",
        "Derived measures",
        "Named practices",
        "Sources",
    ],
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_region_profile_shows_change_over_time(pages: Callable[..., AppTest], lang: str) -> None:
    app = pages("region", lang, region="town-a")
    assert [s.value for s in app.subheader] == SECTIONS[lang]
    hollow = {"zh": "空心点为约数", "en": "Hollow points are approximate"}[lang]
    assert any(hollow in c.value for c in app.caption)
    specs = plotly_specs(app)
    assert [spec["data"][0]["y"] for spec in specs] == [  # type: ignore[index]
        [6.0, 8.0, None, 10.0],
        [80_000_000.0, None, None, 90_000_000.0],
    ]
    # A region without two periods of anything has no such section.
    app = pages("region", lang, region="county-a")
    assert SECTIONS[lang][2] not in [s.value for s in app.subheader]
    assert not app.get("plotly_chart")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_compare_period_picker_changes_the_rows(pages: Callable[..., AppTest], lang: str) -> None:
    app = pages("compare", lang, indicator="projects")
    picker = app.selectbox(key="period")
    labels = {
        "zh": ["所有时期", "各地区最近一期"],
        "en": ["All periods", "Each region's latest period"],
    }
    assert picker.options == [*labels[lang], "2019", "2020", "2022"]
    assert picker.label == {"zh": "时期", "en": "Period"}[lang]
    region_column, shown_column = {"zh": ("地区", "原文表述"), "en": ("Region", "As reported")}[
        lang
    ]
    table = app.dataframe[0].value
    assert len(table) == 6
    # Bars, lines by region, problems: the lines break at the gaps.
    lines = plotly_specs(app)[1]["data"]
    assert [trace["y"] for trace in lines] == [[6.0, 8.0, None, 10.0], [3.0, None, None, 7.0]]  # type: ignore[index]
    picker.set_value("2020").run()
    assert app.query_params["period"] == "2020"  # kept in the URL, as the other pickers
    table = app.dataframe[0].value
    assert table[shown_column].tolist() == [{"zh": "8个", "en": "8 items"}[lang]]
    bars = plotly_specs(app)[0]["data"]
    assert [trace["text"] for trace in bars] == [[{"zh": "8个", "en": "8 items"}[lang]]]  # type: ignore[index]
    app.selectbox(key="period").set_value("latest").run()
    table = app.dataframe[0].value
    assert len(table) == 2 and set(table["Period" if lang == "en" else "时期"]) == {"2022"}
    assert table[region_column].nunique() == 2


def test_compare_picker_from_the_url(pages: Callable[..., AppTest]) -> None:
    app = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=TIMEOUT)
    app.query_params["indicator"] = "projects"
    app.query_params["period"] = "2019"
    app.switch_page("app_pages/compare.py").run()
    assert not app.exception
    assert app.selectbox(key="period").value == "2019"
    assert len(app.dataframe[0].value) == 3


def test_compare_has_no_picker_for_one_period(pages: Callable[..., AppTest]) -> None:
    app = pages("compare", "zh", indicator="problems_reported")
    assert "period" not in [s.key for s in app.selectbox]
    assert len(plotly_specs(app)) == 2  # bars and problems: no lines over time


def test_seed_pages_have_no_over_time_parts(
    monkeypatch: pytest.MonkeyPatch, pages: Callable[..., AppTest]
) -> None:
    monkeypatch.setenv(DATA_ENV, str(SEED_DATA))
    app = pages("region", "zh", region="xinjie")
    assert "随时间的变化" not in [s.value for s in app.subheader]
    for indicator in ("projects", "investment"):
        app = pages("compare", "zh", indicator=indicator)
        assert "period" not in [s.key for s in app.selectbox]


def test_fixture_article_is_marked_made_up() -> None:
    article = (FIXTURES / "over_time" / "sources" / "made-up-over-time.txt").read_text("utf-8")
    assert "虚构文章" in article and "编造" in article
    assert "MADE-UP" in OVER_TIME.read_text("utf-8")
