"""The published per-collectivité table: every commune of France and every EPCI, once.

It is the table readers recompute indicators from, so it carries exactly the facts the
commune- and EPCI-based indicators use: direct memberships, coverage, and the DPD in place.
"""

from __future__ import annotations

import duckdb

from observatory import table_catalog
from observatory.indicators.members import (
    covered_communes_sql,
    epci_sql,
    france_communes_sql,
    reconciled_members_sql,
)
from observatory.schemas import duckdb_select


def build_collectivites(
    con: duckdb.DuckDBPyConnection,
    *,
    adhesions: str = table_catalog.ADHESIONS,
    dpd_status: str = table_catalog.DPD_BODIES,
    output: str = table_catalog.COLLECTIVITES,
) -> int:
    """Create `output` with the columns of schemas/collectivites.json; returns its row count."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE _col_communes AS {france_communes_sql()}")
    con.execute(f"CREATE OR REPLACE TEMP TABLE _col_membres AS {reconciled_members_sql(adhesions)}")
    con.execute(f"""
        CREATE OR REPLACE TABLE {output} AS
        WITH direct AS (
            SELECT type_collectivite, code_collectivite, count(DISTINCT siren_opsn) AS nb_opsn,
                   string_agg(DISTINCT siren_opsn, '|' ORDER BY siren_opsn) AS sirens_opsn
            FROM _col_membres GROUP BY ALL
        ),
        -- A commune covered several ways shows the most direct one (directe, then epci, ...).
        coverage AS (
            SELECT code_insee,
                   min(CASE voie WHEN 'directe' THEN 1 WHEN 'epci' THEN 2 WHEN 'departement' THEN 3 ELSE 4 END) AS rang
            FROM ({covered_communes_sql("_col_membres", "_col_communes")}) GROUP BY code_insee
        ),
        communes AS (
            SELECT c.siren, 'commune' AS type_collectivite, c.code_insee, c.nom, c.code_departement, c.code_region,
                   c.siren_epci, c.population, coalesce(d.nb_opsn, 0) AS nb_opsn, d.sirens_opsn,
                   CASE v.rang WHEN 1 THEN 'directe' WHEN 2 THEN 'epci' WHEN 3 THEN 'departement'
                               WHEN 4 THEN 'region' ELSE 'aucune' END AS couverture
            FROM _col_communes c
            LEFT JOIN direct d ON d.type_collectivite = 'commune' AND d.code_collectivite = c.code_insee
            LEFT JOIN coverage v ON v.code_insee = c.code_insee
        ),
        -- An EPCI is covered only when declared itself: a member département or région does not
        -- make the EPCI a member, it covers its communes, which have their own rows.
        epci AS (
            SELECT e.siren, 'epci' AS type_collectivite, NULL AS code_insee, e.nom, NULL AS code_departement,
                   NULL AS code_region, NULL AS siren_epci, e.population, coalesce(d.nb_opsn, 0) AS nb_opsn,
                   d.sirens_opsn, CASE WHEN d.nb_opsn > 0 THEN 'directe' ELSE 'aucune' END AS couverture
            FROM ({epci_sql()}) e
            LEFT JOIN direct d ON d.type_collectivite = 'epci' AND d.code_collectivite = e.siren
        ),
        bodies AS (SELECT * FROM communes UNION ALL SELECT * FROM epci)
        SELECT {duckdb_select("collectivites", "x")}
        FROM (
            SELECT b.*, s.siren_organisme IS NOT NULL AS a_designe_dpd, s.type_dpd, s.dpd_public, s.dpd_via_opsn,
                   s.siren_organisme_dpd, s.date_premiere_designation, s.date_derniere_designation
            FROM bodies b LEFT JOIN {dpd_status} s ON s.siren_organisme = b.siren
        ) x
        ORDER BY x.type_collectivite, x.code_insee, x.siren
    """)
    con.execute("DROP TABLE IF EXISTS _col_communes")
    con.execute("DROP TABLE IF EXISTS _col_membres")
    return con.execute(f"SELECT count(*) FROM {output}").fetchall()[0][0]
