"""Schemas generated from the field dictionary (scripts/build_schemas.py).

The committed JSON is what the pipeline, frictionless and the publication read: it must be
exactly what the generator writes from schemas/champs.yaml and schemas/src/, and every
schema must come from a source (a hand-edited JSON would drift from the dictionary).
"""

from __future__ import annotations

import json

import pytest
import yaml
from frictionless import Schema

from scripts import build_declaration_schemas
from scripts import build_schemas as builder


def test_committed_schemas_are_what_the_generator_writes():
    assert builder.out_of_date() == [], (
        "relancer : make schemas (python scripts/build_schemas.py) ; un JSON modifié à la main se reporte "
        "dans sa source avec python scripts/import_schema.py <nom>"
    )


def test_every_committed_schema_has_a_source():
    generated = set(builder.render())
    committed = {
        path.relative_to(builder.SCHEMAS) for path in builder.SCHEMAS.rglob("*.json") if path.name != "schema.json"
    }
    assert committed - generated == set(), "schéma JSON sans source dans schemas/src/"


def test_declaration_repository_follows_the_generated_declaration_schemas():
    # schemas/declaration/<name>/ is generated in turn from the generated schemas/declaration/*.json.
    assert build_declaration_schemas.out_of_date() == []


@pytest.mark.parametrize("path", sorted(builder.render()), ids=str)
def test_generated_schema_is_a_valid_table_schema(path):
    descriptor = json.loads(builder.render()[path])
    assert Schema.from_descriptor(descriptor).field_names == [f["name"] for f in descriptor["fields"]]


def test_shared_fields_are_defined_once_in_the_dictionary():
    references = [
        entry["champ"]
        for source in builder.source_files()
        for entry in yaml.safe_load(source.read_text(encoding="utf-8"))["fields"]
        if "champ" in entry
    ]
    dictionary = builder.load_dictionary()
    assert set(references) <= set(dictionary)
    for key in (
        "siren",
        "siren_opsn",
        "sirens_opsn",
        "code_insee",
        "code_departement",
        "code_region",
        "type_collectivite",
        "nom",
        "population",
    ):
        assert references.count(key) >= 2, f"{key} devrait servir à plusieurs tables"


def test_override_merges_mappings_and_null_removes_a_key():
    dictionary = {"siren": {"type": "string", "description": "SIREN.", "constraints": {"pattern": r"^\d{9}$"}}}
    entry = {
        "champ": "siren",
        "name": "siren_epci",
        "description": None,
        "constraints": {"required": True},
        "x-bloquant": True,
    }
    assert builder.expand_field(entry, dictionary, "t.yaml") == {
        "name": "siren_epci",
        "type": "string",
        "constraints": {"required": True, "pattern": r"^\d{9}$"},
        "x-bloquant": True,
    }
    assert builder.expand_field({"champ": "siren", "constraints": {"pattern": None}}, dictionary, "t.yaml") == {
        "name": "siren",
        "type": "string",
        "description": "SIREN.",
    }


def test_unknown_dictionary_key_is_named_with_its_source():
    with pytest.raises(KeyError, match="t.yaml.*« sirn »"):
        builder.expand_field({"champ": "sirn"}, {}, "t.yaml")


def test_stats_count_shared_fields(capsys):
    assert builder.main(["--stats"]) == 0
    out = capsys.readouterr().out
    assert "noms de champ présents dans plusieurs schémas" in out
    assert "champs au dictionnaire" in out
