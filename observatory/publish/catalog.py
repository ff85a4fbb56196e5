"""Which warehouse table becomes which published resource. Columns come from schemas/."""

from __future__ import annotations

# resource name (= schemas/<name>.json) -> warehouse table
PUBLISHED_TABLES: dict[str, str] = {
    "opsn": "out__opsn",
    "services_opsn": "out__services_opsn",
    "adhesions": "core_declarations__adhesions",
    "adhesions_multiples": "core_declarations__adhesions_multiples",
    "qualite_declarations": "out__qualite_declarations",
    "indicateurs": "out__indicateurs",
    "definitions_indicateurs": "out__definitions_indicateurs",
    "collectivites": "out__collectivites",
    "declarations_exclues": "core_declarations__exclues",
    "comparaison_sources": "out__comparaison_sources",
}
# Published tables for which no row is a legitimate result (nothing excluded, no OPSN in either source).
MAY_BE_EMPTY = {"declarations_exclues", "comparaison_sources"}

DEMO_LABEL = "données de démonstration"
LICENCE = {
    "name": "etalab-2.0",
    "title": "Licence Ouverte / Open Licence version 2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}

# Tables computed at publication time against the previous release (not warehouse tables):
# published like the others (a schema in schemas/), in this order after PUBLISHED_TABLES.
HISTORY_TABLE = "historique_indicateurs"
CHANGES_TABLE = "changements"
RELEASE_TABLES: list[str] = [*PUBLISHED_TABLES, HISTORY_TABLE, CHANGES_TABLE]

# Same homepage as the Table Schemas in schemas/ (the network the observatory serves).
HOMEPAGE = "https://www.asso-declic.fr/"
CONTRIBUTORS = [{"title": "Observatoire des OPSN", "roles": ["publisher"]}]
KEYWORDS = ["OPSN", "collectivités", "mutualisation", "COG", "DPD", "RGPD", "services numériques"]
