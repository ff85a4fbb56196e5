"""Publishing through the graph: same inputs publish nothing, a changed declaration is explained."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

from observatory.publish.descriptor import check_checksums, frictionless_view
from tests.assets.conftest import run_everything

MINI = Path("tests/fixtures/sources-mini")


def _files(exports: Path) -> dict:
    # index.json holds build times; hidden files are the publication lock and temporary files.
    files = (p for p in exports.rglob("*") if p.is_file() and p.name != "index.json" and not p.name.startswith("."))
    return {p.relative_to(exports): p.read_bytes() for p in files}


def test_unchanged_inputs_publish_nothing_and_a_changed_declaration_is_named_in_the_changelog(mini_run, tmp_path):
    sources = tmp_path / "sources"
    shutil.copytree(MINI, sources)
    exports, outcome = tmp_path / "exports", tmp_path / "build" / "derniere-publication.txt"

    # The first publication of the mini folder is the session's run (tests/conftest.py); the next runs go on
    # from a copy of what it published, with a warehouse of their own.
    first_run, first_result, _, _ = mini_run
    assert first_result.success
    first = (first_run / "exports" / "LATEST").read_text().strip()
    assert (first_run / "build" / outcome.name).read_text(encoding="utf-8") == (
        f"Version publiée : {first_run / 'exports' / first}\n"
    )
    shutil.copytree(first_run / "exports", exports)
    # No MANIFEST in a steward's folder: the date is the newest CNIL designation (fixture line 8).
    assert first.startswith("2021-03-15-")
    release = exports / first
    descriptor = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["created"] == "2021-03-15T00:00:00Z" and descriptor["version_precedente"] is None
    assert check_checksums(release, descriptor) == []
    with duckdb.connect(str(release / "observatoire.duckdb"), read_only=True) as con:
        history = con.execute("SELECT DISTINCT version FROM historique_indicateurs").fetchall()
        assert history == [(first,)]
        assert con.execute("SELECT count(*) FROM changements").fetchone() == (0,)
        # The views answer on the fixture's hand-computed facts (README §4, §3).
        assert con.execute(
            "SELECT nb_communes_adherentes FROM couverture_par_departement WHERE code_departement = '24'"
        ).fetchone() == (5,)
        assert con.execute(
            "SELECT nb_communes_dpd FROM dpd_par_strate WHERE strate_population = '10000+' AND NOT adherente"
        ).fetchone() == (0,)
        assert con.execute("SELECT nb_adherents_communs FROM chevauchement_opsn").fetchall() == [(1,)]
    published = _files(exports)

    assert run_everything(tmp_path, mode="local", sources_dir=str(sources)).success
    assert outcome.read_text(encoding="utf-8") == f"Rien de nouveau : identique à la version {exports / first}\n"
    assert _files(exports) == published

    members = sources / "declarations" / "adherents.csv"
    with members.open("a", encoding="utf-8") as handle:
        handle.write("252405147,Trélissac,commune,212405575,24557,24750,24,2021-01-01\n")
    assert run_everything(tmp_path, mode="local", sources_dir=str(sources)).success
    second = (exports / "LATEST").read_text().strip()
    assert second != first and outcome.read_text(encoding="utf-8") == f"Version publiée : {exports / second}\n"
    changelog = (exports / second / "CHANGELOG.md").read_text(encoding="utf-8")
    assert first in changelog and "Trélissac" in changelog
    with duckdb.connect() as con:
        changes = exports / second / "changements.parquet"
        added = con.execute(
            f"SELECT objet, detail FROM read_parquet('{changes}') WHERE categorie = 'adhesion_ajoutee'"
        ).fetchall()
        assert added == [("252405147", "commune/24557")]
        moved = con.execute(
            f"SELECT ancienne_valeur, nouvelle_valeur FROM read_parquet('{changes}') "
            "WHERE categorie = 'indicateur' AND objet = 'nb_communes_adherentes' AND detail = 'france/FR/ensemble'"
        ).fetchall()
        before = con.execute(
            f"SELECT valeur FROM read_parquet('{exports / first / 'indicateurs.parquet'}') "
            "WHERE code_indicateur = 'nb_communes_adherentes' AND niveau = 'france' AND modalite = 'ensemble'"
        ).fetchone()[0]
        assert moved == [(f"{before:g}", f"{before + 1:g}")]
        versions = con.execute(
            f"SELECT DISTINCT version FROM read_parquet('{exports / second / 'historique_indicateurs.parquet'}') "
            "ORDER BY 1"
        ).fetchall()
        assert sorted(v[0] for v in versions) == sorted([first, second])
    index = json.loads((exports / "index.json").read_text(encoding="utf-8"))["versions"]
    assert [e["version"] for e in index] == [first, second] and index[1]["version_precedente"] == first

    # The command a portal's user runs, on the whole France-sized package.
    copy = tmp_path / "frictionless"
    shutil.copytree(exports / second, copy)
    view = frictionless_view(json.loads((copy / "datapackage.json").read_text(encoding="utf-8")))
    (copy / "datapackage.json").write_text(json.dumps(view), encoding="utf-8")
    cli = Path(sys.executable).with_name("frictionless")
    # --parallel: one worker per resource, the same checks on both cores (about a minute of CPU in pure Python).
    result = subprocess.run([str(cli), "validate", "--parallel", str(copy / "datapackage.json")], capture_output=True)
    assert result.returncode == 0, result.stdout.decode()[-3000:]
