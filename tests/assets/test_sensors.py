"""The data.gouv.fr sensor against a replay portal: cursor, CNIL/declaration changes, ANCT ignored."""

from pathlib import Path

import dagster as dg
import pytest

from assets.resources import ObservatorySettings
from assets.sensors import sources_datagouv
from tests.udata_replay import ReplayPortal, publish_mini

MINI = Path("tests/fixtures/sources-mini")


@pytest.fixture(scope="session")
def httpserver_listen_address():
    return ("127.0.0.1", 0)


def _tick(portal, tmp_path, cursor=None):
    settings = ObservatorySettings(sources_mode="live", datagouv_url=portal.base_url, build_dir=str(tmp_path))
    context = dg.build_sensor_context(cursor=cursor, resources={"settings": settings})
    result = sources_datagouv(context)
    return result, context.cursor


def _republish(httpserver, **changes) -> ReplayPortal:
    httpserver.clear()
    portal = ReplayPortal(httpserver)
    publish_mini(portal, MINI, **changes)
    return portal


def test_sensor_records_then_requests_a_run_only_when_cnil_or_a_declaration_changed(httpserver, tmp_path):
    portal = _republish(httpserver)
    first, cursor = _tick(portal, tmp_path)
    assert isinstance(first, dg.SkipReason) and "état initial" in first.skip_message
    same, cursor = _tick(portal, tmp_path, cursor)
    assert isinstance(same, dg.SkipReason) and "n'a changé" in same.skip_message
    assert not any(path.startswith("/static/") for _, path, _ in portal.requests())  # metadata only

    # HGN fixes its member file: the declaration's checksum changes.
    fixed = _republish(httpserver, invalid=False)
    request, cursor = _tick(fixed, tmp_path, cursor)
    assert isinstance(request, dg.RunRequest)
    assert request.tags["observatoire/declencheur"] == "sources_datagouv"
    again, cursor = _tick(fixed, tmp_path, cursor)
    assert isinstance(again, dg.SkipReason)


def test_a_daily_anct_change_requests_no_run(httpserver, tmp_path):
    portal = _republish(httpserver)
    _, cursor = _tick(portal, tmp_path)
    changed = _republish(httpserver, anct_members=b"operateur_id;organisation_siret\n")
    result, _ = _tick(changed, tmp_path, cursor)
    assert isinstance(result, dg.SkipReason)


def test_outside_live_mode_the_sensor_skips(tmp_path):
    settings = ObservatorySettings(sources_mode="embedded", build_dir=str(tmp_path))
    result = sources_datagouv(dg.build_sensor_context(resources={"settings": settings}))
    assert isinstance(result, dg.SkipReason) and "embedded" in result.skip_message


def test_sensor_ships_stopped_and_the_job_carries_mode_and_source_tags():
    from assets.definitions import defs

    sensor = defs.resolve_sensor_def("sources_datagouv")
    assert sensor.default_status == dg.DefaultSensorStatus.STOPPED
    tags = defs.resolve_job_def("observatoire_complet").tags
    assert {"observatoire/mode", "observatoire/source"} <= set(tags)
