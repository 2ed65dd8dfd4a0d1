"""Every page of the dashboard, run with Streamlit's AppTest on the seed fixture.

Each test checks numbers the page shows against the data, in both languages, and
that a region without a number shows "not reported", never 0. The data is the seed, a
frozen copy of the bundled data (tests/fixtures/seed/), so that a curator who adds an
article to data/ changes none of the numbers asserted here.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import streamlit as st
from conftest import (
    APP_TIMEOUT,
    PROJECT,
    SEED,
    SEED_DATA,
    run_app_page,
    streamlit_caches_cleared,
)
from streamlit.testing.v1 import AppTest

from dashboard.cache import DATA_ENV
from present.i18n import text
from present.pages import PAGE_NAMES

TIMEOUT = APP_TIMEOUT


@pytest.fixture(autouse=True)
def seed_data(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every page reads the seed fixture, never data/ (a test may point elsewhere)."""
    monkeypatch.setenv(DATA_ENV, str(SEED_DATA))


@pytest.fixture(autouse=True)
def clear_caches() -> Iterator[None]:
    yield from streamlit_caches_cleared()


Run = Callable[..., AppTest]


@pytest.fixture
def run_page() -> Run:
    return run_app_page


def frame_with(app: AppTest, column: str, value: object):  # type: ignore[no-untyped-def]
    """The first table shown whose ``column`` holds ``value``."""
    for element in app.dataframe:
        shown = element.value
        if column in shown and value in set(shown[column]):
            return shown
    raise AssertionError(f"no table with {value!r} in column {column!r}")


@pytest.mark.parametrize("page", PAGE_NAMES)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_runs_without_error(run_page: Run, page: str, lang: str) -> None:
    app = run_page(page, lang)
    assert not app.error
    titles = {"zh": "总览", "en": "Overview"} if page == "overview" else None
    if titles:
        assert app.title[0].value == titles[lang]
    # Every page's own title, in the language asked for.
    assert app.title[0].value == text(f"page.{page}", lang)


def test_overview_cards_and_coverage(run_page: Run) -> None:
    app = run_page("overview")
    cards = {m.label: m.value for m in app.metric}
    assert cards["群众诉求"] == "4,236个"
    assert cards["投资"] == "8,000余万元"
    assert cards["教育培训"] == "2,000余人次"
    assert cards["数据"] == "30"
    coverage = frame_with(app, "地区", "正蓝旗").set_index("地区")
    assert set(coverage.loc["正蓝旗"]) == {"未报告"}
    assert coverage.loc["科左中旗", "投资"] == "未报告"  # never shown as 0
    assert coverage.loc["科左中旗", "群众诉求"] == "4"
    assert coverage.loc["新街镇", "投资"] == "1"


def test_overview_in_english_keeps_chinese_names(run_page: Run) -> None:
    app = run_page("overview", "en")
    cards = {m.label: m.value for m in app.metric}
    assert cards["Investment"] == "80,000,000+ yuan"
    coverage = frame_with(app, "Region", "Xinjie Town (新街镇)")
    assert "not reported" in set(coverage["Investment"])


def test_compare_problems_view(run_page: Run) -> None:
    app = run_page("compare")
    problems = frame_with(app, "原文表述", "4,236个")
    assert problems["数值"].tolist() == [4236, 3214, 1022]
    assert set(problems["地区"]) == {"科左中旗"}


def test_compare_lists_regions_that_did_not_report(run_page: Run) -> None:
    app = run_page("compare", indicator="investment")
    values = frame_with(app, "地区", "新街镇")
    assert values["原文表述"].tolist() == ["8,000余万元"]
    captions = " ".join(c.value for c in app.caption)
    assert "未报告此指标的地区" in captions and "科左中旗" in captions


def test_compare_flags_mixed_levels_and_filters_one_level(run_page: Run) -> None:
    app = run_page("compare", indicator="projects")
    assert any("县级、乡级" in w.value for w in app.warning)
    app.radio(key="level").set_value("county").run()
    values = frame_with(app, "地区", "科左中旗")
    assert values["地区"].tolist() == ["科左中旗"]


def test_compare_per_village(run_page: Run) -> None:
    app = run_page("compare", indicator="projects")
    app.toggle(key="per-villages").set_value(True).run()
    per_village = frame_with(app, "推算值", "0.56个/村")
    assert per_village["地区"].tolist() == ["新街镇"]


def test_region_profile_numbers_and_derived(run_page: Run) -> None:
    app = run_page("region", region="xinjie")
    numbers = frame_with(app, "原文表述", "8,000余万元")
    assert len(numbers) == 5
    derived = frame_with(app, "推算值", "1,600余万元/个")
    assert derived["推算指标"].tolist() == ["项目平均投资"]
    assert any("陕西省 › 宝鸡市 › 陈仓区 › 新街镇" in m.value for m in app.markdown)


def test_region_without_numbers_says_so(run_page: Run) -> None:
    app = run_page("region", region="zhenglan")
    assert any(i.value == "该地区没有报告任何数字。" for i in app.info)


def test_practices_search(run_page: Run) -> None:
    app = run_page("practices", q="老书记")
    assert app.subheader[0].value == "共 1 项做法"
    assert [m.placeholder for m in app.multiselect] == ["不限", "不限"]
    table = frame_with(app, "名称", "“老书记工作室”")
    assert len(table) == 1


def test_sources_citation_and_marked_text(run_page: Run) -> None:
    app = run_page("sources", source="xinjie-3plus3")
    codes = [c.value for c in app.code]
    assert (
        "马江, 黄正清. 陈仓区新街镇:“3+3”模式提升镇域乡村治理工作水平[EB/OL]. "
        "中国传媒网, 2020(2020-04-13)." in codes
    )
    assert any(":orange-background[**8000余万元**]" in m.value for m in app.markdown)
    numbers = frame_with(app, "原文表述", "8,000余万元")
    assert len(numbers) == 5


def test_quality_page_on_valid_data(run_page: Run) -> None:
    app = run_page("quality")
    assert app.success[0].value == (
        "校验通过：7 个来源、27 个地区、28 个指标、30 条数据、29 项做法、6 项一致性校验。"
    )
    relations = frame_with(app, "结果", "通过")
    assert len(relations) == 6 and set(relations["结果"]) == {"通过"}
    approximate = frame_with(app, "原文表述", "8,000余万元")
    assert len(approximate) == 5
    assert not app.warning  # no banner


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(SEED, folder)
    monkeypatch.setenv(DATA_ENV, str(folder / "indicators.yaml"))
    return folder / "indicators.yaml"


def test_broken_file_keeps_last_good_data_with_a_banner(run_page: Run, data_copy: Path) -> None:
    app = run_page("quality")
    assert not app.warning
    good = data_copy.read_text(encoding="utf-8")
    data_copy.write_text(good.replace("value: 4236", "value: 4263"), encoding="utf-8")
    app.run()
    banner = app.warning[0].value
    assert banner.startswith("数据文件有") and "上一次通过校验的数据" in banner
    problems = " ".join(c.value for c in app.code)
    assert "indicators.yaml:" in problems and "does not match the quote" in problems
    listed = frame_with(app, "代码", "quote_value_mismatch")
    lines = data_copy.read_text(encoding="utf-8").splitlines()
    value_line = lines.index("    value: 4263") + 1
    entry_line = value_line - 2  # "- region: kezuozhong" of the same observation
    # 3214 + 1022 no longer make the total, and the value no longer matches its quote.
    assert listed[["行号", "代码"]].values.tolist() == [
        [entry_line, "relation_failed"],
        [value_line, "quote_value_mismatch"],
    ]
    # The shown numbers are still the last valid ones.
    approximate = frame_with(app, "原文表述", "8,000余万元")
    assert len(approximate) == 5
    # Repaired, with a change of its own: the next rerun shows the new data.
    data_copy.write_text(good.replace("name_zh: 新街镇", "name_zh: 新街镇（新）"), encoding="utf-8")
    app.run()
    assert not app.warning
    approximate = frame_with(app, "原文表述", "8,000余万元")
    assert "新街镇（新）" in set(approximate["地区"])


def test_never_valid_file_shows_problems_not_a_traceback(run_page: Run, data_copy: Path) -> None:
    data_copy.write_text("sources: [\n", encoding="utf-8")
    app = run_page("overview")
    assert app.warning[0].value.startswith("数据文件有 1 个问题")
    assert {m.value for m in app.metric} >= {"未报告"}


def test_server_config_makes_no_request_outside() -> None:
    import tomllib

    config = tomllib.loads((PROJECT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["browser"]["gatherUsageStats"] is False
    # With an explicit address, startup does not look up the external IP on the internet.
    assert config["browser"]["serverAddress"] == "localhost"
    # The overview's base map is served by the app itself.
    assert config["server"]["enableStaticServing"] is True
    assert (PROJECT / "static" / "topojson" / "asia_50m.json").is_file()


@pytest.fixture(scope="module")
def many_regions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Synthetic data with more regions than a chart draws and rows than a table shows."""
    from metrics.tools import synth

    out = tmp_path_factory.mktemp("many")
    # synth takes its indicators and relations from the bundled data: here, the seed's.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(synth, "DEFAULT_DATA", SEED_DATA)
        synth.synthesize(out, regions=400, observations=3000, seed=5)
    return out / "indicators.yaml"


def test_long_tables_are_paged_and_charts_draw_the_largest(
    run_page: Run, many_regions: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(DATA_ENV, str(many_regions))
    app = run_page("quality")
    assert max(len(element.value) for element in app.dataframe) == 100  # never thousands
    before = [c.value for c in app.caption if "行，共" in c.value]
    assert len(before) >= 2 and all(c.startswith("第 1–100 行，共") for c in before)
    app.number_input(key="approximate-page").set_value(2).run()
    after = [c.value for c in app.caption if "行，共" in c.value]
    changed = [(old, new) for old, new in zip(before, after, strict=True) if old != new]
    # Only the approximate values' table turned a page; it still counts every row.
    assert [new for _, new in changed] == [changed[0][0].replace("第 1–100 行", "第 101–200 行")]

    app = run_page("compare", indicator="trainees")
    assert len(app.dataframe[0].value) == 100  # the first page of every reporting region
    bars = json.loads(app.get("plotly_chart")[0].proto.spec)["data"]
    assert sum(len(trace["y"]) for trace in bars) == 30
    notes = " ".join(c.value for c in app.caption)
    assert "图中只画数值最大的 30 个" in notes


def test_dashboard_command_prepares_the_overview(monkeypatch: pytest.MonkeyPatch) -> None:
    from dashboard import serve
    from present.pages import overview

    calls: list[str] = []
    original = overview.page_content

    def counted(*args: object) -> object:
        calls.append(str(args[-1]))
        return original(*args)

    monkeypatch.setattr(overview, "page_content", counted)
    serve.preload()
    assert calls == ["zh", "en"]
    app = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=TIMEOUT)
    app.switch_page("app_pages/overview.py").run()
    assert not app.exception
    assert calls == ["zh", "en"]  # the first reader's page used what was prepared
    assert {m.label: m.value for m in app.metric}["群众诉求"] == "4,236个"
    st.cache_resource.clear()
    app.run()
    assert calls == ["zh", "en", "zh"]  # the page asks for exactly what the preload made


# What a deployment on an intranet needs, as Streamlit itself reads it.
PRODUCTION_SETTINGS = {
    "browser.gatherUsageStats": False,
    "server.enableXsrfProtection": True,
    "client.showErrorDetails": "none",
    "server.runOnSave": False,
    "server.fileWatcherType": "none",
    "server.headless": True,
    "client.toolbarMode": "viewer",
    "server.enableStaticServing": True,
    # The workbench's article: at most 1 MB uploaded, 50 MB in one message of a browser.
    "server.maxUploadSize": 1,
    "server.maxMessageSize": 50,
}


def _settings_problems(folder: Path) -> list[str]:
    """Settings that Streamlit, started in ``folder``, does not take from its config.toml."""
    from streamlit import config

    here = os.getcwd()
    os.chdir(folder)
    try:
        config.get_config_options(force_reparse=True)
        ours = str(folder / ".streamlit" / "config.toml")
        return [
            f"{key} = {config.get_option(key)!r} ({config.get_where_defined(key)})"
            for key, wanted in PRODUCTION_SETTINGS.items()
            if config.get_option(key) != wanted or config.get_where_defined(key) != ours
        ]
    finally:
        os.chdir(here)
        config.get_config_options(force_reparse=True)


def test_production_settings_as_streamlit_reads_them(tmp_path: Path) -> None:
    assert _settings_problems(PROJECT) == []
    # The test can fail: a file Streamlit cannot parse leaves every setting at its default.
    broken = tmp_path / ".streamlit"
    broken.mkdir()
    text = (PROJECT / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    (broken / "config.toml").write_text(text.replace("[client]", "[client"), encoding="utf-8")
    assert len(_settings_problems(tmp_path)) == len(PRODUCTION_SETTINGS)
