"""Shared by the reconciliation tests: declared rows as a members table, and small readers."""

from __future__ import annotations

import duckdb
import pandas as pd

from observatory.schemas import field_names

# Two OPSN: Mégalis Bretagne and an invented OPSN of Alsace (for candidate ordering).
OPSN = pd.DataFrame(
    {
        "siren": ["253514491", "200043115"],
        "nom": ["Mégalis Bretagne", "OPSN d'Alsace"],
        "departements": ["22|29|35|56", "67|68"],
    }
)
BRETAGNE, ALSACE = OPSN["siren"]


def load_members(con: duckdb.DuckDBPyConnection, rows: list[dict], table: str = "core_declarations__adherents") -> None:
    """Declared rows (missing fields empty, OPSN Bretagne by default) as the members table."""
    declared = field_names("declaration/adherents")
    frame = pd.DataFrame([{**dict.fromkeys(declared), "siren_opsn": BRETAGNE, **row} for row in rows])[declared]
    frame.insert(0, "numero_ligne", range(2, len(frame) + 2))
    frame.insert(0, "id_adhesion", [f"{index:016x}" for index in range(len(frame))])
    con.register("members_frame", frame.astype(object).where(frame.notna(), None))
    con.execute(f"""CREATE OR REPLACE TABLE {table} AS
                    SELECT * REPLACE (CAST(numero_ligne AS BIGINT) AS numero_ligne,
                                      CAST(date_adhesion AS DATE) AS date_adhesion)
                    FROM members_frame""")
    con.unregister("members_frame")


def anomalies(row: dict) -> list[str]:
    return row["anomalies"].split("|") if row["anomalies"] else []


def adhesion_rows(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """The reconciled rows (core_declarations__adhesions) as dicts, in input order, missing values as None."""
    frame = con.execute("SELECT * FROM core_declarations__adhesions ORDER BY numero_ligne").df()
    return [
        {key: (None if pd.isna(value) else value) for key, value in row.items()} for row in frame.to_dict("records")
    ]


def reconcile_cases(con: duckdb.DuckDBPyConnection, cases: dict[str, dict], **options) -> dict[str, dict]:
    """Reconcile every case in one run (one row each, in order); results keyed by case label."""
    from observatory.reconcile import reconcile_members

    load_members(con, list(cases.values()))
    reconcile_members(con, **options)
    return dict(zip(cases, adhesion_rows(con), strict=True))
