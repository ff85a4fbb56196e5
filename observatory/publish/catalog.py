"""Which warehouse table becomes which published resource, derived from the table catalogue.

Columns come from schemas/; the list itself from observatory/table_catalog.py.
"""

from __future__ import annotations

from observatory.table_catalog import published_tables

_WAREHOUSE_PUBLISHED = [entry for entry in published_tables() if entry.layer != "publication"]
# resource name (= schemas/<name>.json) -> warehouse table, in publication order
PUBLISHED_TABLES: dict[str, str] = {entry.published.resource: entry.name for entry in _WAREHOUSE_PUBLISHED}
# Published tables for which no row is a legitimate result (nothing excluded, no OPSN in either source).
MAY_BE_EMPTY = {entry.published.resource for entry in published_tables() if entry.published.may_be_empty}

DEMO_LABEL = "données de démonstration"
LICENCE = {
    "name": "etalab-2.0",
    "title": "Licence Ouverte / Open Licence version 2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}

# Tables computed at publication time against the previous release (not warehouse tables):
# published like the others (a schema in schemas/), in catalogue order after PUBLISHED_TABLES.
HISTORY_TABLE = "historique_indicateurs"
CHANGES_TABLE = "changements"
RELEASE_TABLES: list[str] = [entry.published.resource for entry in published_tables()]

# Same homepage as the Table Schemas in schemas/ (the network the observatory serves).
HOMEPAGE = "https://www.asso-declic.fr/"
CONTRIBUTORS = [{"title": "Observatoire des OPSN", "roles": ["publisher"]}]
KEYWORDS = ["OPSN", "collectivités", "mutualisation", "COG", "DPD", "RGPD", "services numériques"]
