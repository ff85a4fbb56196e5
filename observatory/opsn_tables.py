"""The published `opsn` and `services_opsn` tables: declared OPSN, and ANCT operators that declare nothing."""

from __future__ import annotations

import duckdb

from observatory import table_catalog
from observatory.membership_sources import anct_only_operators_sql, known_opsn_sql
from observatory.schemas import duckdb_columns, duckdb_select, load_descriptor


def service_labels() -> dict[str, str]:
    """Labels of the service vocabulary, kept beside its codes in the declaration schema."""
    for field in load_descriptor("declaration/services")["fields"]:
        if field["name"] == "code_service":
            return dict(field["x-libelles"])
    raise KeyError("code_service")


def build_opsn(
    con: duckdb.DuckDBPyConnection,
    *,
    opsn: str = table_catalog.DECLARED_OPSN,
    members: str = table_catalog.DECLARED_MEMBERS,
    services: str = table_catalog.DECLARED_SERVICES,
    operators: str | None = None,
    anct_members: str = table_catalog.ANCT_MEMBERS,
    output: str = table_catalog.OPSN,
) -> int:
    """One row per OPSN; with `operators` (core_anct__operateurs), ANCT-only OPSN too, whose
    membership rows are their ANCT adherents (membership_sources.py)."""
    counted = f"SELECT siren_opsn FROM {members}"
    if operators is not None:
        counted += f"""
            UNION ALL
            SELECT o.siren FROM {anct_members} a JOIN ({anct_only_operators_sql(opsn, operators)}) o
                ON o.id = a.operateur_id"""
    con.execute(f"""
        CREATE OR REPLACE TABLE {output} AS
        SELECT {duckdb_select("opsn", "o")} FROM (
            SELECT d.*,
                   (SELECT count(*) FROM ({counted}) m WHERE m.siren_opsn = d.siren) AS nb_adhesions_declarees,
                   (SELECT count(*) FROM {services} s WHERE s.siren_opsn = d.siren) AS nb_services
            FROM ({known_opsn_sql(opsn, operators)}) d
        ) o
    """)
    return con.execute(f"SELECT count(*) FROM {output}").fetchall()[0][0]


def build_services_opsn(
    con: duckdb.DuckDBPyConnection,
    *,
    services: str = table_catalog.DECLARED_SERVICES,
    output: str = table_catalog.SERVICES_OPSN,
) -> int:
    labels = service_labels()
    con.execute("CREATE OR REPLACE TEMP TABLE _service_labels (code_service VARCHAR, libelle_service VARCHAR)")
    con.executemany("INSERT INTO _service_labels VALUES (?, ?)", list(labels.items()))
    con.execute(f"CREATE OR REPLACE TABLE {output} ({duckdb_columns('services_opsn')})")
    con.execute(f"""
        INSERT INTO {output}
        SELECT s.siren_opsn, s.code_service, l.libelle_service
        FROM {services} s JOIN _service_labels l USING (code_service)
    """)
    return con.execute(f"SELECT count(*) FROM {output}").fetchall()[0][0]
