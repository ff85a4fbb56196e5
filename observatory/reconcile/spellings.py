"""Declared names keyed once per distinct spelling, and the referential's own spellings keyed in advance.

A name is keyed by a chain of regular expressions (normalize.py), the costliest step of preparing
the rows. Most declared names are spelt exactly as the COG spells them: those spellings are keyed
with the index, once per connection (`rc_spelling`), and a call only keys the others. The same
SQL keys both, so a name gets the same keys whichever way it is found.
"""

from __future__ import annotations

import duckdb

from observatory.reconcile.normalize import PLACEHOLDER_KEYS


def _sql_list(values) -> str:
    return "[" + ", ".join("'" + value.replace("'", "''") + "'" for value in sorted(values)) + "]"


# `{keyed}`: distinct, non-NULL `nom_adherent` with their `name_key` (NULL when empty). A name
# whose key is empty or a placeholder gets no row (it has nothing to match on).
KEY_NAMES = """
WITH keyed AS MATERIALIZED (SELECT * FROM {keyed}), looked_up AS MATERIALIZED (
    -- The name as matched: the whole key when some collectivité bears it, otherwise the key
    -- without "Mairie de", "Commune de"… (which real communes also start with: Ville-d'Avray).
    -- Nor when its second key is a commune's ("Ville-ès-Nonais" for La Ville-ès-Nonais).
    SELECT nom_adherent, name_key,
           CASE WHEN name_key IN (SELECT key FROM rc_key) THEN name_key
                WHEN rc_short_key(name_key) IN (SELECT short_key FROM rc_key WHERE short_key IS NOT NULL)
                THEN name_key
                ELSE coalesce(nullif(rc_without_civic_prefix(name_key), ''), name_key) END AS lookup_key
    FROM keyed
    WHERE name_key IS NOT NULL AND NOT list_contains({placeholders}, name_key)
)
SELECT *, rc_epci_key(lookup_key) AS epci_key, rc_collectivite_key(lookup_key) AS collectivite_key,
       rc_short_key(lookup_key) AS short_key,
       lookup_key IN (SELECT key FROM rc_key WHERE type_collectivite = 'commune') AS known_name
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


def build_spellings(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(_SPELLINGS)
