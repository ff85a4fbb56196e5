"""Statuses that are not a match, declared types, and conflicting evidence."""

from __future__ import annotations

from reconcile_helpers import anomalies

ANNECY_SIREN = "200063402"
SAINT_BRIEUC_SIREN = "212202782"


def test_nothing_to_match_on_is_invalid(one):
    for name in (None, "", "NC", "-", "A COMPLETER"):
        row = one(nom_adherent=name, type_adherent="commune", code_departement="22")
        assert (row["statut_rapprochement"], row["methode_rapprochement"]) == ("invalide", "rien_a_rapprocher"), name


def test_type_out_of_vocabulary_is_invalid(one):
    row = one(nom_adherent="Saint-Brieuc", type_adherent="mairie", code_departement="22")
    assert (row["statut_rapprochement"], row["methode_rapprochement"]) == ("invalide", "type_adherent")
    assert anomalies(row) == ["type_adherent_inconnu"]


def test_type_differing_only_by_case_or_accents_is_read(one):
    row = one(nom_adherent="Saint-Brieuc", type_adherent="Commune", code_departement="22")
    assert (row["statut_rapprochement"], row["code_collectivite"]) == ("rapproche", "22278")
    assert anomalies(row) == ["type_adherent_non_normalise"]
    assert one(nom_adherent="Ain", type_adherent="Département")["code_collectivite"] == "01"


def test_missing_type_tries_every_family(one):
    row = one(nom_adherent="Saint-Brieuc", code_departement="22")
    assert (row["code_collectivite"], anomalies(row)) == ("22278", ["type_adherent_absent"])
    assert one(nom_adherent="Communauté de communes du Cap Corse")["code_collectivite"] == "200042943"


def test_syndicat_and_autre_are_out_of_the_referential(one):
    for kind in ("syndicat", "autre"):
        row = one(nom_adherent="SIVOM de Plouha", type_adherent=kind, siren_adherent="253514491")
        assert (row["statut_rapprochement"], row["anomalies"]) == ("hors_referentiel", None)


def test_declared_type_that_disagrees_with_what_was_found(one):
    row = one(nom_adherent="CC du Cap Corse", type_adherent="commune", siren_adherent="200042943")
    assert (row["type_collectivite"], row["code_collectivite"]) == ("epci", "200042943")
    assert anomalies(row) == ["type_adherent_incoherent"]
    row = one(nom_adherent="Communauté de communes du Cap Corse", type_adherent="commune")
    assert (row["type_collectivite"], anomalies(row)) == ("epci", ["type_adherent_incoherent"])


def test_insee_code_contradicted_by_the_name_is_ambiguous(one):
    # 22278 is Saint-Brieuc; the name designates Plouha (22222) exactly.
    row = one(nom_adherent="Plouha", type_adherent="commune", code_insee_adherent="22278")
    assert (row["statut_rapprochement"], row["methode_rapprochement"], row["candidats"]) == (
        "ambigu", "conflit", "22222|22278")
    assert anomalies(row) == ["conflit_code_nom"]


def test_siren_contradicted_by_the_name_is_ambiguous(one):
    row = one(nom_adherent="Plouha", type_adherent="commune", siren_adherent=ANNECY_SIREN)
    assert (row["statut_rapprochement"], row["candidats"]) == ("ambigu", "22222|74010")


def test_a_misspelt_name_does_not_contradict_its_code(one):
    row = one(nom_adherent="Sain-Brieuc", type_adherent="commune", code_insee_adherent="22278")
    assert (row["statut_rapprochement"], row["code_collectivite"]) == ("rapproche", "22278")


def test_siren_and_insee_code_that_agree_beat_a_name_that_does_not(one):
    row = one(nom_adherent="Mairie annexe", type_adherent="commune", siren_adherent=SAINT_BRIEUC_SIREN,
              code_insee_adherent="22278")
    assert (row["statut_rapprochement"], row["code_collectivite"]) == ("rapproche", "22278")
    assert anomalies(row) == ["conflit_code_nom"]


def test_siren_and_insee_code_of_two_communes(one):
    row = one(nom_adherent="", type_adherent="commune", siren_adherent=ANNECY_SIREN, code_insee_adherent="22278")
    assert (row["statut_rapprochement"], row["candidats"]) == ("ambigu", "22278|74010")
    assert anomalies(row) == ["conflit_siren_code"]
    # The name settles it, and says which code was wrong.
    row = one(nom_adherent="Annecy", type_adherent="commune", siren_adherent=ANNECY_SIREN, code_insee_adherent="22278")
    assert (row["statut_rapprochement"], row["code_collectivite"], row["methode_rapprochement"]) == (
        "rapproche", "74010", "siren")
    assert anomalies(row) == ["conflit_siren_code"]


def test_declared_departement_that_disagrees_with_a_code_match(one):
    row = one(nom_adherent="Saint-Brieuc", type_adherent="commune", code_insee_adherent="22278", code_departement="29")
    assert (row["code_collectivite"], anomalies(row)) == ("22278", ["conflit_departement"])


def test_one_output_row_per_input_row_in_input_order(reconcile):
    rows = [{"nom_adherent": name, "type_adherent": "commune", "code_departement": dept}
            for name, dept in (("Plouha", "22"), ("Saint-Martin", None), ("Annecy", "74"), ("Plouha", "22"))]
    result = reconcile(rows)
    assert [row["numero_ligne"] for row in result] == [2, 3, 4, 5]
    assert [row["code_collectivite"] for row in result] == ["22222", None, "74010", "22222"]
    assert reconcile.report.rows == 4
    assert reconcile.report.by_status == {"rapproche": 3, "ambigu": 1}
