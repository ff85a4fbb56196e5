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
class Path:
    name: str
    sql: str


def _select(where: str, *, statut: str, methode: str, type_: str = "NULL", code: str = "NULL",
            score: str = "NULL", candidats: str = "NULL", anomalies: str = "[]", joins: str = "") -> str:
    return f"""
        SELECT p.row_id, {statut} AS statut, {methode} AS methode, CAST({score} AS DOUBLE) AS score,
               {type_} AS type_collectivite, {code} AS code,
               CAST({candidats} AS VARCHAR[]) AS candidats,
               list_filter(CAST({anomalies} AS VARCHAR[]), lambda a: a IS NOT NULL) AS anomalies
        FROM pending p {joins}
        WHERE {where}
    """


_COMMUNE_TYPES = "p.type_norm IN ('commune', 'absent')"
_CODE_ANOMALY = ("CASE p.c_kind WHEN 'ancien' THEN 'ancien_code' "
                 "WHEN 'arrondissement' THEN 'arrondissement_municipal' END")


# In the conflict path (joined to `t`, the commune the name designates): the name settles it.
_SETTLED = ("coalesce(p.alt IS NOT NULL AND (p.alt = p.s_code OR p.alt = p.c_code "
            "OR (p.s_code IS NULL AND list_contains(t.codes_postaux, p.insee5))), false)")


def _name_anomaly(target: str, prefix: str = "") -> str:
    return (f"CASE WHEN list_contains(p.{prefix}old_codes, {target}) THEN 'ancien_nom' "
            f"WHEN list_contains(p.{prefix}arrondissement_codes, {target}) THEN 'arrondissement_municipal' END")


# A looser match (second key, word prefix or subset, fuzzy) is not taken when the declared name
# is exactly the name of some commune elsewhere: the context and the name then contradict
# each other, and the row lists them all.
_NAME_ELSEWHERE = "p.cand_all IS NOT NULL"
_CONTEXT_CONFLICT = "CASE WHEN p.departements IS NOT NULL THEN 'conflit_departement' ELSE 'code_postal_incoherent' END"


def _matched(score: str = "1") -> dict:
    return {"statut": "'rapproche'", "score": score}


REVIEWED_PATHS = (
    Path("decision_revue", _select(
        "true", **_matched(), methode="'decision_revue'", type_="m.type_collectivite", code="m.code",
        joins="JOIN rc_mapping_hits m USING (row_id)")),
    Path("exclusion", _select(
        "true", statut="'hors_referentiel'", methode="'exclusion'", joins="JOIN rc_exclusion_hits x USING (row_id)")),
)

CODE_PATHS = (
    Path("type_adherent", _select(
        "p.type_norm IN ('inconnu', 'syndicat', 'autre')",
        statut="CASE p.type_norm WHEN 'inconnu' THEN 'invalide' ELSE 'hors_referentiel' END",
        methode="'type_adherent'")),
    Path("rien_a_rapprocher", _select(
        "p.lookup_key IS NULL AND p.siren_ok IS NULL AND p.insee5 IS NULL AND p.code_short IS NULL "
        "AND NOT (p.type_norm = 'departement' AND p.departements IS NOT NULL)",
        statut="'invalide'", methode="'rien_a_rapprocher'")),
    # SIREN and INSEE code designate the same commune: two independent codes beat a name.
    Path("siren_et_code", _select(
        "p.s_type = 'commune' AND p.s_code = p.c_code", **_matched(), methode="'siren'",
        type_="'commune'", code="p.s_code",
        anomalies=f"[CASE WHEN NOT p.s_agree THEN 'conflit_code_nom' END, {_CODE_ANOMALY}]")),
    Path("siren", _select(
        "p.s_code IS NOT NULL AND p.s_agree AND p.c_code IS NULL", **_matched(), methode="'siren'",
        type_="p.s_type", code="p.s_code")),
    Path("code_insee", _select(
        "p.c_code IS NOT NULL AND p.c_agree AND p.s_code IS NULL", **_matched(), methode="'code_insee'",
        type_="'commune'", code="p.c_code", anomalies=f"[{_CODE_ANOMALY}]")),
    # Département or région by code, unless the name designates exactly another one.
    Path("code_departement", _select(
        "p.d_code IS NOT NULL AND coalesce(p.cd_code, p.d_code) = p.d_code "
        "AND NOT coalesce(len(p.dept_names) = 1 AND p.dept_names[1] <> p.d_code, false)",
        **_matched(), methode="'code'", type_="'departement'", code="p.d_code")),
    Path("code_region", _select(
        "p.g_code IS NOT NULL AND NOT coalesce(len(p.region_names) = 1 AND p.region_names[1] <> p.g_code, false)",
        **_matched(), methode="'code'", type_="'region'", code="p.g_code")),
    # Codes and name disagree. The name settles it when it designates one of the codes'
    # targets, or the commune whose postal code was typed in the INSEE field.
    Path("conflit", _select(
        "p.s_code IS NOT NULL OR p.c_code IS NOT NULL OR p.d_code IS NOT NULL OR p.g_code IS NOT NULL",
        statut=f"CASE WHEN {_SETTLED} THEN 'rapproche' ELSE 'ambigu' END",
        methode=f"""CASE WHEN NOT {_SETTLED} THEN 'conflit' WHEN p.alt = p.s_code THEN 'siren'
                         WHEN p.alt = p.c_code THEN 'code_insee' ELSE 'code_postal_nom' END""",
        score=f"CASE WHEN {_SETTLED} THEN 1 END",
        type_=f"CASE WHEN {_SETTLED} THEN 'commune' END",
        code=f"CASE WHEN {_SETTLED} THEN p.alt END",
        candidats="""list_distinct(list_filter(
                        [p.s_code, p.c_code, p.d_code, p.g_code, p.cd_code]
                        || coalesce(p.ctx, []) || coalesce(p.dept_names, []) || coalesce(p.region_names, []),
                        lambda x: x IS NOT NULL))""",
        anomalies=f"""[CASE WHEN list_contains(t.codes_postaux, p.insee5) THEN 'code_postal_pour_insee'
                           WHEN p.s_code IS NOT NULL AND p.c_code IS NOT NULL THEN 'conflit_siren_code'
                           ELSE 'conflit_code_nom' END,
                       CASE WHEN p.alt = p.c_code THEN {_CODE_ANOMALY} END]""",
        joins="LEFT JOIN rc_collectivite t ON t.type_collectivite = 'commune' AND t.code = p.alt")),
)

NAME_PATHS = (
    # Name in its context: declared département, postal code, département of the postal
    # code, or all of France when neither is declared; current and former names together.
    Path("nom", _select(
        f"{_COMMUNE_TYPES} AND p.ctx_path IS NOT NULL",
        statut="CASE WHEN len(p.ctx) = 1 THEN 'rapproche' ELSE 'ambigu' END",
        methode="""CASE WHEN len(p.ctx) = 1 AND list_contains(p.old_codes, p.alt) THEN 'ancien_nom'
                        WHEN p.ctx_path = 'code_postal_departement' THEN 'code_postal_nom' ELSE p.ctx_path END""",
        score="CASE WHEN len(p.ctx) = 1 THEN 1 END",
        type_="CASE WHEN len(p.ctx) = 1 THEN 'commune' END", code="p.alt",
        candidats="CASE WHEN len(p.ctx) > 1 THEN p.ctx END",
        anomalies=f"""[{_name_anomaly('p.alt')},
                       CASE WHEN p.ctx_path = 'code_postal_departement' THEN 'code_postal_incoherent' END]""")),
    # A name borne by one commune in all of France, declared with the postal code of a
    # neighbouring département (La Poste serves some communes from the next département's
    # office): taken, and assemble.py flags `code_postal_incoherent`; before the looser keys.
    Path("nom_seul_code_postal_voisin", _select(
        f"""{_COMMUNE_TYPES} AND p.ctx_path IS NULL AND p.departements IS NULL AND p.cp_eff IS NOT NULL
            AND len(p.cand_all) = 1
            AND EXISTS (SELECT 1 FROM rc_neighbour nb
                        WHERE list_contains(p.departements_postaux, nb.a) AND list_contains(t.departements, nb.b))""",
        **_matched(), methode="'nom_seul'", type_="'commune'", code="p.cand_all[1]",
        anomalies=f"[{_name_anomaly('p.cand_all[1]')}]",
        joins="JOIN rc_collectivite t ON t.type_collectivite = 'commune' AND t.code = p.cand_all[1]")),
    # Second key (no little words, no articles), in the same contexts; a match found only in
    # the département of the postal code contradicts that postal code, and is not taken.
    Path("nom_sans_mots_outils", _select(
        f"{_COMMUNE_TYPES} AND p.ctx_path IS NULL AND p.short_ctx_path IS NOT NULL",
        statut=f"""CASE WHEN len(p.short_ctx) = 1 AND p.short_ctx_path <> 'code_postal_departement'
                             AND NOT {_NAME_ELSEWHERE} THEN 'rapproche' ELSE 'ambigu' END""",
        methode="'nom_sans_mots_outils'",
        score=f"""CASE WHEN len(p.short_ctx) = 1 AND p.short_ctx_path <> 'code_postal_departement'
                            AND NOT {_NAME_ELSEWHERE} THEN 1 END""",
        type_=f"""CASE WHEN len(p.short_ctx) = 1 AND p.short_ctx_path <> 'code_postal_departement'
                            AND NOT {_NAME_ELSEWHERE} THEN 'commune' END""",
        code=f"""CASE WHEN len(p.short_ctx) = 1 AND p.short_ctx_path <> 'code_postal_departement'
                           AND NOT {_NAME_ELSEWHERE} THEN p.short_alt END""",
        candidats=f"""CASE WHEN len(p.short_ctx) > 1 OR p.short_ctx_path = 'code_postal_departement'
                                OR {_NAME_ELSEWHERE}
                           THEN list_distinct(p.short_ctx || coalesce(p.cand_all, [])) END""",
        anomalies=f"""[{_name_anomaly('p.short_alt', 'short_')},
                       CASE WHEN p.short_ctx_path = 'code_postal_departement' THEN 'code_postal_incoherent'
                            WHEN {_NAME_ELSEWHERE} THEN {_CONTEXT_CONFLICT} END]""")),
    # One commune of the declared postal code whose name starts with, extends, holds or is
    # held by the declared words.
    Path("nom_partiel_code_postal", _select(
        f"{_COMMUNE_TYPES} AND len(pt.partial_cp) = 1",
        statut=f"CASE WHEN {_NAME_ELSEWHERE} THEN 'ambigu' ELSE 'rapproche' END",
        methode="'nom_partiel'",
        score=f"""CASE WHEN NOT {_NAME_ELSEWHERE}
                       THEN round(jaro_winkler_similarity(p.lookup_key, rc_name_key(t.nom)), 4) END""",
        type_=f"CASE WHEN NOT {_NAME_ELSEWHERE} THEN 'commune' END",
        code=f"CASE WHEN NOT {_NAME_ELSEWHERE} THEN pt.partial_cp[1] END",
        candidats=f"CASE WHEN {_NAME_ELSEWHERE} THEN list_distinct(pt.partial_cp || p.cand_all) END",
        anomalies=f"['nom_partiel', CASE WHEN {_NAME_ELSEWHERE} THEN {_CONTEXT_CONFLICT} END]",
        joins="JOIN rc_partial pt USING (row_id) "
              "JOIN rc_collectivite t ON t.type_collectivite = 'commune' AND t.code = pt.partial_cp[1]")),
    Path("nom_epci", _select(
        "p.type_norm IN ('epci', 'absent') AND len(p.epci_ctx) > 0",
        statut="CASE WHEN len(p.epci_ctx) = 1 THEN 'rapproche' ELSE 'ambigu' END", methode="'nom_epci'",
        score="CASE WHEN len(p.epci_ctx) = 1 THEN 1 END",
        type_="CASE WHEN len(p.epci_ctx) = 1 THEN 'epci' END", code="p.alt_epci",
        candidats="CASE WHEN len(p.epci_ctx) > 1 THEN p.epci_ctx END")),
    Path("nom_departement_region", _select(
        """(p.type_norm IN ('departement', 'absent') AND (len(p.dept_names) > 0
               OR p.cd_code IN (SELECT code_departement FROM core_cog__departements)))
           OR (p.type_norm = 'region' AND len(p.region_names) > 0)""",
        statut="""CASE WHEN p.type_norm = 'region' AND len(p.region_names) > 1 THEN 'ambigu'
                       WHEN p.type_norm <> 'region' AND len(p.dept_names) > 1 THEN 'ambigu'
                       ELSE 'rapproche' END""",
        methode="CASE WHEN p.cd_code IS NOT NULL THEN 'code' ELSE 'nom' END",
        score="1",
        type_="CASE WHEN p.type_norm = 'region' THEN 'region' ELSE 'departement' END",
        code="""CASE WHEN p.type_norm = 'region' THEN CASE WHEN len(p.region_names) = 1 THEN p.region_names[1] END
                     ELSE coalesce(p.cd_code, CASE WHEN len(p.dept_names) = 1 THEN p.dept_names[1] END) END""",
        candidats="CASE WHEN p.type_norm = 'region' AND len(p.region_names) > 1 THEN p.region_names "
                  "WHEN p.type_norm <> 'region' AND len(p.dept_names) > 1 THEN p.dept_names END")),
)

# After the fuzzy path: exact names under another declared type, then exact names found
# only outside the declared département or postal code, which are not guessed either.
LAST_PATHS = (
    Path("nom_autre_type", _select(
        """(p.type_norm = 'commune' AND (len(p.epci_all) = 1 OR len(p.dept_names) = 1 OR len(p.region_names) = 1))
           OR (p.type_norm IN ('epci', 'departement', 'region') AND p.alt IS NOT NULL)""",
        **_matched(),
        methode="""CASE WHEN p.type_norm <> 'commune' THEN coalesce(p.ctx_path, 'nom_seul')
                        WHEN len(p.epci_all) = 1 THEN 'nom_epci' ELSE 'nom' END""",
        type_="""CASE WHEN p.type_norm <> 'commune' THEN 'commune' WHEN len(p.epci_all) = 1 THEN 'epci'
                      WHEN len(p.dept_names) = 1 THEN 'departement' ELSE 'region' END""",
        code="""CASE WHEN p.type_norm <> 'commune' THEN p.alt WHEN len(p.epci_all) = 1 THEN p.epci_all[1]
                     WHEN len(p.dept_names) = 1 THEN p.dept_names[1] ELSE p.region_names[1] END""",
        anomalies=f"[CASE WHEN p.type_norm <> 'commune' THEN {_name_anomaly('p.alt')} END]")),
    # After the fuzzy path, the weaker word matches: several communes of the postal code, or
    # the département's communes (one is taken only if it agrees with a declared postal code).
    Path("nom_partiel", _select(
        f"{_COMMUNE_TYPES} AND (len(pt.partial_cp) > 1 OR len(pt.partial_dept) > 0)",
        statut=f"""CASE WHEN len(pt.partial_cp) IS NULL AND len(pt.partial_dept) = 1 AND NOT {_NAME_ELSEWHERE}
                             AND (p.cp_eff IS NULL OR list_contains(t.codes_postaux, p.cp_eff))
                        THEN 'rapproche' ELSE 'ambigu' END""",
        methode="'nom_partiel'",
        score=f"""CASE WHEN len(pt.partial_cp) IS NULL AND len(pt.partial_dept) = 1 AND NOT {_NAME_ELSEWHERE}
                            AND (p.cp_eff IS NULL OR list_contains(t.codes_postaux, p.cp_eff))
                       THEN round(jaro_winkler_similarity(p.lookup_key, rc_name_key(t.nom)), 4) END""",
        type_=f"""CASE WHEN len(pt.partial_cp) IS NULL AND len(pt.partial_dept) = 1 AND NOT {_NAME_ELSEWHERE}
                            AND (p.cp_eff IS NULL OR list_contains(t.codes_postaux, p.cp_eff)) THEN 'commune' END""",
        code=f"""CASE WHEN len(pt.partial_cp) IS NULL AND len(pt.partial_dept) = 1 AND NOT {_NAME_ELSEWHERE}
                           AND (p.cp_eff IS NULL OR list_contains(t.codes_postaux, p.cp_eff))
                      THEN pt.partial_dept[1] END""",
        candidats=f"""CASE WHEN NOT (len(pt.partial_cp) IS NULL AND len(pt.partial_dept) = 1 AND NOT {_NAME_ELSEWHERE}
                                     AND (p.cp_eff IS NULL OR list_contains(t.codes_postaux, p.cp_eff)))
                           THEN list_distinct(coalesce(pt.partial_cp, pt.partial_dept) || coalesce(p.cand_all, []))
                      END""",
        anomalies=f"""['nom_partiel',
                       CASE WHEN {_NAME_ELSEWHERE} THEN {_CONTEXT_CONFLICT}
                            WHEN len(pt.partial_cp) IS NULL AND p.cp_eff IS NOT NULL
                                 AND NOT list_contains(t.codes_postaux, p.cp_eff) THEN 'code_postal_incoherent' END]""",
        joins="JOIN rc_partial pt USING (row_id) "
              "LEFT JOIN rc_collectivite t ON t.type_collectivite = 'commune' "
              "AND t.code = coalesce(pt.partial_cp[1], pt.partial_dept[1])")),
    Path("nom_hors_contexte", _select(
        f"({_COMMUNE_TYPES} AND (len(p.cand_all) > 0 OR len(p.short_all) > 0)) "
        "OR (p.type_norm = 'epci' AND len(p.epci_all) > 0)",
        statut="'ambigu'", methode="CASE WHEN p.type_norm = 'epci' THEN 'nom_epci' ELSE 'nom_seul' END",
        candidats="CASE WHEN p.type_norm = 'epci' THEN p.epci_all ELSE coalesce(p.cand_all, p.short_all) END",
        anomalies="""[CASE WHEN p.departements IS NOT NULL THEN 'conflit_departement'
                           ELSE 'code_postal_incoherent' END]""")),
    Path("non_trouve", _select("true", statut="'non_trouve'", methode="NULL")),
)
