"""Raw layer: immutable snapshots of each source file, with provenance as metadata."""

import dagster as dg

from assets.failures import steward_errors
from assets.metadata import snapshot_metadata
from assets.resources import ObservatorySettings
from observatory.paths import REFERENTIAL_DIR
from observatory.referential import read_provenance
from observatory.sources.snapshot import Snapshot, take_snapshot

# asset name -> logical source name of the layout
RAW_SOURCES = {
    "raw_declarations__opsn": "declarations_opsn",
    "raw_declarations__adherents": "declarations_adherents",
    "raw_declarations__services": "declarations_services",
    "raw_cnil__designations": "cnil_designations",
}


def _raw_asset(asset_name: str, source_name: str) -> dg.AssetsDefinition:
    @dg.asset(
        name=asset_name,
        group_name="raw",
        kinds={"csv"},
        description=f"Instantané immuable de la source « {source_name} » (chemin, sha256, taille, lecture).",
    )
    @steward_errors()
    def _snapshot(context: dg.AssetExecutionContext, settings: ObservatorySettings) -> dg.Output[Snapshot]:
        tree = settings.source_tree()
        snapshot = take_snapshot(source_name, tree.path(source_name), settings.snapshots_dir, settings.sources_mode)
        context.log.info(f"{source_name}: {snapshot.origin} -> {snapshot.path} ({snapshot.sha256[:12]})")
        metadata = {**snapshot_metadata(snapshot), "demonstration": tree.is_demonstration}
        return dg.Output(snapshot, metadata=metadata)

    return _snapshot


raw_assets = [_raw_asset(asset, source) for asset, source in RAW_SOURCES.items()]


@dg.asset(
    group_name="raw",
    kinds={"parquet"},
    description="Référentiel officiel vendu dans le dépôt (COG 2026 et historique) : sa provenance.",
)
def raw_cog__referentiel() -> dg.Output[dict]:
    provenance = read_provenance(REFERENTIAL_DIR)
    outputs = provenance["outputs"]
    return dg.Output(provenance, metadata={"fichiers": len(outputs), "provenance": dg.MetadataValue.json(provenance)})
