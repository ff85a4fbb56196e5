"""Indicators per OPSN (niveau `opsn`, code_territoire = its SIREN): what each OPSN and Déclic ask.

Every declared OPSN gets a row for every indicator, 0 (or NULL for a rate) when it has nothing.
An OPSN's territory is the set of communes of France in the départements it says it serves.
Each query returns (niveau, code_territoire, modalite, valeur); definitions are in catalogue.yaml.
"""

from __future__ import annotations

from observatory.indicators.base import Query, Sources, rate, sql_list
from observatory.schemas import enum_values


def _per_opsn(value: str, joins: str = "") -> str:
    return f"""
        SELECT 'opsn' AS niveau, o.siren AS code_territoire, 'ensemble' AS modalite, {value} AS valeur
        FROM _ind_opsn o {joins}
        GROUP BY o.siren"""


def _members(kind: str) -> str:
    return f"LEFT JOIN _ind_membres m ON m.siren_opsn = o.siren AND m.type_collectivite = '{kind}'"


_TERRITORY = "LEFT JOIN _ind_territoire_opsn t ON t.siren_opsn = o.siren"


def queries(sources: Sources) -> list[tuple[str, Query]]:
    statuses = enum_values("adhesions", "statut_rapprochement")
    return [
        (
            "nb_adhesions_declarees",
            f"""
            SELECT 'opsn' AS niveau, o.siren AS code_territoire, l.modalite,
                   count(a.siren_opsn) AS valeur
            FROM _ind_opsn o
            CROSS JOIN unnest({sql_list(["ensemble", *statuses])}) AS l(modalite)
            LEFT JOIN {sources.adhesions} a
                   ON a.siren_opsn = o.siren AND l.modalite IN ('ensemble', a.statut_rapprochement)
            GROUP BY o.siren, l.modalite""",
        ),
        ("nb_adherents", _per_opsn("count(m.code_collectivite)", "LEFT JOIN _ind_membres m ON m.siren_opsn = o.siren")),
        ("nb_communes_adherentes", _per_opsn("count(m.code_collectivite)", _members("commune"))),
        ("nb_epci_adherents", _per_opsn("count(m.code_collectivite)", _members("epci"))),
        ("nb_departements_adherents", _per_opsn("count(m.code_collectivite)", _members("departement"))),
        ("nb_regions_adherentes", _per_opsn("count(m.code_collectivite)", _members("region"))),
        (
            "population_communes_adherentes",
            _per_opsn(
                "coalesce(sum(c.population), 0)",
                f"{_members('commune')} LEFT JOIN _ind_communes c ON c.code_insee = m.code_collectivite",
            ),
        ),
        (
            "population_couverte",
            _per_opsn(
                "coalesce(sum(c.population), 0)",
                "LEFT JOIN _ind_couverture_opsn v ON v.siren_opsn = o.siren "
                "LEFT JOIN _ind_communes c ON c.code_insee = v.code_insee",
            ),
        ),
        (
            "population_couverte_naif",
            _per_opsn(
                "coalesce(sum(p.population), 0)",
                "LEFT JOIN _ind_membres m ON m.siren_opsn = o.siren "
                "LEFT JOIN _ind_membre_population p USING (type_collectivite, code_collectivite)",
            ),
        ),
        (
            "nb_communes_dpd_via_opsn",
            _per_opsn(
                "count(c.code_insee)", "LEFT JOIN _ind_communes c ON c.dpd_via_opsn AND c.siren_organisme_dpd = o.siren"
            ),
        ),
        (
            "part_communes_territoire_adherentes",
            _per_opsn(
                rate("count(m.code_collectivite)", "count(t.code_insee)"),
                f"{_TERRITORY} {_members('commune')} AND m.code_collectivite = t.code_insee",
            ),
        ),
        (
            "part_communes_territoire_dpd_opsn",
            _per_opsn(
                rate("count(c.code_insee)", "count(t.code_insee)"),
                f"{_TERRITORY} LEFT JOIN _ind_communes c "
                "ON c.code_insee = t.code_insee AND c.dpd_via_opsn AND c.siren_organisme_dpd = o.siren",
            ),
        ),
    ]
