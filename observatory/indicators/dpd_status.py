"""Per designating body of the CNIL file: the DPO now in place and when the body first complied.

The file holds one row per designation and bodies re-designate, so a body can have many rows.
The latest designation (ties on the date: the row that comes last in the file, as the CNIL
appends) tells who the DPO is today; the earliest tells when the body first complied.
The rules on internal/external and public DPOs are the observatory's; they are restated in
the catalogue of indicators (catalogue.yaml), which is what readers see.
"""

from __future__ import annotations

import duckdb

from observatory import table_catalog
from observatory.schemas import duckdb_select
from observatory.siren_sql import install_macros


def build_dpd_status(
    con: duckdb.DuckDBPyConnection,
    *,
    designations: str = table_catalog.CNIL_DESIGNATIONS,
    opsn: str = table_catalog.DECLARED_OPSN,
    output: str = table_catalog.DPD_BODIES,
) -> int:
    """One row per designating SIREN (9 digits once spaces and dots are removed); returns the row count.

    Columns: schemas/entrepot/core_cnil__dpd_organismes.json. Not published: `collectivites`
    carries what readers need of it. Rows whose designating SIREN is not 9 digits can join
    nothing and are left out.
    """
    install_macros(con)
    con.execute(f"""
        CREATE OR REPLACE TABLE {output} AS
        WITH rows AS (
            SELECT numero_ligne,
                   siren_compact(siren_organisme_designant) AS siren_organisme,
                   nom_organisme_designant AS nom_organisme,
                   date_de_la_designation AS date_designation,
                   siren_compact(siren_organisme_designe) AS siren_designe_brut,
                   nullif(trim(nom_organisme_designe), '') AS nom_designe,
                   nullif(upper(trim(secteur_activite_organisme_designe)), '') AS secteur_designe
            FROM {designations}
        ),
        ranked AS (
            SELECT *,
                   CASE WHEN siren_valide(siren_designe_brut) THEN siren_designe_brut END AS siren_designe,
                   row_number() OVER (PARTITION BY siren_organisme
                                      ORDER BY date_designation DESC NULLS LAST, numero_ligne DESC) AS rang,
                   count(*) OVER (PARTITION BY siren_organisme) AS nb_designations,
                   min(date_designation) OVER (PARTITION BY siren_organisme) AS date_premiere_designation
            FROM rows
            WHERE regexp_full_match(siren_organisme, '[0-9]{{9}}')
        ),
        latest AS (
            SELECT *,
                   -- A body is named (by name or SIREN) and is not the designating body itself.
                   CASE WHEN (nom_designe IS NOT NULL OR siren_designe_brut IS NOT NULL)
                             AND siren_designe IS DISTINCT FROM siren_organisme
                        THEN 'externe' ELSE 'interne' END AS type_dpd
            FROM ranked WHERE rang = 1
        ),
        flagged AS (
            SELECT l.*,
                   l.type_dpd = 'externe' AND l.siren_designe IN (SELECT siren FROM {opsn}) AS dpd_via_opsn
            FROM latest l
        )
        SELECT {duckdb_select("entrepot/core_cnil__dpd_organismes", "x")} FROM (
        SELECT siren_organisme, nom_organisme, nb_designations, date_premiere_designation,
               date_designation AS date_derniere_designation, numero_ligne AS numero_ligne_derniere,
               type_dpd, siren_designe AS siren_organisme_dpd, nom_designe AS nom_organisme_dpd,
               secteur_designe AS secteur_organisme_dpd,
               CASE WHEN type_dpd = 'interne' THEN NULL
                    WHEN dpd_via_opsn OR left(siren_designe, 1) IN ('1', '2') OR secteur_designe = 'O' THEN 'oui'
                    WHEN siren_designe IS NULL AND secteur_designe IS NULL THEN 'inconnu'
                    ELSE 'non' END AS dpd_public,
               coalesce(dpd_via_opsn, false) AS dpd_via_opsn
        FROM flagged
        ) x
        ORDER BY x.siren_organisme
    """)
    return con.execute(f"SELECT count(*) FROM {output}").fetchall()[0][0]
