"""Optional last step: upload the latest release to a data.gouv.fr dataset (off unless configured)."""

from pathlib import Path

import dagster as dg

from assets.resources import WAREHOUSE_POOL, DatagouvUpload, ObservatorySettings
from observatory.datagouv.client import ClientSettings, DatagouvClient
from observatory.datagouv.errors import DatagouvError
from observatory.publish.upload import API_KEY_VARIABLE, DATASET_VARIABLE, upload_release


@dg.asset(
    group_name="publish",
    deps=["publish__paquet"],
    # It reads exports/ that another run's publish__paquet may be renaming into: one at a time.
    pool=WAREHOUSE_POOL,
    description=f"Désactivé par défaut. Avec {DATASET_VARIABLE} (jeu de données) et {API_KEY_VARIABLE} (clé, jamais "
    "journalisée), envoie les fichiers de la dernière publication, complète et validée, sur data.gouv.fr.",
)
def publish__datagouv(
    context: dg.AssetExecutionContext, settings: ObservatorySettings, upload: DatagouvUpload
) -> dg.MaterializeResult:
    dataset = upload.dataset
    if not dataset:
        return dg.MaterializeResult(metadata={"envoi": f"désactivé ({DATASET_VARIABLE} non défini)"})
    exports = Path(settings.exports_dir)
    release = exports / (exports / "LATEST").read_text(encoding="utf-8").strip()
    client = DatagouvClient(ClientSettings(base_url=settings.datagouv_url))
    try:
        sent = upload_release(client, release, dataset, upload.api_key, log=context.log.info)
    except DatagouvError as error:
        raise dg.Failure(description=str(error)) from error
    return dg.MaterializeResult(
        metadata={"jeu": dataset, "version": release.name, "fichiers": dg.MetadataValue.json(sent)}
    )
