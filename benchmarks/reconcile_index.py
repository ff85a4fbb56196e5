"""Build time and content of the reconciliation's lookup tables (referential_index.ensure_index).

    # time ensure_index on fresh connections (the vendored referential loaded first, not timed)
    PYTHONPATH=$PWD .venv/bin/python benchmarks/reconcile_index.py time [--runs 5] [--statements] \
        [--declared /tmp/bench/travail-1x/build/warehouse.duckdb]
    # dump every INDEX_TABLES table, in rc_key's row order, with the code on PYTHONPATH
    PYTHONPATH=/work/main .venv/bin/python benchmarks/reconcile_index.py dump /tmp/index-main.duckdb
    PYTHONPATH=$PWD .venv/bin/python benchmarks/reconcile_index.py dump /tmp/index-branch.duckdb
    # compare two dumps: columns and types, EXCEPT ALL both ways, row order
    PYTHONPATH=$PWD .venv/bin/python benchmarks/reconcile_index.py compare /tmp/index-main.duckdb \
        /tmp/index-branch.duckdb

Every pipeline run reconciles on a fresh connection, so it pays for the whole index each time (issue 11).
`--declared` also times the keying of a bench warehouse's distinct declared names as every call does
it (spellings.DECLARED_NAMES: the COG's spellings read from rc_spelling, the others keyed then).
`compare` first compares the lists as they are; a table that differs only there is compared again with
the lists of UNORDERED sorted (key_lists.py: the order within those lists is never read). The row order
is reported, not required: fuzzy.py reads rc_key's rowid (`position` of rc_key_departement) to break
ties, but two builds by the same code already order rc_key differently (a parallel GROUP BY). So
`position` is compared through the rc_key row it points to, in each dump.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import duckdb

from observatory.reconcile.referential_index import INDEX_TABLES, ensure_index
from observatory.reconcile.spellings import DECLARED_NAMES
from observatory.referential import load_referential

# (table, list column) whose element order no reader depends on; every other list must match as is
# (rc_key.words and rc_words.words: words[1] is the first word).
UNORDERED = {
    ("rc_commune_names", "entries"),
    ("rc_commune_names", "codes"),
    ("rc_commune_names", "outdated_codes"),
    ("rc_commune_names", "old_codes"),
    ("rc_commune_names", "arrondissement_codes"),
    ("rc_commune_short_names", "entries"),
    ("rc_commune_short_names", "codes"),
    ("rc_commune_short_names", "outdated_codes"),
    ("rc_commune_short_names", "old_codes"),
    ("rc_commune_short_names", "arrondissement_codes"),
    ("rc_epci_names", "entries"),
    ("rc_area_names", "departements"),
    ("rc_area_names", "regions"),
    ("rc_code_keys", "keys"),
    ("rc_postal_departements", "departements"),
}


class _TimedConnection:
    """A connection that adds up the wall and CPU time (all of DuckDB's threads) of each statement,
    by its first words."""

    def __init__(self, con: duckdb.DuckDBPyConnection, times: dict[str, tuple[float, float]]) -> None:
        self._con, self._times = con, times

    def execute(self, sql, *args, **kwargs):
        words = " ".join(str(sql).split())
        label = words[:60] if not words.startswith("CREATE OR REPLACE TEMP") else " ".join(words.split()[:6])
        start, cpu = time.perf_counter(), time.process_time()
        result = self._con.execute(sql, *args, **kwargs)
        wall, used = self._times.get(label, (0.0, 0.0))
        self._times[label] = (wall + time.perf_counter() - start, used + time.process_time() - cpu)
        return result

    def __getattr__(self, name):
        return getattr(self._con, name)


def _fresh_connection() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    load_referential(con)
    return con


def time_index(runs: int, statements: bool, declared: Path | None) -> None:
    print(f"charge moyenne (1, 5, 15 min) : {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    walls, cpus, per_statement = [], [], []
    for _ in range(runs):
        con = _fresh_connection()
        times: dict[str, tuple[float, float]] = {}
        start, cpu = time.perf_counter(), time.process_time()
        ensure_index(_TimedConnection(con, times) if statements else con)
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
        per_statement.append(times)
        con.close()
    best = min(range(runs), key=walls.__getitem__)
    print(
        f"index construit en {walls[best]:.3f} s (CPU {cpus[best]:.3f} s), meilleur de {runs} "
        f"(médiane {statistics.median(walls):.3f} s)"
    )
    if statements:
        print("    par requête, meilleur de chaque : temps (CPU)")
        best_of = {label: [min(t[label][i] for t in per_statement) for i in (0, 1)] for label in per_statement[0]}
        for label, (wall, cpu) in sorted(best_of.items(), key=lambda item: -item[1][1]):
            print(f"    {wall:.3f} s ({cpu:.3f} s)  {label}")
    if declared:
        _time_declared_names(declared, runs)
    print(f"charge moyenne (1, 5, 15 min) : {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def _time_declared_names(warehouse: Path, runs: int) -> None:
    con = _fresh_connection()
    ensure_index(con)
    con.execute(f"ATTACH '{warehouse}' AS w (READ_ONLY)")
    con.execute(
        "CREATE TEMP TABLE distinct_names AS SELECT DISTINCT nom_adherent FROM w.core_declarations__adherents "
        "WHERE nom_adherent IS NOT NULL"
    )
    statement = "CREATE OR REPLACE TEMP TABLE keyed_names AS " + DECLARED_NAMES.replace("{names}", "distinct_names")
    walls, cpus = [], []
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        con.execute(statement)
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    names, unknown = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE nom_adherent NOT IN (SELECT nom_adherent FROM rc_spelling)) "
        "FROM distinct_names"
    ).fetchone()
    best = min(range(runs), key=walls.__getitem__)
    print(
        f"noms déclarés clés en {walls[best]:.3f} s (CPU {cpus[best]:.3f} s), meilleur de {runs} : "
        f"{names:,} noms distincts, dont {unknown:,} hors des graphies du COG"
    )
    con.close()


def dump(output: Path) -> None:
    output.unlink(missing_ok=True)
    con = _fresh_connection()
    ensure_index(con)
    con.execute(f"ATTACH '{output}' AS dump")
    for table in INDEX_TABLES:
        # The rowid kept as a column: the order of rc_key is read (fuzzy.py), the others' is reported.
        con.execute(f"CREATE TABLE dump.{table} AS SELECT rowid AS row_number, * FROM {table} ORDER BY rowid")
    con.close()
    print(f"{len(INDEX_TABLES)} tables écrites dans {output}")


def _columns(con: duckdb.DuckDBPyConnection, database: str, table: str) -> list[tuple[str, str]]:
    return con.execute(
        "SELECT column_name, data_type FROM duckdb_columns() WHERE database_name = ? AND table_name = ? "
        "AND column_name <> 'row_number' ORDER BY column_index",
        [database, table],
    ).fetchall()


def _differences(con: duckdb.DuckDBPyConnection, table: str, columns: list[tuple[str, str]], sort: bool) -> tuple:
    def select(database: str) -> str:
        if table == "rc_key_departement":  # position -> the rc_key row it points to
            return (
                f"SELECT d.type_collectivite, d.key, d.code, d.departement, k.key AS position_key, "
                f"k.code AS position_code FROM {database}.rc_key_departement d "
                f"LEFT JOIN {database}.rc_key k ON k.row_number = d.position"
            )
        expressions = [
            f'list_sort("{name}") AS "{name}"' if sort and (table, name) in UNORDERED else f'"{name}"'
            for name, _ in columns
        ]
        return f"SELECT {', '.join(expressions)} FROM {database}.{table}"

    only_a = con.execute(f"SELECT count(*) FROM ({select('a')} EXCEPT ALL {select('b')})").fetchone()[0]
    only_b = con.execute(f"SELECT count(*) FROM ({select('b')} EXCEPT ALL {select('a')})").fetchone()[0]
    return only_a, only_b


def compare(first: Path, second: Path) -> int:
    con = duckdb.connect()
    con.execute(f"ATTACH '{first}' AS a (READ_ONLY)")
    con.execute(f"ATTACH '{second}' AS b (READ_ONLY)")
    failures = 0
    listing = "SELECT table_name FROM duckdb_tables() WHERE database_name = ?"
    tables = {db: {name for (name,) in con.execute(listing, [db]).fetchall()} for db in ("a", "b")}
    for table in sorted(tables["a"] ^ tables["b"]):
        print(f"{table:<24} dans {'le premier' if table in tables['a'] else 'le second'} vidage seulement")
    for table in [t for t in INDEX_TABLES if t in tables["a"] & tables["b"]]:
        columns_a, columns_b = _columns(con, "a", table), _columns(con, "b", table)
        rows = [con.execute(f"SELECT count(*) FROM {db}.{table}").fetchone()[0] for db in ("a", "b")]
        if columns_a != columns_b:
            print(f"{table:<24} COLONNES DIFFÉRENTES : {columns_a} / {columns_b}")
            failures += 1
            continue
        only_a, only_b = _differences(con, table, columns_a, sort=False)
        verdict = f"+{only_b} -{only_a} listes telles quelles"
        if only_a or only_b:
            sorted_a, sorted_b = _differences(con, table, columns_a, sort=True)
            verdict += f", +{sorted_b} -{sorted_a} listes non ordonnées triées"
            failures += bool(sorted_a or sorted_b)
        names = ", ".join(f'"{name}"' for name, _ in columns_a)
        same_order = con.execute(
            f"SELECT count(*) FROM (SELECT row_number, {names} FROM a.{table}) x "
            f"JOIN (SELECT row_number, {names} FROM b.{table}) y USING (row_number) "
            f"WHERE ({', '.join(f'x.{n}' for n in names.split(', '))}) "
            f"IS NOT DISTINCT FROM ({', '.join(f'y.{n}' for n in names.split(', '))})"
        ).fetchone()[0]
        order = "même ordre" if same_order == rows[0] == rows[1] else f"ordre : {same_order} lignes à la même place"
        counts = f"{rows[0]:>7} / {rows[1]:>7} lignes, {len(columns_a)} colonnes identiques"
        print(f"{table:<24} {counts} : {verdict}; {order}")
    print("IDENTIQUES" if not failures else f"{failures} TABLE(S) DIFFÉRENTE(S)")
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    timing = commands.add_parser("time")
    timing.add_argument("--runs", type=int, default=5)
    timing.add_argument("--statements", action="store_true", help="best time of each statement too")
    timing.add_argument("--declared", type=Path, help="a bench warehouse: time the keying of its declared names")
    commands.add_parser("dump").add_argument("output", type=Path)
    comparing = commands.add_parser("compare")
    comparing.add_argument("first", type=Path)
    comparing.add_argument("second", type=Path)
    args = parser.parse_args(argv)
    if args.command == "time":
        time_index(args.runs, args.statements, args.declared)
    elif args.command == "dump":
        dump(args.output)
    else:
        sys.exit(compare(args.first, args.second))


if __name__ == "__main__":
    main()
