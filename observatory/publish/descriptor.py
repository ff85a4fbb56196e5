"""Build `datapackage.json`: one CSV and one Parquet resource per table, schemas from schemas/."""

from __future__ import annotations

from pathlib import Path

from frictionless import Package, Resource, Schema

from observatory.publish.catalog import DEMO_LABEL, LICENCE
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
            key["reference"] = {**key["reference"], "resource": key["reference"]["resource"] + "_parquet"}
    return Schema.from_descriptor(descriptor)


def _resource(directory: Path, table: str, fmt: str) -> Resource:
    meta = load_descriptor(table)
    file_name = f"{table}.{fmt}"
    name = table if fmt == "csv" else f"{table}_parquet"
    checksum = {"hash": f"sha256:{sha256_file(directory / file_name)}", "bytes": (directory / file_name).stat().st_size}
    # frictionless reads Parquet through pyarrow and cannot count its bytes, so the Parquet
    # twin carries its checksum as plain metadata instead of as a validated property.
    resource = Resource(
        name=name,
        path=file_name,
        format=fmt,
        title=meta["title"] + (" (Parquet)" if fmt == "parquet" else ""),
        description=meta["description"],
        schema=_table_schema(table, name),
        **(checksum if fmt == "csv" else {}),
        **(
            {"encoding": "utf-8", "mediatype": "text/csv"}
            if fmt == "csv"
            else {"mediatype": "application/vnd.apache.parquet"}
        ),
    )
    if fmt == "parquet":
        resource.custom.update({"sha256": checksum["hash"].split(":")[1], "octets": checksum["bytes"]})
    return resource


def build_package(
    directory: Path, tables: list[str], *, version: str, demonstration: bool, sources: list[dict], created: str
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
    resources = [_resource(directory, table, fmt) for table in tables for fmt in ("csv", "parquet")]
    package = Package(
        name="observatoire-opsn",
        title=title,
        description=description,
        version=version,
        licenses=[LICENCE],
        sources=sources,
        resources=resources,
        created=created,
    )
    package.custom["demonstration"] = demonstration
    if demonstration:
        package.custom["avertissement"] = DEMO_LABEL
    package.basepath = str(directory)
    return package
