"""The replica's front door: what a request must be before Streamlit sees it.

Streamlit answers any ``Host``: a web page whose name an attacker points at the
dashboard's address (DNS rebinding) would be served as its own origin, and could read
every page through the websocket. Streamlit has an option for the websocket only
(``server.allowedHosts``, which ``serve`` sets too) and none for HTTP, nor one that hides
its own endpoints such as ``/_stcore/metrics`` (cache names and hit counts, without
login). So ``uv run dashboard`` wraps the ASGI app Streamlit's server builds in ``Guard``:

- an HTTP request whose ``Host`` is not an allowed name gets 421; a websocket is
  refused (403, never 101) when its ``Host`` is not, or when the page that opens it
  (its ``Origin``) is of another host than its ``Host``;
- under ``/_stcore/`` only what the page uses answers: the health check, the host
  settings the page loads, the websocket, and file uploads (which need the session's
  id and its XSRF token); anything else (metrics, the agent API) is 404.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, MutableMapping
from typing import Any, Final
from urllib.parse import urlsplit

from dashboard.settings import host_name

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Streamlit's endpoints under /_stcore/ that the page needs (found in Chromium: every
# page, the workbench's upload, the login screen), exactly or as a prefix ("…/").
CORE_PATHS: Final = ("health", "host-config", "stream", "upload_file/")


def request_host(value: str | None) -> str | None:
    """The host name of a ``Host`` header's value (port left out), normalised as the
    allowed names are; None when there is none or it is not a plain host[:port]."""
    if not value:
        return None
    try:
        parts = urlsplit(f"//{value}")
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        return None
    if parts.hostname is None or parts.username is not None or parts.path or parts.query:
        return None
    return host_name(parts.hostname)


def origin_host(value: str) -> str | None:
    """The host name of an ``Origin`` header's value ("null" and the like: None)."""
    try:
        hostname = urlsplit(value).hostname
    except ValueError:
        return None
    return host_name(hostname) if hostname else None


def core_allowed(path: str, prefix: str) -> bool:
    """Whether ``path`` may be served: anything outside ``prefix`` (``/_stcore/`` under
    the base URL), and under it only ``CORE_PATHS``."""
    if not path.startswith(prefix):
        return True
    rest = path[len(prefix) :]
    return any(rest.startswith(p) if p.endswith("/") else rest == p for p in CORE_PATHS)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


class Guard:
    """ASGI middleware in front of Streamlit's app: see the module's docstring."""

    def __init__(self, app: ASGIApp, allowed: Collection[str], core_prefix: str) -> None:
        self.app = app
        self.allowed = frozenset(allowed)
        self.core_prefix = core_prefix

    def refusal(self, scope: Scope) -> tuple[int, str] | None:
        """Why this request is refused, as (HTTP status, reason); None to let it in."""
        host = request_host(_header(scope, b"host"))
        if host not in self.allowed:
            return 421, "this dashboard does not answer to that host name"
        # A browser sends the Origin of the page that opens the websocket: the dashboard's
        # own page has the same host. (Streamlit would look further, up to asking the
        # internet for this machine's address, for an Origin it does not know.)
        origin = _header(scope, b"origin")
        if scope["type"] == "websocket" and origin and origin_host(origin) != host:
            return 403, "only a page of this host may open its websocket"
        if not core_allowed(scope.get("path", ""), self.core_prefix):
            return 404, "not found"
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)  # the lifespan
            return
        refused = self.refusal(scope)
        if refused is None:
            await self.app(scope, receive, send)
        elif scope["type"] == "websocket":
            # Closing before accepting: uvicorn answers 403, never 101.
            await send({"type": "websocket.close", "code": 1008})
        else:
            await _answer(send, *refused)


async def _answer(send: Send, status: int, reason: str) -> None:
    body = f"{reason}\n".encode()
    headers = [(b"content-type", b"text/plain; charset=utf-8"),
               (b"content-length", str(len(body)).encode())]  # fmt: skip
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def install(allowed: Collection[str]) -> None:
    """Make Streamlit's server put ``Guard`` in front of the app it builds.

    Streamlit offers no hook for middleware when it runs a script (``st.App`` would
    change how the whole server starts), so this replaces the factory its server calls.
    If a Streamlit upgrade moves it, the AttributeError stops the replica at start
    rather than letting it serve unguarded.
    """
    from streamlit import config
    from streamlit.web.server.starlette import starlette_server

    build = starlette_server.create_starlette_app

    def guarded(runtime: Any) -> ASGIApp:
        base = str(config.get_option("server.baseUrlPath") or "").strip("/")
        prefix = f"/{base}/_stcore/" if base else "/_stcore/"
        return Guard(build(runtime), allowed, prefix)

    starlette_server.create_starlette_app = guarded
