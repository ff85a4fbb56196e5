"""Publication in two steps: prepare (staging folder, validated) then finalize (rename, catalogue).

Report assets slot in between (they write into `prepared.staging`); `publish__paquet` takes
them as extra dependencies through `paquet_asset(extra_deps=...)`.
"""

from pathlib import Path

import dagster as dg

from assets.raw import RAW_SOURCES
from assets.resources import WAREHOUSE_POOL, ObservatorySettings, Warehouse
from assets.run_summary import announce_release
from observatory.anct import SOURCE_TITLES
from observatory.cnil import TABLE as CNIL_TABLE
from observatory.indicators.api import render_definitions_markdown
from observatory.paths import MAPPINGS_DIR
from observatory.publish.catalog import DEMO_LABEL, PUBLISHED_TABLES
from observatory.publish.documentation import render_readme
from observatory.publish.identity import data_date
from observatory.publish.release import PreparedRelease, finalize_release, prepare_release, write_outcome
from observatory.sources.live_metadata import release_sources
from observatory.sources.snapshot import Snapshot, sha256_file


def _sources(snapshots: list[Snapshot], referential: dict, reviewed: list[Path], demonstration: bool) -> list[dict]:
    """Data Package `sources`, standard keys (`hash`, `bytes`); no read time, which would change the bytes."""
    label = f" ({DEMO_LABEL})" if demonstration else ""
    sources = [
        {
            "title": f"{SOURCE_TITLES.get(s.name, s.name)}{label}",
            "path": Path(s.origin).name,
            "hash": f"sha256:{s.sha256}",
            "bytes": s.size_bytes,
            "mode": s.mode,
        }
        for s in snapshots
    ]
    for item in referential["inputs"]:
        source = {
            "title": item["source"],
            "path": item.get("file", ""),
            "licence": item.get("licence", ""),
            "producteur": item.get("producer", ""),
        }
        if item.get("sha256"):
            source["hash"] = f"sha256:{item['sha256']}"
        if item.get("bytes"):
            source["bytes"] = item["bytes"]
        sources.append(source)
    sources += [
        {
            "title": f"décisions revues ({path.name})",
            "path": f"mappings/{path.name}",
            "hash": f"sha256:{sha256_file(path)}",
            "bytes": path.stat().st_size,
        }
        for path in reviewed
    ]
    return sources


def _manifest(settings: ObservatorySettings) -> dict:
    try:
        return settings.source_tree().manifest()
    except Exception:  # live mode has no folder of its own to declare a date in
        return {}


def _last_modified(manifest: dict) -> list[str | None]:
    """Live mode: the portal's `last_modified` of every resource behind the snapshots (none otherwise)."""
    return [item.get("derniere_modification") for item in manifest.get("telechargements", [])]


@dg.asset(
    group_name="publish",
    ins={**{name: dg.AssetIn(name) for name in RAW_SOURCES}, "raw_cog__referentiel": dg.AssetIn()},
    deps=list(PUBLISHED_TABLES.values()),
    description="Publication préparée : dossier provisoire validé (tables, datapackage.json, README, DuckDB, "
    "changements), ou la version identique déjà publiée.",
    pool=WAREHOUSE_POOL,
)
def publish__preparation(
    context: dg.AssetExecutionContext,
    settings: ObservatorySettings,
    warehouse: Warehouse,
    raw_cog__referentiel: dict,
    **snapshots: Snapshot,
) -> dg.Output[PreparedRelease]:
    manifest = _manifest(settings)
    demonstration = bool(manifest.get("demonstration", False))
    ordered = [snapshots[name] for name in RAW_SOURCES]
    # Reviewed decisions change the published rows, so they are inputs of the release too.
    reviewed = sorted(MAPPINGS_DIR.glob("*.csv"))
    hashes = [s.sha256 for s in ordered] + [o["sha256"] for o in raw_cog__referentiel["outputs"]]
    hashes += [f"{path.name}:{sha256_file(path)}" for path in reviewed]
    # Live mode: each data.gouv.fr resource behind the snapshots, with its ids and fetch time.
    sources = release_sources(manifest) + _sources(ordered, raw_cog__referentiel, reviewed, demonstration)
    definitions = render_definitions_markdown()

    def documentation(**identity) -> str:
        return render_readme(demonstration=demonstration, sources=sources, definitions_markdown=definitions, **identity)

    with warehouse.connect() as con:
        newest = con.execute(f"SELECT max(date_de_la_designation) FROM {CNIL_TABLE}").fetchone()[0]
        date = data_date(
            last_modified=_last_modified(manifest), manifest=manifest, newest_designation=newest and str(newest)
        )
        prepared = prepare_release(
            con,
            Path(settings.exports_dir),
            input_hashes=hashes,
            data_date=date,
            demonstration=demonstration,
            sources=sources,
            documentation=documentation,
            progress=context.log.info,
        )
    return dg.Output(
        prepared,
        metadata={
            "version": prepared.version,
            "empreinte": prepared.fingerprint,
            "date_donnees": date,
            "identique_a_une_version_publiee": prepared.staging is None,
            "version_precedente": prepared.previous or "",
        },
    )


def paquet_asset(extra_deps: list[str] | tuple[str, ...] = ()) -> dg.AssetsDefinition:
    """The finalizing step; report assets that fill the staging folder are passed as `extra_deps`."""

    @dg.asset(
        name="publish__paquet",
        group_name="publish",
        ins={"publish__preparation": dg.AssetIn()},
        deps=list(extra_deps),
        pool=WAREHOUSE_POOL,
        description="Paquet Frictionless versionné et immuable (CSV + Parquet + datapackage.json + DuckDB), "
        "mis en place d'un seul renommage, puis exports/index.json et exports/LATEST.",
    )
    def _paquet(
        context: dg.AssetExecutionContext, settings: ObservatorySettings, publish__preparation: PreparedRelease
    ) -> dg.MaterializeResult:
        release = finalize_release(publish__preparation)
        write_outcome(Path(settings.build_dir), release)
        context.log.info(release.outcome)
        announce_release(context, release.version, release.created)
        return dg.MaterializeResult(
            metadata={
                "version": release.version,
                "chemin": str(release.path),
                "nouvelle_version": release.created,
                "octets": release.bytes,
                "demonstration": publish__preparation.demonstration,
                "lignes": dg.MetadataValue.json(release.rows),
            }
        )

    return _paquet


publish__paquet = paquet_asset(extra_deps=["publish__tableau_de_bord"])
