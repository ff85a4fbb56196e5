"""Panorama of the OPSN: how many, what form, how many members and services (France level).

Each query returns (niveau, code_territoire, modalite, valeur); definitions are in catalogue.yaml.
"""

from __future__ import annotations

from observatory.indicators.base import Query, Sources, rate, sql_list
from observatory.membership_sources import SOURCE_DECLARATION, SOURCES
from observatory.schemas import enum_values


def _members_per_opsn(adhesions: str) -> str:
    """Per-OPSN counts including declaring OPSN without any matched row, which count 0. An OPSN known
    from the ANCT alone counts only when the ANCT file lists some collectivité for it: with none,
    its membership is unknown, not 0."""
    return f"""
        SELECT o.siren, count(m.code_collectivite) AS n
        FROM _ind_opsn o LEFT JOIN _ind_membres m ON m.siren_opsn = o.siren
        WHERE o.source_opsn = '{SOURCE_DECLARATION}' OR o.siren IN (SELECT siren_opsn FROM {adhesions})
        GROUP BY o.siren"""


_DECLARING = f"(SELECT * FROM _ind_opsn WHERE source_opsn = '{SOURCE_DECLARATION}')"


def _distribution(per_opsn: str, stats: dict[str, str]) -> str:
    columns = ", ".join(f'{expression} AS "{name}"' for name, expression in stats.items())
    return f"""
        SELECT 'france' AS niveau, 'FR' AS code_territoire, modalite, valeur
        FROM (SELECT {columns} FROM ({per_opsn}))
        UNPIVOT INCLUDE NULLS (valeur FOR modalite IN ({", ".join(f'"{name}"' for name in stats)}))"""


def queries(sources: Sources) -> list[tuple[str, Query]]:
    forms = enum_values("opsn", "forme_juridique")
    statuses = enum_values("adhesions", "statut_rapprochement")
    services = enum_values("services_opsn", "code_service")
    return [
        (
            "nb_opsn",
            f"""
            WITH modalites AS (
                SELECT siren, 'ensemble' AS modalite FROM _ind_opsn
                UNION ALL SELECT siren, CASE WHEN membre_declic THEN 'declic'
                                             WHEN NOT membre_declic THEN 'hors_declic' END FROM _ind_opsn
                UNION ALL SELECT siren, forme_juridique FROM _ind_opsn
                UNION ALL SELECT siren, source_opsn FROM _ind_opsn
            ),
            served AS (
                SELECT 'france' AS niveau, 'FR' AS code_territoire, siren FROM _ind_opsn
                UNION SELECT 'region', d.code_region, s.siren_opsn
                      FROM _ind_opsn_departements s JOIN core_cog__departements d USING (code_departement)
                UNION SELECT 'departement', code_departement, siren_opsn FROM _ind_opsn_departements
            ),
            counts AS (
                SELECT s.niveau, s.code_territoire, m.modalite, count(DISTINCT s.siren) AS n
                FROM served s JOIN modalites m USING (siren) GROUP BY ALL
            )
            SELECT t.niveau, t.code_territoire, l.modalite, coalesce(c.n, 0) AS valeur
            FROM _ind_territoires t
            CROSS JOIN unnest({sql_list(["ensemble", "declic", "hors_declic", *forms, *SOURCES])}) AS l(modalite)
            LEFT JOIN counts c USING (niveau, code_territoire, modalite)
            WHERE t.niveau IN ('france', 'region', 'departement')""",
        ),
        (
            "nb_adhesions_declarees",
            f"""
            SELECT 'france' AS niveau, 'FR' AS code_territoire, l.modalite,
                   (SELECT count(*) FROM {sources.adhesions} a
                    WHERE l.modalite IN ('ensemble', a.statut_rapprochement)) AS valeur
            FROM unnest({sql_list(["ensemble", *statuses])}) AS l(modalite)""",
        ),
        (
            "nb_adherents",
            """
            SELECT 'france' AS niveau, 'FR' AS code_territoire, 'ensemble' AS modalite,
                   (SELECT count(*) FROM (SELECT DISTINCT type_collectivite, code_collectivite FROM _ind_membres))
                   AS valeur""",
        ),
        (
            "nb_adherents_naif",
            """
            SELECT 'france' AS niveau, 'FR' AS code_territoire, 'ensemble' AS modalite,
                   (SELECT count(*) FROM _ind_membres) AS valeur""",
        ),
        (
            "adherents_par_opsn",
            _distribution(
                _members_per_opsn(sources.adhesions),
                {"moyenne": "avg(n)", "mediane": "quantile_cont(n, 0.5)", "min": "min(n)", "max": "max(n)"},
            ),
        ),
        # Services are known from declarations only: an OPSN known from the ANCT alone is left out.
        (
            "nb_services_par_opsn",
            _distribution(
                f"""
            SELECT o.siren, count(DISTINCT s.code_service) AS n
            FROM {_DECLARING} o LEFT JOIN {sources.services} s ON s.siren_opsn = o.siren GROUP BY o.siren""",
                {"moyenne": "avg(n)", "mediane": "quantile_cont(n, 0.5)"},
            ),
        ),
        (
            "part_opsn_offrant_service",
            f"""
            WITH offering AS (
                SELECT s.code_service, count(DISTINCT s.siren_opsn) AS n
                FROM {sources.services} s JOIN {_DECLARING} o ON o.siren = s.siren_opsn GROUP BY s.code_service
            )
            SELECT 'france' AS niveau, 'FR' AS code_territoire, l.modalite,
                   {rate("coalesce(f.n, 0)", f"(SELECT count(*) FROM {_DECLARING})")} AS valeur
            FROM unnest({sql_list(services)}) AS l(modalite)
            LEFT JOIN offering f ON f.code_service = l.modalite""",
        ),
        (
            "adhesions_par_annee",
            f"""
            SELECT 'france' AS niveau, 'FR' AS code_territoire, strftime(date_adhesion, '%Y') AS modalite,
                   count(*) AS valeur
            FROM {sources.adhesions} WHERE date_adhesion IS NOT NULL GROUP BY ALL""",
        ),
    ]
