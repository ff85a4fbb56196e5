"""Feedback to each OPSN on its own declaration (schemas/qualite_declarations.json).

What an OPSN needs to fix its file: how many rows could not be matched and why, how many
carry an anomaly, and how many of its members another OPSN declares too.
"""

from __future__ import annotations

import duckdb

from observatory import table_catalog
from observatory.schemas import duckdb_select

_QUALITY = """
CREATE OR REPLACE TABLE {output} AS
WITH counts AS (
    SELECT siren_opsn,
           count(*) AS nb_lignes,
           count(*) FILTER (WHERE statut_rapprochement = 'rapproche') AS nb_rapproche,
           count(*) FILTER (WHERE statut_rapprochement = 'ambigu') AS nb_ambigu,
           count(*) FILTER (WHERE statut_rapprochement = 'non_trouve') AS nb_non_trouve,
           count(*) FILTER (WHERE statut_rapprochement = 'invalide') AS nb_invalide,
           count(*) FILTER (WHERE statut_rapprochement = 'hors_referentiel') AS nb_hors_referentiel,
           count(*) FILTER (WHERE anomalies IS NOT NULL) AS nb_lignes_avec_anomalie,
           count(DISTINCT (type_collectivite, code_collectivite)) FILTER (WHERE adhesion_multiple)
               AS nb_adherents_multi_opsn
    FROM {adhesions}
    -- Feedback on declarations: rows taken from the ANCT for an OPSN that declares nothing are not one.
    WHERE coalesce(source_adhesion, 'declaration') = 'declaration'
    GROUP BY siren_opsn
), opsn AS (
    SELECT siren AS siren_opsn, nom AS nom_opsn FROM {opsn}
    UNION ALL
    -- An OPSN missing from the identity file still gets its feedback, under its SIREN.
    SELECT siren_opsn, siren_opsn FROM counts WHERE siren_opsn NOT IN (SELECT siren FROM {opsn})
)
SELECT {columns}
FROM (
    SELECT o.siren_opsn, o.nom_opsn,
           coalesce(c.nb_lignes, 0) AS nb_lignes,
           coalesce(c.nb_rapproche, 0) AS nb_rapproche,
           round(100.0 * c.nb_rapproche / nullif(c.nb_lignes, 0), 1) AS part_rapproche,
           coalesce(c.nb_ambigu, 0) AS nb_ambigu,
           coalesce(c.nb_non_trouve, 0) AS nb_non_trouve,
           coalesce(c.nb_invalide, 0) AS nb_invalide,
           coalesce(c.nb_hors_referentiel, 0) AS nb_hors_referentiel,
           coalesce(c.nb_lignes_avec_anomalie, 0) AS nb_lignes_avec_anomalie,
           coalesce(c.nb_adherents_multi_opsn, 0) AS nb_adherents_multi_opsn
    FROM opsn o LEFT JOIN counts c USING (siren_opsn)
) q
ORDER BY q.siren_opsn
"""


def build_declaration_quality(
    con: duckdb.DuckDBPyConnection,
    adhesions: str = table_catalog.ADHESIONS,
    opsn: str = table_catalog.DECLARED_OPSN,
    output: str = table_catalog.DECLARATION_QUALITY,
) -> int:
    """Create `output`, one row per OPSN of `opsn` (and per OPSN only found in `adhesions`)."""
    con.execute(
        _QUALITY.format(
            output=output, adhesions=adhesions, opsn=opsn, columns=duckdb_select("qualite_declarations", "q")
        )
    )
    return con.execute(f"SELECT count(*) FROM {output}").fetchall()[0][0]
