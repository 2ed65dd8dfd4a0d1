"""A replica answers only its host names, and only the endpoints its page uses
(``dashboard.settings.allowed_hosts``, ``dashboard.guard``).

First the setting and the guard as plain functions; then the README's ``uv run
dashboard`` with ``METRICS_ALLOWED_HOSTS`` and a login configured, asked over HTTP and
for a websocket upgrade with a foreign ``Host`` (DNS rebinding) and with its own.
"""

from __future__ import annotations

import asyncio
import http.client
from collections.abc import Iterator

import pytest
from conftest import SEED_DATA
from support.live import dashboard, server_env

from dashboard.guard import Guard, core_allowed, request_host
from dashboard.settings import HOSTS_ENV, LOOPBACK_HOSTS, allowed_hosts

NAME = "dashboard.example.internal"

# --- the setting ----------------------------------------------------------------------


def test_the_loopback_names_and_the_configured_ones_are_allowed() -> None:
    assert allowed_hosts({}) == LOOPBACK_HOSTS == {"localhost", "127.0.0.1", "::1"}
    configured = {HOSTS_ENV: " Dashboard.Example.Internal. , dashboard,, 10.0.0.5,[fd00::1]"}
    assert allowed_hosts(configured) == LOOPBACK_HOSTS | {
        NAME, "dashboard", "10.0.0.5", "fd00::1",
    }  # fmt: skip


def test_an_entry_that_is_not_a_host_name_is_named() -> None:
    setting = {HOSTS_ENV: f"https://{NAME}, {NAME}:443, ok.example, bad_name, -x.example"}
    with pytest.raises(ValueError) as wrong:
        allowed_hosts(setting)
    message = str(wrong.value)
    assert message.startswith(f"{HOSTS_ENV}: not a host name: ")
    for entry in (f"'https://{NAME}'", f"'{NAME}:443'", "'bad_name'", "'-x.example'"):
        assert entry in message
    assert "ok.example" not in message
    assert "without scheme or port" in message


# --- the guard, as an ASGI app --------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "host"),
    [(f"{NAME}:8443", NAME), ("DASHBOARD.example.internal.", NAME), ("[::1]:8501", "::1"),
     ("127.0.0.1", "127.0.0.1"), ("", None), (f"user@{NAME}", None), (f"{NAME}/x", None),
     (f"{NAME}:port", None), ("bad_name", None)],
)  # fmt: skip
def test_the_host_of_a_host_header(header: str, host: str | None) -> None:
    assert request_host(header) == host


def test_under_stcore_only_what_the_page_uses() -> None:
    prefix = "/_stcore/"
    allowed = ["/", "/compare", "/_stcore/health", "/_stcore/host-config", "/_stcore/stream",
               "/_stcore/upload_file/session/file", "/compare/_stcore/metrics"]  # fmt: skip
    refused = ["/_stcore/metrics", "/_stcore/agent/openapi.json", "/_stcore/health/x",
               "/_stcore/streams", "/_stcore/", "/_stcore/upload_file"]  # fmt: skip
    assert [p for p in allowed if not core_allowed(p, prefix)] == []
    assert [p for p in refused if core_allowed(p, prefix)] == []
    assert not core_allowed("/base/_stcore/metrics", "/base/_stcore/")
    assert core_allowed("/base/_stcore/health", "/base/_stcore/")


def _through_guard(kind: str, host: str, path: str = "/", origin: str = "") -> list[object]:
    """What the guard sends for one request, and whether it reached the app."""
    sent: list[object] = []

    async def app(scope: object, receive: object, send: object) -> None:
        sent.append("app")

    async def send(message: dict[str, object]) -> None:
        sent.append(message.get("status") or message["type"])

    async def receive() -> dict[str, object]:
        return {"type": f"{kind}.disconnect"}

    headers = [(b"host", host.encode())] + ([(b"origin", origin.encode())] if origin else [])
    scope = {"type": kind, "path": path, "headers": headers}
    asyncio.run(Guard(app, allowed_hosts({HOSTS_ENV: NAME}), "/_stcore/")(scope, receive, send))
    return sent


def test_the_guard_lets_in_only_allowed_names_and_origins() -> None:
    assert _through_guard("http", NAME) == ["app"]
    assert _through_guard("http", "127.0.0.1:8501", "/_stcore/health") == ["app"]
    assert _through_guard("http", "rebind.example") == [421, "http.response.body"]
    assert _through_guard("http", NAME, "/_stcore/metrics") == [404, "http.response.body"]
    stream = "/_stcore/stream"
    assert _through_guard("websocket", NAME, stream, f"https://{NAME}") == ["app"]
    assert _through_guard("websocket", NAME, stream) == ["app"]  # no Origin: not a page
    refused = ["websocket.close"]
    assert _through_guard("websocket", "rebind.example", stream, "http://rebind.example") == refused
    assert _through_guard("websocket", NAME, stream, "https://elsewhere.example") == refused
    assert _through_guard("websocket", NAME, stream, "null") == refused
    # Allowed names both, but the page is not of the websocket's host.
    assert _through_guard("websocket", NAME, stream, "http://localhost:8501") == refused
    assert _through_guard("websocket", "localhost:8501", stream, "http://localhost:3000") == ["app"]
    assert _through_guard("lifespan", "") == ["app"]


# --- a replica ------------------------------------------------------------------------

# A login is configured; the provider is never asked (nobody logs in here).
SECRETS = """\
[auth]
redirect_uri = "https://dashboard.example.internal/oauth2callback"
cookie_secret = "a-test-cookie-secret-of-this-run-only"
client_id = "governance-dashboard"
client_secret = "a-test-client-secret"
server_metadata_url = "http://127.0.0.1:9/.well-known/openid-configuration"
"""
# A websocket handshake, as a browser on ``origin`` sends it.
UPGRADE = {"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
           "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
           "Sec-WebSocket-Protocol": "streamlit"}  # fmt: skip


@pytest.fixture(scope="module")
def replica(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """``uv run dashboard`` with ``METRICS_ALLOWED_HOSTS`` and a login; its port."""
    folder = tmp_path_factory.mktemp("hosts")
    secrets = folder / "secrets.toml"
    secrets.write_text(SECRETS, encoding="utf-8")
    env = {**server_env(SEED_DATA), HOSTS_ENV: NAME}
    login = ("--secrets.files", str(secrets))
    with dashboard(folder / "server.log", env, options=login) as (url, _):
        yield int(url.rsplit(":", 1)[1])


def ask(port: int, host: str, path: str = "/", headers: dict[str, str] | None = None) -> int:
    """The status of the replica's answer to a GET with this Host header (101: the
    websocket was opened)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers={"Host": host, **(headers or {})})
        return connection.getresponse().status
    finally:
        connection.close()


@pytest.mark.server
@pytest.mark.xdist_group("hosts")
def test_a_replica_opens_no_websocket_to_another_name(replica: int) -> None:
    def upgrade(host: str, origin: str) -> int:
        return ask(replica, host, "/_stcore/stream", {**UPGRADE, "Origin": origin})

    assert upgrade("rebind.example", "http://rebind.example") == 403
    assert upgrade(f"rebind.example:{replica}", f"http://rebind.example:{replica}") == 403
    assert upgrade(NAME, f"https://{NAME}") == 101
    assert upgrade(f"127.0.0.1:{replica}", f"http://127.0.0.1:{replica}") == 101


@pytest.mark.server
@pytest.mark.xdist_group("hosts")
def test_a_replica_answers_no_page_to_another_name(replica: int) -> None:
    assert ask(replica, "rebind.example") == 421
    assert ask(replica, "rebind.example", "/_stcore/health") == 421
    assert ask(replica, NAME) == 200
    assert ask(replica, f"{NAME}:443", "/compare") == 200


@pytest.mark.server
@pytest.mark.xdist_group("hosts")
def test_with_login_configured_the_metrics_do_not_answer(replica: int) -> None:
    assert ask(replica, NAME, "/_stcore/metrics") == 404
    assert ask(replica, f"127.0.0.1:{replica}", "/_stcore/metrics") == 404
    assert ask(replica, NAME, "/_stcore/agent/openapi.json") == 404
    # What the page needs still answers.
    assert ask(replica, NAME, "/_stcore/health") == 200
    assert ask(replica, NAME, "/_stcore/host-config") == 200


def test_the_dashboard_command_does_not_start_on_a_wrong_list(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from dashboard import serve

    monkeypatch.setattr(serve, "preload", lambda: pytest.fail("started despite the setting"))
    monkeypatch.setenv(HOSTS_ENV, f"https://{NAME}")
    with pytest.raises(SystemExit) as ended:
        serve.main()
    assert ended.value.code == f"dashboard: {HOSTS_ENV}: not a host name: 'https://{NAME}' " + (
        "(write each name alone, without scheme or port: dashboard.example.org)"
    )
