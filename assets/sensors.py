"""A sensor that asks for a run when a source the release depends on changed on data.gouv.fr."""

import hashlib
import json

import dagster as dg

from assets.raw import REVIEWED_DATASETS
from assets.resources import ObservatorySettings
from observatory.datagouv.client import ClientSettings, DatagouvClient
from observatory.datagouv.errors import DatagouvError
from observatory.sources.live import LiveFetcher
from observatory.sources.live_metadata import watched_versions

JOB_NAME = "observatoire_complet"


@dg.sensor(
    name="sources_datagouv",
    job_name=JOB_NAME,
    minimum_interval_seconds=6 * 3600,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description="Mode live : interroge les métadonnées data.gouv.fr (last_modified, checksum) du fichier CNIL et "
    "des déclarations ; demande une exécution quand l'un d'eux a changé. Les fichiers quotidiens de l'ANCT "
    "ne déclenchent rien : ils sont pris à l'exécution suivante. Curseur : les versions vues la dernière fois.",
)
def sources_datagouv(context: dg.SensorEvaluationContext, settings: ObservatorySettings):
    if settings.sources_mode != "live":
        return dg.SkipReason(f"mode {settings.sources_mode} : rien à surveiller sur data.gouv.fr")
    client = DatagouvClient(ClientSettings(base_url=settings.datagouv_url))
    try:
        current = watched_versions(LiveFetcher(client, settings.live_dir, reviewed=REVIEWED_DATASETS))
    except DatagouvError as error:
        return dg.SkipReason(f"data.gouv.fr illisible, nouvel essai au prochain passage : {error}")
    seen = json.loads(context.cursor) if context.cursor else None
    context.update_cursor(json.dumps(current, sort_keys=True))
    if seen is None:
        return dg.SkipReason(f"état initial enregistré : {len(current)} ressources surveillées")
    changed = sorted(rid for rid in current if seen.get(rid) != current[rid])
    if not changed:
        return dg.SkipReason("aucune ressource surveillée n'a changé")
    context.log.info(f"ressources changées sur data.gouv.fr : {', '.join(changed)}")
    run_key = hashlib.sha256(json.dumps(current, sort_keys=True).encode()).hexdigest()[:16]
    return dg.RunRequest(
        run_key=run_key,
        tags={"observatoire/declencheur": "sources_datagouv", "observatoire/ressources_changees": str(len(changed))},
    )
