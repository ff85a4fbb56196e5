"""The names the fuzzy path compares each block with, read from the index once per connection.

A block is a '|'-joined list of départements ('*': all of France). Its names are those of its
départements (rc_key_departement), each once, in rc_key order: between two equal scores the
first name wins. Reading them again on every call (a join, a DISTINCT and a sort in DuckDB, then
some 20,000 names made Python strings) cost more than matching the few hundred rows a
France-scale call leaves to the fuzzy path. So the names of a (family, département) are read the
first time a call needs them and kept for the later calls on the same connection, while rc_key
and rc_key_departement are the tables they were read from: rebuilding the index
(referential_index.ensure_index) creates new tables, with new catalog ids, and empties the cache.
"""

from __future__ import annotations

import weakref

import duckdb
import numpy as np

# Per connection: (the index tables' catalog ids, {(family, département): (positions, keys, codes, code numbers)},
# {family: {code: number}}), the département None holding all the family's names (block '*').
_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

_TABLE_IDS = """SELECT list(table_oid ORDER BY table_name) FROM duckdb_tables()
                WHERE temporary AND table_name IN ('rc_key', 'rc_key_departement')"""

# The names of some départements of one family, and all of the family's names (département NULL) if $3.
_NAMES = """
SELECT departement, position, key, code FROM rc_key_departement
WHERE type_collectivite = $1 AND departement IN (SELECT unnest(CAST($2 AS VARCHAR[])))
UNION ALL
SELECT NULL, rowid, key, code FROM rc_key WHERE type_collectivite = $1 AND $3
ORDER BY departement NULLS LAST, position
"""

_NO_NAMES = (np.empty(0, dtype=np.int64), [], [], np.empty(0, dtype=np.int64))


def sorted_runs(values: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) of each run of equal values in a sorted column; none for an empty one."""
    if not len(values):
        return []
    starts = [0, *(np.flatnonzero(values[1:] != values[:-1]) + 1).tolist()]
    return list(zip(starts, [*starts[1:], len(values)], strict=True))


def _names_of_connection(con: duckdb.DuckDBPyConnection) -> tuple[dict, dict]:
    """This connection's names by (family, département), and its codes' numbers by family."""
    tables = con.execute(_TABLE_IDS).fetchall()[0][0]
    cached = _CACHE.get(con)
    if cached is None or cached[0] != tables:
        cached = (tables, {}, {})
        _CACHE[con] = cached
    return cached[1], cached[2]


def _read(con: duckdb.DuckDBPyConnection, kind: str, departements: set[str | None], names: dict, numbers: dict) -> None:
    """Read the names of these départements (None: all) of one family into `names`. Each code gets a
    number, the same in every département, so that the matcher compares numbers rather than strings."""
    wanted = sorted(d for d in departements if d is not None)
    read = con.execute(_NAMES, [kind, wanted, None in departements]).fetchnumpy()
    departement = read["departement"]
    found = np.where(np.ma.getmaskarray(departement), None, np.ma.getdata(departement))
    for start, end in sorted_runs(found):
        positions = np.asarray(read["position"][start:end], dtype=np.int64)
        codes = read["code"][start:end].tolist()
        code_numbers = np.array([numbers.setdefault(code, len(numbers)) for code in codes], dtype=np.int64)
        names[kind, found[start]] = (positions, read["key"][start:end].tolist(), codes, code_numbers)
    for departement in departements:
        names.setdefault((kind, departement), _NO_NAMES)


def block_names(con: duckdb.DuckDBPyConnection, blocks: dict[str, list[str]]) -> dict[tuple[str, str], tuple]:
    """(keys, codes, code numbers) of each block of each family (`blocks`: family -> its blocks), in
    rc_key order; a block with no name is left out."""
    names, numbers = _names_of_connection(con)
    result = {}
    for kind, kind_blocks in blocks.items():
        parts = {block: ([None] if block == "*" else block.split("|")) for block in kind_blocks}
        missing = {d for departements in parts.values() for d in departements if (kind, d) not in names}
        if missing:
            _read(con, kind, missing, names, numbers.setdefault(kind, {}))
        for block, departements in parts.items():
            if len(departements) == 1:
                _, keys, codes, code_numbers = names[kind, departements[0]]
            else:
                # A name of two of the block's départements once, at its place in rc_key.
                read = [names[kind, d] for d in departements]
                _, first = np.unique(np.concatenate([r[0] for r in read]), return_index=True)
                keys = [k for r in read for k in r[1]]
                codes = [c for r in read for c in r[2]]
                keys, codes = [keys[i] for i in first], [codes[i] for i in first]
                code_numbers = np.concatenate([r[3] for r in read])[first]
            if keys:
                result[kind, block] = (keys, codes, code_numbers)
    return result
