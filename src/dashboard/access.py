"""Who may read the dashboard: an optional OpenID Connect login (``st.login``).

Without an ``[auth]`` section in the deployment's secrets (``.streamlit/secrets.toml``)
the dashboard is open to anyone who can reach it, as it always was: ``gate`` lets every
run through and draws nothing. With one, ``app.py`` calls ``gate`` before the
navigation, so no page script runs, and nothing of the data reaches the browser, until
a reader is logged in and allowed:

- not logged in: the login screen (the title, one sentence, a login button);
- logged in but not allowed (not on the ``[access]`` lists, or the provider says the
  e-mail address is not verified): a refusal naming the account, and a logout button;
- allowed: the pages, with "signed in as …" and a logout button in the sidebar.

``[access]`` is optional: ``allowed_emails`` and ``allowed_domains`` (lists, any case).
Without either list every account the provider lets log in is allowed. Settings that
are there but incomplete or wrong keep the dashboard closed (and say which), never open.

The decisions (``read_setting``, ``email_allowed``, ``verdict``) are plain functions of
plain values, tested without Streamlit.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

import streamlit as st

from dashboard import ui

# What st.login needs in [auth] for its default provider (Streamlit's own check).
AUTH_KEYS: Final = ("redirect_uri", "cookie_secret", "client_id", "client_secret",
                    "server_metadata_url")  # fmt: skip
ACCESS_KEYS: Final = ("allowed_emails", "allowed_domains")
# Names the broken settings go by when the secrets file itself cannot be read.
UNREADABLE: Final = "secrets.toml"

Verdict = Literal["allowed", "not_listed", "unverified", "no_email"]
_LOG = logging.getLogger(__name__)


@dataclass(frozen=True)
class Setting:
    """What the deployment's secrets say about access."""

    # Whether readers must log in (an [auth] section, or [access] lists, exist).
    login: bool = False
    # Settings that are missing or wrong ("auth.client_id"): while any is, nobody gets in.
    problems: tuple[str, ...] = ()
    emails: frozenset[str] = frozenset()
    domains: frozenset[str] = frozenset()


OPEN: Final = Setting()


def _is_set(value: object) -> bool:
    """Whether a setting holds something other than blanks."""
    return value is not None and str(value).strip() != ""


def _entries(value: object) -> list[str] | None:
    """A list of e-mail addresses or domains as written (one string counts as a list of
    one); None when it is neither."""
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        return None
    return [v.strip().lower() for v in value if v.strip()]


def read_setting(secrets: Mapping[str, Any] | None) -> Setting:
    """The access setting of these secrets (``None``: no secrets file at all)."""
    secrets = secrets or {}
    auth, access = secrets.get("auth"), secrets.get("access")
    if auth is None and access is None:
        return OPEN
    if isinstance(auth, Mapping):
        problems = [f"auth.{key}" for key in AUTH_KEYS if not _is_set(auth.get(key))]
    else:
        # [access] lists without a login could not be enforced: closed, not open.
        problems = ["auth"]
    if access is not None and not isinstance(access, Mapping):
        problems.append("access")
        access = {}
    lists: dict[str, list[str]] = {}
    for key in ACCESS_KEYS:
        entries = _entries((access or {}).get(key))
        if entries is None:
            problems.append(f"access.{key}")
        lists[key] = entries or []
    emails = frozenset(lists["allowed_emails"])
    domains = frozenset(d.removeprefix("@") for d in lists["allowed_domains"])
    if any(_address(email) is None for email in emails):
        problems.append("access.allowed_emails")
    return Setting(True, tuple(problems), emails, domains)


def _address(email: str) -> tuple[str, str] | None:
    """(local part, domain) of a plain e-mail address, lower case; None otherwise."""
    local, at, domain = email.strip().lower().partition("@")
    if not (local and at and domain) or "@" in domain:
        return None
    return local, domain


def email_allowed(email: str | None, emails: Collection[str], domains: Collection[str]) -> bool:
    """Whether ``email`` may read the dashboard under these lists (lower case, as
    ``read_setting`` gives them): with neither list, any account may; else an address
    on ``emails``, or one whose domain is exactly one of ``domains`` (``example.org``
    lets in ``a@example.org``, not ``a@dept.example.org`` or ``a@badexample.org``)."""
    if not emails and not domains:
        return True
    parts = _address(email or "")
    if parts is None:
        return False
    return f"{parts[0]}@{parts[1]}" in emails or parts[1] in domains


def _not_verified(value: object) -> bool:
    """The provider said the address is not verified (``false``, or "false" as text)."""
    return value is not None and str(value).strip().lower() in {"false", "0", "no"}


def verdict(user: Mapping[str, Any], setting: Setting) -> Verdict:
    """Whether a logged-in ``user`` (the claims of ``st.user``) may read the dashboard."""
    if _not_verified(user.get("email_verified")):
        return "unverified"
    email = user.get("email")
    if not email_allowed(str(email) if email else None, setting.emails, setting.domains):
        return "not_listed" if _is_set(email) else "no_email"
    return "allowed"


def who(user: Mapping[str, Any]) -> str:
    """The account as a reader recognises it: the e-mail address, else the name, else
    the provider's subject id."""
    for claim in ("email", "name", "preferred_username", "sub"):
        if _is_set(user.get(claim)):
            return str(user[claim])
    return "?"


def signed_in_as(user: Mapping[str, Any]) -> str:
    """Name and address for the sidebar: "Li Wei (li.wei@example.org)"."""
    name, email = user.get("name"), user.get("email")
    if _is_set(name) and _is_set(email) and str(name) != str(email):
        return f"{name} ({email})"
    return who(user)


# --- the Streamlit side ---------------------------------------------------------------


def _secrets() -> Mapping[str, Any] | None:
    """The secrets as a dict; None without a secrets file. A file that exists but cannot
    be read yields ``UNREADABLE``, so that a typo never opens the dashboard."""
    secrets = st.secrets  # read at call time: AppTest puts its own in its place
    if secrets.load_if_toml_exists():
        return secrets.to_dict()
    from streamlit import config

    if any(Path(path).is_file() for path in config.get_option("secrets.files")):
        return {UNREADABLE: True}
    return None


def current_setting() -> Setting:
    """The access setting of this deployment, read on every run (so an edited
    secrets file takes effect without a restart)."""
    secrets = _secrets()
    if secrets is not None and secrets.get(UNREADABLE) is True:
        return Setting(login=True, problems=(UNREADABLE,))
    return read_setting(secrets)


def _logout_button(where: Any) -> bool:
    """A logout button in ``where`` (the page or the sidebar); True once clicked, when
    the browser is already on its way out."""
    if where.button(ui.tr("access.logout"), key="access-logout"):
        st.logout()
        return True
    return False


def _closed(problems: tuple[str, ...]) -> None:
    _LOG.warning("login settings incomplete or wrong, the dashboard stays closed: %s",
                 ", ".join(problems))  # fmt: skip
    st.title(ui.tr("app.title"))
    st.error(ui.tr("access.misconfigured", keys=ui.escape(", ".join(problems))))


def _login_screen() -> None:
    st.title(ui.tr("app.title"))
    st.write(ui.tr("access.login_intro"))
    if st.button(ui.tr("access.login"), type="primary", key="access-login"):
        st.login()


def _refusal(user: Mapping[str, Any], reason: Verdict) -> None:
    st.title(ui.tr("app.title"))
    st.error(ui.tr(f"access.{reason}", who=ui.escape(who(user))))
    _logout_button(st)


def gate() -> bool:
    """Whether this run may show the pages; otherwise it has drawn what the reader
    sees instead, and the caller stops. Draws the sidebar's "signed in as" and logout
    button for an allowed reader, and nothing at all without login settings."""
    setting = current_setting()
    if not setting.login:
        return True
    if setting.problems:
        _closed(setting.problems)
        return False
    user = st.user.to_dict()
    if not user.get("is_logged_in"):
        _login_screen()
        return False
    reason = verdict(user, setting)
    if reason != "allowed":
        _refusal(user, reason)
        return False
    st.sidebar.caption(ui.tr("access.signed_in", who=ui.escape(signed_in_as(user))))
    return not _logout_button(st.sidebar)
