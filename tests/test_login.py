"""The OpenID Connect login end to end: Debian's Chromium, the README's dashboard
command with login settings, and a real OpenID Connect provider on loopback
(``oidc-provider-mock``, a dev dependency).

The server reads its secrets from a temporary ``secrets.toml`` (``--secrets.files``),
never from the project's ``.streamlit/``. Every websocket frame the page receives is
kept and searched for the data (region names in both languages, numbers as shown):
logged out, refused, or after logout, none of it may arrive. Screenshots of the login
screen and of the refusal, at desktop and phone width, go to
``test-output/screenshots/login-*.png``. Skips without Chromium, except in CI.
"""

from __future__ import annotations

import json
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import PROJECT, SEED_DATA
from support.live import (
    CHROMIUM,
    COUNT_RUNS,
    PAINTED,
    ScriptRuns,
    dashboard_command,
    free_port,
    is_outside,
    need,
    server_env,
    start,
    stop,
    wait_healthy,
)

from present.i18n import text

playwright_api = pytest.importorskip("playwright.sync_api")
need(str(CHROMIUM))
# One provider, server and Chromium for the module: its tests stay on one xdist worker.
pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.xdist_group("login")]

SCREENSHOTS = PROJECT / "test-output" / "screenshots"
VIEWPORTS = {"desktop": (1280, 800), "phone": (390, 844)}
# The provider's predefined accounts: one on the allow-list by address (in another
# case), one by domain, one on neither.
ALLOWED = {"sub": "li.wei", "email": "Li.Wei@Example.org", "name": "李伟", "email_verified": True}
BY_DOMAIN = {"sub": "zhang.san", "email": "zhang.san@team.example.org", "name": "Zhang San"}
REFUSED = {"sub": "mallory", "email": "mallory@elsewhere.example", "name": "Mallory"}
# Strings of the seed data that any page with data sends: region names in Chinese and
# English, and numbers as the Overview shows them.
CHINESE_PAGES = ["正蓝旗", "科左中旗", "新街镇", "4,236", "8,000余万元"]
DATA = [*CHINESE_PAGES, "Zhenglan Banner", "Horqin Left Middle"]
DEEP_LINK = "compare?indicator=investment"
WAIT_MS = 30_000
# oidc-provider-mock's pages link their stylesheet here (the test aborts the request).
PROVIDER_CDN = "https://cdn.jsdelivr.net/"


def forms(value: str) -> list[bytes]:
    """``value`` as it may travel: UTF-8, and JSON-escaped (``\\u6b63``)."""
    return [value.encode("utf-8"), json.dumps(value).strip('"').encode("ascii")]


def found_in(frames: list[bytes], strings: list[str]) -> list[str]:
    blob = b"".join(frames)
    return [s for s in strings if any(form in blob for form in forms(s))]


def wait_for_provider(url: str, process: object, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:  # type: ignore[attr-defined]
            pytest.fail(f"the OpenID provider ended with {process.returncode}")  # type: ignore[attr-defined]
        try:
            with urllib.request.urlopen(f"{url}/.well-known/openid-configuration", timeout=2):
                return
        except OSError:
            time.sleep(0.1)  # not listening yet: ask again
    pytest.fail(f"the OpenID provider at {url} did not answer within {seconds:.0f} s")


@dataclass
class Site:
    url: str
    provider: str


def _secrets(dashboard_url: str, provider: str) -> str:
    return f"""\
[auth]
redirect_uri = "{dashboard_url}/oauth2callback"
cookie_secret = "a-test-cookie-secret-of-this-run-only"
client_id = "governance-dashboard"
client_secret = "a-test-client-secret"
server_metadata_url = "{provider}/.well-known/openid-configuration"

[access]
allowed_emails = ["li.wei@example.org"]
allowed_domains = ["Team.Example.org"]
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The provider, then a dashboard whose secrets point at it; both stopped after."""
    folder = tmp_path_factory.mktemp("login")
    provider_port, port = free_port(), free_port()
    while port == provider_port:
        port = free_port()
    provider, url = f"http://127.0.0.1:{provider_port}", f"http://127.0.0.1:{port}"
    users = [arg for user in (ALLOWED, BY_DOMAIN, REFUSED)
             for arg in ("--user-claims", json.dumps(user))]  # fmt: skip
    mock = start(
        [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1",
         "--port", str(provider_port), *users],
        folder / "provider.log",
    )  # fmt: skip
    server = None
    try:
        wait_for_provider(provider, mock)
        secrets = folder / "secrets.toml"
        secrets.write_text(_secrets(url, provider), encoding="utf-8")
        command = [*dashboard_command(port), "--secrets.files", str(secrets)]
        server = start(command, folder / "server.log", server_env(SEED_DATA))
        try:
            wait_healthy(url, process=server)
        except pytest.fail.Exception as failed:
            tail = (folder / "server.log").read_text(encoding="utf-8", errors="replace")
            pytest.fail(f"{failed}; the server's output ends:\n{tail[-3000:]}", pytrace=False)
        yield Site(url, provider)
    finally:
        if server is not None:
            stop(server)
        stop(mock)


class Tab:
    """A browser tab that keeps every websocket frame it receives, and every request
    that would leave 127.0.0.1 (aborted, so nothing does)."""

    def __init__(self, browser: object, site: Site, viewport: str = "desktop") -> None:
        width, height = VIEWPORTS[viewport]
        self.site = site
        self.context = browser.new_context(viewport={"width": width, "height": height})  # type: ignore[attr-defined]
        self.context.set_default_timeout(WAIT_MS)
        self.context.route("**/*", self._route)
        self.context.add_init_script(COUNT_RUNS)
        self.page = self.context.new_page()
        self.script = ScriptRuns(self.page)
        self.seen = ("", 0)
        self.frames: list[bytes] = []
        self.outside: list[str] = []
        self.outside_from_provider: list[str] = []
        self.page.on("websocket", self._socket)

    def _route(self, route: object) -> None:
        request = route.request  # type: ignore[attr-defined]
        if not is_outside(request.url):
            route.continue_()  # type: ignore[attr-defined]
            return
        try:
            document = request.frame.url
        except Exception:  # a request of no frame (a worker): count it as the page's
            document = ""
        # The provider's pages link a stylesheet on a CDN; the dashboard's may link nothing.
        mine = document.startswith(self.site.provider)
        (self.outside_from_provider if mine else self.outside).append(request.url)
        route.abort()  # type: ignore[attr-defined]

    def _socket(self, socket: object) -> None:
        def keep(payload: bytes | str) -> None:
            self.frames.append(payload if isinstance(payload, bytes) else payload.encode())

        socket.on("framereceived", keep)  # type: ignore[attr-defined]

    def open(self, path: str) -> None:
        self.page.goto(f"{self.site.url}/{path}")
        self.settle()

    def settle(self) -> None:
        """Until the script has run on the dashboard's page (its title drawn): the first
        run of a new document (after a login, say), or the next run of this one."""
        self.page.wait_for_url(self._on_dashboard)
        self.seen = self.script.settle(self.seen, timeout_ms=WAIT_MS)

    def _on_dashboard(self, url: str) -> bool:
        return (
            url.startswith(self.site.url) and "/oauth2callback" not in url and "/auth/" not in url
        )

    def log_in(self, user: dict[str, object]) -> None:
        """The login button, then the account's button on the provider's form."""
        self.page.get_by_role("button", name=text("access.login", "zh")).click()
        self.page.wait_for_url(f"{self.site.provider}/oauth2/authorize**")
        self.page.get_by_role("button", name=str(user["sub"]), exact=True).click()
        self.settle()

    def log_out(self, where: str = "main") -> None:
        """The logout button, then the provider's "End session" form, back to the dashboard."""
        scope = self.page.get_by_test_id("stSidebar" if where == "sidebar" else "stMain")
        scope.get_by_role("button", name=text("access.logout", "zh")).click()
        self.page.wait_for_url(f"{self.site.provider}/oauth2/end_session**")
        self.page.get_by_role("button", name="End session").click()
        self.settle()

    def main_text(self) -> str:
        return self.page.get_by_test_id("stMain").inner_text()

    def downloads(self) -> int:
        return self.page.locator('[data-testid="stDownloadButton"]').count()

    def user_cookie(self) -> bool:
        return any(c["name"].startswith("_streamlit_user") for c in self.context.cookies())

    def screenshot(self, name: str) -> Path:
        """Both widths of what the tab shows now, as ``login-<name>-<width>.png``."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        start = self.page.viewport_size
        for viewport, (width, height) in VIEWPORTS.items():
            self.page.set_viewport_size({"width": width, "height": height})
            self.page.evaluate(PAINTED)
            self.page.screenshot(path=str(SCREENSHOTS / f"login-{name}-{viewport}.png"))
        self.page.set_viewport_size(start)  # type: ignore[arg-type]
        return SCREENSHOTS

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def tab(browser: object, site: Site) -> Iterator[Tab]:
    opened = Tab(browser, site)
    try:
        yield opened
        assert opened.outside == [], f"requests would have left 127.0.0.1: {opened.outside}"
        # The one exception, aborted too: the mock provider's own pages link a CDN.
        assert all(url.startswith(PROVIDER_CDN) for url in opened.outside_from_provider)
    finally:
        opened.close()


def login_screen_is_shown(tab: Tab) -> None:
    shown = tab.main_text()
    assert text("access.login_intro", "zh") in shown, shown
    assert tab.page.get_by_role("button", name=text("access.login", "zh")).count() == 1
    assert tab.downloads() == 0


def test_logged_out_nothing_of_the_data_reaches_the_browser(tab: Tab, site: Site) -> None:
    for path in ("", DEEP_LINK):
        tab.open(path)
        login_screen_is_shown(tab)
        # No page ran: not even the navigation between the pages is sent.
        assert tab.page.get_by_test_id("stSidebarNav").count() == 0
    tab.screenshot("screen")
    assert tab.frames, "no websocket frame was recorded: the check would prove nothing"
    assert found_in(tab.frames, [text("access.login_intro", "zh")]), "frames not readable"
    assert found_in(tab.frames, DATA) == []
    # Nor does the page itself, whatever its path.
    for path in ("", DEEP_LINK):
        with urllib.request.urlopen(f"{site.url}/{path}", timeout=10) as answer:
            assert found_in([answer.read()], DATA) == []
    # The language switch still works on the login screen.
    tab.page.get_by_text("English", exact=True).click()
    tab.settle()
    assert text("access.login_intro", "en") in tab.main_text()
    assert tab.page.get_by_role("button", name=text("access.login", "en")).count() == 1
    assert found_in(tab.frames, DATA) == []


def test_an_allowed_reader_sees_the_pages_until_logging_out(tab: Tab) -> None:
    tab.open(DEEP_LINK)
    tab.log_in(ALLOWED)
    # Streamlit brings a reader back to the root after login: the Overview, with data.
    assert tab.page.locator("h1").first.inner_text() == text("page.overview", "zh")
    assert "4,236" in tab.main_text()
    sidebar = tab.page.get_by_test_id("stSidebar").inner_text()
    signed_in = text("access.signed_in", "zh", who="李伟 (Li.Wei@Example.org)")
    assert signed_in in sidebar, sidebar
    assert tab.user_cookie()
    tab.open(DEEP_LINK)
    assert tab.page.locator("h1").first.inner_text() == text("page.compare", "zh")
    assert tab.downloads() > 0
    assert tab.page.get_by_test_id("stSidebarNav").count() == 1
    # The check finds the data when it is sent (the English names: in English only).
    assert found_in(tab.frames, DATA) == CHINESE_PAGES
    tab.screenshot("signed-in")

    tab.log_out("sidebar")
    after = len(tab.frames)
    login_screen_is_shown(tab)
    assert not tab.user_cookie()
    tab.open(DEEP_LINK)
    login_screen_is_shown(tab)
    assert len(tab.frames) > after
    assert found_in(tab.frames[after:], DATA) == []


def test_a_domain_on_the_list_lets_its_accounts_in(tab: Tab) -> None:
    tab.open("")
    tab.log_in(BY_DOMAIN)
    assert tab.page.locator("h1").first.inner_text() == text("page.overview", "zh")
    assert "zhang.san@team.example.org" in tab.page.get_by_test_id("stSidebar").inner_text()


def test_a_reader_not_on_the_list_is_refused_and_sees_no_data(tab: Tab) -> None:
    tab.open("")
    before = len(tab.frames)
    tab.log_in(REFUSED)
    refusal = text("access.not_listed", "zh", who=REFUSED["email"])
    assert refusal in tab.main_text()
    assert tab.downloads() == 0
    tab.open(DEEP_LINK)
    assert refusal in tab.main_text()
    assert tab.page.get_by_test_id("stSidebarNav").count() == 0
    tab.screenshot("refused")
    assert len(tab.frames) > before
    assert found_in(tab.frames, DATA) == []
    # Logging out lets another account log in.
    tab.log_out()
    login_screen_is_shown(tab)
    assert not tab.user_cookie()
    assert found_in(tab.frames, DATA) == []
