"""Paths by name: département, postal code, former names, homonyms, EPCI, fuzzy, not found."""

from __future__ import annotations

import pytest
from reconcile_helpers import ALSACE, anomalies, reconcile_cases

# Current communes named exactly Saint-Martin (32, 54, 65, 67, and the COM 978); former
# communes of that name, now part of another commune, are candidates too.
SAINT_MARTIN = {"32389", "54480", "65392", "67426", "97801"}
C = {"type_adherent": "commune"}
SPELLINGS_OF_SAINT_BRIEUC = (
    "Saint-Brieuc",
    "ST BRIEUC",
    "st-brieuc",
    "SAINT BRIEUC CEDEX 1",
    "Mairie de Saint-Brieuc",
    "  Saint -  Brieuc ",
)

CASES = {
    **{f"brieuc {name}": {**C, "nom_adherent": name, "code_departement": "22"} for name in SPELLINGS_OF_SAINT_BRIEUC},
    "rochelle_article": {**C, "nom_adherent": "ROCHELLE (LA)", "code_departement": "17"},
    "bar_sur_seine": {**C, "nom_adherent": "Bar s/ Seine", "code_departement": "10"},
    "abergement_dept_1": {**C, "nom_adherent": "Abergement-Clémenciat (L')", "code_departement": "1"},
    "saint_martin": {**C, "nom_adherent": "Saint-Martin"},
    "saint_martin_alsace": {**C, "nom_adherent": "Saint-Martin", "siren_opsn": ALSACE},
    "saint_martin_67": {**C, "nom_adherent": "Saint-Martin", "code_departement": "67"},
    "saint_martin_65360": {**C, "nom_adherent": "Saint-Martin", "code_postal": "65360"},
    "plouha": {**C, "nom_adherent": "Plouha"},
    "plouha_29": {**C, "nom_adherent": "Plouha", "code_departement": "29"},
    "rochelle_70120": {**C, "nom_adherent": "La Rochelle", "code_postal": "70120"},
    "rochelle_17000": {**C, "nom_adherent": "La Rochelle", "code_postal": "17000"},
    "rochelle": {**C, "nom_adherent": "La Rochelle"},
    "cedex": {**C, "nom_adherent": "SAINT-BRIEUC CEDEX 1", "code_postal": "22023"},
    **{
        f"annecy {name}": {**C, "nom_adherent": name, "code_departement": "74"}
        for name in ("Annecy-le-Vieux", "SEYNOD", "Cran Gevrier", "Meythet", "Pringy")
    },
    "annecy_le_vieux_alone": {**C, "nom_adherent": "Annecy-le-Vieux"},
    "annecy_74": {**C, "nom_adherent": "Annecy", "code_departement": "74"},
    "typo_22": {**C, "nom_adherent": "Saint-Breiuc", "code_departement": "22"},
    "typo_alone": {**C, "nom_adherent": "Saint-Breiuc"},
    "typo_two_close": {**C, "nom_adherent": "Crmans", "code_departement": "39"},
    "unknown_22": {**C, "nom_adherent": "Saint-Gaspard-les-Tilleuls", "code_departement": "22"},
    "unknown": {**C, "nom_adherent": "Villers-Eulalie-sur-Brévenne"},
    "unknown_74": {**C, "nom_adherent": "Bourg-Odilon-des-Prés-Hauts", "code_departement": "74"},
    **{
        f"epci {name}": {"nom_adherent": name, "type_adherent": "epci"}
        for name in ("Communauté de communes du Cap Corse", "CC DU CAP CORSE", "CC du Cap-Corse")
    },
    "epci_homonyms": {"nom_adherent": "Communauté de communes des Quatre Rivières", "type_adherent": "epci"},
    "epci_homonyms_74": {"nom_adherent": "CC des Quatre Rivières", "type_adherent": "epci", "code_departement": "74"},
    "epci_typo": {"nom_adherent": "CC du Cap Crose", "type_adherent": "epci"},
}


@pytest.fixture(scope="module")
def r(con):
    return reconcile_cases(con, CASES)


def status(row: dict) -> tuple:
    return row["statut_rapprochement"], row["code_collectivite"], row["methode_rapprochement"]


def test_name_and_departement_whatever_the_spelling(r):
    for name in SPELLINGS_OF_SAINT_BRIEUC:
        assert status(r[f"brieuc {name}"]) == ("rapproche", "22278", "nom_departement"), name
    assert status(r["rochelle_article"])[1] == "17300"
    assert status(r["bar_sur_seine"])[1] == "10034"
    assert status(r["abergement_dept_1"])[1] == "01001"
    assert anomalies(r["abergement_dept_1"]) == ["code_departement_sans_zero"]


def test_saint_martin_homonyms_without_departement_are_ambiguous_with_their_candidates(r):
    row = r["saint_martin"]
    assert (row["statut_rapprochement"], row["code_collectivite"]) == ("ambigu", None)
    candidates = row["candidats"].split("|")
    # Former communes that bore the name since 2010 (Saint-Martin, 66, until 2014) are
    # candidates too; one renamed in 2008 (56229, now Saint-Martin-sur-Oust) no longer is.
    assert SAINT_MARTIN | {"66184", "83114"} <= set(candidates) and "56229" not in candidates
    # None lies in Mégalis Bretagne's départements: by code. No guess from the territory.
    assert candidates == sorted(candidates)


def test_candidates_of_the_opsn_departements_come_first(r):
    assert r["saint_martin_alsace"]["candidats"].split("|")[0] == "67426"


def test_saint_martin_with_a_departement_or_a_postal_code(r):
    assert status(r["saint_martin_67"]) == ("rapproche", "67426", "nom_departement")
    assert status(r["saint_martin_65360"]) == ("rapproche", "65392", "code_postal_nom")


def test_a_name_borne_by_one_commune_only_needs_nothing_else(r):
    assert status(r["plouha"]) == ("rapproche", "22222", "nom_seul")


def test_a_name_found_only_in_another_departement_is_not_guessed(r):
    assert (r["plouha_29"]["statut_rapprochement"], r["plouha_29"]["candidats"]) == ("ambigu", "22222")
    assert anomalies(r["plouha_29"]) == ["conflit_departement"]


def test_postal_code_and_name_for_the_two_la_rochelle(r):
    assert status(r["rochelle_70120"]) == ("rapproche", "70450", "code_postal_nom")
    assert status(r["rochelle_17000"]) == ("rapproche", "17300", "code_postal_nom")
    assert (r["rochelle"]["statut_rapprochement"], r["rochelle"]["candidats"]) == ("ambigu", "17300|70450")


def test_a_cedex_postal_code_still_gives_the_departement(r):
    assert status(r["cedex"]) == ("rapproche", "22278", "code_postal_nom")
    assert anomalies(r["cedex"]) == ["code_postal_incoherent"]


def test_former_names_of_annecy_lead_to_annecy(r):
    for name in ("Annecy-le-Vieux", "SEYNOD", "Cran Gevrier", "Meythet", "Pringy"):
        assert status(r[f"annecy {name}"]) == ("rapproche", "74010", "ancien_nom"), name
        assert anomalies(r[f"annecy {name}"]) == ["ancien_nom"]
    assert status(r["annecy_le_vieux_alone"]) == ("rapproche", "74010", "ancien_nom")
    assert status(r["annecy_74"]) == ("rapproche", "74010", "nom_departement")


def test_fuzzy_name_within_the_departement_only(r):
    assert status(r["typo_22"]) == ("rapproche", "22278", "nom_flou")
    assert 0.75 <= r["typo_22"]["score"] < 1 and anomalies(r["typo_22"]) == ["nom_inexact"]
    assert r["typo_alone"]["statut_rapprochement"] == "non_trouve"


def test_fuzzy_name_close_to_two_communes_is_ambiguous(r):
    # "Crmans" is one letter away from both Cramans (39176) and Crans (39178).
    assert (
        r["typo_two_close"]["statut_rapprochement"],
        r["typo_two_close"]["methode_rapprochement"],
        r["typo_two_close"]["candidats"],
    ) == ("ambigu", "nom_flou", "39176|39178")


def test_names_that_do_not_exist_are_not_found(r):
    for case in ("unknown_22", "unknown", "unknown_74"):
        assert (r[case]["statut_rapprochement"], r[case]["code_collectivite"]) == ("non_trouve", None), case


def test_epci_by_name_spelt_out_or_abbreviated(r):
    for name in ("Communauté de communes du Cap Corse", "CC DU CAP CORSE", "CC du Cap-Corse"):
        assert status(r[f"epci {name}"]) == ("rapproche", "200042943", "nom_epci"), name


def test_epci_homonyms_need_a_departement(r):
    assert (r["epci_homonyms"]["statut_rapprochement"], r["epci_homonyms"]["candidats"]) == (
        "ambigu",
        "247000623|247400666",
    )
    assert status(r["epci_homonyms_74"]) == ("rapproche", "247400666", "nom_epci")


def test_epci_fuzzy(r):
    assert status(r["epci_typo"]) == ("rapproche", "200042943", "nom_epci_flou")
