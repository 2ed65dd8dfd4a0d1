"""Files in the data folder that are not what they seem.

Every file the project reads from the data folder (``indicators.yaml``, the split files
under ``indicators/``, the archives under ``sources/``) must be a regular file whose
real path lies inside the data folder. A link that leads out, a named pipe, a socket, a
device or a folder is a problem at its place, is never opened in a way that can wait,
and none of its bytes reach the dataset, a page, an export or the cache.

Every test runs under a deadline (SIGALRM), so that a regression that blocks on a pipe
fails instead of hanging the suite; commands run in subprocesses with a timeout.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import stat
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import PROJECT, Case, codes, run_metrics, streamlit_caches_cleared, time_limit
from google.protobuf import text_format
from streamlit.testing.v1 import AppTest

from dashboard.cache import DATA_ENV
from dashboard.freshness import data_fingerprint
from metrics.model.dataset import Dataset
from metrics.model.tables import DATASET_TABLES
from metrics.pipeline import snapshot
from metrics.pipeline.load import load_dataset
from metrics.pipeline.snapshot import CACHE_ENV

# Whole-test deadline; tests that start processes (commands, a server) get longer.
DEADLINE_SECONDS = 30
PROCESS_DEADLINE_SECONDS = 180
# Words in the names of the tests that start processes.
STARTS_PROCESSES = ("chromium", "commands", "package")
# A load that meets a pipe, a socket or a device must still answer at once.
PROMPT_SECONDS = 5
# What each planted kind of file is called in the problem's message.
KIND_WORDS = {
    "pipe": "a named pipe",
    "socket": "a socket",
    "folder": "a folder",
    "device": "a device",
}


@pytest.fixture(autouse=True)
def deadline(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a test that is still running after its deadline: a read that blocks on a
    pipe is interrupted by the alarm instead of hanging the suite."""
    slow = any(word in request.node.name for word in STARTS_PROCESSES)
    seconds = PROCESS_DEADLINE_SECONDS if slow else DEADLINE_SECONDS

    with time_limit(seconds):
        yield


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache of this test alone, so that every file written to it can be searched."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(folder))
    return folder


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the data folder, standing for the rest of the server's disk."""
    folder = tmp_path / "outside"
    folder.mkdir()
    return folder


def secret_file(folder: Path) -> tuple[Path, str]:
    """A file outside the data with a unique secret; its text also holds the fixture's
    quotes, so that nothing about it but its place gives it away."""
    secret = f"SECRET-{uuid.uuid4().hex}"
    path = folder / "secret.txt"
    path.write_text(f"root:x:0:0:{secret}:/root\n收集问题120个，现场解决100个\n", "utf-8")
    return path, secret


def with_source(case: Case, archive: str) -> int:
    """Add a source without numbers that names ``archive``; the line of its archive."""
    case.replace(
        "regions:\n",
        "  - id: src-b\n"
        "    title: 乙镇的来信\n"
        "    date: 2020-05-01\n"
        "    authors: [李四]\n"
        f"    archive: {archive}\n"
        "    region: town-a\n"
        "\n"
        "regions:\n",
    )
    return case.line(f"archive: {archive}")


def timed_load(path: Path) -> Dataset:
    """``load_dataset``, which must answer within ``PROMPT_SECONDS``."""
    started = time.monotonic()
    dataset = load_dataset(path)
    took = time.monotonic() - started
    assert took < PROMPT_SECONDS, f"the load took {took:.1f} s"
    return dataset


def plant(kind: str, path: Path) -> None:
    """Make ``path`` a file of ``kind`` (one of ``KIND_WORDS``), or skip where the
    machine does not allow it."""
    if kind == "pipe":
        os.mkfifo(path)
    elif kind == "socket":
        if len(os.fsencode(path)) >= 100:  # AF_UNIX names are short (108 bytes on Linux)
            pytest.skip(f"the path is too long for a unix socket: {path}")
        with socket.socket(socket.AF_UNIX) as sock:
            sock.bind(str(path))  # the socket file stays after the socket is closed
    elif kind == "folder":
        path.mkdir()
    elif kind == "device":
        try:
            os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(1, 3))  # what /dev/null is
        except PermissionError:
            pytest.skip("this machine does not allow making a device file")
    else:
        raise ValueError(kind)


def everything_in(dataset: Dataset) -> str:
    """Every table, archived text and problem of the dataset, as one text."""
    texts = [frame.to_csv() for frame in (getattr(dataset, n) for n in DATASET_TABLES)]
    for name in dataset.archive_texts:
        with contextlib.suppress(KeyError):  # not readable now: not shown either
            texts.append(dataset.archive_texts[name])
    texts += [problem.render() for problem in dataset.problems]
    return "\n".join(texts)


def assert_nowhere(secret: str, folder: Path) -> None:
    """No file below ``folder`` holds the secret."""
    for path in folder.rglob("*"):
        if path.is_file():
            assert secret.encode() not in path.read_bytes(), path


def shown_file(path: Path) -> str:
    """``path`` with its folders resolved, as a problem's ``file`` names it."""
    return str(path.parent.resolve() / path.name)


def problem_file(dataset: Dataset) -> str:
    """The absolute path of the (only) problem's file."""
    (problem,) = dataset.problems
    return os.path.abspath(problem.file)


# --- A link to a secret outside the data folder ---------------------------------------


@pytest.fixture
def linked_secret(case: Case, outside: Path) -> tuple[Case, str, int]:
    """The attacker's case: ``sources/evil.txt`` links to a secret file elsewhere on the
    server, and a source without numbers names it (so no quote gives it away)."""
    target, secret = secret_file(outside)
    (case.folder / "sources" / "evil.txt").symlink_to(target)
    return case, secret, with_source(case, "evil.txt")


def test_an_archive_linked_out_of_the_data_is_a_problem_and_never_read(
    linked_secret: tuple[Case, str, int], private_cache: Path
) -> None:
    case, secret, line = linked_secret
    for _ in range(2):  # from scratch, then from the check's remembered state
        dataset = timed_load(case.path)
        assert codes(dataset) == [(line, "archive_outside_data")]
        assert problem_file(dataset) == shown_file(case.path)
        assert "evil.txt" in dataset.problems[0].message
        assert "evil.txt" not in dataset.archive_texts
        assert secret not in everything_in(dataset)
        snapshot.wait_for_writes()
    assert_nowhere(secret, private_cache)


def test_the_commands_neither_pass_nor_export_a_linked_secret(
    linked_secret: tuple[Case, str, int], tmp_path: Path
) -> None:
    case, secret, line = linked_secret
    cache = tmp_path / "cli-cache"
    checked = run_metrics("check", str(case.path), cache=cache)
    assert checked.returncode == 1
    assert f":{line}: archive 'evil.txt' is a link that leads outside" in checked.stderr
    assert secret not in checked.stdout + checked.stderr
    out = tmp_path / "package"
    exported = run_metrics("export", "--data", str(case.path), "--out", str(out), cache=cache)
    assert exported.returncode == 1
    assert secret not in exported.stdout + exported.stderr
    if out.exists():
        assert_nowhere(secret, out)
    assert_nowhere(secret, cache)


def test_an_unnamed_link_out_is_never_read_into_a_package_or_snapshot(
    case: Case, outside: Path, tmp_path: Path, private_cache: Path
) -> None:
    """A link out that no source names is not a problem (nothing uses it), but its
    target is still never opened: the data is valid, exported and cached without it."""
    target, secret = secret_file(outside)
    (case.folder / "sources" / "stray.txt").symlink_to(target)
    dataset = timed_load(case.path)
    assert dataset.ok and "stray.txt" not in dataset.archive_texts
    snapshot.wait_for_writes()
    assert timed_load(case.path).ok  # now from the snapshot
    cache = tmp_path / "cli-cache"
    out = tmp_path / "package"
    exported = run_metrics("export", "--data", str(case.path), "--out", str(out), cache=cache)
    assert exported.returncode == 0, exported.stderr
    assert any(out.rglob("*.csv"))
    assert_nowhere(secret, out)
    assert_nowhere(secret, private_cache)
    assert_nowhere(secret, cache)


@pytest.fixture
def clear_streamlit() -> Iterator[None]:
    yield from streamlit_caches_cleared()


def page_text(app: AppTest) -> str:
    """Everything the page sent to the browser, as readable text."""
    parts: list[str] = []

    def walk(node: object) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(text_format.MessageToString(proto, as_utf8=True))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(app._tree)
    return "\n".join(parts)


@pytest.mark.usefixtures("clear_streamlit")
def test_the_sources_page_shows_nothing_of_a_linked_secret(
    linked_secret: tuple[Case, str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    case, secret, _ = linked_secret
    monkeypatch.setenv(DATA_ENV, str(case.path))
    app = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=60)
    app.session_state["lang"] = "en"
    app.session_state["source"] = "src-b"
    app.switch_page("app_pages/sources.py").run()
    assert not app.exception, [e.value for e in app.exception]
    shown = page_text(app)
    assert "乙镇的来信" in shown  # the page is on the source that names the link
    assert any("is a link that leads outside the data folder" in c.value for c in app.code)
    assert secret not in shown


@pytest.mark.browser
@pytest.mark.server
def test_the_sources_page_in_chromium_shows_nothing_of_a_linked_secret(
    linked_secret: tuple[Case, str, int], tmp_path: Path, browser: object
) -> None:
    from support.live import dashboard, server_env, wait_drawn

    case, secret, _ = linked_secret
    env = server_env(case.path, cache=tmp_path / "server-cache")
    with dashboard(tmp_path / "server.log", env) as (url, _):
        context = browser.new_context()  # type: ignore[attr-defined]
        try:
            page = context.new_page()
            page.goto(f"{url}/sources?source=src-b&lang=en")
            wait_drawn(page)
            # The source's own section is drawn: the page is on the source that links out.
            page.wait_for_function("document.body.innerText.includes('乙镇的来信')", timeout=60_000)
            wait_drawn(page)
            html = page.content()
        finally:
            context.close()
    assert "乙镇的来信" in html
    assert secret not in html
    assert_nowhere(secret, tmp_path / "server-cache")


# --- Links that stay inside, and links to nothing ---------------------------------------


def test_an_archive_link_that_stays_inside_the_data_folder_is_read(case: Case) -> None:
    originals = case.folder / "originals"
    originals.mkdir()
    (case.folder / "sources" / "article.txt").rename(originals / "article.txt")
    (case.folder / "sources" / "article.txt").symlink_to(Path("..") / "originals" / "article.txt")
    dataset = timed_load(case.path)
    assert dataset.problems == []
    assert "老书记工作室" in dataset.archive_texts["article.txt"]


def test_a_data_folder_reached_through_a_link_is_fine(case: Case, tmp_path: Path) -> None:
    """The operator may name the data by any path: its real folder is the data folder."""
    alias = tmp_path / "current"
    alias.symlink_to(case.folder)
    assert timed_load(alias / "indicators.yaml").problems == []


def test_a_link_to_nothing_is_a_missing_archive(case: Case) -> None:
    (case.folder / "sources" / "gone.txt").symlink_to("nowhere.txt")
    line = with_source(case, "gone.txt")
    assert codes(timed_load(case.path)) == [(line, "archive_missing")]


def test_a_link_to_itself_is_not_a_regular_file(case: Case) -> None:
    (case.folder / "sources" / "loop.txt").symlink_to("loop.txt")
    line = with_source(case, "loop.txt")
    assert codes(timed_load(case.path)) == [(line, "archive_not_regular")]


def test_an_archive_in_a_subfolder_that_links_out_is_refused(case: Case, outside: Path) -> None:
    target, secret = secret_file(outside)
    (case.folder / "sources" / "more").symlink_to(outside)
    line = with_source(case, f"more/{target.name}")
    dataset = timed_load(case.path)
    assert codes(dataset) == [(line, "archive_outside_data")]
    assert secret not in everything_in(dataset)


def test_a_sources_folder_that_links_out_is_not_read(case: Case, outside: Path) -> None:
    moved = outside / "sources"
    (case.folder / "sources").rename(moved)
    (case.folder / "sources").symlink_to(moved)
    dataset = timed_load(case.path)
    assert codes(dataset) == [(case.line("archive: article.txt"), "archive_outside_data")]
    assert dict(dataset.archive_texts) == {}


# --- Pipes, sockets, devices and folders ------------------------------------------------


@pytest.mark.parametrize("kind", list(KIND_WORDS))
def test_an_archive_that_is_no_regular_file_is_a_problem_at_once(case: Case, kind: str) -> None:
    plant(kind, case.folder / "sources" / "odd.txt")
    line = with_source(case, "odd.txt")
    dataset = timed_load(case.path)
    assert codes(dataset) == [(line, "archive_not_regular")]
    assert KIND_WORDS[kind] in dataset.problems[0].message
    assert "odd.txt" not in dataset.archive_texts


@pytest.mark.parametrize("kind", ["pipe", "socket", "device"])
def test_an_unnamed_special_file_in_sources_does_not_hold_the_check(case: Case, kind: str) -> None:
    plant(kind, case.folder / "sources" / "stray.txt")
    assert timed_load(case.path).ok


@pytest.mark.parametrize("kind", ["pipe", "socket", "device"])
def test_a_split_file_that_is_no_regular_file_is_a_problem(case: Case, kind: str) -> None:
    split = case.folder / "indicators"
    split.mkdir()
    plant(kind, split / "extra.yaml")
    dataset = timed_load(case.path)
    assert codes(dataset) == [(None, "file_not_regular")]
    assert problem_file(dataset) == shown_file(split / "extra.yaml")
    assert KIND_WORDS[kind] in dataset.problems[0].message


def test_a_split_file_that_links_out_is_a_problem(case: Case, outside: Path) -> None:
    secret = f"SECRET-{uuid.uuid4().hex}"
    target = outside / "extra.yaml"
    target.write_text(f"# {secret}\nsources: []\n", "utf-8")
    split = case.folder / "indicators"
    split.mkdir()
    (split / "extra.yaml").symlink_to(target)
    dataset = timed_load(case.path)
    assert codes(dataset) == [(None, "file_outside_data")]
    assert problem_file(dataset) == shown_file(split / "extra.yaml")  # the link, not its target
    assert secret not in everything_in(dataset)


def test_a_folder_named_like_a_split_file_is_walked_into(case: Case) -> None:
    """Folders under indicators/ are walked whatever their name: ``extra.yaml/`` is a
    folder like any other, and the files in it are read."""
    inner = case.folder / "indicators" / "extra.yaml"
    inner.mkdir(parents=True)
    assert timed_load(case.path).problems == []
    (inner / "more.yaml").write_text("practices: []\n", "utf-8")
    assert timed_load(case.path).problems == []


def test_a_split_folder_that_links_out_is_a_problem(case: Case, outside: Path) -> None:
    (outside / "extra.yaml").write_text("practices: []\n", "utf-8")
    (case.folder / "indicators").symlink_to(outside)
    dataset = timed_load(case.path)
    assert codes(dataset) == [(None, "file_outside_data")]
    assert problem_file(dataset) == shown_file(case.folder / "indicators")


@pytest.mark.parametrize("kind", ["pipe", "folder", "socket"])
def test_a_main_file_that_is_no_regular_file_is_a_problem_at_once(case: Case, kind: str) -> None:
    case.path.unlink()
    plant(kind, case.path)
    dataset = timed_load(case.path)
    assert codes(dataset) == [(None, "file_not_regular")]
    assert problem_file(dataset) == shown_file(case.path)
    assert KIND_WORDS[kind] in dataset.problems[0].message


def test_a_main_file_that_links_out_is_a_problem(case: Case, outside: Path) -> None:
    target = outside / "indicators.yaml"
    case.path.rename(target)
    case.path.symlink_to(target)
    dataset = timed_load(case.path)
    assert codes(dataset) == [(None, "file_outside_data")]
    assert problem_file(dataset) == shown_file(case.path)


def test_a_main_file_that_links_inside_is_read(case: Case) -> None:
    versions = case.folder / "versions"
    versions.mkdir()
    case.path.rename(versions / "v1.yaml")
    case.path.symlink_to(Path("versions") / "v1.yaml")
    assert timed_load(case.path).problems == []


# --- A swap after a valid check -----------------------------------------------------------


def _age(folder: Path, seconds: int = 3600) -> None:
    """Date every file back, so that the remembered hashes are trusted."""
    past = time.time() - seconds
    for path in [folder, *folder.rglob("*")]:
        os.utime(path, (past, past), follow_symlinks=False)


def test_an_archive_swapped_for_a_link_out_is_not_served_from_the_cache(
    case: Case, outside: Path
) -> None:
    article = case.folder / "sources" / "article.txt"
    _age(case.folder)
    first = timed_load(case.path)
    assert first.ok
    snapshot.wait_for_writes()
    remembered = timed_load(case.path)  # from the snapshot, every hash remembered
    assert remembered.ok and remembered.key == first.key
    before = data_fingerprint(case.path)
    # The same bytes outside; a hard link even has the same inode, size and time, so
    # that nothing remembered about the file can tell the two apart.
    twin = outside / "article.txt"
    try:
        os.link(article, twin)
    except OSError:
        shutil.copy2(article, twin)
    article.unlink()
    article.symlink_to(twin)

    assert data_fingerprint(case.path) != before  # the dashboard loads again
    swapped = timed_load(case.path)
    assert codes(swapped) == [(case.line("archive: article.txt"), "archive_outside_data")]
    assert swapped.key != first.key
    assert "article.txt" not in swapped.archive_texts
    # A dataset loaded before the swap does not read its article through the link.
    assert remembered.archive_texts.get("article.txt") is None


def test_a_folder_given_as_the_data_file_is_a_problem_not_a_crash(
    monkeypatch: pytest.MonkeyPatch, clear_streamlit: None
) -> None:
    monkeypatch.setenv(DATA_ENV, ".")
    assert [problem.code for problem in load_dataset(Path(".")).problems] == ["file_not_regular"]
    app = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=60)
    app.switch_page("app_pages/overview.py").run()
    assert not app.exception, [e.value for e in app.exception]
