"""Run the whole graph in this process, as `make run` would, for tests that need a real,
killable process: `python tests/run_pipeline.py SOURCES BUILD EXPORTS` (local mode)."""

from __future__ import annotations

import sys
from pathlib import Path

import dagster as dg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assets.definitions import defs  # noqa: E402
from assets.resources import ObservatorySettings, Warehouse  # noqa: E402


def main(sources: str, build: str, exports: str) -> int:
    resources = {
        "settings": ObservatorySettings(
            sources_mode="local", sources_dir=sources, build_dir=build, exports_dir=exports
        ),
        "warehouse": Warehouse(path=str(Path(build) / "warehouse.duckdb")),
    }
    job = defs.resolve_implicit_global_asset_job_def()
    result = job.execute_in_process(resources=resources, instance=dg.DagsterInstance.ephemeral(), raise_on_error=False)
    if not result.success:
        for event in result.all_events:
            if event.event_type_value in ("STEP_FAILURE", "RUN_FAILURE") and event.event_specific_data is not None:
                error = getattr(event.event_specific_data, "error", None)
                print(error.message if error else event.message, file=sys.stderr)
    return 0 if result.success else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
