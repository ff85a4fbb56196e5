"""Optional sources: a folder without ANCT files or exclusions stands them in with header-only files."""

from pathlib import Path

import duckdb

from observatory import anct
from observatory.sources.consolidate import EXCLUDED_TABLE, load_excluded
from observatory.sources.layout import OPTIONAL_SOURCES, SourceTree, empty_source

MINI = Path("tests/fixtures/sources-mini")


def test_a_folder_without_optional_files_loads_empty_tables(tmp_path):
    tree = SourceTree(tmp_path / "folder")
    (tmp_path / "folder").mkdir()
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    for name in OPTIONAL_SOURCES:
        assert tree.optional_path(name) is None
    assert load_excluded(con, empty_source("declarations_exclues", tmp_path / "vides")) == 0
    assert anct.load_operators(con, empty_source("anct_operateurs", tmp_path / "vides")) == 0
    assert anct.load_members(con, empty_source("anct_adherents", tmp_path / "vides")) == 0
    assert con.execute(f"SELECT count(*) FROM {EXCLUDED_TABLE}").fetchall() == [(0,)]


def test_the_mini_folder_has_the_anct_files_and_no_exclusions():
    tree = SourceTree(MINI.resolve())
    assert tree.path("anct_adherents").name == "adherents-quotidien.csv.gz"
    assert tree.path("anct_operateurs").name == "operateurs-quotidien.csv"
    assert tree.optional_path("declarations_exclues") is None
