import dagster as dg
import pytest

from assets.definitions import defs
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


@pytest.fixture(scope="session")
def embedded_run(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("embedded")
    return tmp_path, run_everything(tmp_path)
