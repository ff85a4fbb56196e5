"""Live mode: fetch the sources from data.gouv.fr and lay them out as every other mode does.

The result is a SourceTree (cnil/, declarations/, anct/) under `<work>/arbres/<id>/`, and the
symbolic link `<work>/arbre` switched to it only once everything was downloaded and checked:
a failed run leaves the previous tree, and the previous downloads, in place.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from observatory.datagouv.client import DatagouvClient
from observatory.datagouv.download import Download, download_resource
from observatory.datagouv.errors import DatagouvError
from observatory.schemas import field_names, load_descriptor
from observatory.sources.consolidate import KINDS, Consolidation, DeclarationResource, consolidate, write_consolidation
from observatory.sources.csvfile import LINE_NUMBER, read_csv_strings, require_columns
from observatory.sources.field_types import type_frame
from observatory.sources.layout import MANIFEST_NAME, SOURCE_FILES, SourceTree

CNIL_DATASET = "organismes-ayant-designe-un-e-delegue-e-a-la-protection-des-donnees-dpd-dpo"
CNIL_RESOURCE = "c5d02b42-1008-4406-83f5-3a81c8b936a3"
ANCT_DATASET = "68b0a2a1117b75b1b09edc6b"
# logical source name of the layout -> ANCT resource id (data-sources.md §3.1)
ANCT_RESOURCES = {
    "anct_operateurs": "902bb360-0b60-46d2-8169-4207a01caed1",
    "anct_adherents": "ffc74be0-fb88-40cf-9048-f53e955eac28",
}
REVIEWED_SCHEMA = "mappings/jeux_declarations"
TREE_LINK = "arbre"


def declaration_schema_names() -> dict[str, str]:
    """udata schema `name` (as in schemas/declaration/*.json) -> kind of declaration resource."""
    return {load_descriptor(schema)["name"]: kind for kind, schema in KINDS.items()}


def read_reviewed_datasets(path: Path) -> list[dict]:
    """mappings/jeux_declarations.csv, checked against its schema; absent or empty: no dataset."""
    if not path.exists():
        return []
    frame = read_csv_strings(path)
    require_columns(path, frame, field_names(REVIEWED_SCHEMA))
    if frame.empty:
        return []
    frame = type_frame(path, frame[[LINE_NUMBER, *field_names(REVIEWED_SCHEMA)]], REVIEWED_SCHEMA)
    return frame.to_dict("records")


def _organisation_siren(dataset: dict) -> str | None:
    number = ((dataset.get("organization") or {}).get("business_number_id") or "").replace(" ", "")
    return number[:9] if len(number) >= 9 and number[:9].isdigit() else None


def _kind_by_header(path: Path) -> str | None:
    """For a reviewed dataset whose resources declare no schema: the schema whose fields its header holds."""
    try:
        header = set(read_csv_strings(path).columns)
    except ValueError:
        return None
    for kind, schema in KINDS.items():
        if set(field_names(schema)) <= header:
            return kind
    return None


@dataclass(frozen=True)
class LiveSources:
    tree: SourceTree
    downloads: list[dict]
    consolidation: Consolidation

    @property
    def downloaded_files(self) -> int:
        return sum(1 for item in self.downloads if item["telecharge"])


class LiveFetcher:
    def __init__(
        self,
        client: DatagouvClient,
        work_dir: Path,
        *,
        reviewed: Path | None = None,
        progress: Callable[[str], None] | None = None,
        log: Callable[[str], None] | None = None,
    ):
        self.client = client
        self.work_dir = work_dir
        self.store = work_dir / "telechargements"
        self.reviewed = reviewed
        self.progress = progress
        self.log = log or (lambda message: None)
        self.downloads: list[dict] = []

    def _fetch(self, role: str, resource: dict, dataset: dict) -> Download:
        download = download_resource(self.client, resource, dataset, self.store, progress=self.progress, log=self.log)
        state = "téléchargé" if download.downloaded else "inchangé (304)"
        self.log(f"{role} : {resource.get('title') or resource['id']} {state}")
        self.downloads.append(
            {
                **download.sidecar(),
                "role": role,
                "titre_jeu": dataset.get("title"),
                "page": dataset.get("page"),
                "titre_ressource": resource.get("title"),
                "telecharge": download.downloaded,
                # The portal's own date of the resource: a live release is dated by the newest one.
                "derniere_modification": resource.get("last_modified"),
            }
        )
        return download

    def _resource(self, dataset: dict, resource_id: str, fallback_suffix: str) -> dict:
        resources = dataset.get("resources", [])
        for resource in resources:
            if resource["id"] == resource_id:
                return resource
        # The id is the one public scripts use; if the producer replaced the file, take the main one.
        for resource in resources:
            if resource.get("type") == "main" and (resource.get("title") or "").endswith(fallback_suffix):
                return resource
        raise DatagouvError(
            dataset.get("page") or dataset.get("id", "?"),
            "ressource introuvable dans le jeu",
            expected=f"la ressource {resource_id} ({fallback_suffix})",
        )

    def cnil(self) -> Download:
        dataset = self.client.dataset(CNIL_DATASET)
        return self._fetch("cnil_designations", self._resource(dataset, CNIL_RESOURCE, ".csv"), dataset)

    def anct(self) -> dict[str, Download]:
        dataset = self.client.dataset(ANCT_DATASET)
        suffixes = {"anct_operateurs": "operateurs-quotidien.csv", "anct_adherents": "adherents-quotidien.csv.gz"}
        return {
            name: self._fetch(name, self._resource(dataset, rid, suffixes[name]), dataset)
            for name, rid in ANCT_RESOURCES.items()
        }

    def declaration_datasets(self) -> list[tuple[dict, bool]]:
        """(dataset, reviewed) for every dataset found by schema or listed in the reviewed file."""
        found: dict[str, tuple[dict, bool]] = {}
        for name in declaration_schema_names():
            for dataset in self.client.datasets_by_schema(name):
                found.setdefault(dataset["id"], (dataset, False))
        for entry in read_reviewed_datasets(self.reviewed) if self.reviewed else []:
            dataset = self.client.dataset(entry["jeu_de_donnees"])
            found[dataset["id"]] = (dataset, True)
        return [found[key] for key in sorted(found)]

    def declarations(self) -> list[DeclarationResource]:
        names = declaration_schema_names()
        resources = []
        for dataset, reviewed in self.declaration_datasets():
            for resource in dataset.get("resources", []):
                kind = names.get((resource.get("schema") or {}).get("name") or "")
                if kind is None and not (reviewed and (resource.get("format") or "").startswith("csv")):
                    continue
                download = self._fetch(f"declaration_{kind or 'a_reconnaitre'}", resource, dataset)
                kind = kind or _kind_by_header(Path(download.path))
                if kind is None:
                    self.log(f"jeu {dataset['id']} : ressource {resource['id']} ignorée (en-tête non reconnu)")
                    continue
                self.downloads[-1]["role"] = f"declaration_{kind}"
                resources.append(
                    DeclarationResource(
                        kind, dataset["id"], resource["id"], Path(download.path), _organisation_siren(dataset)
                    )
                )
        return resources


def _place(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)  # the store's bytes, without a second copy
    except OSError:
        shutil.copyfile(source, target)


def _layout_path(name: str, download: Download) -> str:
    """The layout names plain `.csv` files; a gzip download keeps its `.gz` (SourceTree reads both)."""
    return SOURCE_FILES[name] + (".gz" if download.path.endswith(".gz") else "")


def fetch_live_tree(fetcher: LiveFetcher, *, with_anct: bool = True) -> LiveSources:
    """Download what changed, consolidate the declarations, switch `<work>/arbre` to the new tree."""
    placed: dict[str, Download] = {"cnil_designations": fetcher.cnil()}
    if with_anct:
        placed.update(fetcher.anct())
    consolidation = consolidate(fetcher.declarations())
    for flag in consolidation.flags:
        fetcher.log(f"jeu {flag['jeu_de_donnees']} : {flag['alerte']} ({flag['siren_organisation']})")
    for row in consolidation.excluded:
        fetcher.log(
            f"déclaration écartée : jeu {row['jeu_de_donnees']}, ressource {row['ressource']}, "
            f"ligne {row['ligne']}, champ {row['champ']} : {row['motif']}"
        )

    staging = fetcher.work_dir / "arbres" / f".en-cours-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    for name, download in placed.items():
        _place(Path(download.path), staging / _layout_path(name, download))
    write_consolidation(consolidation, staging)
    manifest = {
        "mode": "live",
        "demonstration": False,
        "portail": fetcher.client.base_url,
        "telechargements": fetcher.downloads,
        "alertes": consolidation.flags,
    }
    # Same files -> same tree id: a run with nothing new points at the tree it already had.
    digest = hashlib.sha256()
    for path in sorted(p for p in staging.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(staging)).encode())
        digest.update(path.read_bytes())
    tree_dir = fetcher.work_dir / "arbres" / digest.hexdigest()[:16]
    if tree_dir.exists():
        shutil.rmtree(staging)
    else:
        manifest["construit_le"] = datetime.now(UTC).isoformat(timespec="seconds")
        (staging / MANIFEST_NAME).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        staging.replace(tree_dir)
    link = fetcher.work_dir / TREE_LINK
    temporary = fetcher.work_dir / f".{TREE_LINK}-{os.getpid()}"
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(tree_dir.relative_to(fetcher.work_dir))
    temporary.replace(link)  # atomic: readers see the old tree or the new one
    return LiveSources(SourceTree(link), fetcher.downloads, consolidation)
