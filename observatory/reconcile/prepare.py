"""Clean the identification fields of every declared row, once, into `rc_rows`.

Nothing is matched here: codes are put in canonical form (a lost leading zero restored,
`2a004` upper-cased, a SIRET cut to its SIREN), the anomalies of the fields themselves are
recorded, and each distinct declared name is keyed once.
"""

from __future__ import annotations

import duckdb

from observatory.reconcile.spellings import DECLARED_NAMES
from observatory.reconcile.vocabulary import DECLARED_TYPES


def _sql_list(values) -> str:
    return "[" + ", ".join("'" + value.replace("'", "''") + "'" for value in sorted(values)) + "]"


# Each code field is cleaned once per distinct raw value (10k SIRENs, 10k INSEE codes, 2k postal
# codes, 70 départements, 17 types in 40k rows), its regexes and Luhn run there, and joined back
# by that raw value: 29 % fewer instructions for this statement at 40k rows than cleaning every
# row. The small tables carry scalars only (a list gathered out of a hash join costs more than
# building it on the row), and each row's lists are built once at the end.
_CLEAN = """
CREATE OR REPLACE TEMP TABLE rc_rows AS
WITH types AS (
    SELECT type_raw,
           CASE WHEN type_clean = '' THEN 'absent'
                WHEN list_contains({types}, type_clean) THEN type_clean
                ELSE 'inconnu' END AS declared_type,
           CASE WHEN type_clean = '' THEN 'type_adherent_absent'
                WHEN NOT list_contains({types}, type_clean) THEN 'type_adherent_inconnu'
                WHEN type_clean <> type_raw THEN 'type_adherent_non_normalise' END AS type_anomaly
    FROM (SELECT type_raw, lower(trim(strip_accents(type_raw))) AS type_clean
          FROM (SELECT DISTINCT coalesce(type_adherent, '') AS type_raw FROM {members}))
), sirens AS (
    SELECT siren_raw,
           -- Only a SIREN that passes Luhn is used; a failing one is an anomaly, never evidence.
           CASE WHEN usable THEN siren END AS valid_siren,
           CASE WHEN regexp_full_match(digits, '[0-9]{{14}}') THEN 'siret_pour_siren' END AS siret_anomaly,
           CASE WHEN digits <> '' AND NOT usable THEN 'siren_invalide' END AS siren_anomaly
    FROM (SELECT siren_raw, digits, siren,
                 regexp_full_match(digits, '[0-9]{{9}}|[0-9]{{14}}') AND siren_valide(siren) AS usable
          -- The macro reads its argument 13 times: a column, not an expression to compute again.
          FROM (SELECT siren_raw, digits, digits[1:9] AS siren
                FROM (SELECT siren_raw, regexp_replace(siren_raw, '[\\s.]', '', 'g') AS digits
                      FROM (SELECT DISTINCT coalesce(siren_adherent, '') AS siren_raw FROM {members}))))
), insee AS (
    SELECT insee_raw,
           -- The INSEE field read as a commune code, or as a département or région code ("22", "2A", "53").
           CASE WHEN regexp_full_match(insee_text, '([0-9]{{2}}|2[AB])[0-9]{{3}}') THEN insee_text
                WHEN regexp_full_match(insee_text, '[0-9]{{4}}') THEN '0' || insee_text END AS declared_insee,
           CASE WHEN regexp_full_match(insee_text, '[0-9]{{2}}|2[AB]|97[0-9]') THEN insee_text
                WHEN regexp_full_match(insee_text, '[1-9]') THEN '0' || insee_text END AS declared_area_code,
           CASE WHEN regexp_full_match(insee_text, '[0-9]{{4}}|[1-9]') THEN 'code_insee_sans_zero'
                WHEN insee_text <> ''
                     AND NOT regexp_full_match(insee_text, '([0-9]{{2}}|2[AB])[0-9]{{3}}|[0-9]{{2}}|2[AB]|97[0-9]')
                THEN 'code_insee_invalide' END AS insee_anomaly
    FROM (SELECT insee_raw, upper(regexp_replace(insee_raw, '[\\s.]', '', 'g')) AS insee_text
          FROM (SELECT DISTINCT coalesce(code_insee_adherent, '') AS insee_raw FROM {members}))
), postal AS (
    SELECT postal_raw,
           CASE WHEN regexp_full_match(postal_text, '[0-9]{{5}}') THEN postal_text
                WHEN regexp_full_match(postal_text, '[0-9]{{4}}') THEN '0' || postal_text END AS code_postal,
           CASE WHEN regexp_full_match(postal_text, '[0-9]{{4}}') THEN 'code_postal_sans_zero'
                WHEN postal_text <> '' AND NOT regexp_full_match(postal_text, '[0-9]{{5}}')
                THEN 'code_postal_invalide' END AS postal_anomaly
    FROM (SELECT postal_raw, regexp_replace(postal_raw, '\\s', '', 'g') AS postal_text
          FROM (SELECT DISTINCT coalesce(code_postal, '') AS postal_raw FROM {members}))
), departements AS (
    SELECT departement_raw,
           -- One code, or '20' for Corse (both its départements).
           CASE WHEN regexp_full_match(departement_text, '[0-9]{{2}}|2[AB]|97[0-9]') THEN departement_text
                WHEN regexp_full_match(departement_text, '[1-9]') THEN '0' || departement_text END AS departement,
           CASE WHEN regexp_full_match(departement_text, '[1-9]') THEN 'code_departement_sans_zero'
                WHEN departement_text <> '' AND NOT regexp_full_match(departement_text, '[0-9]{{2}}|2[AB]|97[0-9]')
                THEN 'code_departement_invalide' END AS departement_anomaly
    FROM (SELECT departement_raw, upper(trim(departement_raw)) AS departement_text
          FROM (SELECT DISTINCT coalesce(code_departement, '') AS departement_raw FROM {members}))
), distinct_names AS MATERIALIZED (
    SELECT DISTINCT nom_adherent FROM {members} WHERE nom_adherent IS NOT NULL
), names AS (
    {declared_names}
), source AS (
    -- A missing code cleans as an empty one, and '' keeps the row in the equality joins below.
    SELECT row_number() OVER () AS row_id, id_adhesion, siren_opsn, nom_adherent,
           coalesce(type_adherent, '') AS type_raw, coalesce(siren_adherent, '') AS siren_raw,
           coalesce(code_insee_adherent, '') AS insee_raw, coalesce(code_postal, '') AS postal_raw,
           coalesce(code_departement, '') AS departement_raw, {reading} AS anomalies_lecture
    FROM {members}
)
SELECT
    s.row_id, s.id_adhesion, s.siren_opsn, t.declared_type, si.valid_siren, i.declared_insee, i.declared_area_code,
    CASE WHEN d.departement = '20' THEN ['2A', '2B'] WHEN d.departement IS NOT NULL THEN [d.departement] END
        AS departements,
    p.code_postal,
    n.name_key, n.lookup_key, n.epci_key, n.collectivite_key, n.short_key,
    coalesce(n.known_name, false) AS known_name,
    list_filter([t.type_anomaly, si.siret_anomaly, si.siren_anomaly, i.insee_anomaly, d.departement_anomaly,
                 p.postal_anomaly], lambda a: a IS NOT NULL)
    -- Repairs made while reading the file (declarations.READING_ANOMALIES).
    || coalesce(string_split(nullif(s.anomalies_lecture, ''), '|'), []::VARCHAR[]) AS anomalies
FROM source s
JOIN types t USING (type_raw)
JOIN sirens si USING (siren_raw)
JOIN insee i USING (insee_raw)
JOIN postal p USING (postal_raw)
JOIN departements d USING (departement_raw)
LEFT JOIN names n ON n.nom_adherent = s.nom_adherent
"""

# The départements of each declaring OPSN: the output reads them only to order the candidates of
# the ambiguous rows (assemble.py), a few hundred rows. Listed on every row of rc_rows, they cost
# 8 % of its statement at 40k rows, and as many instructions again carried through rc_evidence.
_OPSN_DEPARTEMENTS = """
CREATE OR REPLACE TEMP TABLE rc_opsn_departements AS
SELECT siren, coalesce(string_split(nullif(departements, ''), '|'), []::VARCHAR[]) AS departements FROM {opsn}
"""


def prepare_rows(con: duckdb.DuckDBPyConnection, members: str, opsn: str | None) -> None:
    """Create `rc_rows` (one row per declared member) and `rc_opsn_departements`; the macros it calls
    come with the index (referential_index.ensure_index)."""
    columns = {row[0] for row in con.execute(f"DESCRIBE {members}").fetchall()}
    reading = "anomalies_lecture" if "anomalies_lecture" in columns else "NULL::VARCHAR"
    opsn_relation = opsn or "(SELECT NULL::VARCHAR AS siren, NULL::VARCHAR AS departements WHERE false)"
    con.execute(
        _CLEAN.format(
            members=members,
            reading=reading,
            types=_sql_list(DECLARED_TYPES),
            declared_names=DECLARED_NAMES.replace("{names}", "distinct_names"),
        )
    )
    con.execute(_OPSN_DEPARTEMENTS.format(opsn=opsn_relation))
