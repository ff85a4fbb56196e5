"""Paths by code: SIREN, INSEE code (current, former, délégué, arrondissement), département and région."""

from __future__ import annotations

import pytest
from reconcile_helpers import anomalies, reconcile_cases
from stdnum.fr import siren as stdnum_siren

ANNECY_SIREN = "200063402"
BROKEN_ANNECY_SIREN = ANNECY_SIREN[:-1] + "3"
COMMUNE = {"type_adherent": "commune"}

CASES = {
    "siren": {**COMMUNE, "nom_adherent": "Annecy", "siren_adherent": ANNECY_SIREN},
    "siren_epci": {"nom_adherent": "CC du Cap Corse", "type_adherent": "epci", "siren_adherent": "200042943"},
    "siren_luhn": {
        **COMMUNE,
        "nom_adherent": "Annecy",
        "siren_adherent": BROKEN_ANNECY_SIREN,
        "code_departement": "74",
    },
    "siren_luhn_alone": {**COMMUNE, "nom_adherent": "", "siren_adherent": BROKEN_ANNECY_SIREN},
    "siren_unknown": {**COMMUNE, "nom_adherent": "Annecy", "siren_adherent": "732829320", "code_departement": "74"},
    "siret": {**COMMUNE, "nom_adherent": "Annecy", "siren_adherent": ANNECY_SIREN + "00019"},
    "01001": {**COMMUNE, "nom_adherent": "L'Abergement-Clémenciat", "code_insee_adherent": "01001"},
    "1001": {**COMMUNE, "nom_adherent": "L'Abergement-Clémenciat", "code_insee_adherent": "1001"},
    "2A004": {**COMMUNE, "nom_adherent": "Ajaccio", "code_insee_adherent": "2A004"},
    "2a004": {**COMMUNE, "nom_adherent": "AJACCIO", "code_insee_adherent": "2a004"},
    "20004": {**COMMUNE, "nom_adherent": "Ajaccio", "code_insee_adherent": "20004"},
    "74010": {**COMMUNE, "nom_adherent": "Annecy", "code_insee_adherent": "74010"},
    "74011": {**COMMUNE, "nom_adherent": "Annecy-le-Vieux", "code_insee_adherent": "74011"},
    "74093": {**COMMUNE, "nom_adherent": "Cran-Gevrier", "code_insee_adherent": "74093"},
    "74268": {**COMMUNE, "nom_adherent": "Seynod", "code_insee_adherent": "74268"},
    "74182_current_name": {**COMMUNE, "nom_adherent": "Annecy", "code_insee_adherent": "74182"},
    "75115": {**COMMUNE, "nom_adherent": "Paris 15e Arrondissement", "code_insee_adherent": "75115"},
    "13201": {**COMMUNE, "nom_adherent": "Marseille", "code_insee_adherent": "13201"},
    "69381": {**COMMUNE, "nom_adherent": "Lyon 1er", "code_insee_adherent": "69381"},
    "postal_22000": {**COMMUNE, "nom_adherent": "Saint-Brieuc", "code_insee_adherent": "22000"},
    "postal_01400": {**COMMUNE, "nom_adherent": "L'Abergement-Clémenciat", "code_insee_adherent": "01400"},
    "unknown_code": {
        **COMMUNE,
        "nom_adherent": "Saint-Brieuc",
        "code_insee_adherent": "22999",
        "code_departement": "22",
    },
    "dept_code": {
        "nom_adherent": "Conseil départemental des Côtes-d'Armor",
        "type_adherent": "departement",
        "code_insee_adherent": "22",
        "siren_adherent": "222200016",
    },
    "dept_cd": {"nom_adherent": "CD22", "type_adherent": "departement"},
    "dept_name": {"nom_adherent": "Ain (Département)", "type_adherent": "departement"},
    "dept_field": {"nom_adherent": "Département", "type_adherent": "departement", "code_departement": "2A"},
    "region_name": {"nom_adherent": "Région Bretagne", "type_adherent": "region"},
    "region_code": {"nom_adherent": "Région Guadeloupe", "type_adherent": "region", "code_insee_adherent": "01"},
}


@pytest.fixture(scope="module")
def r(con):
    return reconcile_cases(con, CASES)


def matched(row: dict, code: str, method: str, kind: str = "commune") -> None:
    assert (
        row["statut_rapprochement"],
        row["type_collectivite"],
        row["code_collectivite"],
        row["methode_rapprochement"],
        row["score"],
    ) == ("rapproche", kind, code, method, 1.0)


def test_siren_of_a_commune(r):
    matched(r["siren"], "74010", "siren")
    assert (r["siren"]["code_insee"], r["siren"]["siren_collectivite"], r["siren"]["nom_officiel"]) == (
        "74010",
        ANNECY_SIREN,
        "Annecy",
    )
    assert r["siren"]["anomalies"] is None


def test_siren_of_an_epci_fills_siren_and_code(r):
    matched(r["siren_epci"], "200042943", "siren", kind="epci")
    assert r["siren_epci"]["code_insee"] is None and r["siren_epci"]["siren_collectivite"] == "200042943"


def test_siren_failing_luhn_is_never_trusted_and_the_row_falls_through(r):
    assert not stdnum_siren.is_valid(BROKEN_ANNECY_SIREN)
    matched(r["siren_luhn"], "74010", "nom_departement")
    assert anomalies(r["siren_luhn"]) == ["siren_invalide"]
    assert r["siren_luhn_alone"]["statut_rapprochement"] == "invalide"


def test_valid_but_unknown_siren_falls_through(r):
    matched(r["siren_unknown"], "74010", "nom_departement")
    assert anomalies(r["siren_unknown"]) == ["siren_inconnu"]


def test_siret_is_cut_to_its_siren(r):
    matched(r["siret"], "74010", "siren")
    assert anomalies(r["siret"]) == ["siret_pour_siren"]


def test_insee_code_01001_and_its_lost_leading_zero(r):
    matched(r["01001"], "01001", "code_insee")
    matched(r["1001"], "01001", "code_insee")
    assert anomalies(r["1001"]) == ["code_insee_sans_zero"]


def test_corsican_codes_2a004_lower_case_and_pre_1976(r):
    for case in ("2A004", "2a004", "20004"):
        matched(r[case], "2A004", "code_insee")
    assert anomalies(r["20004"]) == ["ancien_code"]


def test_annecy_and_its_communes_deleguees_by_code(r):
    # 74010 is both Annecy and its commune déléguée Annecy: the current commune, no anomaly.
    matched(r["74010"], "74010", "code_insee")
    assert r["74010"]["anomalies"] is None
    for case in ("74011", "74093", "74268", "74182_current_name"):
        matched(r[case], "74010", "code_insee")
        assert anomalies(r[case]) == ["ancien_code"], case
        assert r[case]["nom_officiel"] == "Annecy"


def test_arrondissements_municipaux_lead_to_the_commune(r):
    for case, commune in (("75115", "75056"), ("13201", "13055"), ("69381", "69123")):
        matched(r[case], commune, "code_insee")
        assert anomalies(r[case]) == ["arrondissement_municipal"]


def test_a_postal_code_in_the_insee_field(r):
    # 22000 is no INSEE code: read as Saint-Brieuc's postal code.
    matched(r["postal_22000"], "22278", "code_postal_nom")
    assert anomalies(r["postal_22000"]) == ["code_postal_pour_insee"]
    # 01400 is L'Abergement-Clémenciat's postal code but Seillonnaz's INSEE code: the name settles it.
    matched(r["postal_01400"], "01001", "code_postal_nom")
    assert anomalies(r["postal_01400"]) == ["code_postal_pour_insee"]


def test_unknown_insee_code_falls_through(r):
    matched(r["unknown_code"], "22278", "nom_departement")
    assert anomalies(r["unknown_code"]) == ["code_insee_inconnu"]


def test_departement_by_code_or_name_keeps_its_declared_siren(r):
    matched(r["dept_code"], "22", "code", kind="departement")
    assert r["dept_code"]["siren_collectivite"] == "222200016"
    assert anomalies(r["dept_code"]) == ["siren_non_verifie"]
    matched(r["dept_cd"], "22", "code", kind="departement")
    matched(r["dept_name"], "01", "nom", kind="departement")
    matched(r["dept_field"], "2A", "code", kind="departement")


def test_region_by_name_or_code(r):
    matched(r["region_name"], "53", "nom", kind="region")
    # 01 is Ain as a département and Guadeloupe as a région: the declared type decides.
    matched(r["region_code"], "01", "code", kind="region")
