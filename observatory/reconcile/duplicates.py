"""Collectivités declared directly by two OPSN or more (territories that overlap).

Only matched rows count, and an OPSN declaring the same collectivité twice counts once:
what matters is how many distinct OPSN claim it. Indicators then count it once.
"""

from __future__ import annotations

import duckdb

from observatory import table_catalog
from observatory.schemas import duckdb_select

_SHARED = """
    SELECT type_collectivite, code_collectivite
    FROM {adhesions}
    WHERE statut_rapprochement = 'rapproche'
    GROUP BY ALL
    HAVING count(DISTINCT siren_opsn) >= 2
"""

_TABLE = """
CREATE OR REPLACE TABLE {output} AS
SELECT {columns}
FROM (
    SELECT a.type_collectivite, a.code_collectivite,
           any_value(a.nom_officiel) AS nom_officiel,
           any_value(CASE WHEN a.type_collectivite = 'commune' THEN c.code_departement
                          WHEN a.type_collectivite = 'departement' THEN a.code_collectivite END) AS code_departement,
           count(DISTINCT a.siren_opsn) AS nb_opsn,
           array_to_string(list_sort(list(DISTINCT a.siren_opsn)), '|') AS sirens_opsn,
           array_to_string(list_sort(list(a.id_adhesion)), '|') AS ids_adhesion
    FROM {adhesions} a
    JOIN ({shared}) s USING (type_collectivite, code_collectivite)
    LEFT JOIN core_cog__communes c
           ON a.type_collectivite = 'commune' AND c.code_insee = a.code_collectivite
          AND c.type_commune = 'commune_actuelle'
    WHERE a.statut_rapprochement = 'rapproche'
    GROUP BY a.type_collectivite, a.code_collectivite
) m
ORDER BY m.type_collectivite, m.code_collectivite
"""


def set_multiple_flag(con: duckdb.DuckDBPyConnection, adhesions: str) -> None:
    """Set `adhesion_multiple` on every row of `adhesions` (false for unmatched rows)."""
    con.execute(f"""
        UPDATE {adhesions} a SET adhesion_multiple = coalesce(
            a.statut_rapprochement = 'rapproche'
            AND (a.type_collectivite, a.code_collectivite) IN ({_SHARED.format(adhesions=adhesions)}), false)
    """)


def flag_multiple_memberships(
    con: duckdb.DuckDBPyConnection,
    adhesions: str = table_catalog.ADHESIONS,
    output: str = table_catalog.MULTIPLE_ADHESIONS,
) -> int:
    """Set `adhesion_multiple` in `adhesions` and build `output` (schemas/adhesions_multiples.json)."""
    set_multiple_flag(con, adhesions)
    con.execute(
        _TABLE.format(
            output=output,
            adhesions=adhesions,
            shared=_SHARED.format(adhesions=adhesions),
            columns=duckdb_select("adhesions_multiples", "m"),
        )
    )
    return con.execute(f"SELECT count(*) FROM {output}").fetchall()[0][0]
