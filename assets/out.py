"""Tables computed in the warehouse from others: the published `out__*` tables and derived core tables.

One asset per single-table build of observatory/table_catalog.py that no raw source feeds.
"""

import dagster as dg

from assets.checks import check_results, check_specs
from assets.metadata import ROW_COUNT, table_metadata
from assets.resources import WAREHOUSE_POOL, Warehouse
from observatory import anct
from observatory import table_catalog as catalog


def _retained_sources(con) -> dict:
    retained = con.execute(f"SELECT source_retenue, count(*) FROM {anct.COMPARISON_TABLE} GROUP BY 1").fetchall()
    return {"source_retenue": dg.MetadataValue.json(dict(retained))}


# Metadata some tables add to their row count and columns.
EXTRA_METADATA = {anct.COMPARISON_TABLE: _retained_sources}


def _table_asset(entry: catalog.Table) -> dg.AssetsDefinition:
    name, build = entry.name, catalog.build_function(entry)

    @dg.asset(
        name=name,
        group_name=entry.group,
        kinds={"duckdb"},
        deps=list(entry.deps),
        description=entry.description,
        pool=WAREHOUSE_POOL,
        check_specs=check_specs(name),
    )
    def _asset(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
        with warehouse.connect() as con:
            build(con)
            metadata = table_metadata(con, name)
            if name in EXTRA_METADATA:
                metadata.update(EXTRA_METADATA[name](con))
            checks = check_results(con, name)
        context.log.info(f"{name} : {metadata[ROW_COUNT].value:,} lignes".replace(",", "\u202f"))
        return dg.MaterializeResult(metadata=metadata, check_results=checks)

    return _asset


out_assets = [
    _table_asset(outputs[0]) for outputs in catalog.builds().values() if len(outputs) == 1 and not outputs[0].raw
]
