"""Generate every Table Schema of schemas/ from the field dictionary and the per-table sources.

    python scripts/build_schemas.py            # (re)write schemas/**/*.json from schemas/src/
    python scripts/build_schemas.py --check    # exit 1 if a committed schema differs from the sources
    python scripts/build_schemas.py --stats    # shared field names and their variants (issue 8)

Frictionless cannot follow a `$ref` inside `fields`, so shared fields are expanded here instead:
`schemas/champs.yaml` defines each shared field once (type, constraints, default description);
`schemas/src/<table>.yaml` is a Table Schema whose fields are either written in full or `{champ:
<key of champs.yaml>, ...}` with local overrides where the meaning differs (a nested mapping is
merged, `null` removes a key), or `{inclure: <schema>}` for all the fields of another source (a
warehouse table keeping the columns of the file it loads; `sauf: <x-key>` leaves out the fields
where that key is true, `nommer_par: <x-key>` renames each field to that key's value, `retirer: [keys]` drops keys that
only describe the file). A vocabulary
is written once, as `x-libelles` (value -> meaning): the generator derives `constraints.enum` from
it, or, for a list-valued field (`x-separateur: "|"`), a `constraints.pattern` that frictionless
checks item by item. The JSON written is what the pipeline, frictionless and the publication read;
only this script writes it. Run `make schemas`, which then runs scripts/build_declaration_schemas.py
on the generated schemas/declaration/*.json."""

from __future__ import annotations

import argparse
import collections
import copy
import json
import re
import sys
from pathlib import Path

import yaml

# Run as a script or imported as scripts.<name> (tests): its sibling modules are found either way.
sys.path.insert(0, str(Path(__file__).resolve().parent))
import generated_files  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = REPO_ROOT / "observatory" / "resources" / "schemas"
DICTIONARY = SCHEMAS / "champs.yaml"
SOURCES = SCHEMAS / "src"

# Key order of a generated field and of its constraints: the order the hand-written schemas
# used, so that the published datapackage.json (which embeds the schemas) keeps its bytes.
FIELD_ORDER = [
    "name",
    "type",
    "title",
    "description",
    "x-colonne",
    "example",
    "format",
    "constraints",
    "x-separateur",
    "x-libelles",
    "x-bloquant",
    "x-personnel",
]
CONSTRAINT_ORDER = ["required", "unique", "minimum", "maximum", "pattern", "enum"]


def merge(base: dict, override: dict) -> dict:
    """`override` on top of `base`: nested mappings merge, `None` removes the key."""
    merged = copy.deepcopy(base)
    for key, value in override.items():
        if value is None:
            merged.pop(key, None)
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
            if not merged[key]:
                del merged[key]
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _ordered(mapping: dict, order: list[str]) -> dict:
    rank = {key: index for index, key in enumerate(order)}
    return dict(sorted(mapping.items(), key=lambda item: rank.get(item[0], len(order))))


def expand_field(entry: dict, dictionary: dict, where: str) -> dict:
    if "champ" not in entry:
        field = copy.deepcopy(entry)
    else:
        key = entry["champ"]
        if key not in dictionary:
            raise KeyError(f"{where} : champ « {key} » absent de schemas/champs.yaml")
        base = {"name": key, **dictionary[key]}
        field = merge(base, {k: v for k, v in entry.items() if k != "champ"})
    field = with_vocabulary(field)
    if "constraints" in field:
        field["constraints"] = _ordered(field["constraints"], CONSTRAINT_ORDER)
    return _ordered(field, FIELD_ORDER)


def list_pattern(values: list[str], separator: str) -> str:
    item = "(" + "|".join(re.escape(value) for value in values) + ")"
    return f"^{item}({re.escape(separator)}{item})*$"


def with_vocabulary(field: dict) -> dict:
    """The enum (or, for a list, the pattern) of a field whose vocabulary is its `x-libelles`."""
    labels = field.get("x-libelles")
    constraints = field.get("constraints", {})
    if labels is None or "enum" in constraints or "pattern" in constraints:
        return field
    if "x-separateur" in field:
        derived = {"pattern": list_pattern(list(labels), field["x-separateur"])}
    else:
        derived = {"enum": list(labels)}
    return {**field, "constraints": {**constraints, **derived}}


def load_dictionary(path: Path = DICTIONARY) -> dict:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def source_files(sources: Path = SOURCES) -> list[Path]:
    return sorted(sources.rglob("*.yaml"))


def build(source: Path, dictionary: dict, sources: Path = SOURCES) -> dict:
    with source.open(encoding="utf-8") as handle:
        descriptor = yaml.safe_load(handle)
    where = source.relative_to(sources.parent).as_posix()
    fields = []
    for entry in descriptor["fields"]:
        if "inclure" in entry:
            # A warehouse table that keeps every column of a source file: `inclure: <schema>`.
            included = sources / f"{entry['inclure']}.yaml"
            if not included.exists():
                raise FileNotFoundError(f"{where} : inclure « {entry['inclure']} » : {included} introuvable")
            for field in build(included, dictionary, sources)["fields"]:
                if entry.get("sauf") and field.get(entry["sauf"]):
                    continue  # e.g. `sauf: x-personnel`: contact columns never reach the warehouse
                if entry.get("nommer_par"):
                    # e.g. `nommer_par: x-colonne`: the file's header becomes the warehouse column name.
                    field = {
                        "name": field[entry["nommer_par"]],
                        **{k: v for k, v in field.items() if k not in ("name", entry["nommer_par"])},
                    }
                # e.g. `retirer: [format]`: the file's date format, once the date is typed.
                fields.append({k: v for k, v in field.items() if k not in entry.get("retirer", [])})
        else:
            fields.append(expand_field(entry, dictionary, where))
    descriptor["fields"] = fields
    return descriptor


def render(sources: Path = SOURCES, dictionary_path: Path = DICTIONARY) -> dict[Path, str]:
    """Every generated schema (path relative to schemas/) with its content."""
    dictionary = load_dictionary(dictionary_path)
    files = {}
    for source in source_files(sources):
        target = source.relative_to(sources).with_suffix(".json")
        files[target] = json.dumps(build(source, dictionary, sources), ensure_ascii=False, indent=2) + "\n"
    return files


def out_of_date(target: Path = SCHEMAS) -> list[Path]:
    return generated_files.stale(render(), target)


def _contract(field: dict) -> str:
    """What a field promises, beyond its wording: type, format, value constraints, x- rules."""
    kept = {k: v for k, v in field.items() if k not in ("name", "title", "description", "example")}
    constraints = {k: v for k, v in kept.pop("constraints", {}).items() if k not in ("required", "unique")}
    return json.dumps({**kept, "constraints": constraints}, sort_keys=True, ensure_ascii=False)


def stats(target: Path = SCHEMAS, without: tuple[str, ...] = ()) -> list[str]:
    """Field names found in several committed schemas, with how many distinct definitions each has.

    `without`: folders of schemas/ left out, to compare like with like (e.g. `entrepot`, added later).
    """
    full, contract = collections.defaultdict(set), collections.defaultdict(set)
    tables = collections.defaultdict(int)
    paths = sorted(
        p for p in target.rglob("*.json") if p.name != "schema.json" and p.relative_to(target).parts[0] not in without
    )
    for path in paths:
        for field in json.loads(path.read_text(encoding="utf-8"))["fields"]:
            full[field["name"]].add(json.dumps(field, sort_keys=True, ensure_ascii=False))
            contract[field["name"]].add(_contract(field))
            tables[field["name"]] += 1
    shared = sorted((name for name, count in tables.items() if count > 1), key=lambda n: (-tables[n], n))
    lines = [
        f"{len(paths)} schémas, {len(shared)} noms de champ présents dans plusieurs schémas",
        f"{'champ':28} schémas  variantes(complètes)  variantes(type+contraintes)",
    ]
    lines += [f"{name:28} {tables[name]:7}  {len(full[name]):20}  {len(contract[name]):27}" for name in shared]
    lines.append(f"total variantes type+contraintes des champs partagés : {sum(len(contract[n]) for n in shared)}")
    if SOURCES.exists():
        references = overrides = inline = 0
        for source in source_files():
            if source.relative_to(SOURCES).parts[0] in without:
                continue
            for entry in yaml.safe_load(source.read_text(encoding="utf-8"))["fields"]:
                if "inclure" in entry:
                    continue
                if "champ" not in entry:
                    inline += 1
                    continue
                references += 1
                # `required`/`unique` say what the field is in this table, not what its values may be.
                value_rules = set(entry.get("constraints") or {}) - {"required", "unique"}
                overrides += (
                    bool(value_rules) or "type" in entry or "format" in entry or entry.get("constraints", {}) is None
                )
        lines.append(
            f"sources : {len(load_dictionary())} champs au dictionnaire, {references} références "
            f"(dont {overrides} redéfinissent type ou contraintes de valeur), {inline} champs propres "
            "à une table"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="ne rien écrire ; code 1 si un schéma est périmé")
    parser.add_argument("--stats", action="store_true", help="compter les champs partagés et leurs variantes")
    parser.add_argument(
        "--sans",
        action="append",
        default=[],
        metavar="DOSSIER",
        help="avec --stats : laisser de côté un dossier de schemas/ (ex. entrepot)",
    )
    args = parser.parse_args(argv)
    if args.stats:
        print("\n".join(stats(without=tuple(args.sans))))
        return 0
    if args.check:
        stale = out_of_date()
        for path in stale:
            print(f"périmé : schemas/{path} (lancer `make schemas`)")
        return 1 if stale else 0
    generated_files.write(render(), SCHEMAS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
