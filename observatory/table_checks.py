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
    tests: dict[str, str] = {}
    for field in field_descriptors(schema_name):
        name, constraints = field["name"], field.get("constraints", {})
        if constraints.get("required") or name in key:
            tests[f"obligatoire({name})"] = f'"{name}" IS NULL'
        if "enum" in constraints:
            values = ", ".join("'" + v.replace("'", "''") + "'" for v in constraints["enum"])
            tests[f"vocabulaire({name})"] = f'"{name}" IS NOT NULL AND CAST("{name}" AS VARCHAR) NOT IN ({values})'
        if "pattern" in constraints:
            pattern = constraints["pattern"].replace("'", "''")
            tests[f"motif({name})"] = f'"{name}" IS NOT NULL AND NOT regexp_full_match("{name}", \'{pattern}\')'
        if "minimum" in constraints:
            tests[f"minimum({name})"] = f'"{name}" < {constraints["minimum"]}'
        if "maximum" in constraints:
            tests[f"maximum({name})"] = f'"{name}" > {constraints["maximum"]}'
    if tests:
        # Every rule counted in one scan of the table (one query per rule cost a scan each).
        counts = ", ".join(f"count(*) FILTER (WHERE {condition})" for condition in tests.values())
        found = con.execute(f"SELECT {counts} FROM {table}").fetchall()[0]
        problems.update({rule: count for rule, count in zip(tests, found, strict=True) if count})
    return problems
