"""The whole graph on the embedded sources, as `make run` does it, into a temporary folder."""

import json
from pathlib import Path

import duckdb

from observatory.publish.descriptor import check_checksums


def test_every_asset_and_check_succeeds(embedded_run):
    _, result = embedded_run
    failed = [e.asset_check_key.name for e in result.get_asset_check_evaluations() if not e.passed]
    assert result.success, failed
    assert failed == []


def test_the_package_is_published_valid_and_marked_as_demonstration(embedded_run):
    tmp_path, _ = embedded_run
    exports = tmp_path / "exports"
    version = (exports / "LATEST").read_text().strip()
    package = exports / version
    # The pipeline validated every file before publishing; frictionless re-proves it on the
    # mini sources (tests/assets/test_release_validity.py), where it takes a fraction of the time.
    assert (package / "datapackage.json").exists()
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    # frictionless cannot count a Parquet file's bytes: it validates the view without them, and
    # the project's own check covers every declared size and hash.
    assert check_checksums(package, descriptor) == []
    assert descriptor["demonstration"] is True
    assert "données de démonstration" in descriptor["title"]
    assert "données de démonstration" in (package / "README.md").read_text(encoding="utf-8").lower()
    assert (package / "README.md").read_text(encoding="utf-8").splitlines()[0].endswith("(DONNÉES DE DÉMONSTRATION)")
    names = {r["name"] for r in descriptor["resources"]}
    assert {
        "opsn",
        "adhesions",
        "adhesions_multiples",
        "indicateurs",
        "opsn_parquet",
        "historique_indicateurs",
        "changements",
    } <= names


def test_no_cnil_contact_column_leaves_the_warehouse(embedded_run):
    tmp_path, _ = embedded_run
    package = tmp_path / "exports" / (tmp_path / "exports" / "LATEST").read_text().strip()
    for csv in package.glob("*.csv"):
        header = csv.read_text(encoding="utf-8").splitlines()[0].lower()
        assert "contact" not in header and "email" not in header and "telephone" not in header
    with duckdb.connect(str(package / "observatoire.duckdb"), read_only=True) as con:
        columns = [r[0] for r in con.execute("SELECT column_name FROM information_schema.columns").fetchall()]
    assert not [c for c in columns if "contact" in c]


def test_one_published_adhesion_per_declared_row(embedded_run):
    tmp_path, _ = embedded_run
    package = tmp_path / "exports" / (tmp_path / "exports" / "LATEST").read_text().strip()
    declared = Path("data/sources-demo/declarations/adherents.csv").read_text(encoding="utf-8").count("\n") - 1
    with duckdb.connect(str(package / "observatoire.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM adhesions").fetchall()[0][0] == declared
        national = dict(
            con.execute(
                "SELECT code_indicateur, valeur FROM indicateurs WHERE niveau = 'france' AND modalite = 'ensemble'"
            ).fetchall()
        )
    assert national["nb_adhesions_declarees"] == declared
    assert national["nb_communes_adherentes"] <= national["nb_communes_adherentes_naif"]
    assert 0 < national["part_communes_dpd"] < 100


def test_a_second_run_on_the_same_inputs_publishes_nothing_new(embedded_run):
    from tests.assets.conftest import run_everything

    tmp_path, _ = embedded_run
    before = sorted(p.name for p in (tmp_path / "exports").iterdir())
    assert run_everything(tmp_path).success
    assert sorted(p.name for p in (tmp_path / "exports").iterdir()) == before


def test_the_demonstration_decision_resolves_its_row(embedded_run):
    """The demo tree's own reviewed decision (data/sources-demo/decisions/) applies in embedded mode, and is
    the only `decision_revue`: mappings/ holds no decision about demonstration rows."""
    import csv

    tmp_path, _ = embedded_run
    package = tmp_path / "exports" / (tmp_path / "exports" / "LATEST").read_text().strip()
    with Path("data/sources-demo/decisions/rapprochements.csv").open(encoding="utf-8", newline="") as handle:
        decisions = list(csv.DictReader(handle))
    expected = [(d["siren_opsn"], d["nom_adherent"], "rapproche", d["code_collectivite"]) for d in decisions]
    with duckdb.connect(str(package / "observatoire.duckdb"), read_only=True) as con:
        resolved = con.execute(
            """SELECT siren_opsn, nom_adherent, statut_rapprochement, code_collectivite FROM adhesions
               WHERE methode_rapprochement = 'decision_revue' ORDER BY numero_ligne"""
        ).fetchall()
    assert expected and resolved == expected
