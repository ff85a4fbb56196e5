"""CPU of loading the CNIL file alone (`load_cnil`), into a fresh warehouse file, by phase.

    PYTHONPATH=. .venv/bin/python benchmarks/cnil_load.py CNIL_FILE WORK_DIR [--repeat N]

Prints process CPU (every DuckDB thread included), wall time and peak RSS of each load, and
the CPU of the phases it goes through (byte scan, DuckDB read, typing, copy into the table).
"""

from __future__ import annotations

import argparse
import functools
import os
import resource
import shutil
import time
from collections import defaultdict
from pathlib import Path

import duckdb

from observatory import cnil
from observatory.sources import csv_duckdb
from observatory.warehouse_memory import limit_memory

SPENT: dict[str, float] = defaultdict(float)


def _timed(module, name: str, label: str) -> None:
    function = getattr(module, name, None)
    if function is None:
        return

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        started = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            SPENT[label] += time.process_time() - started

    setattr(module, name, wrapper)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("cnil_file", type=Path)
    parser.add_argument("work", type=Path)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    # Absent names are skipped: the same script times older versions of the loader too.
    _timed(csv_duckdb, "_scan", "balayage des octets (Python)")
    _timed(cnil, "load_csv_strings", "lecture DuckDB dans une table temporaire (balayage compris)")
    _timed(cnil, "typed_select", "typage (valeurs distinctes)")
    _timed(cnil, "write_query", "copie dans la table typée")
    for _ in range(args.repeat):
        shutil.rmtree(args.work, ignore_errors=True)
        args.work.mkdir(parents=True)
        SPENT.clear()
        with duckdb.connect(str(args.work / "warehouse.duckdb")) as con:
            limit_memory(con)
            wall, cpu = time.perf_counter(), time.process_time()
            rows = cnil.load_cnil(con, args.cnil_file)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"load_cnil : {rows} lignes, {wall:.2f} s horloge, {cpu:.2f} s CPU, pic RSS {peak:.0f} Mio ; "
            f"charge {os.getloadavg()[0]:.2f}"
        )
        for label, seconds in SPENT.items():
            print(f"  {label} : {seconds:.2f} s CPU")
        print(f"  reste (lecture DuckDB, écriture de la table) : {cpu - sum(SPENT.values()):.2f} s CPU")


if __name__ == "__main__":
    main()
