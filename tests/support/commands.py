"""``metrics`` commands run as a curator runs them, each in a process of its own, without
paying Python's imports on every run.

A command started with ``python -m`` spends about 1.5 s importing pandas, pydantic and
the rest before it reads a byte, and the suite runs a few dozen commands. Here one
server process per test process imports them once; each command is then a ``fork`` of
it: a new process with the real entry point, its own working folder, environment and
standard streams, that can crash or hang without harming anything else (a YAML nesting
that overflows libyaml's C stack kills only the child). What the tests assert is what
a subprocess gives: the exit code and the text of standard output and standard error,
a traceback included if the command let one through.
"""

from __future__ import annotations

import atexit
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# The server: imports once, then forks one child per request (a JSON line on stdin)
# and answers with the child's exit code (a JSON line on stdout).
_SERVER = r"""
import importlib, io, json, os, signal, sys, time, traceback

ENTRIES = ("metrics.tools.cli", "reports.cli")
for name in ENTRIES:
    importlib.import_module(name)
# What the commands load on their first call: imported here so that no child pays.
import pandas, pyarrow.parquet, yaml, pydantic  # noqa: E401
import metrics.pipeline.load, metrics.tools.export, metrics.tools.draft_yaml  # noqa: E401
import metrics.tools.cite, metrics.tools.extract, metrics.tools.synth  # noqa: E401
print("ready", flush=True)


def child(request):
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    for fd, path in ((1, request["stdout"]), (2, request["stderr"])):
        os.dup2(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), fd)
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    sys.stdin = open(0, encoding="utf-8", closefd=False)
    sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding="utf-8")
    sys.stderr = io.TextIOWrapper(
        io.FileIO(2, "w", closefd=False), encoding="utf-8", errors="backslashreplace"
    )
    sys.argv = [request["entry"], *request["args"]]
    code = 1
    try:
        code = importlib.import_module(request["entry"]).main(request["args"])
    except SystemExit as stop:  # what the interpreter does with sys.exit
        if isinstance(stop.code, int) or stop.code is None:
            code = stop.code or 0
        else:
            print(stop.code, file=sys.stderr)
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


for line in sys.stdin:
    request = json.loads(line)
    pid = os.fork()
    if pid == 0:
        child(request)
    deadline = time.monotonic() + request["timeout"]
    while (done := os.waitpid(pid, os.WNOHANG))[0] == 0 and time.monotonic() < deadline:
        time.sleep(0.002)
    if done[0] == 0:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        answer = {"returncode": None}
    else:
        answer = {"returncode": os.waitstatus_to_exitcode(done[1])}
    print(json.dumps(answer), flush=True)
"""


class CommandServer:
    """The server process of this test process: started on the first command."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[str] | None = None
        self.folder = Path(tempfile.mkdtemp(prefix="metrics-commands-"))
        atexit.register(self.stop)

    def _start(self) -> subprocess.Popen[str]:
        process = subprocess.Popen(
            [sys.executable, "-c", _SERVER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        )
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "ready", "the command server did not start"
        return process

    def run(
        self, entry: str, args: list[str], cwd: Path, env: dict[str, str], timeout: float
    ) -> subprocess.CompletedProcess[str]:
        """``entry``'s ``main(args)`` in a forked process; TimeoutExpired past ``timeout``."""
        if self.process is None or self.process.poll() is not None:
            self.process = self._start()
        assert self.process.stdin is not None and self.process.stdout is not None
        out, err = self.folder / "stdout", self.folder / "stderr"
        request = {
            "entry": entry, "args": args, "cwd": str(cwd), "env": env, "timeout": timeout,
            "stdout": str(out), "stderr": str(err),
        }  # fmt: skip
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        ready, _, _ = select.select([self.process.stdout], [], [], timeout + 10)
        answer = json.loads(self.process.stdout.readline() or "{}") if ready else {}
        command = [entry, *args]
        if answer.get("returncode") is None:
            raise subprocess.TimeoutExpired(command, timeout)
        text = {path: path.read_text(encoding="utf-8", errors="replace") for path in (out, err)}
        return subprocess.CompletedProcess(command, answer["returncode"], text[out], text[err])

    def stop(self) -> None:
        """End the server and remove the folder of the commands' output."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None
        shutil.rmtree(self.folder, ignore_errors=True)


_SERVER_OF_THIS_PROCESS = CommandServer()


def run_command(
    *args: str,
    entry: str = "metrics.tools.cli",
    cwd: Path,
    env: dict[str, str] | None = None,
    timeout: float = 60,
) -> subprocess.CompletedProcess[str]:
    """``python -m ENTRY ARGS`` as a subprocess would run it, from ``cwd``, with ``env``
    (default: this process's environment) and UTF-8 output."""
    environment = {**(os.environ if env is None else env), "PYTHONIOENCODING": "utf-8"}
    return _SERVER_OF_THIS_PROCESS.run(entry, list(args), cwd, environment, timeout)
