"""Paths by name: département, postal code, former names, homonyms, EPCI, fuzzy, not found."""

from __future__ import annotations

from reconcile_helpers import ALSACE, BRETAGNE, anomalies

# Current communes named exactly Saint-Martin (32, 54, 65, 67, and the COM 978), plus
# former communes of that name now part of another commune.
SAINT_MARTIN = {"32389", "54480", "65392", "67426", "97801"}


def status(row: dict) -> tuple:
    return row["statut_rapprochement"], row["code_collectivite"], row["methode_rapprochement"]


def test_name_and_departement_with_every_kind_of_spelling(one):
    for declared in ("Saint-Brieuc", "ST BRIEUC", "st-brieuc", "SAINT BRIEUC CEDEX 1", "Mairie de Saint-Brieuc",
                     "  Saint -  Brieuc "):
        assert status(one(nom_adherent=declared, type_adherent="commune", code_departement="22")) == (
            "rapproche", "22278", "nom_departement"), declared
    assert status(one(nom_adherent="ROCHELLE (LA)", type_adherent="commune", code_departement="17"))[1] == "17300"
    assert status(one(nom_adherent="Bar s/ Seine", type_adherent="commune", code_departement="10"))[1] == "10034"
    assert status(one(nom_adherent="Abergement-Clémenciat (L')", type_adherent="commune",
                      code_departement="1"))[1] == "01001"


def test_saint_martin_homonyms_without_departement_are_ambiguous_with_their_candidates(one):
    row = one(nom_adherent="Saint-Martin", type_adherent="commune")
    assert row["statut_rapprochement"] == "ambigu" and row["code_collectivite"] is None
    candidates = row["candidats"].split("|")
    assert SAINT_MARTIN <= set(candidates) and len(candidates) > len(SAINT_MARTIN)  # former communes too
    # Mégalis Bretagne serves 56, home of a former Saint-Martin: it comes first, then by code.
    assert candidates[0] == "56229" and candidates[1:] == sorted(candidates[1:])


def test_ambiguous_candidates_of_the_opsn_departements_come_first(one):
    row = one(siren_opsn=ALSACE, nom_adherent="Saint-Martin", type_adherent="commune")
    assert row["candidats"].split("|")[0] == "67426"


def test_the_opsn_territory_never_decides(one):
    # Only one Saint-Martin lies in Mégalis Bretagne's départements (56229, a former commune):
    # still no guess, since OPSN have members outside their territory.
    row = one(siren_opsn=BRETAGNE, nom_adherent="Saint-Martin", type_adherent="commune")
    assert (row["statut_rapprochement"], row["code_collectivite"]) == ("ambigu", None)


def test_saint_martin_with_a_departement_or_a_postal_code(one):
    assert status(one(nom_adherent="Saint-Martin", type_adherent="commune", code_departement="67")) == (
        "rapproche", "67426", "nom_departement")
    assert status(one(nom_adherent="Saint-Martin", type_adherent="commune", code_postal="65360")) == (
        "rapproche", "65392", "code_postal_nom")


def test_a_name_borne_by_one_commune_only_needs_nothing_else(one):
    assert status(one(nom_adherent="Plouha", type_adherent="commune")) == ("rapproche", "22222", "nom_seul")


def test_postal_code_and_name_for_the_two_la_rochelle(one):
    assert status(one(nom_adherent="La Rochelle", type_adherent="commune", code_postal="70120"))[1] == "70450"
    assert status(one(nom_adherent="La Rochelle", type_adherent="commune", code_postal="17000"))[1] == "17300"
    assert one(nom_adherent="La Rochelle", type_adherent="commune")["statut_rapprochement"] == "ambigu"


def test_a_cedex_postal_code_still_gives_the_departement(one):
    row = one(nom_adherent="SAINT-BRIEUC CEDEX 1", type_adherent="commune", code_postal="22023")
    assert status(row) == ("rapproche", "22278", "code_postal_nom")
    assert anomalies(row) == ["code_postal_incoherent"]


def test_former_names_of_annecy_lead_to_annecy(one):
    for name in ("Annecy-le-Vieux", "SEYNOD", "Cran Gevrier", "Meythet", "Pringy"):
        row = one(nom_adherent=name, type_adherent="commune", code_departement="74")
        assert status(row) == ("rapproche", "74010", "ancien_nom"), name
        assert anomalies(row) == ["ancien_nom"]
    assert status(one(nom_adherent="Annecy-le-Vieux", type_adherent="commune"))[1] == "74010"
    assert status(one(nom_adherent="Annecy", type_adherent="commune", code_departement="74")) == (
        "rapproche", "74010", "nom_departement")


def test_fuzzy_name_within_the_departement(one):
    row = one(nom_adherent="Saint-Breiuc", type_adherent="commune", code_departement="22")
    assert status(row) == ("rapproche", "22278", "nom_flou")
    assert 0.75 <= row["score"] < 1 and anomalies(row) == ["nom_inexact"]
    # The same typo without a département is never fuzzy-matched.
    assert one(nom_adherent="Saint-Breiuc", type_adherent="commune")["statut_rapprochement"] == "non_trouve"


def test_fuzzy_name_close_to_two_communes_is_ambiguous(one):
    # "Crmans" is one letter away from both Cramans (39176) and Crans (39178).
    row = one(nom_adherent="Crmans", type_adherent="commune", code_departement="39")
    assert (row["statut_rapprochement"], row["methode_rapprochement"], row["candidats"]) == (
        "ambigu", "nom_flou", "39176|39178")


def test_names_that_do_not_exist_are_not_found(one):
    for name, dept in (("Saint-Gaspard-les-Tilleuls", "22"), ("Villers-Eulalie-sur-Brévenne", ""),
                       ("Bourg-Odilon-des-Prés-Hauts", "74")):
        row = one(nom_adherent=name, type_adherent="commune", code_departement=dept or None)
        assert (row["statut_rapprochement"], row["code_collectivite"]) == ("non_trouve", None), name


def test_a_name_found_only_in_another_departement_is_not_guessed(one):
    row = one(nom_adherent="Plouha", type_adherent="commune", code_departement="29")
    assert (row["statut_rapprochement"], row["candidats"]) == ("ambigu", "22222")
    assert anomalies(row) == ["conflit_departement"]


def test_epci_by_name_spelt_out_or_abbreviated(one):
    for name in ("Communauté de communes du Cap Corse", "CC DU CAP CORSE", "CC du Cap-Corse"):
        assert status(one(nom_adherent=name, type_adherent="epci")) == ("rapproche", "200042943", "nom_epci"), name


def test_epci_homonyms_need_a_departement(one):
    row = one(nom_adherent="Communauté de communes des Quatre Rivières", type_adherent="epci")
    assert (row["statut_rapprochement"], row["candidats"]) == ("ambigu", "247000623|247400666")
    row = one(nom_adherent="CC des Quatre Rivières", type_adherent="epci", code_departement="74")
    assert status(row) == ("rapproche", "247400666", "nom_epci")


def test_epci_fuzzy(one):
    row = one(nom_adherent="CC du Cap Crose", type_adherent="epci")
    assert status(row) == ("rapproche", "200042943", "nom_epci_flou")
