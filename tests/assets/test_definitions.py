import dagster as dg

from assets.definitions import defs
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


def test_every_published_table_has_a_blocking_contract_check():
    checks = {key.name: key.asset_key.to_user_string() for key in defs.resolve_asset_graph().asset_check_keys}
    for name, table in PUBLISHED_TABLES.items():
        assert checks.get(f"contrat_{name}") == table


def test_monthly_schedule_is_shipped_stopped():
    schedule = defs.resolve_schedule_def("rafraichissement_mensuel")
    assert schedule.cron_schedule == "0 6 2 * *"
    assert schedule.default_status == dg.DefaultScheduleStatus.STOPPED
