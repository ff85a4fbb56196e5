"""The production instance (deploy/dagster.yaml) on a real PostgreSQL server: the daemon takes a
queued run on the mini sources, and the run and its events land in PostgreSQL.

The job is `controle_des_sources` (sources loaded, reconciled and checked, nothing published), so
the test stays short; the publishing step's own tag is tested with the in-process runs."""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.postgres_server import PostgresServer

REPO = Path(__file__).resolve().parents[2]
MINI = REPO / "tests" / "fixtures" / "sources-mini"
BIN = Path(sys.executable).parent
RUN_TIMEOUT = 240
JOB = "controle_des_sources"


def _environment(postgres: PostgresServer, db: str, tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(REPO / "deploy" / "dagster.yaml", home / "dagster.yaml")
    return {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "DAGSTER_PG_HOST": postgres.host,
        "DAGSTER_PG_PORT": str(postgres.port),
        "DAGSTER_PG_DB": db,
        "DAGSTER_PG_USER": postgres.user,
        "DAGSTER_PG_PASSWORD": "",
        "PYTHONPATH": str(REPO),
        "OBSERVATORY_SOURCES": str(MINI),
        "OBSERVATORY_BUILD_DIR": str(tmp_path / "build"),
        "OBSERVATORY_EXPORTS_DIR": str(tmp_path / "exports"),
    }


def _one(postgres: PostgresServer, db: str, sql: str, *args):
    con = postgres.connect(db)
    try:
        with con.cursor() as cursor:
            cursor.execute(sql, args)
            return cursor.fetchall()
    finally:
        con.close()


def _wait_for_run_end(postgres: PostgresServer, db: str, daemon: subprocess.Popen) -> tuple[str, str]:
    deadline = time.monotonic() + RUN_TIMEOUT
    while time.monotonic() < deadline:
        assert daemon.poll() is None, "le démon s'est arrêté"
        rows = _one(postgres, db, "SELECT run_id, status FROM runs WHERE pipeline_name = %s", JOB)
        if rows and rows[0][1] in ("SUCCESS", "FAILURE", "CANCELED"):
            return rows[0]
        time.sleep(1)
    raise AssertionError(f"le run n'a pas fini en {RUN_TIMEOUT} s : {rows}")


def test_daemon_runs_the_queued_job_and_postgres_keeps_the_run_and_its_events(postgres, tmp_path):
    db = postgres.create_database("dagster_test")
    env = _environment(postgres, db, tmp_path)
    started = time.monotonic()
    daemon_log = (tmp_path / "daemon.log").open("w")
    daemon = subprocess.Popen(
        [str(BIN / "dagster-daemon"), "run", "-m", "assets.definitions"],
        cwd=REPO,
        env=env,
        stdout=daemon_log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        launch = subprocess.run(
            [str(BIN / "dagster"), "job", "launch", "-m", "assets.definitions", "-j", JOB],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert launch.returncode == 0, launch.stderr[-2000:]
        run_id, status = _wait_for_run_end(postgres, db, daemon)
    finally:
        os.killpg(daemon.pid, signal.SIGTERM)
        try:
            daemon.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(daemon.pid, signal.SIGKILL)
        daemon_log.close()
    elapsed = time.monotonic() - started
    print(f"PostgreSQL prêt en {postgres.startup_seconds:.1f} s ; démon + run {status} en {elapsed:.1f} s")

    assert status == "SUCCESS", (tmp_path / "daemon.log").read_text()[-3000:]
    tags = dict(_one(postgres, db, "SELECT key, value FROM run_tags WHERE run_id = %s", run_id))
    assert tags["observatoire/mode"] == "local"
    assert tags["observatoire/source"] == str(MINI)
    # The queue went through the daemon: the run was queued before it started.
    kinds = [
        row[0]
        for row in _one(postgres, db, "SELECT dagster_event_type FROM event_logs WHERE run_id = %s ORDER BY id", run_id)
    ]
    assert kinds.index("PIPELINE_ENQUEUED") < kinds.index("PIPELINE_START") < kinds.index("PIPELINE_SUCCESS")
    materialized = {
        row[0]
        for row in _one(
            postgres,
            db,
            "SELECT asset_key FROM event_logs WHERE run_id = %s AND dagster_event_type = %s",
            run_id,
            "ASSET_MATERIALIZATION",
        )
    }
    assert '["core_declarations__adhesions"]' in materialized and '["raw_cnil__designations"]' in materialized
    checks = _one(
        postgres,
        db,
        "SELECT count(*) FROM event_logs WHERE run_id = %s AND dagster_event_type = %s",
        run_id,
        "ASSET_CHECK_EVALUATION",
    )
    assert checks[0][0] > 0
    # Schedule storage: the daemon's heartbeats and the sensors' state live there too.
    daemons = {row[0] for row in _one(postgres, db, "SELECT daemon_type FROM daemon_heartbeats")}
    assert {"SCHEDULER", "SENSOR", "QUEUED_RUN_COORDINATOR"} <= daemons
    assert not (tmp_path / "exports").exists()
