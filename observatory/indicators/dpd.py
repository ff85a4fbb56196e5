"""DPD indicators from the CNIL file, for communes (France, régions, départements) and EPCI (France).

Départements and régions have no SIREN in the referential, so they cannot be looked up in the
CNIL file and have no DPD indicator. Each query returns (niveau, code_territoire, modalite,
valeur); definitions are in catalogue.yaml.
"""

from __future__ import annotations

from observatory.indicators.base import STRATA, Query, Sources, by_commune_territory, count_where, rate, sql_list

# The GDPR applied from 25 May 2018: a designation dated that day is on time.
GDPR_DEADLINE = "2018-05-25"

_DPD = "c.a_designe_dpd"
_EXTERNAL = "c.type_dpd = 'externe'"
_PUBLIC = "c.type_dpd = 'externe' AND c.dpd_public = 'oui'"
_VIA_OPSN = "c.dpd_via_opsn"


def queries(sources: Sources) -> list[tuple[str, Query]]:
    return [
        ("nb_communes_dpd", by_commune_territory(count_where(_DPD))),
        ("part_communes_dpd", by_commune_territory(rate(count_where(_DPD), "count(*)"))),
        (
            "part_communes_dpd",
            f"""
            SELECT t.niveau, t.code_territoire, s.strate AS modalite,
                   {rate(f"count(c.code_insee) FILTER (WHERE {_DPD})", "count(c.code_insee)")} AS valeur
            FROM (SELECT DISTINCT niveau, code_territoire FROM _ind_commune_territoire) t
            CROSS JOIN unnest({sql_list(label for label, _, _ in STRATA)}) AS s(strate)
            LEFT JOIN (_ind_commune_territoire ct JOIN _ind_communes c USING (code_insee))
                   ON ct.niveau = t.niveau AND ct.code_territoire = t.code_territoire AND c.strate = s.strate
            GROUP BY t.niveau, t.code_territoire, s.strate""",
        ),
        (
            "nb_epci_dpd",
            """
            SELECT 'france' AS niveau, 'FR' AS code_territoire, 'ensemble' AS modalite,
                   count(*) FILTER (WHERE a_designe_dpd) AS valeur
            FROM _ind_epci""",
        ),
        (
            "part_epci_dpd",
            f"""
            SELECT 'france' AS niveau, 'FR' AS code_territoire, 'ensemble' AS modalite,
                   {rate("count(*) FILTER (WHERE a_designe_dpd)", "count(*)")} AS valeur
            FROM _ind_epci""",
        ),
        ("nb_communes_dpd_externe", by_commune_territory(count_where(_EXTERNAL))),
        ("part_communes_dpd_externe", by_commune_territory(rate(count_where(_EXTERNAL), count_where(_DPD)))),
        ("nb_communes_dpd_externe_public", by_commune_territory(count_where(_PUBLIC))),
        ("part_communes_dpd_externe_public", by_commune_territory(rate(count_where(_PUBLIC), count_where(_EXTERNAL)))),
        ("nb_communes_dpd_via_opsn", by_commune_territory(count_where(_VIA_OPSN))),
        ("part_communes_dpd_via_opsn", by_commune_territory(rate(count_where(_VIA_OPSN), count_where(_DPD)))),
        (
            "part_communes_dpd_adherentes",
            by_commune_territory(rate(count_where(f"{_DPD} AND c.nb_opsn > 0"), count_where("c.nb_opsn > 0"))),
        ),
        (
            "part_communes_dpd_non_adherentes",
            by_commune_territory(rate(count_where(f"{_DPD} AND c.nb_opsn = 0"), count_where("c.nb_opsn = 0"))),
        ),
        (
            "designations_par_annee",
            f"""
            SELECT t.niveau, t.code_territoire, strftime(c.date_premiere_designation, '%Y') AS modalite,
                   count(*) AS valeur
            FROM _ind_commune_territoire t JOIN _ind_communes c USING (code_insee)
            WHERE {_DPD} AND c.date_premiere_designation IS NOT NULL
            GROUP BY ALL""",
        ),
        (
            "part_communes_dpd_apres_echeance",
            by_commune_territory(
                rate(
                    count_where(f"{_DPD} AND c.date_premiere_designation > DATE '{GDPR_DEADLINE}'"),
                    count_where(f"{_DPD} AND c.date_premiere_designation IS NOT NULL"),
                )
            ),
        ),
    ]
