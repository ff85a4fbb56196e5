"""Collectivités declared by several OPSN, and the feedback table for each OPSN."""

from __future__ import annotations

import pytest
from reconcile_helpers import ALSACE, BRETAGNE

from observatory.reconcile import build_declaration_quality, flag_multiple_memberships
from observatory.schemas import field_names

ROWS = [
    {"nom_adherent": "Plouha", "type_adherent": "commune", "code_departement": "22"},  # Bretagne
    {"nom_adherent": "PLOUHA", "type_adherent": "commune", "siren_opsn": ALSACE},  # Alsace: shared
    {"nom_adherent": "Plouha", "type_adherent": "commune", "code_insee_adherent": "22222"},  # Bretagne again
    {"nom_adherent": "Annecy", "type_adherent": "commune", "code_departement": "74"},  # Bretagne only, twice
    {"nom_adherent": "Annecy", "type_adherent": "commune", "code_departement": "74", "date_adhesion": "2020-01-01"},
    {"nom_adherent": "Saint-Martin", "type_adherent": "commune", "siren_opsn": ALSACE},  # ambigu
    {"nom_adherent": "Saint-Martin", "type_adherent": "commune"},  # ambigu: not a shared member
    {"nom_adherent": "SIVOM de Plouha", "type_adherent": "syndicat"},
    {"nom_adherent": "", "type_adherent": "commune"},
    {"nom_adherent": "Villers-Norbert-les-Tilleuls", "type_adherent": "commune", "siren_opsn": ALSACE},
    {"nom_adherent": "CC du Cap Corse", "type_adherent": "epci", "siren_adherent": "200042943", "siren_opsn": ALSACE},
    {"nom_adherent": "CC du Cap Corse", "type_adherent": "mairie"},
]


@pytest.fixture(scope="module")
def tables(con):
    from reconcile_helpers import load_members

    from observatory.reconcile import reconcile_members

    load_members(con, ROWS)
    reconcile_members(con)
    multiples = flag_multiple_memberships(con)
    quality = build_declaration_quality(con)
    return con, multiples, quality


def test_adhesion_multiple_is_set_on_every_row_of_a_shared_collectivite(tables):
    con, _, _ = tables
    flags = [
        row[0]
        for row in con.execute(
            "SELECT adhesion_multiple FROM core_declarations__adhesions ORDER BY numero_ligne"
        ).fetchall()
    ]
    assert flags == [True, True, True, False, False, False, False, False, False, False, False, False]


def test_adhesions_multiples_lists_opsn_and_membership_rows(tables):
    con, count, _ = tables
    assert count == 1
    rows = con.execute("SELECT * FROM core_declarations__adhesions_multiples").fetchall()
    ids = "|".join(f"{i:016x}" for i in (0, 1, 2))
    assert rows == [("commune", "22222", "Plouha", "22", 2, "|".join(sorted([BRETAGNE, ALSACE])), ids)]
    columns = [row[0] for row in con.execute("DESCRIBE core_declarations__adhesions_multiples").fetchall()]
    assert columns == field_names("adhesions_multiples")


def test_quality_feedback_per_opsn(tables):
    con, _, count = tables
    assert count == 2
    frame = con.execute("SELECT * FROM out__qualite_declarations ORDER BY siren_opsn").df().set_index("siren_opsn")
    assert list(frame.reset_index().columns) == field_names("qualite_declarations")
    bretagne, alsace = frame.loc[BRETAGNE], frame.loc[ALSACE]
    # Bretagne: 8 rows, 4 matched, 1 ambigu, 1 syndicat, 2 invalid (no name; type "mairie").
    assert (
        bretagne.nb_lignes,
        bretagne.nb_rapproche,
        bretagne.part_rapproche,
        bretagne.nb_ambigu,
        bretagne.nb_non_trouve,
        bretagne.nb_invalide,
        bretagne.nb_hors_referentiel,
    ) == (8, 4, 50.0, 1, 0, 2, 1)
    # Anomalies: "type_adherent_inconnu" on the "mairie" row only.
    assert bretagne.nb_lignes_avec_anomalie == 1
    assert bretagne.nb_adherents_multi_opsn == 1  # Plouha, declared twice by Bretagne, counts once
    assert (
        alsace.nb_lignes,
        alsace.nb_rapproche,
        alsace.nb_ambigu,
        alsace.nb_non_trouve,
        alsace.nb_adherents_multi_opsn,
    ) == (4, 2, 1, 1, 1)
    assert alsace.nom_opsn == "OPSN d'Alsace"
