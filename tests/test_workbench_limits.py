"""What keeps the workbench from exhausting the server: drafts kept within a byte
budget and only while a session works on them, checks of drafts that wait for no lock,
drafting in a worker process, sessions that end when their time is up, the download
written from the article and the edits, and the input's size limit in the reader's
language. The server itself under many curators: tests/test_workbench_load.py."""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import signal
import threading
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from io import BytesIO

import pandas as pd
import pytest
from conftest import PROJECT, SEED, SEED_DATA, streamlit_caches_cleared, time_limit
from streamlit.runtime.session_manager import SessionInfo
from streamlit.testing.v1 import AppTest
from support.workbench import made_up_article

from dashboard import cache, drafting, sessions
from dashboard.cache import DATA_ENV, DraftStore
from dashboard.settings import WORKBENCH_ENV
from metrics.model.dataset import Dataset
from metrics.pipeline import across_files, incremental, load
from metrics.pipeline.load import load_dataset
from metrics.tools.draft import Draft, draft_article
from metrics.tools.draft_yaml import check_draft, render_draft
from present.i18n import text
from present.pages import curate
from present.safetext import escape_markdown

XINJIE = (SEED / "sources" / "003_2e6890469b97fbf0.txt").read_text(encoding="utf-8")
TIMEOUT = 60


@pytest.fixture(autouse=True)
def seed_data(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_ENV, str(SEED_DATA))
    monkeypatch.delenv(WORKBENCH_ENV, raising=False)


@pytest.fixture(autouse=True)
def clear_caches(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(cache, "DRAFTS", DraftStore())  # no draft of another test
    yield from streamlit_caches_cleared()


@pytest.fixture(scope="module")
def seed() -> Dataset:
    return load_dataset(SEED_DATA)


# --- drafts within a byte budget -----------------------------------------------------


def made(size: int) -> object:
    """A maker of a stand-in draft of ``size`` bytes, counting its calls."""

    def make() -> tuple[object, int]:
        make.calls += 1  # type: ignore[attr-defined]
        return object(), size

    make.calls = 0  # type: ignore[attr-defined]
    return make


def test_drafts_are_kept_within_a_byte_budget_not_a_count() -> None:
    store = DraftStore(budget=100)
    makers = {key: made(40) for key in "abc"}
    for key, make in makers.items():
        assert store.get_or_make(key, make).remade is False
    # 120 bytes asked, 100 allowed: the least recently used draft went first.
    assert store.kept() == ["b", "c"] and store.used == 80
    again = store.get_or_make("a", makers["a"])
    assert again.remade is True and makers["a"].calls == 2  # made again, and said so
    assert store.kept() == ["c", "a"]
    # Many small drafts fit where few large ones do: the budget is bytes.
    small = DraftStore(budget=100)
    for n in range(20):
        small.get_or_make(str(n), made(5))
    assert len(small.kept()) == 20 and small.used == 100
    # A draft larger than the whole budget is never kept: made on every rerun, said so.
    huge = made(150)
    assert store.get_or_make("huge", huge).remade is False
    assert store.get_or_make("huge", huge).remade is True and huge.calls == 2
    assert "huge" not in store.kept() and store.used <= store.budget
    assert cache.DRAFT_BUDGET_BYTES == 64 * 2**20 == DraftStore().budget


def test_a_draft_no_session_works_on_is_dropped_at_once() -> None:
    store = DraftStore(budget=100)
    store.claim("a")
    store.claim("a")
    store.get_or_make("a", made(10))
    store.release("a")
    assert store.kept() == ["a"]  # one session still works on it
    store.release("a")
    assert store.kept() == [] and store.used == 0


def test_two_curators_of_one_article_wait_for_one_draft() -> None:
    store = DraftStore(budget=100)
    started, finish = threading.Event(), threading.Event()
    calls = []

    def slow() -> tuple[object, int]:
        calls.append(1)
        started.set()
        finish.wait(10)
        return "the draft", 10

    got = []
    first = threading.Thread(target=lambda: got.append(store.get_or_make("a", slow)))
    first.start()
    started.wait(10)
    second = threading.Thread(target=lambda: got.append(store.get_or_make("a", slow)))
    second.start()
    time.sleep(0.2)
    finish.set()
    first.join(10)
    second.join(10)
    assert len(calls) == 1 and [d.draft for d in got] == ["the draft", "the draft"]


def workbench(lang: str = "zh") -> AppTest:
    app = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=TIMEOUT)
    app.session_state["lang"] = lang
    app.switch_page("app_pages/curate.py").run()
    return app


def paste(app: AppTest, article: str) -> AppTest:
    app.text_area(key="curate-text").input(article)
    app.button[0].click().run()
    assert not app.exception, [e.value for e in app.exception]
    return app


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_page_says_when_a_draft_was_dropped(monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    app = paste(workbench(lang), XINJIE)
    note = escape_markdown(text("curate.redrafted", lang))  # as ui.note shows it
    assert note not in [c.value for c in app.caption]
    assert len(cache.DRAFTS.kept()) == 1
    # Other curators' drafts took the budget: this one was dropped, and is made again.
    monkeypatch.setattr(cache.DRAFTS, "budget", 1)
    cache.DRAFTS.get_or_make("another article", lambda: (object(), 1))
    assert len(cache.DRAFTS.kept()) == 1
    app.run()
    assert not app.exception
    assert note in [c.value for c in app.caption]
    assert app.data_editor[0].value["mention"].tolist()[0] == "3个"  # the same draft


# --- checks without a lock -----------------------------------------------------------


def test_checking_a_draft_waits_for_no_other_check(monkeypatch: pytest.MonkeyPatch) -> None:
    """A curator's check runs while another's is still under way (before, every check
    of a draft took one lock of the whole process, and the second waited)."""
    real = incremental.check
    inside, release = threading.Event(), threading.Event()

    def held_once(*args: object, **kwargs: object) -> incremental.CheckState:
        if not inside.is_set():
            inside.set()
            release.wait(20)  # the first check stays under way until told
        return real(*args, **kwargs)

    monkeypatch.setattr(incremental, "check", held_once)
    first = threading.Thread(target=load.check_with_added, args=(SEED_DATA, {}, {}))
    done: list[object] = []
    second = threading.Thread(target=lambda: done.append(load.check_with_added(SEED_DATA, {}, {})))
    with time_limit(60):
        first.start()
        try:
            assert inside.wait(20)
            second.start()
            second.join(15)
            assert done == [[]], "the second check waited for the first"
        finally:
            release.set()
            first.join(20)
            second.join(20)


def test_a_checked_drafts_article_is_not_kept_in_memory(seed: Dataset) -> None:
    """Each article checked stayed prepared for quote look-ups in the process for good."""
    article = made_up_article(5_000, seed=11)
    draft = draft_article(article, seed)
    assert not draft.archived
    result = check_draft(SEED_DATA, draft, render_draft(draft))
    digest = hashlib.sha256(article.encode("utf-8")).hexdigest()
    assert not [p for p in result.in_draft if p.code == "quote_not_in_archive"]
    assert digest not in across_files._PREPARED
    # The data's own archives stay prepared: their checks reuse them.
    assert any(key != digest for key in across_files._PREPARED)


# --- the worker process ---------------------------------------------------------------


@pytest.mark.slow
def test_drafting_and_checking_run_in_a_worker_process_that_ends_when_idle(
    monkeypatch: pytest.MonkeyPatch, seed: Dataset
) -> None:
    monkeypatch.setattr(drafting, "IDLE_SECONDS", 1.0)
    worker = drafting.Worker()
    monkeypatch.setattr(drafting, "WORKER", worker)
    with time_limit(120):
        got, size = drafting.draft_in_worker(XINJIE, seed, None, None)
        pid = worker.pid()
        assert pid is not None and pid != os.getpid()
        here = draft_article(XINJIE, seed)
        pd.testing.assert_frame_equal(got.rows, here.rows)
        assert got.source == here.source and size >= len(XINJIE)
        checked = drafting.check_in_worker(SEED_DATA, got)
        assert checked.lines == curate.check(SEED_DATA, here).lines
        assert checked.rendered.text == render_draft(here).text
        # An error in the worker is the caller's, as if the job ran here.
        with pytest.raises(KeyError):
            worker.run("no such job")
        # A worker that died (killed, its memory exhausted) is replaced: the job is done.
        os.kill(pid, signal.SIGKILL)
        again, _ = drafting.draft_in_worker(XINJIE, seed, None, None)
        pd.testing.assert_frame_equal(again.rows, here.rows)
        assert worker.pid() not in (None, pid)
        pid = worker.pid()
        deadline = time.monotonic() + 30
        while not _ended(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not worker.running() and _ended(pid)  # idle: ended, its memory given back


class Odd(Exception):
    def __init__(self, first: str, second: str) -> None:
        super().__init__(f"{first} {second}")  # its one arg does not rebuild it


def test_an_error_the_server_could_not_read_back_is_sent_as_what_it_was() -> None:
    with pytest.raises(TypeError):
        pickle.loads(pickle.dumps(Odd("too", "late")))
    sent = drafting._sendable(Odd("too", "late"))
    assert type(sent) is RuntimeError and str(sent) == "Odd: too late"
    plain = ValueError("plain")
    assert drafting._sendable(plain) is plain


def _ended(pid: int | None) -> bool:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            return any(line.startswith("State:\tZ") for line in status)
    except FileNotFoundError:
        return True


# --- sessions that end ----------------------------------------------------------------


@dataclass
class FakeSession:
    id: str
    ended: list[str] = field(default_factory=list)

    def shutdown(self) -> None:
        self.ended.append(self.id)


def stored(name: str, ended: list[str]) -> SessionInfo:
    return SessionInfo(client=None, session=FakeSession(name, ended))


def test_disconnected_sessions_are_shut_down_when_their_time_is_up() -> None:
    ended: list[str] = []
    storage = sessions.EndingStorage(maxsize=2, ttl_seconds=60)
    for name in ("a", "b", "c"):
        storage.save(stored(name, ended))
    assert ended == ["a"]  # more than it keeps: the oldest is ended, not only forgotten
    assert storage.get("b") is not None
    storage.delete("b")  # its reader came back: taken back, not ended
    assert ended == ["a"] and storage.get("b") is None
    short = sessions.EndingStorage(ttl_seconds=0)
    short.save(stored("d", ended))
    assert short.get("d") is None and short.list() == []
    assert short.reap() == 1 and ended == ["a", "d"]
    assert storage.reap() == 0  # "c" has time left


def test_the_dashboard_command_puts_the_ending_storage_in_place(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from streamlit.runtime import memory_session_storage
    from streamlit.web.server import server

    monkeypatch.setattr(server, "MemorySessionStorage", server.MemorySessionStorage)
    monkeypatch.setattr(
        memory_session_storage,
        "MemorySessionStorage",
        memory_session_storage.MemorySessionStorage,
    )
    sessions.install()
    assert server.MemorySessionStorage is sessions.EndingStorage
    assert memory_session_storage.MemorySessionStorage is sessions.EndingStorage


# --- the download ----------------------------------------------------------------------


def _reachable_types(root: object, depth: int = 4) -> set[type]:
    seen, found, layer = set(), set(), [root]
    for _ in range(depth):
        following = []
        for item in layer:
            if id(item) in seen:
                continue
            seen.add(id(item))
            found.add(type(item))
            following += gc.get_referents(item)
        layer = following
    return found


def test_the_download_is_written_from_the_article_and_the_edits(seed: Dataset) -> None:
    given = curate.read_input(XINJIE, None, None, "xinjie-draft", None, True)
    assert isinstance(given, curate.Given)
    keys = curate.Keys.of(given, seed)
    state = {keys.rows: {"edited_rows": {0: {"action": "drop"}}}, "unrelated": "x" * 1000}
    request = cache.ZipRequest(given, seed, curate.edits_of(state, keys), keys)
    # What a session keeps for its download: no draft, no table, no file (the data it
    # names is the one every page shares).
    kept = (request.given, request.edits, request.keys)
    assert not _reachable_types(kept) & {Draft, pd.DataFrame, curate.Checked}
    assert request.edits == {keys.rows: {"edited_rows": {0: {"action": "drop"}}}}
    with time_limit(120):
        written = cache.draft_zip(request)
    edited = curate.edited_draft(
        draft_article(XINJIE, seed, source_id="xinjie-draft"),
        state,
        keys,
    )
    assert written == curate.zip_bytes(edited, render_draft(edited))
    with zipfile.ZipFile(BytesIO(written)) as archive:
        assert "indicators/xinjie-draft.yaml" in archive.namelist()


# --- the input's limit -----------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_input_is_limited_to_one_megabyte_in_the_readers_language(lang: str) -> None:
    app = workbench(lang)
    assert not app.exception
    assert app.file_uploader[0].proto.max_upload_size_mb == 1
    assert app.text_area(key="curate-text").proto.max_chars == 1_000_000
    assert "1 MB" in app.file_uploader[0].proto.label
    css = curate.uploader_css(
        text("curate.upload_button", lang), text("curate.upload_too_big", lang)
    )
    # Streamlit's English limit is hidden, its button says the page's words.
    assert 'stFileUploaderDropzoneInstructions"] {display: none;}' in css
    assert f'content: "{text("curate.upload_button", lang)}"' in css
    assert f'content: "{text("curate.upload_too_big", lang)}"' in css
    assert css.count("<") == 2  # its own two tags, nothing of the texts


def test_a_css_string_cannot_end_the_style() -> None:
    css = curate.uploader_css('a"b\\c</style><script>', "x\ny")
    assert "</style><script>" not in css and '"a\\"b\\\\c\\3c /style>\\3c script>"' in css
    assert '"x\\a y"' in css
