"""The two sources of membership, put together before reconciliation.

An OPSN that publishes its declaration is counted from it alone; one that publishes none but is
an operator of the ANCT's Suite territoriale (`est_opsn`) is counted from the collectivités it
registered there. Never both for one OPSN: no collectivité is counted twice through the same
OPSN. ANCT rows are shaped as declared rows and go through the same reconciliation (they carry
a SIRET, of which the SIREN is used, and an INSEE code), so that their statuses and anomalies
speak the same vocabulary. Every row says its source (`source_adhesion`), every OPSN too
(`source_opsn`).
"""

from __future__ import annotations

import duckdb

from observatory import table_catalog
from observatory.anct import MEMBERS_TABLE as ANCT_MEMBERS
from observatory.anct import OPERATORS_TABLE as ANCT_OPERATORS
from observatory.declarations import MEMBERS_TABLE as DECLARED_MEMBERS
from observatory.declarations import OPSN_TABLE as DECLARED_OPSN

SOURCE_DECLARATION = "declaration"
SOURCE_ANCT = "anct"
SOURCES = (SOURCE_DECLARATION, SOURCE_ANCT)
# Working tables of the reconciliation step (temporary: one connection, one run).
KNOWN_OPSN = "rc_opsn_connus"
MEMBERS_INPUT = "rc_adherents_sources"

_DEPARTEMENT = r"^(\d{2}|2[AB]|97[1-8])$"


def anct_only_operators_sql(declared: str = DECLARED_OPSN, operators: str = ANCT_OPERATORS) -> str:
    """ANCT operators that are OPSN and publish no declaration: (id, siren) per operator row."""
    return f"""
        SELECT id, siren FROM {operators}
        WHERE est_opsn AND siren NOT IN (SELECT siren FROM {declared})"""


def known_opsn_sql(declared: str = DECLARED_OPSN, operators: str | None = ANCT_OPERATORS) -> str:
    """Every OPSN known, with the columns of `core_declarations__opsn` and `source_opsn`.

    An ANCT-only OPSN gets what the operators file gives (name, website, départements); its
    legal form and Déclic membership are unknown and stay empty. `operators=None`: declarations only.
    """
    declared_rows = f"""
        SELECT siren, nom, forme_juridique, site_web, departements, membre_declic,
               '{SOURCE_DECLARATION}' AS source_opsn
        FROM {declared}"""
    if operators is None:
        return declared_rows
    return f"""{declared_rows}
        UNION ALL
        SELECT * FROM (
            WITH anct AS (
                SELECT * FROM {operators} WHERE id IN (SELECT id FROM ({anct_only_operators_sql(declared, operators)}))
            ), served AS (
                -- Codes the published schema accepts; the ANCT separates them with commas.
                SELECT siren, string_agg(DISTINCT code, '|' ORDER BY code) AS departements
                FROM (SELECT siren, trim(unnest(string_split(coalesce(departements, ''), ','))) AS code FROM anct)
                WHERE regexp_full_match(code, '{_DEPARTEMENT}')
                GROUP BY siren
            )
            SELECT a.siren, min(coalesce(a.nom, a.nom_avec_article, a.siren)) AS nom, NULL AS forme_juridique,
                   -- Only a web address the published schema accepts (format uri).
                   min(CASE WHEN regexp_full_match(a.url, 'https?://[^\\s]+') THEN a.url END) AS site_web,
                   s.departements, NULL AS membre_declic, '{SOURCE_ANCT}' AS source_opsn
            FROM anct a LEFT JOIN served s USING (siren)
            GROUP BY a.siren, s.departements
        )"""


# In input order: the declarations as their table holds them, then the ANCT adherents. Without the ORDER
# BY, DuckDB fills the table from both sides of the UNION in parallel, and past one row group (122,880
# rows) the order, hence each row's place in `adhesions`, changed from run to run.
_MEMBERS = f"""
CREATE OR REPLACE TEMP TABLE {{output}} AS
SELECT * EXCLUDE (input_source, input_position) FROM (
    SELECT id_adhesion, numero_ligne, siren_opsn, nom_adherent, type_adherent, siren_adherent, code_insee_adherent,
           code_postal, code_departement, date_adhesion, anomalies_lecture, '{SOURCE_DECLARATION}' AS source_adhesion,
           0 AS input_source, rowid AS input_position
    FROM {{declared_members}}
    UNION ALL
    SELECT a.id_adhesion, a.numero_ligne, o.siren, a.organisation_nom, a.organisation_type,
           -- The SIREN of the SIRET when it is well formed, else the SIRET as given (the engine flags it).
           coalesce(a.siren_collectivite, a.organisation_siret),
           -- An EPCI has no INSEE code: a SIREN in that column is not one.
           CASE WHEN a.organisation_type = 'epci' AND length(a.organisation_code_insee) = 9
                THEN NULL ELSE a.organisation_code_insee END,
           NULL, NULL, NULL::DATE, NULL, '{SOURCE_ANCT}', 1, a.rowid
    FROM {{anct_members}} a
    JOIN ({{anct_only}}) o ON o.id = a.operateur_id
)
ORDER BY input_source, input_position
"""


def build_membership_input(
    con: duckdb.DuckDBPyConnection,
    *,
    declared_opsn: str = DECLARED_OPSN,
    declared_members: str = DECLARED_MEMBERS,
    operators: str = ANCT_OPERATORS,
    anct_members: str = ANCT_MEMBERS,
) -> tuple[str, str]:
    """Create the reconciliation's input rows and OPSN list; returns their names (members, opsn).

    The members have the columns of `core_declarations__adherents` plus `source_adhesion`; the
    OPSN list gives the reconciliation an ANCT-only OPSN's départements (its territory).
    """
    con.execute(f"CREATE OR REPLACE TEMP TABLE {KNOWN_OPSN} AS {known_opsn_sql(declared_opsn, operators)}")
    con.execute(
        _MEMBERS.format(
            output=MEMBERS_INPUT,
            declared_members=declared_members,
            anct_members=anct_members,
            anct_only=anct_only_operators_sql(declared_opsn, operators),
        )
    )
    return MEMBERS_INPUT, KNOWN_OPSN


def rows_by_source(con: duckdb.DuckDBPyConnection, adhesions: str = table_catalog.ADHESIONS) -> dict:
    """{source_adhesion: rows} of the reconciled table, for the run's metadata."""
    return dict(con.execute(f"SELECT source_adhesion, count(*) FROM {adhesions} GROUP BY 1 ORDER BY 1").fetchall())


def opsn_counted_twice(con: duckdb.DuckDBPyConnection, adhesions: str = table_catalog.ADHESIONS) -> list[str]:
    """SIREN of OPSN with rows from both sources (must be none: one source per OPSN, no double count)."""
    return [
        row[0]
        for row in con.execute(f"""
        SELECT siren_opsn FROM {adhesions} GROUP BY siren_opsn
        HAVING count(DISTINCT source_adhesion) > 1 ORDER BY siren_opsn""").fetchall()
    ]
