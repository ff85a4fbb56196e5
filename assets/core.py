"""Core layer: sources loaded into the warehouse with declared types, then reconciled."""

from collections.abc import Callable
from pathlib import Path

import dagster as dg
import duckdb

from assets.resources import Warehouse
from observatory import cnil, declarations
from observatory.paths import MAPPINGS_DIR
from observatory.reconcile.duplicates import flag_multiple_memberships
from observatory.reconcile.engine import reconcile_members
from observatory.referential import TABLES as COG_TABLES
from observatory.referential import load_referential
from observatory.sources.snapshot import Snapshot


@dg.multi_asset(
    group_name="core",
    specs=[dg.AssetSpec(table, deps=["raw_cog__referentiel"], kinds={"duckdb"}) for table in COG_TABLES.values()],
    description="Référentiel COG 2026 chargé dans l'entrepôt avec les types de ses Table Schemas.",
)
def core_cog(warehouse: Warehouse):
    with warehouse.connect() as con:
        counts = load_referential(con)
    for table, rows in counts.items():
        yield dg.MaterializeResult(asset_key=table, metadata={"lignes": rows})


# Decisions a person reviewed: versioned data, applied before every automatic path.
REVIEWED_MAPPINGS = MAPPINGS_DIR / "rapprochements.csv"
REVIEWED_EXCLUSIONS = MAPPINGS_DIR / "exclusions.csv"


def _rows(con, table: str) -> int:
    return con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]


def _known_opsn(con) -> set[str]:
    return {row[0] for row in con.execute(f"SELECT siren FROM {declarations.OPSN_TABLE}").fetchall()}


def _loaded_from_snapshot(
    name: str, raw: str, description: str, load: Callable[[duckdb.DuckDBPyConnection, Path, str], int], deps=()
) -> dg.AssetsDefinition:
    """A warehouse table loaded from the immutable snapshot its raw asset took."""

    @dg.asset(
        name=name,
        group_name="core",
        kinds={"duckdb"},
        deps=list(deps),
        ins={"snapshot": dg.AssetIn(raw)},
        description=description,
    )
    def _asset(warehouse: Warehouse, snapshot: Snapshot) -> dg.MaterializeResult:
        with warehouse.connect() as con:
            # Errors name the steward's file (origin), not the snapshot copy read.
            rows = load(con, Path(snapshot.path), snapshot.origin)
        return dg.MaterializeResult(metadata={"lignes": rows, "source_sha256": snapshot.sha256})

    return _asset


source_tables = [
    _loaded_from_snapshot(
        "core_declarations__opsn",
        "raw_declarations__opsn",
        "Identité des OPSN déclarés (opsn.csv), typée.",
        lambda con, path, origin: len(declarations.load_opsn(con, path, origin=origin)),
    ),
    _loaded_from_snapshot(
        "core_declarations__adherents",
        "raw_declarations__adherents",
        "Adhérents déclarés, champs d'identification tels que déclarés, avec id_adhesion stable.",
        lambda con, path, origin: declarations.load_members(con, path, _known_opsn(con), origin=origin),
        deps=["core_declarations__opsn"],
    ),
    _loaded_from_snapshot(
        "core_declarations__services",
        "raw_declarations__services",
        "Services déclarés par chaque OPSN, dans le vocabulaire de l'observatoire.",
        lambda con, path, origin: declarations.load_services(con, path, _known_opsn(con), origin=origin),
        deps=["core_declarations__opsn"],
    ),
    _loaded_from_snapshot(
        "core_cnil__designations",
        "raw_cnil__designations",
        "Désignations de DPD (fichier CNIL), sans les colonnes de contact personnelles.",
        lambda con, path, origin: cnil.load_cnil(con, path, origin=origin),
    ),
]


@dg.multi_asset(
    group_name="core",
    specs=[
        dg.AssetSpec(
            "core_declarations__adhesions",
            kinds={"duckdb"},
            deps=["core_declarations__adherents", "core_declarations__opsn", *COG_TABLES.values()],
            description="Chaque adhésion déclarée rapprochée du COG (contrat schemas/adhesions.json).",
        ),
        dg.AssetSpec(
            "core_declarations__adhesions_multiples",
            kinds={"duckdb"},
            deps=["core_declarations__adhesions"],
            description="Collectivités déclarées directement par deux OPSN ou plus.",
        ),
    ],
)
def core_reconciliation(context: dg.AssetExecutionContext, warehouse: Warehouse):
    with warehouse.connect() as con:
        report = reconcile_members(con, mappings=REVIEWED_MAPPINGS, exclusions=REVIEWED_EXCLUSIONS)
        for warning in report.warnings:
            context.log.warning(warning)
        multiples = flag_multiple_memberships(con)
        statuses = dict(
            con.execute(
                "SELECT statut_rapprochement, count(*) FROM core_declarations__adhesions GROUP BY 1 ORDER BY 1"
            ).fetchall()
        )
        methods = dict(
            con.execute(
                "SELECT coalesce(methode_rapprochement, '-'), count(*) FROM core_declarations__adhesions GROUP BY 1"
            ).fetchall()
        )
        rows = _rows(con, "core_declarations__adhesions")
    yield dg.MaterializeResult(
        asset_key="core_declarations__adhesions",
        metadata={
            "lignes": rows,
            "par_statut": dg.MetadataValue.json(statuses),
            "par_methode": dg.MetadataValue.json(methods),
            "avertissements": len(report.warnings),
        },
    )
    yield dg.MaterializeResult(asset_key="core_declarations__adhesions_multiples", metadata={"lignes": multiples})
