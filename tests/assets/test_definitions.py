import re

import dagster as dg

from assets.checks import CONTRACT, INVARIANT_PREFIX, SIRENS
from assets.definitions import defs
from observatory import table_catalog as catalog
from observatory.publish.catalog import PUBLISHED_TABLES


def test_definitions_load():
    dg.Definitions.validate_loadable(defs)


def test_asset_names_follow_layer_and_source():
    keys = {key.to_user_string() for key in defs.resolve_asset_graph().get_all_asset_keys()}
    assert {
        "raw_cnil__designations",
        "core_cog__communes",
        "core_declarations__adhesions",
        "out__indicateurs",
        "publish__paquet",
    } <= keys
    assert all(k.split("_")[0] in {"raw", "core", "out", "publish"} for k in keys)
    assert set(PUBLISHED_TABLES.values()) <= keys


def _checks() -> set[tuple[str, str]]:
    return {(key.asset_key.to_user_string(), key.name) for key in defs.resolve_asset_graph().asset_check_keys}


def test_every_published_table_has_a_blocking_contract_check():
    checks = _checks()
    for table in PUBLISHED_TABLES.values():
        assert (table, CONTRACT) in checks, table
    graph = defs.resolve_asset_graph()
    assert all(graph.get_check_spec(key).blocking for key in graph.asset_check_keys)


def test_check_names_follow_one_pattern():
    """`contrat`, `sirens_valides` or `invariant_<rule>`: the table is the check's asset, not part of its name."""
    names = {name for _, name in _checks()}
    assert {CONTRACT, SIRENS} <= names
    assert all(name in {CONTRACT, SIRENS} or re.fullmatch(rf"{INVARIANT_PREFIX}[a-z0-9_]+", name) for name in names)


def test_groups_follow_layer_and_source():
    graph = defs.resolve_asset_graph()
    groups = {key.to_user_string(): graph.get(key).group_name for key in graph.get_all_asset_keys()}
    for entry in catalog.warehouse_tables():
        assert groups[entry.name] == f"{entry.layer}_{entry.source}", entry.name
    assert groups["raw_cnil__designations"] == "raw_cnil" and groups["out__indicateurs"] == "out_observatoire"
    assert all(group == "publish" or re.fullmatch(r"(raw|core|out)_[a-z]+", group) for group in groups.values()), groups


def test_monthly_schedule_is_shipped_stopped():
    schedule = defs.resolve_schedule_def("rafraichissement_mensuel")
    assert schedule.cron_schedule == "0 6 2 * *"
    assert schedule.default_status == dg.DefaultScheduleStatus.STOPPED


def test_every_check_runs_in_the_step_that_writes_its_table():
    """Each table check is declared by the asset writing the table (no separate check step)."""
    from assets.checks import ALL_CHECKS

    graph = defs.resolve_asset_graph()
    assert {(check.table, check.name) for check in ALL_CHECKS} == _checks()
    for key in graph.asset_check_keys:
        assert key in graph.get(key.asset_key).assets_def.check_keys, key
