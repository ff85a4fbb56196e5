"""Time of one `reconcile_members` call by input size: what is fixed per call, what grows per row.

    PYTHONPATH=. .venv/bin/python benchmarks/reconcile_sizes.py /tmp/bench/travail-1x/build/warehouse.duckdb

The warehouse is one a bench run left (benchmarks/bench.py --work); it is only read. The referential and
its lookup tables are loaded first, as in bench.py's rates; each size is the best of three calls.
"""

from __future__ import annotations

import argparse
import time

import duckdb

from observatory.reconcile import reconcile_members
from observatory.reconcile.referential_index import ensure_index
from observatory.referential import load_referential

SIZES = (100, 1_000, 10_000, 40_000)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("warehouse")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    con = duckdb.connect()
    con.execute("SET threads = 2")
    con.execute(f"ATTACH '{args.warehouse}' AS w (READ_ONLY)")
    load_referential(con)
    ensure_index(con)
    con.execute("CREATE TABLE core_declarations__opsn AS SELECT * FROM w.core_declarations__opsn")
    available = con.execute("SELECT count(*) FROM w.core_declarations__adherents").fetchone()[0]
    for size in (s for s in SIZES if s <= available):
        con.execute(f"CREATE OR REPLACE TABLE sized AS SELECT * FROM w.core_declarations__adherents LIMIT {size}")
        best, stages = float("inf"), {}
        for _ in range(args.runs):
            start = time.perf_counter()
            report = reconcile_members(con, members="sized", output="sized_result")
            if (seconds := time.perf_counter() - start) < best:
                best, stages = seconds, report.seconds
        detail = ", ".join(f"{stage} {seconds:.3f}" for stage, seconds in stages.items())
        print(f"{size:>7,} lignes : {best:.3f} s ({size / best:,.0f} lignes/s) — {detail}")


if __name__ == "__main__":
    main()
