"""Row-for-row equivalence of the reconciliation against a frozen reference (issue 11).

    # once, with the code of reference (main) on PYTHONPATH: freeze a warehouse and its output
    PYTHONPATH=/work/main .venv/bin/python benchmarks/reconcile_equivalence.py \
        snapshot bench-1x /tmp/bench/travail-1x/build/warehouse.duckdb [--sources DIR]
    # or the messy declaration of benchmarks/reconciliation.py (every path, every kind of mess)
    PYTHONPATH=/work/main .venv/bin/python benchmarks/reconcile_equivalence.py snapshot-messy messy
    # then, with the code under test on PYTHONPATH: rerun and compare
    PYTHONPATH=$PWD .venv/bin/python benchmarks/reconcile_equivalence.py check [NAME ...]

`snapshot` copies a warehouse a full run left (its members, ANCT, OPSN and COG tables are the
inputs of `core_reconciliation`) into `--dir`, reruns the reconciliation there with the code on
PYTHONPATH, as the asset does (same reviewed decisions), and keeps its `adhesions` and
`adhesions_multiples` as `reference_*` tables. `check` reruns the reconciliation on a copy of
each frozen warehouse and compares both tables with EXCEPT ALL both ways, every column
included (anomalies, candidats, score), and the row order of `adhesions`. Exit status 1 when
anything differs. The messy declaration has no ANCT tables: `reconcile_members` alone is run on
it, without reviewed decisions, as benchmarks/reconciliation.py does.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

# Appended, not prepended: PYTHONPATH chooses the code under test (main for a snapshot).
sys.path.append(str(Path(__file__).resolve().parent.parent))

from observatory import table_catalog  # noqa: E402
from observatory.paths import MAPPINGS_DIR  # noqa: E402
from observatory.reconcile.engine import ReconcileReport, reconcile_members  # noqa: E402
from observatory.sources.layout import SourceTree  # noqa: E402
from observatory.table_builds import reconcile_declarations  # noqa: E402

DEFAULT_DIR = Path("/tmp/reconcile-equivalence")
# `sources` of a frozen messy declaration (no source tree, no pipeline).
MESSY = "benchmarks/reconciliation.py"
TABLES = (table_catalog.ADHESIONS, table_catalog.MULTIPLE_ADHESIONS)


def _reference(table: str) -> str:
    return f"reference_{table}"


def _reconcile(con: duckdb.DuckDBPyConnection, sources: str | None) -> tuple[ReconcileReport, float, float]:
    """The reconciliation as assets/core.py runs it: the repository's decisions, plus a demonstration
    tree's own; `sources` = MESSY: the engine alone, as benchmarks/reconciliation.py runs it."""
    repository = MAPPINGS_DIR / "rapprochements.csv"
    start, cpu = time.perf_counter(), time.process_time()
    if sources == MESSY:
        report = reconcile_members(con)
        con.execute(f"CREATE OR REPLACE TABLE {table_catalog.MULTIPLE_ADHESIONS} AS SELECT 1 AS vide LIMIT 0")
    else:
        mappings = SourceTree(Path(sources)).reviewed_mappings(repository) if sources else [repository]
        report = reconcile_declarations(con, mappings=mappings, exclusions=MAPPINGS_DIR / "exclusions.csv")
    return report, time.perf_counter() - start, time.process_time() - cpu


def _commit() -> str:
    code_root = Path(sys.modules["observatory"].__file__).resolve().parent.parent
    done = subprocess.run(["git", "-C", str(code_root), "rev-parse", "HEAD"], capture_output=True, text=True)
    return done.stdout.strip() or "inconnu"


def _differences(con: duckdb.DuckDBPyConnection, table: str, reference: str) -> tuple[int, int]:
    """(rows only in `table`, rows only in `reference`), duplicates counted."""
    extra = con.execute(f"SELECT count(*) FROM (FROM {table} EXCEPT ALL FROM {reference})").fetchone()[0]
    missing = con.execute(f"SELECT count(*) FROM (FROM {reference} EXCEPT ALL FROM {table})").fetchone()[0]
    return extra, missing


def _order_differences(con: duckdb.DuckDBPyConnection, table: str, reference: str) -> int:
    """Positions where the two tables hold different rows (the published CSV keeps the table's order)."""
    return con.execute(f"""
        SELECT count(*) FROM (SELECT rowid AS position, id_adhesion FROM {table}) a
        FULL JOIN (SELECT rowid AS position, id_adhesion FROM {reference}) b USING (position)
        WHERE a.id_adhesion IS DISTINCT FROM b.id_adhesion""").fetchone()[0]


def _write_reference(con: duckdb.DuckDBPyConnection, name: str, sources: str | None) -> None:
    report, seconds, cpu = _reconcile(con, sources)
    for table in TABLES:
        con.execute(f"CREATE OR REPLACE TABLE {_reference(table)} AS FROM {table}")
    con.execute(
        "CREATE OR REPLACE TABLE reference_meta AS SELECT ? AS commit, ? AS sources, now() AS taken",
        [_commit(), sources],
    )
    print(f"{name}: {report.rows:,} lignes, référence écrite par {_commit()[:10]} en {seconds:.2f} s (CPU {cpu:.2f} s)")


def snapshot(name: str, warehouse: Path, sources: str | None, directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    frozen = directory / f"{name}.duckdb"
    shutil.copyfile(warehouse, frozen)
    with duckdb.connect(str(frozen)) as con:
        # What the full run published, kept to show the harness reproduces the pipeline.
        for table in TABLES:
            con.execute(f"CREATE OR REPLACE TABLE pipeline_{table} AS FROM {table}")
        _write_reference(con, name, sources)
        same = [sum(_differences(con, table, f"pipeline_{table}")) for table in TABLES]
    print(f"{name}: écarts avec la sortie du graphe : {same[0]} adhésions, {same[1]} multiples")


def snapshot_messy(name: str, seed: int, per_kind: int, directory: Path) -> None:
    """The accuracy rows of benchmarks/reconciliation.py (same seed, same generator) in a file of their own."""
    from benchmarks.messy_members import Generator
    from benchmarks.messy_referential import load_referential_data
    from benchmarks.reconciliation import build_tables
    from observatory.referential import load_referential

    directory.mkdir(parents=True, exist_ok=True)
    frozen = directory / f"{name}.duckdb"
    frozen.unlink(missing_ok=True)
    with duckdb.connect(str(frozen)) as con:
        load_referential(con)
        generator = Generator(load_referential_data(con), seed)
        build_tables(con, generator.generate(dict.fromkeys(generator.kinds, per_kind)), seed)
        _write_reference(con, name, MESSY)


def check(name: str, directory: Path) -> bool:
    frozen = directory / f"{name}.duckdb"
    with tempfile.TemporaryDirectory() as work:
        copy = Path(work) / frozen.name
        shutil.copyfile(frozen, copy)
        with duckdb.connect(str(copy)) as con:
            commit, sources = con.execute("SELECT commit, sources FROM reference_meta").fetchone()
            report, seconds, cpu = _reconcile(con, sources)
            figures = {table: _differences(con, table, _reference(table)) for table in TABLES}
            order = _order_differences(con, table_catalog.ADHESIONS, _reference(table_catalog.ADHESIONS))
    identical = all(extra == missing == 0 for extra, missing in figures.values()) and order == 0
    detail = ", ".join(f"{table}: +{extra} -{missing}" for table, (extra, missing) in figures.items())
    print(
        f"{name}: {report.rows:,} lignes en {seconds:.2f} s (CPU {cpu:.2f} s) ; contre {commit[:10]} : {detail}, "
        f"ordre {order} écart(s) -> {'IDENTIQUE' if identical else 'DIFFÉRENT'}"
    )
    return identical


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="frozen warehouses (default: %(default)s)")
    commands = parser.add_subparsers(dest="command", required=True)
    take = commands.add_parser("snapshot", help="freeze a warehouse and the reference output")
    take.add_argument("name")
    take.add_argument("warehouse", type=Path)
    take.add_argument("--sources", help="the source tree of the run (its own reviewed decisions, demo tree)")
    messy = commands.add_parser("snapshot-messy", help="freeze the messy declaration of benchmarks/reconciliation.py")
    messy.add_argument("name")
    messy.add_argument("--seed", type=int, default=2026)
    messy.add_argument("--per-kind", type=int, default=500)
    compare = commands.add_parser("check", help="rerun and compare (default: every frozen warehouse)")
    compare.add_argument("names", nargs="*")
    args = parser.parse_args(argv)
    if args.command == "snapshot":
        snapshot(args.name, args.warehouse, args.sources, args.dir)
        return
    if args.command == "snapshot-messy":
        snapshot_messy(args.name, args.seed, args.per_kind, args.dir)
        return
    names = args.names or sorted(path.stem for path in args.dir.glob("*.duckdb"))
    if not names:
        sys.exit(f"aucun entrepôt figé dans {args.dir} : lancez d'abord « snapshot »")
    results = [check(name, args.dir) for name in names]
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
