"""A hand edit of a generated schema goes back into its source (scripts/import_schema.py)."""

from __future__ import annotations

import json
import shutil

import yaml

from scripts import build_schemas as builder
from scripts import import_schema


def test_an_edited_published_schema_is_carried_back_into_its_source(tmp_path):
    schemas = tmp_path / "schemas"
    shutil.copytree(builder.SCHEMAS, schemas)
    path = schemas / "adhesions.json"
    edited = json.loads(path.read_text(encoding="utf-8"))
    fields = edited["fields"]
    fields.insert(
        5,
        {
            "name": "source_adhesion",
            "type": "string",
            "description": "declaration ou anct.",
            "example": "anct",
            "constraints": {"enum": ["declaration", "anct"]},
        },
    )
    next(f for f in fields if f["name"] == "siren_opsn")["description"] = "SIREN de l'OPSN (déclaration ou ANCT)."
    methods = next(f for f in fields if f["name"] == "methode_rapprochement")
    methods["x-libelles"]["anct"] = "adhérent inscrit auprès de l'ANCT"
    methods["constraints"]["enum"].append("anct")
    path.write_text(json.dumps(edited, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    source = import_schema.import_schema("adhesions", schemas=schemas)

    entries = {e.get("name", e.get("champ")): e for e in yaml.safe_load(source.read_text(encoding="utf-8"))["fields"]}
    assert entries["siren_opsn"] == {
        "champ": "siren_opsn",
        "description": "SIREN de l'OPSN (déclaration ou ANCT).",
        "constraints": {"required": True},
    }
    assert entries["source_adhesion"]["constraints"] == {"enum": ["declaration", "anct"]}
    # The vocabulary stays written once: the enum is derived from x-libelles again.
    assert "constraints" not in entries["methode_rapprochement"]
    generated = builder.render(schemas / "src", schemas / "champs.yaml")
    assert json.loads(generated[source.relative_to(schemas / "src").with_suffix(".json")]) == edited
