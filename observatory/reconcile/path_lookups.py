"""Lookup tables that single paths read, derived from rc_key and the COG after the main index
(referential_index.py): names by département, commune names by first word, neighbouring départements."""

from __future__ import annotations

import duckdb

# Names by département, for the fuzzy path's blocks (fuzzy.py); `position` keeps rc_key's order,
# which decides between equal scores.
_KEY_DEPARTEMENTS = """
CREATE OR REPLACE TEMP TABLE rc_key_departement AS
SELECT type_collectivite, rowid AS position, key, code, unnest(departements) AS departement FROM rc_key
"""

# Commune names by their first significant word and département, for the word-prefix and
# word-subset lookups (evidence.py); names long out of use are left out.
_WORDS = """
CREATE OR REPLACE TEMP TABLE rc_words AS
SELECT words[1] AS first_word, unnest(departements) AS departement, code, key, short_key, words, codes_postaux
FROM rc_key WHERE type_collectivite = 'commune' AND NOT outdated
"""

# Départements a postal code may cross into: La Poste serves some communes from the next
# département's office (a commune whose postal code starts with another département's
# number), and an EPCI spanning two départements joins neighbours. Both are read from the
# referential; used to accept a name unique in France declared with such a postal code.
_NEIGHBOURS = """
CREATE OR REPLACE TEMP TABLE rc_neighbour AS
WITH postal AS (
    SELECT DISTINCT a, CASE WHEN cp[1:2] = '97' THEN cp[1:3] WHEN cp[1:2] = '20' THEN NULL ELSE cp[1:2] END AS b
    -- unnest in the select list: a lateral join to it is planned as a slower correlated join.
    FROM (SELECT code_departement AS a, unnest(string_split(codes_postaux, '|')) AS cp
          FROM core_cog__communes
          WHERE type_commune = 'commune_actuelle' AND coalesce(codes_postaux, '') <> '')
), epci AS (
    SELECT DISTINCT m.siren_epci, c.code_departement AS d
    FROM core_cog__epci_membres m
    JOIN core_cog__communes c ON c.code_insee = m.code_insee AND c.type_commune = 'commune_actuelle'
), pairs AS (
    SELECT a, b FROM postal WHERE b IS NOT NULL AND a <> b
    UNION SELECT x.d, y.d FROM epci x JOIN epci y USING (siren_epci) WHERE x.d <> y.d
)
SELECT DISTINCT a, b FROM (SELECT a, b FROM pairs UNION ALL SELECT b, a FROM pairs)
"""


def build_path_lookups(con: duckdb.DuckDBPyConnection) -> None:
    """Create `rc_key_departement`, `rc_words` and `rc_neighbour` (rc_key must exist)."""
    for statement in (_KEY_DEPARTEMENTS, _WORDS, _NEIGHBOURS):
        con.execute(statement)
