"""The code location: every asset, check, resource, job, schedule and sensor of the observatory."""

import dagster as dg

from assets.alerts import echec_de_run, with_freshness
from assets.console import steward_console
from assets.core import core_cog, core_reconciliation, source_tables
from assets.metadata import catalogue_spec
from assets.out import out_assets
from assets.publish import publish__paquet, publish__preparation
from assets.raw import raw_assets, raw_cog__referentiel, raw_datagouv__sources
from assets.report import publish__graphiques, publish__tableau_de_bord
from assets.resources import default_resources, run_tags
from assets.sensors import sources_datagouv
from assets.upload import publish__datagouv
from observatory import table_catalog as catalog

# Owners, team and source tags, columns from the Table Schemas, freshness: on every asset at once.
all_assets = dg.map_asset_specs(
    lambda spec: with_freshness(catalogue_spec(spec)),
    [
        raw_datagouv__sources,
        *raw_assets,
        raw_cog__referentiel,
        core_cog,
        *source_tables,
        core_reconciliation,
        *out_assets,
        publish__preparation,
        publish__graphiques,
        publish__tableau_de_bord,
        publish__paquet,
        publish__datagouv,
    ],
)

# DEBUG lines (one per step event) stay in the UI's event log; the terminal shows INFO and up.
QUIET_CONSOLE = {"loggers": {"console": {"config": {"log_level": "INFO"}}}}

observatoire_complet = dg.define_asset_job(
    "observatoire_complet",
    selection=dg.AssetSelection.all(),
    description="Des sources au paquet publié : tout le graphe, dans l'ordre.",
    # Read from the environment when the code location loads, as the resources are:
    # `dg launch` has no --tags, so the job carries them.
    tags=run_tags(),
    config=QUIET_CONSOLE,
)

# The raw and core layers of every source (groups are `<layer>_<source>`, as in PUDL).
SOURCE_GROUPS = sorted(
    {"raw_datagouv"}
    | {f"raw_{source.source}" for source in catalog.RAW_SOURCES}
    | {entry.group for entry in catalog.warehouse_tables("core")}
)

# A steward's dry run: load and reconcile the sources, run their checks, publish nothing.
controle_des_sources = dg.define_asset_job(
    "controle_des_sources",
    # With what a core table reads outside them (the DPD status reads the OPSN list, `out__opsn`).
    selection=dg.AssetSelection.groups(*SOURCE_GROUPS).upstream(),
    description="Charge et rapproche les sources, avec leurs contrôles, sans rien publier.",
    tags=run_tags(),
    config=QUIET_CONSOLE,
)

# Monthly, like the CNIL file's refresh; stopped until a steward turns it on in the UI.
rafraichissement_mensuel = dg.ScheduleDefinition(
    name="rafraichissement_mensuel",
    job=observatoire_complet,
    cron_schedule="0 6 2 * *",
    execution_timezone="Europe/Paris",
    default_status=dg.DefaultScheduleStatus.STOPPED,
)


def build_definitions(resources: dict | None = None) -> dg.Definitions:
    """`resources` replace the defaults (tests: temporary folders). A named job binds the code
    location's resources, so `execute_in_process(resources=...)` cannot swap them afterwards."""
    return dg.Definitions(
        assets=all_assets,
        jobs=[observatoire_complet, controle_des_sources],
        schedules=[rafraichissement_mensuel],
        sensors=[echec_de_run, sources_datagouv],
        resources={**default_resources(), **(resources or {})},
        loggers={"console": steward_console},
        # In-process: on 2 cores the multiprocess executor costs ~2 s per step, and every step
        # writes the same DuckDB file anyway, so steps could not run in parallel.
        executor=dg.in_process_executor,
    )


defs = build_definitions()
