import os
from pathlib import Path

import dagster as dg
import pytest

from assets.definitions import build_definitions, defs
from assets.resources import ObservatorySettings, Warehouse


def run_everything(tmp_path, *, mode="embedded", sources_dir="", **settings):
    """Materialize the whole graph, checks included, into tmp_path through Dagster.

    `settings`: other ObservatorySettings fields (e.g. datagouv_url for live mode)."""
    resources = {
        "settings": ObservatorySettings(
            sources_mode=mode,
            sources_dir=sources_dir,
            build_dir=str(tmp_path / "build"),
            exports_dir=str(tmp_path / "exports"),
            **settings,
        ),
        "warehouse": Warehouse(path=str(tmp_path / "build" / "warehouse.duckdb")),
    }
    job = defs.resolve_implicit_global_asset_job_def()
    return job.execute_in_process(resources=resources, instance=dg.DagsterInstance.ephemeral(), raise_on_error=False)


def run_complete(tmp_path, sources, instance: dg.DagsterInstance, *, mode="local"):
    """The job observatoire_complet, as `make run` launches it (its tags included), on `sources`."""
    resources = {
        "settings": ObservatorySettings(
            sources_mode=mode,
            sources_dir=str(sources),
            build_dir=str(tmp_path / "build"),
            exports_dir=str(tmp_path / "exports"),
        ),
        "warehouse": Warehouse(path=str(tmp_path / "build" / "warehouse.duckdb")),
    }
    job = build_definitions(resources).resolve_job_def("observatoire_complet")
    return job.execute_in_process(instance=instance, raise_on_error=False)


@pytest.fixture(scope="session")
def embedded_run(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("embedded")
    return tmp_path, run_everything(tmp_path)


@pytest.fixture(scope="session")
def pipeline_server():
    """Whole-graph runs as real, killable processes, forked from one server that imported Dagster once
    (tests/forked_runs.py): test_faults and test_concurrency."""
    from tests.forked_runs import PipelineServer

    root = Path(__file__).resolve().parents[2]
    server = PipelineServer({**os.environ, "PYTHONPATH": str(root), "DAGSTER_HOME": str(root / ".dagster_home")})
    yield server
    server.close()
