"""Shape the decisions into the published `adhesions` contract (schemas/adhesions.json).

Adds what only the final match can tell (the declared type or département disagrees with
the collectivité found, an unknown SIREN…), orders anomalies as the vocabulary lists them
and candidates with those of the OPSN's own départements first.
"""

from __future__ import annotations

import duckdb

from observatory.reconcile.vocabulary import ANOMALIES
from observatory.schemas import duckdb_select

_VOCABULARY = "[" + ", ".join(f"'{name}'" for name in ANOMALIES) + "]"

# `candidates` and `shared` read the two narrow columns they need from rc_decision and rc_evidence
# rather than `decided`: a CTE read three times is materialised, every wide row of it copied once more.
# The vocabulary is written once, as the column of a one-row CTE, rather than as a literal of 29 names
# in each lambda that reads it: less to parse and bind (3 % of the statement's instructions).
_ASSEMBLE = """
CREATE OR REPLACE TABLE {output} AS
WITH vocabulary AS (SELECT {vocabulary} AS anomaly_vocabulary), decided AS (
    SELECT e.row_id, e.id_adhesion, e.siren_opsn AS declaring_opsn, e.declared_type, e.valid_siren, e.declared_insee,
           e.insee_target, e.siren_target, e.declared_insee_is_postal,
           e.departements, e.code_postal AS declared_postal, e.anomalies AS row_anomalies,
           d.statut, d.methode, d.score, d.type_collectivite, d.code, d.candidats, d.anomalies AS path_anomalies
    FROM rc_evidence e JOIN rc_decision d USING (row_id)
), candidates AS (
    SELECT row_id, string_agg(candidate, '|' ORDER BY in_territory DESC, candidate) AS candidats,
           string_agg(label, '|' ORDER BY in_territory DESC, candidate) AS candidats_libelles
    FROM (
        SELECT x.row_id, x.candidate,
               coalesce(list_has_any(t.departements, o.departements), false) AS in_territory,
               -- What a steward needs to choose: the name and where it lies.
               coalesce(t.nom || CASE WHEN t.type_collectivite = 'region' THEN ' (région ' || t.code || ')'
                                      WHEN len(t.departements) > 0
                                      THEN ' (' || array_to_string(t.departements, ', ') || ')' ELSE '' END,
                        x.candidate) AS label
        FROM (SELECT d.row_id, unnest(d.candidats) AS candidate, e.siren_opsn AS declaring_opsn
              FROM rc_decision d JOIN rc_evidence e USING (row_id) WHERE d.statut = 'ambigu') x
        LEFT JOIN rc_opsn_departements o ON o.siren = x.declaring_opsn
        LEFT JOIN rc_collectivite t
               ON t.code = x.candidate
              AND t.type_collectivite = CASE length(x.candidate) WHEN 9 THEN 'epci' WHEN 5 THEN 'commune'
                                                                  ELSE 'departement' END
    )
    GROUP BY row_id
), shared AS (
    -- Declared directly by two OPSN or more (duplicates.py keeps the same rule for the table).
    SELECT d.type_collectivite, d.code
    FROM rc_decision d JOIN rc_evidence e USING (row_id) WHERE d.statut = 'rapproche'
    GROUP BY ALL HAVING count(DISTINCT e.siren_opsn) >= 2
), assembled AS (
    SELECT d.row_id, m.*,
        d.statut AS statut_rapprochement,
        d.methode AS methode_rapprochement,
        d.score,
        d.type_collectivite,
        CASE WHEN d.type_collectivite = 'commune' THEN d.code END AS code_insee,
        -- The COG gives no SIREN for départements and régions: the declared one is kept.
        CASE WHEN d.type_collectivite IN ('commune', 'epci') THEN t.siren
             WHEN d.type_collectivite IN ('departement', 'region') THEN d.valid_siren END AS siren_collectivite,
        d.code AS code_collectivite,
        t.nom AS nom_officiel,
        c.candidats,
        c.candidats_libelles,
        d.row_anomalies || d.path_anomalies || [
            CASE WHEN d.valid_siren IS NOT NULL AND d.siren_target IS NULL
                      AND d.declared_type IN ('commune', 'epci', 'absent')
                 THEN 'siren_inconnu' END,
            CASE WHEN d.valid_siren IS NOT NULL
                      AND (d.declared_type IN ('departement', 'region')
                           OR d.type_collectivite IN ('departement', 'region')) THEN 'siren_non_verifie' END,
            CASE WHEN d.declared_insee IS NOT NULL AND d.insee_target IS NULL
                      AND d.declared_type IN ('commune', 'epci', 'absent')
                 THEN CASE WHEN d.declared_insee_is_postal THEN 'code_postal_pour_insee'
                           ELSE 'code_insee_inconnu' END END,
            CASE WHEN d.statut = 'rapproche' AND d.declared_type IN ('commune', 'epci', 'departement', 'region')
                      AND d.declared_type <> d.type_collectivite THEN 'type_adherent_incoherent' END,
            CASE WHEN d.statut = 'rapproche' AND d.departements IS NOT NULL AND d.type_collectivite <> 'region'
                      AND NOT list_has_any(t.departements, d.departements) THEN 'conflit_departement' END,
            CASE WHEN d.statut = 'rapproche' AND d.type_collectivite = 'commune' AND d.declared_postal IS NOT NULL
                      AND NOT list_contains(t.codes_postaux, d.declared_postal) THEN 'code_postal_incoherent' END
        ] AS all_anomalies,
        sh.code IS NOT NULL AS adhesion_multiple
    FROM decided d
    JOIN {members} m USING (id_adhesion)
    LEFT JOIN rc_collectivite t ON t.type_collectivite = d.type_collectivite AND t.code = d.code
    LEFT JOIN candidates c USING (row_id)
    LEFT JOIN shared sh ON sh.type_collectivite = d.type_collectivite AND sh.code = d.code
)
SELECT {columns}
FROM (
    SELECT *,
           -- In vocabulary order (each row's few anomalies sorted by their place in it, rather than
           -- the whole vocabulary filtered for each row); a value missing from the vocabulary is
           -- kept, last, rather than lost. Only the rows with two anomalies or more need sorting
           -- (33 of the 40,000 rows of the France-scale benchmark): the others keep their only one, or none.
           CASE WHEN len(list_distinct(all_anomalies)) < 2 THEN nullif(list_distinct(all_anomalies)[1], '')
           ELSE nullif(array_to_string(
               -- list_position is NULL for a value missing from the vocabulary.
               list_transform(list_sort(list_distinct(list_filter(
                   list_transform(all_anomalies, lambda a: list_position(anomaly_vocabulary, a)),
                   lambda i: i IS NOT NULL))), lambda i: anomaly_vocabulary[i])
               || list_distinct(list_filter(all_anomalies, lambda a: NOT list_contains(anomaly_vocabulary, a))),
               '|'), '')
           END
               AS anomalies
    FROM assembled, vocabulary
) a
ORDER BY a.row_id
"""


def write_adhesions(con: duckdb.DuckDBPyConnection, members: str, output: str) -> None:
    """Create `output` (columns and types of schemas/adhesions.json) from rc_evidence and rc_decision,
    one row per declared row, in their order."""
    # Rows without a stated source are declared ones (a single file checked, the tests' tables).
    if "source_adhesion" not in {row[0] for row in con.execute(f"DESCRIBE {members}").fetchall()}:
        members = f"(SELECT *, 'declaration' AS source_adhesion FROM {members})"
    con.execute(
        _ASSEMBLE.format(
            output=output, members=members, vocabulary=_VOCABULARY, columns=duckdb_select("adhesions", "a")
        )
    )
