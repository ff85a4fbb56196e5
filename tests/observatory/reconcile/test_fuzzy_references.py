"""The fuzzy path's block names, read once per connection: the same names, in the same order, as the
index tables hold, and read again when the index is rebuilt."""

from __future__ import annotations

import duckdb

from observatory.reconcile.fuzzy_references import block_names
from observatory.reconcile.referential_index import ensure_index
from observatory.referential import load_referential

# A block's names straight from the index: its départements' names, each once, in rc_key order.
_FROM_INDEX = """
SELECT list(key ORDER BY position), list(code ORDER BY position) FROM (
    SELECT DISTINCT position, key, code FROM rc_key_departement
    WHERE type_collectivite = ? AND list_contains(string_split(?, '|'), departement))
"""


def _from_index(con: duckdb.DuckDBPyConnection, kind: str, block: str) -> tuple[list, list]:
    if block == "*":
        keys, codes = con.execute(
            "SELECT list(key ORDER BY rowid), list(code ORDER BY rowid) FROM rc_key WHERE type_collectivite = ?", [kind]
        ).fetchone()
    else:
        keys, codes = con.execute(_FROM_INDEX, [kind, block]).fetchone()
    return keys or [], codes or []


def test_block_names_are_the_index_names_in_index_order(con):
    blocks = {"commune": ["22", "2A|2B", "01|74", "zz"], "epci": ["22|29", "*"], "region": ["*"]}
    names = block_names(con, blocks)
    for kind, kind_blocks in blocks.items():
        for block in kind_blocks:
            keys, codes = _from_index(con, kind, block)
            if not keys:
                assert (kind, block) not in names
                continue
            found_keys, found_codes, numbers = names[kind, block]
            assert (found_keys, found_codes) == (keys, codes)
            # One number per code: equal numbers exactly where the codes are equal.
            assert len(set(zip(found_codes, numbers.tolist(), strict=True))) == len(set(found_codes))
            assert len(set(numbers.tolist())) == len(set(found_codes))
    # Read again from the cache, the same.
    again = block_names(con, blocks)
    assert {k: (v[0], v[1]) for k, v in again.items()} == {k: (v[0], v[1]) for k, v in names.items()}


def test_a_rebuilt_index_is_read_again():
    con = duckdb.connect()
    load_referential(con)
    ensure_index(con)
    before = block_names(con, {"commune": ["22"]})["commune", "22"]
    con.execute("DELETE FROM core_cog__communes WHERE code_departement = '22' AND nom <> 'Paimpol'")
    ensure_index(con)
    after = block_names(con, {"commune": ["22"]})["commune", "22"]
    assert len(before[0]) > len(after[0]) > 0
    assert after[:2] == _from_index(con, "commune", "22")
    con.close()
