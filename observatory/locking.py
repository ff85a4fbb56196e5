"""One refresh at a time: an advisory lock file (fcntl) around the warehouse writer and publication.

Two refreshes started together would interleave their writes to the warehouse and could
publish a release mixing two states. The lock is taken for a whole run (the warehouse
resource) and again around the publication of a release (exports/.verrou), so two pipelines
with different build folders publishing into the same exports folder are serialised too.
The second comes second: it fails at once with a message saying who holds the lock, or waits
up to `wait_seconds`. Readers never take it: a researcher with a release's DuckDB file open
blocks nothing, since a refresh writes a new folder and never opens a published one.
The kernel releases the lock when its holder dies, even by SIGKILL: no stale lock to clean.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

WAIT_VARIABLE = "OBSERVATORY_ATTENTE_VERROU"


class Busy(RuntimeError):
    """Another refresh holds the lock."""


class Lock:
    def __init__(self, path: Path, handle):
        self.path = path
        self._handle = handle

    def release(self) -> None:
        if self._handle is not None:
            fcntl.flock(self._handle, fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None


def default_wait() -> float:
    return float(os.environ.get(WAIT_VARIABLE, "0") or 0)


def acquire(path: Path, *, purpose: str, wait_seconds: float | None = None) -> Lock:
    """Take the lock or raise Busy naming its holder; `wait_seconds` (default: env, else 0)."""
    wait = default_wait() if wait_seconds is None else wait_seconds
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a+", encoding="utf-8")
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() >= deadline:
                handle.seek(0)
                holder = handle.read().strip() or "un autre processus"
                handle.close()
                raise Busy(
                    f"une autre actualisation est en cours ({holder}) : {purpose} impossible pour l'instant, "
                    f"rien n'a été modifié. Relancez quand elle sera finie (verrou {path})."
                ) from None
            time.sleep(0.2)
    handle.seek(0)
    handle.truncate()
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    handle.write(f"pid {os.getpid()}, commencée le {started}")
    handle.flush()
    return Lock(path, handle)


@contextmanager
def exclusive(path: Path, *, purpose: str, wait_seconds: float | None = None) -> Iterator[Lock]:
    lock = acquire(path, purpose=purpose, wait_seconds=wait_seconds)
    try:
        yield lock
    finally:
        lock.release()
