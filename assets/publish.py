"""Publication: a validated, immutable Frictionless package under exports/<version>/."""

from pathlib import Path

import dagster as dg

from assets.core import REVIEWED_EXCLUSIONS, REVIEWED_MAPPINGS
from assets.raw import RAW_SOURCES
from assets.resources import WAREHOUSE_POOL, ObservatorySettings, Warehouse
from assets.run_summary import announce_release
from observatory.indicators.api import render_definitions_markdown
from observatory.publish.catalog import PUBLISHED_TABLES
from observatory.publish.documentation import render_readme
from observatory.publish.release import publish_release
from observatory.sources.live_metadata import release_sources
from observatory.sources.snapshot import Snapshot, sha256_file


def _sources(snapshots: list[Snapshot], referential: dict, demonstration: bool) -> list[dict]:
    label = " (données de démonstration)" if demonstration else ""
    sources = [
        {
            "title": f"{s.name}{label}",
            "path": Path(s.origin).name,
            "sha256": s.sha256,
            "bytes": s.size_bytes,
            "lu_le": s.read_at,
            "mode": s.mode,
        }
        for s in snapshots
    ]
    for item in referential["inputs"]:
        sources.append(
            {
                "title": item["source"],
                "path": item.get("file", ""),
                "sha256": item.get("sha256", ""),
                "licence": item.get("licence", ""),
                "producteur": item.get("producer", ""),
            }
        )
    return sources


@dg.asset(
    group_name="publish",
    ins={**{name: dg.AssetIn(name) for name in RAW_SOURCES}, "raw_cog__referentiel": dg.AssetIn()},
    deps=list(PUBLISHED_TABLES.values()),
    description="Paquet Frictionless versionné et immuable (CSV + Parquet + datapackage.json + DuckDB).",
    pool=WAREHOUSE_POOL,
)
def publish__paquet(
    context: dg.AssetExecutionContext,
    settings: ObservatorySettings,
    warehouse: Warehouse,
    raw_cog__referentiel: dict,
    **snapshots: Snapshot,
) -> dg.MaterializeResult:
    tree = settings.source_tree()
    demonstration = tree.is_demonstration
    ordered = [snapshots[name] for name in RAW_SOURCES]
    hashes = [s.sha256 for s in ordered] + [o["sha256"] for o in raw_cog__referentiel["outputs"]]
    # Reviewed decisions change the published rows, so they are inputs of the release too.
    reviewed = [path for path in (REVIEWED_MAPPINGS, REVIEWED_EXCLUSIONS) if path.exists()]
    hashes += [sha256_file(path) for path in reviewed]
    # Live mode: each data.gouv.fr resource behind the snapshots, with its ids and fetch time.
    sources = release_sources(tree.manifest()) + _sources(ordered, raw_cog__referentiel, demonstration)
    sources += [
        {
            "title": f"décisions de rapprochement revues ({path.name})",
            "path": f"mappings/{path.name}",
            "sha256": sha256_file(path),
        }
        for path in reviewed
    ]
    with warehouse.connect() as con:
        rows = {
            name: con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
            for name, table in PUBLISHED_TABLES.items()
        }
        definitions = render_definitions_markdown()

        def documentation(version: str) -> str:
            return render_readme(
                version=version,
                demonstration=demonstration,
                rows=rows,
                sources=sources,
                definitions_markdown=definitions,
            )

        release = publish_release(
            con,
            Path(settings.exports_dir),
            input_hashes=hashes,
            demonstration=demonstration,
            sources=sources,
            documentation=documentation,
            progress=context.log.info,
        )
    if not release.created:
        context.log.info(f"version {release.version} déjà publiée : rien n'est réécrit")
    announce_release(context, release.version, release.created)
    return dg.MaterializeResult(
        metadata={
            "version": release.version,
            "chemin": str(release.path),
            "nouvelle_version": release.created,
            "octets": release.bytes,
            "demonstration": demonstration,
            "lignes": dg.MetadataValue.json(release.rows),
        }
    )
