"""Shape the decisions into the published `adhesions` contract (schemas/adhesions.json).

Adds what only the final match can tell (the declared type or département disagrees with
the collectivité found, an unknown SIREN…), once per identity (prepare.py), then hands each
row its identity's decision, with what only the row says: the repairs made while reading it,
candidates ordered with those of its OPSN's own départements first, whether another OPSN
declares the same collectivité.
"""

from __future__ import annotations

import duckdb

from observatory.reconcile.vocabulary import ANOMALIES
from observatory.schemas import duckdb_select

_VOCABULARY = "[" + ", ".join(f"'{name}'" for name in ANOMALIES) + "]"


def _in_vocabulary_order(anomalies: str) -> str:
    """The '|'-joined text of a list of anomalies, in vocabulary order (each row's few anomalies
    sorted by their place in it, rather than the whole vocabulary filtered for each row); a value
    missing from the vocabulary is kept, last, rather than lost. NULL when there is none."""
    return f"""nullif(array_to_string(
               list_transform(list_sort(list_distinct(list_transform(
                   list_filter({anomalies}, lambda a: list_contains({_VOCABULARY}, a)),
                   lambda a: list_position({_VOCABULARY}, a)))), lambda i: {_VOCABULARY}[i])
               || list_distinct(list_filter({anomalies}, lambda a: NOT list_contains({_VOCABULARY}, a))), '|'), '')"""


_ASSEMBLE = """
CREATE OR REPLACE TABLE {output} AS
WITH decided AS (
    -- One row per identity.
    SELECT e.identity_id, e.anomalies AS field_anomalies,
           d.statut, d.methode, d.score, d.type_collectivite, d.code, d.candidats,
           CASE WHEN d.type_collectivite = 'commune' THEN d.code END AS code_insee,
           -- The COG gives no SIREN for départements and régions: the declared one is kept.
           CASE WHEN d.type_collectivite IN ('commune', 'epci') THEN t.siren
                WHEN d.type_collectivite IN ('departement', 'region') THEN e.valid_siren END AS siren_collectivite,
           t.nom AS nom_officiel,
           d.anomalies || [
               CASE WHEN e.valid_siren IS NOT NULL AND e.siren_target IS NULL
                         AND e.declared_type IN ('commune', 'epci', 'absent')
                    THEN 'siren_inconnu' END,
               CASE WHEN e.valid_siren IS NOT NULL
                         AND (e.declared_type IN ('departement', 'region')
                              OR d.type_collectivite IN ('departement', 'region')) THEN 'siren_non_verifie' END,
               CASE WHEN e.declared_insee IS NOT NULL AND e.insee_target IS NULL
                         AND e.declared_type IN ('commune', 'epci', 'absent')
                    THEN CASE WHEN e.declared_insee_is_postal THEN 'code_postal_pour_insee'
                              ELSE 'code_insee_inconnu' END END,
               CASE WHEN d.statut = 'rapproche' AND e.declared_type IN ('commune', 'epci', 'departement', 'region')
                         AND e.declared_type <> d.type_collectivite THEN 'type_adherent_incoherent' END,
               CASE WHEN d.statut = 'rapproche' AND e.departements IS NOT NULL AND d.type_collectivite <> 'region'
                         AND NOT list_has_any(t.departements, e.departements) THEN 'conflit_departement' END,
               CASE WHEN d.statut = 'rapproche' AND d.type_collectivite = 'commune' AND e.code_postal IS NOT NULL
                         AND NOT list_contains(t.codes_postaux, e.code_postal) THEN 'code_postal_incoherent' END
           ] AS decision_anomalies
    FROM rc_evidence e
    JOIN rc_decision d USING (identity_id)
    LEFT JOIN rc_collectivite t ON t.type_collectivite = d.type_collectivite AND t.code = d.code
), worded AS (
    SELECT *, {identity_anomalies} AS identity_anomalies FROM decided
), mapped AS (
    SELECT identity_id, unnest(row_ids) AS row_id FROM rc_identity_rows
), candidates AS (
    SELECT row_id, string_agg(candidate, '|' ORDER BY in_territory DESC, candidate) AS candidats,
           string_agg(label, '|' ORDER BY in_territory DESC, candidate) AS candidats_libelles
    FROM (
        SELECT x.row_id, x.candidate,
               coalesce(list_has_any(t.departements, r.opsn_departements), false) AS in_territory,
               -- What a steward needs to choose: the name and where it lies.
               coalesce(t.nom || CASE WHEN t.type_collectivite = 'region' THEN ' (région ' || t.code || ')'
                                      WHEN len(t.departements) > 0
                                      THEN ' (' || array_to_string(t.departements, ', ') || ')' ELSE '' END,
                        x.candidate) AS label
        FROM (SELECT row_id, unnest(candidats) AS candidate
              FROM (SELECT unnest(i.row_ids) AS row_id, d.candidats
                    FROM rc_identity_rows i JOIN rc_decision d USING (identity_id) WHERE d.statut = 'ambigu')) x
        JOIN rc_rows r USING (row_id)
        LEFT JOIN rc_collectivite t
               ON t.code = x.candidate
              AND t.type_collectivite = CASE length(x.candidate) WHEN 9 THEN 'epci' WHEN 5 THEN 'commune'
                                                                  ELSE 'departement' END
    )
    GROUP BY row_id
), shared AS (
    -- Declared directly by two OPSN or more (duplicates.py keeps the same rule for the table).
    SELECT d.type_collectivite, d.code
    FROM (SELECT identity_id, unnest(declaring_opsn) AS opsn FROM rc_identity_rows) i
    JOIN rc_decision d USING (identity_id)
    WHERE d.statut = 'rapproche'
    GROUP BY ALL HAVING count(DISTINCT i.opsn) >= 2
)
SELECT {columns}
FROM (
    SELECT r.*,
        d.statut AS statut_rapprochement,
        d.methode AS methode_rapprochement,
        d.score,
        d.type_collectivite,
        d.code_insee,
        d.siren_collectivite,
        d.code AS code_collectivite,
        d.nom_officiel,
        c.candidats,
        c.candidats_libelles,
        -- The repairs made while reading the row (declarations.READING_ANOMALIES) come between
        -- those of its fields and those of its decision.
        CASE WHEN coalesce(r.anomalies_lecture, '') = '' THEN d.identity_anomalies
             ELSE {row_anomalies} END AS anomalies,
        sh.code IS NOT NULL AS adhesion_multiple
    FROM rc_rows r
    JOIN mapped USING (row_id)
    JOIN worded d USING (identity_id)
    LEFT JOIN candidates c USING (row_id)
    LEFT JOIN shared sh ON sh.type_collectivite = d.type_collectivite AND sh.code = d.code
) a
ORDER BY a.row_id
"""


def write_adhesions(con: duckdb.DuckDBPyConnection, output: str) -> None:
    """Create `output` (columns and types of schemas/adhesions.json) from rc_rows, rc_evidence and
    rc_decision."""
    con.execute(
        _ASSEMBLE.format(
            output=output,
            identity_anomalies=_in_vocabulary_order("field_anomalies || decision_anomalies"),
            row_anomalies=_in_vocabulary_order(
                "d.field_anomalies || string_split(r.anomalies_lecture, '|') || d.decision_anomalies"
            ),
            columns=duckdb_select("adhesions", "a"),
        )
    )
