"""Write a small table once rather than twice.

With several threads, DuckDB writes a CREATE TABLE AS / INSERT in batches, one per thread (or
per ordered batch), and when the whole result is under one row group (122,880 rows, a
France-scale run has 40,000) it then copies every batch again into the table. With one thread it
appends each row once: for the output table that was about a sixth of the statement's
instructions, for rc_rows and rc_evidence a seventh to a fifth, more than the second thread gains
on their joins (a table under a row group is scanned by one thread anyway). Above one row group
the batches become the table's row groups without a copy, so the threads are kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

ROW_GROUP_ROWS = 122_880


@contextmanager
def written_once(con: duckdb.DuckDBPyConnection, rows: int) -> Iterator[None]:
    """Run the statements of the block on one thread when they write fewer than a row group of rows.

    `threads` is a setting of the whole database: it is restored when the block ends, even on error.
    """
    if rows >= ROW_GROUP_ROWS:
        yield
        return
    threads = con.execute("SELECT current_setting('threads')").fetchall()[0][0]
    con.execute("SET threads = 1")
    try:
        yield
    finally:
        con.execute(f"SET threads = {int(threads)}")
