"""Two refreshes started together never corrupt the warehouse or a release: the second fails
at once with a clear message, or waits for the first; a reader holding a release's DuckDB
file open blocks no refresh. Real processes, real lock (observatory/locking.py)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import duckdb

from observatory.locking import WAIT_VARIABLE
from tests.assets.test_faults import _assert_readable, _change_sources, _env, _visible_versions
from tests.bad_corpus import source_tree

HOLD_OPEN = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])  # read-write: the strongest hold a reader can take
con.execute("SELECT count(*) FROM adhesions").fetchall()
print("ouvert", flush=True)
time.sleep(3600)
"""


def _start(pipeline, tmp_path: Path, **env: str):
    """Output goes to a file: a pipe nobody reads until the end would fill and block the run's logging."""
    return pipeline.start(tmp_path, _env(**env), tmp_path / f"run-{time.monotonic_ns()}.log")


def _stderr(process) -> str:
    return process.stderr


def test_two_refreshes_started_together_and_a_reader_holding_a_release(pipeline_server, tmp_path):
    source_tree(None, tmp_path / "sources")
    lock = tmp_path / "build" / "warehouse.duckdb.verrou"
    first = _start(pipeline_server, tmp_path)
    deadline = time.monotonic() + 600
    while not (lock.exists() and lock.read_text().startswith("pid")):
        assert first.poll() is None and time.monotonic() < deadline, _stderr(first) if first.poll() else ""
        time.sleep(0.2)

    started = time.monotonic()
    impatient = pipeline_server.run(tmp_path, _env(**{WAIT_VARIABLE: "0"}), tmp_path / "run-impatient.log")
    refused_after = time.monotonic() - started
    assert impatient.returncode != 0
    assert "une autre actualisation est en cours" in impatient.stderr
    assert f"pid {first.pid}" in impatient.stderr
    assert first.poll() is None, "the first run went on, untouched"
    patient = _start(pipeline_server, tmp_path, **{WAIT_VARIABLE: "1800"})

    assert first.wait() == 0, _stderr(first)
    assert patient.wait() == 0, _stderr(patient)
    print(f"second refused after {refused_after:.1f} s (its whole forked process)")
    _assert_readable(tmp_path / "exports")
    with duckdb.connect(str(tmp_path / "build" / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM core_declarations__adhesions").fetchall()[0][0] > 0
    (release,) = _visible_versions(tmp_path / "exports")  # the waiting run found it identical

    reader = subprocess.Popen(
        [sys.executable, "-c", HOLD_OPEN, str(release / "observatoire.duckdb")], stdout=subprocess.PIPE, text=True
    )
    try:
        assert reader.stdout.readline().strip() == "ouvert"
        _change_sources(tmp_path / "sources", 0)
        refresh = pipeline_server.run(tmp_path, _env(), tmp_path / "run-refresh.log")
        assert refresh.returncode == 0, refresh.stderr
    finally:
        reader.kill()
        reader.wait()
    assert len(_visible_versions(tmp_path / "exports")) == 2
    _assert_readable(tmp_path / "exports")
