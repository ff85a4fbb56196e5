"""Raw layer: immutable snapshots of each source file, with provenance as metadata."""

import dagster as dg

from assets.failures import steward_errors
from assets.metadata import snapshot_metadata
from assets.resources import ObservatorySettings
from observatory.datagouv.client import ClientSettings, DatagouvClient
from observatory.datagouv.errors import DatagouvError
from observatory.paths import MAPPINGS_DIR, REFERENTIAL_DIR
from observatory.referential import read_provenance
from observatory.sources.layout import OPTIONAL_SOURCES, empty_source
from observatory.sources.live import LiveFetcher, fetch_live_tree
from observatory.sources.snapshot import Snapshot, take_snapshot

# Reviewed list of declaration datasets read in live mode, besides those found by schema.
REVIEWED_DATASETS = MAPPINGS_DIR / "jeux_declarations.csv"

# asset name -> logical source name of the layout
RAW_SOURCES = {
    "raw_declarations__opsn": "declarations_opsn",
    "raw_declarations__adherents": "declarations_adherents",
    "raw_declarations__services": "declarations_services",
    "raw_cnil__designations": "cnil_designations",
    "raw_declarations__exclues": "declarations_exclues",
    "raw_anct__operateurs": "anct_operateurs",
    "raw_anct__adherents": "anct_adherents",
}


@dg.asset(
    group_name="raw",
    description="Mode live : télécharge de data.gouv.fr ce qui a changé (CNIL, déclarations trouvées par schéma "
    "et jeux revus) et consolide les déclarations dans la disposition commune. Sans effet dans les autres modes.",
)
def raw_datagouv__sources(context: dg.AssetExecutionContext, settings: ObservatorySettings) -> dg.MaterializeResult:
    if settings.sources_mode != "live":
        return dg.MaterializeResult(metadata={"mode": settings.sources_mode, "telechargements": 0})
    client = DatagouvClient(ClientSettings(base_url=settings.datagouv_url))
    fetcher = LiveFetcher(client, settings.live_dir, reviewed=REVIEWED_DATASETS,
                          progress=context.log.info, log=context.log.info)
    try:
        live = fetch_live_tree(fetcher)
    except DatagouvError as error:
        raise dg.Failure(description=f"{error}\nLes instantanés précédents restent en place.") from error
    excluded = live.consolidation.excluded
    return dg.MaterializeResult(
        metadata={
            "mode": "live",
            "portail": settings.datagouv_url,
            "arbre": str(live.tree.root.resolve()),
            "ressources": len(live.downloads),
            "fichiers_telecharges": live.downloaded_files,
            "declarations_retenues": len(live.consolidation.kept),
            "ressources_ecartees": len({row["ressource"] for row in excluded}),
            "alertes": dg.MetadataValue.json(live.consolidation.flags),
        }
    )


def _raw_asset(asset_name: str, source_name: str) -> dg.AssetsDefinition:
    @dg.asset(
        name=asset_name,
        group_name="raw",
        kinds={"csv"},
        deps=["raw_datagouv__sources"],
        description=f"Instantané immuable de la source « {source_name} » (chemin, sha256, taille, lecture).",
    )
    @steward_errors()
    def _snapshot(context: dg.AssetExecutionContext, settings: ObservatorySettings) -> dg.Output[Snapshot]:
        tree = settings.source_tree()
        path = tree.optional_path(source_name) if source_name in OPTIONAL_SOURCES else tree.path(source_name)
        if path is None:
            context.log.info(f"{source_name} : absent de {tree.root}, table publiée vide")
            path = empty_source(source_name, settings.snapshots_dir / "vides")
        snapshot = take_snapshot(source_name, path, settings.snapshots_dir, settings.sources_mode)
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
