"""Charts and the HTML dashboard of the release being prepared (seam 1: between publish__preparation and
publish__paquet). They are written into the staging folder, before the release becomes visible; when an
identical release is already published (`staging` is None) there is nothing to do."""

import base64
import tempfile
import time
from pathlib import Path

import dagster as dg

from assets.resources import WAREHOUSE_POOL
from observatory.report import render_charts, render_dashboard

DASHBOARD_DIR = "tableau-de-bord"
PREVIEW_CHART = "carte-couverture"


def _target(prepared) -> Path | None:
    staging = getattr(prepared, "staging", None)
    return None if staging is None else Path(staging) / DASHBOARD_DIR


def _nothing_to_do(prepared) -> dg.MaterializeResult:
    existing = getattr(prepared, "existing", None)
    return dg.MaterializeResult(
        metadata={"statut": dg.MetadataValue.text(f"Rien à refaire : version identique déjà publiée ({existing})")}
    )


@dg.asset(
    group_name="publish",
    ins={"publish__preparation": dg.AssetIn()},
    # Publication steps run one at a time, like the warehouse writers: they fill the same staging folder.
    pool=WAREHOUSE_POOL,
    description="Graphiques et cartes de la version (SVG, PNG ×2, CSV des données), dans <version>/tableau-de-bord/.",
)
def publish__graphiques(context: dg.AssetExecutionContext, publish__preparation) -> dg.MaterializeResult:
    out = _target(publish__preparation)
    if out is None:
        return _nothing_to_do(publish__preparation)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as scratch:
        thumbnail = Path(scratch) / f"{PREVIEW_CHART}.png"
        entries = render_charts(out.parent, out, progress=context.log.info, preview=(PREVIEW_CHART, thumbnail))
        preview = ""
        if thumbnail.exists():
            encoded = base64.b64encode(thumbnail.read_bytes()).decode()
            preview = f"![{PREVIEW_CHART}](data:image/png;base64,{encoded})\n\n"
    seconds = time.perf_counter() - start
    listing = "\n".join(f"- `{e['sujet']}` : {e['titre']}" for e in entries)
    return dg.MaterializeResult(
        metadata={
            "aperçu": dg.MetadataValue.md(preview + listing),
            "graphiques": len(entries),
            # Measured apart from the rest of the graph (issue 13): rendering has its own budget.
            "durée (s)": round(seconds, 1),
            "dossier": dg.MetadataValue.path(str(out)),
        }
    )


@dg.asset(
    group_name="publish",
    ins={"publish__preparation": dg.AssetIn()},
    deps=[publish__graphiques],
    pool=WAREHOUSE_POOL,
    description="Tableau de bord HTML statique de la version (<version>/tableau-de-bord/index.html), sans réseau.",
)
def publish__tableau_de_bord(context: dg.AssetExecutionContext, publish__preparation) -> dg.MaterializeResult:
    out = _target(publish__preparation)
    if out is None:
        return _nothing_to_do(publish__preparation)
    start = time.perf_counter()
    page = render_dashboard(out.parent, out)
    seconds = time.perf_counter() - start
    size = sum(p.stat().st_size for p in out.iterdir() if p.is_file())
    context.log.info(f"tableau de bord : {page} ({size / 1e6:.1f} Mo avec ses graphiques)")
    sections = "\n".join(f"- {line}" for line in ("Chiffres clés", "Graphiques", "Par département", "Fichiers"))
    return dg.MaterializeResult(
        metadata={
            "aperçu": dg.MetadataValue.md(f"**{page.name}** ({page.stat().st_size / 1024:.0f} Ko)\n\n{sections}"),
            "page": dg.MetadataValue.path(str(page)),
            "taille totale (Mo)": round(size / 1e6, 2),
            "durée (s)": round(seconds, 1),
        }
    )
