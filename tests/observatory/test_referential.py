"""The vendored referential loads into DuckDB with the declared types and holds the real COG 2026."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest

from observatory.paths import REFERENTIAL_DIR, REPO_ROOT
from observatory.referential import TABLES, load_referential, read_provenance, schema_name
from observatory.schemas import duckdb_type, enum_values, field_descriptors, primary_key


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    connection = duckdb.connect(str(tmp_path_factory.mktemp("warehouse") / "warehouse.duckdb"))
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def counts(con):
    return load_referential(con)


def scalar(con, sql: str, *params):
    return con.execute(sql, list(params)).fetchall()[0][0]


ACTUELLE = "FROM core_cog__communes WHERE type_commune = 'commune_actuelle'"


def current_commune(con, code: str) -> str | None:
    return scalar(con, f"SELECT max(nom) {ACTUELLE} AND code_insee = ?", code)


def targets(con, code: str, name: str | None = None) -> set[str]:
    sql = "SELECT code_insee_actuel FROM core_cog__communes_historiques WHERE code_ancien = ?"
    params = [code]
    if name is not None:
        sql += " AND nom_ancien = ?"
        params.append(name)
    return {row[0] for row in con.execute(sql, params).fetchall()}


def test_row_counts(con, counts):
    assert counts["core_cog__communes"] == 37_590
    assert counts["core_cog__epci"] == 1_255
    assert counts["core_cog__departements"] == 109
    assert counts["core_cog__regions"] == 26
    assert counts["core_cog__epci_membres"] == 34_871
    vendored = {Path(entry["path"]).name: entry["rows"] for entry in read_provenance()["outputs"]}
    assert counts["core_cog__communes_historiques"] == vendored["communes_historiques.parquet"]
    by_type = dict(con.execute("SELECT type_commune, count(*) FROM core_cog__communes GROUP BY 1").fetchall())
    assert by_type == {
        "commune_actuelle": 34_969,
        "commune_deleguee": 2_105,
        "commune_associee": 471,
        "arrondissement_municipal": 45,
    }


def test_communes_actuelles_by_zone(con, counts):
    rows = con.execute(
        "SELECT zone, count(*), count(siren) FROM core_cog__communes WHERE type_commune = 'commune_actuelle' "
        "GROUP BY ALL"
    ).fetchall()
    by_zone = {zone: (total, with_siren) for zone, total, with_siren in rows}
    assert by_zone["metro"][0] + by_zone["drom"][0] == 34_875
    assert by_zone["metro"][1] + by_zone["drom"][1] == 34_875  # every commune of France has a SIREN
    assert by_zone["com"] == (94, 0)


@pytest.mark.parametrize("name", list(TABLES))
def test_declared_types_and_contract(con, counts, name):
    table = TABLES[name]
    described = {row[0]: row[1] for row in con.execute(f"DESCRIBE {table}").fetchall()}
    fields = field_descriptors(schema_name(name))
    assert described == {field["name"]: duckdb_type(field) for field in fields}
    # The Table Schema is the contract: check its constraints on the real data, in SQL.
    for field in fields:
        column, constraints = f'"{field["name"]}"', field.get("constraints", {})
        if constraints.get("required"):
            assert scalar(con, f"SELECT count(*) FROM {table} WHERE {column} IS NULL") == 0, column
        if "pattern" in constraints:
            bad = f"SELECT count(*) FROM {table} WHERE NOT regexp_full_match({column}, ?)"
            assert scalar(con, bad, constraints["pattern"]) == 0, column
        if "enum" in constraints:
            outside = f"SELECT count(*) FROM {table} WHERE {column} <> ALL(?)"
            assert scalar(con, outside, constraints["enum"]) == 0, column
        if "minimum" in constraints:
            below = f"SELECT count(*) FROM {table} WHERE {column} < ?"
            assert scalar(con, below, constraints["minimum"]) == 0, column
        if constraints.get("unique"):
            assert scalar(con, f"SELECT count({column}) - count(DISTINCT {column}) FROM {table}") == 0, column
    key = ", ".join(f'"{column}"' for column in primary_key(schema_name(name)))
    distinct_keys = f"SELECT count(*) FROM (SELECT DISTINCT {key} FROM {table})"
    assert scalar(con, f"SELECT count(*) - ({distinct_keys}) FROM {table}") == 0


def test_real_communes(con, counts):
    assert current_commune(con, "01001") == "L'Abergement-Clémenciat"
    assert current_commune(con, "2A004") == "Ajaccio"
    assert current_commune(con, "74010") == "Annecy"
    assert scalar(con, f"SELECT siren {ACTUELLE} AND code_insee = '01001'") == "210100012"
    # A déléguée shares its code with the commune nouvelle: (code, type) is the key, not the code.
    parent = "SELECT type_commune, nom, code_commune_parente FROM core_cog__communes WHERE code_insee = ?"
    assert con.execute(parent + " ORDER BY 1", ["01015"]).fetchall() == [
        ("commune_actuelle", "Arboys en Bugey", None),
        ("commune_deleguee", "Arbignieu", "01015"),
    ]
    assert con.execute(parent, ["13201"]).fetchall() == [
        ("arrondissement_municipal", "Marseille 1er Arrondissement", "13055")
    ]


def test_history_targets_are_current_communes(con, counts):
    orphans = """SELECT count(*) FROM core_cog__communes_historiques h WHERE NOT EXISTS (
        SELECT 1 FROM core_cog__communes c WHERE c.code_insee = h.code_insee_actuel
        AND c.type_commune = 'commune_actuelle')"""
    assert scalar(con, orphans) == 0
    # A code that is a current commune never leads elsewhere (déléguées sharing it lead to itself).
    elsewhere = """SELECT count(*) FROM core_cog__communes_historiques h JOIN core_cog__communes c
        ON c.code_insee = h.code_ancien AND c.type_commune = 'commune_actuelle'
        WHERE h.code_insee_actuel <> h.code_ancien"""
    assert scalar(con, elsewhere) == 0
    ambiguous = """SELECT count(*) FROM (SELECT code_ancien FROM core_cog__communes_historiques
        GROUP BY ALL HAVING count(DISTINCT code_insee_actuel) > 1)"""
    assert scalar(con, ambiguous) == 0


def test_history_real_cases(con, counts):
    for code, name in [
        ("74011", "Annecy-le-Vieux"),
        ("74268", "Seynod"),
        ("74093", "Cran-Gevrier"),
        ("74182", "Meythet"),
        ("74217", "Pringy"),
    ]:
        assert targets(con, code, name) == {"74010"}, name
    assert targets(con, "01015", "Arbignieu") == {"01015"}
    # 2019 communes merged since 2020: La Faute-sur-Mer (2022), Goux-les-Usiers (anciensCodes only).
    assert targets(con, "85307", "La Faute-sur-Mer") == {"85001"}
    assert targets(con, "25282", "Goux-les-Usiers") == {"25060"}
    # Merged before 2019, through the history chain: Vieugy into Seynod (1965), now Annecy.
    assert targets(con, "74300", "Vieugy") == {"74010"}
    end = "SELECT date_fin FROM core_cog__communes_historiques WHERE code_ancien = ?"
    assert scalar(con, end, "74300").isoformat() == "1965-03-08"
    # Renamed in 1956, same code: Bellegarde, later Bellegarde-sur-Valserine, now a déléguée of
    # Valserhône, which kept code 01033.
    assert targets(con, "01033", "Bellegarde") == {"01033"}
    # Corsican codes before the 1976 split.
    assert targets(con, "20004", "Ajaccio") == {"2A004"}
    origins = con.execute("SELECT DISTINCT origine FROM core_cog__communes_historiques").fetchall()
    assert {row[0] for row in origins} == set(enum_values("referentiel/communes_historiques", "origine"))


def test_provenance_matches_vendored_files():
    provenance = read_provenance()
    licences = {entry["licence"] for entry in provenance["inputs"]}
    assert licences == {"Licence Ouverte / Open Licence 2.0", "MIT"}
    for entry in provenance["outputs"]:
        path = REPO_ROOT / entry["path"]
        assert path.resolve().parent.is_relative_to(REFERENTIAL_DIR.resolve())
        assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"], entry["path"]
        assert path.stat().st_size == entry["bytes"]


def test_missing_directory_fails_loudly(tmp_path: Path):
    with duckdb.connect() as connection, pytest.raises(FileNotFoundError, match="build_referential"):
        load_referential(connection, tmp_path)
