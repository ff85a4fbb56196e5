"""Core layer: sources loaded into the warehouse with declared types, then reconciled."""

from pathlib import Path

import dagster as dg

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


@dg.asset(
    group_name="core",
    kinds={"duckdb"},
    ins={"snapshot": dg.AssetIn("raw_declarations__opsn")},
    description="Identité des OPSN déclarés (opsn.csv), typée.",
)
def core_declarations__opsn(warehouse: Warehouse, snapshot: Snapshot) -> dg.MaterializeResult:
    with warehouse.connect() as con:
        frame = declarations.load_opsn(con, Path(snapshot.path))
    return dg.MaterializeResult(metadata={"lignes": len(frame), "source_sha256": snapshot.sha256})


def _known_opsn(con) -> set[str]:
    return {row[0] for row in con.execute(f"SELECT siren FROM {declarations.OPSN_TABLE}").fetchall()}


@dg.asset(
    group_name="core",
    kinds={"duckdb"},
    deps=["core_declarations__opsn"],
    ins={"snapshot": dg.AssetIn("raw_declarations__adherents")},
    description="Adhérents déclarés, champs d'identification tels que déclarés, avec id_adhesion stable.",
)
def core_declarations__adherents(warehouse: Warehouse, snapshot: Snapshot) -> dg.MaterializeResult:
    with warehouse.connect() as con:
        rows = declarations.load_members(con, Path(snapshot.path), _known_opsn(con))
    return dg.MaterializeResult(metadata={"lignes": rows, "source_sha256": snapshot.sha256})


@dg.asset(
    group_name="core",
    kinds={"duckdb"},
    deps=["core_declarations__opsn"],
    ins={"snapshot": dg.AssetIn("raw_declarations__services")},
    description="Services déclarés par chaque OPSN, dans le vocabulaire de l'observatoire.",
)
def core_declarations__services(warehouse: Warehouse, snapshot: Snapshot) -> dg.MaterializeResult:
    with warehouse.connect() as con:
        rows = declarations.load_services(con, Path(snapshot.path), _known_opsn(con))
    return dg.MaterializeResult(metadata={"lignes": rows, "source_sha256": snapshot.sha256})


@dg.asset(
    group_name="core",
    kinds={"duckdb"},
    ins={"snapshot": dg.AssetIn("raw_cnil__designations")},
    description="Désignations de DPD (fichier CNIL), sans les colonnes de contact personnelles.",
)
def core_cnil__designations(warehouse: Warehouse, snapshot: Snapshot) -> dg.MaterializeResult:
    with warehouse.connect() as con:
        rows = cnil.load_cnil(con, Path(snapshot.path))
    return dg.MaterializeResult(metadata={"lignes": rows, "source_sha256": snapshot.sha256})


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
