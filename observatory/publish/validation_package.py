"""What datapackage.json announces about the written files: row counts, checksums, sizes, and the
Data Package properties frictionless would reject, checked without frictionless' metadata layer
(seconds of pure Python at constant size); the tests run frictionless on whole packages as well."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

from observatory.schemas import read_descriptor
from observatory.sources.snapshot import sha256_file

_NAME = re.compile(r"^([-a-z0-9._/])+$")


def _descriptor_errors(descriptor: dict, staging: Path) -> list[str]:
    """The Data Package properties frictionless would reject, without frictionless' metadata
    layer (seconds of pure Python); the tests run frictionless on whole packages as well."""
    errors = []
    try:
        datetime.fromisoformat(str(descriptor.get("created", "")))
    except ValueError:
        errors.append(f"datapackage.json : « created » n'est pas une date-heure ISO : {descriptor.get('created')!r}")
    if not _NAME.fullmatch(str(descriptor.get("name", ""))):
        errors.append(f"datapackage.json : nom de paquet invalide {descriptor.get('name')!r}")
    if not all(
        isinstance(licence, dict) and (licence.get("name") or licence.get("path"))
        for licence in descriptor.get("licenses", [])
    ):
        errors.append("datapackage.json : licence sans nom ni chemin")
    for resource in descriptor.get("resources", []):
        name = str(resource.get("name", ""))
        if not _NAME.fullmatch(name) or not (staging / str(resource.get("path", ""))).is_file():
            errors.append(f"datapackage.json : ressource {name!r} sans nom valide ou sans fichier")
            continue
        if "schema" not in resource:  # README, CHANGELOG, DuckDB file: checked by their hash
            continue
        table = name.removesuffix("_parquet")
        fields = [(f["name"], f.get("type", "string")) for f in resource.get("schema", {}).get("fields", [])]
        if fields != [(f["name"], f.get("type", "string")) for f in read_descriptor(table)["fields"]]:
            errors.append(f"datapackage.json : le schéma de {name} n'est pas celui de schemas/{table}.json")
    return errors


def package_errors(staging: Path, counts: dict[str, int]) -> list[str]:
    """Row counts of the tables, and checksums and sizes of every listed file, announced by
    datapackage.json, when it is already written."""
    path = staging / "datapackage.json"
    if not path.exists():
        return []
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    errors = _descriptor_errors(descriptor, staging)
    resources = {r["name"]: r for r in descriptor.get("resources", [])}
    for name, rows in counts.items():
        for resource_name, file in ((name, f"{name}.csv"), (f"{name}_parquet", f"{name}.parquet")):
            resource = resources.get(resource_name)
            if resource is None:
                errors.append(f"datapackage.json : pas de ressource {resource_name}")
            elif resource.get("rows", rows) != rows:
                errors.append(
                    f"datapackage.json : {resource_name} annonce {resource['rows']} lignes, {file} en a {rows}"
                )
    # Every file the package lists, tables and the rest (README, CHANGELOG, researchers' file), hashed once.
    for resource in resources.values():
        file = str(resource.get("path", ""))
        if not (staging / file).is_file():
            continue  # _descriptor_errors names it
        declared = resource.get("hash", "").removeprefix("sha256:") or resource.get("sha256")
        size = resource.get("bytes", resource.get("octets"))
        if declared and declared != sha256_file(staging / file):
            errors.append(f"datapackage.json : empreinte sha256 de {file} fausse")
        if size is not None and size != (staging / file).stat().st_size:
            errors.append(f"datapackage.json : taille de {file} fausse ({size} octets annoncés)")
    return errors
