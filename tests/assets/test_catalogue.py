"""What the Dagster UI shows: columns from the Table Schemas, owners, tags, job tags."""

import dagster as dg

from assets.definitions import defs
from assets.metadata import COLUMN_SCHEMA, OWNER, TABLE_SCHEMAS, asset_source, column_schema
from assets.resources import run_tags
from observatory import table_catalog as catalog
from observatory.publish.catalog import PUBLISHED_TABLES


def _nodes():
    graph = defs.resolve_asset_graph()
    return {key.to_user_string(): graph.get(key) for key in graph.get_all_asset_keys()}


def test_every_asset_has_the_team_as_owner_and_tags_naming_team_and_source():
    for name, node in _nodes().items():
        assert OWNER in node.owners, name
        assert node.tags["equipe"] == "observatoire", name
        assert node.tags["source"] == asset_source(name), name
    assert asset_source("raw_cnil__designations") == "cnil"
    assert asset_source("core_cog__communes") == "cog"
    assert asset_source("out__opsn") == "declarations"
    assert asset_source("out__indicateurs") == "observatoire"


def test_every_table_with_a_table_schema_shows_its_columns_before_any_run():
    nodes = _nodes()
    assert set(PUBLISHED_TABLES.values()) <= set(TABLE_SCHEMAS)
    for table in TABLE_SCHEMAS:
        schema = nodes[table].metadata[COLUMN_SCHEMA]
        assert isinstance(schema, dg.TableSchema) and schema.columns, table


def test_columns_carry_french_descriptions_and_constraints():
    schema = column_schema("adhesions")
    columns = {column.name: column for column in schema.columns}
    key = columns["id_adhesion"]
    assert key.type == "string" and key.description.startswith("Identifiant stable")
    assert not key.constraints.nullable and key.constraints.unique
    assert any(rule.startswith("motif : ") for rule in key.constraints.other)
    status = columns["statut_rapprochement"]
    assert any("rapproche" in rule and "non_trouve" in rule for rule in status.constraints.other)
    assert schema.constraints.other == ["clé primaire : id_adhesion"]


def test_publication_is_fresh_for_40_days():
    policy = _nodes()["publish__paquet"].freshness_policy
    assert policy.fail_window.to_timedelta().days == 40


def test_run_tags_name_the_mode_and_the_source(monkeypatch, tmp_path):
    monkeypatch.delenv("OBSERVATORY_SOURCES_MODE", raising=False)
    monkeypatch.delenv("OBSERVATORY_SOURCES", raising=False)
    assert run_tags() == {"observatoire/mode": "embedded", "observatoire/source": "data/sources-demo"}
    monkeypatch.setenv("OBSERVATORY_SOURCES", str(tmp_path))
    assert run_tags() == {"observatoire/mode": "local", "observatoire/source": str(tmp_path.resolve())}
    monkeypatch.setenv("OBSERVATORY_SOURCES_MODE", "live")
    monkeypatch.setenv("OBSERVATORY_DATAGOUV_URL", "http://127.0.0.1:8123")
    assert run_tags()["observatoire/source"] == "http://127.0.0.1:8123"


def test_jobs_carry_the_tags_and_every_warehouse_step_is_in_one_pool():
    job = defs.resolve_job_def("observatoire_complet")
    assert {"observatoire/mode", "observatoire/source"} <= set(job.tags)
    pools = {node.name: node.definition.pool for node in job.graph.node_dict.values()}
    writers = [name for name in pools if not name.startswith("raw_")]
    assert writers and all(pools[name] == "entrepot" for name in writers), pools


def test_the_asset_graph_is_the_table_catalogue():
    """Every catalogued table is an asset reading exactly its declared tables (and its raw snapshot)."""
    nodes = _nodes()
    for entry in catalog.warehouse_tables():
        raw = {catalog.raw_source(entry.raw).asset} if entry.raw else set()
        parents = {key.to_user_string() for key in nodes[entry.name].parent_keys}
        assert parents == {*entry.deps, *raw}, entry.name
        assert nodes[entry.name].description == entry.description, entry.name
    for source in catalog.RAW_SOURCES:
        assert nodes[source.asset].group_name == f"raw_{source.source}", source.asset
