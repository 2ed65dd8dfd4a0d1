"""Sessions whose reader has gone are ended, not only forgotten.

When a reader's websocket closes, Streamlit keeps the session for
``server.disconnectedSessionTTL`` seconds (120 by default), so that a reader who lost
the connection for a moment gets the page back as it was. Its storage then lets the
session go without shutting it down (Streamlit 1.67, streamlit/streamlit#12506): the
session stays registered with the runtime's file managers (its uploads, the callables
behind its download buttons, and all they hold) and is never freed. The workbench made
that a leak of megabytes per article: its download button held the whole draft.

``EndingStorage`` is a session storage like Streamlit's (the same TTL and number of
sessions) that shuts down every session it lets go, whether its time is up or a newer
session takes its place; a thread looks for sessions whose time is up every
``REAP_SECONDS``. ``uv run dashboard`` (``dashboard.serve``) puts it in place of
Streamlit's before the server starts (``install``).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict

from streamlit.runtime.session_manager import SessionInfo, SessionStorage

from dashboard import memory

# How often the storage looks for sessions whose time is up.
REAP_SECONDS = 5.0
_LOG = logging.getLogger(__name__)


class EndingStorage(SessionStorage):
    """Disconnected sessions for ``ttl_seconds``, at most ``maxsize``; each shut down
    when it goes (unless it was taken back by its reader: ``delete``)."""

    def __init__(self, maxsize: int = 128, ttl_seconds: int = 2 * 60) -> None:
        self.maxsize = maxsize
        self.ttl_seconds = ttl_seconds
        self._lock = threading.Lock()
        # Session id -> (when its time is up, the session), oldest first.
        self._sessions: OrderedDict[str, tuple[float, SessionInfo]] = OrderedDict()
        self._reaper: threading.Thread | None = None

    def get(self, session_id: str) -> SessionInfo | None:
        with self._lock:
            found = self._sessions.get(session_id)
        if found is None or found[0] <= time.monotonic():
            return None
        return found[1]

    def save(self, session_info: SessionInfo) -> None:
        ended = []
        with self._lock:
            self._sessions.pop(session_info.session.id, None)
            self._sessions[session_info.session.id] = (
                time.monotonic() + self.ttl_seconds,
                session_info,
            )
            while len(self._sessions) > self.maxsize:
                ended.append(self._sessions.popitem(last=False)[1][1])
            self._start_reaper()
        _end(ended)

    def delete(self, session_id: str) -> None:
        """Forget a session without ending it: its reader has come back to it."""
        with self._lock:
            self._sessions.pop(session_id, None)

    def list(self) -> list[SessionInfo]:  # type: ignore[override]
        now = time.monotonic()
        with self._lock:
            return [info for until, info in self._sessions.values() if until > now]

    def reap(self) -> int:
        """End the sessions whose time is up; how many."""
        now = time.monotonic()
        with self._lock:
            expired = [key for key, (until, _) in self._sessions.items() if until <= now]
            ended = [self._sessions.pop(key)[1] for key in expired]
        count = len(ended)
        _end(ended)
        return count

    def _start_reaper(self) -> None:
        if self._reaper is None:
            self._reaper = threading.Thread(target=self._reap_forever, daemon=True)
            self._reaper.name = "end-disconnected-sessions"
            self._reaper.start()

    def _reap_forever(self) -> None:
        while True:
            time.sleep(REAP_SECONDS)
            self.reap()


def _end(sessions: list[SessionInfo]) -> None:
    """Shut the sessions down (the list is emptied: nothing here keeps them)."""
    ended = bool(sessions)
    while sessions:
        info = sessions.pop()
        try:
            info.session.shutdown()
        except Exception:  # one session's trouble must not keep the others
            _LOG.exception("ending session %s", info.session.id)
        del info
    if ended:
        memory.give_back()  # what they held, freed, back to the system


def install() -> None:
    """Make the server Streamlit is about to start keep its disconnected sessions in
    an ``EndingStorage`` (its ``server.disconnectedSessionTTL`` still applies): the
    name both of Streamlit's servers make their storage by."""
    from streamlit.runtime import memory_session_storage
    from streamlit.web.server import server

    memory_session_storage.MemorySessionStorage = EndingStorage  # type: ignore[misc]
    server.MemorySessionStorage = EndingStorage  # type: ignore[misc]
