"""Primary and foreign keys of the staged files, checked by DuckDB before a release is visible.

frictionless checks them too (in the tests); this check is the one every run pays for, so it
reads the Parquet twins with set operations instead of row by row.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from observatory.schemas import primary_key, read_descriptor


def _file(directory: Path, table: str) -> str:
    return "read_parquet('" + str(directory / f"{table}.parquet").replace("'", "''") + "')"


def _ident(names: list[str]) -> str:
    return ", ".join('"' + n + '"' for n in names)


def key_violations(con: duckdb.DuckDBPyConnection, directory: Path, tables: list[str]) -> list[str]:
    """One message per broken key, naming the file, the field and an offending value."""
    problems = []
    for table in tables:
        key = primary_key(table)
        source = _file(directory, table)
        if key:
            nulls = " OR ".join(f'"{k}" IS NULL' for k in key)
            duplicate = con.execute(
                f"SELECT {_ident(key)}, count(*) FROM {source} GROUP BY ALL HAVING count(*) > 1 LIMIT 1"
            ).fetchone()
            if duplicate:
                problems.append(f"{table}.csv : clé primaire ({', '.join(key)}) en double : {duplicate[:-1]}")
            if con.execute(f"SELECT count(*) FROM {source} WHERE {nulls}").fetchone()[0]:
                problems.append(f"{table}.csv : clé primaire ({', '.join(key)}) vide")
        for foreign in read_descriptor(table).get("foreignKeys", []):
            fields = foreign["fields"] if isinstance(foreign["fields"], list) else [foreign["fields"]]
            reference = foreign["reference"]
            target = reference["resource"] or table
            target_fields = reference["fields"] if isinstance(reference["fields"], list) else [reference["fields"]]
            if target not in tables:
                continue
            joined = " AND ".join(f'l."{a}" = r."{b}"' for a, b in zip(fields, target_fields, strict=True))
            present = " AND ".join(f'l."{a}" IS NOT NULL' for a in fields)
            orphan = con.execute(
                f"SELECT {', '.join('l.' + chr(34) + a + chr(34) for a in fields)} FROM {source} l "
                f"ANTI JOIN {_file(directory, target)} r ON {joined} WHERE {present} LIMIT 1"
            ).fetchone()
            if orphan:
                where = f"{target}.{', '.join(target_fields)}"
                problems.append(f"{table}.csv : champ « {', '.join(fields)} » = {orphan} absent de {where}")
    return problems
