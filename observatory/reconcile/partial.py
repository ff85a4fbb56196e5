"""Word matches for names no exact key placed: `rc_partial` (cut, lengthened or missing words).

Read by the partial-name paths (name_paths.py), before the fuzzy path (a match in the declared postal
code) and after it (the weaker matches, for the rows still pending). Built once, with the evidence,
for every row that may need it: a row's word matches depend on its evidence only, not on what the
paths decided, and the statement's cost is reading rc_words and rc_evidence (140 million
instructions at 40k rows), not the few hundred rows it looks up; building it a second time after
the fuzzy path, for the rows still pending, cost as much again.
"""

from __future__ import annotations

import duckdb

# A name cut at a field width is read as the start of a longer name only from this length
# on: shorter starts ("saint m", "vars") are typos or other names as often as cuts.
MIN_CUT_LENGTH = 12

# Names cut, lengthened or missing words: for the rows no exact key placed in their context,
# the communes of their département whose second key shares the first word and
#   - starts with the declared key (cut at a field width: "roche linotte sorans"),
#   - is a word prefix of it (lengthened to tell two places apart: "saint lambert bois"),
#   - holds all its words, or all of whose words it holds.
# `partial_in_postal_code`: among the communes of the declared postal code, any relation (strong evidence);
# `partial_in_departement`: in the département, only long cuts and names of two words or more found
# whole in a longer one (a lengthened name would match every invented "Saint-X-les-Y").
_PARTIAL = f"""
CREATE OR REPLACE TEMP TABLE rc_partial AS
WITH pending AS (
    SELECT row_id, lookup_key, short_key, string_split(short_key, ' ') AS declared_words, postal_code_used,
           departements AS declared_departements, coalesce(departements, departements_postaux) AS context_departements
    FROM rc_evidence
    WHERE declared_type IN ('commune', 'absent') AND short_key IS NOT NULL
      AND name_candidates IS NULL AND short_name_candidates IS NULL
      AND coalesce(departements, departements_postaux) IS NOT NULL
), declared AS (
    -- The communes of a postal code may lie in another département (Éloise, 74, is 01200).
    SELECT pending.*, unnest(list_distinct(context_departements || coalesce(pd.departements, []::VARCHAR[])))
               AS departement
    FROM pending LEFT JOIN rc_postal_departements pd ON pd.code_postal = pending.postal_code_used
), related AS (
    SELECT d.row_id, w.code,
           coalesce(list_contains(w.codes_postaux, d.postal_code_used), false) AS in_postal_code,
           list_contains(d.context_departements, w.departement) AS in_departement,
           coalesce(list_contains(d.declared_departements, w.departement), true) AS agrees_with_departement,
           length(d.short_key) AS declared_length, len(d.declared_words) AS declared_count,
           -- A cut may fall inside a little word the second key drops ("sainte marguerite su").
           starts_with(w.short_key, d.short_key) OR starts_with(w.key, d.lookup_key) AS cut,
           starts_with(d.short_key || ' ', w.short_key || ' ') AS lengthened,
           list_has_all(w.words, d.declared_words) AS fewer_words,
           list_has_all(d.declared_words, w.words) AS more_words
    FROM declared d
    JOIN rc_words w ON w.first_word = d.declared_words[1] AND w.departement = d.departement
    WHERE w.short_key <> d.short_key
)
SELECT row_id,
       list(DISTINCT code ORDER BY code)
           FILTER (WHERE in_postal_code AND agrees_with_departement
                         AND (cut OR lengthened OR fewer_words OR more_words)) AS partial_in_postal_code,
       list(DISTINCT code ORDER BY code)
           FILTER (WHERE in_departement
                         AND ((cut AND declared_length >= {MIN_CUT_LENGTH}) OR (fewer_words AND declared_count >= 2)))
           AS partial_in_departement
FROM related
GROUP BY row_id
"""


def gather_partial(con: duckdb.DuckDBPyConnection) -> None:
    """`rc_partial`: the word matches of every row no exact key placed in its context."""
    con.execute(_PARTIAL)
