"""The exact paths, in the order they are tried; each claims the rows it can decide.

Every path is one SELECT over `pending` (the rows of `rc_evidence` no earlier path has
claimed) returning `rc_decision` rows: (row_id, statut, methode, score, type_collectivite,
code, candidats, anomalies). The engine runs them in this order, the fuzzy path (fuzzy.py)
between NAME_PATHS and LAST_PATHS. Rules that precision imposes:
- a code is taken when the declared name agrees with it or is absent; when two codes
  agree with each other, they win over a name that disagrees;
- when codes and name designate different collectivités, the row is `ambigu` with all of
  them as candidates, unless the name settles it (it designates one of the codes' targets,
  or the INSEE field turns out to hold the postal code of the commune the name designates);
- a name borne by several collectivités in its context is `ambigu`, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MatchingPath:
    """One way of deciding a row (its name, as in `methode_rapprochement` where it has one)
    and the SELECT that decides the pending rows it applies to."""

    name: str
    sql: str


def _select(
    where: str,
    *,
    statut: str,
    methode: str,
    type_: str = "NULL",
    code: str = "NULL",
    score: str = "NULL",
    candidats: str = "NULL",
    anomalies: str = "[]",
    joins: str = "",
) -> str:
    return f"""
        SELECT p.row_id, {statut} AS statut, {methode} AS methode, CAST({score} AS DOUBLE) AS score,
               {type_} AS type_collectivite, {code} AS code,
               CAST({candidats} AS VARCHAR[]) AS candidats,
               list_filter(CAST({anomalies} AS VARCHAR[]), lambda a: a IS NOT NULL) AS anomalies
        FROM pending p {joins}
        WHERE {where}
    """


_COMMUNE_TYPES = "p.declared_type IN ('commune', 'absent')"
_CODE_ANOMALY = (
    "CASE p.insee_code_kind WHEN 'ancien' THEN 'ancien_code' WHEN 'arrondissement' THEN 'arrondissement_municipal' END"
)


# In the conflict path (joined to `t`, the commune the name designates): the name settles it.
_SETTLED = (
    "coalesce(p.name_commune IS NOT NULL "
    "AND (p.name_commune = p.siren_target OR p.name_commune = p.insee_target "
    "OR (p.siren_target IS NULL AND list_contains(t.codes_postaux, p.declared_insee))), false)"
)


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
    "AND (p.postal_code_used IS NULL OR list_contains(t.codes_postaux, p.postal_code_used))"
)
# Score of a word match: how close the declared name is to the official one (1 is exact).
_NAME_SIMILARITY = "round(jaro_winkler_similarity(p.lookup_key, rc_name_key(t.nom)), 4)"
_CONTEXT_CONFLICT = "CASE WHEN p.departements IS NOT NULL THEN 'conflit_departement' ELSE 'code_postal_incoherent' END"


def _matched(score: str = "1") -> dict:
    return {"statut": "'rapproche'", "score": score}


REVIEWED_PATHS = (
    MatchingPath(
        "decision_revue",
        _select(
            "true",
            **_matched(),
            methode="'decision_revue'",
            type_="m.type_collectivite",
            code="m.code",
            joins="JOIN rc_mapping_hits m USING (row_id)",
        ),
    ),
    MatchingPath(
        "exclusion",
        _select(
            "true", statut="'hors_referentiel'", methode="'exclusion'", joins="JOIN rc_exclusion_hits x USING (row_id)"
        ),
    ),
)

CODE_PATHS = (
    MatchingPath(
        "type_adherent",
        _select(
            "p.declared_type IN ('inconnu', 'syndicat', 'autre')",
            statut="CASE p.declared_type WHEN 'inconnu' THEN 'invalide' ELSE 'hors_referentiel' END",
            methode="'type_adherent'",
        ),
    ),
    MatchingPath(
        "rien_a_rapprocher",
        _select(
            "p.lookup_key IS NULL AND p.valid_siren IS NULL AND p.declared_insee IS NULL AND "
            "p.declared_area_code IS NULL "
            "AND NOT (p.declared_type = 'departement' AND p.departements IS NOT NULL)",
            statut="'invalide'",
            methode="'rien_a_rapprocher'",
        ),
    ),
    # SIREN and INSEE code designate the same commune: two independent codes beat a name.
    MatchingPath(
        "siren_et_code",
        _select(
            "p.siren_type = 'commune' AND p.siren_target = p.insee_target",
            **_matched(),
            methode="'siren'",
            type_="'commune'",
            code="p.siren_target",
            anomalies=f"[CASE WHEN NOT p.siren_name_agrees THEN 'conflit_code_nom' END, {_CODE_ANOMALY}]",
        ),
    ),
    MatchingPath(
        "siren",
        _select(
            "p.siren_target IS NOT NULL AND p.siren_name_agrees AND p.insee_target IS NULL",
            **_matched(),
            methode="'siren'",
            type_="p.siren_type",
            code="p.siren_target",
        ),
    ),
    MatchingPath(
        "code_insee",
        _select(
            "p.insee_target IS NOT NULL AND p.insee_name_agrees AND p.siren_target IS NULL",
            **_matched(),
            methode="'code_insee'",
            type_="'commune'",
            code="p.insee_target",
            anomalies=f"[{_CODE_ANOMALY}]",
        ),
    ),
    # Département or région by code, unless the name designates exactly another one.
    MatchingPath(
        "code_departement",
        _select(
            "p.departement_by_code IS NOT NULL "
            "AND coalesce(p.departement_in_name, p.departement_by_code) = p.departement_by_code "
            "AND NOT coalesce(len(p.named_departements) = 1 AND p.named_departements[1] <> "
            "p.departement_by_code, false)",
            **_matched(),
            methode="'code'",
            type_="'departement'",
            code="p.departement_by_code",
        ),
    ),
    MatchingPath(
        "code_region",
        _select(
            "p.region_by_code IS NOT NULL "
            "AND NOT coalesce(len(p.named_regions) = 1 AND p.named_regions[1] <> p.region_by_code, false)",
            **_matched(),
            methode="'code'",
            type_="'region'",
            code="p.region_by_code",
        ),
    ),
    # Codes and name disagree. The name settles it when it designates one of the codes'
    # targets, or the commune whose postal code was typed in the INSEE field.
    MatchingPath(
        "conflit",
        _select(
            "p.siren_target IS NOT NULL OR p.insee_target IS NOT NULL "
            "OR p.departement_by_code IS NOT NULL OR p.region_by_code IS NOT NULL",
            statut=f"CASE WHEN {_SETTLED} THEN 'rapproche' ELSE 'ambigu' END",
            methode=f"""CASE WHEN NOT {_SETTLED} THEN 'conflit' WHEN p.name_commune = p.siren_target THEN 'siren'
                         WHEN p.name_commune = p.insee_target THEN 'code_insee' ELSE 'code_postal_nom' END""",
            score=f"CASE WHEN {_SETTLED} THEN 1 END",
            type_=f"CASE WHEN {_SETTLED} THEN 'commune' END",
            code=f"CASE WHEN {_SETTLED} THEN p.name_commune END",
            candidats="""list_distinct(list_filter(
                        [p.siren_target, p.insee_target, p.departement_by_code, p.region_by_code, p.departement_in_name]
                        || coalesce(p.name_candidates, []) || coalesce(p.named_departements, [])
                        || coalesce(p.named_regions, []),
                        lambda x: x IS NOT NULL))""",
            anomalies=f"""[CASE WHEN list_contains(t.codes_postaux, p.declared_insee) THEN 'code_postal_pour_insee'
                           WHEN p.siren_target IS NOT NULL AND p.insee_target IS NOT NULL THEN 'conflit_siren_code'
                           ELSE 'conflit_code_nom' END,
                       CASE WHEN p.name_commune = p.insee_target THEN {_CODE_ANOMALY} END]""",
            joins="LEFT JOIN rc_collectivite t ON t.type_collectivite = 'commune' AND t.code = p.name_commune",
        ),
    ),
)

NAME_PATHS = (
    # Name in its context: declared département, postal code, département of the postal
    # code, or all of France when neither is declared; current and former names together.
    MatchingPath(
        "nom",
        _select(
            f"{_COMMUNE_TYPES} AND p.name_context IS NOT NULL",
            statut="CASE WHEN len(p.name_candidates) = 1 THEN 'rapproche' ELSE 'ambigu' END",
            methode="""CASE WHEN len(p.name_candidates) = 1 AND list_contains(p.old_codes, p.name_commune)
                THEN 'ancien_nom'
                        WHEN p.name_context = 'code_postal_departement' THEN 'code_postal_nom'
                        ELSE p.name_context END""",
            score="CASE WHEN len(p.name_candidates) = 1 THEN 1 END",
            type_="CASE WHEN len(p.name_candidates) = 1 THEN 'commune' END",
            code="p.name_commune",
            candidats="CASE WHEN len(p.name_candidates) > 1 THEN p.name_candidates END",
            anomalies=f"""[{_name_anomaly("p.name_commune")},
                       CASE WHEN p.name_context = 'code_postal_departement' THEN 'code_postal_incoherent' END]""",
        ),
    ),
    # A name borne by one commune in all of France, declared with the postal code of a
    # neighbouring département (La Poste serves some communes from the next département's
    # office): taken, and assemble.py flags `code_postal_incoherent`; before the looser keys.
    MatchingPath(
        "nom_seul_code_postal_voisin",
        _select(
            f"""{_COMMUNE_TYPES} AND p.name_context IS NULL AND p.departements IS NULL AND p.postal_code_used
                IS NOT NULL
            AND len(p.name_matches_france) = 1
            AND EXISTS (SELECT 1 FROM rc_neighbour nb
                        WHERE list_contains(p.departements_postaux, nb.a) AND list_contains(t.departements, nb.b))""",
            **_matched(),
            methode="'nom_seul'",
            type_="'commune'",
            code="p.name_matches_france[1]",
            anomalies=f"[{_name_anomaly('p.name_matches_france[1]')}]",
            joins="JOIN rc_collectivite t ON t.type_collectivite = 'commune' AND t.code = p.name_matches_france[1]",
        ),
    ),
    # Second key (no little words, no articles), in the same contexts; a match found only in
    # the département of the postal code contradicts that postal code, and is not taken.
    MatchingPath(
        "nom_sans_mots_outils",
        _select(
            f"{_COMMUNE_TYPES} AND p.name_context IS NULL AND p.short_name_context IS NOT NULL",
            statut=f"""CASE WHEN len(p.short_name_candidates) = 1 AND p.short_name_context <> 'code_postal_departement'
                             AND NOT {_NAME_ELSEWHERE} THEN 'rapproche' ELSE 'ambigu' END""",
            methode="'nom_sans_mots_outils'",
            score=f"""CASE WHEN len(p.short_name_candidates) = 1 AND p.short_name_context <> 'code_postal_departement'
                            AND NOT {_NAME_ELSEWHERE} THEN 1 END""",
            type_=f"""CASE WHEN len(p.short_name_candidates) = 1 AND p.short_name_context <> 'code_postal_departement'
                            AND NOT {_NAME_ELSEWHERE} THEN 'commune' END""",
            code=f"""CASE WHEN len(p.short_name_candidates) = 1 AND p.short_name_context <> 'code_postal_departement'
                           AND NOT {_NAME_ELSEWHERE} THEN p.short_name_commune END""",
            candidats=f"""CASE WHEN len(p.short_name_candidates) > 1 OR p.short_name_context = 'code_postal_departement'
                                OR {_NAME_ELSEWHERE}
                           THEN list_distinct(p.short_name_candidates || coalesce(p.name_matches_france, [])) END""",
            anomalies=f"""[{_name_anomaly("p.short_name_commune", "short_")},
                       CASE WHEN p.short_name_context = 'code_postal_departement' THEN 'code_postal_incoherent'
                            WHEN {_NAME_ELSEWHERE} THEN {_CONTEXT_CONFLICT} END]""",
        ),
    ),
    # One commune of the declared postal code whose name starts with, extends, holds or is
    # held by the declared words.
    MatchingPath(
        "nom_partiel_code_postal",
        _select(
            f"{_COMMUNE_TYPES} AND len(pt.partial_in_postal_code) = 1",
            statut=f"CASE WHEN {_NAME_ELSEWHERE} THEN 'ambigu' ELSE 'rapproche' END",
            methode="'nom_partiel'",
            score=f"CASE WHEN NOT {_NAME_ELSEWHERE} THEN {_NAME_SIMILARITY} END",
            type_=f"CASE WHEN NOT {_NAME_ELSEWHERE} THEN 'commune' END",
            code=f"CASE WHEN NOT {_NAME_ELSEWHERE} THEN pt.partial_in_postal_code[1] END",
            candidats=f"CASE WHEN {_NAME_ELSEWHERE} "
            "THEN list_distinct(pt.partial_in_postal_code || p.name_matches_france) END",
            anomalies=f"['nom_partiel', CASE WHEN {_NAME_ELSEWHERE} THEN {_CONTEXT_CONFLICT} END]",
            joins="JOIN rc_partial pt USING (row_id) "
            "JOIN rc_collectivite t ON t.type_collectivite = 'commune' AND t.code = pt.partial_in_postal_code[1]",
        ),
    ),
    MatchingPath(
        "nom_epci",
        _select(
            "p.declared_type IN ('epci', 'absent') AND len(p.epci_candidates) > 0",
            statut="CASE WHEN len(p.epci_candidates) = 1 THEN 'rapproche' ELSE 'ambigu' END",
            methode="'nom_epci'",
            score="CASE WHEN len(p.epci_candidates) = 1 THEN 1 END",
            type_="CASE WHEN len(p.epci_candidates) = 1 THEN 'epci' END",
            code="p.name_epci",
            candidats="CASE WHEN len(p.epci_candidates) > 1 THEN p.epci_candidates END",
        ),
    ),
    MatchingPath(
        "nom_departement_region",
        _select(
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
    ),
)

# After the fuzzy path: exact names under another declared type, then exact names found
# only outside the declared département or postal code, which are not guessed either.
LAST_PATHS = (
    MatchingPath(
        "nom_autre_type",
        _select(
            """(p.declared_type = 'commune'
               AND (len(p.epci_matches_france) = 1 OR len(p.named_departements) = 1 OR len(p.named_regions) = 1))
           OR (p.declared_type IN ('epci', 'departement', 'region') AND p.name_commune IS NOT NULL)""",
            **_matched(),
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
    ),
    # After the fuzzy path, the weaker word matches: several communes of the postal code, or
    # the département's communes (one is taken only if it agrees with a declared postal code).
    MatchingPath(
        "nom_partiel",
        _select(
            f"{_COMMUNE_TYPES} AND (len(pt.partial_in_postal_code) > 1 OR len(pt.partial_in_departement) > 0)",
            statut=f"CASE WHEN {_PARTIAL_TAKEN} THEN 'rapproche' ELSE 'ambigu' END",
            methode="'nom_partiel'",
            score=f"CASE WHEN {_PARTIAL_TAKEN} THEN {_NAME_SIMILARITY} END",
            type_=f"CASE WHEN {_PARTIAL_TAKEN} THEN 'commune' END",
            code=f"CASE WHEN {_PARTIAL_TAKEN} THEN pt.partial_in_departement[1] END",
            candidats=f"""CASE WHEN NOT ({_PARTIAL_TAKEN})
                           THEN list_distinct(coalesce(pt.partial_in_postal_code, pt.partial_in_departement)
                                              || coalesce(p.name_matches_france, []))
                      END""",
            anomalies=f"""['nom_partiel',
                       CASE WHEN {_NAME_ELSEWHERE} THEN {_CONTEXT_CONFLICT}
                            WHEN len(pt.partial_in_postal_code) IS NULL AND p.postal_code_used IS NOT NULL
                                 AND NOT list_contains(t.codes_postaux, p.postal_code_used)
                            THEN 'code_postal_incoherent' END]""",
            joins="JOIN rc_partial pt USING (row_id) "
            "LEFT JOIN rc_collectivite t ON t.type_collectivite = 'commune' "
            "AND t.code = coalesce(pt.partial_in_postal_code[1], pt.partial_in_departement[1])",
        ),
    ),
    MatchingPath(
        "nom_hors_contexte",
        _select(
            f"({_COMMUNE_TYPES} AND (len(p.name_matches_france) > 0 OR len(p.short_name_matches_france) > 0)) "
            "OR (p.declared_type = 'epci' AND len(p.epci_matches_france) > 0)",
            statut="'ambigu'",
            methode="CASE WHEN p.declared_type = 'epci' THEN 'nom_epci' ELSE 'nom_seul' END",
            candidats="CASE WHEN p.declared_type = 'epci' THEN p.epci_matches_france "
            "ELSE coalesce(p.name_matches_france, p.short_name_matches_france) END",
            anomalies="""[CASE WHEN p.departements IS NOT NULL THEN 'conflit_departement'
                           ELSE 'code_postal_incoherent' END]""",
        ),
    ),
    MatchingPath("non_trouve", _select("true", statut="'non_trouve'", methode="NULL")),
)
