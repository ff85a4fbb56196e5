"""What "France", "a member" and "covered" mean, as SQL shared by `collectivites` and the indicators.

Written once here so that the per-collectivité table and the indicators cannot drift apart:
every figure of `indicateurs` must be recomputable from the rows of `collectivites`.
"""

from __future__ import annotations

# The 94 communes of the overseas collectivités (zone `com`) have no SIREN and are partly
# outside the GDPR's reach: they are not part of "France" for any indicator.
FRANCE_ZONES = ("metro", "drom")
_ZONES = ", ".join(f"'{zone}'" for zone in FRANCE_ZONES)

# Priority of the ways a commune is covered: the first applicable one is published.
COVERAGE_ORDER = ("directe", "epci", "departement", "region")


def france_communes_sql() -> str:
    """Communes of France (COG 2026 current communes of zones metro and drom), with their EPCI."""
    return f"""
        SELECT c.code_insee, c.siren, c.nom, c.code_departement, c.code_region,
               coalesce(c.population, 0) AS population, m.siren_epci
        FROM core_cog__communes c
        LEFT JOIN core_cog__epci_membres m ON m.code_insee = c.code_insee
        WHERE c.type_commune = 'commune_actuelle' AND c.zone IN ({_ZONES})
    """


def france_departements_sql() -> str:
    return f"SELECT code_departement, nom, code_region FROM core_cog__departements WHERE zone IN ({_ZONES})"


def france_regions_sql() -> str:
    return f"SELECT code_region, nom FROM core_cog__regions WHERE zone IN ({_ZONES})"


def epci_sql() -> str:
    """EPCI with the population of their member communes, so that an EPCI never weighs more than
    the communes it groups (the referential's own EPCI population is of another vintage)."""
    return f"""
        SELECT e.siren, e.nom, coalesce(sum(c.population), 0) AS population
        FROM core_cog__epci e
        LEFT JOIN core_cog__epci_membres m ON m.siren_epci = e.siren
        LEFT JOIN ({france_communes_sql()}) c ON c.code_insee = m.code_insee
        GROUP BY e.siren, e.nom
    """


def reconciled_members_sql(adhesions: str) -> str:
    """Distinct (OPSN, collectivité) pairs: rows reconciled to a collectivité of France.

    A collectivité declared twice by the same OPSN is one member of that OPSN; rows that are
    ambiguous, not found, invalid or outside the referential (syndicats, associations) are no
    member of any count, nor are the communes of the overseas collectivités.
    """
    return f"""
        WITH rows AS (
            SELECT siren_opsn, type_collectivite,
                   coalesce(code_collectivite,
                            CASE type_collectivite WHEN 'commune' THEN code_insee
                                                   WHEN 'epci' THEN siren_collectivite END) AS code_collectivite
            FROM {adhesions}
            WHERE statut_rapprochement = 'rapproche'
        )
        SELECT DISTINCT r.siren_opsn, r.type_collectivite, r.code_collectivite
        FROM rows r
        WHERE (r.type_collectivite = 'commune'
               AND r.code_collectivite IN (SELECT code_insee FROM ({france_communes_sql()})))
           OR (r.type_collectivite = 'epci' AND r.code_collectivite IN (SELECT siren FROM core_cog__epci))
           OR (r.type_collectivite = 'departement'
               AND r.code_collectivite IN (SELECT code_departement FROM ({france_departements_sql()})))
           OR (r.type_collectivite = 'region'
               AND r.code_collectivite IN (SELECT code_region FROM ({france_regions_sql()})))
    """


def covered_communes_sql(members: str, communes: str) -> str:
    """(siren_opsn, code_insee, voie): each commune of France an OPSN covers, and through which member.

    `members` is a relation shaped like `reconciled_members_sql`, `communes` like
    `france_communes_sql`. A commune is covered by an OPSN when it is a member itself, or
    belongs to a member EPCI, département or région.
    """
    return f"""
        SELECT m.siren_opsn, c.code_insee, 'directe' AS voie
        FROM {members} m JOIN {communes} c ON m.type_collectivite = 'commune' AND c.code_insee = m.code_collectivite
        UNION ALL
        SELECT m.siren_opsn, c.code_insee, 'epci'
        FROM {members} m JOIN {communes} c ON m.type_collectivite = 'epci' AND c.siren_epci = m.code_collectivite
        UNION ALL
        SELECT m.siren_opsn, c.code_insee, 'departement'
        FROM {members} m JOIN {communes} c
          ON m.type_collectivite = 'departement' AND c.code_departement = m.code_collectivite
        UNION ALL
        SELECT m.siren_opsn, c.code_insee, 'region'
        FROM {members} m JOIN {communes} c ON m.type_collectivite = 'region' AND c.code_region = m.code_collectivite
    """


def opsn_departements_sql(opsn: str) -> str:
    """(siren_opsn, code_departement): départements of France each OPSN says it serves."""
    return f"""
        SELECT DISTINCT o.siren AS siren_opsn, trim(d.code) AS code_departement
        FROM {opsn} o, unnest(string_split(coalesce(o.departements, ''), '|')) AS d(code)
        WHERE trim(d.code) IN (SELECT code_departement FROM ({france_departements_sql()}))
    """
