"""The declaration format as a schema.data.gouv.fr repository (scripts/build_declaration_schemas.py).

Checked the way the catalogue checks a Table Schema repository: a valid Table Schema with the
catalogue's keys, a valid example that passes and an invalid one that fails (frictionless),
plus what only the observatory can tell: the valid members example reconciles fully.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from frictionless import Resource, Schema, validate

from observatory.declarations import read_opsn_csv, read_services_csv
from observatory.schemas import load_descriptor
from observatory.verify import verify_declaration
from scripts import build_declaration_schemas as builder

NAMES = list(builder.SCHEMAS)
CATALOGUE_KEYS = (
    "title",
    "description",
    "homepage",
    "version",
    "contributors",
    "created",
    "lastModified",
    "keywords",
    "resources",
)


def _folder(name: str) -> Path:
    return builder.TARGET / name


def _errors(name: str, example: str) -> tuple[bool, list[tuple[int, str, str]]]:
    descriptor = json.loads((_folder(name) / "schema.json").read_text(encoding="utf-8"))
    resource = Resource(path=example, basepath=str(_folder(name)), schema=Schema.from_descriptor(descriptor))
    report = resource.validate()
    return report.valid, sorted(
        (row, field, kind) for row, field, kind in report.flatten(["rowNumber", "fieldName", "type"])
    )


def test_generated_folders_are_up_to_date():
    assert builder.out_of_date() == [], "relancer : python scripts/build_declaration_schemas.py"


def test_schemas_yml_lists_every_schema_folder():
    listing = yaml.safe_load((builder.TARGET / "schemas.yml").read_text(encoding="utf-8"))
    assert listing["title"] and listing["description"] and listing["homepage"]
    assert [entry["path"] for entry in listing["schemas"]] == [f"{name}/schema.json" for name in NAMES]
    for entry in listing["schemas"]:
        assert (builder.TARGET / entry["path"]).exists()
    assert (builder.TARGET / "README.md").exists()


@pytest.mark.parametrize("name", NAMES)
def test_schema_json_is_a_valid_table_schema_with_the_catalogue_keys(name):
    path = _folder(name) / "schema.json"
    report = validate(str(path), type="schema")
    assert report.valid, report.flatten(["type", "note"])
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    missing = [key for key in CATALOGUE_KEYS if not descriptor.get(key)]
    assert missing == [], f"{name}: clés absentes {missing}"
    assert all("example" in field for field in descriptor["fields"])
    for resource in descriptor["resources"]:
        assert (_folder(name) / resource["path"]).exists()
    for document in ("README.md", "CHANGELOG.md"):
        assert descriptor["version"] in (_folder(name) / "CHANGELOG.md").read_text(encoding="utf-8")
        assert (_folder(name) / document).read_text(encoding="utf-8").startswith("# ")


@pytest.mark.parametrize("name", NAMES)
def test_published_schema_has_the_fields_the_pipeline_reads(name):
    published = json.loads((_folder(name) / "schema.json").read_text(encoding="utf-8"))
    source = load_descriptor(f"declaration/{name}")
    assert published["name"] == source["name"]
    assert published["fields"] == source["fields"]


@pytest.mark.parametrize("name", NAMES)
def test_valid_example_passes(name):
    valid, errors = _errors(name, "exemple-valide.csv")
    assert valid, errors


@pytest.mark.parametrize("name", NAMES)
def test_invalid_example_fails_with_the_expected_errors(name):
    valid, errors = _errors(name, "exemple-invalide.csv")
    assert not valid
    assert errors == sorted(builder.SCHEMAS[name]["errors"])


def test_valid_examples_load_in_the_pipeline():
    opsn = read_opsn_csv(_folder("opsn") / "exemple-valide.csv")
    services = read_services_csv(_folder("services") / "exemple-valide.csv", set(opsn["siren"]))
    assert len(services) == len(builder.SCHEMAS["services"]["valid"])


def test_valid_members_example_reconciles_fully(tmp_path):
    result = verify_declaration(
        _folder("adherents") / "exemple-valide.csv", out_dir=tmp_path, exports_dir=tmp_path / "pas-de-version"
    )
    assert result.rows["statut_rapprochement"].tolist() == ["rapproche"] * len(builder.SCHEMAS["adherents"]["valid"])
    assert result.problems == []
    assert result.verdict == "conforme"
