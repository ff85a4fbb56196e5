"""Generate the schema.data.gouv.fr repository shape of the declaration format.

    python scripts/build_declaration_schemas.py          # (re)write schemas/declaration/<schema>/ and schemas.yml
    python scripts/build_declaration_schemas.py --check  # exit 1 if a generated file is out of date

The sources of truth stay schemas/declaration/{opsn,adherents,services}.json (the pipeline,
live mode and `observatory verifier` read them). This script adds what the national
catalogue asks of a Table Schema repository: catalogue keys in each `schema.json`, a
README.md, a CHANGELOG.md, `exemple-valide.csv` and `exemple-invalide.csv`, and a root
`schemas.yml` listing the three schemas. Only this script writes those files.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from pathlib import Path

# Run as a script or imported as scripts.<name> (tests): its sibling modules are found either way.
sys.path.insert(0, str(Path(__file__).resolve().parent))
import generated_files  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
TARGET = REPO_ROOT / "observatory" / "resources" / "schemas" / "declaration"

# Catalogue metadata: bump LAST_MODIFIED and the source schema's `version` together, with a
# CHANGELOG entry below, whenever a source schema changes.
CREATED = "2026-03-01"
LAST_MODIFIED = "2026-11-30"
HOMEPAGE = "https://www.asso-declic.fr/"
CONTRIBUTORS = [
    {"title": "Observatoire des OPSN", "organisation": "Déclic, fédération des OPSN", "role": "author"},
]
CHANGELOG = {"0.1.0": (CREATED, "Première version du format de déclaration.")}
REPOSITORY_TITLE = "Déclarations des OPSN (Opérateurs Publics de Services Numériques)"
REPOSITORY_DESCRIPTION = (
    "Formats dans lesquels un OPSN publie son identité, la liste de ses adhérents et les "
    "services qu'il propose, pour que l'observatoire des OPSN les consolide."
)

# Each schema: folder name, keywords, valid rows, invalid rows and the errors frictionless must
# report on the invalid example as (row number, header = 1; field; frictionless error type).
# The valid examples name real collectivités of the COG 2026: the adherents one reconciles fully.
SCHEMAS = {
    "opsn": {
        "keywords": ["opsn", "mutualisation", "collectivités territoriales", "numérique", "déclic"],
        "valid": [
            [
                "253514491",
                "Mégalis Bretagne",
                "syndicat_mixte",
                "https://www.megalis.bretagne.bzh/",
                "22|29|35|56",
                "true",
            ],
            ["130004930", "GIP ARNia", "gip", "https://www.ternum-bfc.fr/", "25|70|71|89|90", "true"],
        ],
        "invalid": [
            [
                "25351449",
                "Mégalis Bretagne",
                "syndicat_mixte",
                "https://www.megalis.bretagne.bzh/",
                "22|29|35|56",
                "true",
            ],
            ["130004930", "", "GIP", "https://www.ternum-bfc.fr/", "25;70", "oui"],
        ],
        "errors": [
            (2, "siren", "constraint-error"),
            (3, "nom", "constraint-error"),
            (3, "forme_juridique", "constraint-error"),
            (3, "departements", "constraint-error"),
            (3, "membre_declic", "type-error"),
        ],
    },
    "adherents": {
        "keywords": [
            "opsn",
            "adhérents",
            "collectivités territoriales",
            "communes",
            "epci",
            "code officiel géographique",
        ],
        "valid": [
            ["253514491", "Saint-Brieuc", "commune", "212202782", "22278", "22000", "22", "2012-03-01"],
            ["253514491", "Brest", "commune", "", "29019", "", "", "2010-06-15"],
            ["253514491", "Vannes", "commune", "", "", "56000", "56", ""],
            ["253514491", "CA Saint-Brieuc Armor Agglomération", "epci", "200069409", "", "", "22", "2017-01-01"],
            ["253514491", "Département des Côtes-d'Armor", "departement", "", "22", "", "", "2008-01-01"],
            ["253514491", "Région Bretagne", "region", "", "53", "", "", "2008-01-01"],
        ],
        "invalid": [
            ["25351449", "Saint-Brieuc", "commune", "212202782", "22278", "22000", "22", "2012-03-01"],
            ["253514491", "Brest", "Commune", "", "2901", "", "", "15/06/2010"],
            ["253514491", "Vannes", "commune", "", "", "5600", "6", ""],
        ],
        "errors": [
            (2, "siren_opsn", "constraint-error"),
            (3, "type_adherent", "constraint-error"),
            (3, "code_insee_adherent", "constraint-error"),
            (3, "date_adhesion", "type-error"),
            (4, "code_postal", "constraint-error"),
            (4, "code_departement", "constraint-error"),
        ],
    },
    "services": {
        "keywords": ["opsn", "services numériques", "mutualisation", "collectivités territoriales"],
        "valid": [["253514491", "dematerialisation"], ["253514491", "dpd_mutualise"], ["130004930", "sig"]],
        "invalid": [["253514491", "SIG"], ["", "dpd_mutualise"]],
        "errors": [(2, "code_service", "constraint-error"), (3, "siren_opsn", "constraint-error")],
    },
}


def source_descriptor(name: str) -> dict:
    return json.loads((TARGET / f"{name}.json").read_text(encoding="utf-8"))


def catalogue_descriptor(name: str) -> dict:
    """The source schema with the keys schema.data.gouv.fr reads, in the template's order."""
    source = source_descriptor(name)
    head = {key: source[key] for key in ("$schema", "name", "title", "description", "countryCode") if key in source}
    return {
        **head,
        "homepage": HOMEPAGE,
        "resources": [
            {"title": "Exemple de fichier valide", "name": "exemple-valide", "path": "exemple-valide.csv"},
            {"title": "Exemple de fichier invalide", "name": "exemple-invalide", "path": "exemple-invalide.csv"},
        ],
        "created": CREATED,
        "lastModified": LAST_MODIFIED,
        "version": source["version"],
        "contributors": CONTRIBUTORS,
        "keywords": SCHEMAS[name]["keywords"],
        **{key: value for key, value in source.items() if key not in head and key not in ("homepage", "version")},
    }


def _csv(header: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _constraints_text(field: dict) -> str:
    constraints = field.get("constraints", {})
    parts = []
    if constraints.get("required"):
        parts.append("obligatoire")
    if constraints.get("unique"):
        parts.append("unique")
    if "pattern" in constraints:
        parts.append(f"motif `{constraints['pattern']}`")
    if "enum" in constraints:
        parts.append("valeurs : " + ", ".join(f"`{v}`" for v in constraints["enum"]))
    if field.get("x-bloquant"):
        parts.append("bloquant pour l'observatoire")
    return " ; ".join(parts).replace("|", "\\|")


def readme(name: str, descriptor: dict) -> str:
    rows = "\n".join(
        f"| `{f['name']}` | {f.get('type', 'string')} | {f.get('description', '').replace('|', chr(92) + '|')} "
        f"| `{f.get('example', '')}` | {_constraints_text(f)} |"
        for f in descriptor["fields"]
    )
    return f"""# {descriptor["title"]}

{descriptor["description"]}

- Version : {descriptor["version"]} (créé le {CREATED}, modifié le {LAST_MODIFIED})
- Fichier : `{name}.csv`, UTF-8, séparateur virgule, une ligne d'en-tête avec exactement les noms ci-dessous.
- Les codes (SIREN, code INSEE, code postal, département) sont du **texte** : gardez leurs zéros initiaux.
- Exemples : [`exemple-valide.csv`](exemple-valide.csv) est conforme ; [`exemple-invalide.csv`](exemple-invalide.csv)
  montre les erreurs les plus courantes.

Ce dossier est généré par `scripts/build_declaration_schemas.py` à partir de `schemas/declaration/{name}.json` :
ne le modifiez pas à la main.

## Champs

| Nom | Type | Description | Exemple | Contraintes |
|---|---|---|---|---|
{rows}

## Vérifier son fichier

Avant publication : `observatory verifier {name}.csv` (voir `docs/opsn.md` de l'observatoire) pour les adhérents,
ou tout validateur Table Schema (Validata, `frictionless validate --schema schema.json {name}.csv`).
"""


def changelog(descriptor: dict) -> str:
    entries = "\n".join(
        f"## {version} ({day})\n\n{text}\n" for version, (day, text) in sorted(CHANGELOG.items(), reverse=True)
    )
    return f"# Changements — {descriptor['title']}\n\n{entries}"


def schemas_yml() -> str:
    lines = [
        f'title: "{REPOSITORY_TITLE}"',
        f'description: "{REPOSITORY_DESCRIPTION}"',
        f'homepage: "{HOMEPAGE}"',
        "",
        "schemas:",
    ]
    for name in SCHEMAS:
        lines += ["  -", f'    path: "{name}/schema.json"', f'    title: "{source_descriptor(name)["title"]}"']
    return "\n".join(lines) + "\n"


def root_readme() -> str:
    listed = "\n".join(f"- [`{name}/`]({name}/README.md) : {source_descriptor(name)['title']}" for name in SCHEMAS)
    return f"""# {REPOSITORY_TITLE}

{REPOSITORY_DESCRIPTION}

Dépôt de schémas au format attendu par schema.data.gouv.fr (plusieurs schémas : `schemas.yml`) :

{listed}

Les fichiers `opsn.json`, `adherents.json` et `services.json` à la racine sont les sources lues par le pipeline de
l'observatoire ; les dossiers par schéma en sont générés par `scripts/build_declaration_schemas.py` et vérifiés par
`tests/scripts/test_build_declaration_schemas.py`. Pour publier ce dossier comme dépôt de schémas : le pousser tel
quel et poser une étiquette Git égale à la version des schémas (`v0.1.0`).

Gouvernance : l'observatoire des OPSN (fédération Déclic) fait évoluer ces formats ; chaque changement est noté dans
le CHANGELOG.md du schéma concerné.
"""


def render() -> dict[Path, str]:
    """Every generated file (path relative to schemas/declaration/) with its content."""
    files: dict[Path, str] = {Path("schemas.yml"): schemas_yml(), Path("README.md"): root_readme()}
    for name, spec in SCHEMAS.items():
        descriptor = catalogue_descriptor(name)
        header = [field["name"] for field in descriptor["fields"]]
        folder = Path(name)
        files[folder / "schema.json"] = json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"
        files[folder / "README.md"] = readme(name, descriptor)
        files[folder / "CHANGELOG.md"] = changelog(descriptor)
        files[folder / "exemple-valide.csv"] = _csv(header, spec["valid"])
        files[folder / "exemple-invalide.csv"] = _csv(header, spec["invalid"])
    return files


def out_of_date(target: Path = TARGET) -> list[Path]:
    return generated_files.stale(render(), target)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="ne rien écrire ; code 1 si un fichier est périmé")
    args = parser.parse_args(argv)
    rendered = render()  # once: the check, the writing and the count all read it
    stale = generated_files.stale(rendered, TARGET)
    if args.check:
        for path in stale:
            print(f"périmé : schemas/declaration/{path}")
        return 1 if stale else 0
    generated_files.write(rendered, TARGET)
    print(f"{len(rendered)} fichiers écrits sous {TARGET.relative_to(REPO_ROOT)} ({len(stale)} modifiés)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
