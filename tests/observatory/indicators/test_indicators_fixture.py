"""Every indicator on the mini sources, against the hand computation of tests/fixtures/sources-mini/README.md.

France, Dordogne (24) and ATD24 are asserted for every indicator published at that level;
Occitanie, CDG48 and Haute Garonne Numérique for the cases that only they exercise.
"""

from __future__ import annotations

import pytest

FRANCE_COMMUNES = 34_875
FRANCE_POPULATION = 68_350_798
DORDOGNE_COMMUNES = 503
DORDOGNE_POPULATION = 417_614
ATD24, CDG48, HGN = "252405147", "284800026", "200062628"
FORMS = (
    "syndicat_mixte",
    "syndicat_intercommunal",
    "centre_de_gestion",
    "agence_technique_departementale",
    "gip",
    "association",
    "spl",
    "epci",
    "autre",
)


def pct(numerator, denominator):
    return pytest.approx(100 * numerator / denominator, rel=1e-12)


# --- France ------------------------------------------------------------------------------------


def test_france_panorama(value):
    assert value("nb_opsn") == 3
    assert value("nb_opsn", modalite="declic") == 2
    assert value("nb_opsn", modalite="hors_declic") == 1
    assert {form: value("nb_opsn", modalite=form) for form in FORMS} == {
        "syndicat_mixte": 1,
        "syndicat_intercommunal": 0,
        "centre_de_gestion": 1,
        "agence_technique_departementale": 1,
        "gip": 0,
        "association": 0,
        "spl": 0,
        "epci": 0,
        "autre": 0,
    }
    assert value("nb_adhesions_declarees") == 16
    assert {
        s: value("nb_adhesions_declarees", modalite=s)
        for s in ("rapproche", "hors_referentiel", "non_trouve", "ambigu", "invalide")
    } == {"rapproche": 13, "hors_referentiel": 2, "non_trouve": 1, "ambigu": 0, "invalide": 0}
    assert value("nb_adherents") == 10
    assert value("nb_adherents_naif") == 11
    assert value("adherents_par_opsn", modalite="moyenne") == pytest.approx(11 / 3)
    assert value("adherents_par_opsn", modalite="mediane") == 3
    assert value("adherents_par_opsn", modalite="min") == 2
    assert value("adherents_par_opsn", modalite="max") == 6
    assert value("nb_services_par_opsn", modalite="moyenne") == 2
    assert value("nb_services_par_opsn", modalite="mediane") == 2
    assert value("part_opsn_offrant_service", modalite="dematerialisation") == pct(2, 3)
    assert value("part_opsn_offrant_service", modalite="marches_publics") == pct(1, 3)
    assert value("part_opsn_offrant_service", modalite="dpd_mutualise") == pct(2, 3)
    assert value("part_opsn_offrant_service", modalite="paie_rh") == pct(1, 3)
    assert value("part_opsn_offrant_service", modalite="sig") == 0


def test_france_adhesions_per_year(warehouse):
    rows = warehouse.execute("""
        SELECT modalite, valeur FROM out__indicateurs
        WHERE code_indicateur = 'adhesions_par_annee' AND niveau = 'france' ORDER BY modalite""").fetchall()
    expected = {
        "2005": 2,
        **{
            year: 1 for year in ("2008", "2010", "2011", "2012", "2015", "2016", "2018", "2019", "2020", "2021", "2022")
        },
    }
    assert dict(rows) == expected
    assert sum(expected.values()) == 13


def test_france_coverage(value):
    assert value("nb_communes_adherentes") == 7
    assert value("nb_communes_adherentes_naif") == 8
    assert value("part_communes_adherentes") == pct(7, FRANCE_COMMUNES)
    assert value("nb_communes_multi_opsn") == 1
    assert value("nb_epci_adherents") == 1
    assert value("nb_departements_adherents") == 1
    assert value("nb_regions_adherentes") == 1
    assert value("population_communes_adherentes") == 108_047
    assert value("population_couverte") == 6_269_949
    assert value("population_couverte_naif") == 6_417_796
    assert value("part_population_couverte") == pct(6_269_949, FRANCE_POPULATION)
    assert value("nb_departements_couverts") == 3
    assert value("nb_departements_couverts", modalite="declic") == 2
    assert value("nb_departements_couverts", modalite="hors_declic") == 1


def test_france_dpd(value):
    assert value("nb_communes_dpd") == 11
    assert value("part_communes_dpd") == pct(11, FRANCE_COMMUNES)
    assert value("part_communes_dpd", modalite="0-499") == 0
    assert value("part_communes_dpd", modalite="500-1999") == 0
    assert value("part_communes_dpd", modalite="2000-3499") == pct(2, 2_255)
    assert value("part_communes_dpd", modalite="3500-9999") == pct(5, 2_206)
    assert value("part_communes_dpd", modalite="10000+") == pct(4, 1_048)
    assert value("nb_epci_dpd") == 1
    assert value("part_epci_dpd") == pct(1, 1_255)
    assert value("nb_communes_dpd_externe") == 8
    assert value("part_communes_dpd_externe") == pct(8, 11)
    assert value("nb_communes_dpd_externe_public") == 6
    assert value("part_communes_dpd_externe_public") == 75
    assert value("nb_communes_dpd_via_opsn") == 4
    assert value("part_communes_dpd_via_opsn") == pct(4, 11)
    assert value("part_communes_dpd_adherentes") == pct(6, 7)
    assert value("part_communes_dpd_non_adherentes") == pct(5, FRANCE_COMMUNES - 7)
    assert value("designations_par_annee", modalite="2017") == 1
    assert value("designations_par_annee", modalite="2018") == 5
    assert value("designations_par_annee", modalite="2019") == 4
    assert value("part_communes_dpd_apres_echeance") == 60


def test_france_designation_years_are_only_those_present(warehouse):
    years = warehouse.execute("""
        SELECT list(modalite ORDER BY modalite) FROM out__indicateurs
        WHERE code_indicateur = 'designations_par_annee' AND niveau = 'france'""").fetchall()[0][0]
    assert years == ["2017", "2018", "2019"]


# --- Dordogne ----------------------------------------------------------------------------------


def dordogne(value, code, modalite="ensemble"):
    return value(code, "departement", "24", modalite)


def test_dordogne_panorama_and_coverage(value):
    assert dordogne(value, "nb_opsn") == 1
    assert dordogne(value, "nb_opsn", "declic") == 1
    assert dordogne(value, "nb_opsn", "hors_declic") == 0
    assert dordogne(value, "nb_opsn", "agence_technique_departementale") == 1
    assert dordogne(value, "nb_opsn", "centre_de_gestion") == 0
    assert dordogne(value, "nb_communes_adherentes") == 5
    assert dordogne(value, "nb_communes_adherentes_naif") == 6
    assert dordogne(value, "part_communes_adherentes") == pct(5, DORDOGNE_COMMUNES)
    assert dordogne(value, "nb_communes_multi_opsn") == 1
    assert dordogne(value, "population_communes_adherentes") == 69_504
    assert dordogne(value, "population_couverte") == 145_296
    assert dordogne(value, "part_population_couverte") == pct(145_296, DORDOGNE_POPULATION)


def test_dordogne_dpd(value):
    assert dordogne(value, "nb_communes_dpd") == 7
    assert dordogne(value, "part_communes_dpd") == pct(7, DORDOGNE_COMMUNES)
    assert dordogne(value, "part_communes_dpd", "0-499") == 0
    assert dordogne(value, "part_communes_dpd", "500-1999") == 0
    assert dordogne(value, "part_communes_dpd", "2000-3499") == pct(1, 18)
    assert dordogne(value, "part_communes_dpd", "3500-9999") == pct(4, 13)
    assert dordogne(value, "part_communes_dpd", "10000+") == pct(2, 3)
    assert dordogne(value, "nb_communes_dpd_externe") == 5
    assert dordogne(value, "part_communes_dpd_externe") == pct(5, 7)
    assert dordogne(value, "nb_communes_dpd_externe_public") == 4
    assert dordogne(value, "part_communes_dpd_externe_public") == 80
    assert dordogne(value, "nb_communes_dpd_via_opsn") == 3
    assert dordogne(value, "part_communes_dpd_via_opsn") == pct(3, 7)
    assert dordogne(value, "part_communes_dpd_adherentes") == 80
    assert dordogne(value, "part_communes_dpd_non_adherentes") == pct(3, DORDOGNE_COMMUNES - 5)
    assert dordogne(value, "designations_par_annee", "2017") == 1
    assert dordogne(value, "designations_par_annee", "2018") == 3
    assert dordogne(value, "designations_par_annee", "2019") == 3
    assert dordogne(value, "part_communes_dpd_apres_echeance") == pct(3, 7)


def test_occitanie_region(value):
    assert value("nb_opsn", "region", "76") == 2
    assert value("nb_opsn", "region", "76", "declic") == 1
    assert value("nb_opsn", "region", "76", "hors_declic") == 1
    assert value("nb_departements_adherents", "region", "76") == 1
    assert value("nb_departements_adherents", "region", "75") == 0
    assert value("nb_departements_couverts", "region", "76") == 2
    assert value("nb_departements_couverts", "region", "76", "declic") == 1
    assert value("nb_departements_couverts", "region", "76", "hors_declic") == 1
    assert value("population_couverte", "region", "76") == 6_124_653
    assert value("part_population_couverte", "region", "76") == 100


# --- OPSN --------------------------------------------------------------------------------------


def test_atd24(value):
    def atd24(code, modalite="ensemble"):
        return value(code, "opsn", ATD24, modalite)

    assert atd24("nb_adhesions_declarees") == 7
    assert atd24("nb_adhesions_declarees", "rapproche") == 6
    assert atd24("nb_adhesions_declarees", "hors_referentiel") == 1
    assert atd24("nb_adhesions_declarees", "non_trouve") == 0
    assert atd24("nb_adherents") == 6
    assert atd24("nb_communes_adherentes") == 5
    assert atd24("nb_epci_adherents") == 1
    assert atd24("nb_departements_adherents") == 0
    assert atd24("nb_regions_adherentes") == 0
    assert atd24("population_communes_adherentes") == 69_504
    assert atd24("population_couverte") == 145_296
    assert atd24("population_couverte_naif") == 174_351
    assert atd24("nb_communes_dpd_via_opsn") == 2
    assert atd24("part_communes_territoire_adherentes") == pct(5, DORDOGNE_COMMUNES)
    assert atd24("part_communes_territoire_dpd_opsn") == pct(2, DORDOGNE_COMMUNES)


def test_cdg48_counts_a_member_outside_its_territory_but_not_in_its_representativity(value):
    assert value("nb_adherents", "opsn", CDG48) == 3
    assert value("nb_communes_adherentes", "opsn", CDG48) == 2
    assert value("population_communes_adherentes", "opsn", CDG48) == 16_227
    assert value("population_couverte", "opsn", CDG48) == 80_249
    assert value("population_couverte_naif", "opsn", CDG48) == 92_713
    assert value("nb_communes_dpd_via_opsn", "opsn", CDG48) == 2
    assert value("part_communes_territoire_adherentes", "opsn", CDG48) == pct(1, 152)
    assert value("part_communes_territoire_dpd_opsn", "opsn", CDG48) == pct(1, 152)


def test_hgn_territory_ignores_overseas_collectivities(value):
    assert value("part_communes_territoire_adherentes", "opsn", HGN) == pct(1, 586)
    assert value("part_communes_territoire_dpd_opsn", "opsn", HGN) == 0
    assert value("population_couverte", "opsn", HGN) == 6_124_653
    assert value("nb_adhesions_declarees", "opsn", HGN, "non_trouve") == 1
