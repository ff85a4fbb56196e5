"""The README.md shipped inside each release: what the package holds and how it was made."""

from __future__ import annotations

from observatory.publish.catalog import DEMO_LABEL, PUBLISHED_TABLES
from observatory.schemas import load_descriptor


def _table_section(name: str, rows: int) -> str:
    descriptor = load_descriptor(name)
    lines = [
        f"### `{name}` ({rows} lignes)",
        "",
        descriptor["description"],
        "",
        "| champ | type | description |",
        "| --- | --- | --- |",
    ]
    for field in descriptor["fields"]:
        lines.append(f"| `{field['name']}` | {field.get('type', 'string')} | {field.get('description', '')} |")
    return "\n".join(lines)


def render_readme(
    *, version: str, demonstration: bool, rows: dict[str, int], sources: list[dict], definitions_markdown: str
) -> str:
    parts = [f"# Observatoire des OPSN — publication {version}", ""]
    if demonstration:
        parts += [
            f"> **{DEMO_LABEL.capitalize()}.** Les déclarations d'adhérents et le fichier CNIL de cette "
            "publication sont générés par un script à graine fixe à partir du référentiel officiel réel "
            "(COG 2026, identités réelles des OPSN de l'ANCT). Aucun chiffre ne décrit la réalité.",
            "",
        ]
    parts += [
        "Fichiers : chaque table en CSV (UTF-8, séparateur `,`) et en Parquet, décrite dans `datapackage.json` "
        "(Frictionless Data Package, validé avant publication), et toutes les tables dans `observatoire.duckdb`.",
        "Licence : Licence Ouverte / Open Licence 2.0 (etalab-2.0). Les colonnes de contact du fichier CNIL "
        "n'y figurent jamais. Les listes sont des chaînes séparées par « | ».",
        "",
        "## Sources",
        "",
    ]
    for source in sources:
        parts.append(f"- {source['title']} — sha256 `{source.get('sha256', '')[:16]}…` ({source.get('path', '')})")
    parts += ["", "## Tables", ""]
    parts += [_table_section(name, rows.get(name, 0)) + "\n" for name in PUBLISHED_TABLES]
    parts += ["## Définitions des indicateurs", "", definitions_markdown]
    return "\n".join(parts) + "\n"
