"""Publishing back (off by default): a finished release's files uploaded to a data.gouv.fr dataset.

Each file replaces the dataset's resource of the same title
(`POST /api/1/datasets/{id}/resources/{rid}/upload/`), or becomes a new resource
(`POST /api/1/datasets/{id}/upload/`). The API key travels in the `X-API-KEY` header only:
it is never logged nor put in an error message.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import requests

from observatory.datagouv.client import DatagouvClient
from observatory.datagouv.errors import DatagouvError

API_KEY_VARIABLE = "OBSERVATORY_DATAGOUV_API_KEY"
DATASET_VARIABLE = "OBSERVATORY_DATAGOUV_DATASET_PUBLICATION"


class UploadRefused(DatagouvError):
    pass


def release_files(release: Path) -> list[Path]:
    """The files a portal user downloads: tables (CSV), descriptor, README. Refuses an unfinished release."""
    if release.name.startswith(".") or not (release / "datapackage.json").exists():
        raise UploadRefused(
            str(release),
            "publication incomplète (pas de datapackage.json, ou dossier de préparation)",
            expected="un dossier exports/<version> publié et validé",
        )
    files = sorted(release.glob("*.csv")) + [release / "datapackage.json"]
    return files + ([release / "README.md"] if (release / "README.md").exists() else [])


def upload_release(
    client: DatagouvClient,
    release: Path,
    dataset_id: str,
    api_key: str,
    log: Callable[[str], None] | None = None,
) -> list[dict]:
    if not api_key:
        raise UploadRefused(dataset_id, f"clé API absente ({API_KEY_VARIABLE})", expected="une clé de producteur")
    files = release_files(release)
    existing = {r.get("title"): r["id"] for r in client.dataset(dataset_id).get("resources", [])}
    done = []
    for path in files:
        rid = existing.get(path.name)
        suffix = f"resources/{rid}/upload/" if rid else "upload/"
        url = client.api_url(f"datasets/{dataset_id}/{suffix}")
        try:
            with path.open("rb") as handle:
                response = client.session.post(
                    url, headers={"X-API-KEY": api_key}, files={"file": (path.name, handle)}, timeout=client.timeout
                )
        except requests.RequestException as error:
            raise DatagouvError(url, f"envoi de {path.name} impossible ({error.__class__.__name__})") from error
        if response.status_code in (401, 403):
            raise UploadRefused(
                url,
                "clé API refusée par le portail",
                status=response.status_code,
                expected=f"une clé valide de producteur du jeu {dataset_id}",
            )
        if response.status_code not in (200, 201):
            raise DatagouvError(url, f"envoi de {path.name} refusé", status=response.status_code, expected="200 ou 201")
        body = response.json()
        done.append({"fichier": path.name, "ressource": body.get("id") or rid, "nouvelle": rid is None})
        if log:
            log(f"data.gouv.fr : {path.name} {'remplace la ressource ' + rid if rid else 'ajouté'}")
    return done
