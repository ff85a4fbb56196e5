"""CPU of publication's preparation alone (`prepare_release`), on a copy of a bench warehouse.

    PYTHONPATH=. .venv/bin/python benchmarks/publish_step.py WAREHOUSE WORK_DIR [--repeat N] [--profile N] [--keep]

Copies WAREHOUSE (e.g. /tmp/bench/travail-1x/build/warehouse.duckdb, never written) into
WORK_DIR, builds a release into WORK_DIR/exports with fixed inputs, and prints process CPU
(every DuckDB thread included) and wall time. With --profile, prints the N costliest functions
by cumulative CPU (cProfile clocked by time.process_time, so load on the machine barely
matters). With --repeat, the release is built N times from fresh copies and the least and
median CPU are printed too (on a shared machine CPU time itself varies by ±20 %). With --keep,
the staging folder is kept as WORK_DIR/release, so that two versions of the code can be
compared byte for byte (run this script with PYTHONPATH set to each).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import time
from pathlib import Path

import duckdb

from observatory.publish.release import prepare_release


def _readme(*, version, fingerprint, data_date, previous, rows) -> str:
    return f"# {version} ({fingerprint[:8]}, {data_date}, après {previous})\n{sorted(rows.items())}\n"


OPTIONS = dict(
    input_hashes=["bench"],
    data_date="2026-03-15",
    demonstration=True,
    sources=[{"title": "bench (données de démonstration)", "path": "bench.csv", "hash": "sha256:00", "bytes": 1}],
    documentation=_readme,
    code="bench",
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("warehouse", type=Path)
    parser.add_argument("work", type=Path)
    parser.add_argument("--profile", type=int, default=0)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    cpus = [_run(args) for _ in range(args.repeat)]
    if args.repeat > 1:
        cpus.sort()
        print(f"CPU sur {args.repeat} passages : minimum {cpus[0]:.2f} s, médiane {cpus[len(cpus) // 2]:.2f} s")


def _run(args) -> float:
    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)
    copy = args.work / "warehouse.duckdb"
    shutil.copyfile(args.warehouse, copy)
    con = duckdb.connect(str(copy))
    exports = args.work / "exports"
    profiler = cProfile.Profile(time.process_time) if args.profile else None
    wall, cpu = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    prepared = prepare_release(con, exports, **OPTIONS, progress=lambda message: None)
    if profiler:
        profiler.disable()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    con.close()
    print(f"prepare_release : {wall:.2f} s horloge, {cpu:.2f} s CPU ; charge {os.getloadavg()[0]:.2f}")
    print(f"lignes : {prepared.rows}")
    if args.keep:
        prepared.staging.rename(args.work / "release")
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.profile)
    return cpu


if __name__ == "__main__":
    main()
