"""The engine's written-out Luhn check agrees with siren_sql.siren_valide on every 9-digit string tried."""

from __future__ import annotations

import duckdb

from observatory.reconcile.prepare import _LUHN
from observatory.siren_sql import install_macros


def test_written_out_luhn_agrees_with_siren_valide():
    con = duckdb.connect()
    install_macros(con)
    con.execute(_LUHN)
    # 200,000 pseudo-random 9-digit strings (a tenth pass Luhn) and the edge digits.
    con.execute("""CREATE TABLE candidates AS
                   SELECT lpad(CAST(hash(i) % 1000000000 AS VARCHAR), 9, '0') AS s FROM range(200000) t(i)
                   UNION ALL SELECT * FROM (VALUES ('000000000'), ('999999999'), ('732829320'), ('123456789'))""")
    differing, valid = con.execute(
        """SELECT count(*) FILTER (WHERE siren_valide(s) IS DISTINCT FROM rc_luhn9(s)),
                  count(*) FILTER (WHERE rc_luhn9(s))
           FROM candidates"""
    ).fetchone()
    assert differing == 0
    assert 15_000 < valid < 25_000
