"""Each kind of violation of a Table Schema in a written file is caught, with file, line and field."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from frictionless import Resource, Schema

from observatory.declarations import load_declarations
from observatory.opsn_tables import build_opsn, build_services_opsn
from observatory.publish.descriptor import write_package
from observatory.publish.errors import InvalidPackage
from observatory.publish.tables import export_table
from observatory.publish.validation import validate_release_files
from observatory.publish.validation_rules import field_rules, missing
from observatory.schemas import load_descriptor
from tests.observatory.test_declarations import write_tree

TABLES = {"opsn": "out__opsn", "services_opsn": "out__services_opsn"}


def _package(staging, created="2026-01-01T00:00:00+00:00"):
    """The release descriptor as the pipeline builds it, over the staged tables (plus stand-in README,
    CHANGELOG and DuckDB files, which the descriptor lists with their hash)."""
    from observatory.publish.descriptor import build_package

    files = {"readme": "README.md", "changelog": "CHANGELOG.md", "database": "observatoire.duckdb"}
    for name in files.values():
        (staging / name).write_bytes(b"x")
    rows = {name: len((staging / f"{name}.csv").read_text(encoding="utf-8").splitlines()) - 1 for name in TABLES}
    return build_package(
        staging,
        list(TABLES),
        version="v",
        demonstration=True,
        sources=[],
        created=created,
        rows=rows,
        identity={},
        files=files,
    )


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """opsn and services_opsn written as a release writes them (CSV + Parquet), valid."""
    root = tmp_path_factory.mktemp("written")
    con = duckdb.connect(str(root / "w.duckdb"))
    load_declarations(con, write_tree(root / "sources"))
    build_opsn(con)
    build_services_opsn(con)
    staging = root / "staging"
    staging.mkdir()
    for name, table in TABLES.items():
        export_table(con, table, name, staging)
    con.close()
    return staging


@pytest.fixture
def staging(written, tmp_path):
    copy = tmp_path / "staging"
    shutil.copytree(written, copy)
    return copy


def edit_csv(path: Path, line: int, column: str, value: str) -> None:
    """Set one cell of a CSV written by DuckDB (no quoted comma in these small fixtures)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[line - 1].split(",")
    cells[header.index(column)] = value
    lines[line - 1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def invalid(staging: Path, **kwargs) -> str:
    with pytest.raises(InvalidPackage) as error:
        validate_release_files(staging, list(TABLES), **kwargs)
    return str(error.value)


def test_files_written_by_a_release_are_valid_and_progress_is_reported(staging):
    messages = []
    validate_release_files(
        staging, list(TABLES), expected_rows={"opsn": 2, "services_opsn": 3}, progress=messages.append
    )
    assert messages == [
        "validation : opsn, 2 lignes conformes au schéma",
        "validation : services_opsn, 3 lignes conformes au schéma",
    ]


@pytest.mark.parametrize(
    ("file", "line", "column", "value", "expected"),
    [
        ("opsn.csv", 2, "nb_services", "deux", "opsn.csv, ligne 2, champ nb_services : n'est pas du type integer"),
        ("opsn.csv", 3, "nb_services", "-1", "opsn.csv, ligne 3, champ nb_services : minimum 0 non respecté"),
        ("opsn.csv", 2, "nom", "", "opsn.csv, ligne 2, champ nom : valeur obligatoire manquante"),
        ("opsn.csv", 3, "siren", "12345", "opsn.csv, ligne 3, champ siren : ne suit pas le motif"),
        ("opsn.csv", 2, "forme_juridique", "sarl", "opsn.csv, ligne 2, champ forme_juridique : hors de l'énumération"),
        ("opsn.csv", 2, "membre_declic", "oui", "opsn.csv, ligne 2, champ membre_declic : n'est pas un booléen"),
        ("opsn.csv", 2, "site_web", "pas une adresse", "opsn.csv, ligne 2, champ site_web : n'est pas une URI"),
        ("opsn.csv", 2, "departements", "22;29", "opsn.csv, ligne 2, champ departements : ne suit pas le motif"),
        (
            "services_opsn.csv",
            3,
            "code_service",
            "dematerialisation",
            "services_opsn.csv, ligne 3, champ siren_opsn, code_service : clé primaire en double",
        ),
        (
            "services_opsn.csv",
            4,
            "siren_opsn",
            "123456782",
            "services_opsn.csv, ligne 4, champ siren_opsn : absent de opsn (siren)",
        ),
    ],
)
def test_each_kind_of_bad_cell_is_named_by_file_line_and_field(staging, file, line, column, value, expected):
    if expected.endswith("clé primaire en double"):
        first = (staging / file).read_text(encoding="utf-8").splitlines()[1].split(",")
        edit_csv(staging / file, line, "siren_opsn", first[0])
        value = first[1]
    edit_csv(staging / file, line, column, value)
    assert expected in invalid(staging)


def test_a_unique_field_repeated_is_caught(staging):
    first = (staging / "opsn.csv").read_text(encoding="utf-8").splitlines()[1].split(",")[0]
    edit_csv(staging / "opsn.csv", 3, "siren", first)
    message = invalid(staging)
    assert "opsn.csv, ligne 3, champ siren : valeur unique en double" in message


def test_header_order_and_names_follow_the_schema(staging):
    path = staging / "opsn.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    header[0], header[1] = header[1], header[0]
    path.write_text("\n".join([",".join(header), *lines[1:]]) + "\n", encoding="utf-8")
    assert "opsn.csv, ligne 1 : en-tête" in invalid(staging)


def test_a_ragged_row_and_bad_utf8_are_named_by_line(staging):
    path = staging / "services_opsn.csv"
    path.write_text(path.read_text(encoding="utf-8") + "253514491,sig\n", encoding="utf-8")
    assert "services_opsn.csv, ligne 5 : CSV illisible" in invalid(staging)
    path.write_bytes(path.read_bytes().replace(b"253514491,sig\n", b"253514491,sig,\xff\n"))
    assert "services_opsn.csv, ligne 5 : CSV illisible" in invalid(staging)


def test_row_counts_must_equal_the_table(staging):
    message = invalid(staging, expected_rows={"opsn": 3, "services_opsn": 3})
    assert "opsn.csv : 2 lignes écrites au lieu de 3" in message


def test_the_parquet_twin_must_have_the_schema_types_and_the_same_rows(staging):
    with duckdb.connect() as con:
        source = staging / "opsn.parquet"
        con.execute(
            f"COPY (SELECT * REPLACE (nom || '!' AS nom) FROM '{source}') TO '{staging}/x.parquet' (FORMAT parquet)"
        )
        (staging / "x.parquet").replace(source)
        assert "opsn.parquet : contenu différent de opsn.csv à sa ligne" in invalid(staging)
        con.execute(
            "COPY (SELECT * REPLACE (CAST(nb_services AS VARCHAR) AS nb_services) "
            f"FROM read_csv('{staging}/opsn.csv')) "
            f"TO '{source}' (FORMAT parquet)"
        )
    assert "opsn.parquet : schéma physique" in invalid(staging)


def test_datapackage_counts_and_checksums_are_checked_when_written(staging):
    package = _package(staging)
    write_package(staging, package)
    validate_release_files(staging, list(TABLES))
    descriptor = json.loads((staging / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"][0]["rows"] = 5
    descriptor["resources"][2]["hash"] = "sha256:" + "0" * 64
    (staging / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    message = invalid(staging)
    assert "opsn annonce 5 lignes" in message and "empreinte sha256 de services_opsn.csv fausse" in message


def test_every_listed_file_is_checked_against_its_declared_checksum_and_size(staging):
    # Not only the tables: the README and the changelog are published with their checksum too.
    write_package(staging, _package(staging))
    validate_release_files(staging, list(TABLES))
    (staging / "README.md").write_bytes(b"y")
    (staging / "CHANGELOG.md").write_bytes(b"xx")
    message = invalid(staging)
    assert "empreinte sha256 de README.md fausse" in message
    assert "taille de CHANGELOG.md fausse (1 octets annoncés)" in message


@pytest.mark.parametrize(
    ("field", "good", "bad"),
    [
        (
            {"name": "x", "type": "number", "constraints": {"minimum": 0, "maximum": 1}},
            ["0.5", "1e-07", "1.0", ""],
            ["1.5", "abc", "nan", "-0.1"],
        ),
        ({"name": "x", "type": "date"}, ["2024-02-29", ""], ["2023-02-29", "01/02/2024", "2024-1-2"]),
        ({"name": "x", "type": "integer", "constraints": {"enum": [1, 2]}}, ["1", "2"], ["3", "1.0"]),
        (
            {"name": "x", "type": "string", "constraints": {"minLength": 2, "maxLength": 3}},
            ["ab", "abc", ""],
            ["a", "abcd"],
        ),
    ],
)
def test_number_date_enum_and_length_rules(field, good, bad):
    rules = field_rules(field)
    any_bad = " OR ".join(f"coalesce({r.bad}, false)" for r in rules)
    with duckdb.connect() as con:
        for value in good + bad:
            flagged = con.execute(f"SELECT {any_bad} FROM (SELECT ?::VARCHAR AS x)", [value]).fetchone()[0]
            assert flagged == (value in bad), value
        assert con.execute(f"SELECT {missing('x')} FROM (SELECT NULL::VARCHAR AS x)").fetchone()[0]


def test_a_schema_feature_the_validation_does_not_know_is_refused():
    with pytest.raises(ValueError, match="non vérifié"):
        field_rules({"name": "x", "type": "string", "format": "email"})
    with pytest.raises(ValueError, match="non vérifié"):
        field_rules({"name": "x", "type": "geopoint"})


def test_frictionless_agrees_that_what_passes_is_valid(staging):
    package = _package(staging)
    write_package(staging, package)
    validate_release_files(staging, list(TABLES))
    # The descriptor exactly as published.
    cli = Path(sys.executable).with_name("frictionless")
    result = subprocess.run([str(cli), "validate", str(staging / "datapackage.json")], capture_output=True)
    assert result.returncode == 0, result.stdout.decode()[-2000:]


def test_the_package_descriptor_itself_is_checked(staging):
    package = _package(staging, created="hier")
    write_package(staging, package)
    assert "datapackage.json : « created » n'est pas une date-heure ISO" in invalid(staging)


@pytest.mark.parametrize(
    ("field_name", "good", "bad"),
    [
        ("methode_rapprochement", ["siren", "nom_flou", ""], ["sirene", "siren|nom"]),
        (
            "anomalies",
            ["siren_invalide", "siren_invalide|code_insee_sans_zero|nom_partiel", ""],
            ["siren_inventee", "siren_invalide|inconnue", "siren_invalide|", "siren_invalide;ancien_nom"],
        ),
    ],
)
def test_reconciliation_vocabularies_reject_an_unknown_value(field_name, good, bad):
    """methode_rapprochement (enum) and anomalies (a `|`-separated list of the same kind of enum)."""
    field = next(f for f in load_descriptor("adhesions")["fields"] if f["name"] == field_name)
    rules = field_rules(field)
    any_bad = " OR ".join(f"coalesce({r.bad}, false)" for r in rules)
    schema = Schema.from_descriptor({"fields": [{"name": "id", "type": "string"}, field]})
    with duckdb.connect() as con:
        for value in good + bad:
            flagged = con.execute(f"SELECT {any_bad} FROM (SELECT ?::VARCHAR AS {field_name})", [value]).fetchone()[0]
            assert flagged == (value in bad), value
            # frictionless, as a reuser runs it on the published package, agrees.
            report = Resource(data=[["id", field_name], ["1", value]], schema=schema).validate()
            assert report.valid == (value not in bad), value
    if field_name == "anomalies":
        assert any("hors du vocabulaire" in r.label for r in rules)


def _set_parquet_name(staging: Path, value: str) -> None:
    source = staging / "opsn.parquet"
    with duckdb.connect() as con:
        con.execute(
            f"COPY (SELECT * EXCLUDE (i) REPLACE (CASE WHEN i = 1 THEN $v ELSE nom END AS nom) "
            f"FROM (SELECT *, row_number() OVER () AS i FROM '{source}')) TO '{staging}/x.parquet' (FORMAT parquet)",
            {"v": value},
        )
    (staging / "x.parquet").replace(source)


def test_text_is_checked_spreadsheet_safe_and_the_twin_against_its_safe_form(staging):
    """The Parquet twin keeps a value the CSV must write neutralised (publish/sanitize.py)."""
    _set_parquet_name(staging, "=SOMME(A1)")
    edit_csv(staging / "opsn.csv", 2, "nom", "'=SOMME(A1)")
    validate_release_files(staging, list(TABLES))
    edit_csv(staging / "opsn.csv", 2, "nom", "=SOMME(A1)")
    message = invalid(staging)
    assert "opsn.csv, ligne 2, champ nom : texte lu comme une formule par un tableur" in message
    _set_parquet_name(staging, "Mégalis")
    edit_csv(staging / "opsn.csv", 2, "nom", "'Mégalis")
    assert "opsn.parquet : contenu différent de opsn.csv à sa ligne 2" in invalid(staging)


def test_a_control_character_anywhere_in_a_csv_is_named_by_line(staging):
    edit_csv(staging / "services_opsn.csv", 3, "code_service", "x\x07y")
    assert "services_opsn.csv, ligne 3 : caractère de contrôle 0x07" in invalid(staging)
