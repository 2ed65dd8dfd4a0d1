"""The workbench's heavy work, drafting an article and checking a draft, in a worker
process of its own.

Drafting and checking are pure Python. Run in the server's process they would hold its
interpreter (one thread at a time runs Python there) for seconds per article, and every
reader's page run would wait for its turns: beside six curators drafting 150 KB
articles, another reader's Overview took four to fifteen times as long
(bench/WORKBENCH_LOAD.md). Here one worker process does that work, one job at a time
in the order asked, while the server's threads only wait for its answers: the server
keeps a core for its readers. Curators queue for the worker; a reader of any other page
never does.

The worker is a plain Python process (``main``) that reads jobs on its standard
input and writes answers on its standard output (pickled), started with the first job
and ended after ``IDLE_SECONDS`` without one, which gives all its memory back to the
system (the next job starts it again, in about a second). It holds the data drafts are
made against, sent to it once per dataset (by its content key). A worker that dies
(its memory exhausted, killed) is replaced, and the job tried once more.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import queue
import subprocess
import sys
import threading
from concurrent.futures import Future
from dataclasses import fields
from pathlib import Path
from typing import IO, Any

import pandas as pd

from dashboard import memory
from metrics.model.dataset import Dataset
from metrics.tools.draft import Draft, draft_article
from metrics.tools.draft_yaml import render_draft
from present.pages.curate import Checked, check, zip_bytes

# Seconds without a job after which the worker ends (and its memory is given back).
IDLE_SECONDS = 60.0


class WorkerDied(RuntimeError):
    """The worker ended while it did a job, twice (the job itself may end it)."""


class _NeedData(Exception):
    """The worker does not hold the data a draft is asked against (it is sent then)."""


# --- in the worker ---------------------------------------------------------------

# The data drafts are made against, by content key: the last one sent.
_HELD: dict[str, Dataset] = {}


def _draft_job(
    key: str, dataset: Dataset | None, text: str, source_id: str | None, region_id: str | None
) -> tuple[Draft, int]:
    if dataset is not None:
        _HELD.clear()
        _HELD[key] = dataset
    held = _HELD.get(key)
    if held is None:
        raise _NeedData(key)
    draft = draft_article(text, held, source_id=source_id, region_id=region_id)
    return draft, draft_bytes(draft)


def draft_bytes(draft: Draft) -> int:
    """About how many bytes a draft takes in memory: its text and its tables, every
    value counted (measured here, in the worker, not in the server)."""
    values = [getattr(draft, field.name) for field in fields(draft)]
    frames = [value for value in values if isinstance(value, pd.DataFrame)]
    return sys.getsizeof(draft.text) + sum(
        int(frame.memory_usage(deep=True).sum()) for frame in frames
    )


def _check_job(data_path: Path, draft: Draft) -> Checked:
    return check(data_path, draft)


def _zip_job(draft: Draft) -> bytes:
    return zip_bytes(draft, render_draft(draft))


_JOBS = {"draft": _draft_job, "check": _check_job, "zip": _zip_job}


def serve(jobs: IO[bytes], answers: IO[bytes]) -> None:
    """The worker: each job a pickled ``(name, args)``, each answer ``(True, result)``
    or ``(False, exception)``, until its input ends (the server has gone)."""
    while True:
        try:
            name, args = pickle.loads(_receive(jobs))
        except EOFError:
            return
        try:
            answer: tuple[bool, Any] = (True, _JOBS[name](*args))
        except Exception as error:  # the job's failure is the caller's to handle
            answer = (False, _sendable(error))
        try:
            data = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as error:  # an answer that cannot be sent is a failure
            data = pickle.dumps((False, RuntimeError(f"{name}: {error!r}")))
        del answer, args
        _send(answers, data)
        del data
        memory.give_back()  # else the worker would stay as large as its largest job


def _sendable(error: Exception) -> Exception:
    """The exception, if the server can read it back; else one that says what it was."""
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:
        return RuntimeError(f"{type(error).__name__}: {error}")
    return error


def _send(stream: IO[bytes], data: bytes) -> None:
    """One message: its length (8 bytes), then its bytes."""
    stream.write(len(data).to_bytes(8, "big"))
    stream.write(data)
    stream.flush()


def _receive(stream: IO[bytes]) -> bytes:
    size = int.from_bytes(_read(stream, 8), "big")
    return _read(stream, size)


def _read(stream: IO[bytes], size: int) -> bytes:
    data = stream.read(size)
    if data is None or len(data) < size:
        raise EOFError("the other end has gone")
    return data


# --- in the server ---------------------------------------------------------------


class _Process:
    """One worker process and its two pipes."""

    def __init__(self) -> None:
        # Its imports are found where this process finds them.
        paths = [path for path in sys.path if path]
        env = {**os.environ, **memory.ENVIRONMENT, "PYTHONPATH": os.pathsep.join(paths)}
        self.popen = subprocess.Popen(
            [sys.executable, "-c", "from dashboard.drafting import main; main()"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )

    def call(self, name: str, args: tuple[Any, ...]) -> tuple[bool, Any]:
        stdin, stdout = self.popen.stdin, self.popen.stdout
        assert stdin is not None and stdout is not None
        _send(stdin, pickle.dumps((name, args), protocol=pickle.HIGHEST_PROTOCOL))
        return pickle.loads(_receive(stdout))

    def end(self) -> None:
        with contextlib.suppress(OSError):
            if self.popen.stdin is not None:
                self.popen.stdin.close()  # the worker's input ends: it returns
        try:
            self.popen.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait(timeout=10)


class Worker:
    """The worker as the server sees it: jobs in a queue, done in order by one thread
    that starts the process when a job comes and ends it when none has come for
    ``IDLE_SECONDS``."""

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue[tuple[str, tuple[Any, ...], Future[Any]] | None] = (
            queue.SimpleQueue()
        )
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._process: _Process | None = None

    def run(self, name: str, *args: Any) -> Any:
        """The job's result, or its exception raised here."""
        future: Future[Any] = Future()
        self._jobs.put((name, args, future))
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._dispatch, name="workbench-worker", daemon=True
                )
                self._thread.start()
        return future.result()

    def running(self) -> bool:
        """Whether a worker process is up."""
        with self._lock:
            return self._process is not None

    def pid(self) -> int | None:
        with self._lock:
            return self._process.popen.pid if self._process else None

    def _dispatch(self) -> None:
        while True:
            try:
                job = self._jobs.get(timeout=IDLE_SECONDS)
            except queue.Empty:
                self._end()
                continue
            if job is None:  # ``end``: the process ends now
                self._end()
                continue
            name, args, future = job
            if future.set_running_or_notify_cancel():
                self._do(name, args, future)
            # Not kept while waiting for the next job: they hold a draft and its check.
            del job, args, future

    def _do(self, name: str, args: tuple[Any, ...], future: Future[Any]) -> None:
        try:
            ok, value = self._call(name, args)
        except Exception as error:  # the caller gets it; this thread goes on
            future.set_exception(error)
            return
        if ok:
            future.set_result(value)
        else:
            future.set_exception(value)

    def _call(self, name: str, args: tuple[Any, ...]) -> tuple[bool, Any]:
        """The worker's answer; a worker that died (its memory exhausted, killed) is
        replaced and asked once more."""
        try:
            return self._started().call(name, args)
        except (EOFError, OSError):
            self._end(kill=True)
        try:
            return self._started().call(name, args)
        except (EOFError, OSError) as error:
            self._end(kill=True)
            raise WorkerDied(f"the worker ended twice during {name}") from error

    def _started(self) -> _Process:
        with self._lock:
            if self._process is None:
                self._process = _Process()
            return self._process

    def _end(self, kill: bool = False) -> None:
        with self._lock:
            process, self._process = self._process, None
        if process is None:
            return
        if kill:
            process.popen.kill()
        process.end()

    def end(self) -> None:
        """End the worker process once the jobs asked before are done (it starts
        again with the next job)."""
        self._jobs.put(None)


WORKER = Worker()


def draft_in_worker(
    text: str, dataset: Dataset, source_id: str | None, region_id: str | None
) -> tuple[Draft, int]:
    """``draft_article`` in the worker, against ``dataset`` (sent once per data): the
    draft and its size (``draft_bytes``)."""
    try:
        return WORKER.run("draft", dataset.key, None, text, source_id, region_id)
    except _NeedData:
        return WORKER.run("draft", dataset.key, dataset, text, source_id, region_id)


def check_in_worker(data_path: Path, draft: Draft) -> Checked:
    """``present.pages.curate.check`` (the draft written and checked with the data at
    ``data_path``) in the worker."""
    return WORKER.run("check", data_path, draft)


def zip_in_worker(draft: Draft) -> bytes:
    """The draft's zip (``present.pages.curate.zip_bytes``), written in the worker."""
    return WORKER.run("zip", draft)


def main() -> None:
    """The worker process: jobs on standard input, answers on the standard output it
    was given, which nothing else may write to (a print goes to standard error)."""
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    serve(sys.stdin.buffer, answers)
