"""The one catalogue of the observatory's tables, in the spirit of PUDL's resource metadata.

Every raw source and every warehouse table is declared here once: layer, source, Table Schema,
the warehouse tables it reads, the library function that builds it, and whether and under which
name it is published. Dagster assets, contract checks, the publication list, the source layout,
the referential's tables and the table lists of the documentation are all derived from it.

Adding a published table means one entry here and one schema in `schemas/<resource>.json`.
Build functions are named as "module:function" so this module imports nothing it describes
(the library modules can then read their table names from here without import cycles).
"""

from __future__ import annotations

from importlib import import_module

# Callers use the types through this module (catalog.Table…): one import for the whole catalogue.
from observatory.table_types import Layer, Published, RawSource, Table

REFERENTIAL_BUILD = "observatory.referential:load_referential"
RECONCILIATION_BUILD = "observatory.table_builds:reconcile_declarations"

RAW_SOURCES: tuple[RawSource, ...] = (
    RawSource(
        "declarations_opsn", "raw_declarations__opsn", "declarations", "declarations/opsn.csv", "declaration/opsn"
    ),
    RawSource(
        "declarations_adherents",
        "raw_declarations__adherents",
        "declarations",
        "declarations/adherents.csv",
        "declaration/adherents",
    ),
    RawSource(
        "declarations_services",
        "raw_declarations__services",
        "declarations",
        "declarations/services.csv",
        "declaration/services",
    ),
    # May also be gzip-compressed (`.csv.gz`), which is how the embedded demo copy is kept small in git.
    RawSource(
        "cnil_designations",
        "raw_cnil__designations",
        "cnil",
        "cnil/opencnil-organismes-avec-dpo.csv",
        "sources/cnil-organismes-avec-dpo",
    ),
    # Written by live mode only: the declarations it left out (data.gouv.fr resources that failed).
    RawSource(
        "declarations_exclues",
        "raw_declarations__exclues",
        "declarations",
        "declarations/exclues.csv",
        "declarations_exclues",
        optional=True,
    ),
    # The ANCT's daily files (`;`-separated, the adherents gzip-compressed as published); a steward's
    # folder made before they joined the layout has none.
    RawSource(
        "anct_operateurs",
        "raw_anct__operateurs",
        "anct",
        "anct/operateurs-quotidien.csv",
        "sources/anct-operateurs-quotidien",
        optional=True,
        separator=";",
    ),
    RawSource(
        "anct_adherents",
        "raw_anct__adherents",
        "anct",
        "anct/adherents-quotidien.csv",
        "sources/anct-adherents-quotidien",
        optional=True,
        separator=";",
    ),
    RawSource(
        "cog_referentiel",
        "raw_cog__referentiel",
        "cog",
        None,
        description="Référentiel officiel vendu dans le dépôt (COG 2026 et historique) : sa provenance.",
    ),
)

_COG = ("communes", "epci", "epci_membres", "departements", "regions", "communes_historiques")
_COG_DESCRIPTIONS = {
    "communes": "Communes du COG 2026 : actuelles, déléguées, associées et arrondissements municipaux.",
    "epci": "EPCI à fiscalité propre au 1er janvier 2026.",
    "epci_membres": "Communes membres des EPCI au 1er janvier 2026.",
    "departements": "Départements du COG 2026, plus les collectivités d'outre-mer rangées au même niveau.",
    "regions": "Régions du COG 2026, plus les collectivités d'outre-mer.",
    "communes_historiques": "Anciens codes et anciens noms de communes vers la commune actuelle (COG 2026).",
}
COG_TABLES = tuple(f"core_cog__{name}" for name in _COG)
COG_COMMUNES = COG_TABLES[_COG.index("communes")]
# The five the indicators and collectivites read (not the history of communes).
_COG_CURRENT = COG_TABLES[:5]

# Warehouse table names, each written once: here. Library functions import them as their defaults.
DECLARED_OPSN = "core_declarations__opsn"
DECLARED_MEMBERS = "core_declarations__adherents"
DECLARED_SERVICES = "core_declarations__services"
EXCLUDED_DECLARATIONS = "core_declarations__exclues"
CNIL_DESIGNATIONS = "core_cnil__designations"
ANCT_OPERATORS = "core_anct__operateurs"
ANCT_MEMBERS = "core_anct__adherents"
ADHESIONS = "core_declarations__adhesions"
MULTIPLE_ADHESIONS = "core_declarations__adhesions_multiples"
DPD_BODIES = "core_cnil__dpd_organismes"
OPSN = "out__opsn"
SERVICES_OPSN = "out__services_opsn"
DECLARATION_QUALITY = "out__qualite_declarations"
COLLECTIVITES = "out__collectivites"
INDICATOR_DEFINITIONS = "out__definitions_indicateurs"
INDICATORS = "out__indicateurs"
SOURCE_COMPARISON = "out__comparaison_sources"

TABLES: tuple[Table, ...] = (
    *(
        Table(
            f"core_cog__{name}",
            "core",
            "cog",
            f"referentiel/{name}",
            _COG_DESCRIPTIONS[name],
            REFERENTIAL_BUILD,
            raw="cog_referentiel",
            contract=True,
        )
        for name in _COG
    ),
    Table(
        DECLARED_OPSN,
        "core",
        "declarations",
        "declaration/opsn",
        "Identité des OPSN déclarés (opsn.csv), typée.",
        "observatory.table_builds:load_declared_opsn",
        raw="declarations_opsn",
        contract=True,
    ),
    Table(
        DECLARED_MEMBERS,
        "core",
        "declarations",
        f"entrepot/{DECLARED_MEMBERS}",
        "Adhérents déclarés, champs d'identification tels que déclarés, avec id_adhesion stable.",
        "observatory.table_builds:load_declared_members",
        deps=(DECLARED_OPSN,),
        raw="declarations_adherents",
    ),
    Table(
        DECLARED_SERVICES,
        "core",
        "declarations",
        "declaration/services",
        "Services déclarés par chaque OPSN, dans le vocabulaire de l'observatoire.",
        "observatory.table_builds:load_declared_services",
        deps=(DECLARED_OPSN,),
        raw="declarations_services",
        contract=True,
    ),
    Table(
        CNIL_DESIGNATIONS,
        "core",
        "cnil",
        f"entrepot/{CNIL_DESIGNATIONS}",
        "Désignations de DPD (fichier CNIL), sans les colonnes de contact personnelles.",
        "observatory.table_builds:load_cnil_designations",
        raw="cnil_designations",
    ),
    Table(
        EXCLUDED_DECLARATIONS,
        "core",
        "declarations",
        "declarations_exclues",
        "Déclarations trouvées sur data.gouv.fr et écartées (mode live), avec ligne, champ et motif ; vide sinon.",
        "observatory.table_builds:load_excluded_declarations",
        raw="declarations_exclues",
        published=Published("declarations_exclues", 9, may_be_empty=True),
        contract=True,
    ),
    Table(
        ANCT_OPERATORS,
        "core",
        "anct",
        f"entrepot/{ANCT_OPERATORS}",
        "Opérateurs de la Suite territoriale (fichier quotidien de l'ANCT) ; est_opsn écarte l'ANCT et les tests.",
        "observatory.table_builds:load_anct_operators",
        raw="anct_operateurs",
    ),
    Table(
        ANCT_MEMBERS,
        "core",
        "anct",
        f"entrepot/{ANCT_MEMBERS}",
        "Collectivités inscrites par chaque opérateur à la Suite territoriale (ANCT) : une seconde source d'adhésion.",
        "observatory.table_builds:load_anct_members",
        raw="anct_adherents",
    ),
    Table(
        ADHESIONS,
        "core",
        "declarations",
        "adhesions",
        "Chaque adhésion déclarée rapprochée du COG, et pour un OPSN sans déclaration les collectivités qu'il a "
        "inscrites auprès de l'ANCT (source_adhesion ; contrat schemas/adhesions.json).",
        RECONCILIATION_BUILD,
        deps=(DECLARED_MEMBERS, DECLARED_OPSN, ANCT_OPERATORS, ANCT_MEMBERS, *COG_TABLES),
        published=Published("adhesions", 3),
        contract=True,
        preview=True,
    ),
    Table(
        MULTIPLE_ADHESIONS,
        "core",
        "declarations",
        "adhesions_multiples",
        "Collectivités déclarées directement par deux OPSN ou plus.",
        RECONCILIATION_BUILD,
        deps=(ADHESIONS,),
        published=Published("adhesions_multiples", 4),
        contract=True,
    ),
    Table(
        DPD_BODIES,
        "core",
        "cnil",
        f"entrepot/{DPD_BODIES}",
        "Par SIREN désignant : DPD en place (dernière désignation), première désignation, type.",
        "observatory.table_builds:build_dpd_status_of_known_opsn",
        deps=(CNIL_DESIGNATIONS, OPSN),
    ),
    Table(
        OPSN,
        "out",
        "declarations",
        "opsn",
        "OPSN déclarés, et opérateurs de l'ANCT sans déclaration (table publiée opsn, source_opsn).",
        "observatory.table_builds:build_opsn_list",
        deps=(DECLARED_OPSN, DECLARED_MEMBERS, DECLARED_SERVICES, ANCT_OPERATORS, ANCT_MEMBERS),
        published=Published("opsn", 1),
        contract=True,
        preview=True,
    ),
    Table(
        SERVICES_OPSN,
        "out",
        "declarations",
        "services_opsn",
        "Services proposés par les OPSN (table publiée services_opsn).",
        "observatory.opsn_tables:build_services_opsn",
        deps=(DECLARED_SERVICES,),
        published=Published("services_opsn", 2),
        contract=True,
        preview=True,
    ),
    Table(
        DECLARATION_QUALITY,
        "out",
        "declarations",
        "qualite_declarations",
        "Qualité des déclarations, une ligne par OPSN.",
        "observatory.reconcile.quality:build_declaration_quality",
        deps=(ADHESIONS, MULTIPLE_ADHESIONS, DECLARED_OPSN),
        published=Published("qualite_declarations", 5),
        contract=True,
        preview=True,
    ),
    Table(
        COLLECTIVITES,
        "out",
        "observatoire",
        "collectivites",
        "Une ligne par commune de France et par EPCI : adhésions, couverture, DPD.",
        "observatory.indicators.collectivites:build_collectivites",
        deps=(DPD_BODIES, ADHESIONS, *_COG_CURRENT),
        published=Published("collectivites", 8),
        contract=True,
        preview=True,
    ),
    Table(
        INDICATOR_DEFINITIONS,
        "out",
        "observatoire",
        "definitions_indicateurs",
        "Définitions des indicateurs (catalogue).",
        "observatory.indicators.catalogue:build_definitions",
        published=Published("definitions_indicateurs", 7),
        contract=True,
    ),
    Table(
        INDICATORS,
        "out",
        "observatoire",
        "indicateurs",
        "Indicateurs de l'observatoire, France, région, département, OPSN (format long).",
        "observatory.table_builds:build_indicators_of_known_opsn",
        deps=(COLLECTIVITES, ADHESIONS, DECLARED_SERVICES, OPSN, DPD_BODIES, *_COG_CURRENT),
        published=Published("indicateurs", 6),
        contract=True,
        preview=True,
    ),
    Table(
        SOURCE_COMPARISON,
        "out",
        "anct",
        "comparaison_sources",
        "Par OPSN, adhérents de sa déclaration et du fichier de l'ANCT comparés (table comparaison_sources).",
        "observatory.anct:compare_sources",
        deps=(ADHESIONS, DECLARED_OPSN, ANCT_OPERATORS, ANCT_MEMBERS),
        published=Published("comparaison_sources", 10, may_be_empty=True),
        contract=True,
    ),
    # Computed at publication time against the previous release, not in the warehouse.
    Table(
        "historique_indicateurs",
        "publication",
        "observatoire",
        "historique_indicateurs",
        "Série de tous les indicateurs publiés, de la première publication à celle-ci.",
        "observatory.publish.history:build_history",
        published=Published("historique_indicateurs", 11),
    ),
    Table(
        "changements",
        "publication",
        "observatoire",
        "changements",
        "Ce qui a changé depuis la publication précédente.",
        "observatory.publish.changelog:build_changes",
        published=Published("changements", 12),
    ),
)

_BY_NAME = {table.name: table for table in TABLES}
_RAW_BY_NAME = {source.name: source for source in RAW_SOURCES}


def table(name: str) -> Table:
    return _BY_NAME[name]


def raw_source(name: str) -> RawSource:
    return _RAW_BY_NAME[name]


def warehouse_tables(*layers: Layer) -> list[Table]:
    """Tables the pipeline writes in the warehouse (optionally of some layers), in catalogue order."""
    wanted = set(layers or ("core", "out"))
    return [entry for entry in TABLES if entry.layer in wanted and entry.layer != "publication"]


def published_tables() -> list[Table]:
    return sorted((entry for entry in TABLES if entry.published), key=lambda entry: entry.published.order)


def builds() -> dict[str, list[Table]]:
    """Build function -> the warehouse tables it writes (several: one Dagster multi-asset)."""
    grouped: dict[str, list[Table]] = {}
    for entry in warehouse_tables():
        grouped.setdefault(entry.build, []).append(entry)
    return grouped


def build_inputs(outputs: list[Table]) -> list[str]:
    """Warehouse tables a build reads: its tables' dependencies, less the tables it writes itself."""
    written = {entry.name for entry in outputs}
    return list(dict.fromkeys(dep for entry in outputs for dep in entry.deps if dep not in written))


def build_function(entry: Table):
    module, _, attribute = entry.build.partition(":")
    return getattr(import_module(module), attribute)


def upstream_sources(entry: Table) -> list[str]:
    """Sources (`cog`, `declarations`…) whose raw files the table is computed from, directly or not."""
    seen: set[str] = set()
    sources: set[str] = set()
    pending = [entry]
    while pending:
        current = pending.pop()
        if current.raw:
            sources.add(raw_source(current.raw).source)
        for dep in current.deps:
            if dep not in seen:
                seen.add(dep)
                pending.append(table(dep))
    return sorted(sources)


def build_order() -> list[list[Table]]:
    """Builds in an order where each reads only what an earlier one wrote (fails on a cycle)."""
    pending = dict(builds())
    done: set[str] = set()
    order = []
    while pending:
        ready = [key for key, outputs in pending.items() if set(build_inputs(outputs)) <= done]
        if not ready:
            raise ValueError(f"dépendances circulaires ou inconnues : {sorted(pending)}")
        for key in ready:
            order.append(pending.pop(key))
            done.update(entry.name for entry in order[-1])
    return order
