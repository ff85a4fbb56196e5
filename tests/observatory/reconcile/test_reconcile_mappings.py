"""Reviewed decisions are data: applied first, and the run says which are unused or missing."""

from __future__ import annotations

import pytest
from reconcile_helpers import ALSACE, BRETAGNE

from observatory.errors import SourceError, SourceErrors
from observatory.reconcile.mappings import read_decision_files, read_decisions

MAPPINGS_HEADER = "siren_opsn,nom_adherent,code_declare,type_collectivite,code_collectivite,revu_par,date_revue,motif\n"
EXCLUSIONS_HEADER = "siren_opsn,nom_adherent,code_declare,revu_par,date_revue,motif\n"
REVIEW = "Camille,2026-03-20,confirmé par l'OPSN"


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def files(tmp_path):
    mappings = write(
        tmp_path,
        "rapprochements.csv",
        MAPPINGS_HEADER
        + "\n".join(
            [
                f"{BRETAGNE},Saint-Martin,,commune,32389,{REVIEW}",  # resolves an ambiguous row of this OPSN only
                f",saint martin,,commune,54480,{REVIEW}",  # generic: every other OPSN
                f"{BRETAGNE},,22278,commune,22222,{REVIEW}",  # keyed on a declared code only
                f"{BRETAGNE},Ville oubliée,,commune,22222,{REVIEW}",  # designates nothing: unused
                f"{BRETAGNE},Seynod,,commune,74268,{REVIEW}",  # 74268 is no current commune: ignored
            ]
        )
        + "\n",
    )
    exclusions = write(
        tmp_path,
        "exclusions.csv",
        EXCLUSIONS_HEADER
        + "\n".join(
            [
                f",Syndicat des eaux de Plouha,,{REVIEW}",
                f"{ALSACE},Plouha,,{REVIEW}",  # unused: no such row from that OPSN
            ]
        )
        + "\n",
    )
    return mappings, exclusions


ROWS = [
    {"nom_adherent": "SAINT MARTIN", "type_adherent": "commune"},
    {"nom_adherent": "Saint-Martin", "type_adherent": "commune", "siren_opsn": ALSACE},
    {"nom_adherent": "Mairie", "type_adherent": "commune", "code_insee_adherent": "22278"},
    {"nom_adherent": "Syndicat des eaux de Plouha", "type_adherent": "commune", "code_departement": "22"},
    {"nom_adherent": "Saint-Martin", "type_adherent": "commune", "code_departement": "67"},
    {"nom_adherent": "Bourg-Eulalie-la-Forêt-Bleue", "type_adherent": "commune"},
]


def test_decisions_are_applied_before_the_automatic_paths(reconcile, files):
    mappings, exclusions = files
    rows = reconcile(ROWS, mappings=mappings, exclusions=exclusions)
    found = [(r["statut_rapprochement"], r["methode_rapprochement"], r["code_collectivite"]) for r in rows]
    assert found == [
        ("rapproche", "decision_revue", "32389"),  # the OPSN's own decision beats the generic one
        ("rapproche", "decision_revue", "54480"),
        ("rapproche", "decision_revue", "22222"),
        ("hors_referentiel", "exclusion", None),
        ("rapproche", "decision_revue", "32389"),  # a decision wins even over an exact match
        ("non_trouve", None, None),
    ]
    assert rows[0]["score"] == 1.0 and rows[0]["nom_officiel"] == "Saint-Martin"


def test_warnings_for_unused_and_obsolete_decisions_and_rows_still_undecided(reconcile, files):
    mappings, exclusions = files
    reconcile(ROWS, mappings=mappings, exclusions=exclusions)
    warnings = reconcile.report.warnings
    assert any("ligne 6 : commune 74268 absent du COG 2026" in w for w in warnings)
    assert any("rapprochements.csv, ligne 5 : décision inutilisée" in w and "ville oubliee" in w for w in warnings)
    assert any("exclusions.csv, ligne 3 : décision inutilisée" in w for w in warnings)
    undecided = [w for w in warnings if w.startswith("OPSN ")]
    assert undecided == [
        f"OPSN {BRETAGNE} : 1 ligne(s) sans décision revue (0 ambiguë(s), 1 non trouvée(s)), "
        "par exemple : Bourg-Eulalie-la-Forêt-Bleue (ligne 7)"
    ]
    assert len(warnings) == 4


def test_one_line_resolves_an_ambiguous_row(reconcile, tmp_path):
    row = {"nom_adherent": "La Rochelle", "type_adherent": "commune"}
    assert reconcile([row])[0]["statut_rapprochement"] == "ambigu"
    mappings = write(tmp_path, "m.csv", MAPPINGS_HEADER + f"{BRETAGNE},La Rochelle,,commune,17300,{REVIEW}\n")
    assert reconcile([row], mappings=mappings)[0]["code_collectivite"] == "17300"


def test_a_decision_by_code_designates_the_code_as_declared_not_as_cleaned(reconcile, tmp_path):
    mappings = write(
        tmp_path,
        "rapprochements.csv",
        MAPPINGS_HEADER + f",,1001,commune,22278,{REVIEW}\n" + f",, 200 042 943 ,commune,32389,{REVIEW}\n",
    )
    rows = reconcile(
        [
            {"nom_adherent": "Mairie", "code_insee_adherent": " 1001 "},  # as declared, trimmed: designated
            {"nom_adherent": "Mairie", "code_insee_adherent": "01001"},  # the same code cleaned: not designated
            {"nom_adherent": "Mairie", "siren_adherent": "200 042 943", "code_postal": "1001"},
            {"nom_adherent": "Mairie", "siren_adherent": "200042943"},
        ],
        mappings=mappings,
    )
    assert [(r["methode_rapprochement"], r["code_collectivite"]) for r in rows][0] == ("decision_revue", "22278")
    assert rows[1]["methode_rapprochement"] != "decision_revue"
    # Both entries designate row 3 (its postal code, its SIREN as declared): the first line wins.
    assert [(r["methode_rapprochement"], r["code_collectivite"]) for r in rows][2] == ("decision_revue", "22278")
    assert rows[3]["methode_rapprochement"] != "decision_revue"


def test_no_file_means_no_decisions(reconcile):
    assert reconcile([ROWS[0]])[0]["statut_rapprochement"] == "ambigu"


def test_a_decision_must_designate_something(tmp_path):
    path = write(tmp_path, "m.csv", MAPPINGS_HEADER + f"{BRETAGNE},,,commune,22222,{REVIEW}\n")
    with pytest.raises(SourceError, match="ligne 2.*ni nom ni code"):
        read_decisions(path, "mappings/rapprochements")


def test_a_malformed_decision_names_its_line_and_field(tmp_path):
    path = write(tmp_path, "m.csv", MAPPINGS_HEADER + f"{BRETAGNE},Plouha,,mairie,22222,Camille,hier,motif\n")
    with pytest.raises(SourceErrors) as error:
        read_decisions(path, "mappings/rapprochements")
    message = str(error.value)
    assert "ligne 2, champ « type_collectivite »" in message and "ligne 2, champ « date_revue »" in message


def test_decisions_from_several_files_keep_their_order_and_their_file(reconcile, tmp_path):
    first = write(tmp_path, "depot.csv", MAPPINGS_HEADER + f"{BRETAGNE},La Rochelle,,commune,17300,{REVIEW}\n")
    second = write(
        tmp_path,
        "demo.csv",
        MAPPINGS_HEADER
        + "\n".join(
            [
                f"{BRETAGNE},La Rochelle,,commune,22222,{REVIEW}",  # same designation: the earlier file wins
                f"{BRETAGNE},Ville oubliée,,commune,22222,{REVIEW}",  # unused, named by its own file and line
            ]
        )
        + "\n",
    )
    rows = reconcile([{"nom_adherent": "La Rochelle", "type_adherent": "commune"}], mappings=[first, second])
    assert rows[0]["code_collectivite"] == "17300"
    unused = [w for w in reconcile.report.warnings if "décision inutilisée" in w]
    assert [w.split(" : ")[0] for w in unused] == [f"{second}, ligne 2", f"{second}, ligne 3"]
    assert "ville oubliee" in unused[1]


def test_the_repository_files_are_valid_and_point_to_current_collectivites(reconcile):
    from observatory.paths import EMBEDDED_SOURCES_DIR, MAPPINGS_DIR
    from observatory.sources.layout import DEMO_DECISIONS

    # The repository holds real decisions only (none yet); the demo's own live in its tree.
    mappings = [MAPPINGS_DIR / "rapprochements.csv", EMBEDDED_SOURCES_DIR / DEMO_DECISIONS]
    exclusions = MAPPINGS_DIR / "exclusions.csv"
    assert not read_decision_files(mappings, "mappings/rapprochements").empty
    reconcile([ROWS[0]], mappings=mappings, exclusions=exclusions)
    assert not [w for w in reconcile.report.warnings if "absent du COG" in w]
