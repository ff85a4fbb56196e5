"""What live mode says about its sources without downloading them.

The sensor's view of the portal (versions of the watched resources) and the release's
`sources` entries (each data.gouv.fr resource behind a snapshot, with its fetch time).
"""

from __future__ import annotations

from observatory.sources.live import CNIL_DATASET, CNIL_RESOURCE, LiveFetcher, declaration_schema_names


def release_sources(manifest: dict) -> list[dict]:
    """The release's `sources` entries for live downloads: enough to trace a figure to a resource.

    A declaration published by another organisation than the OPSN it declares carries its alert.
    """
    alerts = {flag["ressource"]: flag for flag in manifest.get("alertes", [])}
    entries = [
        {
            "title": f"{item.get('titre_jeu') or item['dataset_id']} : "
            f"{item.get('titre_ressource') or item['resource_id']}",
            "path": item["url"],
            "jeu_de_donnees": item["dataset_id"],
            "ressource": item["resource_id"],
            "page": item.get("page"),
            "telecharge_le": item["fetched_at"],
            "hash": f"sha256:{item['sha256']}",
            "bytes": item["size_bytes"],
            "derniere_modification": item.get("derniere_modification"),
            "licence": item.get("licence"),
            "role": item["role"],
        }
        for item in manifest.get("telechargements", [])
    ]
    for entry in entries:
        if flag := alerts.get(entry["ressource"]):
            entry["alerte"] = f"{flag['alerte']} : organisation {flag['siren_organisation']}, OPSN {flag['siren_opsn']}"
    return entries


def watched_versions(fetcher: LiveFetcher) -> dict[str, str]:
    """resource id -> "last_modified checksum" for the CNIL file and every declaration resource.

    Metadata only, no download. The ANCT files are left out on purpose: they change every day
    and are taken at the next run, never a reason for a release of their own.
    """
    names = declaration_schema_names()
    versions = {}
    cnil = fetcher.client.dataset(CNIL_DATASET)
    watched = [fetcher._resource(cnil, CNIL_RESOURCE, ".csv")]
    for dataset, reviewed in fetcher.declaration_datasets():
        for resource in dataset.get("resources", []):
            declared = (resource.get("schema") or {}).get("name") in names
            if declared or (reviewed and (resource.get("format") or "").startswith("csv")):
                watched.append(resource)
    for resource in watched:
        checksum = (resource.get("checksum") or {}).get("value") or ""
        versions[resource["id"]] = f"{resource.get('last_modified') or ''} {checksum}".strip()
    return versions
