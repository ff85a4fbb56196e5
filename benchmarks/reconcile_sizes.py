"""Time of one `reconcile_members` call by input size: what is fixed per call, what grows per row.

    PYTHONPATH=. .venv/bin/python benchmarks/reconcile_sizes.py /tmp/bench/travail-1x/build/warehouse.duckdb --phases

The warehouse is one a bench run left (benchmarks/bench.py --work); it is only read. The referential and
its lookup tables are loaded first, as in bench.py's rates; each size is the best of three calls.
`--phases` then replays a call of the smallest and of the largest size with DuckDB's profiler on every
statement the engine runs, and splits the call into parsing, binding, optimising, execution (with the CPU
it used: CPU ≈ execution time means one thread did the work) and the Python around the statements.
The profiler adds a little time of its own: read the shares, not the sum against the timed calls.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from benchmarks.reconcile_instructions import engine_connection
from observatory.reconcile import reconcile_members

SIZES = (100, 1_000, 10_000, 40_000)
# The statements that write the working tables, where the rows are read and matched. DuckDB writes a profile
# for them as soon as they end; the others (a few small SELECTs, macros, DROP) are timed as a whole.
_PROFILED = ("CREATE OR REPLACE TEMP TABLE", "CREATE OR REPLACE TABLE", "INSERT")


@dataclass
class Phases:
    statements: int = 0
    wall: float = 0.0
    parsing: float = 0.0
    binding: float = 0.0
    optimising: float = 0.0
    physical_planning: float = 0.0
    execution_cpu: float = 0.0
    blocked_threads: float = 0.0
    by_statement: list[tuple[float, str]] = field(default_factory=list)


class _ProfiledConnection:
    """A connection that runs each statement under DuckDB's profiler and adds up its phases."""

    def __init__(self, con: duckdb.DuckDBPyConnection, output: Path) -> None:
        self._con, self._output, self.phases = con, output, Phases()

    def execute(self, sql, *args, **kwargs):
        text = str(sql)
        profiled = text.lstrip().upper().startswith(_PROFILED)
        start = time.perf_counter()
        self._con.extract_statements(text)
        self.phases.parsing += time.perf_counter() - start
        if profiled:
            self._con.execute("PRAGMA enable_profiling = 'json'")
            self._con.execute(f"PRAGMA profiling_output = '{self._output}'")
        start = time.perf_counter()
        result = self._con.execute(sql, *args, **kwargs)
        seconds = time.perf_counter() - start
        self.phases.statements += 1
        self.phases.wall += seconds
        self.phases.by_statement.append((seconds, " ".join(text.split())[:70]))
        if not profiled:
            return result
        self._con.execute("PRAGMA disable_profiling")
        if not self._output.exists():  # a table declared by its columns: no query, no profile
            return result
        profile = json.loads(self._output.read_text())
        self._output.unlink()
        self.phases.binding += profile.get("planner", {}).get("total_time", 0.0)
        self.phases.optimising += profile.get("optimizer", {}).get("total_time", 0.0)
        self.phases.physical_planning += profile.get("physical_planner", {}).get("total_time", 0.0)
        self.phases.execution_cpu += profile.get("query", {}).get("cpu_time", 0.0)
        self.phases.blocked_threads += profile.get("system", {}).get("blocked_thread_time", 0.0)
        return result

    def __getattr__(self, name):
        return getattr(self._con, name)


def _print_phases(size: int, call: float, phases: Phases) -> None:
    planning = phases.binding + phases.optimising + phases.physical_planning
    execution = phases.wall - phases.parsing - planning
    print(
        f"{size:>7,} lignes, profileur actif : appel {call:.3f} s, "
        f"dont {phases.statements} requêtes {phases.wall:.3f} s — "
        f"analyse syntaxique {phases.parsing:.3f} s, liaison {phases.binding:.3f} s, "
        f"optimisation {phases.optimising:.3f} s, plan physique {phases.physical_planning:.3f} s, "
        f"exécution {execution:.3f} s (CPU {phases.execution_cpu:.3f} s, fils en attente "
        f"{phases.blocked_threads:.3f} s, requêtes profilées seules) ; "
        f"Python autour des requêtes {call - phases.wall:.3f} s"
    )
    for seconds, statement in sorted(phases.by_statement, reverse=True)[:5]:
        print(f"        {seconds:.3f} s  {statement}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("warehouse")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--phases", action="store_true", help="split a small and a large call into their phases")
    args = parser.parse_args(argv)
    con = engine_connection(args.warehouse)
    members = "SELECT * FROM w.core_declarations__adherents LIMIT {}"
    available = con.execute("SELECT count(*) FROM w.core_declarations__adherents").fetchone()[0]
    sizes = [s for s in SIZES if s <= available]
    for size in sizes:
        con.execute("CREATE OR REPLACE TABLE sized AS " + members.format(size))
        best, stages = float("inf"), {}
        for _ in range(args.runs):
            start = time.perf_counter()
            report = reconcile_members(con, members="sized", output="sized_result")
            if (seconds := time.perf_counter() - start) < best:
                best, stages = seconds, report.seconds
        detail = ", ".join(f"{stage} {seconds:.3f}" for stage, seconds in stages.items())
        print(f"{size:>7,} lignes : {best:.3f} s ({size / best:,.0f} lignes/s) — {detail}")
    if args.phases:
        with tempfile.TemporaryDirectory() as folder:
            for size in (sizes[0], sizes[-1]):
                con.execute("CREATE OR REPLACE TABLE sized AS " + members.format(size))
                reconcile_members(con, members="sized", output="sized_result")  # warm, as the timed calls above
                profiled = _ProfiledConnection(con, Path(folder) / "profil.json")
                start = time.perf_counter()
                reconcile_members(profiled, members="sized", output="sized_result")
                _print_phases(size, time.perf_counter() - start, profiled.phases)


if __name__ == "__main__":
    main()
