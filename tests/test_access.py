"""Who may read the dashboard (``dashboard.access``): the settings read from the
secrets, the allow-list decision exactly, and the gate in front of the pages under
AppTest (logged out, allowed, refused, misconfigured, and no login at all).

The browser test against a real OpenID Connect provider is ``test_login.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import APP_TIMEOUT, PROJECT, SEED_DATA, streamlit_caches_cleared
from streamlit.runtime.secrets import secrets_singleton
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.util import patch_config_options

from dashboard.access import (
    AUTH_KEYS,
    OPEN,
    UNREADABLE,
    Setting,
    current_setting,
    email_allowed,
    read_setting,
    signed_in_as,
    verdict,
    who,
)
from dashboard.cache import DATA_ENV
from present.i18n import text
from present.safetext import escape_markdown

AUTH = {
    "redirect_uri": "https://dashboard.example.internal/oauth2callback",
    "cookie_secret": "not-a-real-secret",
    "client_id": "dashboard",
    "client_secret": "not-a-real-client-secret",
    "server_metadata_url": "https://sso.example.internal/.well-known/openid-configuration",
}
LISTS = {"allowed_emails": ["Li.Wei@Example.org"], "allowed_domains": ["team.example.org"]}


# --- the settings ---------------------------------------------------------------------


@pytest.mark.parametrize("secrets", [None, {}, {"other": {"key": "value"}}])
def test_without_auth_the_dashboard_is_open(secrets: dict[str, Any] | None) -> None:
    assert read_setting(secrets) == OPEN
    assert OPEN.login is False and OPEN.problems == ()


def test_a_complete_auth_section_asks_for_login_with_no_lists() -> None:
    assert read_setting({"auth": AUTH}) == Setting(login=True)


def test_the_lists_are_read_in_lower_case() -> None:
    setting = read_setting({
        "auth": AUTH,
        "access": {
            "allowed_emails": [" Li.Wei@Example.org ", "", "wang@example.org"],
            "allowed_domains": ["@Team.Example.org", "other.example"],
        },
    })  # fmt: skip
    assert setting.problems == ()
    assert setting.emails == {"li.wei@example.org", "wang@example.org"}
    assert setting.domains == {"team.example.org", "other.example"}


def test_one_string_counts_as_a_list_of_one() -> None:
    setting = read_setting({"auth": AUTH, "access": {"allowed_domains": "Example.org"}})
    assert (setting.problems, setting.domains, setting.emails) == ((), {"example.org"}, set())


@pytest.mark.parametrize("key", AUTH_KEYS)
def test_a_missing_or_empty_auth_key_keeps_the_dashboard_closed(key: str) -> None:
    missing = {k: v for k, v in AUTH.items() if k != key}
    assert read_setting({"auth": missing}) == Setting(login=True, problems=(f"auth.{key}",))
    assert read_setting({"auth": {**AUTH, key: " "}}).problems == (f"auth.{key}",)


def test_lists_without_auth_keep_the_dashboard_closed() -> None:
    assert read_setting({"access": LISTS}).problems == ("auth",)
    assert read_setting({"auth": "yes"}).problems == ("auth",)


@pytest.mark.parametrize(
    ("access", "problem"),
    [
        ({"allowed_emails": 3}, "access.allowed_emails"),
        ({"allowed_domains": ["example.org", 7]}, "access.allowed_domains"),
        ({"allowed_emails": ["not-an-address"]}, "access.allowed_emails"),
        ({"allowed_emails": ["a@b@example.org"]}, "access.allowed_emails"),
        ("everyone", "access"),
    ],
)
def test_lists_that_are_not_lists_of_addresses_keep_it_closed(access: Any, problem: str) -> None:
    setting = read_setting({"auth": AUTH, "access": access})
    assert setting.login and setting.problems == (problem,)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, OPEN),  # no secrets file at all: open, as the dashboard always was
        ('[auth\nredirect_uri = "x"\n', Setting(login=True, problems=(UNREADABLE,))),
    ],
)
def test_a_secrets_file_that_cannot_be_read_keeps_it_closed(
    tmp_path: Path, content: str | None, expected: Setting
) -> None:
    path = tmp_path / "secrets.toml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with patch_config_options({"secrets.files": [str(path)]}):
        secrets_singleton._reset()
        try:
            assert current_setting() == expected
        finally:
            secrets_singleton._reset()


# --- the decision ---------------------------------------------------------------------

EMAILS = frozenset({"li.wei@example.org"})
DOMAINS = frozenset({"team.example.org"})


@pytest.mark.parametrize(
    ("email", "allowed"),
    [
        ("li.wei@example.org", True),
        ("Li.Wei@EXAMPLE.org", True),
        ("  li.wei@example.org ", True),
        ("wang@example.org", False),  # the address is listed, not its domain
        ("li.wei@example.org.evil.test", False),
        ("zhang@team.example.org", True),
        ("ZHANG@Team.Example.ORG", True),
        ("zhang@dept.team.example.org", False),  # a subdomain is not the domain
        ("zhang@badteam.example.org", False),
        ("zhang@team.example.org.evil.test", False),
        ("team.example.org", False),
        ("@team.example.org", False),
        ("zhang@", False),
        ("a@b@team.example.org", False),
        ("", False),
        (None, False),
    ],
)
def test_email_allowed_by_the_lists(email: str | None, allowed: bool) -> None:
    assert email_allowed(email, EMAILS, DOMAINS) is allowed


def test_an_address_alone_or_a_domain_alone() -> None:
    assert email_allowed("li.wei@example.org", EMAILS, ()) is True
    assert email_allowed("zhang@team.example.org", EMAILS, ()) is False
    assert email_allowed("zhang@team.example.org", (), DOMAINS) is True
    assert email_allowed("li.wei@example.org", (), DOMAINS) is False


@pytest.mark.parametrize("email", ["anyone@anywhere.test", "", None, "not an address"])
def test_without_lists_every_account_is_allowed(email: str | None) -> None:
    assert email_allowed(email, (), ()) is True


LISTED = Setting(login=True, emails=EMAILS, domains=DOMAINS)


@pytest.mark.parametrize(
    ("user", "setting", "expected"),
    [
        ({"email": "li.wei@example.org"}, LISTED, "allowed"),
        ({"email": "li.wei@example.org", "email_verified": True}, LISTED, "allowed"),
        ({"email": "li.wei@example.org", "email_verified": "true"}, LISTED, "allowed"),
        ({"email": "li.wei@example.org", "email_verified": False}, LISTED, "unverified"),
        ({"email": "li.wei@example.org", "email_verified": "false"}, LISTED, "unverified"),
        ({"email": "x@elsewhere.test", "email_verified": False}, LISTED, "unverified"),
        ({"email": "x@elsewhere.test"}, LISTED, "not_listed"),
        ({"name": "Li Wei", "sub": "42"}, LISTED, "no_email"),
        ({"email": " "}, LISTED, "no_email"),
        ({"sub": "42"}, Setting(login=True), "allowed"),
        ({"email": "x@elsewhere.test"}, Setting(login=True), "allowed"),
        ({"email": "x@elsewhere.test", "email_verified": False}, Setting(login=True), "unverified"),
    ],
)
def test_verdict(user: dict[str, Any], setting: Setting, expected: str) -> None:
    assert verdict(user, setting) == expected


def test_the_account_is_named_by_its_address_then_its_name() -> None:
    assert who({"email": "li.wei@example.org", "name": "李伟", "sub": "1"}) == "li.wei@example.org"
    assert who({"name": "李伟", "sub": "1"}) == "李伟"
    assert who({"sub": "1"}) == "1"
    assert signed_in_as({"email": "li.wei@example.org", "name": "李伟"}) == (
        "李伟 (li.wei@example.org)"
    )
    assert signed_in_as({"email": "li.wei@example.org"}) == "li.wei@example.org"


# --- the gate, under AppTest ----------------------------------------------------------


@pytest.fixture(autouse=True)
def seed_data(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv(DATA_ENV, str(SEED_DATA))
    yield from streamlit_caches_cleared()


def run(secrets: dict[str, Any] | None, user: dict[str, Any], page: str = "overview") -> AppTest:
    app = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=APP_TIMEOUT)
    if secrets:
        app.secrets = secrets
    app.user = user
    app.session_state["lang"] = "zh"
    app.switch_page(f"app_pages/{page}.py").run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def shows_no_data(app: AppTest) -> bool:
    return not (app.metric or app.dataframe or app.get("download_button"))


@pytest.mark.parametrize("page", ["overview", "compare", "region", "curate"])
def test_logged_out_readers_see_only_the_login_screen(page: str) -> None:
    app = run({"auth": AUTH, "access": LISTS}, {"is_logged_in": False}, page)
    assert [t.value for t in app.title] == [text("app.title", "zh")]
    assert [b.label for b in app.button] == [text("access.login", "zh")]
    assert shows_no_data(app)
    assert app.markdown[0].value == text("access.login_intro", "zh")


def test_an_allowed_reader_sees_the_pages_and_who_is_signed_in() -> None:
    user = {"is_logged_in": True, "email": "zhang@team.example.org", "name": "张三"}
    app = run({"auth": AUTH, "access": LISTS}, user)
    assert app.title[0].value == "总览"
    assert app.metric  # the headline numbers
    signed_in = [c.value for c in app.sidebar.caption]
    assert signed_in == [
        text("access.signed_in", "zh", who=escape_markdown("张三 (zhang@team.example.org)"))
    ]
    assert [b.label for b in app.sidebar.button] == [text("access.logout", "zh")]
    # Logging out leaves the pages at once, and the next run shows the login screen.
    app.sidebar.button[0].click().run()
    assert shows_no_data(app) and app.user == {"is_logged_in": False}
    app.run()
    assert [b.label for b in app.button] == [text("access.login", "zh")]


def test_any_account_is_allowed_without_lists() -> None:
    app = run({"auth": AUTH}, {"is_logged_in": True, "email": "someone@anywhere.test"})
    assert app.title[0].value == "总览" and app.metric


@pytest.mark.parametrize(
    ("user", "key", "named"),
    [
        ({"email": "mallory@elsewhere.test"}, "access.not_listed", "mallory@elsewhere.test"),
        ({"email": "li.wei@example.org", "email_verified": False}, "access.unverified",
         "li.wei@example.org"),
        ({"name": "Mallory", "sub": "m-1"}, "access.no_email", "Mallory"),
    ],
)  # fmt: skip
def test_a_reader_not_allowed_is_refused_by_name(
    user: dict[str, Any], key: str, named: str
) -> None:
    app = run({"auth": AUTH, "access": LISTS}, {"is_logged_in": True, **user}, "compare")
    assert [e.value for e in app.error] == [text(key, "zh", who=escape_markdown(named))]
    assert [b.label for b in app.button] == [text("access.logout", "zh")]
    assert shows_no_data(app)


def test_incomplete_settings_keep_the_dashboard_closed_and_say_why() -> None:
    auth = {k: v for k, v in AUTH.items() if k != "client_secret"}
    app = run({"auth": auth}, {"is_logged_in": True, "email": "li.wei@example.org"})
    assert [e.value for e in app.error] == [
        text("access.misconfigured", "zh", keys=escape_markdown("auth.client_secret"))
    ]
    assert not app.button and shows_no_data(app)


def test_without_login_settings_the_gate_adds_nothing() -> None:
    app = run(None, {"email": "test@example.com"})
    assert app.title[0].value == "总览" and app.metric
    labels = {text(key, lang) for key in ("access.login", "access.logout") for lang in ("zh", "en")}
    assert not [b for b in app.button if b.label in labels]
    assert not app.sidebar.caption and not app.error
