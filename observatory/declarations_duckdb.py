"""The members' declaration loaded by DuckDB when it is clean: same table as `load_members`, no pandas.

The Python loader (`declarations.read_adherents_csv`) stays the reference: every repair and
check it makes is applied here to the column's DISTINCT values by its own functions (a few
hundred OPSN SIREN, a few thousand dates, the names), and the result joined back in SQL. As
soon as a row would be an error, this returns None and the Python loader names it.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from observatory.declarations import (
    MEMBERS_TABLE,
    PERSONAL_DATA_REMOVED,
    _repair_date,
    siren_valid,
)
from observatory.publish.sanitize import personal_data, without_personal_data
from observatory.schemas import field_descriptors, field_names
from observatory.sources.csv_duckdb import drop_strings, load_csv_strings, quoted
from observatory.sources.csvfile import LINE_NUMBER
from observatory.sources.field_types import _constraint_failures
from observatory.warehouse_tables import write_query

SCHEMA = "declaration/adherents"
_STRINGS = "_adherents_texte"


def _values(con: duckdb.DuckDBPyConnection, column: str) -> list[str]:
    return [row[0] for row in con.execute(f"SELECT DISTINCT {quoted(column)} FROM {_STRINGS}").fetchall()]


def _opsn_sirens_clean(con: duckdb.DuckDBPyConnection, known_opsn: set[str] | None) -> bool:
    """No row the Python loader would refuse for its OPSN (format, declared, check digit)."""
    sirens = _values(con, "siren_opsn")
    field = next(f for f in field_descriptors(SCHEMA) if f["name"] == "siren_opsn")
    if (_constraint_failures(field, pd.Series(sirens, dtype=object)) != "").any():
        return False
    return all((known_opsn is None or s in known_opsn) and siren_valid(s) for s in sirens)


def _register(con: duckdb.DuckDBPyConnection, name: str, rows: list[tuple], columns: list[str]) -> None:
    frame = pd.DataFrame(rows, columns=columns, dtype=object)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} ({', '.join(f'{c} VARCHAR' for c in columns)})")
    if rows:
        con.register("_lignes", frame)
        con.execute(f"INSERT INTO {name} SELECT * FROM _lignes")
        con.unregister("_lignes")


def _repairs(con: duckdb.DuckDBPyConnection) -> None:
    """Temp tables _dates (declared -> ISO, anomaly) and _noms (declared -> without personal data)."""
    dates = [(value, *_repair_date(value)) for value in _values(con, "date_adhesion")]
    _register(con, "_dates", dates, ["declaree", "iso", "anomalie"])
    names = [(value, without_personal_data(value)) for value in _values(con, "nom_adherent") if personal_data(value)]
    _register(con, "_noms", names, ["declare", "nettoye"])


def load_members_with_duckdb(
    con: duckdb.DuckDBPyConnection, path: Path, known_opsn: set[str] | None, columns_sql: str
) -> int | None:
    """Rows written to MEMBERS_TABLE (declared as `columns_sql`), or None: use the Python loader."""
    declared = field_names(SCHEMA)
    names = load_csv_strings(con, path, _STRINGS)
    if names is None:
        return None
    try:
        if sorted(names) != sorted(declared) or not con.execute(f"SELECT count(*) FROM {_STRINGS}").fetchone()[0]:
            return None
        if not _opsn_sirens_clean(con, known_opsn):
            return None
        _repairs(con)
        # The fingerprint of membership_id, on the text as declared; repeats numbered in file order.
        payload = ", ".join(quoted(name) for name in declared)
        fields = []
        for name in declared:
            if name == "date_adhesion":
                fields.append("NULLIF(d.iso, '')::DATE")
            elif name == "nom_adherent":
                fields.append(f"NULLIF(coalesce(n.nettoye, s.{quoted(name)}), '')")
            else:
                fields.append(f"NULLIF(s.{quoted(name)}, '')")
        removed = f"CASE WHEN n.declare IS NOT NULL THEN '{PERSONAL_DATA_REMOVED}' END"
        anomalies = f"concat_ws('|', NULLIF(d.anomalie, ''), {removed})"
        query = f"""
            WITH keyed AS (
                SELECT *, left(sha256(concat_ws(chr(31), {payload})), 16) AS _base FROM {_STRINGS}
            ), numbered AS (
                SELECT *, row_number() OVER (PARTITION BY _base ORDER BY {LINE_NUMBER}) AS _occurrence FROM keyed
            )
            SELECT CASE WHEN _occurrence = 1 THEN _base ELSE _base || '-' || _occurrence END,
                   s.{LINE_NUMBER}, {", ".join(fields)}, NULLIF({anomalies}, '')
            FROM numbered AS s
            JOIN _dates AS d ON d.declaree = s.date_adhesion
            LEFT JOIN _noms AS n ON n.declare = s.nom_adherent
            ORDER BY s.{LINE_NUMBER}"""
        return write_query(con, MEMBERS_TABLE, columns_sql, query)
    finally:
        drop_strings(con, _STRINGS)
        for table in ("_dates", "_noms"):
            con.execute(f"DROP TABLE IF EXISTS {table}")
