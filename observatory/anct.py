"""The ANCT's daily files: operators and the collectivités they registered (a second membership source).

The adherents file lists the Suite territoriale's registered users, not statutory members
(data-sources.md §3.1), so it never replaces an OPSN's own declaration: it is compared with
it, and stands in only for an OPSN that publishes none.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from observatory import table_catalog
from observatory.declarations import membership_id
from observatory.schemas import duckdb_columns, field_names
from observatory.sources.csvfile import LINE_NUMBER, read_csv_strings, require_columns
from observatory.sources.field_types import type_frame
from observatory.warehouse_tables import write_table

OPERATORS_SCHEMA = "sources/anct-operateurs-quotidien"
MEMBERS_SCHEMA = "sources/anct-adherents-quotidien"
OPERATORS_TABLE = table_catalog.ANCT_OPERATORS
MEMBERS_TABLE = table_catalog.ANCT_MEMBERS
COMPARISON_TABLE = table_catalog.SOURCE_COMPARISON
# How a release names the two files among its sources (data.gouv.fr dataset 68b0a2a1117b75b1b09edc6b).
SOURCE_TITLES = {
    "anct_operateurs": "ANCT, Suite territoriale : opérateurs",
    "anct_adherents": "ANCT, Suite territoriale : collectivités inscrites par chaque opérateur "
    "(adhésions d'un OPSN sans déclaration)",
}
# The ANCT's own row and test rows sit among the operators; they are not OPSN.
ANCT_SIRET = "13002603200016"
TEST_NAMES = {"TEST"}


def _siren(siret: pd.Series) -> pd.Series:
    digits = siret.str.replace(" ", "", regex=False)
    return digits.str[:9].where(digits.str.fullmatch(r"\d{9,14}"), None)


def _membership_ids(frame: pd.DataFrame) -> pd.Series:
    """Stable id of an ANCT row, in the `adhesions` id format, never equal to a declared row's
    (the payload starts with "anct"); repeats numbered in file order as for declarations."""
    fields = ["operateur_id", "organisation_siret", "organisation_type", "organisation_nom", "organisation_code_insee"]
    base = pd.Series(
        [membership_id(["anct", *values]) for values in zip(*(frame[f].tolist() for f in fields), strict=True)],
        index=frame.index,
        dtype=object,
    )
    occurrence = base.groupby(base).cumcount() + 1
    return base.where(occurrence == 1, base + "-" + occurrence.astype(str))


def _read(path: Path, schema: str) -> pd.DataFrame:
    frame = read_csv_strings(path, sep=";")
    require_columns(path, frame, field_names(schema))
    return type_frame(path, frame[[LINE_NUMBER, *field_names(schema)]], schema)


def load_operators(con: duckdb.DuckDBPyConnection, path: Path) -> int:
    frame = _read(path, OPERATORS_SCHEMA)
    frame["siren"] = _siren(frame["siret"])
    frame["est_opsn"] = (
        (frame["siret"] != ANCT_SIRET) & ~frame["nom"].str.upper().isin(TEST_NAMES) & frame["siren"].notna()
    )
    return write_table(con, OPERATORS_TABLE, duckdb_columns(f"entrepot/{OPERATORS_TABLE}"), frame)


def load_members(con: duckdb.DuckDBPyConnection, path: Path) -> int:
    frame = _read(path, MEMBERS_SCHEMA)
    frame["siren_collectivite"] = _siren(frame["organisation_siret"])
    # Line in the file and stable id: an ANCT row counted in `adhesions` is traced like a declared one.
    frame["id_adhesion"] = _membership_ids(frame)
    return write_table(con, MEMBERS_TABLE, duckdb_columns(f"entrepot/{MEMBERS_TABLE}"), frame)


def compare_sources(con: duckdb.DuckDBPyConnection) -> int:
    """One row per OPSN in either source: collectivités (communes and EPCI, by SIREN) in each, in both."""
    con.execute(
        f"""
        CREATE OR REPLACE TABLE {COMPARISON_TABLE} AS
        WITH declared_opsn AS (SELECT siren, nom FROM core_declarations__opsn),
        anct_opsn AS (
            SELECT siren, min(nom) AS nom FROM {OPERATORS_TABLE} WHERE est_opsn GROUP BY siren
        ),
        opsn AS (
            SELECT siren, nom, 'declaration' AS source_retenue FROM declared_opsn
            UNION ALL
            SELECT siren, nom, 'anct' FROM anct_opsn WHERE siren NOT IN (SELECT siren FROM declared_opsn)
        ),
        declared AS (
            -- Rows of declaring OPSN only: an ANCT-only OPSN's rows in `adhesions` are the ANCT's.
            SELECT DISTINCT siren_opsn, siren_collectivite AS siren
            FROM core_declarations__adhesions
            WHERE siren_opsn IN (SELECT siren FROM declared_opsn)
              AND statut_rapprochement = 'rapproche' AND type_collectivite IN ('commune', 'epci')
              AND siren_collectivite IS NOT NULL
        ),
        registered AS (
            SELECT DISTINCT o.siren AS siren_opsn, a.siren_collectivite AS siren
            FROM {MEMBERS_TABLE} a JOIN {OPERATORS_TABLE} o ON a.operateur_id = o.id
            WHERE o.est_opsn AND a.organisation_type IN ('commune', 'epci') AND a.siren_collectivite IS NOT NULL
        ),
        joined AS (
            SELECT coalesce(d.siren_opsn, r.siren_opsn) AS siren_opsn,
                   d.siren IS NOT NULL AS in_declared, r.siren IS NOT NULL AS in_registered
            FROM declared d FULL OUTER JOIN registered r ON d.siren_opsn = r.siren_opsn AND d.siren = r.siren
        )
        SELECT o.siren AS siren_opsn, o.nom AS nom_opsn, o.source_retenue,
               count(*) FILTER (WHERE j.in_declared) AS adherents_declaration,
               count(*) FILTER (WHERE j.in_registered) AS adherents_anct,
               count(*) FILTER (WHERE j.in_declared AND j.in_registered) AS dans_les_deux,
               count(*) FILTER (WHERE j.in_declared AND NOT j.in_registered) AS seulement_declaration,
               count(*) FILTER (WHERE j.in_registered AND NOT j.in_declared) AS seulement_anct
        FROM opsn o LEFT JOIN joined j ON j.siren_opsn = o.siren
        GROUP BY ALL
        """
    )
    return con.execute(f"SELECT count(*) FROM {COMPARISON_TABLE}").fetchall()[0][0]
