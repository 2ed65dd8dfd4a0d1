"""Hostile text in the data: shown as typed on every page, never run, never fetched.

The small fixture gets HTML, scripts, ``onerror`` images, markdown links to
``javascript:`` and ``data:`` URLs, KaTeX, Streamlit's ``:red[...]`` directives, very
long words, right-to-left marks and zero-width characters in its titles, names,
summaries, notes and quotes (the quotes also in the archived article, so that the data
is valid). A real server and Chromium then open every page at desktop and phone width.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import MINIMAL
from support.live import CHROMIUM, dashboard, is_outside, need, server_env, wait_drawn

from metrics.pipeline.load import load_dataset
from present.pages import PAGES

SCRIPT = "<script>window.__pwned = 1; alert(1)</script>"
IMAGE = '<img src=x onerror="window.__pwned = 1">'
LINKS = "[点我](javascript:window.__pwned=1) [数据](data:text/html,<b>x</b>)"
MATH = "$\\href{javascript:alert(1)}{x}$ $x^2$"
DIRECTIVES = ":red[红色] :material/home: :streamlit:"
LONG = "长" * 400 + "A" * 400
MARKS = "\u202e右到左\u202c零\u200b宽"
HOSTILE = [SCRIPT, IMAGE, LINKS, MATH, DIRECTIVES, LONG, MARKS]
ALL = " ".join(HOSTILE)

PAGE_URLS = [page.url_path for page in PAGES]


def _yaml_text(value: str) -> str:
    """A double-quoted YAML scalar holding ``value`` exactly."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\u202e", "\\u202E").replace("\u202c", "\\u202C")
    return '"' + escaped.replace("\u200b", "\\u200B") + '"'


def hostile_data(folder: Path) -> Path:
    """The minimal fixture with hostile text in every free-text field."""
    shutil.copytree(MINIMAL, folder, dirs_exist_ok=True)
    path = folder / "indicators.yaml"
    text = path.read_text(encoding="utf-8")
    replacements = {
        "title: 丙镇的基层治理": f"title: {_yaml_text('丙镇的基层治理 ' + ALL)}",
        "url: https://example.org/article": "url: https://example.org/article?q=%3Cscript%3E",
        "name_zh: 丙镇": f"name_zh: {_yaml_text('丙镇' + SCRIPT + MARKS)}",
        "name_en: Town A": f"name_en: {_yaml_text('Town A ' + IMAGE + LINKS)}",
        "name_zh: “老书记工作室”": f"name_zh: {_yaml_text('“老书记工作室”' + DIRECTIVES + MATH)}",
        "summary_zh: 老书记带教年轻干部。": "summary_zh: "
        + _yaml_text("老书记带教年轻干部。" + ALL),
        "quote: 累计收集问题120个": "quote: " + _yaml_text("累计收集问题120个" + IMAGE + LONG),
    }
    for old, new in replacements.items():
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    article = folder / "sources" / "article.txt"
    body = article.read_text(encoding="utf-8")
    article.write_text(
        body.replace("累计收集问题120个", "累计收集问题120个" + IMAGE + LONG, 1), encoding="utf-8"
    )
    return path


def test_hostile_text_is_valid_data_but_a_script_url_is_not(tmp_path: Path) -> None:
    path = hostile_data(tmp_path / "data")
    dataset = load_dataset(path, use_cache=False)
    assert dataset.problems == []
    assert SCRIPT in dataset.regions.set_index("region_id").loc["town-a", "name_zh"]
    for url in ("javascript:alert(1)", "data:text/html,<b>x</b>", "file:///etc/passwd"):
        path.write_text(
            path.read_text(encoding="utf-8").replace(
                "https://example.org/article?q=%3Cscript%3E", url
            ),
            encoding="utf-8",
        )
        assert [p.code for p in load_dataset(path, use_cache=False).problems] == ["bad_url"]
        path = hostile_data(tmp_path / f"again-{len(url)}")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    need(str(CHROMIUM))
    folder = tmp_path_factory.mktemp("hostile")
    data = hostile_data(folder / "data")
    with dashboard(folder / "server.log", server_env(data, folder / "cache")) as (url, _):
        yield url


@pytest.mark.browser
@pytest.mark.server
@pytest.mark.xdist_group("hostile")  # both widths on the module's one server
@pytest.mark.parametrize("width", [1440, 390])
def test_every_page_shows_hostile_text_as_text(browser: object, server: str, width: int) -> None:
    dialogs: list[str] = []
    outside: list[str] = []
    viewport = {"width": width, "height": 900}
    context = browser.new_context(viewport=viewport)  # type: ignore[attr-defined]
    context.on(
        "request",
        lambda request: outside.append(request.url) if is_outside(request.url) else None,
    )
    page = context.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    shown = ""
    try:
        for name in PAGE_URLS:
            page.goto(f"{server}/{name}", timeout=60_000)
            wait_drawn(page)
            assert page.locator('[data-testid="stException"]').count() == 0, name
            assert page.evaluate("() => window.__pwned") is None, name
            overflow = page.evaluate(
                "() => document.documentElement.scrollWidth - window.innerWidth"
            )
            assert overflow <= 1, f"{name} is {overflow}px wider than the window"
            shown += page.locator('[data-testid="stMain"]').inner_text()
    finally:
        context.close()
    assert dialogs == [] and outside == []
    # The hostile text is on the pages as typed, not interpreted.
    assert "<script>" in shown and 'onerror="window.__pwned = 1"' in shown
    assert ":red[红色]" in shown and "javascript:window.__pwned=1" in shown
