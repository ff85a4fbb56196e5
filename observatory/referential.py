"""Load the vendored official referential (data/referentiel/, COG 2026) into DuckDB.

The Parquet files are rebuilt by scripts/build_referential.py; at run time the pipeline reads only
them, never the shared reference folder. Tables are created from the Table Schemas first, then
filled, so column types come from the contract and not from whatever Parquet happens to hold.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from observatory.paths import REFERENTIAL_DIR
from observatory.schemas import duckdb_columns, field_names
from observatory.table_catalog import REFERENTIAL_BUILD, warehouse_tables

# Parquet file (and Table Schema schemas/referentiel/<name>.json) -> warehouse table, from the catalogue.
TABLES = {
    entry.schema.removeprefix("referentiel/"): entry.name
    for entry in warehouse_tables("core")
    if entry.build == REFERENTIAL_BUILD
}
PROVENANCE_FILE = "provenance.json"


def schema_name(table: str) -> str:
    return f"referentiel/{table}"


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def load_referential(con: duckdb.DuckDBPyConnection, directory: Path = REFERENTIAL_DIR) -> dict[str, int]:
    """Create (or replace) the core_cog__* tables from the Parquet files; return rows per table."""
    directory = Path(directory)
    missing = [name for name in TABLES if not (directory / f"{name}.parquet").exists()]
    if missing:
        raise FileNotFoundError(
            f"Référentiel incomplet dans {directory}: {', '.join(missing)}. "
            "Reconstruire avec scripts/build_referential.py."
        )
    counts = {}
    for name, table in TABLES.items():
        # Select by name, so a reordered Parquet file still lands in the right columns; a missing
        # column fails loudly here rather than turning into NULLs downstream.
        columns = ", ".join(f'"{column}"' for column in field_names(schema_name(name)))
        source = _sql_string(str(directory / f"{name}.parquet"))
        con.execute(f"CREATE OR REPLACE TABLE {table} ({duckdb_columns(schema_name(name))})")
        con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM read_parquet({source})")
        counts[table] = con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
    return counts


def read_provenance(directory: Path = REFERENTIAL_DIR) -> dict:
    """Inputs (sources, licences, checksums) and outputs (files, checksums, rows) of the last rebuild."""
    with (Path(directory) / PROVENANCE_FILE).open(encoding="utf-8") as handle:
        return json.load(handle)
