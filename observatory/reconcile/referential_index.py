"""Lookup tables built once per connection from the loaded referential (core_cog__*).

TEMP tables, so that they never land in the warehouse file and die with the connection:
- `rc_code`: any commune code ever known -> today's commune (`actuel`, `arrondissement`,
  `ancien` for a commune déléguée/associée or a commune that no longer exists);
- `rc_key`: every name key -> collectivité, with how the name leads there (`actuel`,
  `variante`, `arrondissement`, `ancien`), its départements and postal codes;
- `rc_siren`: SIREN -> commune or EPCI (départements and régions have none in the COG);
- `rc_collectivite`: what is published about a matched collectivité.
The tables single paths read (names by département, words, neighbours) come from path_lookups.py.
"""

from __future__ import annotations

import duckdb

from observatory.reconcile.key_lists import KEY_LIST_TABLES, build_key_lists
from observatory.reconcile.normalize import register_macros
from observatory.reconcile.path_lookups import build_path_lookups
from observatory.reconcile.spellings import build_spellings
from observatory.siren_sql import install_macros as install_siren_macros

INDEX_TABLES = (
    "rc_code",
    "rc_key",
    "rc_key_departement",
    "rc_siren",
    "rc_postal",
    "rc_collectivite",
    "rc_neighbour",
    "rc_words",
    *KEY_LIST_TABLES,
    "rc_official_key",
    "rc_known_key",
    "rc_commune_key",
    "rc_spelling",
)

# A current official name beats a name another commune stopped bearing before this year
# ("BEAUMONT" in the Puy-de-Dôme is today's Beaumont, not Beaumont-lès-Randan, called
# Beaumont until 1961). 2010 is the year of the law (loi RCT of 16 December 2010) that
# created the communes nouvelles: the mergers since then (most in 2015-2019) left old names
# that are still on addresses, signs and spreadsheets, so they keep their full weight. A
# former name with no end date (communes déléguées and associées) is still in use too.
OLD_NAME_CUTOFF_YEAR = 2010
_SIGNATURE_TABLE = "rc_index_signature"

_CODES = """
CREATE OR REPLACE TEMP TABLE rc_code AS
WITH actuelles AS (
    SELECT code_insee FROM core_cog__communes WHERE type_commune = 'commune_actuelle'
), every_code AS (
    SELECT code_insee AS code, code_insee, 'actuel' AS kind, 1 AS rank FROM actuelles
    UNION ALL
    SELECT code_insee, code_commune_parente, 'arrondissement', 2
    FROM core_cog__communes WHERE type_commune = 'arrondissement_municipal'
    UNION ALL
    SELECT code_insee, code_commune_parente, 'ancien', 3
    FROM core_cog__communes WHERE type_commune IN ('commune_deleguee', 'commune_associee')
    UNION ALL
    SELECT code_ancien, code_insee_actuel, 'ancien', 4 FROM core_cog__communes_historiques
)
-- A code that is still a current commune leads to it, whatever its history says.
SELECT code, arg_min(code_insee, rank) AS code_insee, arg_min(kind, rank) AS kind
FROM every_code
WHERE code_insee IN (SELECT code_insee FROM actuelles)
GROUP BY code
"""

_POSTAL = """
CREATE OR REPLACE TEMP TABLE rc_postal AS
SELECT DISTINCT unnest(string_split(codes_postaux, '|')) AS code_postal, code_insee
FROM core_cog__communes
WHERE type_commune = 'commune_actuelle' AND coalesce(codes_postaux, '') <> ''
"""

_SIREN = """
CREATE OR REPLACE TEMP TABLE rc_siren AS
SELECT siren, 'commune' AS type_collectivite, code_insee AS code
FROM core_cog__communes WHERE type_commune = 'commune_actuelle' AND siren IS NOT NULL
UNION ALL
SELECT siren, 'epci', siren FROM core_cog__epci
"""

_COLLECTIVITES = """
CREATE OR REPLACE TEMP TABLE rc_collectivite AS
SELECT 'commune' AS type_collectivite, code_insee AS code, nom, siren, code_departement,
       [code_departement] AS departements,
       coalesce(string_split(nullif(codes_postaux, ''), '|'), []::VARCHAR[]) AS codes_postaux
FROM core_cog__communes WHERE type_commune = 'commune_actuelle'
UNION ALL
SELECT 'epci', e.siren, e.nom, e.siren, NULL,
       coalesce((SELECT list(DISTINCT c.code_departement ORDER BY c.code_departement)
                 FROM core_cog__epci_membres m
                 JOIN core_cog__communes c ON c.code_insee = m.code_insee AND c.type_commune = 'commune_actuelle'
                 WHERE m.siren_epci = e.siren), []::VARCHAR[]),
       []::VARCHAR[]
FROM core_cog__epci e
UNION ALL
SELECT 'departement', code_departement, nom, NULL, code_departement, [code_departement], []::VARCHAR[]
FROM core_cog__departements
UNION ALL
SELECT 'region', r.code_region, r.nom, NULL, NULL,
       coalesce((SELECT list(d.code_departement ORDER BY d.code_departement) FROM core_cog__departements d
                 WHERE d.code_region = r.code_region), []::VARCHAR[]),
       []::VARCHAR[]
FROM core_cog__regions r
"""

# Name keys per family. Communes: current names, the same without a parenthesised
# qualifier ("Bors (Canton de Montmoreau-Saint-Cybard)" -> "bors", shared with its homonym,
# hence ambiguous, as it should be), arrondissements, délégué/associé and former names.
# EPCI: the sigle-normalised key, with and without a trailing acronym "(COBAS)".
# Every official spelling keyed once (homonyms and names shared by several tables included):
# rc_key below and the spellings declared as the COG writes them (spellings.py) read it.
_OFFICIAL_KEYS = """
CREATE OR REPLACE TEMP TABLE rc_official_key AS
SELECT nom, rc_name_key(nom) AS key
FROM (SELECT DISTINCT nom FROM (
        SELECT nom FROM core_cog__communes UNION ALL SELECT nom_ancien FROM core_cog__communes_historiques
        UNION ALL SELECT nom FROM core_cog__epci UNION ALL SELECT nom FROM core_cog__departements
        UNION ALL SELECT nom FROM core_cog__regions)
      WHERE nom IS NOT NULL)
"""

_KEYS = """
CREATE OR REPLACE TEMP TABLE rc_key AS
WITH communes AS (
    SELECT code_insee, nom FROM core_cog__communes WHERE type_commune = 'commune_actuelle'
), entries AS (
    SELECT 'commune' AS type_collectivite, o.key, code_insee AS code,
           'actuel' AS source, NULL AS departement_ancien, false AS outdated
    FROM communes LEFT JOIN rc_official_key o USING (nom)
    UNION ALL
    SELECT 'commune', rc_name_key(regexp_replace(nom, '\\s*\\([^)]*\\)', '', 'g')), code_insee, 'variante', NULL,
           false
    FROM communes WHERE nom LIKE '%(%'
    UNION ALL
    SELECT 'commune', o.key, code_commune_parente,
           CASE type_commune WHEN 'arrondissement_municipal' THEN 'arrondissement' ELSE 'ancien' END, NULL, false
    FROM core_cog__communes LEFT JOIN rc_official_key o USING (nom)
    WHERE type_commune IN ('arrondissement_municipal', 'commune_deleguee', 'commune_associee')
    UNION ALL
    SELECT 'commune', o.key, code_insee_actuel, 'ancien', code_departement_ancien,
           coalesce(year(date_fin) < {cutoff}, false)
    FROM core_cog__communes_historiques h LEFT JOIN rc_official_key o ON o.nom = h.nom_ancien
    UNION ALL
    SELECT 'epci', rc_epci_key(o.key), siren, 'actuel', NULL, false
    FROM core_cog__epci LEFT JOIN rc_official_key o USING (nom)
    UNION ALL
    SELECT 'epci', rc_epci_key(rc_name_key(regexp_replace(nom, '\\s*\\([^)]*\\)\\s*$', ''))), siren, 'variante', NULL,
           false
    FROM core_cog__epci WHERE nom LIKE '%)'
    UNION ALL
    SELECT 'departement', o.key, code_departement, 'actuel', NULL, false
    FROM core_cog__departements LEFT JOIN rc_official_key o USING (nom)
    UNION ALL
    SELECT 'region', o.key, code_region, 'actuel', NULL, false
    FROM core_cog__regions LEFT JOIN rc_official_key o USING (nom)
), ranked AS (
    SELECT type_collectivite, key, code,
           arg_min(source, CASE source WHEN 'actuel' THEN 1 WHEN 'variante' THEN 2
                                       WHEN 'arrondissement' THEN 3 ELSE 4 END) AS source,
           list(departement_ancien) FILTER (WHERE departement_ancien IS NOT NULL) AS anciens,
           -- Outdated only when every way this name leads to this commune is an old, ended name.
           bool_and(outdated) AS outdated
    FROM entries
    WHERE key <> ''
    -- A current name beats an old one leading to the same commune (Annecy, déléguée of Annecy).
    GROUP BY ALL
), short_keys AS (
    -- A regular-expression chain: run once per commune key, not per commune it leads to.
    SELECT key, rc_short_key(key) AS short_key
    FROM (SELECT DISTINCT key FROM ranked WHERE type_collectivite = 'commune')
)
SELECT r.type_collectivite, r.key, r.code, r.source, r.outdated,
       s.short_key, string_split(s.short_key, ' ') AS words,
       list_distinct(list_concat(c.departements, coalesce(r.anciens, []::VARCHAR[]))) AS departements,
       c.codes_postaux
FROM ranked r
JOIN rc_collectivite c USING (type_collectivite, code)
LEFT JOIN short_keys s ON r.type_collectivite = 'commune' AND s.key = r.key
""".replace("{cutoff}", str(OLD_NAME_CUTOFF_YEAR))


def _signature(con: duckdb.DuckDBPyConnection) -> str:
    """Row counts of the referential: a reload with other content rebuilds the index."""
    counts = con.execute(
        """SELECT (SELECT count(*) FROM core_cog__communes) || '/' || (SELECT count(*) FROM core_cog__epci)
                  || '/' || (SELECT count(*) FROM core_cog__communes_historiques)
                  || '/' || (SELECT count(*) FROM core_cog__departements)"""
    ).fetchall()
    return counts[0][0]


def ensure_index(con: duckdb.DuckDBPyConnection, *, rebuild: bool = False) -> None:
    """Build the rc_* lookup tables, and the macros the engine calls, unless this connection already
    holds them for this referential."""
    signature = _signature(con)
    if not rebuild:
        try:
            current = con.execute(f"SELECT signature FROM {_SIGNATURE_TABLE}").fetchall()
        except duckdb.CatalogException:
            current = []
        if current and current[0][0] == signature:
            return
    # Temp macros live as long as the connection, like the tables: created again on every call, they
    # cost 12 ms, 2 % of a 34,000-row call.
    register_macros(con)
    install_siren_macros(con)
    for statement in (
        _CODES,
        _POSTAL,
        _SIREN,
        _COLLECTIVITES,
        _OFFICIAL_KEYS,
        _KEYS,
    ):
        con.execute(statement)
    build_path_lookups(con)
    build_key_lists(con)
    build_spellings(con)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {_SIGNATURE_TABLE} AS SELECT ? AS signature", [signature])
