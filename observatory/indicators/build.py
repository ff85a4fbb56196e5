"""Assemble the published `indicateurs` table from the four families of queries.

Values are computed per family (panorama, coverage, dpd, per_opsn), then labelled from the
catalogue and the territories in one place, so that no family can publish a code, a unit or a
label the catalogue does not define.
"""

from __future__ import annotations

import duckdb

from observatory import table_catalog
from observatory.indicators import coverage, dpd, panorama, per_opsn
from observatory.indicators.base import (
    CommuneAggregate,
    Query,
    Sources,
    commune_aggregates_sql,
    create_working_tables,
    drop_working_tables,
)
from observatory.indicators.catalogue import LEVELS, register_catalogue
from observatory.schemas import duckdb_select

FAMILIES = (panorama, coverage, dpd, per_opsn)


def indicator_queries(sources: Sources) -> list[tuple[str, Query]]:
    """(code_indicateur, query) pairs of every family; a code may have one query per group of levels."""
    return [pair for family in FAMILIES for pair in family.queries(sources)]


def _insert_values(con: duckdb.DuckDBPyConnection, sources: Sources) -> None:
    pairs = indicator_queries(sources)
    aggregates = {code: query.value for code, query in pairs if isinstance(query, CommuneAggregate)}
    if len(aggregates) != sum(isinstance(query, CommuneAggregate) for _, query in pairs):
        raise ValueError("deux agrégats par commune pour un même code d'indicateur")
    for code, query in pairs:
        if not isinstance(query, CommuneAggregate):
            con.execute(
                f"INSERT INTO _ind_valeurs SELECT ?, niveau, code_territoire, modalite, CAST(valeur AS DOUBLE) "
                f"FROM ({query})",
                [code],
            )
    if not aggregates:
        return
    # All commune aggregates in one pass, then one row per (indicator, territory). INCLUDE NULLS:
    # a rate of nothing is NULL, and its row is published all the same.
    columns = ", ".join(f'"{code}"' for code in aggregates)
    con.execute(f"""
        INSERT INTO _ind_valeurs
        WITH aggregates AS ({commune_aggregates_sql(aggregates)})
        SELECT code_indicateur, niveau, code_territoire, 'ensemble', valeur
        FROM aggregates UNPIVOT INCLUDE NULLS (valeur FOR code_indicateur IN ({columns}))
    """)


def _fail_on_orphans(con: duckdb.DuckDBPyConnection) -> None:
    # The joins that label values would silently drop these rows; a missing definition or a
    # territory outside France is a bug to fix, not a row to lose.
    orphans = con.execute("""
        SELECT DISTINCT v.code_indicateur, v.niveau, v.code_territoire
        FROM _ind_valeurs v
        LEFT JOIN _ind_catalogue c USING (code_indicateur)
        LEFT JOIN _ind_territoires t USING (niveau, code_territoire)
        WHERE c.code_indicateur IS NULL OR t.code_territoire IS NULL OR v.modalite IS NULL
        LIMIT 5
    """).fetchall()
    if orphans:
        raise ValueError(f"indicateurs sans définition, sans territoire ou sans modalité : {orphans}")


def build_indicators(
    con: duckdb.DuckDBPyConnection,
    *,
    collectivites: str = table_catalog.COLLECTIVITES,
    adhesions: str = table_catalog.ADHESIONS,
    opsn: str = table_catalog.DECLARED_OPSN,
    services: str = table_catalog.DECLARED_SERVICES,
    output: str = table_catalog.INDICATORS,
) -> int:
    """Create `output` (schemas/indicateurs.json, long format); returns its row count."""
    sources = Sources(collectivites=collectivites, adhesions=adhesions, opsn=opsn, services=services)
    create_working_tables(con, sources)
    register_catalogue(con)
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _ind_valeurs (
            code_indicateur VARCHAR, niveau VARCHAR, code_territoire VARCHAR, modalite VARCHAR, valeur DOUBLE)
    """)
    _insert_values(con, sources)
    _fail_on_orphans(con)
    level_rank = "list_position(" + "[" + ", ".join(f"'{level}'" for level in LEVELS) + "], x.niveau)"
    con.execute(f"""
        CREATE OR REPLACE TABLE {output} AS
        SELECT {duckdb_select("indicateurs", "x")}
        FROM (
            SELECT v.code_indicateur, v.niveau, v.code_territoire, t.libelle_territoire, v.modalite, v.valeur,
                   c.unite, c.libelle, c.rang
            FROM _ind_valeurs v
            JOIN _ind_catalogue c USING (code_indicateur)
            JOIN _ind_territoires t USING (niveau, code_territoire)
        ) x
        ORDER BY x.rang, {level_rank}, x.code_territoire, x.modalite
    """)
    drop_working_tables(con)
    return con.execute(f"SELECT count(*) FROM {output}").fetchall()[0][0]
