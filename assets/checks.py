"""Blocking checks of the warehouse tables, evaluated in the step that writes the table.

Every table the catalogue marks `contract` is checked against its Table Schema (the same
contract the exported package is validated with); core tables get the invariants that tie
them to their source. Check names follow one pattern, the table being the check's asset:
`contrat` (Table Schema), `sirens_valides` (SIREN check digits), `invariant_<rule>` (the rest).

Checks run inside the asset's own step (`check_specs`), not as separate steps: the table is
checked on the connection that wrote it, a failed check stops everything downstream just the
same, and a steward's failed run lists one skipped step per table instead of one per check.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import dagster as dg
import duckdb

from observatory import table_catalog as catalog
from observatory.indicators.api import check_indicators
from observatory.membership_sources import opsn_counted_twice
from observatory.siren_checks import invalid_sirens, siren_columns
from observatory.table_checks import contract_violations

CONTRACT = "contrat"
SIRENS = "sirens_valides"
INVARIANT_PREFIX = "invariant_"

Evaluation = tuple[bool, dict]


@dataclass(frozen=True)
class TableCheck:
    table: str
    name: str
    description: str
    evaluate: Callable[[duckdb.DuckDBPyConnection], Evaluation]

    def spec(self) -> dg.AssetCheckSpec:
        return dg.AssetCheckSpec(self.name, asset=self.table, blocking=True, description=self.description)

    def result(self, con: duckdb.DuckDBPyConnection) -> dg.AssetCheckResult:
        passed, metadata = self.evaluate(con)
        return dg.AssetCheckResult(asset_key=self.table, check_name=self.name, passed=passed, metadata=metadata)


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    return con.execute(sql).fetchall()[0][0]


def _contract(entry: catalog.Table) -> TableCheck:
    may_be_empty = bool(entry.published and entry.published.may_be_empty)

    def evaluate(con) -> Evaluation:
        problems = contract_violations(con, entry.name, entry.schema)
        rows = _count(con, f"SELECT count(*) FROM {entry.name}")
        passed = not problems and (rows > 0 or may_be_empty)
        return passed, {"lignes": rows, "violations": dg.MetadataValue.json(problems)}

    description = f"La table respecte schemas/{entry.schema}.json (clé, obligatoires, vocabulaires, motifs)."
    return TableCheck(entry.name, CONTRACT, description, evaluate)


def _sirens(entry: catalog.Table) -> TableCheck:
    def evaluate(con) -> Evaluation:
        problems = invalid_sirens(con, entry.name, entry.schema)
        return not problems, {"violations": dg.MetadataValue.json(problems)}

    description = "Aucun SIREN publié ne rate sa clé de contrôle sans anomalie qui le dise (siren_checks.py)."
    return TableCheck(entry.name, SIRENS, description, evaluate)


def _one_row_per(table: str, key: str) -> Callable[[duckdb.DuckDBPyConnection], Evaluation]:
    """Passes when `table` is not empty and `key` identifies each of its rows."""

    def evaluate(con) -> Evaluation:
        rows = _count(con, f"SELECT count(*) FROM {table}")
        distinct = _count(con, f"SELECT count(DISTINCT {key}) FROM {table}")
        return rows > 0 and rows == distinct, {"lignes": rows, key: distinct}

    return evaluate


def _communes_de_france(con) -> Evaluation:
    n = _count(
        con,
        f"SELECT count(*) FROM {catalog.COG_COMMUNES} WHERE type_commune = 'commune_actuelle' "
        "AND zone IN ('metro', 'drom') AND siren IS NOT NULL",
    )
    return n == 34875, {"communes_de_france": n}


def _without_contacts(con) -> Evaluation:
    rows = _count(con, f"SELECT count(*) FROM {catalog.CNIL_DESIGNATIONS}")
    personal = _count(
        con,
        "SELECT count(*) FROM information_schema.columns WHERE table_name = "
        f"'{catalog.CNIL_DESIGNATIONS}' AND column_name LIKE 'moyen_contact%'",
    )
    return rows > 0 and personal == 0, {"lignes": rows, "colonnes_contact": personal}


def _one_adhesion_per_declared_row(con) -> Evaluation:
    declared = _count(con, f"SELECT count(*) FROM {catalog.DECLARED_MEMBERS}")
    reconciled = _count(
        con, f"SELECT count(*) FROM {catalog.ADHESIONS} a JOIN {catalog.DECLARED_MEMBERS} d USING (id_adhesion)"
    )
    return declared == reconciled, {"declarees": declared, "rapprochees": reconciled}


def _one_source_per_opsn(con) -> Evaluation:
    twice = opsn_counted_twice(con)
    return not twice, {"opsn_deux_sources": dg.MetadataValue.json(twice)}


def _possible_values(con) -> Evaluation:
    violations = check_indicators(con)
    return not violations, {"violations": dg.MetadataValue.json(violations)}


def _invariant(table: str, rule: str, description: str, evaluate) -> TableCheck:
    return TableCheck(table, INVARIANT_PREFIX + rule, description, evaluate)


INVARIANTS = [
    _invariant(
        catalog.COG_COMMUNES,
        "communes_de_france",
        "Le COG 2026 compte 34 875 communes de France (métropole + DROM), toutes avec SIREN.",
        _communes_de_france,
    ),
    _invariant(
        catalog.DECLARED_MEMBERS,
        "adherents_non_vides",
        "Au moins une adhésion déclarée, et des id_adhesion uniques.",
        _one_row_per(catalog.DECLARED_MEMBERS, "id_adhesion"),
    ),
    _invariant(
        catalog.CNIL_DESIGNATIONS,
        "sans_contacts",
        "Le fichier CNIL est chargé et aucune colonne de contact n'est entrée dans l'entrepôt.",
        _without_contacts,
    ),
    _invariant(
        catalog.ADHESIONS,
        "une_adhesion_par_ligne_declaree",
        "Une ligne rapprochée par ligne déclarée, ni plus ni moins.",
        _one_adhesion_per_declared_row,
    ),
    _invariant(
        catalog.ADHESIONS,
        "une_source_par_opsn",
        "Chaque OPSN est compté d'une seule source : sa déclaration, sinon le fichier de l'ANCT.",
        _one_source_per_opsn,
    ),
    _invariant(
        catalog.INDICATORS,
        "valeurs_possibles",
        "Aucun taux hors [0, 100], pas plus de communes que la France, distinct ≤ naïf, "
        "population couverte ≤ celle de la France.",
        _possible_values,
    ),
    _invariant(
        catalog.DPD_BODIES,
        "une_ligne_par_siren_designant",
        "Une ligne par SIREN désignant du fichier CNIL, ni plus ni moins.",
        _one_row_per(catalog.DPD_BODIES, "siren_organisme"),
    ),
]

ALL_CHECKS: list[TableCheck] = [
    *(_contract(entry) for entry in catalog.warehouse_tables() if entry.contract),
    *(
        _sirens(entry)
        for entry in catalog.warehouse_tables()
        if entry.published and siren_columns(entry.published.resource)
    ),
    *INVARIANTS,
]


def checks_of(*tables: str) -> list[TableCheck]:
    return [check for check in ALL_CHECKS if check.table in tables]


def check_specs(*tables: str) -> list[dg.AssetCheckSpec]:
    """For an asset's `check_specs`: the checks of the tables it writes."""
    return [check.spec() for check in checks_of(*tables)]


def check_results(con: duckdb.DuckDBPyConnection, table: str) -> list[dg.AssetCheckResult]:
    """Evaluated on the connection that just wrote `table`, for its MaterializeResult."""
    return [check.result(con) for check in checks_of(table)]
