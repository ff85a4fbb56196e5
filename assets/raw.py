"""Raw layer: immutable snapshots of each source file, with provenance as metadata."""

import dagster as dg

from assets.failures import steward_errors
from assets.metadata import snapshot_metadata
from assets.resources import ObservatorySettings
from observatory import table_catalog as catalog
from observatory.datagouv.client import ClientSettings, DatagouvClient
from observatory.datagouv.errors import DatagouvError
from observatory.paths import MAPPINGS_DIR, REFERENTIAL_DIR
from observatory.referential import read_provenance
from observatory.sources.layout import empty_source
from observatory.sources.live import LiveFetcher, fetch_live_tree
from observatory.sources.snapshot import Snapshot, take_snapshot

# Reviewed list of declaration datasets read in live mode, besides those found by schema.
REVIEWED_DATASETS = MAPPINGS_DIR / "jeux_declarations.csv"

# asset name -> logical source name of the layout (files snapshotted from a source tree)
RAW_SOURCES = {source.asset: source.name for source in catalog.RAW_SOURCES if source.path}


@dg.asset(
    group_name="raw_datagouv",
    description="Mode live : télécharge de data.gouv.fr ce qui a changé (CNIL, déclarations trouvées par schéma "
    "et jeux revus) et consolide les déclarations dans la disposition commune. Sans effet dans les autres modes.",
)
def raw_datagouv__sources(context: dg.AssetExecutionContext, settings: ObservatorySettings) -> dg.MaterializeResult:
    if settings.sources_mode != "live":
        return dg.MaterializeResult(metadata={"mode": settings.sources_mode, "telechargements": 0})
    client = DatagouvClient(ClientSettings(base_url=settings.datagouv_url))
    fetcher = LiveFetcher(
        client, settings.live_dir, reviewed=REVIEWED_DATASETS, progress=context.log.info, log=context.log.info
    )
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


def _raw_asset(source: catalog.RawSource) -> dg.AssetsDefinition:
    @dg.asset(
        name=source.asset,
        group_name=f"raw_{source.source}",
        kinds={"csv"},
        deps=[raw_datagouv__sources],
        description=f"Instantané immuable de la source « {source.name} » (chemin, sha256, taille, lecture).",
    )
    @steward_errors()
    def _snapshot(context: dg.AssetExecutionContext, settings: ObservatorySettings) -> dg.Output[Snapshot]:
        tree = settings.source_tree()
        path = tree.optional_path(source.name) if source.optional else tree.path(source.name)
        if path is None:
            context.log.info(f"{source.name} : absent de {tree.root}, table publiée vide")
            path = empty_source(source.name, settings.snapshots_dir / "vides")
        snapshot = take_snapshot(source.name, path, settings.snapshots_dir, settings.sources_mode)
        context.log.info(f"{source.name}: {snapshot.origin} -> {snapshot.path} ({snapshot.sha256[:12]})")
        metadata = {**snapshot_metadata(snapshot), "demonstration": tree.is_demonstration}
        return dg.Output(snapshot, metadata=metadata)

    return _snapshot


raw_assets = [_raw_asset(source) for source in catalog.RAW_SOURCES if source.path]

_REFERENTIAL = catalog.raw_source("cog_referentiel")


@dg.asset(
    name=_REFERENTIAL.asset,
    group_name=f"raw_{_REFERENTIAL.source}",
    kinds={"parquet"},
    description=_REFERENTIAL.description,
)
def raw_cog__referentiel() -> dg.Output[dict]:
    provenance = read_provenance(REFERENTIAL_DIR)
    outputs = provenance["outputs"]
    return dg.Output(provenance, metadata={"fichiers": len(outputs), "provenance": dg.MetadataValue.json(provenance)})
