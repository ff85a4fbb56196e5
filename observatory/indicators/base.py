"""Working tables every family of indicators reads (temp tables of the connection, prefixed `_ind_`).

Commune- and EPCI-based facts are read from the published `collectivites` table, so that the
indicators are, by construction, recomputable from published rows; what `collectivites` does
not carry (members per OPSN, naive sums, OPSN territories) comes from the reconciled
adhesions and the OPSN identities through the same SQL (members.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from observatory import table_catalog
from observatory.indicators.members import (
    covered_communes_sql,
    epci_sql,
    france_departements_sql,
    france_regions_sql,
    opsn_departements_sql,
    reconciled_members_sql,
)

# Population strata of the DPD rates (municipal population, inclusive bounds).
STRATA = (
    ("0-499", 0, 499),
    ("500-1999", 500, 1999),
    ("2000-3499", 2000, 3499),
    ("3500-9999", 3500, 9999),
    ("10000+", 10000, None),
)


@dataclass(frozen=True)
class Sources:
    """Warehouse tables the indicators are computed from."""

    collectivites: str = table_catalog.COLLECTIVITES
    adhesions: str = table_catalog.ADHESIONS
    opsn: str = table_catalog.DECLARED_OPSN
    services: str = table_catalog.DECLARED_SERVICES


def strata_case(column: str) -> str:
    branches = " ".join(f"WHEN {column} <= {high} THEN '{label}'" for label, _, high in STRATA if high is not None)
    return f"CASE {branches} ELSE '{STRATA[-1][0]}' END"


def count_where(condition: str) -> str:
    return f"count(*) FILTER (WHERE {condition})"


def rate(numerator: str, denominator: str) -> str:
    """A percentage, NULL when the denominator is 0 (a rate of nothing is not 0 %)."""
    return f"CASE WHEN {denominator} = 0 THEN NULL ELSE 100.0 * {numerator} / {denominator} END"


@dataclass(frozen=True)
class CommuneAggregate:
    """An aggregate over the communes `c` of each territory (France, région, département), modality
    `ensemble`. Every territory of France has communes, so every territory gets a row.

    Kept as an expression rather than a query: build.py computes all of them in one GROUP BY over
    the communes, where one query each cost a join of every commune to its three territories."""

    value: str


def by_commune_territory(value: str) -> CommuneAggregate:
    return CommuneAggregate(value)


# What a family of indicators returns for a code: a query of (niveau, code_territoire, modalite, valeur),
# or an aggregate over each territory's communes.
Query = str | CommuneAggregate


def commune_aggregates_sql(aggregates: dict[str, str]) -> str:
    """One row per territory, one DOUBLE column per indicator code of `aggregates` (code -> expression)."""
    columns = ", ".join(f'CAST({value} AS DOUBLE) AS "{code}"' for code, value in aggregates.items())
    return f"""
        SELECT t.niveau, t.code_territoire, {columns}
        FROM _ind_commune_territoire t JOIN _ind_communes c USING (code_insee)
        GROUP BY t.niveau, t.code_territoire"""


def sql_list(values) -> str:
    return "[" + ", ".join("'" + str(value).replace("'", "''") + "'" for value in values) + "]"


def _statements(sources: Sources, opsn_source: str) -> dict[str, str]:
    return {
        "_ind_communes": f"""
            SELECT siren, code_insee, nom, code_departement, code_region, siren_epci,
                   coalesce(population, 0) AS population, nb_opsn, couverture, a_designe_dpd, type_dpd,
                   dpd_public, coalesce(dpd_via_opsn, false) AS dpd_via_opsn, siren_organisme_dpd,
                   date_premiere_designation, {strata_case("coalesce(population, 0)")} AS strate
            FROM {sources.collectivites} WHERE type_collectivite = 'commune'""",
        "_ind_epci": f"""
            SELECT siren, nom, population, nb_opsn, a_designe_dpd
            FROM {sources.collectivites} WHERE type_collectivite = 'epci'""",
        # membre_declic stays unknown (NULL) for an OPSN known from the ANCT only: neither declic nor hors_declic.
        "_ind_opsn": f"SELECT siren, nom, forme_juridique, membre_declic, {opsn_source} AS source_opsn "
        f"FROM {sources.opsn}",
        "_ind_territoires": f"""
            SELECT 'france' AS niveau, 'FR' AS code_territoire, 'France' AS libelle_territoire
            UNION ALL SELECT 'region', code_region, nom FROM ({france_regions_sql()})
            UNION ALL SELECT 'departement', code_departement, nom FROM ({france_departements_sql()})
            UNION ALL SELECT 'opsn', siren, nom FROM {sources.opsn}""",
        # A commune belongs to France, to its current région and to its current département.
        "_ind_commune_territoire": """
            SELECT 'france' AS niveau, 'FR' AS code_territoire, code_insee FROM _ind_communes
            UNION ALL SELECT 'region', code_region, code_insee FROM _ind_communes
            UNION ALL SELECT 'departement', code_departement, code_insee FROM _ind_communes""",
        "_ind_membres": reconciled_members_sql(sources.adhesions),
        "_ind_membre_population": f"""
            SELECT 'commune' AS type_collectivite, code_insee AS code_collectivite, population FROM _ind_communes
            UNION ALL SELECT 'epci', siren, population FROM ({epci_sql()})
            UNION ALL SELECT 'departement', code_departement, sum(population) FROM _ind_communes
                      GROUP BY code_departement
            UNION ALL SELECT 'region', code_region, sum(population) FROM _ind_communes GROUP BY code_region""",
        "_ind_couverture_opsn": f"""
            SELECT DISTINCT siren_opsn, code_insee
            FROM ({covered_communes_sql("_ind_membres", "_ind_communes")})""",
        "_ind_opsn_departements": opsn_departements_sql(sources.opsn),
        "_ind_territoire_opsn": """
            SELECT DISTINCT d.siren_opsn, c.code_insee
            FROM _ind_opsn_departements d JOIN _ind_communes c USING (code_departement)""",
    }


def create_working_tables(con: duckdb.DuckDBPyConnection, sources: Sources) -> None:
    # The declared identities alone (core_declarations__opsn) have no source column: all declared.
    columns = {row[0] for row in con.execute(f"DESCRIBE {sources.opsn}").fetchall()}
    opsn_source = "source_opsn" if "source_opsn" in columns else "'declaration'"
    for table, select in _statements(sources, opsn_source).items():
        con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS {select}")


def drop_working_tables(con: duckdb.DuckDBPyConnection) -> None:
    tables = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE temporary AND starts_with(table_name, '_ind_')"
    ).fetchall()
    for (table,) in tables:
        con.execute(f"DROP TABLE IF EXISTS {table}")
