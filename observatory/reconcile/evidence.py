"""What each piece of a declared row points to, gathered in one table `rc_evidence`.

The paths (matching_paths.py) then decide from this evidence alone. Everything here is an exact
lookup done as a join, for all rows at once:
- `s_*`: the commune or EPCI of a SIREN that passes Luhn;
- `c_*`: today's commune of an INSEE code, current or former (`insee_code_kind`);
- `name_matches_*`: communes whose name (current or former) has the declared key, in the
  declared département, postal code, département of the postal code, or all of France
  (`short_name_matches_*`: the same by the second key);
  `name_candidates`/`name_context`: the first of those contexts that applies, as the paths read it;
- `epci_*`, `dept_*`, `region_*`: the same for EPCI, départements and régions;
- `*_sim`: Jaro-Winkler similarity between the declared name and the names of the
  collectivité a code points to, to tell a spelling difference from a contradiction.
"""

from __future__ import annotations

import duckdb

# A code and a name "agree" when the name is exactly one the collectivité bears (or bore),
# or is this close to it (Jaro-Winkler on name keys) while designating no other commune
# exactly. Measured on the COG: 99.8 % of one-letter typos score at least 0.85 against
# their own name; of the 21,964 postal codes that are also another commune's INSEE code,
# 0.55 % land on a commune whose name scores that high, and those are still caught when
# the name designates its own commune in that postal code.
AGREE_THRESHOLD = 0.85
# An EPCI's SIREN carries a check digit, and EPCI names are long and written many ways: a
# name that designates no collectivité at all (a typo in a spelt-out sigle, "Communauté d
# communes du Val d'Orne", 0.57) only needs to share this much with the official name.
# Not for communes: short unrelated names score as much ("annexe" / "saint brieuc": 0.58).
EPCI_SIREN_NAME_FLOOR = 0.55

_EVIDENCE = """
WITH codes_only AS (
    SELECT r.row_id,
           s.type_collectivite AS siren_type, s.code AS siren_target,
           c.code_insee AS insee_target, c.kind AS insee_code_kind,
           coalesce(r.code_postal, p.code_postal) AS postal_code_used,
           r.code_postal IS NULL AND p.code_postal IS NOT NULL AS postal_code_from_insee,
           p.code_postal IS NOT NULL AS declared_insee_is_postal
    FROM rc_rows r
    -- Départements and régions have no SIREN and no 5-character code in the COG: a SIREN
    -- or commune code on such a row is not evidence for what the row declares.
    LEFT JOIN rc_siren s ON s.siren = r.valid_siren AND r.declared_type NOT IN ('departement', 'region')
    LEFT JOIN rc_code c ON c.code = r.declared_insee AND r.declared_type NOT IN ('departement', 'region')
    LEFT JOIN (SELECT DISTINCT code_postal FROM rc_postal) p ON p.code_postal = r.declared_insee
), codes AS (
    -- The département a postal code belongs to, a weaker context than a declared one.
    SELECT *,
           CASE WHEN postal_code_used[1:2] = '20' THEN ['2A', '2B']
                WHEN postal_code_used[1:2] = '97' THEN [postal_code_used[1:3]]
                WHEN postal_code_used IS NOT NULL THEN [postal_code_used[1:2]] END AS departements_postaux
    FROM codes_only
), communes AS (
    SELECT r.row_id,
           {exact_lists},
           list(k.code) FILTER (WHERE k.source = 'ancien') AS old_codes,
           list(k.code) FILTER (WHERE k.source = 'arrondissement') AS arrondissement_codes
    FROM rc_rows r
    JOIN codes c USING (row_id)
    JOIN rc_key k ON k.type_collectivite = 'commune' AND k.key = r.lookup_key
    GROUP BY r.row_id
), short_communes AS (
    -- The same lookups by the second key (no little words, no articles).
    SELECT r.row_id, {short_lists},
           list(k.code) FILTER (WHERE k.source = 'ancien') AS short_old_codes,
           list(k.code) FILTER (WHERE k.source = 'arrondissement') AS short_arrondissement_codes
    FROM rc_rows r
    JOIN codes c USING (row_id)
    JOIN rc_key k ON k.type_collectivite = 'commune' AND k.short_key = r.short_key
    -- Only for names no commune bears exactly: those with exact candidates are decided (or
    -- found ambiguous) by them.
    WHERE r.declared_type IN ('commune', 'absent') AND NOT r.known_name
    GROUP BY r.row_id
), epcis AS (
    SELECT r.row_id,
           list(k.code) AS epci_matches_france,
           list(k.code) FILTER (WHERE list_has_any(k.departements, r.departements)) AS epci_matches_departement
    FROM rc_rows r
    JOIN rc_key k ON k.type_collectivite = 'epci' AND k.key = r.epci_key
    GROUP BY r.row_id
), collectivites AS (
    SELECT r.row_id,
           list(k.code) FILTER (WHERE k.type_collectivite = 'departement') AS named_departements,
           list(k.code) FILTER (WHERE k.type_collectivite = 'region') AS named_regions
    FROM rc_rows r
    JOIN rc_key k ON k.type_collectivite IN ('departement', 'region') AND k.key = r.collectivite_key
    GROUP BY r.row_id
), code_names AS (
    -- Similarity of the declared name to every name of the collectivité a code points to.
    SELECT row_id, max(sim) FILTER (WHERE which = 's') AS siren_name_similarity,
           max(sim) FILTER (WHERE which = 'c') AS insee_name_similarity
    FROM (
        SELECT c.row_id, 's' AS which,
               jaro_winkler_similarity(CASE WHEN c.siren_type = 'epci' THEN r.epci_key ELSE r.lookup_key END,
                                       k.key) AS sim
        FROM codes c JOIN rc_rows r USING (row_id)
        JOIN rc_key k ON k.type_collectivite = c.siren_type AND k.code = c.siren_target
        WHERE r.lookup_key IS NOT NULL
        UNION ALL
        SELECT c.row_id, 'c', jaro_winkler_similarity(r.lookup_key, k.key)
        FROM codes c JOIN rc_rows r USING (row_id)
        JOIN rc_key k ON k.type_collectivite = 'commune' AND k.code = c.insee_target
        WHERE r.lookup_key IS NOT NULL
    )
    GROUP BY row_id
), short_codes AS (
    -- Départements and régions by code: the INSEE field, the département field for a
    -- département, or "CD 22" written as the name.
    SELECT r.row_id,
           d.code_departement AS departement_by_code, g.code_region AS region_by_code,
           nullif(upper(regexp_extract(r.lookup_key, '^c[dg] ?([0-9]{2}|2[ab]|97[0-9])$', 1)), '')
               AS departement_in_name,
           jaro_winkler_similarity(r.collectivite_key, rc_name_key(d.nom)) AS departement_name_similarity,
           jaro_winkler_similarity(r.collectivite_key, rc_name_key(g.nom)) AS region_name_similarity
    FROM rc_rows r
    LEFT JOIN core_cog__departements d
        ON r.declared_type IN ('departement', 'absent')
       AND d.code_departement = coalesce(r.declared_area_code,
                                         CASE WHEN r.declared_type = 'departement' AND len(r.departements) = 1
                                              THEN r.departements[1] END)
    LEFT JOIN core_cog__regions g ON r.declared_type = 'region' AND g.code_region = r.declared_area_code
)
SELECT r.*, c.* EXCLUDE (row_id), n.* EXCLUDE (row_id, {raw_exact}), sn.* EXCLUDE (row_id, {raw_short}),
       e.* EXCLUDE (row_id),
       {preferred},
       k.* EXCLUDE (row_id),
       s.* EXCLUDE (row_id), sc.* EXCLUDE (row_id)
FROM rc_rows r
JOIN codes c USING (row_id)
LEFT JOIN communes n USING (row_id)
LEFT JOIN short_communes sn USING (row_id)
LEFT JOIN epcis e USING (row_id)
LEFT JOIN collectivites k USING (row_id)
LEFT JOIN code_names s USING (row_id)
LEFT JOIN short_codes sc USING (row_id)
"""

# Where a commune name is looked for: all of France, the declared département, the declared
# (or INSEE-field) postal code, the département of that postal code.
_CONTEXT_FILTERS = {
    "france": "true",
    "departement": "list_has_any(k.departements, r.departements)",
    "code_postal": "list_contains(k.codes_postaux, c.postal_code_used)",
    "departement_postal": "list_has_any(k.departements, c.departements_postaux)",
}


def _candidate_lists(prefix: str) -> str:
    """One list of commune codes per context, and the codes this name leads to only as a name
    long out of use (`_outdated`, nearly always NULL)."""
    lists = [
        f"list(k.code) FILTER (WHERE {condition}) AS {prefix}_matches_{context}_any"
        for context, condition in _CONTEXT_FILTERS.items()
    ]
    lists.append(f"list(k.code) FILTER (WHERE k.outdated) AS {prefix}_matches_outdated")
    return ",\n           ".join(lists)


def _preferred(prefix: str) -> str:
    """In a context where some commune bears the name today (or bore it recently,
    referential_index.OLD_NAME_CUTOFF_YEAR), communes that bore it long ago are not candidates."""
    return ",\n       ".join(
        f"""CASE WHEN {prefix}_matches_outdated IS NULL THEN {prefix}_matches_{context}_any
                 ELSE coalesce(nullif(list_filter({prefix}_matches_{context}_any,
                                                  lambda x: NOT list_contains({prefix}_matches_outdated, x)), []),
                               {prefix}_matches_{context}_any)
            END AS {prefix}_matches_{context}"""
        for context in _CONTEXT_FILTERS
    )


def _raw_lists(prefix: str) -> str:
    return ", ".join(
        [f"{prefix}_matches_{context}_any" for context in _CONTEXT_FILTERS] + [f"{prefix}_matches_outdated"]
    )


_EVIDENCE = (
    _EVIDENCE.replace("{exact_lists}", _candidate_lists("name"))
    .replace("{short_lists}", _candidate_lists("short_name"))
    .replace("{preferred}", _preferred("name") + ",\n       " + _preferred("short_name"))
    .replace("{raw_exact}", _raw_lists("name"))
    .replace("{raw_short}", _raw_lists("short_name"))
)


# The context a commune name is read in: the declared département, else the declared postal
# code, else the département of that postal code (a Cedex or a neighbouring office), else
# all of France when neither was declared. `name_commune` is the single commune the name designates
# there, if exactly one.
def _context(prefix: str) -> str:
    lists = {context: f"{prefix}_matches_{context}" for context in _CONTEXT_FILTERS}
    # The labels are published `methode_rapprochement` values (or lead to them): keep them.
    whens = (
        ("departements IS NOT NULL AND len({departement}) > 0", "{departement}", "nom_departement"),
        ("postal_code_used IS NOT NULL AND len({code_postal}) > 0", "{code_postal}", "code_postal_nom"),
        (
            "departements IS NULL AND postal_code_used IS NOT NULL AND len({departement_postal}) > 0",
            "{departement_postal}",
            "code_postal_departement",
        ),
        ("departements IS NULL AND postal_code_used IS NULL AND len({france}) > 0", "{france}", "nom_seul"),
    )
    found = " ".join(f"WHEN {when.format(**lists)} THEN {value.format(**lists)}" for when, value, _ in whens)
    path = " ".join(f"WHEN {when.format(**lists)} THEN '{label}'" for when, _, label in whens)
    return f"CASE {found} END AS {prefix}_candidates, CASE {path} END AS {prefix}_context"


# One statement, one table written: the lookups, then the contexts read from them.
_CONTEXT = f"""
CREATE OR REPLACE TEMP TABLE rc_evidence AS
WITH gathered AS ({_EVIDENCE}), contexts AS (
    SELECT *,
        {_context("name")},
        {_context("short_name")},
        CASE WHEN departements IS NOT NULL AND len(epci_matches_departement) > 0 THEN epci_matches_departement
             WHEN departements IS NULL THEN epci_matches_france END AS epci_candidates
    FROM gathered
)
SELECT *,
    CASE WHEN len(name_candidates) = 1 THEN name_candidates[1] END AS name_commune,
    CASE WHEN len(short_name_candidates) = 1 THEN short_name_candidates[1] END AS short_name_commune,
    CASE WHEN len(epci_candidates) = 1 THEN epci_candidates[1] END AS name_epci,
    lookup_key IS NULL OR siren_name_similarity = 1
        OR (siren_name_similarity >= {AGREE_THRESHOLD}
            AND CASE siren_type WHEN 'epci' THEN len(epci_candidates) IS DISTINCT FROM 1
                                ELSE len(name_candidates) IS DISTINCT FROM 1 END)
        OR (siren_type = 'epci' AND siren_name_similarity >= {EPCI_SIREN_NAME_FLOOR}
            AND name_matches_france IS NULL AND epci_matches_france IS NULL
            AND named_departements IS NULL AND named_regions IS NULL)
        AS siren_name_agrees,
    lookup_key IS NULL OR insee_name_similarity = 1
        OR (insee_name_similarity >= {AGREE_THRESHOLD} AND len(name_candidates) IS DISTINCT FROM 1)
        AS insee_name_agrees
FROM contexts
"""


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
      AND coalesce(departements, departements_postaux) IS NOT NULL AND {{rows}}
), declared AS (
    -- The communes of a postal code may lie in another département (Éloise, 74, is 01200).
    SELECT *, unnest(list_distinct(context_departements || coalesce(
               (SELECT list(DISTINCT c.code_departement) FROM rc_postal pc
                JOIN rc_collectivite c ON c.type_collectivite = 'commune' AND c.code = pc.code_insee
                WHERE pc.code_postal = pending.postal_code_used), []::VARCHAR[]))) AS departement
    FROM pending
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


def gather_evidence(con: duckdb.DuckDBPyConnection) -> None:
    """Create `rc_evidence` from `rc_rows` and the rc_* index, and `rc_partial` for the rows
    with a postal code (the word matches the paths try before the fuzzy path)."""
    con.execute(_CONTEXT)
    con.execute(_PARTIAL.replace("{rows}", "postal_code_used IS NOT NULL"))


def gather_partial_for_pending(con: duckdb.DuckDBPyConnection) -> None:
    """`rc_partial` again, for every row no path has decided yet (after the fuzzy path, which
    decides most misspelt names: the word lookups then only run for the few left)."""
    con.execute(_PARTIAL.replace("{rows}", "row_id NOT IN (SELECT row_id FROM rc_decision)"))
