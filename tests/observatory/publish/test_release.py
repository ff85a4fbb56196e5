import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from observatory.opsn_tables import build_opsn, build_services_opsn
from observatory.publish.release import InvalidPackage, publish_release
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


def publish(con, exports, **kwargs):
    options = dict(
        input_hashes=["abc"],
        demonstration=True,
        sources=[{"title": "test", "path": "x.csv"}],
        documentation=lambda version: f"# {version}\n",
        today="2026-11-23",
        tables=TABLES,
    )
    options.update(kwargs)
    return publish_release(con, exports, **options)


def test_publishes_a_valid_package_with_csv_parquet_and_duckdb(warehouse, tmp_path):
    release = publish(warehouse, tmp_path / "exports")
    assert release.created and release.version.startswith("2026-11-23-")
    files = sorted(p.name for p in release.path.iterdir())
    assert files == [
        "README.md",
        "datapackage.json",
        "observatoire.duckdb",
        "opsn.csv",
        "opsn.parquet",
        "services_opsn.csv",
        "services_opsn.parquet",
    ]
    descriptor = json.loads((release.path / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["demonstration"] is True and "démonstration" in descriptor["title"]
    assert descriptor["licenses"][0]["name"] == "etalab-2.0"
    assert release.rows == {"opsn": 2, "services_opsn": 3}
    # The command the portal's users would run.
    cli = Path(sys.executable).with_name("frictionless")
    result = subprocess.run([str(cli), "validate", str(release.path / "datapackage.json")], capture_output=True)
    assert result.returncode == 0, result.stdout.decode()[-2000:]
    with duckdb.connect(str(release.path / "observatoire.duckdb"), read_only=True) as con:
        assert con.execute("SELECT nb_services FROM opsn WHERE siren = '253514491'").fetchone() == (2,)
    assert (tmp_path / "exports" / "LATEST").read_text().strip() == release.version


def test_a_published_version_is_never_rewritten(warehouse, tmp_path):
    first = publish(warehouse, tmp_path / "exports")
    stamp = (first.path / "opsn.csv").stat().st_mtime_ns
    warehouse.execute("UPDATE out__opsn SET nom = 'changé'")
    again = publish(warehouse, tmp_path / "exports")
    assert not again.created and again.version == first.version
    assert (first.path / "opsn.csv").stat().st_mtime_ns == stamp
    assert "changé" not in (first.path / "opsn.csv").read_text(encoding="utf-8")
    other = publish(warehouse, tmp_path / "exports", input_hashes=["def"])
    assert other.created and other.version != first.version
    history = json.loads((tmp_path / "exports" / "historique.json").read_text(encoding="utf-8"))
    assert [h["version"] for h in history] == [first.version, other.version]


def test_an_invalid_package_publishes_nothing(warehouse, tmp_path):
    warehouse.execute("UPDATE out__services_opsn SET siren_opsn = '123456789'")  # broken foreign key
    with pytest.raises(InvalidPackage):
        publish(warehouse, tmp_path / "exports")
    # Only the hidden publication lock (observatory/locking.py) may be there.
    assert [p.name for p in (tmp_path / "exports").iterdir() if not p.name.startswith(".")] == []
