"""`observatory reconcile INPUT --out OUTPUT`: the engine on any declaration file."""

from __future__ import annotations

import csv

from observatory.cli import RESULT_COLUMNS, main
from observatory.schemas import field_names

HEADER = ",".join(field_names("declaration/adherents"))
INPUT = (
    "\n".join(
        [
            HEADER,
            "253514491,ST BRIEUC,commune,,22278,,,2012-03-01",
            "253514491,Saint-Martin,commune,,,,,",
            "253514491,Annecy-le-Vieux,commune,,74011,,,",
            "200043115,Saint-Brieuc,commune,212202782,,,22,2015-06-30",
            "253514491,SIVOM de Plouha,syndicat,,,,,",
        ]
    )
    + "\n"
)


def test_writes_input_columns_then_results_one_row_per_input_row(tmp_path, capsys):
    source, output = tmp_path / "adherents.csv", tmp_path / "sortie" / "resultat.csv"
    source.write_text(INPUT, encoding="utf-8")
    assert main(["reconcile", str(source), "--out", str(output)]) == 0
    with output.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == field_names("declaration/adherents") + list(RESULT_COLUMNS)
    assert [row["nom_adherent"] for row in rows] == [
        "ST BRIEUC",
        "Saint-Martin",
        "Annecy-le-Vieux",
        "Saint-Brieuc",
        "SIVOM de Plouha",
    ]
    assert [row["statut_rapprochement"] for row in rows] == [
        "rapproche",
        "ambigu",
        "rapproche",
        "rapproche",
        "hors_referentiel",
    ]
    assert [row["code_collectivite"] for row in rows] == ["22278", "", "74010", "22278", ""]
    assert rows[0]["date_adhesion"] == "2012-03-01" and rows[1]["date_adhesion"] == ""
    assert [row["adhesion_multiple"] for row in rows] == ["true", "false", "false", "true", "false"]
    out = capsys.readouterr().out
    # Rows read and rows matched are two figures (issue 15: "16 rapprochées" when 11 were).
    assert f"5 ligne(s) lue(s), 3 rapprochée(s) -> {output}" in out
    assert rows[1]["candidats_libelles"].startswith("Saint-Martin (32)|Saint-Martin (54)|")
    assert rows[0]["candidats_libelles"] == ""


def test_prints_the_count_of_every_status_and_the_ambiguous_rows_with_their_candidates(tmp_path, capsys):
    source, output = tmp_path / "adherents.csv", tmp_path / "out.csv"
    source.write_text(INPUT, encoding="utf-8")
    assert main(["reconcile", str(source), "--out", str(output)]) == 0
    lines = capsys.readouterr().out.splitlines()
    counts = {line.split()[0]: int(line.split()[1]) for line in lines[1:6]}
    assert counts == {"rapproche": 3, "ambigu": 1, "non_trouve": 0, "invalide": 0, "hors_referentiel": 1}
    assert lines[6] == "Lignes ambiguës (candidates) :"
    assert lines[7].startswith("  ligne 3 « Saint-Martin » : Saint-Martin (32) ; Saint-Martin (54) ;")


def test_no_warning_about_repository_decisions_that_do_not_concern_the_file(tmp_path, capsys):
    source, output = tmp_path / "adherents.csv", tmp_path / "out.csv"
    source.write_text(INPUT, encoding="utf-8")
    mappings = tmp_path / "rapprochements.csv"
    review = "Camille,2026-03-20,revu"
    mappings.write_text(
        "\n".join(
            [
                "siren_opsn,nom_adherent,code_declare,type_collectivite,code_collectivite,revu_par,date_revue,motif",
                f"130004930,Salle (La),,commune,71494,{review}",  # another OPSN's row: not this file's business
                f"130004930,Seynod,,commune,74268,{review}",  # obsolete, but designates no row of this file
                f"253514491,Saint-Martin,,commune,32389,{review}",  # this file's row
                f"253514491,Plouha,,commune,74268,{review}",  # this OPSN's, obsolete, but no row of the file is Plouha
                f"253514491,SIVOM de Plouha,,commune,74268,{review}",  # obsolete and designates a row: warned
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    assert main(["reconcile", str(source), "--out", str(output), "--mappings", str(mappings)]) == 0
    captured = capsys.readouterr()
    assert "inutilisée" not in captured.err
    assert [line for line in captured.err.splitlines() if "absent du COG" in line] == [
        f"avertissement : {mappings}, ligne 6 : commune 74268 absent du COG 2026, décision ignorée"
    ]
    assert "5 ligne(s) lue(s), 4 rapprochée(s)" in captured.out  # Saint-Martin decided by the review


def test_bad_input_names_file_row_and_field_and_exits_2(tmp_path, capsys):
    source = tmp_path / "adherents.csv"
    source.write_text(HEADER + "\n25351449,Plouha,commune,,,,,2012-13-01\n", encoding="utf-8")
    assert main(["reconcile", str(source), "--out", str(tmp_path / "out.csv")]) == 2
    error = capsys.readouterr().err
    assert f"{source}, ligne 2, champ « siren_opsn »" in error
    assert "date_adhesion" not in error  # an unreadable date is repaired on the record (date_adhesion_illisible)
    assert not (tmp_path / "out.csv").exists()


def test_missing_column_and_missing_file(tmp_path, capsys):
    source = tmp_path / "adherents.csv"
    source.write_text("siren_opsn,nom_adherent\n253514491,Plouha\n", encoding="utf-8")
    assert main(["reconcile", str(source), "--out", str(tmp_path / "out.csv")]) == 2
    assert "ligne 1, champ « type_adherent »" in capsys.readouterr().err
    assert main(["reconcile", str(tmp_path / "absent.csv"), "--out", str(tmp_path / "out.csv")]) == 2
    assert "fichier absent" in capsys.readouterr().err


def test_a_repair_made_while_reading_is_an_anomaly_of_its_row_as_in_the_pipeline(tmp_path):
    source, output = tmp_path / "adherents.csv", tmp_path / "out.csv"
    source.write_text(HEADER + "\n253514491,Saint-Brieuc,commune,,22278,,,01/03/2012\n", encoding="utf-8")
    assert main(["reconcile", str(source), "--out", str(output)]) == 0
    with output.open(encoding="utf-8") as handle:
        (row,) = list(csv.DictReader(handle))
    assert row["statut_rapprochement"] == "rapproche"
    assert row["date_adhesion"] == "2012-03-01"
    assert "date_adhesion_reformatee" in row["anomalies"].split("|")
