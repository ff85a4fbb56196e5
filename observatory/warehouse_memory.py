"""The warehouse's memory budget: past it, DuckDB spills to disk instead of growing the process.

At 10× France scale the run's peak resident memory must stay under 1 GiB (docs/performance.md):
the Python process itself takes about 300 MiB, publication's validation its own 512 MB DuckDB
(observatory/publish/validation.py), so the warehouse gets what is left. The setting belongs to
the database, not the connection: setting it on any connection of a run sets it for all.
"""

from __future__ import annotations

import duckdb

MEMORY_LIMIT = "400MB"


def limit_memory(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
