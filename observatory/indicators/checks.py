"""Sanity rules on the published indicators: values no correct computation can produce.

`check_indicators` returns the violated rules as sentences (empty list = OK); the Dagster layer
turns a non-empty list into a blocking asset check, so an impossible figure is never published.
"""

from __future__ import annotations

import duckdb

from observatory import table_catalog
from observatory.indicators.catalogue import load_catalogue
from observatory.indicators.members import france_communes_sql

# Counts of distinct communes: none can exceed the communes of France in its territory.
COMMUNE_COUNTS = (
    "nb_communes_adherentes",
    "nb_communes_multi_opsn",
    "nb_communes_dpd",
    "nb_communes_dpd_externe",
    "nb_communes_dpd_externe_public",
    "nb_communes_dpd_via_opsn",
    "designations_par_annee",
)
# Populations of distinct communes: none can exceed the population of the territory.
POPULATIONS = ("population_communes_adherentes", "population_couverte")
# (distinct, naive): counting each collectivité once can never give more than counting it per OPSN.
DISTINCT_NAIVE = (
    ("nb_communes_adherentes", "nb_communes_adherentes_naif"),
    ("nb_adherents", "nb_adherents_naif"),
    ("population_couverte", "population_couverte_naif"),
)
_SHOWN = 5


def _describe(rule: str, rows: list[tuple]) -> str:
    shown = "; ".join(" ".join(str(value) for value in row) for row in rows[:_SHOWN])
    more = f" (et {len(rows) - _SHOWN} autres)" if len(rows) > _SHOWN else ""
    return f"{rule} : {shown}{more}"


def _in(codes) -> str:
    return "(" + ", ".join(f"'{code}'" for code in codes) + ")"


def check_indicators(con: duckdb.DuckDBPyConnection, table: str = table_catalog.INDICATORS) -> list[str]:
    # Territory sizes come from the referential: France for the france and opsn levels (an
    # OPSN may declare communes anywhere), the région or département itself otherwise. A région
    # code can equal a département code (11, 24...), hence the level in the key.
    sizes = f"""
        WITH communes AS ({france_communes_sql()}),
        sizes AS (
            SELECT 'FR' AS cle, count(*) AS nb_communes, sum(population) AS population FROM communes
            UNION ALL SELECT 'region:' || code_region, count(*), sum(population) FROM communes GROUP BY code_region
            UNION ALL SELECT 'departement:' || code_departement, count(*), sum(population)
                      FROM communes GROUP BY code_departement
        )
        SELECT i.code_indicateur, i.niveau, i.code_territoire, i.modalite, i.valeur, s.nb_communes, s.population
        FROM {table} i
        JOIN sizes s ON s.cle = CASE WHEN i.niveau IN ('france', 'opsn') THEN 'FR'
                                     ELSE i.niveau || ':' || i.code_territoire END
    """
    rules = {
        "taux hors de [0, 100]": f"""
            SELECT code_indicateur, niveau, code_territoire, modalite, valeur FROM {table}
            WHERE unite = 'pourcentage' AND (valeur < 0 OR valeur > 100)""",
        "valeur négative": f"""
            SELECT code_indicateur, niveau, code_territoire, modalite, valeur FROM {table}
            WHERE unite <> 'pourcentage' AND valeur < 0""",
        "plus de communes distinctes que le territoire n'en compte": f"""
            SELECT code_indicateur, niveau, code_territoire, modalite, valeur, nb_communes FROM ({sizes})
            WHERE code_indicateur IN {_in(COMMUNE_COUNTS)} AND valeur > nb_communes""",
        "population couverte supérieure à celle du territoire": f"""
            SELECT code_indicateur, niveau, code_territoire, modalite, valeur, population FROM ({sizes})
            WHERE code_indicateur IN {_in(POPULATIONS)} AND valeur > population""",
        "forme distincte supérieure à la forme naïve": " UNION ALL ".join(
            f"""
            SELECT d.code_indicateur, d.niveau, d.code_territoire, d.valeur, n.valeur
            FROM {table} d JOIN {table} n USING (niveau, code_territoire, modalite)
            WHERE d.code_indicateur = '{distinct}' AND n.code_indicateur = '{naive}' AND d.valeur > n.valeur"""
            for distinct, naive in DISTINCT_NAIVE
        ),
        "indicateur absent du catalogue": f"""
            SELECT DISTINCT code_indicateur FROM {table}
            WHERE code_indicateur NOT IN {_in(load_catalogue().codes)}""",
    }
    violations = []
    for rule, query in rules.items():
        rows = con.execute(query).fetchall()
        if rows:
            violations.append(_describe(rule, rows))
    return violations
