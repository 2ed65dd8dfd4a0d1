"""A running dashboard while its data file is broken, cut short and repaired.

End to end: a real server (``uv run dashboard``) and Chromium, on a copy of the seed
fixture (the bundled data, frozen). The pages keep the last valid numbers under a banner
naming the problem and its line; the repaired file shows on the next visit; and the app
writes nothing into the data folder.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SEED
from support.live import CHROMIUM, READY, dashboard, need, server_env

pytest.importorskip("playwright.sync_api")
need(str(CHROMIUM))
pytestmark = [pytest.mark.browser, pytest.mark.server]


def _listing(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
    }


def _can_mount_read_only() -> bool:
    """Whether this machine lets the test give the server a read-only data/ (root with
    mount namespaces); elsewhere the test still checks that nothing is written there."""
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "-m", "sh", "-c", "mount --bind / / && mount -o remount,bind,ro / /"],
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    folder = tmp_path_factory.mktemp("served")
    data = folder / "data"
    shutil.copytree(SEED, data)
    env = server_env(data / "indicators.yaml", folder / "cache")
    wrap: tuple[str, ...] = ()
    if _can_mount_read_only():
        # The server sees data/ read-only (its own mount namespace); the test, outside
        # it, still edits the same files.
        mount = f"mount --bind {data} {data} && mount -o remount,bind,ro {data} {data}"
        wrap = ("unshare", "-m", "sh", "-c", f'{mount} && exec "$@"', "sh")
    with dashboard(folder / "server.log", env, wrap) as (url, _):
        yield {"url": url, "data": data}


def _visit(browser: object, url: str) -> dict[str, object]:
    """What a new reader of the Overview sees: the banner, its details, the cards."""
    page = browser.new_page()  # type: ignore[attr-defined]
    try:
        page.goto(url, timeout=60_000)
        page.wait_for_selector(READY, timeout=60_000)
        # Five headline cards and four counts, drawn.
        page.locator('[data-testid="stMetricValue"]').nth(8).wait_for(timeout=30_000)
        assert page.locator('[data-testid="stException"]').count() == 0
        alerts = page.locator('[data-testid="stAlert"]')
        banner = alerts.first.inner_text() if alerts.count() else ""
        details = ""
        if banner:
            page.get_by_text("校验信息").click()
            details = page.locator('[data-testid="stCode"]').first.inner_text()
        # The headline cards: value, indicator, region with the highest value.
        cards = page.locator('[data-testid="stMain"]').inner_text()
        return {"banner": banner, "details": details, "cards": cards}
    finally:
        page.close()


def test_broken_then_cut_short_then_repaired(running, browser) -> None:
    url, data = running["url"], running["data"]
    yaml = data / "indicators.yaml"
    good = yaml.read_text(encoding="utf-8")
    before = _listing(data)

    seen = _visit(browser, url)
    assert seen["banner"] == "" and "4,236个" in seen["cards"] and "最高：科左中旗" in seen["cards"]

    # A wrong number: the banner names the problem and its line; the numbers stay.
    value_line = good.splitlines().index("    value: 4236") + 1
    yaml.write_text(good.replace("    value: 4236", "    value: 4263"), encoding="utf-8")
    seen = _visit(browser, url)
    assert seen["banner"].startswith("数据文件有 2 个问题，页面仍显示上一次通过校验的数据")
    assert f"indicators.yaml:{value_line}: value 4,263 does not match the quote" in seen["details"]
    assert "4,236个" in seen["cards"]

    # Saved half-way: the same, with the line where the file stops making sense.
    cut = good.encode("utf-8")[: len(good.encode("utf-8")) // 2]
    yaml.write_bytes(cut.rsplit(b"\n", 1)[0] + b"\n  - region: [")
    seen = _visit(browser, url)
    assert seen["banner"].startswith("数据文件有")
    assert "YAML syntax error" in seen["details"]
    assert "4,236个" in seen["cards"] and "最高：科左中旗" in seen["cards"]

    # Repaired, with a visible change: the next visit shows it, with no banner.
    yaml.write_text(good.replace("short_zh: 科左中旗", "short_zh: 科左中旗新"), encoding="utf-8")
    seen = _visit(browser, url)
    assert seen["banner"] == ""
    assert "最高：科左中旗新" in seen["cards"]

    # Nothing was written into the data folder but the edits made here.
    after = _listing(data)
    assert set(after) == set(before)
    assert {name for name in after if after[name] != before[name]} == {"indicators.yaml"}
