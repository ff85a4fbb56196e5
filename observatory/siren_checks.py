"""No published SIREN fails its check digit without saying so.

Every published column whose name starts with `siren` asserts an identity, except a SIREN
kept as declared (`siren_adherent`): that one may be wrong, but only on a row whose
`anomalies` say `siren_invalide`. A violation blocks publication (assets/checks.py).
"""

from __future__ import annotations

import duckdb

from observatory.schemas import field_descriptors
from observatory.siren_sql import install_macros

# Declared values published as declared, with the anomaly that flags them.
AS_DECLARED = {"siren_adherent": "siren_invalide"}
# Tables that list rejected input verbatim: a SIREN there is explained by its row when the row's
# `champ` names that very field (declarations_exclues: « ligne 3, champ siren_opsn : … »).
EXPLAINED_BY_FIELD = {"declarations_exclues"}


def siren_columns(schema_name: str) -> list[str]:
    return [f["name"] for f in field_descriptors(schema_name) if f["name"].startswith("siren")]


def invalid_sirens(con: duckdb.DuckDBPyConnection, table: str, schema_name: str) -> dict[str, int]:
    """Per column: rows whose SIREN fails Luhn (or is not 9 digits) without the anomaly saying so."""
    install_macros(con)
    conditions = {}
    for column in siren_columns(schema_name):
        # List-valued fields hold several SIRENs separated by "|": each must pass.
        values = f"string_split(CAST(\"{column}\" AS VARCHAR), '|')"
        condition = f'"{column}" IS NOT NULL AND len(list_filter({values}, lambda s: NOT siren_valide(s))) > 0'
        if schema_name in EXPLAINED_BY_FIELD:
            condition += f" AND coalesce(champ, '') NOT IN ('{column}', 'siren')"
        if column in AS_DECLARED:
            condition += f" AND NOT list_contains(string_split(coalesce(anomalies, ''), '|'), '{AS_DECLARED[column]}')"
        conditions[column] = condition
    if not conditions:
        return {}
    counts = ", ".join(f"count(*) FILTER (WHERE {condition})" for condition in conditions.values())
    found = con.execute(f"SELECT {counts} FROM {table}").fetchall()[0]
    return {column: count for column, count in zip(conditions, found, strict=True) if count}
