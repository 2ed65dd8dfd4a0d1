"""What a person sees: every page in headless Chromium, at desktop and phone widths.

Starts the dashboard on the seed fixture (a frozen copy of the bundled data, whose
numbers the tests assert) on a free loopback port, drives Debian's Chromium with
Playwright, saves a screenshot of every page under ``test-output/screenshots/`` and
counts every request to a host other than 127.0.0.1 (there must be none). Skips with a
reason when Chromium is missing on a developer's machine; in CI (``CI=true``) that is a
failure.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import PROJECT, SEED_DATA
from support.live import (
    CHROMIUM,
    COUNT_RUNS,
    PAINTED,
    ScriptRuns,
    dashboard,
    is_outside,
    need,
    server_env,
    wait_drawn,
)

from present.i18n import text
from present.pages import PAGES

playwright_api = pytest.importorskip("playwright.sync_api")
need(str(CHROMIUM))
# One server and one Chromium for the module: its tests stay on one xdist worker.
pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.xdist_group("browser")]

SCREENSHOTS = PROJECT / "test-output" / "screenshots"
VIEWPORTS = {"desktop": (1440, 900), "phone": (390, 844)}
# Page name -> its URL under the root, from the one registry the navigation reads.
PAGE_URLS = {page.name: page.url_path for page in PAGES}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The README's command (``uv run dashboard``), which loads the data before serving."""
    folder = tmp_path_factory.mktemp("browser")
    with dashboard(folder / "server.log", server_env(SEED_DATA)) as (url, _):
        yield url


class Visitor:
    """One browser tab that records every request leaving 127.0.0.1."""

    def __init__(self, browser: object, base: str, viewport: str) -> None:
        width, height = VIEWPORTS[viewport]
        self.size = (width, height)
        self.context = browser.new_context(
            viewport={"width": width, "height": height}, accept_downloads=True
        )  # type: ignore[attr-defined]
        self.context.add_init_script(COUNT_RUNS)
        self.page = self.context.new_page()
        self.base = base
        self.outside: list[str] = []
        self.page.on("request", self._record)
        self.script = ScriptRuns(self.page)
        self.runs = 0

    def _record(self, request: object) -> None:
        url = request.url  # type: ignore[attr-defined]
        if is_outside(url):
            self.outside.append(url)

    def open(self, path: str) -> None:
        self.goto(f"{self.base}/{path}")

    def goto(self, url: str) -> None:
        """A new document: drawn once its first run has ended and its charts are drawn."""
        self.page.goto(url)
        self.runs = wait_drawn(self.page, self.script, timeout_ms=30_000)

    def settle(self) -> None:
        """After an action: until the rerun it started has ended and the page is drawn
        (a click starts its rerun a moment later: the old "notRunning" is not taken)."""
        self.runs = wait_drawn(self.page, self.script, self.runs, timeout_ms=30_000)

    def problems(self) -> list[str]:
        found = []
        if self.page.locator('[data-testid="stException"]').count():
            found.append("exception box")
        if self.page.locator('[role="dialog"]').count():
            found.append("dialog: " + self.page.locator('[role="dialog"]').inner_text())
        width = self.page.evaluate("document.documentElement.scrollWidth")
        if width > self.size[0]:
            found.append(f"page is {width}px wide in a {self.size[0]}px window")
        return found

    def screenshot(self, name: str) -> Path:
        """The whole page: the window is made as tall as the content first."""
        tall = self.page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
        self.page.set_viewport_size({"width": self.size[0], "height": min(tall + 40, 8000)})
        self.page.evaluate(PAINTED)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path))
        self.page.set_viewport_size({"width": self.size[0], "height": self.size[1]})
        return path

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visitor(browser: object, server: str) -> Iterator[Visitor]:
    tab = Visitor(browser, server, "desktop")
    yield tab
    assert tab.outside == [], f"requests left 127.0.0.1: {tab.outside}"
    tab.close()


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_renders_offline(browser: object, server: str, viewport: str, lang: str) -> None:
    tab = Visitor(browser, server, viewport)
    try:
        for name, path in PAGE_URLS.items():
            tab.open(f"{path}?lang={lang}")
            assert tab.problems() == [], name
            heading = tab.page.locator("h1").first.inner_text()
            assert heading == text(f"page.{name}", lang), name
            tab.screenshot(f"{viewport}-{lang}-{name}")
        assert tab.outside == [], f"requests left 127.0.0.1: {tab.outside}"
    finally:
        tab.close()


def test_map_and_charts_draw_without_internet(visitor: Visitor) -> None:
    base_map = []
    visitor.page.on(
        "response", lambda r: base_map.append(r.status) if "topojson" in r.url else None
    )
    visitor.open("")
    visitor.page.wait_for_selector(".geo .countries path", timeout=15_000)
    assert base_map == [200]
    # Country borders are drawn from the served geometry: a long SVG path, not an empty one.
    borders = visitor.page.locator(".geo .countries path").first.get_attribute("d") or ""
    assert len(borders) > 1000
    assert visitor.page.locator(".scattergeo .point").count() >= 6
    visitor.open("compare")
    # Projects (2 regions) and problems (3 stages) bars.
    playwright_api.expect(visitor.page.locator(".barlayer .point")).to_have_count(5)


def test_language_switch_changes_every_label(visitor: Visitor) -> None:
    visitor.open("")
    assert visitor.page.locator("h1").first.inner_text() == "总览"
    visitor.page.get_by_text("English", exact=True).click()
    visitor.settle()
    playwright_api.expect(visitor.page.locator("h1").first).to_have_text("Overview")
    assert "lang=en" in visitor.page.url
    assert visitor.page.get_by_text("Compare regions").count() >= 1


def _choose(visitor: Visitor, label: str, option: str) -> None:
    visitor.page.get_by_label(label).click()
    # The list is virtualised: typing filters it so that the option is rendered.
    visitor.page.keyboard.type(option.split(" · ")[-1])
    visitor.page.get_by_role("option", name=option, exact=True).click()
    visitor.settle()


def test_pick_region_and_indicator_and_keep_them_in_the_url(visitor: Visitor) -> None:
    visitor.open("region")
    _choose(visitor, "选择地区", "新街镇")
    assert "region=xinjie" in visitor.page.url
    hierarchy = visitor.page.get_by_text("陕西省 › 宝鸡市 › 陈仓区 › 新街镇")
    playwright_api.expect(hierarchy).to_have_count(1)
    shared = visitor.page.url
    visitor.open("compare")
    _choose(visitor, "选择指标", "投资 · 完成投资")
    assert "indicator=investment" in visitor.page.url
    playwright_api.expect(visitor.page.locator(".barlayer text").first).to_have_text("8,000余万元")
    # A shared link opens the same view in a new session.
    visitor.goto(shared)
    playwright_api.expect(hierarchy).to_have_count(1)


def test_download_csv_of_the_problems_table(visitor: Visitor) -> None:
    visitor.open("compare")
    buttons = visitor.page.get_by_role("button", name="下载 CSV")
    # Two tables on the page (values by region, then problems): wait until both are drawn.
    playwright_api.expect(buttons).to_have_count(2)
    with visitor.page.expect_download() as download_info:
        buttons.nth(1).click()
    download = download_info.value
    assert download.suggested_filename == "problems.csv"
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["数值"] for row in rows] == ["4236.0", "3214.0", "1022.0"]
    assert all("[EB/OL]" in row["引用"] for row in rows)


def test_download_the_data_package(visitor: Visitor) -> None:
    visitor.open("quality")
    with visitor.page.expect_download() as download_info:
        visitor.page.get_by_role("button", name="下载全部数据（数据包 zip）").click()
    with zipfile.ZipFile(download_info.value.path()) as archive:
        names = set(archive.namelist())
        observations = archive.read("observations.csv").decode("utf-8")
    assert {"datapackage.json", "observations.csv", "sources.csv"} <= names
    assert observations.count("\n") == 31  # header and 30 observations


def test_download_a_region_brief_as_word_and_pdf(visitor: Visitor) -> None:
    """A reader on the Region profile clicks the two brief buttons: the Word file opens
    with its title and numbers cited, the PDF starts as a PDF and holds the title."""
    from docx import Document

    visitor.open("region?region=kezuozhong")
    with visitor.page.expect_download(timeout=60_000) as download_info:
        visitor.page.get_by_role("button", name="下载简报（Word）").click()
    word = download_info.value
    assert word.suggested_filename == "brief-region-kezuozhong-zh.docx"
    document = Document(word.path())
    assert document.paragraphs[0].text == "科左中旗基层治理数据简报"
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "1,900余个 [1]" in cells
    with visitor.page.expect_download(timeout=60_000) as download_info:
        visitor.page.get_by_role("button", name="下载简报（PDF）").click()
    pdf = download_info.value
    assert pdf.suggested_filename == "brief-region-kezuozhong-zh.pdf"
    assert Path(pdf.path()).read_bytes().startswith(b"%PDF")
    assert visitor.problems() == []
    visitor.screenshot("region-brief-buttons")
