"""Core layer: sources loaded into the warehouse with declared types, then reconciled."""

from collections.abc import Callable
from pathlib import Path

import dagster as dg
import duckdb

from assets.failures import snapshot_copies, steward_errors
from assets.metadata import ROW_COUNT, review_markdown, table_metadata
from assets.resources import WAREHOUSE_POOL, ObservatorySettings, Warehouse
from observatory import anct, cnil, declarations, membership_sources
from observatory.paths import MAPPINGS_DIR
from observatory.reconcile.duplicates import flag_multiple_memberships
from observatory.reconcile.engine import reconcile_members
from observatory.referential import TABLES as COG_TABLES
from observatory.referential import load_referential
from observatory.sources.consolidate import load_excluded
from observatory.sources.snapshot import Snapshot


@dg.multi_asset(
    group_name="core",
    specs=[dg.AssetSpec(table, deps=["raw_cog__referentiel"], kinds={"duckdb"}) for table in COG_TABLES.values()],
    description="Référentiel COG 2026 chargé dans l'entrepôt avec les types de ses Table Schemas.",
    pool=WAREHOUSE_POOL,
)
def core_cog(warehouse: Warehouse):
    with warehouse.connect() as con:
        counts = load_referential(con)
        results = [dg.MaterializeResult(asset_key=table, metadata=table_metadata(con, table)) for table in counts]
    yield from results


# Decisions a person reviewed: versioned data, applied before every automatic path.
REVIEWED_MAPPINGS = MAPPINGS_DIR / "rapprochements.csv"
REVIEWED_EXCLUSIONS = MAPPINGS_DIR / "exclusions.csv"


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
        pool=WAREHOUSE_POOL,
    )
    @steward_errors(snapshot_copies)
    def _asset(context: dg.AssetExecutionContext, warehouse: Warehouse, snapshot: Snapshot) -> dg.MaterializeResult:
        context.log.info(f"{name} : lecture de {Path(snapshot.path).name}")
        with warehouse.connect() as con:
            # Errors name the steward's file (origin), not the snapshot copy read.
            load(con, Path(snapshot.path), snapshot.origin)
            metadata = table_metadata(con, name)
        rows = metadata[ROW_COUNT].value
        context.log.info(f"{name} : {rows:,} lignes chargées".replace(",", "\u202f"))
        return dg.MaterializeResult(metadata={**metadata, "source_sha256": snapshot.sha256})

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
    _loaded_from_snapshot(
        "core_declarations__exclues",
        "raw_declarations__exclues",
        "Déclarations trouvées sur data.gouv.fr et écartées (mode live), avec ligne, champ et motif ; vide sinon.",
        lambda con, path, origin: load_excluded(con, path),
    ),
    _loaded_from_snapshot(
        "core_anct__operateurs",
        "raw_anct__operateurs",
        "Opérateurs de la Suite territoriale (fichier quotidien de l'ANCT) ; est_opsn écarte l'ANCT et les tests.",
        lambda con, path, origin: anct.load_operators(con, path),
    ),
    _loaded_from_snapshot(
        "core_anct__adherents",
        "raw_anct__adherents",
        "Collectivités inscrites par chaque opérateur à la Suite territoriale (ANCT) : une seconde source d'adhésion.",
        lambda con, path, origin: anct.load_members(con, path),
    ),
]


@dg.multi_asset(
    group_name="core",
    specs=[
        dg.AssetSpec(
            "core_declarations__adhesions",
            kinds={"duckdb"},
            deps=[
                "core_declarations__adherents",
                "core_declarations__opsn",
                "core_anct__operateurs",
                "core_anct__adherents",
                *COG_TABLES.values(),
            ],
            description="Chaque adhésion déclarée rapprochée du COG, et pour un OPSN sans déclaration les "
            "collectivités qu'il a inscrites auprès de l'ANCT (source_adhesion ; contrat schemas/adhesions.json).",
        ),
        dg.AssetSpec(
            "core_declarations__adhesions_multiples",
            kinds={"duckdb"},
            deps=["core_declarations__adhesions"],
            description="Collectivités déclarées directement par deux OPSN ou plus.",
        ),
    ],
    pool=WAREHOUSE_POOL,
)
@steward_errors()
def core_reconciliation(context: dg.AssetExecutionContext, warehouse: Warehouse, settings: ObservatorySettings):
    mappings = settings.source_tree().reviewed_mappings(REVIEWED_MAPPINGS)  # + the demo's own, demo tree only
    with warehouse.connect() as con:
        # An OPSN's declaration, else its ANCT adherents: one input, one reconciliation.
        members, opsn = membership_sources.build_membership_input(con)
        report = reconcile_members(
            con, members=members, opsn=opsn, mappings=mappings, exclusions=REVIEWED_EXCLUSIONS
        )
        stages = ", ".join(f"{stage} {seconds:.1f} s" for stage, seconds in report.seconds.items())
        count = f"{report.rows:,}".replace(",", "\u202f")
        context.log.info(f"rapprochement : {count} lignes ({stages})")
        for warning in report.warnings:
            context.log.warning(warning)
        flag_multiple_memberships(con)
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
        by_source = membership_sources.rows_by_source(con)
        adhesions = table_metadata(con, "core_declarations__adhesions")
        review = review_markdown(con, report.warnings, "core_declarations__adhesions")
        multiples_metadata = table_metadata(con, "core_declarations__adhesions_multiples")
    yield dg.MaterializeResult(
        asset_key="core_declarations__adhesions",
        metadata={
            **adhesions,
            "par_statut": dg.MetadataValue.json(statuses),
            "par_methode": dg.MetadataValue.json(methods),
            "par_source": dg.MetadataValue.json(by_source),
            "avertissements": len(report.warnings),
            "a_revoir": dg.MetadataValue.md(review),
        },
    )
    yield dg.MaterializeResult(asset_key="core_declarations__adhesions_multiples", metadata=multiples_metadata)


@dg.asset(
    group_name="out",
    kinds={"duckdb"},
    pool=WAREHOUSE_POOL,
    deps=["core_declarations__adhesions", "core_declarations__opsn", "core_anct__operateurs", "core_anct__adherents"],
    description="Par OPSN, adhérents de sa déclaration et du fichier de l'ANCT comparés (table comparaison_sources).",
)
def out__comparaison_sources(warehouse: Warehouse) -> dg.MaterializeResult:
    with warehouse.connect() as con:
        anct.compare_sources(con)
        retained = dict(
            con.execute(f"SELECT source_retenue, count(*) FROM {anct.COMPARISON_TABLE} GROUP BY 1").fetchall()
        )
        metadata = table_metadata(con, anct.COMPARISON_TABLE)
    return dg.MaterializeResult(metadata={**metadata, "source_retenue": dg.MetadataValue.json(retained)})
