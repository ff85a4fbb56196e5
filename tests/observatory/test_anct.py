"""ANCT daily files: real format, the ANCT's own row and test rows are not OPSN, sources compared by SIREN."""

import gzip
from pathlib import Path

import duckdb

from observatory import anct
from observatory.paths import EMBEDDED_SOURCES_DIR
from observatory.schemas import field_names
from tools.demo_sources.anct import build

MINI = Path("tests/fixtures/sources-mini/anct")


def test_embedded_demo_files_follow_the_real_format_and_are_reproducible():
    operators = (EMBEDDED_SOURCES_DIR / "anct" / "operateurs-quotidien.csv").read_bytes()
    members = (EMBEDDED_SOURCES_DIR / "anct" / "adherents-quotidien.csv.gz").read_bytes()
    assert operators.decode().splitlines()[0].split(";") == field_names(anct.OPERATORS_SCHEMA)
    assert gzip.decompress(members).decode().splitlines()[0].split(";") == field_names(anct.MEMBERS_SCHEMA)
    assert build() == {"anct/operateurs-quotidien.csv": operators, "anct/adherents-quotidien.csv.gz": members}


def test_operators_flag_the_anct_and_test_rows(tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    assert anct.load_operators(con, MINI / "operateurs-quotidien.csv") == 5
    rows = dict(con.execute(f"SELECT nom, est_opsn FROM {anct.OPERATORS_TABLE}").fetchall())
    assert rows == {"ATD24": True, "CDG48": True, "SMICA": True, "ANCT": False, "TEST": False}


def test_comparison_counts_each_source_and_names_the_retained_one(tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    anct.load_operators(con, MINI / "operateurs-quotidien.csv")
    anct.load_members(con, MINI / "adherents-quotidien.csv.gz")
    con.execute("CREATE TABLE core_declarations__opsn AS SELECT '252405147' AS siren, 'ATD24' AS nom")
    con.execute(
        """CREATE TABLE core_declarations__adhesions AS SELECT * FROM (VALUES
           ('252405147', 'rapproche', 'commune', '212403224'),   -- Périgueux, also in the ANCT file
           ('252405147', 'rapproche', 'commune', '212400378'),   -- Bergerac, declared only
           ('252405147', 'rapproche', 'departement', NULL),
           ('252405147', 'non_trouve', NULL, NULL))
           AS t(siren_opsn, statut_rapprochement, type_collectivite, siren_collectivite)"""
    )
    assert anct.compare_sources(con) == 3  # ATD24 declared; CDG48 and SMICA from the ANCT only
    rows = con.execute(f"SELECT * FROM {anct.COMPARISON_TABLE} ORDER BY siren_opsn").fetchall()
    assert rows == [
        ("251200861", "SMICA", "anct", 0, 2, 0, 0, 2),
        ("252405147", "ATD24", "declaration", 2, 2, 1, 1, 1),
        ("284800026", "CDG48", "anct", 0, 2, 0, 0, 2),
    ]
