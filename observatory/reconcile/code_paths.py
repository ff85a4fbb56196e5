"""The paths that decide a row by what it is or by its codes, in the order they are tried.

Reviewed decisions first, then the declared type, then codes: SIREN, INSEE code, département
or région code (engine.py lists the whole order). Rules that precision imposes:
- a code is taken when the declared name agrees with it or is absent; when two codes
  agree with each other, they win over a name that disagrees;
- when codes and name designate different collectivités, the row is `ambigu` with all of
  them as candidates, unless the name settles it (it designates one of the codes' targets,
  or the INSEE field turns out to hold the postal code of the commune the name designates).
"""

from __future__ import annotations

from observatory.reconcile.path_cascade import Lookup, MatchingPath, matched, matched_when

_CODE_ANOMALY = (
    "CASE p.insee_code_kind WHEN 'ancien' THEN 'ancien_code' WHEN 'arrondissement' THEN 'arrondissement_municipal' END"
)


# In the conflict path (joined to `nt`, the commune the name designates): the name settles it.
_SETTLED = (
    "coalesce(p.name_commune IS NOT NULL "
    "AND (p.name_commune = p.siren_target OR p.name_commune = p.insee_target "
    "OR (p.siren_target IS NULL AND list_contains(nt.codes_postaux, p.declared_insee))), false)"
)


REVIEWED_PATHS = (
    MatchingPath(
        "decision_revue",
        "true",
        **matched(),
        methode="'decision_revue'",
        type_="m.type_collectivite",
        code="m.code",
        lookups=(Lookup("m", "LEFT JOIN rc_mapping_hits m ON m.row_id = p.row_id"),),
        requires="m.row_id IS NOT NULL",
    ),
    MatchingPath(
        "exclusion",
        "true",
        statut="'hors_referentiel'",
        methode="'exclusion'",
        lookups=(Lookup("xh", "LEFT JOIN rc_exclusion_hits xh ON xh.row_id = p.row_id"),),
        requires="xh.row_id IS NOT NULL",
    ),
)

CODE_PATHS = (
    MatchingPath(
        "type_adherent",
        "p.declared_type IN ('inconnu', 'syndicat', 'autre')",
        statut="CASE p.declared_type WHEN 'inconnu' THEN 'invalide' ELSE 'hors_referentiel' END",
        methode="'type_adherent'",
    ),
    MatchingPath(
        "rien_a_rapprocher",
        "p.lookup_key IS NULL AND p.valid_siren IS NULL AND p.declared_insee IS NULL AND "
        "p.declared_area_code IS NULL "
        "AND NOT (p.declared_type = 'departement' AND p.departements IS NOT NULL)",
        statut="'invalide'",
        methode="'rien_a_rapprocher'",
    ),
    # SIREN and INSEE code designate the same commune: two independent codes beat a name.
    MatchingPath(
        "siren_et_code",
        "p.siren_type = 'commune' AND p.siren_target = p.insee_target",
        **matched(),
        methode="'siren'",
        type_="'commune'",
        code="p.siren_target",
        anomalies=f"[CASE WHEN NOT p.siren_name_agrees THEN 'conflit_code_nom' END, {_CODE_ANOMALY}]",
    ),
    MatchingPath(
        "siren",
        "p.siren_target IS NOT NULL AND p.siren_name_agrees AND p.insee_target IS NULL",
        **matched(),
        methode="'siren'",
        type_="p.siren_type",
        code="p.siren_target",
    ),
    MatchingPath(
        "code_insee",
        "p.insee_target IS NOT NULL AND p.insee_name_agrees AND p.siren_target IS NULL",
        **matched(),
        methode="'code_insee'",
        type_="'commune'",
        code="p.insee_target",
        anomalies=f"[{_CODE_ANOMALY}]",
    ),
    # Département or région by code, unless the name designates exactly another one.
    MatchingPath(
        "code_departement",
        "p.departement_by_code IS NOT NULL "
        "AND coalesce(p.departement_in_name, p.departement_by_code) = p.departement_by_code "
        "AND NOT coalesce(len(p.named_departements) = 1 AND p.named_departements[1] <> "
        "p.departement_by_code, false)",
        **matched(),
        methode="'code'",
        type_="'departement'",
        code="p.departement_by_code",
    ),
    MatchingPath(
        "code_region",
        "p.region_by_code IS NOT NULL "
        "AND NOT coalesce(len(p.named_regions) = 1 AND p.named_regions[1] <> p.region_by_code, false)",
        **matched(),
        methode="'code'",
        type_="'region'",
        code="p.region_by_code",
    ),
    # Codes and name disagree. The name settles it when it designates one of the codes'
    # targets, or the commune whose postal code was typed in the INSEE field.
    MatchingPath(
        "conflit",
        "p.siren_target IS NOT NULL OR p.insee_target IS NOT NULL "
        "OR p.departement_by_code IS NOT NULL OR p.region_by_code IS NOT NULL",
        **matched_when(_SETTLED, type_="'commune'", code="p.name_commune"),
        methode=f"""CASE WHEN NOT {_SETTLED} THEN 'conflit' WHEN p.name_commune = p.siren_target THEN 'siren'
                         WHEN p.name_commune = p.insee_target THEN 'code_insee' ELSE 'code_postal_nom' END""",
        candidats="""list_distinct(list_filter(
                        [p.siren_target, p.insee_target, p.departement_by_code, p.region_by_code, p.departement_in_name]
                        || coalesce(p.name_candidates, []) || coalesce(p.named_departements, [])
                        || coalesce(p.named_regions, []),
                        lambda x: x IS NOT NULL))""",
        anomalies=f"""[CASE WHEN list_contains(nt.codes_postaux, p.declared_insee) THEN 'code_postal_pour_insee'
                           WHEN p.siren_target IS NOT NULL AND p.insee_target IS NOT NULL THEN 'conflit_siren_code'
                           ELSE 'conflit_code_nom' END,
                       CASE WHEN p.name_commune = p.insee_target THEN {_CODE_ANOMALY} END]""",
        lookups=(
            Lookup(
                "nt",
                "LEFT JOIN rc_commune nt ON nt.code = p.name_commune",
            ),
        ),
    ),
)
