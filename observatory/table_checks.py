"""Contract checks of a warehouse table against its Table Schema, in SQL.

Frictionless validates the exported files at publication; these run earlier, on the
warehouse, so a broken table stops the run before anything downstream is computed.
"""

from __future__ import annotations

import duckdb

from observatory.schemas import field_descriptors, primary_key


def contract_violations(con: duckdb.DuckDBPyConnection, table: str, schema_name: str) -> dict[str, int]:
    """Counts of rows breaking each rule (only rules broken at least once are returned)."""
    problems: dict[str, int] = {}
    key = primary_key(schema_name)
    if key:
        columns = ", ".join(f'"{c}"' for c in key)
        duplicates = con.execute(
            f"SELECT count(*) FROM (SELECT {columns} FROM {table} GROUP BY ALL HAVING count(*) > 1)"
        ).fetchall()[0][0]
        if duplicates:
            problems[f"cle_primaire_dupliquee({','.join(key)})"] = duplicates
    for field in field_descriptors(schema_name):
        name, constraints = field["name"], field.get("constraints", {})
        tests = {}
        if constraints.get("required") or name in key:
            tests["obligatoire"] = f'"{name}" IS NULL'
        if "enum" in constraints:
            values = ", ".join("'" + v.replace("'", "''") + "'" for v in constraints["enum"])
            tests["vocabulaire"] = f'"{name}" IS NOT NULL AND CAST("{name}" AS VARCHAR) NOT IN ({values})'
        if "pattern" in constraints:
            pattern = constraints["pattern"].replace("'", "''")
            tests["motif"] = f'"{name}" IS NOT NULL AND NOT regexp_full_match("{name}", \'{pattern}\')'
        if "minimum" in constraints:
            tests["minimum"] = f'"{name}" < {constraints["minimum"]}'
        if "maximum" in constraints:
            tests["maximum"] = f'"{name}" > {constraints["maximum"]}'
        for rule, condition in tests.items():
            count = con.execute(f"SELECT count(*) FROM {table} WHERE {condition}").fetchall()[0][0]
            if count:
                problems[f"{rule}({name})"] = count
    return problems
