"""Write a warehouse table as CSV and Parquet, in the column order and types of its schema."""

from __future__ import annotations

from pathlib import Path

import duckdb

from observatory.publish.sanitize import duckdb_text_expression
from observatory.schemas import duckdb_select, field_descriptors, primary_key


def _csv_safe_select(schema_name: str, query: str) -> str:
    """Text columns as spreadsheets may open them (publish/sanitize.py); numbers untouched."""
    columns = ", ".join(
        f'{duckdb_text_expression(chr(34) + f["name"] + chr(34))} AS "{f["name"]}"'
        if f.get("type", "string") == "string"
        else f'"{f["name"]}"'
        for f in field_descriptors(schema_name)
    )
    return f"SELECT {columns} FROM ({query})"


def export_table(con: duckdb.DuckDBPyConnection, table: str, schema_name: str, directory: Path) -> dict:
    """Returns row count and file names. Rows are sorted by the primary key so that two
    releases of the same data are byte-identical and diff cleanly."""
    order = ", ".join(f'"{name}"' for name in primary_key(schema_name)) or "1"
    query = f"SELECT {duckdb_select(schema_name)} FROM {table} ORDER BY {order}"
    csv_path = directory / f"{schema_name}.csv"
    parquet_path = directory / f"{schema_name}.parquet"
    csv_query = _csv_safe_select(schema_name, query)
    con.execute(f"COPY ({csv_query}) TO '{csv_path}' (FORMAT csv, HEADER true, DELIMITER ',', DATEFORMAT '%Y-%m-%d')")
    con.execute(f"COPY ({query}) TO '{parquet_path}' (FORMAT parquet, COMPRESSION zstd)")
    rows = con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
    return {"rows": rows, "csv": csv_path.name, "parquet": parquet_path.name}
