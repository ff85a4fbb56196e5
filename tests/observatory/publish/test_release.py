import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from observatory.opsn_tables import build_opsn, build_services_opsn
from observatory.publish import catalogue_index
from observatory.publish.descriptor import check_checksums
from observatory.publish.release import InvalidPackage, finalize_release, prepare_release, publish_release
from tests.observatory.test_declarations import write_tree

TABLES = {"opsn": "out__opsn", "services_opsn": "out__services_opsn"}


@pytest.fixture
def warehouse(tmp_path):
    from observatory.declarations import load_declarations

    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    load_declarations(con, write_tree(tmp_path / "sources"))
    build_opsn(con)
    build_services_opsn(con)
    yield con
    con.close()


def readme(*, version, fingerprint, data_date, previous, rows):
    return f"# {version} ({fingerprint[:8]}, {data_date}, après {previous}) {sorted(rows.items())}\n"


def options(**kwargs):
    base = dict(
        input_hashes=["abc"],
        data_date="2026-03-23",
        demonstration=True,
        sources=[{"title": "test", "path": "x.csv", "hash": "sha256:00", "bytes": 1}],
        documentation=readme,
        tables=TABLES,
        code="code-figé",
    )
    base.update(kwargs)
    return base


def frictionless_cli(release: Path) -> subprocess.CompletedProcess:
    """The command a portal's user runs, on the package exactly as published."""
    cli = Path(sys.executable).with_name("frictionless")
    return subprocess.run([str(cli), "validate", str(release / "datapackage.json")], capture_output=True)


def test_publishes_a_standard_package_with_csv_parquet_duckdb_and_changelog(warehouse, tmp_path):
    release = publish_release(warehouse, tmp_path / "exports", **options())
    assert release.created and release.version.startswith("2026-03-23-")
    files = sorted(p.name for p in release.path.iterdir())
    assert files == [
        "CHANGELOG.md",
        "README.md",
        "changements.csv",
        "changements.parquet",
        "datapackage.json",
        "observatoire.duckdb",
        "opsn.csv",
        "opsn.parquet",
        "services_opsn.csv",
        "services_opsn.parquet",
    ]
    descriptor = json.loads((release.path / "datapackage.json").read_text(encoding="utf-8"))
    for key in (
        "name",
        "title",
        "description",
        "version",
        "created",
        "licenses",
        "contributors",
        "keywords",
        "homepage",
        "sources",
    ):
        assert descriptor[key], key
    assert descriptor["created"] == "2026-03-23T00:00:00Z" and descriptor["demonstration"] is True
    assert "démonstration" in descriptor["title"] and descriptor["licenses"][0]["name"] == "etalab-2.0"
    by_path = {r["path"]: r for r in descriptor["resources"]}
    assert {"README.md", "CHANGELOG.md", "observatoire.duckdb"} <= set(by_path)
    for name in ("opsn.csv", "opsn.parquet"):
        resource = by_path[name]
        assert {"path", "format", "mediatype", "hash", "schema"} <= set(resource)
        assert resource["hash"].startswith("sha256:") and "sha256" not in resource and "octets" not in resource
    assert by_path["opsn.csv"]["encoding"] == "utf-8" and by_path["opsn.csv"]["bytes"] > 0
    # frictionless never counts a Parquet file's bytes: a declared size would read as an error to every user.
    assert "bytes" not in by_path["opsn.parquet"]
    # What frictionless does not check on Parquet (its hash), the project's own check does.
    assert check_checksums(release.path, descriptor) == []
    result = frictionless_cli(release.path)
    assert result.returncode == 0, result.stdout.decode()[-2000:]
    assert release.rows == {"opsn": 2, "services_opsn": 3, "changements": 0}
    assert "Première publication" in (release.path / "CHANGELOG.md").read_text(encoding="utf-8")
    # The demonstration flag in every file that can carry it.
    assert pq.read_metadata(release.path / "opsn.parquet").metadata[b"demonstration"] == b"true"
    with duckdb.connect(str(release.path / "observatoire.duckdb"), read_only=True) as con:
        assert con.execute("SELECT nb_services FROM opsn WHERE siren = '253514491'").fetchone() == (2,)
        meta = dict(con.execute("SELECT cle, valeur FROM metadonnees").fetchall())
        assert meta["demonstration"] == "true" and meta["version"] == release.version
        assert meta["avertissement"] == "données de démonstration"
        keys = con.execute(
            "SELECT table_name FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY' ORDER BY 1"
        ).fetchall()
        assert [k[0] for k in keys] == ["changements", "metadonnees", "opsn", "services_opsn"]
    assert (tmp_path / "exports" / "LATEST").read_text() == release.version + "\n"


def test_same_inputs_publish_nothing_whatever_the_day_and_a_version_is_never_rewritten(warehouse, tmp_path):
    exports = tmp_path / "exports"
    first = publish_release(warehouse, exports, **options())
    stamp = (first.path / "opsn.csv").stat().st_mtime_ns
    warehouse.execute("UPDATE out__opsn SET nom = 'changé'")
    prepared = prepare_release(warehouse, exports, **options())
    assert prepared.staging is None and prepared.existing == first.path and prepared.version == first.version
    again = finalize_release(prepared)
    assert not again.created and again.outcome.startswith("Rien de nouveau : identique à la version")
    assert (first.path / "opsn.csv").stat().st_mtime_ns == stamp
    assert "changé" not in (first.path / "opsn.csv").read_text(encoding="utf-8")

    other = publish_release(warehouse, exports, **options(input_hashes=["def"], data_date="2026-04-30"))
    assert other.created and other.version.startswith("2026-04-30-") and other.outcome.startswith("Version publiée")
    # Going back to the first inputs finds the first release, even though it is no longer the newest.
    back = prepare_release(warehouse, exports, **options())
    assert back.staging is None and back.version == first.version

    index = json.loads((exports / "index.json").read_text(encoding="utf-8"))["versions"]
    assert [e["version"] for e in index] == [first.version, other.version]
    assert index[1]["version_precedente"] == first.version and index[0]["version_precedente"] is None
    assert index[1]["lignes"]["opsn"] == 2 and index[1]["demonstration"] is True and index[1]["construit_le"]
    changes = (other.path / "CHANGELOG.md").read_text(encoding="utf-8")
    assert first.version in changes
    with duckdb.connect() as con:
        renamed = con.execute(
            f"SELECT ancienne_valeur, nouvelle_valeur FROM read_parquet('{other.path / 'changements.parquet'}')"
        ).fetchall()
    assert renamed == []  # same rows apart from names: no category of `changements` covers an OPSN's name
    assert not (exports / "historique.json").exists()

    # A steward rebuilds both files from the folders.
    (exports / "index.json").unlink()
    (exports / "LATEST").unlink()
    rebuilt = catalogue_index.rebuild(exports)
    assert [e["version"] for e in rebuilt] == [first.version, other.version]
    assert (exports / "LATEST").read_text() == other.version + "\n"
    stripped = [{k: v for k, v in e.items() if k != "construit_le"} for e in index]
    assert [{k: v for k, v in e.items() if k != "construit_le"} for e in rebuilt] == stripped


def _tables(path: Path) -> dict[str, list]:
    with duckdb.connect(str(path), read_only=True) as con:
        names = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
        return {name: con.execute(f"SELECT * FROM {name} ORDER BY ALL").fetchall() for name in names}


def test_same_inputs_give_byte_identical_files(warehouse, tmp_path):
    one = publish_release(warehouse, tmp_path / "a", **options())
    two = publish_release(warehouse, tmp_path / "b", **options())
    assert one.version == two.version
    names = sorted(p.name for p in one.path.iterdir())
    assert names == sorted(p.name for p in two.path.iterdir())
    for name in names:
        if name != "observatoire.duckdb":
            assert (one.path / name).read_bytes() == (two.path / name).read_bytes(), name
    assert _tables(one.path / "observatoire.duckdb") == _tables(two.path / "observatoire.duckdb")


def test_an_invalid_package_publishes_nothing(warehouse, tmp_path):
    warehouse.execute("UPDATE out__services_opsn SET siren_opsn = '123456789'")  # broken foreign key
    with pytest.raises(InvalidPackage, match="services_opsn.csv : champ « siren_opsn »"):
        publish_release(warehouse, tmp_path / "exports", **options())
    # Only the hidden publication lock (observatory/locking.py) may be there.
    assert [p.name for p in (tmp_path / "exports").iterdir() if not p.name.startswith(".")] == []


def test_the_steward_command_rebuilds_index_and_latest(warehouse, tmp_path):
    exports = tmp_path / "exports"
    first = publish_release(warehouse, exports, **options())
    (exports / "index.json").write_text("cassé", encoding="utf-8")
    (exports / "LATEST").unlink()
    result = subprocess.run(
        [sys.executable, "-m", "observatory.publish.catalogue_index", str(exports)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert f"1 version(s) ; LATEST = {first.version}" in result.stdout
    assert json.loads((exports / "index.json").read_text(encoding="utf-8"))["versions"][0]["version"] == first.version
    assert (exports / "LATEST").read_text() == first.version + "\n"


def test_publication_leaves_the_shared_schema_descriptors_as_on_disk(warehouse, tmp_path):
    """Publication reads the cached descriptors without copying them: none may be altered."""
    from observatory.schemas import read_descriptor, schema_path

    publish_release(warehouse, tmp_path / "exports", **options())
    for name in [*TABLES, "changements"]:
        assert read_descriptor(name) == json.loads(schema_path(name).read_text(encoding="utf-8")), name
