"""Fault-injection checkpoints: named points where a test may kill the process.

`checkpoint(name)` does nothing unless OBSERVATORY_FAULT_PAUSE=<name>. Then it writes a
marker file (OBSERVATORY_FAULT_MARKER, or <tmp>/observatory-fault-<name>) holding the pid and
sleeps, so that a test can SIGKILL the run at that exact point and check what survives.

Points, in the order a run meets them: `instantanes` (a snapshot half-copied),
`tables_coeur` (a warehouse table created, not filled), `publication_tables` (tables written
in the staging folder, nothing validated), `avant_renommage` (staging complete, not yet in
place), `apres_renommage` (the version folder in place, catalogue not updated),
`avant_catalogue` (just before exports/index.json and LATEST are rewritten).
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

PAUSE_VARIABLE = "OBSERVATORY_FAULT_PAUSE"
MARKER_VARIABLE = "OBSERVATORY_FAULT_MARKER"
POINTS = ("instantanes", "tables_coeur", "publication_tables", "avant_renommage", "apres_renommage", "avant_catalogue")
PAUSE_SECONDS = 600


def marker_path(name: str) -> Path:
    return Path(os.environ.get(MARKER_VARIABLE) or Path(tempfile.gettempdir()) / f"observatory-fault-{name}")


def checkpoint(name: str) -> None:
    if os.environ.get(PAUSE_VARIABLE) != name:
        return
    marker_path(name).write_text(f"{os.getpid()}\n", encoding="utf-8")
    time.sleep(PAUSE_SECONDS)
