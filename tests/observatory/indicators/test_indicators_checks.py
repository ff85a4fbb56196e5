"""The sanity rules that block a run: each fires on its impossible value, none on a correct table."""

from __future__ import annotations

import pytest

from observatory.indicators.api import check_indicators


def test_correct_indicators_pass(warehouse):
    assert check_indicators(warehouse) == []


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        (
            "SET valeur = 100.5 WHERE code_indicateur = 'part_communes_dpd' AND niveau = 'france' "
            "AND modalite = 'ensemble'",
            "taux hors de [0, 100]",
        ),
        ("SET valeur = -1 WHERE code_indicateur = 'part_epci_dpd'", "taux hors de [0, 100]"),
        (
            "SET valeur = 34876 WHERE code_indicateur = 'nb_communes_dpd' AND niveau = 'france'",
            "plus de communes distinctes",
        ),
        # 504 communes would fit in France, not in Dordogne's 503.
        (
            "SET valeur = 504 WHERE code_indicateur = 'nb_communes_adherentes' AND code_territoire = '24' "
            "AND niveau = 'departement'",
            "plus de communes distinctes",
        ),
        (
            "SET valeur = 9 WHERE code_indicateur = 'nb_communes_adherentes' AND niveau = 'france'",
            "forme distincte supérieure à la forme naïve",
        ),
        (
            "SET valeur = 7000000 WHERE code_indicateur = 'population_couverte' AND niveau = 'france'",
            "forme distincte supérieure à la forme naïve",
        ),
        (
            "SET valeur = 68350799 WHERE code_indicateur = 'population_couverte' AND niveau = 'opsn'",
            "population couverte supérieure",
        ),
        (
            "SET valeur = -3 WHERE code_indicateur = 'nb_opsn' AND niveau = 'france' AND modalite = 'ensemble'",
            "valeur négative",
        ),
        ("SET code_indicateur = 'inconnu' WHERE code_indicateur = 'nb_opsn'", "indicateur absent du catalogue"),
    ],
)
def test_each_rule_fires(warehouse, change, rule):
    cursor = warehouse.cursor()
    cursor.execute("CREATE OR REPLACE TEMP TABLE broken AS SELECT * FROM out__indicateurs")
    cursor.execute(f"UPDATE broken {change}")
    violations = check_indicators(cursor, "broken")
    cursor.execute("DROP TABLE broken")
    cursor.close()
    assert any(message.startswith(rule) for message in violations), violations
