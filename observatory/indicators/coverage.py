"""Territorial coverage for France, régions and départements, in distinct and naive form.

Commune-based figures aggregate the rows of `collectivites` (via `_ind_communes`), so a reader
recomputes them with one GROUP BY on the published table. Each query returns
(niveau, code_territoire, modalite, valeur); definitions are in catalogue.yaml.
"""

from __future__ import annotations

from observatory.indicators.base import Query, Sources, by_commune_territory, count_where, rate, sql_list

_MEMBER = "c.nb_opsn > 0"
_COVERED = "c.couverture <> 'aucune'"


def _france(value: str) -> str:
    return f"SELECT 'france' AS niveau, 'FR' AS code_territoire, 'ensemble' AS modalite, ({value}) AS valeur"


def queries(sources: Sources) -> list[tuple[str, Query]]:
    return [
        ("nb_communes_adherentes", by_commune_territory(count_where(_MEMBER))),
        ("nb_communes_adherentes_naif", by_commune_territory("sum(c.nb_opsn)")),
        ("part_communes_adherentes", by_commune_territory(rate(count_where(_MEMBER), "count(*)"))),
        ("nb_communes_multi_opsn", by_commune_territory(count_where("c.nb_opsn >= 2"))),
        ("nb_epci_adherents", _france("SELECT count(*) FROM _ind_epci WHERE nb_opsn > 0")),
        (
            "nb_departements_adherents",
            f"""
            {
                _france(
                    "SELECT count(DISTINCT code_collectivite) FROM _ind_membres WHERE type_collectivite = 'departement'"
                )
            }
            UNION ALL
            SELECT 'region', t.code_territoire, 'ensemble', count(DISTINCT m.code_collectivite)
            FROM _ind_territoires t
            LEFT JOIN core_cog__departements d ON d.code_region = t.code_territoire
            LEFT JOIN _ind_membres m ON m.type_collectivite = 'departement' AND m.code_collectivite = d.code_departement
            WHERE t.niveau = 'region'
            GROUP BY t.code_territoire""",
        ),
        (
            "nb_regions_adherentes",
            _france("SELECT count(DISTINCT code_collectivite) FROM _ind_membres WHERE type_collectivite = 'region'"),
        ),
        (
            "population_communes_adherentes",
            by_commune_territory(f"coalesce(sum(c.population) FILTER (WHERE {_MEMBER}), 0)"),
        ),
        ("population_couverte", by_commune_territory(f"coalesce(sum(c.population) FILTER (WHERE {_COVERED}), 0)")),
        (
            "population_couverte_naif",
            _france("""
            SELECT coalesce(sum(p.population), 0)
            FROM _ind_membres m JOIN _ind_membre_population p USING (type_collectivite, code_collectivite)"""),
        ),
        (
            "part_population_couverte",
            by_commune_territory(
                rate(f"coalesce(sum(c.population) FILTER (WHERE {_COVERED}), 0)", "sum(c.population)")
            ),
        ),
        (
            "nb_departements_couverts",
            f"""
            WITH served AS (
                SELECT s.code_departement, d.code_region, l.modalite
                FROM _ind_opsn_departements s
                JOIN _ind_opsn o ON o.siren = s.siren_opsn
                JOIN core_cog__departements d USING (code_departement)
                JOIN unnest(['ensemble', 'declic', 'hors_declic']) AS l(modalite)
                  ON l.modalite = 'ensemble' OR l.modalite = CASE WHEN o.membre_declic THEN 'declic'
                                                                   WHEN NOT o.membre_declic THEN 'hors_declic' END
            )
            SELECT t.niveau, t.code_territoire, l.modalite,
                   (SELECT count(DISTINCT s.code_departement) FROM served s
                    WHERE s.modalite = l.modalite AND (t.niveau = 'france' OR s.code_region = t.code_territoire))
                   AS valeur
            FROM _ind_territoires t CROSS JOIN unnest({sql_list(["ensemble", "declic", "hors_declic"])}) AS l(modalite)
            WHERE t.niveau IN ('france', 'region')""",
        ),
    ]
