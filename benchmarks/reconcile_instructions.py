"""Instructions of one `reconcile_members` call, counted by callgrind: a figure that repeats.

    PYTHONPATH=. .venv/bin/python benchmarks/reconcile_instructions.py /tmp/bench/travail-1x/build/warehouse.duckdb
    # another version of the engine, same rows: only PYTHONPATH changes
    PYTHONPATH=/path/to/other/checkout .venv/bin/python benchmarks/reconcile_instructions.py WAREHOUSE

On this shared two-core machine a call's wall time varies by ±15 % from one minute to the next,
more than most changes to one statement; the number of instructions it executes varies by
under 0.5 %. The script runs itself again under valgrind's callgrind (Debian package
`valgrind`), counting only the second call on the connection (the first builds the lookup
tables and warms it, as the bench's calls are), and prints that count with the wall time of the
same call run without valgrind. The warehouse is one a bench run left (benchmarks/bench.py --work);
it is only read. Callgrind runs DuckDB's threads one at a time: the count is the work of every
thread, not the time.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

# Appended, not prepended: PYTHONPATH chooses the engine under test.
sys.path.append(str(Path(__file__).resolve().parent.parent))

from observatory.reconcile import reconcile_members  # noqa: E402
from observatory.reconcile.referential_index import ensure_index  # noqa: E402
from observatory.referential import load_referential  # noqa: E402

_UNDER_CALLGRIND = "RECONCILE_INSTRUCTIONS_CHILD"


def engine_connection(warehouse: str) -> duckdb.DuckDBPyConnection:
    """An in-memory connection as the bench's rate measures use it: two threads, the referential and
    its lookup tables loaded, the warehouse's declared OPSN copied, its members readable as `w.…`."""
    con = duckdb.connect()
    con.execute("SET threads = 2")
    con.execute(f"ATTACH '{warehouse}' AS w (READ_ONLY)")
    load_referential(con)
    ensure_index(con)
    con.execute("CREATE TABLE core_declarations__opsn AS SELECT * FROM w.core_declarations__opsn")
    return con


def _warmed(warehouse: str, rows: int) -> duckdb.DuckDBPyConnection:
    """A connection holding the warehouse's first `rows` members as `sized`, after a first call on them."""
    con = engine_connection(warehouse)
    con.execute(f"CREATE TABLE sized AS SELECT * FROM w.core_declarations__adherents LIMIT {rows}")
    reconcile_members(con, members="sized", output="sized_result")
    return con


def _counted_call(warehouse: str, rows: int) -> None:
    """Run under callgrind: count the instructions of the second call only."""
    con = _warmed(warehouse, rows)

    def control(*args: str) -> None:
        subprocess.run(["callgrind_control", *args, str(os.getpid())], check=True, capture_output=True)

    control("--instr=on")
    reconcile_members(con, members="sized", output="sized_result")
    control("--instr=off")
    control("--dump=appel")


def _timed_call(warehouse: str, rows: int) -> float:
    con = _warmed(warehouse, rows)
    start = time.perf_counter()
    reconcile_members(con, members="sized", output="sized_result")
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("warehouse")
    parser.add_argument("--rows", type=int, default=40_000)
    args = parser.parse_args(argv)
    if os.environ.get(_UNDER_CALLGRIND):
        _counted_call(args.warehouse, args.rows)
        return
    with tempfile.TemporaryDirectory() as folder:
        command = [
            "valgrind", "--tool=callgrind", "--instr-atstart=no",
            f"--callgrind-out-file={folder}/callgrind.out", sys.executable, __file__, args.warehouse,
            "--rows", str(args.rows),
        ]  # fmt: skip
        subprocess.run(command, check=True, capture_output=True, env={**os.environ, _UNDER_CALLGRIND: "1"})
        dumps = [p for p in Path(folder).glob("callgrind.out*") if "appel" in p.read_text(errors="replace")[:2000]]
        totals = re.search(r"^totals: (\d+)", dumps[0].read_text(errors="replace"), re.MULTILINE)
    engine = Path(sys.modules["observatory"].__file__).resolve().parent.parent
    print(
        f"{args.rows:,} lignes, moteur de {engine} : {int(totals.group(1)):,} instructions "
        f"(callgrind, second appel) ; le même appel sans valgrind : {_timed_call(args.warehouse, args.rows):.3f} s"
    )


if __name__ == "__main__":
    main()
