"""written_once: one thread for a table under a row group, the database's setting given back."""

from __future__ import annotations

import duckdb
import pytest

from observatory.reconcile.table_writes import ROW_GROUP_ROWS, written_once


def _threads(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("SELECT current_setting('threads')").fetchall()[0][0]


def test_a_small_write_runs_on_one_thread_and_gives_the_setting_back():
    con = duckdb.connect()
    con.execute("SET threads = 3")
    with written_once(con, 40_000):
        assert _threads(con) == 1
        con.execute("CREATE TABLE t AS SELECT range AS i FROM range(40000) ORDER BY i DESC")
    assert _threads(con) == 3
    assert con.execute("SELECT list(i) = list(i ORDER BY i DESC) FROM t").fetchall()[0][0]


def test_the_setting_comes_back_after_an_error():
    con = duckdb.connect()
    con.execute("SET threads = 2")
    with pytest.raises(duckdb.CatalogException), written_once(con, 10):
        con.execute("SELECT * FROM no_such_table")
    assert _threads(con) == 2


def test_a_write_of_a_row_group_or_more_keeps_the_threads():
    con = duckdb.connect()
    con.execute("SET threads = 2")
    with written_once(con, ROW_GROUP_ROWS):
        assert _threads(con) == 2
