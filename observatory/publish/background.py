"""Calls run one after the other on a thread of their own while the caller goes on.

Publication's DuckDB work releases the GIL, so independent steps use both cores. Each step
that owns a DuckDB connection keeps it on one thread; its first error is raised to the caller.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Any

_END = None


class SerialWorker:
    def __init__(self, name: str):
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._error: BaseException | None = None
        self._abandoned = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def submit(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """Runs after the calls submitted before; skipped once one of them failed."""
        self._jobs.put((function, args, kwargs))

    def _run(self) -> None:
        while (job := self._jobs.get()) is not _END:
            if self._error is not None or self._abandoned.is_set():
                continue
            function, args, kwargs = job
            try:
                function(*args, **kwargs)
            except BaseException as error:  # noqa: BLE001 - raised in the caller's thread by result()
                self._error = error

    def result(self) -> None:
        """Waits for every submitted call; raises the first error."""
        self._jobs.put(_END)
        self._thread.join()
        if self._error is not None:
            raise self._error

    def abandon(self) -> None:
        """Skips what has not started, waits for what has (before removing what it writes to)."""
        self._abandoned.set()
        self._jobs.put(_END)
        self._thread.join()
