"""The published `indicateurs` table: its contract, its territories, and empty rates."""

from __future__ import annotations

from observatory.schemas import field_names
from observatory.table_checks import contract_violations


def rows(warehouse, sql):
    return warehouse.execute(sql).fetchall()


def test_contract(warehouse):
    columns = [row[0] for row in warehouse.execute("DESCRIBE out__indicateurs").fetchall()]
    assert columns == field_names("indicateurs")
    assert contract_violations(warehouse, "out__indicateurs", "indicateurs") == {}


def test_territories_of_each_level(warehouse):
    assert rows(
        warehouse,
        """
        SELECT niveau, count(DISTINCT code_territoire) FROM out__indicateurs GROUP BY 1 ORDER BY 1""",
    ) == [("departement", 101), ("france", 1), ("opsn", 3), ("region", 18)]
    assert rows(
        warehouse,
        """
        SELECT DISTINCT code_territoire, libelle_territoire FROM out__indicateurs
        WHERE niveau <> 'departement' AND code_territoire IN ('FR', '76', '252405147') ORDER BY 1""",
    ) == [("252405147", "ATD24"), ("76", "Occitanie"), ("FR", "France")]
    assert rows(
        warehouse,
        """
        SELECT DISTINCT libelle_territoire FROM out__indicateurs WHERE niveau = 'departement'
        AND code_territoire = '24'""",
    ) == [("Dordogne",)]


def test_every_commune_indicator_covers_every_region_and_departement(warehouse):
    missing = rows(
        warehouse,
        """
        SELECT code_indicateur, niveau, count(DISTINCT code_territoire) AS n FROM out__indicateurs
        WHERE niveau IN ('region', 'departement') AND code_indicateur NOT IN ('designations_par_annee')
        GROUP BY 1, 2 HAVING n <> CASE niveau WHEN 'region' THEN 18 ELSE 101 END""",
    )
    assert missing == []


def test_rate_is_empty_when_denominator_is_zero(warehouse):
    # Paris is one commune of 10,000+ inhabitants: no commune of the smaller strata.
    assert rows(
        warehouse,
        """
        SELECT modalite, valeur FROM out__indicateurs WHERE code_indicateur = 'part_communes_dpd'
        AND niveau = 'departement' AND code_territoire = '75' ORDER BY modalite""",
    ) == [
        ("0-499", None),
        ("10000+", 0.0),
        ("2000-3499", None),
        ("3500-9999", None),
        ("500-1999", None),
        ("ensemble", 0.0),
    ]
    # No commune of Gironde has a DPD in the fixture: no external one either, so the public share is empty.
    assert rows(
        warehouse,
        """
        SELECT valeur FROM out__indicateurs WHERE code_indicateur = 'part_communes_dpd_externe_public'
        AND niveau = 'departement' AND code_territoire = '33'""",
    ) == [(None,)]
