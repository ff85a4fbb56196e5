"""The README.md shipped inside each release: what the package holds and how it was made.

Its first line carries the demonstration flag, since a CSV file cannot carry metadata. Both its
table sections and the table list of docs/chercheur.md follow the table catalogue's order.
"""

from __future__ import annotations

from observatory import table_catalog as catalog
from observatory.publish.catalog import DEMO_LABEL, RELEASE_TABLES
from observatory.schemas import read_descriptor

# Marks the block of a Markdown page generated from the table catalogue (scripts/generate_table_docs.py).
BLOCK_START = "<!-- début : liste des tables générée depuis observatory/table_catalog.py -->"
BLOCK_END = "<!-- fin : liste des tables générée -->"
SOURCE_LABELS = {
    "anct": "fichiers de l'ANCT",
    "cnil": "fichier CNIL des DPD",
    "cog": "COG 2026",
    "declarations": "déclarations des OPSN",
}


def _table_section(name: str, rows: int) -> str:
    descriptor = read_descriptor(name)
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
    *,
    version: str,
    fingerprint: str,
    data_date: str,
    previous: str | None,
    demonstration: bool,
    rows: dict[str, int],
    sources: list[dict],
    definitions_markdown: str,
) -> str:
    heading = f"# Observatoire des OPSN — publication {version}"
    parts = [heading + (f" ({DEMO_LABEL.upper()})" if demonstration else ""), ""]
    if demonstration:
        parts += [
            f"> **{DEMO_LABEL.capitalize()}.** Les déclarations d'adhérents et le fichier CNIL de cette "
            "publication sont générés par un script à graine fixe à partir du référentiel officiel réel "
            "(COG 2026, identités réelles des OPSN de l'ANCT). Aucun chiffre ne décrit la réalité.",
            "",
        ]
    parts += [
        f"- Version : `{version}` — date des données : {data_date}",
        f"- Empreinte : `{fingerprint}`",
        f"- Version précédente : `{previous}` (voir `CHANGELOG.md` et la table `changements`)"
        if previous
        else "- Première publication : rien à comparer.",
        "",
        f"Citer : « Observatoire des OPSN, publication {version} (empreinte {fingerprint[:16]}), licence Etalab 2.0 ».",
        "",
        "Fichiers : chaque table en CSV (UTF-8, séparateur `,`) et en Parquet, décrite dans `datapackage.json` "
        "(Frictionless Data Package, validé avant publication), et toutes les tables, leurs clés et des vues "
        "dans `observatoire.duckdb`.",
        "Les codes (INSEE, SIREN, départements) sont du texte : lisez-les comme tel (pandas "
        "`read_csv(..., dtype=str)`, R `readr::read_csv(..., col_types = cols(.default = 'c'))`, tableur : "
        "import en colonnes « Texte »), sinon `01001` devient `1001`.",
        "Licence : Licence Ouverte / Open Licence 2.0 (etalab-2.0). Les colonnes de contact du fichier CNIL "
        "n'y figurent jamais. Les listes sont des chaînes séparées par « | ».",
        "",
        "## Sources",
        "",
    ]
    for source in sources:
        digest = source.get("hash", "").removeprefix("sha256:")
        parts.append(f"- {source['title']} — sha256 `{digest[:16]}…` ({source.get('path', '')})")
    parts += ["", "## Tables", ""]
    parts += [_table_section(name, rows.get(name, 0)) + "\n" for name in RELEASE_TABLES if name in rows]
    parts += ["## Définitions des indicateurs", "", definitions_markdown]
    return "\n".join(parts) + "\n"


def _computed_from(entry: catalog.Table) -> str:
    if entry.layer == "publication":
        return "publications précédentes et celle-ci"
    sources = catalog.upstream_sources(entry)
    return ", ".join(SOURCE_LABELS.get(source, source) for source in sources) or "définitions de l'observatoire"


def render_table_list() -> str:
    """The published tables, in package order: what a row is, its key, and the sources behind it."""
    lines = ["| table | une ligne | clé primaire | calculée à partir de |", "| --- | --- | --- | --- |"]
    for entry in catalog.published_tables():
        descriptor = read_descriptor(entry.published.resource)
        key = ", ".join(f"`{field}`" for field in descriptor.get("primaryKey", [])) or "—"
        what = descriptor["description"].removeprefix("Observatoire des OPSN. ").split(". ")[0].rstrip(".")
        lines.append(f"| `{entry.published.resource}` | {what}. | {key} | {_computed_from(entry)} |")
    return "\n".join(lines)


def with_table_list(page: str) -> str:
    """`page` with its generated block replaced by the current table list (markers kept)."""
    start, end = page.index(BLOCK_START) + len(BLOCK_START), page.index(BLOCK_END)
    return page[:start] + "\n" + render_table_list() + "\n" + page[end:]
