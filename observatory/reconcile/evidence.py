"""What each piece of a declared row points to, gathered in one table `rc_evidence`.

The paths (code_paths.py, name_paths.py) then decide from this evidence alone. Everything here is an exact
lookup done as an equality join on the index (key_lists.py), for all rows at once:
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

from observatory.reconcile.key_lists import codes_where
from observatory.reconcile.partial import gather_partial

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

# Every lookup is an equality join to a table with one row per key (key_lists.py), so that
# each declared row stays one row: no join fan-out to group again.
_EVIDENCE = """
WITH codes AS (
    SELECT r.*,
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
    LEFT JOIN rc_postal_code p ON p.code_postal = r.declared_insee
), located AS (
    -- The département a postal code belongs to, a weaker context than a declared one.
    SELECT *,
           CASE WHEN postal_code_used[1:2] = '20' THEN ['2A', '2B']
                WHEN postal_code_used[1:2] = '97' THEN [postal_code_used[1:3]]
                WHEN postal_code_used IS NOT NULL THEN [postal_code_used[1:2]] END AS departements_postaux
    FROM codes
), looked_up AS (
    SELECT l.*,
           {exact_lists},
           {exact_sources},
           -- The same lookups by the second key (no little words, no articles), only for names
           -- no commune bears exactly: those with exact candidates are decided (or found
           -- ambiguous) by them.
           {short_lists},
           {short_sources},
           e.entries AS epci_entries,
           a.departements AS named_departements, a.regions AS named_regions,
           -- Similarity of the declared name to every name of the collectivité a code points to.
           CASE WHEN l.lookup_key IS NOT NULL THEN list_max(list_transform(sk.keys, lambda x: jaro_winkler_similarity(
                CASE WHEN l.siren_type = 'epci' THEN l.epci_key ELSE l.lookup_key END, x))) END
               AS siren_name_similarity,
           CASE WHEN l.lookup_key IS NOT NULL
                THEN list_max(list_transform(ik.keys, lambda x: jaro_winkler_similarity(l.lookup_key, x))) END
               AS insee_name_similarity,
           -- Départements and régions by code: the INSEE field, the département field for a
           -- département, or "CD 22" written as the name.
           d.code_departement AS departement_by_code, g.code_region AS region_by_code,
           nullif(upper(regexp_extract(l.lookup_key, '^c[dg] ?([0-9]{2}|2[ab]|97[0-9])$', 1)), '')
               AS departement_in_name
    FROM located l
    LEFT JOIN rc_commune_names n ON n.key = l.lookup_key
    -- The second key is looked up only for the names no commune bears exactly (3 % of the rows
    -- at France scale): the lookup table is cut to their keys before the join, whose hash table
    -- then holds those keys only instead of every second key of the COG.
    LEFT JOIN (SELECT * FROM rc_commune_short_names
               WHERE short_key IN (SELECT short_key FROM rc_rows
                                   WHERE declared_type IN ('commune', 'absent') AND NOT known_name)) sn
           ON sn.short_key = CASE WHEN l.declared_type IN ('commune', 'absent') AND NOT l.known_name
                                  THEN l.short_key END
    LEFT JOIN rc_epci_names e ON e.key = l.epci_key
    LEFT JOIN rc_area_names a ON a.key = l.collectivite_key
    -- By code alone (rc_code_keys): a SIREN leads to a commune or an EPCI, an INSEE code to a commune.
    LEFT JOIN rc_code_keys sk ON sk.code = l.siren_target
    LEFT JOIN rc_code_keys ik ON ik.code = l.insee_target
    LEFT JOIN core_cog__departements d
        ON l.declared_type IN ('departement', 'absent')
       AND d.code_departement = coalesce(l.declared_area_code,
                                         CASE WHEN l.declared_type = 'departement' AND len(l.departements) = 1
                                              THEN l.departements[1] END)
    LEFT JOIN core_cog__regions g ON l.declared_type = 'region' AND g.code_region = l.declared_area_code
)
SELECT * EXCLUDE ({raw_exact}, {raw_short}, epci_entries),
       {preferred},
       {epci_lists}
FROM looked_up
"""

# Where a commune name is looked for: all of France, the declared département, the declared
# (or INSEE-field) postal code, the département of that postal code.
_CONTEXT_FILTERS = {
    "france": "true",
    "departement": "list_has_any(x.departements, l.departements)",
    "code_postal": "list_contains(x.codes_postaux, l.postal_code_used)",
    "departement_postal": "list_has_any(x.departements, l.departements_postaux)",
}


def _candidate_lists(prefix: str, names: str) -> str:
    """One list of commune codes per context, and the codes this name leads to only as a name
    long out of use (`_outdated`, nearly always NULL)."""
    lists = [
        f"{names}.codes AS {prefix}_matches_france_any",
        *(
            f"{codes_where(names + '.entries', condition)} AS {prefix}_matches_{context}_any"
            for context, condition in _CONTEXT_FILTERS.items()
            if context != "france"
        ),
        f"{names}.outdated_codes AS {prefix}_matches_outdated",
    ]
    return ",\n           ".join(lists)


def _source_lists(prefix: str, names: str) -> str:
    """The communes this name leads to as a former name, and as an arrondissement's."""
    return f"{names}.old_codes AS {prefix}old_codes, {names}.arrondissement_codes AS {prefix}arrondissement_codes"


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
    _EVIDENCE.replace("{exact_lists}", _candidate_lists("name", "n"))
    .replace("{exact_sources}", _source_lists("", "n"))
    .replace("{short_lists}", _candidate_lists("short_name", "sn"))
    .replace("{short_sources}", _source_lists("short_", "sn"))
    .replace("{preferred}", _preferred("name") + ",\n       " + _preferred("short_name"))
    .replace("{raw_exact}", _raw_lists("name"))
    .replace("{raw_short}", _raw_lists("short_name"))
    .replace(
        "{epci_lists}",
        f"{codes_where('epci_entries', 'true')} AS epci_matches_france, "
        f"{codes_where('epci_entries', 'list_has_any(x.departements, departements)')} AS epci_matches_departement",
    )
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
-- What no path reads is left out of the table (the lists per context are read through
-- `*_candidates`, the similarities through `*_agrees`).
SELECT * EXCLUDE (name_key, known_name, postal_code_from_insee, {{unread_lists}},
                  epci_matches_departement, siren_name_similarity, insee_name_similarity),
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
""".replace(
    "{unread_lists}",
    ", ".join(
        f"{prefix}_matches_{context}"
        for prefix in ("name", "short_name")
        for context in _CONTEXT_FILTERS
        if context != "france"
    ),
)


def gather_evidence(con: duckdb.DuckDBPyConnection) -> None:
    """Create `rc_evidence` from `rc_rows` and the rc_* index, and `rc_partial` (the word matches
    the paths try before and after the fuzzy path)."""
    con.execute(_CONTEXT)
    gather_partial(con)
