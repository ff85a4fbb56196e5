"""The researchers' DuckDB file: the published tables, typed, in a file nobody else writes.

It is built beside the CSV/Parquet in the release's staging folder and moves with it, so a
researcher holding a release open never blocks a refresh (the next release is a new file).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from observatory.schemas import load_descriptor

FILE_NAME = "observatoire.duckdb"


def build_researcher_db(directory: Path, tables: list[str]) -> Path:
    path = directory / FILE_NAME
    with duckdb.connect(str(path)) as con:
        # One transaction: each COMMENT would otherwise be a commit of its own (hundreds of them).
        con.execute("BEGIN TRANSACTION")
        for table in tables:
            con.execute(f"CREATE TABLE {table} AS SELECT * FROM read_parquet('{directory / (table + '.parquet')}')")
            comment = load_descriptor(table)["title"].replace("'", "''")
            con.execute(f"COMMENT ON TABLE {table} IS '{comment}'")
            for field in load_descriptor(table)["fields"]:
                text = field.get("description", "").replace("'", "''")
                con.execute(f"COMMENT ON COLUMN {table}.\"{field['name']}\" IS '{text}'")
        con.execute("COMMIT")
        con.execute("CHECKPOINT")
    return path
