"""Client of `tests/run_pipeline.py --serve`: whole-graph runs that are real processes, forked from one server
that imported Dagster and the definitions once. A run looks to the tests like a subprocess: a pid to kill, poll(),
wait(), and its stderr in a file."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

RUNNER = Path(__file__).resolve().parent / "run_pipeline.py"


@dataclass
class ForkedRun:
    server: PipelineServer
    pid: int
    log: Path

    def poll(self) -> int | None:
        return self.server.returncode(self.pid, timeout=0)

    def wait(self, timeout: float | None = None) -> int:
        code = self.server.returncode(self.pid, timeout=timeout)
        if code is None:
            raise subprocess.TimeoutExpired(f"run {self.pid}", timeout)
        return code

    @property
    def stderr(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


class PipelineServer:
    def __init__(self, env: dict):
        self.process = subprocess.Popen(
            [sys.executable, str(RUNNER), "--serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env
        )
        self.exits: dict[int, int] = {}
        self.started: list[int] = []
        self.pending = b""

    def start(self, folder: Path, env: dict, log: Path) -> ForkedRun:
        """A run on folder/sources into folder/build and folder/exports (local mode), stderr into `log`."""
        args = [str(folder / "sources"), str(folder / "build"), str(folder / "exports")]
        self.process.stdin.write((json.dumps({"args": args, "env": env, "stderr": str(log)}) + "\n").encode())
        self.process.stdin.flush()
        while True:
            message = self._next(timeout=None)
            if "pid" in message:
                self.started.append(message["pid"])
                return ForkedRun(self, message["pid"], log)

    def run(self, folder: Path, env: dict, log: Path) -> subprocess.CompletedProcess:
        """A run to its end: its return code and stderr, as subprocess.run(capture_output=True, text=True) gives."""
        forked = self.start(folder, env, log)
        return subprocess.CompletedProcess(forked.pid, forked.wait(), "", forked.stderr)

    def returncode(self, pid: int, timeout: float | None) -> int | None:
        deadline = None if timeout is None else time.monotonic() + timeout
        while pid not in self.exits:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            if self._next(timeout=left) is None:
                return None
        return self.exits[pid]

    def _next(self, timeout: float | None) -> dict | None:
        """The server's next message (None when none came within `timeout`); ends are recorded on the way."""
        out = self.process.stdout.fileno()
        while b"\n" not in self.pending:
            if not select.select([out], [], [], timeout)[0]:
                return None
            chunk = os.read(out, 65536)
            if not chunk:
                raise RuntimeError(f"the run server ended (code {self.process.wait()})")
            self.pending += chunk
        line, self.pending = self.pending.split(b"\n", 1)
        message = json.loads(line)
        if "exit" in message:
            self.exits[message["exit"]] = message["returncode"]
        return message

    def close(self) -> None:
        """Kill what a failed test left paused at a checkpoint, then let the server end."""
        for pid in self.started:
            if pid not in self.exits:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        self.process.stdin.close()
        self.process.wait(timeout=60)
