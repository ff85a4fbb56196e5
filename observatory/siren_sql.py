"""SIREN macros in DuckDB, shared by the indicators and the reconciliation.

The SIREN check digit is computed in DuckDB rather than in Python so that validity can be
tested inside the joins that need it (CNIL file, 90k rows) without leaving SQL. The macro is
tested against `stdnum.fr.siren.is_valid`.
"""

from __future__ import annotations

import duckdb

# Luhn on 9 digits: from the right, every second digit is doubled, i.e. positions 2, 4, 6, 8
# counted from the left; a doubled digit over 9 contributes the sum of its two digits.
_MACROS = (
    r"""
    CREATE OR REPLACE TEMP MACRO siren_valide(s) AS (
        CASE WHEN coalesce(regexp_full_match(s, '[0-9]{9}'), false)
             THEN list_sum(list_transform(range(1, 10), lambda i:
                    CASE WHEN i % 2 = 0
                         THEN (2 * TRY_CAST(substr(s, i, 1) AS INTEGER)) // 10
                              + (2 * TRY_CAST(substr(s, i, 1) AS INTEGER)) % 10
                         ELSE TRY_CAST(substr(s, i, 1) AS INTEGER) END)) % 10 = 0
             ELSE false END
    )
    """,
    # The CNIL file writes SIRENs by hand: spaces and dots are common, letters are not repaired.
    r"""
    CREATE OR REPLACE TEMP MACRO siren_compact(s) AS (
        nullif(regexp_replace(coalesce(s, ''), '[\s.]', '', 'g'), '')
    )
    """,
)


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    for statement in _MACROS:
        con.execute(statement)
