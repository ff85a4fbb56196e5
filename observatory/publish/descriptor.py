"""Build `datapackage.json`: one CSV and one Parquet resource per table, schemas from schemas/,
plus the README and the researchers' DuckDB file, with the Data Package standard's keys only.

The descriptor is a plain dict laid out as frictionless 5 exports its `Package` (standard keys
in the order of its profiles, then our own keys in insertion order): frictionless' objects
validate every field's metadata as they are built, a constant cost paid by every release for
nothing the file shows. The tests check that frictionless reads the descriptor as valid and
writes it back byte for byte.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

from observatory.publish.catalog import CONTRIBUTORS, DEMO_LABEL, HOMEPAGE, KEYWORDS, LICENCE
from observatory.schemas import load_descriptor, read_descriptor
from observatory.sources.snapshot import sha256_file

# Keys of our schema files that describe the schema document itself, not the table.
_SCHEMA_DOC_KEYS = {
    "$schema",
    "name",
    "title",
    "description",
    "countryCode",
    "homepage",
    "version",
    "licenses",
    "path",
    "created",
    "lastModified",
    "contributors",
    "keywords",
}
PARQUET_MEDIATYPE = "application/vnd.apache.parquet"

# Property order of frictionless 5.21's profiles (Package, Resource, Schema, Field): its export
# writes these first, in this order, skipping None and {}, then every other key as given.
_PACKAGE_KEYS = (
    "name", "type", "title", "description", "homepage", "profile", "licenses", "sources", "contributors",
    "keywords", "image", "version", "created", "resources",
)  # fmt: skip
_RESOURCE_KEYS = (
    "name", "type", "title", "description", "homepage", "profile", "licenses", "sources", "path", "data",
    "scheme", "format", "mediatype", "compression", "extrapaths", "innerpath", "encoding", "hash", "bytes",
    "fields", "dialect", "schema",
)  # fmt: skip
_SCHEMA_KEYS = (
    "name", "type", "title", "description", "fields", "fieldsMatch", "missingValues", "primaryKey", "foreignKeys",
)  # fmt: skip
_FIELD_KEYS = ("name", "type", "title", "description", "format", "missingValues", "constraints", "rdfType", "example")


def _laid_out(descriptor: dict, keys: tuple[str, ...]) -> dict:
    known = {k: descriptor[k] for k in keys if k in descriptor and descriptor[k] is not None and descriptor[k] != {}}
    return known | {k: v for k, v in descriptor.items() if k not in keys}


def _as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _table_schema(name: str, resource_name: str) -> dict:
    descriptor = {k: v for k, v in load_descriptor(name).items() if k not in _SCHEMA_DOC_KEYS}
    # The Parquet twin must point its foreign keys at the Parquet twins.
    if resource_name.endswith("_parquet"):
        # frictionless reads Parquet through pandas, where a missing number becomes NaN and then
        # fails any range constraint; ranges stay enforced on the CSV twin (same rows) and by the
        # warehouse contract checks, so the Parquet twin keeps types and keys only for numbers.
        for field in descriptor["fields"]:
            if field.get("type") in ("number", "integer"):
                for bound in ("minimum", "maximum"):
                    field.get("constraints", {}).pop(bound, None)
        for key in descriptor.get("foreignKeys", []):
            if key["reference"]["resource"]:  # "" = the table itself, twin included
                key["reference"] = {**key["reference"], "resource": key["reference"]["resource"] + "_parquet"}
    if "primaryKey" in descriptor:
        descriptor["primaryKey"] = _as_list(descriptor["primaryKey"])
    for key in descriptor.get("foreignKeys", []):
        key["fields"] = _as_list(key["fields"])
        key["reference"]["fields"] = _as_list(key["reference"]["fields"])
    descriptor["fields"] = [_laid_out(field, _FIELD_KEYS) for field in descriptor["fields"]]
    return _laid_out(descriptor, _SCHEMA_KEYS)


def checksum(path: Path, *, with_size: bool = True) -> dict:
    found = {"hash": f"sha256:{sha256_file(path)}"}
    if with_size:
        found["bytes"] = path.stat().st_size
    return found


def _resource(directory: Path, table: str, fmt: str, rows: int) -> dict:
    meta = read_descriptor(table)
    file_name = f"{table}.{fmt}"
    name = table if fmt == "csv" else f"{table}_parquet"
    resource = {
        "name": name,
        "type": "table",
        "title": meta["title"] + (" (Parquet)" if fmt == "parquet" else ""),
        "description": meta["description"],
        "path": file_name,
        "scheme": "file",
        "format": fmt,
        **({"mediatype": "text/csv", "encoding": "utf-8"} if fmt == "csv" else {"mediatype": PARQUET_MEDIATYPE}),
        # No `bytes` on a Parquet file: frictionless reads Parquet through pyarrow and never counts
        # its bytes, so a declared size is reported as a byte-count error ("actual is None") to
        # everyone who runs `frictionless validate` on the package. The sha256 covers the file
        # (frictionless does not check it on Parquet either; publish/validation_package.py does).
        **checksum(directory / file_name, with_size=fmt == "csv"),
        "schema": _table_schema(table, name),
    }
    resource = _laid_out(resource, _RESOURCE_KEYS)
    resource["rows"] = rows  # our own key: after the standard ones
    return resource


def _text_resource(directory: Path, name: str, path: str, title: str) -> dict:
    resource = {
        "name": name,
        "type": "text",
        "title": title,
        "path": path,
        "scheme": "file",
        "format": "md",
        "mediatype": "text/markdown",
        "encoding": "utf-8",
        **checksum(directory / path),
    }
    return _laid_out(resource, _RESOURCE_KEYS)


def _file_resources(directory: Path, readme: str, changelog: str, database: str) -> list[dict]:
    files = [
        _text_resource(directory, "lisez_moi", readme, "Description de la publication (README)"),
        _text_resource(directory, "journal_des_changements", changelog, "Changements depuis la publication précédente"),
    ]
    # The DuckDB file's bytes depend on DuckDB's storage layout, not only on its content, so it
    # carries no hash: datapackage.json stays byte-identical for the same inputs.
    database_resource = {
        "name": "base_duckdb",
        "type": "file",
        "title": "Toutes les tables, clés, commentaires et vues pour DuckDB",
        "path": database,
        "scheme": "file",
        "format": "duckdb",
        "mediatype": "application/vnd.duckdb",
    }
    files.append(_laid_out(database_resource, _RESOURCE_KEYS))
    return files


def build_package(
    directory: Path,
    tables: list[str],
    *,
    version: str,
    demonstration: bool,
    sources: list[dict],
    created: str,
    rows: dict[str, int],
    identity: dict,
    files: dict[str, str],
) -> dict:
    """The release's `datapackage.json` as a dict; `package_json` gives its bytes."""
    title = "Observatoire des OPSN"
    description = (
        "Adhésions des collectivités aux Opérateurs Publics de Services Numériques (OPSN), "
        "rapprochées du Code officiel géographique, et indicateurs de l'observatoire."
    )
    if demonstration:
        title += f" ({DEMO_LABEL})"
        description = (
            f"ATTENTION : {DEMO_LABEL}. Les déclarations d'adhérents et le fichier CNIL sont générés "
            "par un script à graine fixe à partir du référentiel officiel réel ; ils ne décrivent "
            "aucune situation réelle. " + description
        )
    resources = [_resource(directory, table, fmt, rows[table]) for table in tables for fmt in ("csv", "parquet")]
    resources += _file_resources(directory, files["readme"], files["changelog"], files["database"])
    package = {
        "name": "observatoire-opsn",
        "title": title,
        "description": description,
        "version": version,
        "homepage": HOMEPAGE,
        "licenses": [copy.deepcopy(LICENCE)],
        "contributors": copy.deepcopy(CONTRIBUTORS),
        "keywords": list(KEYWORDS) + ([DEMO_LABEL] if demonstration else []),
        "sources": copy.deepcopy(sources),
        "resources": resources,
        "created": created,
    }
    package = _laid_out(package, _PACKAGE_KEYS)
    # Our own keys, after the standard ones.
    package["demonstration"] = demonstration
    if demonstration:
        package["avertissement"] = DEMO_LABEL
    package.update(identity)
    return package


def package_json(package: dict) -> str:
    """The text frictionless' `to_json` writes (two-space indent, UTF-8 as is, no final newline)."""
    return json.dumps(package, indent=2, ensure_ascii=False)


def write_package(directory: Path, package: dict) -> Path:
    path = directory / "datapackage.json"
    path.write_text(package_json(package), encoding="utf-8")
    return path


def frictionless_view(descriptor: dict) -> dict:
    """The published descriptor without the Parquet twins' foreign keys, for the tests that validate a
    France-sized package: frictionless reads Parquet row by row through pandas, and a foreign key to a
    big twin costs minutes. The CSV twin's keys are checked by frictionless, the Parquet twins' by
    DuckDB (observatory.publish.keys), and both twins hold the same query's rows."""
    view = copy.deepcopy(descriptor)
    for resource in view["resources"]:
        if resource.get("format") == "parquet":
            resource.get("schema", {}).pop("foreignKeys", None)
    return view


def check_checksums(directory: Path, descriptor: dict) -> list[str]:
    """Every resource with `bytes`/`hash`: the file on disk matches. Returns the mismatches."""
    problems = []
    for resource in descriptor["resources"]:
        path = directory / resource["path"]
        if not path.is_file():
            problems.append(f"{resource['path']} : fichier absent")
            continue
        if "bytes" in resource and path.stat().st_size != resource["bytes"]:
            problems.append(f"{resource['path']} : {path.stat().st_size} octets, {resource['bytes']} déclarés")
        if "hash" in resource and f"sha256:{sha256_file(path)}" != resource["hash"]:
            problems.append(f"{resource['path']} : empreinte sha256 différente de celle déclarée")
    return problems
