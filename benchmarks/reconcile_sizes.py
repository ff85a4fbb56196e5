"""Time of one `reconcile_members` call by input size: what is fixed per call, what grows per row.

    PYTHONPATH=. .venv/bin/python benchmarks/reconcile_sizes.py /tmp/bench/travail-1x/build/warehouse.duckdb

The warehouse is one a bench run left (benchmarks/bench.py --work); it is only read. The referential and
its lookup tables are loaded first, as in bench.py's rates; each size is the best of three calls.
`--plan` then replays a 100-row call with every statement planned alone (`EXPLAIN`, nothing executed):
what a call costs before it reads a single row.
"""

from __future__ import annotations

import argparse
import time

import duckdb

from observatory.reconcile import reconcile_members
from observatory.reconcile.referential_index import ensure_index
from observatory.referential import load_referential

SIZES = (100, 1_000, 10_000, 40_000)
_PLANNED = ("CREATE OR REPLACE", "INSERT", "WITH", "SELECT")


class _PlanningClock:
    """A connection that times, for each statement the engine runs, its planning alone and its execution."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._con, self.planning, self.execution = con, 0.0, 0.0

    def execute(self, sql, *args, **kwargs):
        if str(sql).lstrip().upper().startswith(_PLANNED):
            start = time.perf_counter()
            self._con.execute(f"EXPLAIN {sql}", *args, **kwargs).fetchall()
            self.planning += time.perf_counter() - start
        start = time.perf_counter()
        result = self._con.execute(sql, *args, **kwargs)
        self.execution += time.perf_counter() - start
        return result

    def __getattr__(self, name):
        return getattr(self._con, name)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("warehouse")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--plan", action="store_true", help="time the planning of a 100-row call's statements")
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
    if args.plan:
        con.execute("CREATE OR REPLACE TABLE sized AS SELECT * FROM w.core_declarations__adherents LIMIT 100")
        reconcile_members(con, members="sized", output="sized_result")  # warm, as the timed calls above
        clock = _PlanningClock(con)
        reconcile_members(clock, members="sized", output="sized_result")
        print(
            f"    100 lignes, planification seule (EXPLAIN de chaque requête) : {clock.planning:.3f} s ; "
            f"exécution (planification comprise) : {clock.execution:.3f} s"
        )


if __name__ == "__main__":
    main()
