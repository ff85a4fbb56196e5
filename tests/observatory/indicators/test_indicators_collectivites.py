"""The per-collectivité table: every commune of France and every EPCI, with the facts indicators use."""

from __future__ import annotations

from observatory.schemas import field_names
from observatory.table_checks import contract_violations


def one(warehouse, sql, *params):
    return warehouse.execute(sql, list(params)).fetchall()


def test_shape_and_contract(warehouse):
    columns = [row[0] for row in warehouse.execute("DESCRIBE out__collectivites").fetchall()]
    assert columns == field_names("collectivites")
    assert one(warehouse, "SELECT type_collectivite, count(*) FROM out__collectivites GROUP BY 1 ORDER BY 1") == [
        ("commune", 34_875),
        ("epci", 1_255),
    ]
    assert contract_violations(warehouse, "out__collectivites", "collectivites") == {}


def test_france_excludes_overseas_collectivities(warehouse):
    assert one(warehouse, "SELECT count(*) FROM out__collectivites WHERE code_insee = '97502'") == [(0,)]
    assert one(warehouse, "SELECT sum(population) FROM out__collectivites WHERE type_collectivite = 'commune'") == [
        (68_350_798,)
    ]


def test_coverage_takes_the_most_direct_way(warehouse):
    rows = one(
        warehouse,
        """
        SELECT couverture, count(*), sum(population) FROM out__collectivites
        WHERE type_collectivite = 'commune' GROUP BY 1 ORDER BY 1""",
    )
    assert rows == [
        ("aucune", 34_875 - 4_493, 68_350_798 - 6_269_949),
        ("departement", 151, 64_022),
        ("directe", 7, 108_047),
        ("epci", 42, 75_792),
        ("region", 4_293, 6_022_088),
    ]


def test_commune_declared_by_two_opsn(warehouse):
    assert one(
        warehouse, "SELECT nb_opsn, sirens_opsn, couverture FROM out__collectivites WHERE code_insee = '24064'"
    ) == [(2, "252405147|284800026", "directe")]
    # Declared twice by the same OPSN: one OPSN.
    assert one(warehouse, "SELECT nb_opsn, sirens_opsn FROM out__collectivites WHERE code_insee = '48095'") == [
        (1, "284800026")
    ]


def test_epci_row(warehouse):
    assert one(
        warehouse,
        """
        SELECT nb_opsn, couverture, population, a_designe_dpd, dpd_via_opsn, code_insee, code_departement
        FROM out__collectivites WHERE siren = '200040392'""",
    ) == [(1, "directe", 104_847, True, True, None, None)]
    # A member département covers communes, not the EPCI they belong to.
    assert one(warehouse, "SELECT couverture FROM out__collectivites WHERE siren = '244800405'") == [("aucune",)]


def test_dpd_columns(warehouse):
    rows = one(
        warehouse,
        """
        SELECT code_insee, a_designe_dpd, type_dpd, dpd_public, dpd_via_opsn, siren_organisme_dpd,
               CAST(date_premiere_designation AS VARCHAR), CAST(date_derniere_designation AS VARCHAR)
        FROM out__collectivites WHERE code_insee IN ('24520', '24087', '48095') ORDER BY 1""",
    )
    assert rows == [
        ("24087", False, None, None, None, None, None, None),
        ("24520", True, "externe", "oui", True, "252405147", "2018-05-25", "2021-03-15"),
        ("48095", True, "externe", "inconnu", False, None, "2019-02-01", "2019-02-01"),
    ]
