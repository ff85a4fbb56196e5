"""A call run on a thread of its own while the caller goes on; its error is raised to the caller.

Publication's DuckDB work releases the GIL, so two independent steps run on two cores.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


class InBackground:
    def __init__(self, function: Callable[..., Any], *args: Any, **kwargs: Any):
        self._value: Any = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(function, args, kwargs), daemon=True)
        self._thread.start()

    def _run(self, function: Callable[..., Any], args: tuple, kwargs: dict) -> None:
        try:
            self._value = function(*args, **kwargs)
        except BaseException as error:  # noqa: BLE001 - raised in the caller's thread by result()
            self._error = error

    def wait(self) -> None:
        """Until the call is over, whatever its outcome (before removing what it writes to)."""
        self._thread.join()

    def result(self) -> Any:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value
