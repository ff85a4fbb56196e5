"""The paths that decide a row by its name, in the order they are tried: NAME_PATHS before
the fuzzy path (fuzzy.py), LAST_PATHS after it (engine.py lists the whole order).

A name borne by several collectivités in its context is `ambigu`, never guessed.
"""

from __future__ import annotations

from observatory.reconcile.path_cascade import Lookup, MatchingPath, matched, matched_when

# The word matches of the row (evidence.py), when it has some.
_PARTIAL = Lookup("pt", "LEFT JOIN rc_partial pt ON pt.row_id = p.row_id")

_COMMUNE_TYPES = "p.declared_type IN ('commune', 'absent')"


def _name_anomaly(target: str, prefix: str = "") -> str:
    return (
        f"CASE WHEN list_contains(p.{prefix}old_codes, {target}) THEN 'ancien_nom' "
        f"WHEN list_contains(p.{prefix}arrondissement_codes, {target}) THEN 'arrondissement_municipal' END"
    )


# A looser match (second key, word prefix or subset, fuzzy) is not taken when the declared name
# is exactly the name of some commune elsewhere: the context and the name then contradict
# each other, and the row lists them all.
_NAME_ELSEWHERE = "p.name_matches_france IS NOT NULL"
# A word match in the département is taken when it is the only one, no commune elsewhere
# bears the declared name exactly, and a declared postal code is the commune's own.
_PARTIAL_TAKEN = (
    "len(pt.partial_in_postal_code) IS NULL AND len(pt.partial_in_departement) = 1 "
    f"AND NOT {_NAME_ELSEWHERE} "
    "AND (p.postal_code_used IS NULL OR list_contains(wt.codes_postaux, p.postal_code_used))"
)


# Score of a word match: how close the declared name is to the official one (1 is exact).
def _name_similarity(commune: str) -> str:
    return f"round(jaro_winkler_similarity(p.lookup_key, rc_name_key({commune}.nom)), 4)"


# The second key is taken when it designates one commune, in a context other than the postal code's
# département (a match found only there contradicts that postal code), and no commune elsewhere
# bears the declared name exactly.
_SHORT_NAME_TAKEN = (
    f"len(p.short_name_candidates) = 1 AND p.short_name_context <> 'code_postal_departement' AND NOT {_NAME_ELSEWHERE}"
)

_CONTEXT_CONFLICT = "CASE WHEN p.departements IS NOT NULL THEN 'conflit_departement' ELSE 'code_postal_incoherent' END"


NAME_PATHS = (
    # Name in its context: declared département, postal code, département of the postal
    # code, or all of France when neither is declared; current and former names together.
    MatchingPath(
        "nom",
        f"{_COMMUNE_TYPES} AND p.name_context IS NOT NULL",
        **matched_when("len(p.name_candidates) = 1", type_="'commune'", code="p.name_commune"),
        methode="""CASE WHEN len(p.name_candidates) = 1 AND list_contains(p.old_codes, p.name_commune)
                THEN 'ancien_nom'
                        WHEN p.name_context = 'code_postal_departement' THEN 'code_postal_nom'
                        ELSE p.name_context END""",
        candidats="CASE WHEN len(p.name_candidates) > 1 THEN p.name_candidates END",
        anomalies=f"""[{_name_anomaly("p.name_commune")},
                       CASE WHEN p.name_context = 'code_postal_departement' THEN 'code_postal_incoherent' END]""",
    ),
    # A name borne by one commune in all of France, declared with the postal code of a
    # neighbouring département (La Poste serves some communes from the next département's
    # office): taken, and assemble.py flags `code_postal_incoherent`; before the looser keys.
    MatchingPath(
        "nom_seul_code_postal_voisin",
        f"""{_COMMUNE_TYPES} AND p.name_context IS NULL AND p.departements IS NULL AND p.postal_code_used
                IS NOT NULL
            AND len(p.name_matches_france) = 1""",
        **matched(),
        methode="'nom_seul'",
        type_="'commune'",
        code="p.name_matches_france[1]",
        anomalies=f"[{_name_anomaly('p.name_matches_france[1]')}]",
        # The neighbour test as a join over the few rows it can concern: a subquery in the
        # cascade would be run for every row.
        lookups=(
            Lookup(
                "nv",
                """LEFT JOIN (
                    SELECT DISTINCT e.row_id
                    FROM (SELECT row_id, name_matches_france[1] AS code, unnest(departements_postaux) AS a
                          FROM rc_evidence
                          WHERE len(name_matches_france) = 1 AND departements IS NULL
                            AND postal_code_used IS NOT NULL AND name_context IS NULL) e
                    JOIN (SELECT code, unnest(departements) AS b FROM rc_collectivite
                          WHERE type_collectivite = 'commune') c USING (code)
                    JOIN rc_neighbour nb ON nb.a = e.a AND nb.b = c.b
                ) nv ON nv.row_id = p.row_id""",
            ),
        ),
        requires="nv.row_id IS NOT NULL",
    ),
    # Second key (no little words, no articles), in the same contexts; a match found only in
    # the département of the postal code contradicts that postal code, and is not taken.
    MatchingPath(
        "nom_sans_mots_outils",
        f"{_COMMUNE_TYPES} AND p.name_context IS NULL AND p.short_name_context IS NOT NULL",
        **matched_when(_SHORT_NAME_TAKEN, type_="'commune'", code="p.short_name_commune"),
        methode="'nom_sans_mots_outils'",
        candidats=f"""CASE WHEN NOT ({_SHORT_NAME_TAKEN})
                           THEN list_distinct(p.short_name_candidates || coalesce(p.name_matches_france, [])) END""",
        anomalies=f"""[{_name_anomaly("p.short_name_commune", "short_")},
                       CASE WHEN p.short_name_context = 'code_postal_departement' THEN 'code_postal_incoherent'
                            WHEN {_NAME_ELSEWHERE} THEN {_CONTEXT_CONFLICT} END]""",
    ),
    # One commune of the declared postal code whose name starts with, extends, holds or is
    # held by the declared words.
    MatchingPath(
        "nom_partiel_code_postal",
        f"{_COMMUNE_TYPES} AND len(pt.partial_in_postal_code) = 1",
        **matched_when(
            f"NOT {_NAME_ELSEWHERE}",
            type_="'commune'",
            code="pt.partial_in_postal_code[1]",
            score=_name_similarity("ct"),
        ),
        methode="'nom_partiel'",
        candidats=f"CASE WHEN {_NAME_ELSEWHERE} "
        "THEN list_distinct(pt.partial_in_postal_code || p.name_matches_france) END",
        anomalies=f"['nom_partiel', CASE WHEN {_NAME_ELSEWHERE} THEN {_CONTEXT_CONFLICT} END]",
        lookups=(
            _PARTIAL,
            Lookup(
                "ct",
                "LEFT JOIN rc_commune ct ON ct.code = pt.partial_in_postal_code[1]",
            ),
        ),
        requires="pt.row_id IS NOT NULL AND ct.code IS NOT NULL",
    ),
    MatchingPath(
        "nom_epci",
        "p.declared_type IN ('epci', 'absent') AND len(p.epci_candidates) > 0",
        **matched_when("len(p.epci_candidates) = 1", type_="'epci'", code="p.name_epci"),
        methode="'nom_epci'",
        candidats="CASE WHEN len(p.epci_candidates) > 1 THEN p.epci_candidates END",
    ),
    MatchingPath(
        "nom_departement_region",
        """(p.declared_type IN ('departement', 'absent') AND (len(p.named_departements) > 0
               OR p.departement_in_name IN (SELECT code_departement FROM core_cog__departements)))
           OR (p.declared_type = 'region' AND len(p.named_regions) > 0)""",
        statut="""CASE WHEN p.declared_type = 'region' AND len(p.named_regions) > 1 THEN 'ambigu'
                       WHEN p.declared_type <> 'region' AND len(p.named_departements) > 1 THEN 'ambigu'
                       ELSE 'rapproche' END""",
        methode="CASE WHEN p.departement_in_name IS NOT NULL THEN 'code' ELSE 'nom' END",
        score="1",
        type_="CASE WHEN p.declared_type = 'region' THEN 'region' ELSE 'departement' END",
        code="""CASE WHEN p.declared_type = 'region' THEN CASE WHEN len(p.named_regions) = 1 THEN
                p.named_regions[1] END
                     ELSE coalesce(p.departement_in_name,
                                   CASE WHEN len(p.named_departements) = 1 THEN p.named_departements[1] END) END""",
        candidats="CASE WHEN p.declared_type = 'region' AND len(p.named_regions) > 1 THEN p.named_regions "
        "WHEN p.declared_type <> 'region' AND len(p.named_departements) > 1 THEN p.named_departements END",
    ),
)

# After the fuzzy path: exact names under another declared type, then exact names found
# only outside the declared département or postal code, which are not guessed either.
LAST_PATHS = (
    MatchingPath(
        "nom_autre_type",
        """(p.declared_type = 'commune'
               AND (len(p.epci_matches_france) = 1 OR len(p.named_departements) = 1 OR len(p.named_regions) = 1))
           OR (p.declared_type IN ('epci', 'departement', 'region') AND p.name_commune IS NOT NULL)""",
        **matched(),
        methode="""CASE WHEN p.declared_type <> 'commune' THEN coalesce(p.name_context, 'nom_seul')
                        WHEN len(p.epci_matches_france) = 1 THEN 'nom_epci' ELSE 'nom' END""",
        type_="""CASE WHEN p.declared_type <> 'commune' THEN 'commune' WHEN len(p.epci_matches_france) =
                1 THEN 'epci'
                      WHEN len(p.named_departements) = 1 THEN 'departement' ELSE 'region' END""",
        code="""CASE WHEN p.declared_type <> 'commune' THEN p.name_commune
                     WHEN len(p.epci_matches_france) = 1 THEN p.epci_matches_france[1]
                     WHEN len(p.named_departements) = 1 THEN p.named_departements[1] ELSE p.named_regions[1] END""",
        anomalies=f"[CASE WHEN p.declared_type <> 'commune' THEN {_name_anomaly('p.name_commune')} END]",
    ),
    # After the fuzzy path, the weaker word matches: several communes of the postal code, or
    # the département's communes (one is taken only if it agrees with a declared postal code).
    MatchingPath(
        "nom_partiel",
        f"{_COMMUNE_TYPES} AND (len(pt.partial_in_postal_code) > 1 OR len(pt.partial_in_departement) > 0)",
        **matched_when(
            _PARTIAL_TAKEN, type_="'commune'", code="pt.partial_in_departement[1]", score=_name_similarity("wt")
        ),
        methode="'nom_partiel'",
        candidats=f"""CASE WHEN NOT ({_PARTIAL_TAKEN})
                           THEN list_distinct(coalesce(pt.partial_in_postal_code, pt.partial_in_departement)
                                              || coalesce(p.name_matches_france, []))
                      END""",
        anomalies=f"""['nom_partiel',
                       CASE WHEN {_NAME_ELSEWHERE} THEN {_CONTEXT_CONFLICT}
                            WHEN len(pt.partial_in_postal_code) IS NULL AND p.postal_code_used IS NOT NULL
                                 AND NOT list_contains(wt.codes_postaux, p.postal_code_used)
                            THEN 'code_postal_incoherent' END]""",
        lookups=(
            _PARTIAL,
            Lookup(
                "wt",
                "LEFT JOIN rc_commune wt ON "
                "wt.code = coalesce(pt.partial_in_postal_code[1], pt.partial_in_departement[1])",
            ),
        ),
        requires="pt.row_id IS NOT NULL",
    ),
    MatchingPath(
        "nom_hors_contexte",
        f"({_COMMUNE_TYPES} AND (len(p.name_matches_france) > 0 OR len(p.short_name_matches_france) > 0)) "
        "OR (p.declared_type = 'epci' AND len(p.epci_matches_france) > 0)",
        statut="'ambigu'",
        methode="CASE WHEN p.declared_type = 'epci' THEN 'nom_epci' ELSE 'nom_seul' END",
        candidats="CASE WHEN p.declared_type = 'epci' THEN p.epci_matches_france "
        "ELSE coalesce(p.name_matches_france, p.short_name_matches_france) END",
        anomalies="""[CASE WHEN p.departements IS NOT NULL THEN 'conflit_departement'
                           ELSE 'code_postal_incoherent' END]""",
    ),
    MatchingPath("non_trouve", "true", statut="'non_trouve'", methode="NULL"),
)
