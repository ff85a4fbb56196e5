"""Write a warehouse table as CSV and Parquet, in the column order and types of its schema."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb

from observatory.schemas import duckdb_select, primary_key


def export_table(
    con: duckdb.DuckDBPyConnection,
    table: str,
    schema_name: str,
    directory: Path,
    progress: Callable[[str], None] | None = None,
) -> dict:
    """Returns row count and file names. Rows are sorted by the primary key so that two
    releases of the same data are byte-identical and diff cleanly."""
    order = ", ".join(f'"{name}"' for name in primary_key(schema_name)) or "1"
    csv_path = directory / f"{schema_name}.csv"
    parquet_path = directory / f"{schema_name}.parquet"
    # Cast and sort once into a temporary table, then write both files from it: the two
    # COPYs no longer each redo the casts and the sort (a temporary table keeps its order).
    staged = f"_publication_{schema_name}"
    query = f"SELECT {duckdb_select(schema_name)} FROM {table} ORDER BY {order}"
    con.execute(f"CREATE OR REPLACE TEMP TABLE {staged} AS {query}")
    try:
        con.execute(f"COPY {staged} TO '{csv_path}' (FORMAT csv, HEADER true, DELIMITER ',', DATEFORMAT '%Y-%m-%d')")
        con.execute(f"COPY {staged} TO '{parquet_path}' (FORMAT parquet, COMPRESSION zstd)")
        rows = con.execute(f"SELECT count(*) FROM {staged}").fetchall()[0][0]
    finally:
        con.execute(f"DROP TABLE IF EXISTS {staged}")
    if progress:
        count = f"{rows:,}".replace(",", "\u202f")
        progress(f"publication : {schema_name}, {count} lignes écrites (CSV et Parquet)")
    return {"rows": rows, "csv": csv_path.name, "parquet": parquet_path.name}
