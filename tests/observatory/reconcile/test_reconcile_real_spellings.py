"""Issue 15: the spellings of postal files, mail merges and old spreadsheets, one test per quoted example."""

from __future__ import annotations

import pytest
from reconcile_helpers import anomalies, reconcile_cases

C = {"type_adherent": "commune"}


def _row(name: str, **fields: str) -> dict:
    return {**C, "nom_adherent": name, **fields}


CASES = {
    # Names cut at a field width.
    "cut_70": _row("ROCHE SUR LINOTTE SORANS", code_departement="70"),
    "cut_70230": _row("ROCHE SUR LINOTTE SORANS", code_postal="70230"),
    "cut_mid_word": _row("ROCHE SUR LINOTTE ET SORANS LES CO", code_departement="70"),
    # Names lengthened to tell two places apart.
    "lengthened": _row("SAINT-LAMBERT-DES-BOIS", code_postal="78470"),
    # Little words dropped, articles added or removed.
    "jau": _row("JAU-DIGNAC-LOIRAC", code_departement="33"),
    "jau_alone": _row("JAU-DIGNAC-LOIRAC"),
    "former_without_et": _row("SUC SENTENAC", code_departement="09"),
    "laussou": _row("LE LAUSSOU", code_departement="47"),
    "trinite": _row("TRINITE", code_departement="06"),
    "trinite_alone": _row("TRINITE"),
    "devoluy": _row("LE DEVOLUY", code_departement="05"),
    # Arrondissements written as numbers.
    "marseille": _row("MARSEILLE 15EME"),
    "marseille_13015": _row("MARSEILLE 15EME", code_postal="13015"),
    "paris": _row("PARIS 16"),
    "lyon": _row("LYON 3E", code_departement="69"),
    "paris_cedex": _row("PARIS CEDEX 08", code_postal="75008"),
    # Abbreviations beyond St/Ste.
    "notre_dame": _row("N D DE BOISSET", code_departement="42"),
    "devant": _row("FLEURY DT DOUAUMONT", code_departement="55"),
    "sur": _row("BAR S/ SEINE", code_departement="10"),
    # Current names against historical ones.
    "beaumont": _row("BEAUMONT", code_departement="63"),
    "saint_etienne": _row("ST ETIENNE"),
    "saint_martin_32": _row("SAINT-MARTIN", code_departement="32"),
    # Wrong matches that the engine saw coming.
    "typo_other_postal_code": _row("Saint-Breiuc", code_postal="22500"),
    "typo_own_postal_code": _row("Saint-Breiuc", code_postal="22000"),
    # Several communes are named Aubigny, none in Ille-et-Vilaine; Aubigné, one letter away, is.
    "homonym_fuzzy": _row("Aubigny", code_departement="35"),
    # Ploisy is a commune of the Aisne only; Plouisy, one letter away, one of the Côtes-d'Armor.
    "unique_elsewhere_fuzzy": _row("Ploisy", code_departement="22"),
    "cut_contradicting_postal_code": _row("ROCHE SUR LINOTTE SORANS", code_departement="70", code_postal="70000"),
    # Éloise (74) is served by 01200: found by that postal code, but not against a declared 01.
    "lengthened_other_departement": _row("ELOISE-DE-MERCOIRE", code_postal="01200"),
    "lengthened_contradicting_departement": _row("ELOISE-DE-MERCOIRE", code_postal="01200", code_departement="01"),
    # The postal code of a neighbouring département, and of a far one.
    "neighbour_postal_code": _row("Plouha", code_postal="29200"),
    "far_postal_code": _row("Plouha", code_postal="13001"),
    # Invented names stay unmatched, whatever the new rules.
    "invented_22": _row("Saint-Gaspard-les-Tilleuls", code_departement="22"),
    "invented_03": _row("Saint-Désiré-sur-Brévenne", code_departement="03"),
}


@pytest.fixture(scope="module")
def r(con):
    return reconcile_cases(con, CASES)


def outcome(row: dict) -> tuple:
    return row["statut_rapprochement"], row["code_collectivite"]


@pytest.mark.parametrize("case", ["cut_70", "cut_70230", "cut_mid_word"])
def test_names_cut_at_a_field_width(r, case):
    assert outcome(r[case]) == ("rapproche", "70449")
    assert r[case]["methode_rapprochement"] == "nom_partiel" and "nom_partiel" in anomalies(r[case])


def test_names_lengthened_to_tell_two_places_apart(r):
    assert outcome(r["lengthened"]) == ("rapproche", "78561")
    assert r["lengthened"]["nom_officiel"] == "Saint-Lambert"


def test_little_words_dropped(r):
    assert outcome(r["jau"]) == ("rapproche", "33208")
    assert r["jau"]["methode_rapprochement"] == "nom_sans_mots_outils"
    assert outcome(r["jau_alone"]) == ("rapproche", "33208")
    # Suc-et-Sentenac, commune déléguée of Val-de-Sos.
    assert outcome(r["former_without_et"]) == ("rapproche", "09334")
    assert "ancien_nom" in anomalies(r["former_without_et"])


def test_articles_added_or_removed(r):
    assert outcome(r["laussou"]) == ("rapproche", "47141")
    assert outcome(r["trinite"]) == ("rapproche", "06149")
    assert outcome(r["devoluy"]) == ("rapproche", "05139")
    # La Trinité names several communes: without a département, no guess.
    assert r["trinite_alone"]["statut_rapprochement"] == "ambigu"
    assert {"06149", "27659", "50607", "73302"} <= set(r["trinite_alone"]["candidats"].split("|"))


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("marseille", "13055"),
        ("marseille_13015", "13055"),
        ("paris", "75056"),
        ("lyon", "69123"),
        ("paris_cedex", "75056"),
    ],
)
def test_arrondissements_written_as_numbers_mean_the_commune(r, case, code):
    assert outcome(r[case]) == ("rapproche", code)


def test_arrondissement_numbers_are_flagged(r):
    assert "arrondissement_municipal" in anomalies(r["marseille"])


@pytest.mark.parametrize(("case", "code"), [("notre_dame", "42161"), ("devant", "55189"), ("sur", "10034")])
def test_abbreviations_of_postal_files(r, case, code):
    assert outcome(r[case]) == ("rapproche", code)


def test_current_names_beat_names_ended_decades_ago(r):
    # Beaumont-lès-Randan was called Beaumont until 1961.
    assert outcome(r["beaumont"]) == ("rapproche", "63032")
    # Saint-Étienne-les-Orgues was Saint-Étienne until 1988.
    assert outcome(r["saint_etienne"]) == ("rapproche", "42218")
    # Saint-Martin-Gimois was Saint-Martin until 1958.
    assert outcome(r["saint_martin_32"]) == ("rapproche", "32389")


def test_a_fuzzy_match_contradicting_the_postal_code_is_ambiguous_with_its_candidates(r):
    row = r["typo_other_postal_code"]
    assert outcome(row) == ("ambigu", None)
    assert row["candidats"] == "22278" and row["candidats_libelles"] == "Saint-Brieuc (22)"
    assert "code_postal_incoherent" in anomalies(row)
    assert outcome(r["typo_own_postal_code"]) == ("rapproche", "22278")


def test_a_loose_match_where_the_exact_name_lies_elsewhere_is_ambiguous(r):
    row = r["homonym_fuzzy"]
    assert outcome(row) == ("ambigu", None)
    candidates = row["candidats"].split("|")
    assert candidates[0] == "35007" and row["candidats_libelles"].startswith("Aubigné (35)|Aubigny (")
    assert len(candidates) > 2 and "conflit_departement" in anomalies(row)
    # A typo that spells one commune of another département: the declared département wins.
    assert outcome(r["unique_elsewhere_fuzzy"]) == ("rapproche", "22223")


def test_a_cut_name_contradicting_the_postal_code_is_ambiguous(r):
    row = r["cut_contradicting_postal_code"]
    assert outcome(row) == ("ambigu", None)
    assert row["candidats"] == "70449" and "code_postal_incoherent" in anomalies(row)
    assert row["candidats_libelles"] == "Roche-sur-Linotte-et-Sorans-les-Cordiers (70)"


def test_a_postal_code_serving_another_departement(r):
    assert outcome(r["lengthened_other_departement"]) == ("rapproche", "74109")
    assert r["lengthened_contradicting_departement"]["statut_rapprochement"] != "rapproche"


def test_a_name_unique_in_france_with_a_neighbouring_postal_code(r):
    assert outcome(r["neighbour_postal_code"]) == ("rapproche", "22222")
    assert "code_postal_incoherent" in anomalies(r["neighbour_postal_code"])
    # A postal code from the other end of France: not guessed.
    assert outcome(r["far_postal_code"]) == ("ambigu", None)
    assert r["far_postal_code"]["candidats_libelles"] == "Plouha (22)"


def test_invented_names_stay_unmatched(r):
    for case in ("invented_22", "invented_03"):
        assert r[case]["statut_rapprochement"] != "rapproche", case


def test_candidate_labels_follow_the_candidates(r):
    for row in r.values():
        if row["statut_rapprochement"] == "ambigu":
            assert len(row["candidats_libelles"].split("|")) == len(row["candidats"].split("|"))
        else:
            assert row["candidats_libelles"] is None
