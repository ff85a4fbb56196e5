"""The code location: every asset, check, resource, job and schedule of the observatory."""

import dagster as dg

from assets.checks import contract_checks, core_checks, siren_checks
from assets.core import core_cog, core_reconciliation, source_tables
from assets.out import out_assets
from assets.publish import publish__paquet
from assets.raw import raw_assets, raw_cog__referentiel
from assets.resources import default_resources

all_assets = [
    *raw_assets,
    raw_cog__referentiel,
    core_cog,
    *source_tables,
    core_reconciliation,
    *out_assets,
    publish__paquet,
]

observatoire_complet = dg.define_asset_job(
    "observatoire_complet",
    selection=dg.AssetSelection.all(),
    description="Des sources au paquet publié : tout le graphe, dans l'ordre.",
)

# Monthly, like the CNIL file's refresh; stopped until a steward turns it on in the UI.
rafraichissement_mensuel = dg.ScheduleDefinition(
    name="rafraichissement_mensuel",
    job=observatoire_complet,
    cron_schedule="0 6 2 * *",
    execution_timezone="Europe/Paris",
    default_status=dg.DefaultScheduleStatus.STOPPED,
)

defs = dg.Definitions(
    assets=all_assets,
    asset_checks=[*contract_checks, *core_checks, *siren_checks],
    jobs=[observatoire_complet],
    schedules=[rafraichissement_mensuel],
    resources=default_resources(),
    # In-process: on 2 cores the multiprocess executor costs ~2 s per step, and every step
    # writes the same DuckDB file anyway, so steps could not run in parallel.
    executor=dg.in_process_executor,
)
