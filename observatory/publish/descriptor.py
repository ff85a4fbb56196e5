"""Build `datapackage.json`: one CSV and one Parquet resource per table, schemas from schemas/,
plus the README and the researchers' DuckDB file, with the Data Package standard's keys only."""

from __future__ import annotations

import copy
from pathlib import Path

from frictionless import Package, Resource, Schema

from observatory.publish.catalog import CONTRIBUTORS, DEMO_LABEL, HOMEPAGE, KEYWORDS, LICENCE
from observatory.schemas import load_descriptor
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


def _table_schema(name: str, resource_name: str) -> Schema:
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
    return Schema.from_descriptor(descriptor)


def checksum(path: Path) -> dict:
    return {"hash": f"sha256:{sha256_file(path)}", "bytes": path.stat().st_size}


def _resource(directory: Path, table: str, fmt: str, rows: int) -> Resource:
    meta = load_descriptor(table)
    file_name = f"{table}.{fmt}"
    name = table if fmt == "csv" else f"{table}_parquet"
    resource = Resource(
        name=name,
        path=file_name,
        format=fmt,
        title=meta["title"] + (" (Parquet)" if fmt == "parquet" else ""),
        description=meta["description"],
        schema=_table_schema(table, name),
        **checksum(directory / file_name),
        **({"encoding": "utf-8", "mediatype": "text/csv"} if fmt == "csv" else {"mediatype": PARQUET_MEDIATYPE}),
    )
    resource.custom["rows"] = rows
    return resource


def _file_resources(directory: Path, readme: str, changelog: str, database: str) -> list[Resource]:
    files = [
        Resource(
            name="lisez_moi",
            path=readme,
            format="md",
            mediatype="text/markdown",
            encoding="utf-8",
            title="Description de la publication (README)",
            **checksum(directory / readme),
        ),
        Resource(
            name="journal_des_changements",
            path=changelog,
            format="md",
            mediatype="text/markdown",
            encoding="utf-8",
            title="Changements depuis la publication précédente",
            **checksum(directory / changelog),
        ),
    ]
    # The DuckDB file's bytes depend on DuckDB's storage layout, not only on its content, so it
    # carries no hash: datapackage.json stays byte-identical for the same inputs.
    files.append(
        Resource(
            name="base_duckdb",
            path=database,
            format="duckdb",
            mediatype="application/vnd.duckdb",
            title="Toutes les tables, clés, commentaires et vues pour DuckDB",
        )
    )
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
) -> Package:
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
    package = Package(
        name="observatoire-opsn",
        title=title,
        description=description,
        version=version,
        homepage=HOMEPAGE,
        licenses=[LICENCE],
        contributors=copy.deepcopy(CONTRIBUTORS),
        keywords=list(KEYWORDS) + ([DEMO_LABEL] if demonstration else []),
        sources=sources,
        resources=resources,
        created=created,
    )
    package.custom["demonstration"] = demonstration
    if demonstration:
        package.custom["avertissement"] = DEMO_LABEL
    package.custom.update(identity)
    package.basepath = str(directory)
    return package


def frictionless_view(descriptor: dict) -> dict:
    """The descriptor frictionless can check: it cannot count a Parquet file's bytes (it reads
    Parquet through pyarrow), so the Parquet twins' `bytes`/`hash` are checked by
    `check_checksums` instead, and the non-tabular files are left to it too."""
    view = copy.deepcopy(descriptor)
    kept = []
    for resource in view["resources"]:
        if resource.get("format") == "parquet":
            resource.pop("bytes", None)
            resource.pop("hash", None)
            # frictionless reads Parquet row by row through pandas: a foreign key to a big twin
            # costs minutes. The CSV twin's keys are checked here, the Parquet twins' by DuckDB
            # (observatory.publish.keys), and their rows are the same query's.
            resource.get("schema", {}).pop("foreignKeys", None)
        if resource.get("format") in ("csv", "parquet"):
            kept.append(resource)
    view["resources"] = kept
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
