"""Clean the identification fields of every declared row, once, into `rc_rows`.

Nothing is matched here: codes are put in canonical form (a lost leading zero restored,
`2a004` upper-cased, a SIRET cut to its SIREN), the anomalies of the fields themselves are
recorded, and each distinct declared name is keyed once.
"""

from __future__ import annotations

import duckdb

from observatory.reconcile.spellings import DECLARED_NAMES
from observatory.reconcile.vocabulary import DECLARED_TYPES
from observatory.siren_sql import install_macros as install_siren_macros


def _sql_list(values) -> str:
    return "[" + ", ".join("'" + value.replace("'", "''") + "'" for value in sorted(values)) + "]"


_CLEAN = """
CREATE OR REPLACE TEMP TABLE rc_rows AS
WITH source AS (
    SELECT row_number() OVER () AS row_id, *
    FROM (SELECT id_adhesion, siren_opsn, nom_adherent, type_adherent, siren_adherent,
                 code_insee_adherent, code_postal, code_departement, {reading} AS anomalies_lecture
          FROM {members})
), fields AS (
    SELECT s.*,
        lower(trim(strip_accents(coalesce(type_adherent, '')))) AS type_clean,
        regexp_replace(coalesce(siren_adherent, ''), '[\\s.]', '', 'g') AS siren_digits,
        upper(regexp_replace(coalesce(code_insee_adherent, ''), '[\\s.]', '', 'g')) AS insee_text,
        upper(trim(coalesce(s.code_departement, ''))) AS departement_text,
        regexp_replace(coalesce(code_postal, ''), '\\s', '', 'g') AS postal_code_text
    FROM source s
), distinct_names AS MATERIALIZED (
    SELECT DISTINCT nom_adherent FROM source WHERE nom_adherent IS NOT NULL
), names AS (
    {declared_names}
)
SELECT
    f.row_id, f.id_adhesion, f.siren_opsn,
    CASE WHEN f.type_clean = '' THEN 'absent'
         WHEN list_contains({types}, f.type_clean) THEN f.type_clean
         ELSE 'inconnu' END AS declared_type,
    -- Only a SIREN that passes Luhn is used; a failing one is an anomaly, never evidence.
    CASE WHEN regexp_full_match(f.siren_digits, '[0-9]{{9}}|[0-9]{{14}}') AND siren_valide(f.siren_digits[1:9])
         THEN f.siren_digits[1:9] END AS valid_siren,
    -- The INSEE field read as a commune code, or as a département or région code ("22", "2A", "53").
    CASE WHEN regexp_full_match(f.insee_text, '([0-9]{{2}}|2[AB])[0-9]{{3}}') THEN f.insee_text
         WHEN regexp_full_match(f.insee_text, '[0-9]{{4}}') THEN '0' || f.insee_text END AS declared_insee,
    CASE WHEN regexp_full_match(f.insee_text, '[0-9]{{2}}|2[AB]|97[0-9]') THEN f.insee_text
         WHEN regexp_full_match(f.insee_text, '[1-9]') THEN '0' || f.insee_text END AS declared_area_code,
    CASE WHEN f.departement_text = '20' THEN ['2A', '2B']
         WHEN regexp_full_match(f.departement_text, '[0-9]{{2}}|2[AB]|97[0-9]') THEN [f.departement_text]
         WHEN regexp_full_match(f.departement_text, '[1-9]') THEN ['0' || f.departement_text] END AS departements,
    CASE WHEN regexp_full_match(f.postal_code_text, '[0-9]{{5}}') THEN f.postal_code_text
         WHEN regexp_full_match(f.postal_code_text, '[0-9]{{4}}') THEN '0' || f.postal_code_text END AS code_postal,
    n.name_key, n.lookup_key, n.epci_key, n.collectivite_key, n.short_key,
    coalesce(n.known_name, false) AS known_name,
    list_filter([
        CASE WHEN f.type_clean = '' THEN 'type_adherent_absent'
             WHEN NOT list_contains({types}, f.type_clean) THEN 'type_adherent_inconnu'
             WHEN f.type_clean <> f.type_adherent THEN 'type_adherent_non_normalise' END,
        CASE WHEN regexp_full_match(f.siren_digits, '[0-9]{{14}}') THEN 'siret_pour_siren' END,
        CASE WHEN f.siren_digits <> '' AND NOT (regexp_full_match(f.siren_digits, '[0-9]{{9}}|[0-9]{{14}}')
                                                AND siren_valide(f.siren_digits[1:9]))
             THEN 'siren_invalide' END,
        CASE WHEN regexp_full_match(f.insee_text, '[0-9]{{4}}|[1-9]') THEN 'code_insee_sans_zero'
             WHEN f.insee_text <> ''
                  AND NOT regexp_full_match(f.insee_text, '([0-9]{{2}}|2[AB])[0-9]{{3}}|[0-9]{{2}}|2[AB]|97[0-9]')
             THEN 'code_insee_invalide' END,
        CASE WHEN regexp_full_match(f.departement_text, '[1-9]') THEN 'code_departement_sans_zero'
             WHEN f.departement_text <> '' AND NOT regexp_full_match(f.departement_text, '[0-9]{{2}}|2[AB]|97[0-9]')
             THEN 'code_departement_invalide' END,
        CASE WHEN regexp_full_match(f.postal_code_text, '[0-9]{{4}}') THEN 'code_postal_sans_zero'
             WHEN f.postal_code_text <> '' AND NOT regexp_full_match(f.postal_code_text, '[0-9]{{5}}')
             THEN 'code_postal_invalide' END
    ], lambda a: a IS NOT NULL)
    -- Repairs made while reading the file (declarations.READING_ANOMALIES).
    || coalesce(string_split(nullif(f.anomalies_lecture, ''), '|'), []::VARCHAR[]) AS anomalies,
    coalesce(string_split(nullif(o.departements, ''), '|'), []::VARCHAR[]) AS opsn_departements,
    -- As declared, for reviewed decisions keyed on a code (mappings.py).
    list_filter([trim(f.siren_adherent), trim(f.code_insee_adherent), trim(f.code_postal), trim(f.code_departement)],
                lambda v: coalesce(v, '') <> '') AS declared_codes
FROM fields f
LEFT JOIN names n ON n.nom_adherent = f.nom_adherent
LEFT JOIN {opsn} o ON o.siren = f.siren_opsn
"""


def prepare_rows(con: duckdb.DuckDBPyConnection, members: str, opsn: str | None) -> int:
    """Create `rc_rows` from the declared members; return the number of rows."""
    install_siren_macros(con)
    columns = {row[0] for row in con.execute(f"DESCRIBE {members}").fetchall()}
    reading = "anomalies_lecture" if "anomalies_lecture" in columns else "NULL::VARCHAR"
    opsn_relation = opsn or "(SELECT NULL::VARCHAR AS siren, NULL::VARCHAR AS departements WHERE false)"
    con.execute(
        _CLEAN.format(
            members=members,
            reading=reading,
            opsn=opsn_relation,
            types=_sql_list(DECLARED_TYPES),
            declared_names=DECLARED_NAMES.replace("{names}", "distinct_names"),
        )
    )
    return con.execute("SELECT count(*) FROM rc_rows").fetchall()[0][0]
