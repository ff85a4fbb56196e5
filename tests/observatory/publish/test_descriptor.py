"""datapackage.json is built as a plain dict: frictionless must read it as a valid package and
write it back byte for byte, so that the file is the one frictionless' own objects produced."""

import json

import pytest
from frictionless import Package

from observatory.publish.catalog import RELEASE_TABLES
from observatory.publish.descriptor import build_package, package_json, write_package

FILES = {"readme": "README.md", "changelog": "CHANGELOG.md", "database": "observatoire.duckdb"}


def _descriptor(directory, *, demonstration, sources):
    for table in RELEASE_TABLES:
        (directory / f"{table}.csv").write_text("a\n", encoding="utf-8")
        (directory / f"{table}.parquet").write_bytes(b"PAR1")
    for name in FILES.values():
        (directory / name).write_text("# x\n", encoding="utf-8")
    return build_package(
        directory,
        list(RELEASE_TABLES),
        version="2026-03-23-1a2b3c4d",
        demonstration=demonstration,
        sources=sources,
        created="2026-03-23T00:00:00Z",
        rows={table: 7 for table in RELEASE_TABLES},
        identity={"empreinte": "f" * 64, "empreinte_entrees": "e" * 64, "version_precedente": None},
        files=FILES,
    )


LIVE_SOURCES = [
    {"title": "Désignations CNIL", "path": "cnil.csv", "hash": "sha256:00", "bytes": 1, "mode": "live"},
    {"title": "COG", "path": "cog.parquet", "licence": "etalab-2.0", "producteur": "Insee"},
]


@pytest.mark.parametrize(("demonstration", "sources"), [(True, []), (False, LIVE_SOURCES)])
def test_frictionless_reads_the_descriptor_as_valid_and_writes_the_same_bytes(tmp_path, demonstration, sources):
    descriptor = _descriptor(tmp_path, demonstration=demonstration, sources=sources)
    report = Package.validate_descriptor(descriptor, basepath=str(tmp_path))
    assert report.valid, report.flatten(["type", "note"])
    # `rows` was always written as our own key (after the standard ones), as before: frictionless
    # reads it back as its standard property, so it is set apart the way the old code set it.
    plain = json.loads(package_json(descriptor))
    rows = [resource.pop("rows", None) for resource in plain["resources"]]
    package = Package.from_descriptor(plain, basepath=str(tmp_path))
    for resource, count in zip(package.resources, rows, strict=True):
        if count is not None:
            resource.custom["rows"] = count
    assert package.to_json() == package_json(descriptor)
    # Every published table is there twice, each twin with its own schema and row count.
    names = [r["name"] for r in descriptor["resources"]]
    assert names[: 2 * len(RELEASE_TABLES)] == [n for t in RELEASE_TABLES for n in (t, f"{t}_parquet")]
    assert names[-3:] == ["lisez_moi", "journal_des_changements", "base_duckdb"]
    assert all(r["rows"] == 7 for r in descriptor["resources"] if "schema" in r)
    assert ("avertissement" in descriptor) is demonstration


def test_parquet_twins_point_their_foreign_keys_at_parquet_twins_and_drop_number_ranges(tmp_path):
    descriptor = _descriptor(tmp_path, demonstration=True, sources=[])
    by_name = {r["name"]: r for r in descriptor["resources"]}
    keys = by_name["adhesions_parquet"]["schema"]["foreignKeys"]
    assert keys[0]["reference"]["resource"] == "opsn_parquet"
    assert by_name["adhesions"]["schema"]["foreignKeys"][0]["reference"]["resource"] == "opsn"
    numero = next(f for f in by_name["adhesions_parquet"]["schema"]["fields"] if f["name"] == "numero_ligne")
    assert "minimum" not in numero.get("constraints", {})
    numero_csv = next(f for f in by_name["adhesions"]["schema"]["fields"] if f["name"] == "numero_ligne")
    assert numero_csv["constraints"]["minimum"] == 2


def test_written_file_is_utf8_json_without_final_newline(tmp_path):
    descriptor = _descriptor(tmp_path, demonstration=True, sources=[])
    text = write_package(tmp_path, descriptor).read_text(encoding="utf-8")
    assert json.loads(text) == descriptor and not text.endswith("\n") and "démonstration" in text
