"""Read the declared rows once (`rc_rows`), then group them by what they declare (`rc_identity_rows`).

A collectivité member of several OPSN is declared by each, sometimes in the same words (the
demonstration: 16,126 rows, 15,966 distinct identities; the benchmark's France scale, where OPSN
copies re-declare the same members their own way: 40,000 rows, 36,562). Everything the paths
decide depends only on the identification fields (name, type, SIREN, INSEE code, postal code,
département) and on the reviewed decisions that designate the row, so the engine cleans, gathers
evidence for and decides each distinct identity once (IDENTITIES, read by evidence.py);
assemble.py hands every row its identity's decision.

Nothing is matched here: codes are put in canonical form (a lost leading zero restored,
`2a004` upper-cased, a SIRET cut to its SIREN), the anomalies of the fields themselves are
recorded, and each distinct declared name is keyed once (`rc_names`).
"""

from __future__ import annotations

import duckdb

from observatory.reconcile.spellings import DECLARED_NAMES
from observatory.reconcile.vocabulary import DECLARED_TYPES
from observatory.siren_sql import install_macros as install_siren_macros

# What identifies the collectivité a row declares: rows equal on these fields (NULLs equal) and
# designated by the same reviewed decisions are one identity.
IDENTIFICATION_FIELDS = (
    "nom_adherent",
    "type_adherent",
    "siren_adherent",
    "code_insee_adherent",
    "code_postal",
    "code_departement",
)


def _sql_list(values) -> str:
    return "[" + ", ".join("'" + value.replace("'", "''") + "'" for value in sorted(values)) + "]"


# Every declared row with its own columns, in input order (`row_id`); what only the row says
# (its OPSN, the repairs made while reading its file) stays here, out of the identity.
_ROWS = """
CREATE OR REPLACE TEMP TABLE rc_rows AS
SELECT r.*, coalesce(string_split(nullif(o.departements, ''), '|'), []::VARCHAR[]) AS opsn_departements
FROM (SELECT row_number() OVER () AS row_id, *{missing} FROM {members}) r
LEFT JOIN {opsn} o ON o.siren = r.siren_opsn
"""

_NAMES = """
CREATE OR REPLACE TEMP TABLE rc_names AS
WITH distinct_names AS MATERIALIZED (
    SELECT DISTINCT nom_adherent FROM rc_rows WHERE nom_adherent IS NOT NULL
)
{declared_names}
"""

# Per row, what a reviewed decision designates it by (mappings.py): its OPSN, its name key and
# its codes as declared.
DESIGNATED_ROWS = """(
    SELECT r.row_id, r.siren_opsn, n.name_key,
           list_filter([trim(r.siren_adherent), trim(r.code_insee_adherent), trim(r.code_postal),
                        trim(r.code_departement)], lambda v: coalesce(v, '') <> '') AS declared_codes
    FROM rc_rows r LEFT JOIN rc_names n USING (nom_adherent)
)"""

_FIELDS = ", ".join(f"r.{field}" for field in IDENTIFICATION_FIELDS)

_IDENTITIES = f"""
CREATE OR REPLACE TEMP TABLE rc_identity_rows AS
-- An identity is named by its first row: stable from run to run, whatever the grouping order.
SELECT min(r.row_id) AS identity_id, list(r.row_id) AS row_ids, list(DISTINCT r.siren_opsn) AS declaring_opsn,
       {_FIELDS},
       mh.line AS mapping_line, xh.line AS exclusion_line
FROM rc_rows r
LEFT JOIN rc_mapping_hits mh USING (row_id)
LEFT JOIN rc_exclusion_hits xh USING (row_id)
GROUP BY ALL
"""

# Each field is cleaned once per distinct value (a few thousand SIRENs, INSEE and postal codes,
# a few dozen départements and types), then joined to the identities: the cleaning is a chain of
# regular expressions, and values repeat across identities. NULL and '' clean alike.
# A query, not a table: evidence.py reads it as its first step, in the same statement.
IDENTITIES = """
WITH types AS (
    SELECT raw,
           CASE WHEN clean = '' THEN 'absent' WHEN list_contains({types}, clean) THEN clean
                ELSE 'inconnu' END AS declared_type,
           CASE WHEN clean = '' THEN 'type_adherent_absent'
                WHEN NOT list_contains({types}, clean) THEN 'type_adherent_inconnu'
                WHEN clean <> raw THEN 'type_adherent_non_normalise' END AS anomaly
    FROM (SELECT DISTINCT coalesce(type_adherent, '') AS raw FROM rc_identity_rows),
         LATERAL (SELECT lower(trim(strip_accents(raw))) AS clean)
), sirens AS (
    -- Only a SIREN that passes Luhn is used; a failing one is an anomaly, never evidence.
    SELECT raw, CASE WHEN valid THEN digits[1:9] END AS valid_siren,
           CASE WHEN regexp_full_match(digits, '[0-9]{14}') THEN 'siret_pour_siren' END AS siret_anomaly,
           CASE WHEN digits <> '' AND NOT valid THEN 'siren_invalide' END AS anomaly
    FROM (SELECT raw, digits, regexp_full_match(digits, '[0-9]{9}|[0-9]{14}') AND siren_valide(nine) AS valid
          FROM (SELECT DISTINCT coalesce(siren_adherent, '') AS raw FROM rc_identity_rows),
               LATERAL (SELECT regexp_replace(raw, '[\\s.]', '', 'g') AS digits),
               -- Named once: the Luhn macro reads each of its nine digits.
               LATERAL (SELECT digits[1:9] AS nine))
), insee AS (
    -- The INSEE field read as a commune code, or as a département or région code ("22", "2A", "53").
    SELECT raw,
           CASE WHEN regexp_full_match(text, '([0-9]{2}|2[AB])[0-9]{3}') THEN text
                WHEN regexp_full_match(text, '[0-9]{4}') THEN '0' || text END AS declared_insee,
           CASE WHEN regexp_full_match(text, '[0-9]{2}|2[AB]|97[0-9]') THEN text
                WHEN regexp_full_match(text, '[1-9]') THEN '0' || text END AS declared_area_code,
           CASE WHEN regexp_full_match(text, '[0-9]{4}|[1-9]') THEN 'code_insee_sans_zero'
                WHEN text <> '' AND NOT regexp_full_match(text, '([0-9]{2}|2[AB])[0-9]{3}|[0-9]{2}|2[AB]|97[0-9]')
                THEN 'code_insee_invalide' END AS anomaly
    FROM (SELECT DISTINCT coalesce(code_insee_adherent, '') AS raw FROM rc_identity_rows),
         LATERAL (SELECT upper(regexp_replace(raw, '[\\s.]', '', 'g')) AS text)
), departements AS (
    SELECT raw,
           CASE WHEN text = '20' THEN ['2A', '2B']
                WHEN regexp_full_match(text, '[0-9]{2}|2[AB]|97[0-9]') THEN [text]
                WHEN regexp_full_match(text, '[1-9]') THEN ['0' || text] END AS departements,
           CASE WHEN regexp_full_match(text, '[1-9]') THEN 'code_departement_sans_zero'
                WHEN text <> '' AND NOT regexp_full_match(text, '[0-9]{2}|2[AB]|97[0-9]')
                THEN 'code_departement_invalide' END AS anomaly
    FROM (SELECT DISTINCT coalesce(code_departement, '') AS raw FROM rc_identity_rows),
         LATERAL (SELECT upper(trim(raw)) AS text)
), postal_codes AS (
    SELECT raw,
           CASE WHEN regexp_full_match(text, '[0-9]{5}') THEN text
                WHEN regexp_full_match(text, '[0-9]{4}') THEN '0' || text END AS code_postal,
           CASE WHEN regexp_full_match(text, '[0-9]{4}') THEN 'code_postal_sans_zero'
                WHEN text <> '' AND NOT regexp_full_match(text, '[0-9]{5}') THEN 'code_postal_invalide' END AS anomaly
    FROM (SELECT DISTINCT coalesce(code_postal, '') AS raw FROM rc_identity_rows),
         LATERAL (SELECT regexp_replace(raw, '\\s', '', 'g') AS text)
)
SELECT
    f.identity_id, f.mapping_line, f.exclusion_line,
    t.declared_type, s.valid_siren, i.declared_insee, i.declared_area_code, d.departements, p.code_postal,
    n.name_key, n.lookup_key, n.epci_key, n.collectivite_key, n.short_key,
    coalesce(n.known_name, false) AS known_name,
    list_filter([t.anomaly, s.siret_anomaly, s.anomaly, i.anomaly, d.anomaly, p.anomaly],
                lambda a: a IS NOT NULL) AS anomalies
FROM rc_identity_rows f
JOIN types t ON t.raw = coalesce(f.type_adherent, '')
JOIN sirens s ON s.raw = coalesce(f.siren_adherent, '')
JOIN insee i ON i.raw = coalesce(f.code_insee_adherent, '')
JOIN departements d ON d.raw = coalesce(f.code_departement, '')
JOIN postal_codes p ON p.raw = coalesce(f.code_postal, '')
LEFT JOIN rc_names n ON n.nom_adherent = f.nom_adherent
""".replace("{types}", _sql_list(DECLARED_TYPES))


def prepare_rows(con: duckdb.DuckDBPyConnection, members: str, opsn: str | None) -> int:
    """Create `rc_rows` from the declared members and `rc_names` from their names; return the
    number of rows."""
    install_siren_macros(con)
    columns = {row[0] for row in con.execute(f"DESCRIBE {members}").fetchall()}
    # Rows without a stated source are declared ones (a single file checked, the tests' tables).
    missing = "".join(
        f", {value} AS {column}"
        for column, value in (("anomalies_lecture", "NULL::VARCHAR"), ("source_adhesion", "'declaration'"))
        if column not in columns
    )
    opsn_relation = opsn or "(SELECT NULL::VARCHAR AS siren, NULL::VARCHAR AS departements WHERE false)"
    con.execute(_ROWS.format(members=members, missing=missing, opsn=opsn_relation))
    con.execute(_NAMES.format(declared_names=DECLARED_NAMES.replace("{names}", "distinct_names")))
    return con.execute("SELECT count(*) FROM rc_rows").fetchall()[0][0]


def group_identities(con: duckdb.DuckDBPyConnection) -> int:
    """Create `rc_identity_rows` (each identity's rows and fields, as declared) once the reviewed
    decisions have designated their rows; return the number of identities. Their cleaned fields
    are IDENTITIES, read by evidence.py."""
    con.execute(_IDENTITIES)
    return con.execute("SELECT count(*) FROM rc_identity_rows").fetchall()[0][0]
