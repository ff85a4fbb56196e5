"""The table catalogue: well-formed, complete, and each build reads only the tables it declares.

Every build runs twice on tests/fixtures/sources-mini: once in catalogue order into one warehouse,
then alone in a fresh warehouse holding only its declared inputs, so that a missing dependency
fails here (DuckDB's CatalogException) instead of passing by luck of order.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from observatory import table_catalog as catalog
from observatory.paths import SCHEMAS_DIR
from observatory.schemas import schema_path
from observatory.sources.layout import SourceTree, empty_source

MINI_SOURCES = Path(__file__).resolve().parents[1] / "fixtures" / "sources-mini"
BUILDS = catalog.build_order()


def _run_build(con: duckdb.DuckDBPyConnection, outputs: list[catalog.Table], scratch: Path) -> None:
    entry = outputs[0]
    build = catalog.build_function(entry)
    if entry.raw and catalog.raw_source(entry.raw).path:
        tree = SourceTree(MINI_SOURCES)
        path = tree.optional_path(entry.raw) or empty_source(entry.raw, scratch)
        build(con, path, str(path))
    else:
        build(con)


def _tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables() WHERE NOT temporary").fetchall()}


def _count(con: duckdb.DuckDBPyConnection, table: str, database: str | None = None) -> int:
    qualified = f'{database}."{table}"' if database else f'"{table}"'
    return con.execute(f"SELECT count(*) FROM {qualified}").fetchall()[0][0]


@pytest.fixture(scope="module")
def full_warehouse(tmp_path_factory) -> Path:
    """Every build of the catalogue, in its order, on the mini sources."""
    directory = tmp_path_factory.mktemp("catalogue")
    path = directory / "entrepot.duckdb"
    with duckdb.connect(str(path)) as con:
        for outputs in BUILDS:
            _run_build(con, outputs, directory / "vides")
        assert _tables(con) == {entry.name for entry in catalog.warehouse_tables()}
    return path


@pytest.mark.parametrize("outputs", BUILDS, ids=[outputs[0].name for outputs in BUILDS])
def test_each_build_runs_in_a_warehouse_holding_only_its_declared_inputs(outputs, full_warehouse, tmp_path):
    inputs = catalog.build_inputs(outputs)
    with duckdb.connect(str(tmp_path / "isole.duckdb")) as con:
        con.execute(f"ATTACH '{full_warehouse}' AS complet (READ_ONLY)")
        for table in inputs:
            con.execute(f'CREATE TABLE "{table}" AS SELECT * FROM complet."{table}"')
        expected = {entry.name: _count(con, entry.name, "complet") for entry in outputs}
        con.execute("DETACH complet")
        try:
            _run_build(con, outputs, tmp_path / "vides")
        except duckdb.CatalogException as error:
            pytest.fail(f"{outputs[0].build} lit une table qu'il ne déclare pas (deps du catalogue) : {error}")
        # It writes exactly the tables the catalogue says, with the rows it wrote in the full warehouse.
        assert _tables(con) == {*inputs, *expected}
        assert {name: _count(con, name) for name in expected} == expected


def test_names_follow_layer_and_source():
    for entry in catalog.warehouse_tables():
        pattern = rf"core_{entry.source}__[a-z_]+" if entry.layer == "core" else r"out__[a-z_]+"
        assert re.fullmatch(pattern, entry.name), entry.name
    for source in catalog.RAW_SOURCES:
        assert re.fullmatch(rf"raw_{source.source}__[a-z_]+", source.asset), source.asset
    names = [entry.name for entry in catalog.TABLES] + [source.asset for source in catalog.RAW_SOURCES]
    assert len(names) == len(set(names))


def test_dependencies_and_raw_sources_are_declared_in_the_catalogue():
    tables = {entry.name for entry in catalog.warehouse_tables()}
    for entry in catalog.warehouse_tables():
        assert set(entry.deps) <= tables, entry.name
        assert entry.raw is None or catalog.raw_source(entry.raw), entry.name
        assert entry.description and callable(catalog.build_function(entry)), entry.name
    assert sum(len(outputs) for outputs in BUILDS) == len(tables)


def test_a_cycle_is_refused(monkeypatch):
    first, second = catalog.warehouse_tables("out")[:2]
    looped = (
        catalog.Table(**{**first.__dict__, "deps": (second.name,)}),
        catalog.Table(**{**second.__dict__, "deps": (first.name,)}),
    )
    monkeypatch.setattr(catalog, "TABLES", looped)
    with pytest.raises(ValueError, match="circulaires"):
        catalog.build_order()


def test_published_tables_are_exactly_the_schemas_at_the_top_of_schemas():
    """Adding a published table means one catalogue entry and one schema: neither goes without the other."""
    published = [entry.published.resource for entry in catalog.published_tables()]
    assert len(published) == len(set(published))
    assert [entry.published.order for entry in catalog.published_tables()] == list(range(1, len(published) + 1))
    assert set(published) == {path.stem for path in SCHEMAS_DIR.glob("*.json")}
    for entry in catalog.published_tables():
        assert entry.schema == entry.published.resource, entry.name


def test_every_raw_source_in_the_layout_has_the_table_schema_of_its_format():
    for source in catalog.RAW_SOURCES:
        assert (source.path is None) == (source.schema is None), source.name
        assert source.schema is None or schema_path(source.schema).exists(), source.name


def test_every_table_has_its_table_schema():
    missing = [entry.schema for entry in catalog.TABLES if not schema_path(entry.schema).exists()]
    assert all(name.startswith("entrepot/") for name in missing), missing
    if missing:
        pytest.skip(f"schémas internes pas encore écrits (schemas/entrepot/, lot h-schemas) : {missing}")


def test_the_names_library_modules_import_are_catalogue_tables():
    tables = {entry.name for entry in catalog.warehouse_tables()}
    named = {
        value
        for name, value in vars(catalog).items()
        if name.isupper() and isinstance(value, str) and re.fullmatch(r"(core|out)_\w+", value)
    }
    assert len(named) >= 17 and named <= tables, named - tables
