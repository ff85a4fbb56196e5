"""Out layer: the published tables, computed in the warehouse."""

import dagster as dg

from assets.metadata import ROW_COUNT, table_metadata
from assets.resources import WAREHOUSE_POOL, Warehouse
from observatory.anct import OPERATORS_TABLE as ANCT_OPERATORS
from observatory.indicators import api as indicators
from observatory.opsn_tables import build_opsn, build_services_opsn
from observatory.reconcile.quality import build_declaration_quality

# The OPSN list the figures count: declared OPSN and ANCT-only ones (published table `opsn`).
OPSN_LIST = "out__opsn"
COG = ["core_cog__communes", "core_cog__epci", "core_cog__epci_membres", "core_cog__departements", "core_cog__regions"]


def _table_asset(name: str, deps: list[str], description: str, build) -> dg.AssetsDefinition:
    @dg.asset(
        name=name,
        group_name=name.split("_")[0],
        kinds={"duckdb"},
        deps=deps,
        description=description,
        pool=WAREHOUSE_POOL,
    )
    def _asset(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
        with warehouse.connect() as con:
            build(con)
            metadata = table_metadata(con, name)
        context.log.info(f"{name} : {metadata[ROW_COUNT].value:,} lignes".replace(",", "\u202f"))
        return dg.MaterializeResult(metadata=metadata)

    return _asset


out_assets = [
    _table_asset(
        "out__opsn",
        [
            "core_declarations__opsn",
            "core_declarations__adherents",
            "core_declarations__services",
            "core_anct__operateurs",
            "core_anct__adherents",
        ],
        "OPSN déclarés, et opérateurs de l'ANCT sans déclaration (table publiée opsn, source_opsn).",
        lambda con: build_opsn(con, operators=ANCT_OPERATORS),
    ),
    _table_asset(
        "out__services_opsn",
        ["core_declarations__services"],
        "Services proposés par les OPSN (table publiée services_opsn).",
        build_services_opsn,
    ),
    _table_asset(
        "out__qualite_declarations",
        ["core_declarations__adhesions", "core_declarations__adhesions_multiples", "core_declarations__opsn"],
        "Qualité des déclarations, une ligne par OPSN.",
        build_declaration_quality,
    ),
    _table_asset(
        "core_cnil__dpd_organismes",
        ["core_cnil__designations", OPSN_LIST],
        "Par SIREN désignant : DPD en place (dernière désignation), première désignation, type.",
        lambda con: indicators.build_dpd_status(con, opsn=OPSN_LIST),
    ),
    _table_asset(
        "out__collectivites",
        ["core_cnil__dpd_organismes", "core_declarations__adhesions", *COG],
        "Une ligne par commune de France et par EPCI : adhésions, couverture, DPD.",
        indicators.build_collectivites,
    ),
    _table_asset(
        "out__definitions_indicateurs", [], "Définitions des indicateurs (catalogue).", indicators.build_definitions
    ),
    _table_asset(
        "out__indicateurs",
        [
            "out__collectivites",
            "core_declarations__adhesions",
            "core_declarations__services",
            OPSN_LIST,
            "core_cnil__dpd_organismes",
            *COG,
        ],
        "Indicateurs de l'observatoire, France, région, département, OPSN (format long).",
        lambda con: indicators.build_indicators(con, opsn=OPSN_LIST),
    ),
]
