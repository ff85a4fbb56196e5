"""Run the whole graph in this process, as `make run` would, for tests that need a real,
killable process: `python tests/run_pipeline.py SOURCES BUILD EXPORTS` (local mode).

`python tests/run_pipeline.py --serve` pays Python's, Dagster's and the definitions' imports once (about 4 s of
CPU per process), then forks one child per request, each a real process of its own: its pid holds the lock and
SIGKILL stops it at a checkpoint exactly as it would a fresh process. Requests and replies are JSON lines
(tests/forked_runs.py is the client): {"args": [SOURCES, BUILD, EXPORTS], "env": {...}, "stderr": LOG} gets
{"pid": PID}; each child's end is reported as {"exit": PID, "returncode": CODE}."""

from __future__ import annotations

import importlib
import json
import os
import select
import sys
import traceback
from pathlib import Path

import dagster as dg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assets.definitions import defs  # noqa: E402
from assets.resources import ObservatorySettings, Warehouse  # noqa: E402

# Imported by a run, not by the definitions: loaded once in the server too. None starts a thread, so forking stays
# safe (vl-convert's renderer does start threads: each child starts its own).
RUN_TIME_MODULES = ("frictionless", "sqlalchemy", "alembic", "pyarrow.parquet")


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


def _child(request: dict) -> None:
    """In the forked process: the request's environment and stderr file, then the run. Never returns."""
    code = 1
    try:
        null = os.open(os.devnull, os.O_RDWR)
        log = os.open(request["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(null, 0)
        os.dup2(null, 1)
        os.dup2(log, 2)
        os.environ.clear()
        os.environ.update(request["env"])
        code = main(*request["args"])
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _reply(message: dict) -> None:
    os.write(1, (json.dumps(message) + "\n").encode())


def _reap() -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        _reply({"exit": pid, "returncode": os.waitstatus_to_exitcode(status)})


def serve() -> int:
    for name in RUN_TIME_MODULES:
        importlib.import_module(name)
    pending = b""
    while True:
        ready, _, _ = select.select([0], [], [], 0.1)
        _reap()
        if not ready:
            continue
        chunk = os.read(0, 65536)
        if not chunk:  # the tests closed our stdin: nothing more to run
            return 0
        pending += chunk
        while b"\n" in pending:
            line, pending = pending.split(b"\n", 1)
            request = json.loads(line)
            pid = os.fork()
            if pid == 0:
                _child(request)
            _reply({"pid": pid})


if __name__ == "__main__":
    sys.exit(serve() if sys.argv[1:] == ["--serve"] else main(*sys.argv[1:4]))
