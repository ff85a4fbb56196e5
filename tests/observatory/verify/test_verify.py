"""`verify_declaration` on files an OPSN could send: every defect said, every row placed."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from observatory.declarations import read_adherents_csv
from observatory.errors import SourceErrors
from observatory.paths import REPO_ROOT
from observatory.schemas import field_names
from observatory.verify import verify_declaration
from observatory.verify.summary import A_REVOIR, REFUSEE

HEADER = field_names("declaration/adherents")
# Real COG 2026 collectivités; one homonym without département, one invented name, format defects.
ROWS = [
    ["252405147", "Périgueux", "commune", "212403224", "24322", "24000", "24", "2010-01-15"],
    ["252405147", "Sarlat-la-Canéda", "Commune", "", "", "", "24", "2015-03-20"],
    ["252405147", "Saint-Martin", "commune", "", "", "", "", ""],
    ["252405147", "Bourg-Imaginaire", "commune", "", "", "", "24", ""],
    ["252405147", "Bergerac", "commune", "", "4037", "", "", "2012-06-01"],
    ["252405147", "Castels", "commune", "", "", "", "24", "01/06/2012"],
    ["25240514", "Cénac-et-Saint-Julien", "commune", "", "", "", "24", ""],
]


def _write(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    folder = tmp_path_factory.mktemp("verifier")
    source = _write(folder / "adherents.csv", ROWS)
    return verify_declaration(source, out_dir=folder / "rapport", exports_dir=folder / "sans-version")


def test_every_format_defect_is_named_by_line_and_field_with_a_fix(checked):
    found = {(p.line, p.field): p for p in checked.problems}
    assert set(found) == {(3, "type_adherent"), (6, "code_insee_adherent"), (7, "date_adhesion"), (8, "siren_opsn")}
    assert "commune" in found[(3, "type_adherent")].fix
    assert "04037" in found[(6, "code_insee_adherent")].fix
    assert "2012-06-01" in found[(7, "date_adhesion")].fix


def test_blocking_is_what_the_pipeline_rejects(checked):
    with pytest.raises(SourceErrors) as rejected:
        read_adherents_csv(checked.declaration)
    pipeline = {(error.row, error.field) for error in rejected.value.errors}
    assert {(p.line, p.field) for p in checked.problems if p.blocking} == pipeline
    assert (8, "siren_opsn") in pipeline
    assert checked.verdict == REFUSEE
    row = checked.rows.set_index("numero_ligne").loc[8]
    assert row["resultat"] == "refusée (format)" and row["bloquant"]


def test_each_accepted_row_has_its_match_path_and_confidence(checked):
    rows = checked.rows.set_index("numero_ligne")
    assert rows.loc[2, ["statut_rapprochement", "code_collectivite", "methode_rapprochement"]].tolist() == [
        "rapproche",
        "24322",
        "siren",
    ]
    assert rows.loc[2, "confiance"] == 1.0
    assert rows.loc[2, "population"] > 0


def test_ambiguous_rows_list_their_candidates_and_fill_the_stub(checked):
    rows = checked.rows.set_index("numero_ligne")
    assert rows.loc[4, "statut_rapprochement"] == "ambigu"
    candidates = checked.choices[4]["candidats"]
    assert len(candidates) > 5 and all(c["nom"] and c["code_departement"] for c in candidates)
    stub = pd.read_csv(checked.stub_csv, dtype=str, keep_default_na=False)
    assert list(stub.columns) == field_names("mappings/rapprochements")
    ambiguous = rows[rows["statut_rapprochement"] == "ambigu"]
    assert stub["nom_adherent"].tolist() == ambiguous["nom_adherent"].tolist()
    assert stub.loc[0, "nom_adherent"] == "Saint-Martin" and stub.loc[0, "code_collectivite"] == ""
    assert candidates[0]["code"] in stub.loc[0, "motif"]


def test_rows_not_found_come_with_the_nearest_names(checked):
    rows = checked.rows.set_index("numero_ligne")
    assert rows.loc[5, "statut_rapprochement"] == "non_trouve"
    assert checked.choices[5]["noms_proches"], "aucun nom proche proposé"
    assert all(n["code_departement"] == "24" for n in checked.choices[5]["noms_proches"])


def test_counts_and_files(checked):
    assert checked.counts["lignes"] == len(ROWS)
    assert checked.counts["communes"] == checked.counts["rapprochees"] >= 2
    assert checked.counts["refusees"] >= 1
    assert checked.counts["population_communes"] > 0
    assert 0 < checked.counts["part_communes_territoire"] < 1
    written = pd.read_csv(checked.rows_csv, dtype=str, keep_default_na=False)
    assert written["numero_ligne"].tolist() == [str(n) for n in range(2, len(ROWS) + 2)]
    assert checked.release is None
    html = checked.report.read_text(encoding="utf-8")
    assert "aucune version publiée utilisée" in html


def test_report_is_self_contained(checked):
    html = checked.report.read_text(encoding="utf-8")
    for outside in ("<script", "<link", "src=", "@import", "url("):
        assert outside not in html


def test_a_file_without_the_expected_header_is_refused_with_the_missing_column(tmp_path):
    source = _write(tmp_path / "adherents.csv", [row[:-1] for row in ROWS], HEADER[:-1])
    result = verify_declaration(source, out_dir=tmp_path / "rapport", exports_dir=tmp_path)
    assert result.verdict == REFUSEE
    assert "date_adhesion" in result.fatal
    assert result.report.exists()


def test_rows_of_another_opsn_are_flagged(tmp_path):
    source = _write(tmp_path / "adherents.csv", [ROWS[0], ["284800026", *ROWS[0][1:]]])
    result = verify_declaration(source, siren_opsn="252405147", out_dir=tmp_path / "r", exports_dir=tmp_path)
    assert [(p.line, p.field, p.blocking) for p in result.problems] == [(3, "siren_opsn", False)]
    assert result.verdict == A_REVOIR


def test_cli_last_line_names_the_report_and_the_verdict(tmp_path):
    source = _write(tmp_path / "adherents.csv", ROWS[:2])
    done = subprocess.run(
        [sys.executable, "-m", "observatory.cli", "verifier", str(source), "--out", str(tmp_path / "sortie")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(REPO_ROOT), "PATH": "/usr/bin:/bin"},
    )
    last = done.stdout.strip().splitlines()[-1]
    assert done.returncode == 0, done.stderr
    assert last.startswith(f"Rapport : {tmp_path / 'sortie' / 'rapport-verification.html'}")
    assert "verdict : à revoir" in last
