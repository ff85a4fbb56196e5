"""Statuses that are not a match, declared types, and conflicting evidence."""

from __future__ import annotations

import pytest
from reconcile_helpers import anomalies, reconcile_cases

ANNECY_SIREN = "200063402"
SAINT_BRIEUC_SIREN = "212202782"
C = {"type_adherent": "commune"}

CASES = {
    **{
        f"nothing {name}": {**C, "nom_adherent": name, "code_departement": "22"}
        for name in (None, "", "NC", "-", "A COMPLETER")
    },
    "type_mairie": {"nom_adherent": "Saint-Brieuc", "type_adherent": "mairie", "code_departement": "22"},
    "type_Commune": {"nom_adherent": "Saint-Brieuc", "type_adherent": "Commune", "code_departement": "22"},
    "type_Departement": {"nom_adherent": "Ain", "type_adherent": "Département"},
    "type_absent": {"nom_adherent": "Saint-Brieuc", "code_departement": "22"},
    "type_absent_epci": {"nom_adherent": "Communauté de communes du Cap Corse"},
    "syndicat": {"nom_adherent": "SIVOM de Plouha", "type_adherent": "syndicat", "siren_adherent": "253514491"},
    "autre": {"nom_adherent": "CCAS de Plouha", "type_adherent": "autre"},
    "epci_declared_commune_siren": {**C, "nom_adherent": "CC du Cap Corse", "siren_adherent": "200042943"},
    "epci_declared_commune_name": {**C, "nom_adherent": "Communauté de communes du Cap Corse"},
    "code_vs_name": {**C, "nom_adherent": "Plouha", "code_insee_adherent": "22278"},
    "siren_vs_name": {**C, "nom_adherent": "Plouha", "siren_adherent": ANNECY_SIREN},
    "siren_vs_unknown_name": {**C, "nom_adherent": "Mairie annexe", "siren_adherent": SAINT_BRIEUC_SIREN},
    "typo_vs_code": {**C, "nom_adherent": "Sain-Brieuc", "code_insee_adherent": "22278"},
    "two_codes_vs_name": {
        **C,
        "nom_adherent": "Plouha",
        "siren_adherent": SAINT_BRIEUC_SIREN,
        "code_insee_adherent": "22278",
    },
    "siren_vs_code": {**C, "nom_adherent": "", "siren_adherent": ANNECY_SIREN, "code_insee_adherent": "22278"},
    "siren_vs_code_named": {
        **C,
        "nom_adherent": "Annecy",
        "siren_adherent": ANNECY_SIREN,
        "code_insee_adherent": "22278",
    },
    "code_vs_dept": {**C, "nom_adherent": "Saint-Brieuc", "code_insee_adherent": "22278", "code_departement": "29"},
}


@pytest.fixture(scope="module")
def r(con):
    return reconcile_cases(con, CASES)


def test_nothing_to_match_on_is_invalid(r):
    for name in (None, "", "NC", "-", "A COMPLETER"):
        row = r[f"nothing {name}"]
        assert (row["statut_rapprochement"], row["methode_rapprochement"]) == ("invalide", "rien_a_rapprocher"), name


def test_type_out_of_vocabulary_is_invalid(r):
    row = r["type_mairie"]
    assert (row["statut_rapprochement"], row["methode_rapprochement"]) == ("invalide", "type_adherent")
    assert anomalies(row) == ["type_adherent_inconnu"]


def test_type_differing_only_by_case_or_accents_is_read(r):
    assert (r["type_Commune"]["code_collectivite"], anomalies(r["type_Commune"])) == (
        "22278",
        ["type_adherent_non_normalise"],
    )
    assert r["type_Departement"]["code_collectivite"] == "01"


def test_missing_type_tries_every_family(r):
    assert (r["type_absent"]["code_collectivite"], anomalies(r["type_absent"])) == ("22278", ["type_adherent_absent"])
    assert r["type_absent_epci"]["code_collectivite"] == "200042943"


def test_syndicat_and_autre_are_out_of_the_referential(r):
    for case in ("syndicat", "autre"):
        assert (r[case]["statut_rapprochement"], r[case]["methode_rapprochement"], r[case]["anomalies"]) == (
            "hors_referentiel",
            "type_adherent",
            None,
        )


def test_declared_type_that_disagrees_with_what_was_found(r):
    for case in ("epci_declared_commune_siren", "epci_declared_commune_name"):
        row = r[case]
        assert (row["type_collectivite"], row["code_collectivite"]) == ("epci", "200042943"), case
        assert anomalies(row) == ["type_adherent_incoherent"]


def test_insee_code_contradicted_by_the_name_is_ambiguous(r):
    # 22278 is Saint-Brieuc; the name designates Plouha (22222) exactly.
    row = r["code_vs_name"]
    assert (row["statut_rapprochement"], row["methode_rapprochement"], row["candidats"]) == (
        "ambigu",
        "conflit",
        "22222|22278",
    )
    assert anomalies(row) == ["conflit_code_nom"]


def test_siren_contradicted_by_the_name_is_ambiguous(r):
    assert (r["siren_vs_name"]["statut_rapprochement"], r["siren_vs_name"]["candidats"]) == ("ambigu", "22222|74010")
    assert (r["siren_vs_unknown_name"]["statut_rapprochement"], r["siren_vs_unknown_name"]["candidats"]) == (
        "ambigu",
        "22278",
    )


def test_a_misspelt_name_does_not_contradict_its_code(r):
    assert (r["typo_vs_code"]["statut_rapprochement"], r["typo_vs_code"]["code_collectivite"]) == ("rapproche", "22278")


def test_siren_and_insee_code_that_agree_beat_a_name_that_does_not(r):
    row = r["two_codes_vs_name"]
    assert (row["statut_rapprochement"], row["code_collectivite"], anomalies(row)) == (
        "rapproche",
        "22278",
        ["conflit_code_nom"],
    )


def test_siren_and_insee_code_of_two_communes(r):
    row = r["siren_vs_code"]
    assert (row["statut_rapprochement"], row["candidats"], anomalies(row)) == (
        "ambigu",
        "22278|74010",
        ["conflit_siren_code"],
    )
    # The name settles it, and the anomaly says a code was wrong.
    row = r["siren_vs_code_named"]
    assert (row["statut_rapprochement"], row["code_collectivite"], row["methode_rapprochement"], anomalies(row)) == (
        "rapproche",
        "74010",
        "siren",
        ["conflit_siren_code"],
    )


def test_declared_departement_that_disagrees_with_a_code_match(r):
    assert (r["code_vs_dept"]["code_collectivite"], anomalies(r["code_vs_dept"])) == ("22278", ["conflit_departement"])


def test_one_output_row_per_input_row_in_input_order(reconcile):
    rows = [
        {"nom_adherent": name, "type_adherent": "commune", "code_departement": dept}
        for name, dept in (("Plouha", "22"), ("Saint-Martin", None), ("Annecy", "74"), ("Plouha", "22"))
    ]
    result = reconcile(rows)
    assert [row["numero_ligne"] for row in result] == [2, 3, 4, 5]
    assert [row["code_collectivite"] for row in result] == ["22222", None, "74010", "22222"]
    assert reconcile.report.rows == 4
    assert reconcile.report.by_status == {"rapproche": 3, "ambigu": 1}
    assert reconcile.report.by_method == {"nom_departement": 3, "nom_seul": 1}
