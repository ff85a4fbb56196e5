"""One static HTML page per release: headline figures with their definitions, every chart with its alt
text and data table, a territory view by département, links to the files. Rendered from the release
folder only, byte-identical when rebuilt (no timestamp, sorted data), and nothing to fetch."""

from __future__ import annotations

import json
import re
from html import escape
from pathlib import Path

import pandas as pd

from observatory.publish.catalog import PUBLISHED_TABLES
from observatory.report.figure import fr_number
from observatory.report.page_assets import CSS, SCRIPT
from observatory.report.release_data import ReleaseData, load_release
from observatory.report.render import MANIFEST, render_charts
from observatory.report.style import DEMO_MENTION

INDEX = "index.html"
HEADLINE = [
    "nb_opsn",
    "nb_adherents",
    "nb_communes_adherentes",
    "part_communes_adherentes",
    "population_couverte",
    "part_population_couverte",
    "nb_communes_multi_opsn",
    "nb_communes_dpd",
    "part_communes_dpd",
    "part_communes_dpd_adherentes",
    "part_communes_dpd_non_adherentes",
]


def format_value(value, unit: str) -> str:
    if value is None or pd.isna(value):
        return "–"
    if unit == "pourcentage":
        return f"{fr_number(float(value), 1)} %"
    text = fr_number(float(value), 0 if float(value).is_integer() else 1)
    return f"{text} hab." if unit == "habitants" else text


def _inline(text: str) -> str:
    """Definitions are written in Markdown: show their `code` spans as code, escape the rest."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", escape(text))


def _headline(release: ReleaseData) -> str:
    ind = release.table("indicateurs")
    france = ind[(ind["niveau"] == "france") & (ind["modalite"] == "ensemble")].set_index("code_indicateur")
    definitions = release.table("definitions_indicateurs").set_index("code_indicateur")
    cards = []
    for code in HEADLINE:
        if code not in france.index:
            continue
        row = france.loc[code]
        definition = str(definitions["definition"].get(code, "")) if code in definitions.index else ""
        first, _, rest = definition.partition(". ")
        cards.append(
            f'<div class="chiffre"><div class="valeur">{escape(format_value(row["valeur"], row["unite"]))}</div>'
            f'<div class="libelle">{escape(str(row["libelle"]))}</div>'
            f'<p class="definition">{_inline(first)}{"." if rest else ""}</p>'
            + (f"<details><summary>Définition complète</summary><p>{_inline(definition)}</p></details>" if rest else "")
            + "</div>"
        )
    return '<div class="chiffres">' + "".join(cards) + "</div>"


def _table_html(frame: pd.DataFrame) -> str:
    head = "".join(f'<th scope="col">{escape(str(c))}</th>' for c in frame.columns)
    rows = []
    for record in frame.itertuples(index=False):
        cells = []
        for value in record:
            numeric = isinstance(value, int | float) and not isinstance(value, bool)
            text = "" if value is None or (numeric and pd.isna(value)) else str(value)
            if numeric and text:
                text = fr_number(float(value), 0 if float(value).is_integer() else 2)
            cells.append(f'<td class="nombre">{escape(text)}</td>' if numeric else f"<td>{escape(text)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _figure(entry: dict, charts_dir: Path) -> str:
    sujet = entry["sujet"]
    frame = pd.read_csv(charts_dir / f"{sujet}.csv", keep_default_na=False, na_values=[""])
    frame = frame.astype({c: object for c in frame.columns if frame[c].dtype == "str"})
    links = " · ".join(
        f'<a href="{escape(name)}">{escape(name.rsplit(".", 1)[1].upper())}</a>' for name in entry["fichiers"]
    )
    return (
        f'<figure id="{escape(sujet)}"><h3 class="lecteur-ecran">{escape(entry["titre"])}</h3>'
        f'<img src="{escape(sujet)}.svg" alt="{escape(entry["alt"])}">'
        f"<figcaption>Télécharger : {links} (PNG pour un traitement de texte, SVG pour une page web).</figcaption>"
        f"<details><summary>Données du graphique ({len(frame)} lignes)</summary>"
        f'<div class="tableau-defilant">{_table_html(frame)}</div></details></figure>'
    )


def _territories(release: ReleaseData) -> tuple[str, str]:
    ind = release.table("indicateurs")
    ind = ind[ind["modalite"] == "ensemble"]
    definitions = release.table("definitions_indicateurs").set_index("code_indicateur")
    present = set(ind.loc[ind["niveau"] == "departement", "code_indicateur"])
    # The catalogue's order (definitions_indicateurs) groups the figures by theme.
    codes = [code for code in definitions.index if code in present]
    indicators = [{"code": c, "libelle": str(definitions["libelle"].get(c, c))} for c in codes]

    def values(level: str) -> dict[str, dict]:
        part = ind[(ind["niveau"] == level) & ind["code_indicateur"].isin(codes)]
        out: dict[str, dict] = {}
        for row in part.sort_values(["code_territoire", "code_indicateur"]).itertuples():
            entry = out.setdefault(str(row.code_territoire), {"nom": str(row.libelle_territoire), "valeurs": {}})
            entry["valeurs"][row.code_indicateur] = format_value(row.valeur, row.unite)
        return out

    departements, regions = values("departement"), values("region")
    communes = release.table("collectivites")
    region_of = dict(
        communes[["code_departement", "code_region"]]
        .drop_duplicates("code_departement")
        .itertuples(index=False, name=None)
    )
    for code, entry in departements.items():
        entry["region"] = str(region_of.get(code, ""))
    france = {
        r.code_indicateur: format_value(r.valeur, r.unite)
        for r in ind[(ind["niveau"] == "france") & ind["code_indicateur"].isin(codes)].itertuples()
    }
    payload = {"indicateurs": indicators, "departements": departements, "regions": regions, "france": france}
    groups = []
    for region_code, region in sorted(regions.items(), key=lambda item: item[1]["nom"]):
        options = "".join(
            f'<option value="{escape(code)}">{escape(code)} – {escape(entry["nom"])}</option>'
            for code, entry in sorted(departements.items())
            if entry["region"] == region_code
        )
        if options:
            groups.append(f'<optgroup label="{escape(region["nom"])}">{options}</optgroup>')
    data = json.dumps(payload, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    section = (
        '<label for="choix-departement">Département</label>'
        f'<select id="choix-departement">{"".join(groups)}</select>'
        '<h3 id="titre-territoire" aria-live="polite"></h3>'
        '<table><thead><tr><th scope="col">Indicateur</th><th scope="col">Département</th>'
        '<th scope="col">Région</th><th scope="col">France</th></tr></thead><tbody id="corps-territoire"></tbody>'
        "</table>"
    )
    return section, f'<script type="application/json" id="donnees-territoires">{data}</script>'


def _downloads(release: ReleaseData) -> str:
    items = []
    for name in dict.fromkeys([*PUBLISHED_TABLES, "historique_indicateurs"]):
        files = [
            f'<a href="../{name}.{ext}">{label}</a>'
            for ext, label in (("csv", "CSV"), ("parquet", "Parquet"))
            if (release.path / f"{name}.{ext}").exists()
        ]
        if files:
            items.append(f"<li><code>{escape(name)}</code> : {' · '.join(files)}</li>")
    for name, label in (
        ("datapackage.json", "Description du paquet (datapackage.json)"),
        ("README.md", "Documentation du paquet (README.md)"),
        ("CHANGELOG.md", "Changements depuis la version précédente (CHANGELOG.md)"),
        ("observatoire.duckdb", "Base DuckDB pour les chercheurs"),
    ):
        if (release.path / name).exists():
            items.append(f'<li><a href="../{name}">{escape(label)}</a></li>')
    return "<ul>" + "".join(items) + "</ul>"


def render_dashboard(release_dir: Path | str, out_dir: Path | str) -> Path:
    """Write <out_dir>/index.html for the release in `release_dir`; charts are rendered first if missing."""
    release = load_release(release_dir)
    out = Path(out_dir)
    if not (out / MANIFEST).exists():
        render_charts(release_dir, out)
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    title = f"Observatoire des OPSN : tableau de bord, version {release.version}"
    demo = f'<p class="demo" role="alert">{escape(DEMO_MENTION)}.</p>' if release.demonstration else ""
    figures = "".join(_figure(entry, out) for entry in manifest["graphiques"])
    territory, data_script = _territories(release)
    page = f"""<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<style>{CSS}</style>
</head>
<body>
<header><h1>Observatoire des OPSN : tableau de bord</h1>
<p>{escape(release.source_line)}.</p></header>
<main>
{demo}
<nav class="sommaire" aria-label="Sommaire"><a href="#chiffres">Chiffres clés</a><a href="#graphiques">Graphiques</a>
<a href="#territoires">Par département</a><a href="#fichiers">Fichiers</a></nav>
<section id="chiffres"><h2>Chiffres clés (France)</h2>{_headline(release)}</section>
<section id="graphiques"><h2>Graphiques</h2>{figures}</section>
<section id="territoires"><h2>Par département</h2>{territory}</section>
<section id="fichiers"><h2>Fichiers de la version</h2>{_downloads(release)}</section>
<footer>{escape(release.source_line)}. Données sous Licence Ouverte 2.0. Les définitions complètes sont dans
<code>definitions_indicateurs.csv</code>.</footer>
</main>
{data_script}
<script>{SCRIPT}</script>
</body>
</html>
"""
    path = out / INDEX
    path.write_text(page, encoding="utf-8")
    return path
