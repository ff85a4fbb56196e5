"""Declared names keyed once per distinct spelling, and the referential's own spellings keyed in advance.

A name is keyed by a chain of regular expressions (normalize.py), the costliest step of preparing
the rows. Most declared names are spelt exactly as the COG spells them: those spellings are keyed
with the index, once per connection (`rc_spelling`), and a call only keys the others. The same
SQL keys both, so a name gets the same keys whichever way it is found. The name keys of the
collectivités (`rc_known_key`) and the communes' with their second keys (`rc_commune_key`) are
listed once too, for the lookups of every name.
"""

from __future__ import annotations

import duckdb

from observatory.reconcile.normalize import PLACEHOLDER_KEYS


def _sql_list(values) -> str:
    return "[" + ", ".join("'" + value.replace("'", "''") + "'" for value in sorted(values)) + "]"


# `{keyed}`: distinct, non-NULL `nom_adherent` with their `name_key` (NULL when empty). A name
# whose key is empty or a placeholder gets no row (it has nothing to match on).
# The second key is a chain of regular expressions: a name keyed as a commune is keyed already
# (rc_key), and the second key of the name as matched is that of the name key, unless a prefix
# was dropped. The collectivités' keys are read from small sets of distinct keys, not rc_key.
KEY_NAMES = """
WITH keyed AS MATERIALIZED (SELECT * FROM {keyed}), second_keyed AS MATERIALIZED (
    SELECT k.nom_adherent, k.name_key,
           CASE WHEN c.short_key IS NOT NULL THEN c.short_key ELSE rc_short_key(k.name_key) END AS name_short_key
    FROM keyed k LEFT JOIN rc_commune_key c ON c.key = k.name_key
    WHERE k.name_key IS NOT NULL AND NOT list_contains({placeholders}, k.name_key)
), looked_up AS MATERIALIZED (
    -- The name as matched: the whole key when some collectivité bears it, otherwise the key
    -- without "Mairie de", "Commune de"… (which real communes also start with: Ville-d'Avray).
    -- Nor when its second key is a commune's ("Ville-ès-Nonais" for La Ville-ès-Nonais).
    SELECT nom_adherent, name_key, name_short_key,
           CASE WHEN name_key IN (SELECT key FROM rc_known_key) THEN name_key
                WHEN name_short_key IN (SELECT short_key FROM rc_commune_short_names) THEN name_key
                ELSE coalesce(nullif(rc_without_civic_prefix(name_key), ''), name_key) END AS lookup_key
    FROM second_keyed
)
SELECT nom_adherent, name_key, lookup_key,
       rc_epci_key(lookup_key) AS epci_key, rc_collectivite_key(lookup_key) AS collectivite_key,
       CASE WHEN lookup_key = name_key THEN name_short_key ELSE rc_short_key(lookup_key) END AS short_key,
       lookup_key IN (SELECT key FROM rc_commune_names) AS known_name
FROM looked_up
""".replace("{placeholders}", _sql_list(PLACEHOLDER_KEYS))

# The official names as the COG writes them, already keyed by the index (rc_official_key); built
# after rc_key, which the keys are looked up in.
_SPELLINGS = "CREATE OR REPLACE TEMP TABLE rc_spelling AS " + KEY_NAMES.replace(
    "{keyed}", "(SELECT nom AS nom_adherent, nullif(key, '') AS name_key FROM rc_official_key)"
)

# The keys of every distinct declared name of `{names}`: from rc_spelling, else keyed now.
_UNKNOWN = """(SELECT nom_adherent, nullif(rc_name_key(nom_adherent), '') AS name_key
               FROM {names} ANTI JOIN rc_spelling USING (nom_adherent))"""
DECLARED_NAMES = (
    "SELECT s.* FROM {names} d JOIN rc_spelling s USING (nom_adherent)\nUNION ALL\n("
    + KEY_NAMES.replace("{keyed}", _UNKNOWN)
    + ")"
)


# The key sets KEY_NAMES reads: every collectivité's name key, and each commune key's second key.
_KEY_SETS = (
    "CREATE OR REPLACE TEMP TABLE rc_known_key AS SELECT DISTINCT key FROM rc_key",
    "CREATE OR REPLACE TEMP TABLE rc_commune_key AS SELECT DISTINCT key, short_key FROM rc_key "
    "WHERE type_collectivite = 'commune'",
)


def build_spellings(con: duckdb.DuckDBPyConnection) -> None:
    for statement in _KEY_SETS:
        con.execute(statement)
    con.execute(_SPELLINGS)
