"""Write a warehouse table as CSV and Parquet, in the column order and types of its schema."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb

from observatory.publish.sanitize import duckdb_formula_safe, duckdb_text_expression, first_control_character
from observatory.schemas import duckdb_select, primary_key, read_descriptor


def number_text(column: str) -> str:
    """A whole number written as an integer (`7`, not `7.0`), others in DuckDB's shortest form."""
    return (
        f"CASE WHEN {column} = trunc({column}) AND abs({column}) < 1e15 "
        f"THEN CAST(CAST({column} AS BIGINT) AS VARCHAR) ELSE CAST({column} AS VARCHAR) END"
    )


def csv_value(field: dict, column_sql: str, *, controls: bool = True) -> str:
    """A column as the CSV publishes it: whole numbers as integers; text as spreadsheets may open it
    (publish/sanitize.py), while the Parquet twin keeps the value itself. `controls=False` when
    the text is known to hold no control character."""
    kind = field.get("type", "string")
    if kind == "number":
        return number_text(column_sql)
    if kind == "string":
        return duckdb_text_expression(column_sql) if controls else duckdb_formula_safe(column_sql)
    return column_sql


def _csv_select(schema_name: str, *, controls: bool) -> str:
    return ", ".join(
        f'{csv_value(field, chr(34) + field["name"] + chr(34), controls=controls)} AS "{field["name"]}"'
        for field in read_descriptor(schema_name)["fields"]
    )


def _kv(metadata: dict[str, str]) -> str:
    pairs = ", ".join(f"{key}: '{str(value).replace(chr(39), chr(39) * 2)}'" for key, value in sorted(metadata.items()))
    return f", KV_METADATA {{{pairs}}}" if pairs else ""


def export_table(
    con: duckdb.DuckDBPyConnection,
    table: str,
    schema_name: str,
    directory: Path,
    *,
    parquet_metadata: dict[str, str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict:
    """Returns row count and file names. Rows are sorted by the primary key (every column when
    there is none) so that two releases of the same data are byte-identical and diff cleanly."""
    names = [f'"{f["name"]}"' for f in read_descriptor(schema_name)["fields"]]
    order = ", ".join(f'"{name}"' for name in primary_key(schema_name)) or ", ".join(names)
    csv_path = directory / f"{schema_name}.csv"
    parquet_path = directory / f"{schema_name}.parquet"
    # Cast and sort once into a temporary table, then write both files from it: the two
    # COPYs no longer each redo the casts and the sort (a temporary table keeps its order).
    staged = f"_publication_{schema_name}"
    query = f"SELECT {duckdb_select(schema_name)} FROM {table} ORDER BY {order}"
    con.execute(f"CREATE OR REPLACE TEMP TABLE {staged} AS {query}")
    try:
        # Control characters are almost never in the data: the text is written with the formula rule
        # alone, and rewritten with the whole rule only if the file (bytes, C speed) holds one.
        for controls in (False, True):
            con.execute(
                f"COPY (SELECT {_csv_select(schema_name, controls=controls)} FROM {staged}) TO '{csv_path}' "
                "(FORMAT csv, HEADER true, DELIMITER ',', DATEFORMAT '%Y-%m-%d')"
            )
            if controls or first_control_character(csv_path) is None:
                break
        con.execute(
            f"COPY {staged} TO '{parquet_path}' (FORMAT parquet, COMPRESSION zstd{_kv(parquet_metadata or {})})"
        )
        rows = con.execute(f"SELECT count(*) FROM {staged}").fetchall()[0][0]
    finally:
        con.execute(f"DROP TABLE IF EXISTS {staged}")
    if progress:
        count = f"{rows:,}".replace(",", "\u202f")
        progress(f"publication : {schema_name}, {count} lignes écrites (CSV et Parquet)")
    return {"rows": rows, "csv": csv_path.name, "parquet": parquet_path.name}
