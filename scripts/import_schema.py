"""Carry a hand edit of a generated schema back into its source, keeping dictionary references.

    python scripts/import_schema.py adhesions            # schemas/adhesions.json -> schemas/src/adhesions.yaml
    python scripts/import_schema.py adhesions collectivites

For a branch written before the schemas were generated (it edited schemas/<name>.json) or a
quick edit in the JSON: each field the source already took from schemas/champs.yaml keeps its
`champ:` reference, with only what differs written beside it; a field the source did not have is
written in full; a vocabulary stays written once, as `x-libelles`. Then `make schemas` must
rewrite exactly the edited JSON (checked here). Tables built with `inclure` are refused: edit
their source by hand.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

import build_schemas as builder  # noqa: E402


def diff(base: dict, target: dict) -> dict:
    """The override that `builder.merge` turns `base` into `target` with."""
    override = {}
    for key, value in target.items():
        if key not in base:
            override[key] = value
        elif isinstance(value, dict) and isinstance(base[key], dict):
            nested = diff(base[key], value)
            if nested:
                override[key] = nested
        elif base[key] != value:
            override[key] = value
    override.update({key: None for key in base if key not in target})
    return override


def _without_derived_vocabulary(field: dict) -> dict:
    """Drop the enum or pattern that the generator derives from `x-libelles` anyway."""
    if "x-libelles" not in field:
        return field
    derived = builder.with_vocabulary({k: v for k, v in field.items() if k != "constraints"})
    constraints = dict(field.get("constraints", {}))
    for key, value in derived.get("constraints", {}).items():
        if constraints.get(key) == value:
            del constraints[key]
    trimmed = {k: v for k, v in field.items() if k != "constraints"}
    return {**trimmed, "constraints": constraints} if constraints else trimmed


def source_entries(descriptor: dict, previous: list[dict], dictionary: dict) -> list[dict]:
    references = {entry.get("name", entry["champ"]): entry["champ"] for entry in previous if "champ" in entry}
    entries = []
    for field in descriptor["fields"]:
        key = references.get(field["name"])
        if key is None:
            entries.append(_without_derived_vocabulary(field))
            continue
        override = diff({"name": key, **dictionary[key]}, field)
        entries.append({"champ": key, **override})
    return entries


def import_schema(name: str, schemas: Path = builder.SCHEMAS) -> Path:
    sources = schemas / "src"
    source = sources / f"{name}.yaml"
    previous = yaml.safe_load(source.read_text(encoding="utf-8"))
    if any("inclure" in entry for entry in previous["fields"]):
        raise SystemExit(f"{source} utilise inclure : le modifier à la main")
    dictionary = builder.load_dictionary(schemas / "champs.yaml")
    edited = json.loads((schemas / f"{name}.json").read_text(encoding="utf-8"))
    descriptor = {**edited, "fields": source_entries(edited, previous["fields"], dictionary)}
    source.write_text(yaml.safe_dump(descriptor, allow_unicode=True, sort_keys=False, width=120), encoding="utf-8")
    if builder.build(source, dictionary, sources) != edited:
        raise SystemExit(f"{source} ne redonne pas {name}.json : vérifier l'ordre des clés ou le modifier à la main")
    return source


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="+", help="schéma, chemin relatif à schemas/ sans .json (ex. adhesions)")
    for name in parser.parse_args(argv).names:
        print(f"écrit : {import_schema(name).relative_to(builder.SCHEMAS.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
