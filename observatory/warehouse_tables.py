"""Write a typed pandas frame (or a query) as a warehouse table: the one writer every loader shares.

It lives apart from the loaders (declarations, CNIL, ANCT, live exclusions, the CLI and the
release verifier) so that none of them borrows it from another.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from observatory.faults import checkpoint


def write_table(con: duckdb.DuckDBPyConnection, table: str, columns_sql: str, frame: pd.DataFrame) -> int:
    """Create `table` with declared types, then insert: DuckDB never infers a type here.

    An empty text value becomes NULL, so that SQL downstream has one notion of "missing".
    """
    con.execute(f"CREATE OR REPLACE TABLE {table} ({columns_sql})")
    checkpoint("tables_coeur")
    parts = [part.split('"') for part in columns_sql.split(", ")]
    select = ", ".join(
        f"NULLIF(TRIM(\"{name}\"), '')" if kind.strip() == "VARCHAR" else f'"{name}"' for _, name, kind in parts
    )
    con.register("_incoming", frame[[name for _, name, _ in parts]])
    try:
        con.execute(f"INSERT INTO {table} SELECT {select} FROM _incoming")
    finally:
        con.unregister("_incoming")
    return len(frame)


def write_query(con: duckdb.DuckDBPyConnection, table: str, columns_sql: str, query: str) -> int:
    """As `write_table`, from a query whose columns are in `columns_sql`'s order, empty text already NULL."""
    con.execute(f"CREATE OR REPLACE TABLE {table} ({columns_sql})")
    checkpoint("tables_coeur")
    con.execute(f"INSERT INTO {table} {query}")
    return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
