"""Blocking asset checks: a failed check stops everything downstream of the table.

Every table the catalogue marks `contract` is checked against its Table Schema (the same
contract the exported package is validated with); core tables get the invariants that tie
them to their source. Check names follow one pattern, the table being the check's asset:
`contrat` (Table Schema), `sirens_valides` (SIREN check digits), `invariant_<rule>` (the rest).
"""

import dagster as dg

from assets.resources import WAREHOUSE_POOL, Warehouse
from observatory import table_catalog as catalog
from observatory.indicators.api import check_indicators
from observatory.membership_sources import opsn_counted_twice
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


CONTRACT = "contrat"
SIRENS = "sirens_valides"
INVARIANT_PREFIX = "invariant_"


def _contract_check(entry: catalog.Table) -> dg.AssetChecksDefinition:
    may_be_empty = bool(entry.published and entry.published.may_be_empty)

    def evaluate(con) -> tuple[bool, dict]:
        problems = contract_violations(con, entry.name, entry.schema)
        rows = con.execute(f"SELECT count(*) FROM {entry.name}").fetchall()[0][0]
        passed = not problems and (rows > 0 or may_be_empty)
        return passed, {"lignes": rows, "violations": dg.MetadataValue.json(problems)}

    return _blocking_check(
        entry.name,
        CONTRACT,
        f"La table respecte schemas/{entry.schema}.json (clé, obligatoires, vocabulaires, motifs).",
        evaluate,
    )


contract_checks = [_contract_check(entry) for entry in catalog.warehouse_tables() if entry.contract]


def _count(warehouse: Warehouse, sql: str) -> int:
    with warehouse.connect() as con:
        return con.execute(sql).fetchall()[0][0]


def _one_row_per(warehouse: Warehouse, table: str, key: str) -> dg.AssetCheckResult:
    """Passes when `table` is not empty and `key` identifies each of its rows."""
    rows = _count(warehouse, f"SELECT count(*) FROM {table}")
    distinct = _count(warehouse, f"SELECT count(DISTINCT {key}) FROM {table}")
    return dg.AssetCheckResult(passed=rows > 0 and rows == distinct, metadata={"lignes": rows, key: distinct})


@dg.asset_check(
    asset=catalog.COG_COMMUNES,
    blocking=True,
    pool=WAREHOUSE_POOL,
    description="Le COG 2026 compte 34 875 communes de France (métropole + DROM), toutes avec SIREN.",
)
def invariant_communes_de_france(warehouse: Warehouse) -> dg.AssetCheckResult:
    n = _count(
        warehouse,
        f"SELECT count(*) FROM {catalog.COG_COMMUNES} WHERE type_commune = 'commune_actuelle' "
        "AND zone IN ('metro', 'drom') AND siren IS NOT NULL",
    )
    return dg.AssetCheckResult(passed=n == 34875, metadata={"communes_de_france": n})


@dg.asset_check(
    asset=catalog.DECLARED_MEMBERS,
    blocking=True,
    pool=WAREHOUSE_POOL,
    description="Au moins une adhésion déclarée, et des id_adhesion uniques.",
)
def invariant_adherents_non_vides(warehouse: Warehouse) -> dg.AssetCheckResult:
    return _one_row_per(warehouse, catalog.DECLARED_MEMBERS, "id_adhesion")


@dg.asset_check(
    asset=catalog.CNIL_DESIGNATIONS,
    blocking=True,
    pool=WAREHOUSE_POOL,
    description="Le fichier CNIL est chargé et aucune colonne de contact n'est entrée dans l'entrepôt.",
)
def invariant_sans_contacts(warehouse: Warehouse) -> dg.AssetCheckResult:
    rows = _count(warehouse, f"SELECT count(*) FROM {catalog.CNIL_DESIGNATIONS}")
    personal = _count(
        warehouse,
        "SELECT count(*) FROM information_schema.columns WHERE table_name = "
        f"'{catalog.CNIL_DESIGNATIONS}' AND column_name LIKE 'moyen_contact%'",
    )
    return dg.AssetCheckResult(
        passed=rows > 0 and personal == 0, metadata={"lignes": rows, "colonnes_contact": personal}
    )


@dg.asset_check(
    asset=catalog.ADHESIONS,
    blocking=True,
    pool=WAREHOUSE_POOL,
    description="Une ligne rapprochée par ligne déclarée, ni plus ni moins.",
)
def invariant_une_adhesion_par_ligne_declaree(warehouse: Warehouse) -> dg.AssetCheckResult:
    declared = _count(warehouse, f"SELECT count(*) FROM {catalog.DECLARED_MEMBERS}")
    reconciled = _count(
        warehouse,
        f"SELECT count(*) FROM {catalog.ADHESIONS} a JOIN {catalog.DECLARED_MEMBERS} d USING (id_adhesion)",
    )
    return dg.AssetCheckResult(
        passed=declared == reconciled, metadata={"declarees": declared, "rapprochees": reconciled}
    )


@dg.asset_check(
    asset=catalog.ADHESIONS,
    blocking=True,
    pool=WAREHOUSE_POOL,
    description="Chaque OPSN est compté d'une seule source : sa déclaration, sinon le fichier de l'ANCT.",
)
def invariant_une_source_par_opsn(warehouse: Warehouse) -> dg.AssetCheckResult:
    with warehouse.connect() as con:
        twice = opsn_counted_twice(con)
    return dg.AssetCheckResult(passed=not twice, metadata={"opsn_deux_sources": dg.MetadataValue.json(twice)})


@dg.asset_check(
    asset=catalog.INDICATORS,
    blocking=True,
    pool=WAREHOUSE_POOL,
    description="Aucun taux hors [0, 100], pas plus de communes que la France, distinct ≤ naïf, "
    "population couverte ≤ celle de la France.",
)
def invariant_valeurs_possibles(warehouse: Warehouse) -> dg.AssetCheckResult:
    with warehouse.connect() as con:
        violations = check_indicators(con)
    return dg.AssetCheckResult(passed=not violations, metadata={"violations": dg.MetadataValue.json(violations)})


@dg.asset_check(
    asset=catalog.DPD_BODIES,
    blocking=True,
    pool=WAREHOUSE_POOL,
    description="Une ligne par SIREN désignant du fichier CNIL, ni plus ni moins.",
)
def invariant_une_ligne_par_siren_designant(warehouse: Warehouse) -> dg.AssetCheckResult:
    return _one_row_per(warehouse, catalog.DPD_BODIES, "siren_organisme")


def _siren_check(entry: catalog.Table) -> dg.AssetChecksDefinition:
    def evaluate(con) -> tuple[bool, dict]:
        problems = invalid_sirens(con, entry.name, entry.schema)
        return not problems, {"violations": dg.MetadataValue.json(problems)}

    return _blocking_check(
        entry.name,
        SIRENS,
        "Aucun SIREN publié ne rate sa clé de contrôle sans anomalie qui le dise (siren_checks.py).",
        evaluate,
    )


siren_checks = [
    _siren_check(entry)
    for entry in catalog.warehouse_tables()
    if entry.published and siren_columns(entry.published.resource)
]

core_checks = [
    invariant_une_ligne_par_siren_designant,
    invariant_communes_de_france,
    invariant_adherents_non_vides,
    invariant_sans_contacts,
    invariant_une_adhesion_par_ligne_declaree,
    invariant_une_source_par_opsn,
    invariant_valeurs_possibles,
]
