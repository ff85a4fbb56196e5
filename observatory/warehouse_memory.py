"""The warehouse's memory budget: past it, DuckDB spills to disk instead of growing the process.

At 10× France scale the run's peak resident memory must stay under 1 GiB (docs/performance.md):
the Python process itself takes about 300 MiB, publication's validation its own 512 MB DuckDB
(observatory/publish/validation.py), so the warehouse gets what is left. The setting belongs to
the database, not the connection: setting it on any connection of a run sets it for all.

Also the thread count of the databases publication opens for itself (validation, researchers'
file): DuckDB starts a worker per core, and on files of a few megabytes waking them costs more
CPU than they save; only larger work gets them (benchmarks/publish_step.py measures both).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import duckdb

MEMORY_LIMIT = "400MB"
# Below this many bytes of files to read, one thread does the work.
SMALL_WORK_BYTES = 32 * 1024 * 1024


def limit_memory(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")


def threads_for_files(con: duckdb.DuckDBPyConnection, files: Iterable[Path]) -> None:
    """One thread for small work, DuckDB's default (a thread per core) otherwise."""
    size = sum(path.stat().st_size for path in files if path.is_file())
    con.execute("SET threads = 1" if size < SMALL_WORK_BYTES else "RESET threads")
