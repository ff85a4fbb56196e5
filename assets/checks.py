"""Blocking asset checks: a failed check stops everything downstream of the table.

Published tables are checked against their Table Schema (the same contract the exported
package is validated with); core tables get the invariants that tie them to their source.
"""

import dagster as dg

from assets.resources import WAREHOUSE_POOL, Warehouse
from observatory.indicators.api import check_indicators
from observatory.membership_sources import opsn_counted_twice
from observatory.publish.catalog import MAY_BE_EMPTY, PUBLISHED_TABLES
from observatory.referential import TABLES as COG_TABLES
from observatory.siren_checks import invalid_sirens, siren_columns
from observatory.table_checks import contract_violations


def _blocking_check(table: str, name: str, description: str, evaluate) -> dg.AssetChecksDefinition:
    """A blocking check of one warehouse table: `evaluate(con)` returns (passed, metadata)."""

    @dg.asset_check(asset=table, name=name, blocking=True, pool=WAREHOUSE_POOL, description=description)
    def _check(warehouse: Warehouse) -> dg.AssetCheckResult:
        with warehouse.connect() as con:
            passed, metadata = evaluate(con)
        return dg.AssetCheckResult(passed=passed, metadata=metadata)

    return _check


def _contract_check(schema_name: str, table: str) -> dg.AssetChecksDefinition:
    def evaluate(con) -> tuple[bool, dict]:
        problems = contract_violations(con, table, schema_name)
        rows = con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
        passed = not problems and (rows > 0 or schema_name in MAY_BE_EMPTY)
        return passed, {"lignes": rows, "violations": dg.MetadataValue.json(problems)}

    return _blocking_check(
        table,
        f"contrat_{schema_name.replace('/', '_')}",
        f"La table respecte schemas/{schema_name}.json (clé, obligatoires, vocabulaires, motifs).",
        evaluate,
    )


# Core tables whose contract holds in full once loaded: the referential, and the declaration
# files whose every field is checked at load (members are not: their identifiers stay as declared).
CORE_CONTRACTS = {
    **{f"referentiel/{name}": table for name, table in COG_TABLES.items()},
    "declaration/opsn": "core_declarations__opsn",
    "declaration/services": "core_declarations__services",
}

contract_checks = [_contract_check(name, table) for name, table in {**PUBLISHED_TABLES, **CORE_CONTRACTS}.items()]


def _count(warehouse: Warehouse, sql: str) -> int:
    with warehouse.connect() as con:
        return con.execute(sql).fetchall()[0][0]


def _one_row_per(warehouse: Warehouse, table: str, key: str) -> dg.AssetCheckResult:
    """Passes when `table` is not empty and `key` identifies each of its rows."""
    rows = _count(warehouse, f"SELECT count(*) FROM {table}")
    distinct = _count(warehouse, f"SELECT count(DISTINCT {key}) FROM {table}")
    return dg.AssetCheckResult(passed=rows > 0 and rows == distinct, metadata={"lignes": rows, key: distinct})


@dg.asset_check(
    asset="core_cog__communes",
    blocking=True,
    pool=WAREHOUSE_POOL,
    description="Le COG 2026 compte 34 875 communes de France (métropole + DROM), toutes avec SIREN.",
)
def cog_communes_de_france(warehouse: Warehouse) -> dg.AssetCheckResult:
    n = _count(
        warehouse,
        "SELECT count(*) FROM core_cog__communes WHERE type_commune = 'commune_actuelle' "
        "AND zone IN ('metro', 'drom') AND siren IS NOT NULL",
    )
    return dg.AssetCheckResult(passed=n == 34875, metadata={"communes_de_france": n})


@dg.asset_check(
    asset="core_declarations__adherents",
    blocking=True,
    pool=WAREHOUSE_POOL,
    description="Au moins une adhésion déclarée, et des id_adhesion uniques.",
)
def adherents_non_vides(warehouse: Warehouse) -> dg.AssetCheckResult:
    return _one_row_per(warehouse, "core_declarations__adherents", "id_adhesion")


@dg.asset_check(
    asset="core_cnil__designations",
    blocking=True,
    pool=WAREHOUSE_POOL,
    description="Le fichier CNIL est chargé et aucune colonne de contact n'est entrée dans l'entrepôt.",
)
def cnil_sans_contacts(warehouse: Warehouse) -> dg.AssetCheckResult:
    rows = _count(warehouse, "SELECT count(*) FROM core_cnil__designations")
    personal = _count(
        warehouse,
        "SELECT count(*) FROM information_schema.columns WHERE table_name = "
        "'core_cnil__designations' AND column_name LIKE 'moyen_contact%'",
    )
    return dg.AssetCheckResult(
        passed=rows > 0 and personal == 0, metadata={"lignes": rows, "colonnes_contact": personal}
    )


@dg.asset_check(
    asset="core_declarations__adhesions",
    blocking=True,
    pool=WAREHOUSE_POOL,
    description="Une ligne rapprochée par ligne déclarée, ni plus ni moins.",
)
def une_adhesion_par_ligne_declaree(warehouse: Warehouse) -> dg.AssetCheckResult:
    declared = _count(warehouse, "SELECT count(*) FROM core_declarations__adherents")
    reconciled = _count(
        warehouse,
        "SELECT count(*) FROM core_declarations__adhesions a JOIN core_declarations__adherents d USING (id_adhesion)",
    )
    return dg.AssetCheckResult(
        passed=declared == reconciled, metadata={"declarees": declared, "rapprochees": reconciled}
    )


@dg.asset_check(
    asset="core_declarations__adhesions",
    blocking=True,
    pool=WAREHOUSE_POOL,
    description="Chaque OPSN est compté d'une seule source : sa déclaration, sinon le fichier de l'ANCT.",
)
def une_source_par_opsn(warehouse: Warehouse) -> dg.AssetCheckResult:
    with warehouse.connect() as con:
        twice = opsn_counted_twice(con)
    return dg.AssetCheckResult(passed=not twice, metadata={"opsn_deux_sources": dg.MetadataValue.json(twice)})


@dg.asset_check(
    asset="out__indicateurs",
    name="valeurs_possibles",
    blocking=True,
    pool=WAREHOUSE_POOL,
    description="Aucun taux hors [0, 100], pas plus de communes que la France, distinct ≤ naïf, "
    "population couverte ≤ celle de la France.",
)
def indicateurs_possibles(warehouse: Warehouse) -> dg.AssetCheckResult:
    with warehouse.connect() as con:
        violations = check_indicators(con)
    return dg.AssetCheckResult(passed=not violations, metadata={"violations": dg.MetadataValue.json(violations)})


@dg.asset_check(
    asset="core_cnil__dpd_organismes",
    blocking=True,
    pool=WAREHOUSE_POOL,
    description="Une ligne par SIREN désignant du fichier CNIL, ni plus ni moins.",
)
def une_ligne_par_siren_designant(warehouse: Warehouse) -> dg.AssetCheckResult:
    return _one_row_per(warehouse, "core_cnil__dpd_organismes", "siren_organisme")


def _siren_check(schema_name: str, table: str) -> dg.AssetChecksDefinition:
    def evaluate(con) -> tuple[bool, dict]:
        problems = invalid_sirens(con, table, schema_name)
        return not problems, {"violations": dg.MetadataValue.json(problems)}

    return _blocking_check(
        table,
        f"sirens_valides_{schema_name}",
        "Aucun SIREN publié ne rate sa clé de contrôle sans anomalie qui le dise (siren_checks.py).",
        evaluate,
    )


siren_checks = [_siren_check(name, table) for name, table in PUBLISHED_TABLES.items() if siren_columns(name)]

core_checks = [
    une_ligne_par_siren_designant,
    cog_communes_de_france,
    adherents_non_vides,
    cnil_sans_contacts,
    une_adhesion_par_ligne_declaree,
    une_source_par_opsn,
    indicateurs_possibles,
]
