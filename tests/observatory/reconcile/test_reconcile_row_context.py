"""Rows that declare the same collectivité in the same words get the same decision, and each row
keeps what only it says: its OPSN, its reading repairs, the reviewed decision that designates it,
its candidates in its own OPSN's order. (An engine that decided such rows once would have to keep
all of this; one was tried on 30 November, docs/performance.md.)"""

from __future__ import annotations

from reconcile_helpers import ALSACE, BRETAGNE, adhesion_rows, anomalies, load_members

from observatory.reconcile import reconcile_members

PLOUHA = {"nom_adherent": "Plouha", "type_adherent": "Commune", "code_postal": "22580"}
SAINT_MARTIN = {"nom_adherent": "Saint-Martin", "type_adherent": "commune"}
MAPPINGS_HEADER = "siren_opsn,nom_adherent,code_declare,type_collectivite,code_collectivite,revu_par,date_revue,motif\n"


def test_identical_rows_get_one_decision_and_each_keeps_its_own_columns(reconcile):
    results = reconcile([PLOUHA, {**PLOUHA, "siren_opsn": ALSACE}, PLOUHA, {**PLOUHA, "code_postal": "22 580"}])
    assert reconcile.report.rows == 4
    assert [r["code_collectivite"] for r in results] == ["22222"] * 4
    assert [r["siren_opsn"] for r in results] == [BRETAGNE, ALSACE, BRETAGNE, BRETAGNE]
    assert len({r["id_adhesion"] for r in results}) == 4
    # Declared by two OPSN: every row of that commune says so, however it spells the commune.
    assert all(r["adhesion_multiple"] for r in results)


def test_the_same_opsn_declaring_a_commune_twice_is_no_multiple_membership(reconcile):
    assert [r["adhesion_multiple"] for r in reconcile([PLOUHA, PLOUHA])] == [False, False]


def test_reading_repairs_stay_on_their_row_in_vocabulary_order(con):
    load_members(con, [PLOUHA, PLOUHA])
    con.execute("ALTER TABLE core_declarations__adherents ADD COLUMN anomalies_lecture VARCHAR")
    con.execute(
        "UPDATE core_declarations__adherents SET anomalies_lecture = 'date_adhesion_reformatee' WHERE numero_ligne = 3"
    )
    reconcile_members(con)
    first, second = adhesion_rows(con)
    assert anomalies(first) == ["type_adherent_non_normalise"]
    assert anomalies(second) == ["type_adherent_non_normalise", "date_adhesion_reformatee"]


def test_several_anomalies_come_in_vocabulary_order_and_an_unknown_one_last(con):
    load_members(con, [PLOUHA])
    con.execute("ALTER TABLE core_declarations__adherents ADD COLUMN anomalies_lecture VARCHAR")
    con.execute(
        "UPDATE core_declarations__adherents SET anomalies_lecture = "
        "'donnee_personnelle_retiree|valeur_hors_vocabulaire|date_adhesion_reformatee|donnee_personnelle_retiree'"
    )
    reconcile_members(con)
    (row,) = adhesion_rows(con)
    assert anomalies(row) == [
        "type_adherent_non_normalise",
        "date_adhesion_reformatee",
        "donnee_personnelle_retiree",
        "valeur_hors_vocabulaire",
    ]


def test_a_reviewed_decision_for_one_opsn_leaves_the_same_row_of_another_opsn_alone(reconcile, tmp_path):
    mappings = tmp_path / "rapprochements.csv"
    mappings.write_text(
        MAPPINGS_HEADER + f"{ALSACE},Saint-Martin,,commune,67426,Camille,2026-03-20,confirmé par l'OPSN\n",
        encoding="utf-8",
    )
    rows = reconcile([SAINT_MARTIN, {**SAINT_MARTIN, "siren_opsn": ALSACE}, SAINT_MARTIN], mappings=mappings)
    found = [(r["statut_rapprochement"], r["methode_rapprochement"], r["code_collectivite"]) for r in rows]
    assert found == [
        ("ambigu", "nom_seul", None),
        ("rapproche", "decision_revue", "67426"),
        ("ambigu", "nom_seul", None),
    ]


def test_candidates_are_ordered_for_each_row_by_its_own_opsn(reconcile):
    rows = reconcile([SAINT_MARTIN, {**SAINT_MARTIN, "siren_opsn": ALSACE}])
    bretagne, alsace = (r["candidats"].split("|") for r in rows)
    assert sorted(bretagne) == sorted(alsace)
    assert bretagne == sorted(bretagne) and alsace[0] == "67426"
