"""The mini sources (tests/fixtures/sources-mini/) loaded into a DuckDB warehouse.

Declarations and the CNIL file go through the lead's loaders. `core_declarations__adhesions` is
built from HAND_RECONCILIATION, the reconciliation a reviewer does by hand (see the fixture's
README), so the indicators are tested on known inputs whatever the state of the reconciliation
engine; test_indicators_fixture_reconcile.py compares the engine with it.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from observatory.cnil import load_cnil
from observatory.declarations import load_declarations
from observatory.referential import load_referential
from observatory.schemas import duckdb_columns

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "sources-mini"

# numero_ligne of declarations/adherents.csv -> (statut_rapprochement, type_collectivite, code_collectivite)
HAND_RECONCILIATION = {
    2: ("rapproche", "commune", "24322"),  # Périgueux, SIREN and code given
    3: ("rapproche", "commune", "24037"),  # BERGERAC, name and département only
    4: ("rapproche", "commune", "24520"),  # Sarlat-la-Canéda, code only
    5: ("rapproche", "commune", "24087"),  # Castels: old name of Castels et Bézenac
    6: ("rapproche", "epci", "200040392"),  # CA Le Grand Périgueux
    7: ("rapproche", "commune", "24064"),  # Brantôme en Périgord (also declared by CDG48)
    8: ("hors_referentiel", None, None),  # a syndicat
    9: ("rapproche", "commune", "48095"),  # Mende
    10: ("rapproche", "commune", "24064"),  # Brantôme again, by another OPSN
    11: ("rapproche", "departement", "48"),  # Lozère
    12: ("hors_referentiel", None, None),  # an association
    13: ("rapproche", "commune", "48095"),  # Mende declared twice by the same OPSN
    14: ("rapproche", "commune", "97502"),  # Saint-Pierre, overseas collectivité (zone com)
    15: ("rapproche", "commune", "31395"),  # Muret
    16: ("rapproche", "region", "76"),  # Occitanie
    17: ("non_trouve", None, None),  # a name no commune bears
}


def build_hand_adhesions(con: duckdb.DuckDBPyConnection, table: str = "core_declarations__adhesions") -> None:
    con.execute("CREATE OR REPLACE TEMP TABLE _hand (numero_ligne BIGINT, statut VARCHAR, type VARCHAR, code VARCHAR)")
    con.executemany(
        "INSERT INTO _hand VALUES (?, ?, ?, ?)", [(line, *decision) for line, decision in HAND_RECONCILIATION.items()]
    )
    con.execute(f"CREATE OR REPLACE TABLE {table} ({duckdb_columns('adhesions')})")
    con.execute(f"""
        INSERT INTO {table} (id_adhesion, siren_opsn, numero_ligne, nom_adherent, type_adherent, siren_adherent,
                             code_insee_adherent, code_postal, code_departement, date_adhesion,
                             statut_rapprochement, type_collectivite, code_insee, siren_collectivite,
                             code_collectivite, adhesion_multiple)
        SELECT a.id_adhesion, a.siren_opsn, a.numero_ligne, a.nom_adherent, a.type_adherent, a.siren_adherent,
               a.code_insee_adherent, a.code_postal, a.code_departement, a.date_adhesion,
               h.statut, h.type, CASE WHEN h.type = 'commune' THEN h.code END,
               CASE h.type WHEN 'commune' THEN c.siren WHEN 'epci' THEN h.code END, h.code,
               count(DISTINCT a.siren_opsn) OVER (PARTITION BY h.type, h.code) > 1 AND h.code IS NOT NULL
        FROM core_declarations__adherents a
        JOIN _hand h USING (numero_ligne)
        LEFT JOIN core_cog__communes c ON h.type = 'commune' AND c.code_insee = h.code
                                      AND c.type_commune = 'commune_actuelle'
    """)
    con.execute("DROP TABLE _hand")


def load_fixture(con: duckdb.DuckDBPyConnection) -> None:
    load_referential(con)
    load_declarations(con, FIXTURE)
    load_cnil(con, FIXTURE / "cnil" / "opencnil-organismes-avec-dpo.csv")
