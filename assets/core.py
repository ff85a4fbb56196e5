"""Core layer: sources loaded into the warehouse with declared types, then reconciled.

Every asset here is generated from observatory/table_catalog.py: name, group, dependencies,
description and the library function that builds it.
"""

from pathlib import Path

import dagster as dg

from assets.checks import check_results, check_specs
from assets.failures import snapshot_copies, steward_errors
from assets.metadata import ROW_COUNT, review_markdown, table_metadata
from assets.resources import WAREHOUSE_POOL, ObservatorySettings, Warehouse
from observatory import membership_sources
from observatory import table_catalog as catalog
from observatory.paths import MAPPINGS_DIR
from observatory.sources.snapshot import Snapshot

_BUILDS = catalog.builds()


def _spec(entry: catalog.Table, *extra_deps: str) -> dg.AssetSpec:
    return dg.AssetSpec(
        entry.name,
        group_name=entry.group,
        kinds={"duckdb"},
        deps=[*extra_deps, *entry.deps],
        description=entry.description,
    )


_COG = _BUILDS[catalog.REFERENTIAL_BUILD]


@dg.multi_asset(
    specs=[_spec(entry, catalog.raw_source(entry.raw).asset) for entry in _COG],
    check_specs=check_specs(*(entry.name for entry in _COG)),
    description="Référentiel COG 2026 chargé dans l'entrepôt avec les types de ses Table Schemas.",
    pool=WAREHOUSE_POOL,
)
def core_cog(warehouse: Warehouse):
    with warehouse.connect() as con:
        counts = catalog.build_function(_COG[0])(con)
        results = [
            dg.MaterializeResult(
                asset_key=table, metadata=table_metadata(con, table), check_results=check_results(con, table)
            )
            for table in counts
        ]
    yield from results


# Decisions a person reviewed: versioned data, applied before every automatic path.
REVIEWED_MAPPINGS = MAPPINGS_DIR / "rapprochements.csv"
REVIEWED_EXCLUSIONS = MAPPINGS_DIR / "exclusions.csv"


def _loaded_from_snapshot(entry: catalog.Table) -> dg.AssetsDefinition:
    """A warehouse table loaded from the immutable snapshot its raw asset took."""
    name, load = entry.name, catalog.build_function(entry)

    @dg.asset(
        name=name,
        group_name=entry.group,
        kinds={"duckdb"},
        deps=list(entry.deps),
        ins={"snapshot": dg.AssetIn(catalog.raw_source(entry.raw).asset)},
        description=entry.description,
        pool=WAREHOUSE_POOL,
        check_specs=check_specs(name),
    )
    @steward_errors(snapshot_copies)
    def _asset(context: dg.AssetExecutionContext, warehouse: Warehouse, snapshot: Snapshot) -> dg.MaterializeResult:
        context.log.info(f"{name} : lecture de {Path(snapshot.path).name}")
        with warehouse.connect() as con:
            # Errors name the steward's file (origin), not the snapshot copy read.
            load(con, Path(snapshot.path), snapshot.origin)
            metadata = table_metadata(con, name)
            checks = check_results(con, name)
        rows = metadata[ROW_COUNT].value
        context.log.info(f"{name} : {rows:,} lignes chargées".replace(",", "\u202f"))
        return dg.MaterializeResult(metadata={**metadata, "source_sha256": snapshot.sha256}, check_results=checks)

    return _asset


source_tables = [
    _loaded_from_snapshot(outputs[0])
    for build, outputs in _BUILDS.items()
    if build != catalog.REFERENTIAL_BUILD and all(entry.raw for entry in outputs)
]

_ADHESIONS, _MULTIPLES = _BUILDS[catalog.RECONCILIATION_BUILD]


def _count_by(con, column: str) -> dict:
    return dict(
        con.execute(f"SELECT coalesce({column}, '-'), count(*) FROM {_ADHESIONS.name} GROUP BY 1 ORDER BY 1").fetchall()
    )


@dg.multi_asset(
    specs=[_spec(_ADHESIONS), _spec(_MULTIPLES)],
    check_specs=check_specs(_ADHESIONS.name, _MULTIPLES.name),
    pool=WAREHOUSE_POOL,
)
@steward_errors()
def core_reconciliation(context: dg.AssetExecutionContext, warehouse: Warehouse, settings: ObservatorySettings):
    mappings = settings.source_tree().reviewed_mappings(REVIEWED_MAPPINGS)  # + the demo's own, demo tree only
    with warehouse.connect() as con:
        reconcile = catalog.build_function(_ADHESIONS)
        report = reconcile(con, mappings=mappings, exclusions=REVIEWED_EXCLUSIONS)
        stages = ", ".join(f"{stage} {seconds:.1f} s" for stage, seconds in report.seconds.items())
        count = f"{report.rows:,}".replace(",", "\u202f")
        context.log.info(f"rapprochement : {count} lignes ({stages})")
        for warning in report.warnings:
            context.log.warning(warning)
        statuses = _count_by(con, "statut_rapprochement")
        methods = _count_by(con, "methode_rapprochement")
        adhesions = table_metadata(con, _ADHESIONS.name)
        review = review_markdown(con, report.warnings, _ADHESIONS.name)
        multiples_metadata = table_metadata(con, _MULTIPLES.name)
        adhesions_checks = check_results(con, _ADHESIONS.name)
        multiples_checks = check_results(con, _MULTIPLES.name)
        by_source = membership_sources.rows_by_source(con)
    yield dg.MaterializeResult(
        asset_key=_ADHESIONS.name,
        metadata={
            **adhesions,
            "par_statut": dg.MetadataValue.json(statuses),
            "par_methode": dg.MetadataValue.json(methods),
            "par_source": dg.MetadataValue.json(by_source),
            "avertissements": len(report.warnings),
            "a_revoir": dg.MetadataValue.md(review),
        },
        check_results=adhesions_checks,
    )
    yield dg.MaterializeResult(asset_key=_MULTIPLES.name, metadata=multiples_metadata, check_results=multiples_checks)
